//! Keeping a failed form submission for browsers without JavaScript.
//!
//! With JavaScript the page receives the error from the server function and keeps the
//! typed values in the form. Without it the browser follows a redirect back to the form,
//! so the submission and its error ride along in the session ("flash") and the page
//! takes them out again when it renders.
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::{auth, db, state::app_state};
use crate::model::AppError;

#[derive(Serialize, Deserialize)]
struct Flash<T> {
    form: String,
    input: T,
    error: AppError,
}

/// Records a failed submission of `form` when a plain form post needs it, and returns
/// the error for the server function to return. Never put secrets in `input`.
pub async fn failed<T: Serialize>(form: &str, input: &T, error: AppError) -> AppError {
    if !auth::is_plain_form_post() {
        return auth::with_status(error);
    }
    let (Ok(state), Ok(session)) = (app_state(), auth::current_session()) else {
        return error;
    };
    let flash = Flash {
        form: form.to_owned(),
        input,
        error: error.clone(),
    };
    match serde_json::to_string(&flash) {
        Ok(json) => {
            if let Err(e) = db::sessions::set_flash(&state.db, &session.token_hash, &json).await {
                tracing::error!(error = %e, "could not keep the failed form");
            }
        }
        Err(e) => tracing::error!(error = %e, "could not encode the failed form"),
    }
    error
}

/// The submission and error kept for `form`, if the last plain post of it failed.
pub async fn take<T: DeserializeOwned>(form: &str) -> Option<(T, AppError)> {
    let state = app_state().ok()?;
    let session = auth::current_session().ok()?;
    let json = db::sessions::take_flash(&state.db, &session.token_hash)
        .await
        .ok()??;
    let flash: Flash<T> = serde_json::from_str(&json).ok()?;
    (flash.form == form).then_some((flash.input, flash.error))
}
