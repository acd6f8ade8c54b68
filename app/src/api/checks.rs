//! The config check: the inventory's findings, and a pasted `.env.production` checked
//! against it (never stored: only the masked findings come back).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::checks::Finding;
use crate::model::AppError;

/// The Checks page: the inventory's findings, and the env findings a plain form post
/// (without JavaScript) left to show once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksView {
    pub findings: Vec<Finding>,
    pub env_findings: Option<Vec<Finding>>,
    pub error: Option<AppError>,
}

#[server]
pub async fn get_checks() -> Result<ChecksView, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, checks, forms, state::app_state};
    auth::require(Role::Viewer)?;
    let findings = checks::run(&app_state()?.db, None).await?;
    let env_findings = forms::take_once::<Vec<Finding>>("check-env-done").await;
    // The pasted text is not kept for the form: only the error comes back.
    let error = forms::take::<()>("check-env").await.map(|((), e)| e);
    Ok(ChecksView {
        findings,
        env_findings,
        error,
    })
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
