//! `GET /inventory/export.toml`: the inventory file, for anyone who may read it.
use app::model::user::Role;
use app::server::auth::Session;
use app::server::{inventory, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn export(State(state): State<AppState>, session: Option<Extension<Session>>) -> Response {
    // The session guard has refused anonymous callers already; this holds on its own.
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    if !session.user.can(Role::Viewer) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let exported = match state.db.acquire().await {
        Ok(mut conn) => inventory::export(&mut conn).await,
        Err(e) => Err(e.into()),
    };
    match exported {
        Ok(text) => {
            tracing::info!(user = %session.user.username, addr = %session.client_addr, "inventory exported");
            (
                [
                    (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"owlery-inventory.toml\"",
                    ),
                ],
                text,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "exporting the inventory failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the export failed; see the server log",
            )
                .into_response()
        }
    }
}
