//! The config check: the inventory's findings, a pasted `.env.production` checked
//! against it (never stored: only the masked findings come back), and the job that
//! reads the hosts' live state for the drift and HSTS rules.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::checks::Finding;
use crate::model::AppError;

/// The Checks page: the inventory's findings, and the env findings a plain form post
/// (without JavaScript) left to show once; each host's live state as last read, and
/// the error of a refused "read live state" (without JavaScript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksView {
    pub findings: Vec<Finding>,
    pub env_findings: Option<Vec<Finding>>,
    pub error: Option<AppError>,
    pub hosts: Vec<LiveHost>,
    pub live_error: Option<AppError>,
    pub now: i64,
}

/// A host's live state as the checks use it: when facts were gathered (None: never),
/// how many listening sockets and active units they found (None: the host could not
/// tell), whether `nginx -T` was read, and whether a job can reach the host at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveHost {
    pub name: String,
    pub reachable: bool,
    pub gathered_at: Option<i64>,
    pub sockets: Option<usize>,
    pub units: Option<usize>,
    pub nginx: bool,
}

#[server]
pub async fn get_checks() -> Result<ChecksView, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, checks, forms, state::app_state};
    auth::require(Role::Viewer)?;
    let state = app_state()?;
    let findings = checks::run(&state.db, Some(&state.master_key), None).await?;
    let env_findings = forms::take_once::<Vec<Finding>>("check-env-done").await;
    // The pasted text is not kept for the form: only the error comes back.
    let error = forms::take::<()>("check-env").await.map(|((), e)| e);
    let live_error = forms::take::<()>("read-live").await.map(|((), e)| e);
    Ok(ChecksView {
        findings,
        env_findings,
        error,
        hosts: checks::live_hosts(&state.db).await?,
        live_error,
        now: crate::server::db::now(),
    })
}

/// Starts the job that gathers facts (sockets, units, `nginx -T`) on every reachable
/// host, and opens its page.
#[server]
pub async fn read_live_state() -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, checks, forms, state::app_state};
    let session = auth::require(Role::Operator)?;
    match checks::read_live_state(&app_state()?, &(&session).into()).await {
        Ok(id) => forms::redirect(&format!("/jobs/{id}")),
        Err(e) => Err(forms::failed("read-live", &(), e).await),
    }
}

#[server]
pub async fn check_env(env: String) -> Result<Vec<Finding>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, checks, forms, state::app_state};
    auth::require(Role::Viewer)?;
    match checks::check_env(&app_state()?.db, &env).await {
        Ok(findings) => {
            forms::show_once("check-env-done", &findings).await;
            Ok(findings)
        }
        Err(e) => Err(forms::failed("check-env", &(), e).await),
    }
}
