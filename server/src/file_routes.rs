//! The files Owlery generates, as downloads: `GET /buckets/{bucket}/files/{file}` and
//! `GET /mail/{domain}/files/{file}`. The same text the pages show in their code blocks,
//! as an attachment, so it can be fetched without JavaScript (or with curl).
use app::model::bucket::GeneratedFile;
use app::model::user::Role;
use app::model::AppError;
use app::server::auth::Session;
use app::server::{buckets, db, mail, AppState};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

fn refused(session: Option<&Session>) -> Option<Response> {
    match session {
        // The session guard has refused anonymous callers already; this holds on its own.
        None => Some((StatusCode::UNAUTHORIZED, "sign in first").into_response()),
        Some(s) if !s.user.can(Role::Viewer) => {
            Some((StatusCode::FORBIDDEN, "your role does not allow this").into_response())
        }
        Some(_) => None,
    }
}

fn failed(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.to_string()).into_response()
}

/// The file named `file` among `files`, as an attachment; 404 when there is none.
fn attachment(files: Vec<GeneratedFile>, file: &str) -> Response {
    let Some(f) = files.into_iter().find(|f| f.file == file) else {
        return failed(AppError::NotFound);
    };
    (
        [
            (header::CONTENT_TYPE, f.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                // Generated names hold only DNS and access-key characters, never quotes.
                format!("attachment; filename=\"{}\"", f.file.replace(['"', '\\'], "_")),
            ),
        ],
        f.text,
    )
        .into_response()
}

pub async fn bucket_file(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Path((bucket, file)): Path<(String, String)>,
) -> Response {
    if let Some(refused) = refused(session.as_deref()) {
        return refused;
    }
    let files = async {
        let mut conn = state.db.acquire().await?;
        let b = db::buckets::get(&mut conn, &bucket).await?;
        buckets::files(&mut conn, &b).await
    };
    match files.await {
        Ok(files) => attachment(files, &file),
        Err(e) => failed(e),
    }
}

pub async fn mail_file(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Path((domain, file)): Path<(String, String)>,
) -> Response {
    if let Some(refused) = refused(session.as_deref()) {
        return refused;
    }
    let files = async {
        let mut conn = state.db.acquire().await?;
        let m = db::mail::get(&mut conn, &domain).await?;
        let (relay, signing) = mail::hops(&mut conn, &m).await?;
        Ok::<_, AppError>(mail::files(&m, &relay, &signing))
    };
    match files.await {
        Ok(files) => attachment(files, &file),
        Err(e) => failed(e),
    }
}
