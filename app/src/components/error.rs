//! How a failed load or save is shown, and the HTTP status a rendered error carries.
use leptos::prelude::*;

use crate::model::AppError;

/// A page-level error: what happened and what the user can do next.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let (title, hint) = match &error {
        AppError::NotFound => (
            "Not found",
            "It may have been renamed or deleted. Go back to the list.",
        ),
        AppError::Forbidden => ("Not allowed", "Your role does not allow this. Ask an admin."),
        AppError::Unauthorized => ("Signed out", "Your session ended. Sign in again."),
        AppError::Conflict(_) => ("Changed meanwhile", "Reload the page to see the latest version."),
        _ => (
            "Something went wrong",
            "Try again; if it keeps failing, the server log has the details.",
        ),
    };
    view! {
        <section class="error-box" role="alert">
            <h2>"⚠ " {title}</h2>
            <p>{error.to_string()}</p>
            <p class="help">{hint}</p>
        </section>
    }
}

/// Sets the status code of the page being rendered on the server; nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
