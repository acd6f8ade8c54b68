//! Keeping a failed form submission for browsers without JavaScript.
//!
//! With JavaScript the page receives the error from the server function and keeps the
//! typed values in the form. Without it the browser follows a redirect back to the form,
//! so the submission and its error ride along in the session ("flash") and the page
//! takes them out again when it renders.
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

use super::{auth, db, state::app_state};
use crate::model::AppError;

#[derive(Serialize, Deserialize)]
struct Flash<T> {
    form: String,
    input: T,
    /// None for a result to show once (e.g. recovery codes) rather than an error.
    error: Option<AppError>,
}

async fn keep<T: Serialize>(flash: &Flash<T>) {
    let (Ok(state), Ok(session)) = (app_state(), auth::current_session()) else {
        return;
    };
    match serde_json::to_string(flash) {
        Ok(json) => {
            if let Err(e) = db::sessions::set_flash(&state.db, &session.token_hash, &json).await {
                tracing::error!(error = %e, "could not keep a form result");
            }
        }
        Err(e) => tracing::error!(error = %e, "could not encode a form result"),
    }
}

/// Flashes already taken while rendering this request. A page may build a component
/// (and call its loader) more than once, even at the same time, while it renders; each
/// call must see the same flash, though the database hands it out only once. One cell
/// per form: the first caller takes it from the database, the others wait for that.
#[derive(Clone, Default)]
pub struct TakenFlashes(Arc<Mutex<HashMap<String, TakenFlash>>>);

/// The flash of one form, taken once per request.
type TakenFlash = Arc<OnceCell<Option<String>>>;

async fn take_flash<T: DeserializeOwned>(form: &str) -> Option<Flash<T>> {
    let state = app_state().ok()?;
    let session = auth::current_session().ok()?;
    let take = || async {
        db::sessions::take_flash(&state.db, &session.token_hash, form)
            .await
            .ok()
            .flatten()
    };
    let taken = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<TakenFlashes>().cloned());
    let cell = taken.and_then(|t| Some(t.0.lock().ok()?.entry(form.to_owned()).or_default().clone()));
    let json = match cell {
        Some(cell) => cell.get_or_init(take).await.clone()?,
        None => take().await?,
    };
    serde_json::from_str::<Flash<T>>(&json).ok()
}

/// Records a failed submission of `form` when a plain form post needs it, and returns
/// the error for the server function to return. Never put secrets in `input`.
pub async fn failed<T: Serialize>(form: &str, input: &T, error: AppError) -> AppError {
    if !auth::is_plain_form_post() {
        return auth::with_status(error);
    }
    keep(&Flash {
        form: form.to_owned(),
        input,
        error: Some(error.clone()),
    })
    .await;
    error
}

/// The submission and error kept for `form`, if the last plain post of it failed.
pub async fn take<T: DeserializeOwned>(form: &str) -> Option<(T, AppError)> {
    take_flash::<T>(form)
        .await
        .and_then(|f| f.error.map(|e| (f.input, e)))
}

/// Keeps a result for the page a plain form post returns to, to be shown once.
/// With JavaScript the server function's own return value carries it instead.
pub async fn show_once<T: Serialize>(form: &str, value: &T) {
    if auth::is_plain_form_post() {
        keep(&Flash {
            form: form.to_owned(),
            input: value,
            error: None,
        })
        .await;
    }
}

/// The result kept by `show_once` for `form`, if any.
pub async fn take_once<T: DeserializeOwned>(form: &str) -> Option<T> {
    take_flash::<T>(form)
        .await
        .filter(|f| f.error.is_none())
        .map(|f| f.input)
}

/// Ends a successful submission by sending the browser to `to`: a 302 for a plain
/// form post, a client-side navigation with JavaScript.
pub fn redirect(to: &str) -> Result<(), AppError> {
    leptos_axum::redirect(to);
    Ok(())
}
