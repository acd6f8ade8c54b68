//! Server functions of the what-if scenarios.
use leptos::prelude::*;

use crate::model::cost::ScenarioHostInput;
use crate::model::cost_view::{ScenarioPage, ScenariosPage};
use crate::model::AppError;

#[server]
pub async fn list_scenarios() -> Result<ScenariosPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, state::app_state};
    auth::require(Role::Viewer)?;
    let mut page = costs::scenarios::list(&app_state()?.db).await?;
    costs::carried::scenarios_page(&mut page).await;
    Ok(page)
}

/// A new scenario; `copy` "yes" starts it from the hosts billed today.
#[server]
pub async fn create_scenario(name: String, copy: String) -> Result<(), AppError> {
    use crate::model::cost::{parse_scenario_name, parse_yes_no};
    use crate::model::user::Role;
    use crate::model::FieldErrors;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let mut e = FieldErrors::default();
    let parsed = (
        e.check("name", parse_scenario_name(&name)),
        e.check("copy", parse_yes_no(&copy)),
    );
    let done = match parsed {
        (Some(n), Some(c)) => costs::scenarios::create(&app_state()?.db, &(&session).into(), &n, c).await,
        _ => Err(AppError::Validation(e)),
    };
    match done {
        Ok(id) => forms::redirect(&format!("/costs/scenarios/{id}")),
        Err(e) => Err(forms::failed("scenario-new", &(name, copy), e).await),
    }
}

#[server]
pub async fn get_scenario(id: i64) -> Result<ScenarioPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, state::app_state};
    auth::require(Role::Viewer)?;
    let mut page = costs::scenarios::page(&app_state()?.db, id).await?;
    costs::carried::scenario_page(&mut page).await;
    Ok(page)
}

#[server]
pub async fn add_scenario_host(id: i64, host: ScenarioHostInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match host.parse() {
        Ok((name, plan, ipv4)) => {
            costs::scenarios::add_host(&app_state()?.db, &(&session).into(), id, (&name, plan, ipv4)).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect(&format!("/costs/scenarios/{id}")),
        Err(e) => Err(forms::failed("scenario-host", &host, e).await),
    }
}

#[server]
pub async fn remove_scenario_host(id: i64, host: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match costs::scenarios::remove_host(&app_state()?.db, &(&session).into(), id, host).await {
        Ok(()) => forms::redirect(&format!("/costs/scenarios/{id}")),
        Err(e) => Err(forms::failed("scenario-remove", &host, e).await),
    }
}

#[server]
pub async fn rename_scenario(id: i64, version: i64, name: String) -> Result<(), AppError> {
    use crate::model::cost::parse_scenario_name;
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match parse_scenario_name(&name) {
        Ok(n) => costs::scenarios::rename(&app_state()?.db, &(&session).into(), id, version, &n).await,
        Err(m) => Err(AppError::field("name", m)),
    };
    match done {
        Ok(()) => forms::redirect(&format!("/costs/scenarios/{id}")),
        Err(e) => Err(forms::failed("scenario-rename", &name, e).await),
    }
}

#[server]
pub async fn delete_scenario(id: i64, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match costs::scenarios::delete(&app_state()?.db, &(&session).into(), id, version).await {
        Ok(()) => forms::redirect("/costs/scenarios"),
        Err(e) => Err(forms::failed("scenario-delete", &id, e).await),
    }
}
