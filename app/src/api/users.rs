//! Server functions for managing co-admins (admins only) and one's own account.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::user::{NewUserInput, SessionInfo, UserSummary};
use crate::model::AppError;

/// A user's page: who they are, their sessions, their history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub user: UserSummary,
    pub sessions: Vec<SessionInfo>,
    pub history: Vec<AuditEntry>,
    pub now: i64,
    /// The error of a failed plain-form post on this page.
    pub error: Option<AppError>,
}

#[server]
pub async fn list_users() -> Result<(Vec<UserSummary>, i64), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Admin)?;
    Ok((db::users::list(&app_state()?.db).await?, db::now()))
}

#[server]
pub async fn get_user(name: String) -> Result<UserPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let pool = app_state()?.db;
    let error = forms::take::<String>("user").await.map(|(_, e)| e);
    let user = db::users::get(&mut *pool.acquire().await?, &name).await?;
    let sessions = db::sessions::list_for_user(&pool, user.id, &session.token_hash).await?;
    let history = db::audit::for_object(&pool, "user", user.id, 50).await?;
    Ok(UserPage {
        user,
        sessions,
        history,
        now: db::now(),
        error,
    })
}

/// The new-user form, with the input and error of a failed plain-form post.
#[server]
pub async fn get_new_user_form() -> Result<(NewUserInput, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms};
    auth::require(Role::Admin)?;
    Ok(match forms::take::<NewUserInput>("new-user").await {
        Some((input, error)) => (input, Some(error)),
        None => (
            NewUserInput {
                role: "viewer".into(),
                ..Default::default()
            },
            None,
        ),
    })
}

#[server]
pub async fn create_user(user: NewUserInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, users};
    let session = auth::require(Role::Admin)?;
    match users::create(&app_state()?.db, &(&session).into(), &user).await {
        Ok(u) => crate::server::forms::redirect(&format!("/settings/users/{}", u.username)),
        Err(e) => {
            let kept = NewUserInput {
                password: String::new(),
                ..user
            };
            Err(forms::failed("new-user", &kept, e).await)
        }
    }
}

/// Role and enabled state. `disabled` is a checkbox: present ("on") when ticked.
#[server]
pub async fn update_user(name: String, role: String, disabled: Option<String>) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, users};
    let session = auth::require(Role::Admin)?;
    let actor = (&session).into();
    match users::update(&app_state()?.db, &actor, &name, &role, disabled.is_some()).await {
        Ok(u) => crate::server::forms::redirect(&format!("/settings/users/{}", u.username)),
        Err(e) => Err(forms::failed("user", &name, e).await),
    }
}

#[server]
pub async fn reset_password(name: String, password: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, users};
    let session = auth::require(Role::Admin)?;
    match users::reset_password(&app_state()?.db, &(&session).into(), &name, &password).await {
        Ok(()) => crate::server::forms::redirect(&format!("/settings/users/{name}?done=password")),
        Err(e) => Err(forms::failed("user", &name, e).await),
    }
}

/// Signs a user out everywhere.
#[server]
pub async fn revoke_user_sessions(name: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state, users};
    let session = auth::require(Role::Admin)?;
    match users::revoke_sessions(&app_state()?.db, &(&session).into(), &name).await {
        Ok(()) => crate::server::forms::redirect(&format!("/settings/users/{name}?done=revoked")),
        Err(e) => Err(forms::failed("user", &name, e).await),
    }
}
