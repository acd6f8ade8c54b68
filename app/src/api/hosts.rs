//! Server functions of the hosts area.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::action::Facts;
use crate::model::audit::AuditEntry;
use crate::model::host::{Host, HostInput, HostListItem, HostQuery};
use crate::model::AppError;

/// A host page: the host, its facts and its change history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostPage {
    pub host: Host,
    pub history: Vec<AuditEntry>,
    /// What the last "gather facts" job found, and when.
    pub facts: Option<(Facts, i64)>,
    pub now: i64,
}

/// What a host form starts from, and the error of a failed plain-form submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostFormData {
    pub input: HostInput,
    pub error: Option<AppError>,
}

#[server]
pub async fn list_hosts(query: HostQuery) -> Result<Vec<HostListItem>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    db::hosts::list(&app_state()?.db, &query).await
}

#[server]
pub async fn get_host(name: String) -> Result<HostPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let host = db::hosts::get(&mut *pool.acquire().await?, &name).await?;
    let history = db::audit::for_object(&pool, "host", host.id, 50).await?;
    let facts = crate::server::jobs::store::facts(&pool, host.id).await?;
    Ok(HostPage {
        host,
        history,
        facts,
        now: db::now(),
    })
}

/// The form for a new host (`name` None) or an edit; a failed plain-form post wins.
#[server]
pub async fn get_host_form(name: Option<String>) -> Result<HostFormData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    if let Some((input, error)) = forms::take::<HostInput>("host").await {
        return Ok(HostFormData {
            input,
            error: Some(error),
        });
    }
    let input = match name {
        Some(name) => {
            HostInput::from_host(&db::hosts::get(&mut *app_state()?.db.acquire().await?, &name).await?)
        }
        None => HostInput::blank(),
    };
    Ok(HostFormData { input, error: None })
}

#[server]
pub async fn create_host(host: HostInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, hosts, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let created = match host.parse() {
        Ok(draft) => hosts::create(&state.db, &(&session).into(), &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(h) => crate::server::forms::redirect(&format!("/hosts/{}", h.name)),
        Err(e) => Err(forms::failed("host", &host, e).await),
    }
}

#[server]
pub async fn update_host(original: String, host: HostInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, hosts, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let updated = match host.parse() {
        Ok(draft) => hosts::update(&state.db, &(&session).into(), &original, &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match updated {
        Ok(h) => crate::server::forms::redirect(&format!("/hosts/{}", h.name)),
        Err(e) => Err(forms::failed("host", &host, e).await),
    }
}

#[server]
pub async fn delete_host(name: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, hosts, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match hosts::delete(&state.db, &(&session).into(), &name, version).await {
        Ok(_) => crate::server::forms::redirect("/hosts"),
        Err(e) => Err(forms::failed("delete-host", &name, e).await),
    }
}

/// The delete confirmation: the host, and the error of a failed plain-form delete.
#[server]
pub async fn get_delete_host(name: String) -> Result<(Host, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-host").await.map(|(_, e)| e);
    let host = db::hosts::get(&mut *app_state()?.db.acquire().await?, &name).await?;
    Ok((host, error))
}
