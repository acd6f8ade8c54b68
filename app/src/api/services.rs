//! Server functions of the services area.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::service::{Service, ServiceInput, ServiceListItem, ServiceQuery};
use crate::model::AppError;

/// A service page: the service, what depends on it, and its change history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub service: Service,
    /// The services that need this one, by name.
    pub dependents: Vec<String>,
    pub history: Vec<AuditEntry>,
    pub now: i64,
}

/// What a service form starts from, the hosts it may be placed on, and the error of a
/// failed plain-form submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFormData {
    pub input: ServiceInput,
    pub hosts: Vec<String>,
    pub error: Option<AppError>,
}

/// The delete confirmation: the service, who depends on it, and a carried error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteServiceData {
    pub service: Service,
    pub dependents: Vec<String>,
    pub error: Option<AppError>,
}

/// The services matching the query, ordered by host and name; the page groups them.
#[server]
pub async fn list_services(query: ServiceQuery) -> Result<Vec<ServiceListItem>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    let services = db::services::list_all(&app_state()?.db).await?;
    Ok(services
        .into_iter()
        .filter(|s| query.matches(s))
        .map(Into::into)
        .collect())
}

/// The services placed on one host, for the host's page.
#[server]
pub async fn list_host_services(host: String) -> Result<Vec<Service>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    db::services::on_host(&app_state()?.db, &host).await
}

#[server]
pub async fn get_service(name: String) -> Result<ServicePage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, services::KIND, state::app_state};
    auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let mut conn = pool.acquire().await?;
    let service = db::services::get(&mut conn, &name).await?;
    let dependents = db::services::dependents(&mut conn, service.id).await?;
    drop(conn);
    let history = db::audit::for_object(&pool, KIND, service.id, 50).await?;
    Ok(ServicePage {
        service,
        dependents,
        history,
        now: db::now(),
    })
}

/// The form for a new service (`name` None, on `host` and of `kind` when given) or an
/// edit; a failed plain-form post wins.
#[server]
pub async fn get_service_form(
    name: Option<String>,
    host: Option<String>,
    kind: Option<String>,
) -> Result<ServiceFormData, AppError> {
    use crate::model::service::ServiceKind;
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let pool = app_state()?.db;
    let hosts = db::services::host_names(&pool).await?;
    if let Some((input, error)) = forms::take::<ServiceInput>("service").await {
        return Ok(ServiceFormData {
            input,
            hosts,
            error: Some(error),
        });
    }
    let input = match name {
        Some(name) => {
            ServiceInput::from_service(&db::services::get(&mut *pool.acquire().await?, &name).await?)
        }
        None => {
            let kind = kind.and_then(|k| ServiceKind::parse(&k).ok());
            let host = host.or_else(|| hosts.first().cloned()).unwrap_or_default();
            ServiceInput::blank(&host, kind.unwrap_or(ServiceKind::Custom))
        }
    };
    Ok(ServiceFormData {
        input,
        hosts,
        error: None,
    })
}

#[server]
pub async fn create_service(service: ServiceInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, services, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let created = match service.parse() {
        Ok(draft) => services::create(&state.db, &(&session).into(), &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(s) => forms::redirect(&format!("/services/{}", s.name)),
        Err(e) => Err(forms::failed("service", &service, e).await),
    }
}

/// Saves an edit; choosing another host moves the service.
#[server]
pub async fn update_service(original: String, service: ServiceInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, services, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let updated = match service.parse() {
        Ok(draft) => services::update(&state.db, &(&session).into(), &original, &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match updated {
        Ok(s) => forms::redirect(&format!("/services/{}", s.name)),
        Err(e) => Err(forms::failed("service", &service, e).await),
    }
}

#[server]
pub async fn delete_service(name: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, services, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match services::delete(&state.db, &(&session).into(), &name, version).await {
        Ok(_) => forms::redirect("/services"),
        Err(e) => Err(forms::failed("delete-service", &name, e).await),
    }
}

#[server]
pub async fn get_delete_service(name: String) -> Result<DeleteServiceData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-service").await.map(|(_, e)| e);
    let mut conn = app_state()?.db.acquire().await?;
    let service = db::services::get(&mut conn, &name).await?;
    let dependents = db::services::dependents(&mut conn, service.id).await?;
    Ok(DeleteServiceData {
        service,
        dependents,
        error,
    })
}
