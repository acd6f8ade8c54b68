//! Server functions for the second factor and the console-wide settings.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::AppError;

/// What the account page needs to enrol: a fresh secret with its QR code, or the
/// recovery codes of an enrolment that just succeeded without JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    pub secret: String,
    pub qr_svg: String,
    pub required: bool,
    pub error: Option<AppError>,
    pub codes: Option<Vec<String>>,
}

#[server]
pub async fn get_totp_enrolment() -> Result<TotpEnrolment, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state, totp};
    let session = auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let codes = forms::take_once::<Vec<String>>("recovery-codes").await;
    let error = forms::take::<()>("totp").await.map(|(_, e)| e);
    let secret = totp::enrolment_secret(&app_state()?.master_key, &session.token_hash)?;
    let url = totp::provisioning_url(&secret, &session.user.username);
    Ok(TotpEnrolment {
        qr_svg: totp::qr_svg(&url)?,
        secret,
        required: db::settings::get_flag(&pool, db::settings::REQUIRE_TOTP).await?,
        error,
        codes,
    })
}

/// Turns the second factor on; returns the recovery codes (shown once).
#[server]
pub async fn enable_totp(password: String, code: String) -> Result<Vec<String>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, mfa, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let state = app_state()?;
    match mfa::enable(&state.db, &state.master_key, &session, &password, &code).await {
        Ok(codes) => {
            forms::show_once("recovery-codes", &codes).await;
            Ok(codes)
        }
        Err(e) => Err(forms::failed("totp", &(), e).await),
    }
}

#[server]
pub async fn disable_totp(password: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, mfa, state::app_state};
    let session = auth::require(Role::Viewer)?;
    match mfa::disable_own(&app_state()?.db, &session, &password).await {
        Ok(()) => crate::server::forms::redirect("/account?done=totp-off"),
        Err(e) => Err(forms::failed("account", &(), e).await),
    }
}

#[server]
pub async fn reset_user_totp(name: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, mfa, state::app_state};
    let session = auth::require(Role::Admin)?;
    match mfa::reset_for(&app_state()?.db, &(&session).into(), &name).await {
        Ok(()) => crate::server::forms::redirect(&format!("/settings/users/{name}?done=totp")),
        Err(e) => Err(forms::failed("user", &name, e).await),
    }
}

#[server]
pub async fn get_settings() -> Result<bool, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Admin)?;
    db::settings::get_flag(&app_state()?.db, db::settings::REQUIRE_TOTP).await
}

/// `require_totp` is a checkbox: present when ticked.
#[server]
pub async fn update_settings(require_totp: Option<String>) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, mfa, state::app_state};
    let session = auth::require(Role::Admin)?;
    match mfa::set_required(&app_state()?.db, &session, require_totp.is_some()).await {
        Ok(()) => crate::server::forms::redirect("/settings?done=saved"),
        Err(e) => Err(forms::failed("settings", &(), e).await),
    }
}
