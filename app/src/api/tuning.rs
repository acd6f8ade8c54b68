//! Server functions of a host's Tuning page: read the instances, add, change and remove
//! one, install the unit templates (Operator), and the host's settings (Admin).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::tuning::{InstanceInput, TuningPage, TuningSettingsInput};
use crate::model::AppError;

/// The page, with the instance form's last failed plain-form submission if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuningData {
    pub page: TuningPage,
    pub instance: Option<(InstanceInput, AppError)>,
    pub settings_error: Option<(TuningSettingsInput, AppError)>,
    /// Why the last plain-form install or removal was refused.
    pub action_error: Option<AppError>,
}

#[server]
pub async fn get_tuning(host: String) -> Result<TuningData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, tuning};
    auth::require(Role::Viewer)?;
    let page = tuning::page(&app_state()?, &host).await?;
    Ok(TuningData {
        page,
        instance: forms::take::<InstanceInput>("tuning-instance").await,
        settings_error: forms::take::<TuningSettingsInput>("tuning-settings").await,
        action_error: forms::take::<String>("tuning-action").await.map(|(_, e)| e),
    })
}

/// Adds an instance, or changes `instance.replaces` into it; opens the job.
#[server]
pub async fn apply_instance(host: String, instance: InstanceInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, tuning};
    let session = auth::require(Role::Operator)?;
    match tuning::apply(&app_state()?, &(&session).into(), &host, &instance).await {
        Ok(id) => forms::redirect(&format!("/jobs/{id}")),
        Err(e) => Err(forms::failed("tuning-instance", &instance, e).await),
    }
}

#[server]
pub async fn remove_instance(host: String, unit: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, tuning};
    let session = auth::require(Role::Operator)?;
    match tuning::remove(&app_state()?, &(&session).into(), &host, &unit).await {
        Ok(id) => forms::redirect(&format!("/jobs/{id}")),
        Err(e) => Err(forms::failed("tuning-action", &unit, e).await),
    }
}

#[server]
pub async fn install_unit_templates(host: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, tuning};
    let session = auth::require(Role::Operator)?;
    match tuning::install(&app_state()?, &(&session).into(), &host).await {
        Ok(id) => forms::redirect(&format!("/jobs/{id}")),
        Err(e) => Err(forms::failed("tuning-action", &host, e).await),
    }
}

#[server]
pub async fn save_tuning_settings(host: String, settings: TuningSettingsInput) -> Result<(), AppError> {
    use crate::domain::url::encode_component;
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, tuning};
    let session = auth::require(Role::Admin)?;
    match tuning::save_settings(&app_state()?.db, &(&session).into(), &host, &settings).await {
        Ok(()) => forms::redirect(&format!("/hosts/{}/tuning", encode_component(&host))),
        Err(e) => Err(forms::failed("tuning-settings", &settings, e).await),
    }
}
