//! `GET /runbooks/{slug}/export.toml`: a runbook's file, for anyone who may read it.
use app::model::user::Role;
use app::server::auth::Session;
use app::server::{runbooks, AppState};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn export(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Path(slug): Path<String>,
) -> Response {
    // The session guard has refused anonymous callers already; this holds on its own.
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    if !session.user.can(Role::Viewer) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let stored = match state.db.acquire().await {
        Ok(mut conn) => runbooks::db::get(&mut conn, &slug).await,
        Err(e) => Err(e.into()),
    };
    match stored {
        Ok(stored) => (
            [
                (header::CONTENT_TYPE, "application/toml; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.toml\"", stored.slug),
                ),
            ],
            stored.source,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status_code()).unwrap_or_default(),
            e.to_string(),
        )
            .into_response(),
    }
}
