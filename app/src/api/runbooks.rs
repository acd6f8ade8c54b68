//! Server functions of the runbooks area: runbooks (list, import, edit, copy, delete)
//! and runs (start, show, act on a step). The TOML export is an axum route
//! (`/runbooks/{slug}/export.toml`, server crate).
use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::runbook::Runbook;
use crate::model::runbook_run::{RunPage, RunSummary};
use crate::model::AppError;

/// A runbook as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookItem {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub builtin: bool,
    pub version: i64,
}

/// The runbooks list, and a failed plain-form import (its text kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbooksPage {
    pub items: Vec<RunbookItem>,
    pub import: String,
    pub error: Option<AppError>,
}

/// One runbook: its file, its runs and its change history; the editor's text and error
/// when a plain-form save failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookPage {
    pub runbook: Runbook,
    pub version: i64,
    pub source: String,
    pub runs: Vec<RunSummary>,
    pub history: Vec<AuditEntry>,
    pub error: Option<AppError>,
    pub now: i64,
}

/// The start form: the parameters, what the inventory offers for each, and the values
/// and error of a failed plain-form start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartForm {
    pub runbook: Runbook,
    pub options: BTreeMap<String, Vec<String>>,
    pub values: Option<BTreeMap<String, String>>,
    pub error: Option<AppError>,
}

#[server]
pub async fn get_runbooks() -> Result<RunbooksPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    auth::require(Role::Viewer)?;
    let items = runbooks::db::list(&app_state()?.db).await?;
    let (import, error) = match forms::take::<String>("runbook-import").await {
        Some((source, error)) => (source, Some(error)),
        None => (String::new(), None),
    };
    Ok(RunbooksPage { items, import, error })
}

#[server]
pub async fn import_runbook(source: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Admin)?;
    match runbooks::import(&app_state()?.db, &(&session).into(), &source).await {
        Ok(r) => forms::redirect(&format!("/runbooks/{}", r.slug)),
        Err(e) => Err(forms::failed("runbook-import", &source, e).await),
    }
}

#[server]
pub async fn get_runbook(slug: String) -> Result<RunbookPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, runbooks, state::app_state};
    auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let stored = runbooks::db::get(&mut *pool.acquire().await?, &slug).await?;
    let runbook = runbooks::parse_stored(&stored.source)?;
    let runs = runbooks::db::list_runs(&pool, 500)
        .await?
        .into_iter()
        .filter(|r| r.runbook == slug)
        .take(20)
        .collect();
    let history = db::audit::for_object(&pool, "runbook", stored.id, 50).await?;
    let (source, error) = match forms::take::<String>("runbook-edit").await {
        Some((source, error)) => (source, Some(error)),
        None => (stored.source, None),
    };
    Ok(RunbookPage {
        runbook,
        version: stored.version,
        source,
        runs,
        history,
        error,
        now: db::now(),
    })
}

#[server]
pub async fn update_runbook(original: String, source: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Admin)?;
    match runbooks::update(&app_state()?.db, &(&session).into(), &original, &source, version).await {
        Ok(r) => forms::redirect(&format!("/runbooks/{}", r.slug)),
        Err(e) => Err(forms::failed("runbook-edit", &source, e).await),
    }
}

#[server]
pub async fn copy_runbook(slug: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Admin)?;
    let copy = runbooks::copy(&app_state()?.db, &(&session).into(), &slug).await?;
    forms::redirect(&format!("/runbooks/{}", copy.slug))
}

/// The delete confirmation: the runbook, and the error of a failed plain-form delete.
#[server]
pub async fn get_delete_runbook(slug: String) -> Result<(RunbookItem, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("runbook-delete").await.map(|(_, e)| e);
    let pool = app_state()?.db;
    let stored = runbooks::db::get(&mut *pool.acquire().await?, &slug).await?;
    let r = runbooks::parse_stored(&stored.source)?;
    let item = RunbookItem {
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        builtin: stored.builtin,
        version: stored.version,
    };
    Ok((item, error))
}

#[server]
pub async fn delete_runbook(slug: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Admin)?;
    match runbooks::delete(&app_state()?.db, &(&session).into(), &slug, version).await {
        Ok(()) => forms::redirect("/runbooks"),
        Err(e) => Err(forms::failed("runbook-delete", &slug, e).await),
    }
}

#[server]
pub async fn get_start_form(slug: String) -> Result<StartForm, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    auth::require(Role::Operator)?;
    let pool = app_state()?.db;
    let mut conn = pool.acquire().await?;
    let runbook = runbooks::parse_stored(&runbooks::db::get(&mut conn, &slug).await?.source)?;
    let mut options = BTreeMap::new();
    for p in &runbook.params {
        options.insert(
            p.name.clone(),
            runbooks::params::options(&mut conn, p.kind).await?,
        );
    }
    drop(conn);
    let (values, error) = match forms::take::<BTreeMap<String, String>>("run-start").await {
        Some((values, error)) => (Some(values), Some(error)),
        None => (None, None),
    };
    Ok(StartForm {
        runbook,
        options,
        values,
        error,
    })
}

#[server]
pub async fn start_run(slug: String, values: Option<BTreeMap<String, String>>) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Operator)?;
    let values = values.unwrap_or_default();
    match runbooks::runs::start(&app_state()?.db, &(&session).into(), &slug, &values).await {
        Ok(id) => forms::redirect(&format!("/runs/{id}")),
        Err(e) => Err(forms::failed("run-start", &values, e).await),
    }
}

#[server]
pub async fn list_runs() -> Result<(Vec<RunSummary>, i64), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, runbooks, state::app_state};
    auth::require(Role::Viewer)?;
    Ok((runbooks::db::list_runs(&app_state()?.db, 200).await?, db::now()))
}

/// A run's page, and the error of a failed plain-form step action.
#[server]
pub async fn get_run(id: i64) -> Result<(RunPage, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let error = forms::take::<String>("run-step").await.map(|(_, e)| e);
    let page = runbooks::runs::page(&app_state()?.db, id, &(&session).into()).await?;
    Ok((page, error))
}

/// What changed last on a run: a page polls this and reloads its data when it moves.
#[server]
pub async fn get_run_version(id: i64) -> Result<i64, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, runbooks, state::app_state};
    auth::require(Role::Viewer)?;
    Ok(runbooks::db::summary(&mut *app_state()?.db.acquire().await?, id)
        .await?
        .version)
}

/// Runs, ticks off, skips (with a reason) or approves one step of a run.
#[server]
pub async fn act_on_step(
    run: i64,
    step: String,
    action: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::model::runbook_run::StepAction;
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks, state::app_state};
    let session = auth::require(Role::Operator)?;
    let action = StepAction::parse(&action).ok_or_else(|| AppError::BadRequest("unknown action".into()))?;
    let reason = reason.unwrap_or_default();
    let state = app_state()?;
    match runbooks::runs::act(&state, &(&session).into(), run, &step, action, &reason).await {
        Ok(()) => forms::redirect(&format!("/runs/{run}#step-{step}")),
        Err(e) => Err(forms::failed("run-step", &step, e).await),
    }
}
