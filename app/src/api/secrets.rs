//! Server functions of the secret store, admins only. Values go in and never come out:
//! no function here returns a value or a ciphertext.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::secret::{Secret, SecretInput};
use crate::model::AppError;

/// What a secret form starts from: the secret being edited (None when creating) and
/// its history, the input (its value always empty), and a failed plain post's error.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecretFormData {
    pub secret: Option<Secret>,
    pub history: Vec<AuditEntry>,
    pub now: i64,
    pub input: SecretInput,
    pub error: Option<AppError>,
}

#[server]
pub async fn list_secrets() -> Result<(Vec<Secret>, i64), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Admin)?;
    Ok((db::secrets::list(&app_state()?.db).await?, db::now()))
}

/// The form for a new secret (`name` None) or an edit; a failed plain-form post wins.
#[server]
pub async fn get_secret_form(name: Option<String>) -> Result<SecretFormData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let pool = app_state()?.db;
    let carried = forms::take::<SecretInput>("secret").await;
    let (secret, history) = match name {
        Some(name) => {
            let secret = db::secrets::get(&mut *pool.acquire().await?, &name).await?;
            let history = db::audit::for_object(&pool, "secret", secret.id, 50).await?;
            (Some(secret), history)
        }
        None => (None, Vec::new()),
    };
    let (input, error) = match (carried, &secret) {
        (Some((input, error)), _) => (input.without_value(), Some(error)),
        (None, Some(s)) => (SecretInput::from_secret(s), None),
        (None, None) => (SecretInput::blank(), None),
    };
    Ok(SecretFormData {
        secret,
        history,
        now: db::now(),
        input,
        error,
    })
}

#[server]
pub async fn create_secret(secret: SecretInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, secrets, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let created = match secret.parse_new() {
        Ok(new) => secrets::create(&state.db, &state.master_key, &(&session).into(), &new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(s) => {
            leptos_axum::redirect(&format!("/settings/secrets/{}", s.name));
            Ok(())
        }
        Err(e) => Err(forms::failed("secret", &secret.without_value(), e).await),
    }
}

/// Replaces the value of the secret `name` (unless the value is left empty) and its
/// description.
#[server]
pub async fn update_secret(name: String, secret: SecretInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, secrets, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let actor = (&session).into();
    match secrets::update(&state.db, &state.master_key, &actor, &name, &secret).await {
        Ok(s) => {
            leptos_axum::redirect(&format!("/settings/secrets/{}", s.name));
            Ok(())
        }
        Err(e) => Err(forms::failed("secret", &secret.without_value(), e).await),
    }
}

#[server]
pub async fn delete_secret(name: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, secrets, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match secrets::delete(&state.db, &(&session).into(), &name, version).await {
        Ok(_) => {
            leptos_axum::redirect("/settings/secrets");
            Ok(())
        }
        Err(e) => Err(forms::failed("delete-secret", &name, e).await),
    }
}

/// The delete confirmation: the secret, and the error of a failed plain-form delete.
#[server]
pub async fn get_delete_secret(name: String) -> Result<(Secret, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-secret").await.map(|(_, e)| e);
    let secret = db::secrets::get(&mut *app_state()?.db.acquire().await?, &name).await?;
    Ok((secret, error))
}
