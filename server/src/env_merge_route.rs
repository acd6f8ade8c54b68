//! `POST /runs/{id}/env-merge/download`: the merged `.env.production`, secrets included,
//! as an attachment answering the form's POST. It is never rendered into a page.
use app::domain::env_merge;
use app::model::user::Role;
use app::server::auth::Session;
use app::server::{runbooks::generated, AppState};
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Files {
    #[serde(default)]
    source: String,
    #[serde(default)]
    target: String,
}

pub async fn download(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Path(id): Path<i64>,
    Form(files): Form<Files>,
) -> Response {
    // The session guard has refused anonymous callers already; this holds on its own.
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    if !session.user.can(Role::Operator) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let merged = async {
        let mut conn = state.db.acquire().await?;
        generated::env_merge(&mut conn, id, &files.source, &files.target).await
    };
    match merged.await {
        Ok((_, rows, _)) => {
            tracing::info!(user = %session.user.username, run = id, "merged .env.production downloaded");
            (
                [
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"env.production\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                env_merge::render(&rows),
            )
                .into_response()
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}
