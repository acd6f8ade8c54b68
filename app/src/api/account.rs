//! Server functions for one's own account: password and sessions.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::user::{CurrentUser, SessionInfo};
use crate::model::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub user: CurrentUser,
    pub sessions: Vec<SessionInfo>,
    pub totp: bool,
    pub now: i64,
    /// The error of a failed plain-form post on this page.
    pub error: Option<AppError>,
}

#[server]
pub async fn get_account() -> Result<AccountPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let error = forms::take::<()>("account").await.map(|(_, e)| e);
    let sessions = db::sessions::list_for_user(&pool, session.user.id, &session.token_hash).await?;
    let totp = db::users::get(&mut *pool.acquire().await?, &session.user.username)
        .await?
        .totp;
    Ok(AccountPage {
        user: session.user,
        sessions,
        totp,
        now: db::now(),
        error,
    })
}

#[server]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, users};
    let session = auth::require(Role::Viewer)?;
    match users::change_own_password(&app_state()?.db, &session, &current, &new, &confirm).await {
        Ok(()) => crate::server::forms::redirect("/account?done=password"),
        Err(e) => Err(forms::failed("account", &(), e).await),
    }
}

/// Ends one of the caller's own sessions (an admin ends others' from the user page).
#[server]
pub async fn revoke_session(id: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    let session = auth::require(Role::Viewer)?;
    match db::sessions::revoke(&app_state()?.db, session.user.id, id).await {
        Ok(true) => crate::server::forms::redirect("/account?done=revoked"),
        Ok(false) => Err(forms::failed("account", &(), AppError::NotFound).await),
        Err(e) => Err(forms::failed("account", &(), e).await),
    }
}
