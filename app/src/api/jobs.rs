//! Server functions of the jobs area: list, show, start, cancel. Live output is not a
//! server function but a Server-Sent Events route (`/jobs/{id}/events`, server crate).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::action::ActionInput;
use crate::model::job::{JobPage, JobSummary};
use crate::model::AppError;

/// What the new-job form submits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobInput {
    /// Host names and `tag:NAME` selectors, separated by spaces or commas.
    pub targets: String,
    #[serde(flatten)]
    pub action: ActionInput,
    pub parallelism: String,
    pub timeout_secs: String,
}

/// A host the new-job form offers, with its tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTargetHost {
    pub name: String,
    pub tags: Vec<String>,
}

/// What the new-job form starts from, and the error of a failed plain-form submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewJobForm {
    pub input: JobInput,
    pub hosts: Vec<JobTargetHost>,
    pub error: Option<AppError>,
}

/// Past and running jobs, newest first; `before` pages by job id.
#[server]
pub async fn list_jobs(
    state: Option<String>,
    host: Option<String>,
    before: Option<i64>,
) -> Result<Vec<JobSummary>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, jobs, state::app_state};
    auth::require(Role::Viewer)?;
    jobs::store::list(&app_state()?.db, state.as_deref(), host.as_deref(), before).await
}

#[server]
pub async fn get_job(id: i64) -> Result<JobPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, jobs, state::app_state};
    auth::require(Role::Viewer)?;
    jobs::store::page(&app_state()?.db, id).await
}

/// The new-job form, prefilled with `targets` (from a host page or a tag).
#[server]
pub async fn get_new_job_form(targets: Option<String>) -> Result<NewJobForm, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, jobs, state::app_state};
    auth::require(Role::Operator)?;
    let hosts = jobs::store::target_hosts(&app_state()?.db).await?;
    if let Some((input, error)) = forms::take::<JobInput>("job").await {
        return Ok(NewJobForm {
            input,
            hosts,
            error: Some(error),
        });
    }
    let input = JobInput {
        targets: targets.unwrap_or_default(),
        action: ActionInput {
            action: "facts".into(),
            ..Default::default()
        },
        parallelism: jobs::DEFAULT_PARALLELISM.to_string(),
        timeout_secs: jobs::DEFAULT_TIMEOUT_SECS.to_string(),
    };
    Ok(NewJobForm {
        input,
        hosts,
        error: None,
    })
}

/// Starts a job and opens its page.
#[server]
pub async fn start_job(job: JobInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, jobs, state::app_state};
    let session = auth::require(Role::Operator)?;
    let state = app_state()?;
    match jobs::start(&state, &(&session).into(), &job).await {
        Ok(id) => forms::redirect(&format!("/jobs/{id}")),
        Err(e) => Err(forms::failed("job", &job, e).await),
    }
}

/// Cancels a running job: every running host is signalled, every queued one skipped.
#[server]
pub async fn cancel_job(id: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, jobs, state::app_state};
    let session = auth::require(Role::Operator)?;
    jobs::cancel(&app_state()?, &(&session).into(), id).await
}
