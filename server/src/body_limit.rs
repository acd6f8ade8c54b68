//! How large a request body may be, checked before anything reads it.
//!
//! Leptos reads a server function's whole body before the function can look at its
//! size, so without a cap any signed-in viewer could make the server hold a gigabyte.
//! Every server function gets a small limit, the few that take a file (an inventory,
//! a runbook, known_hosts, invoices as CSV, .env files, an SSH key) a larger one. A body
//! over its limit is refused with 413 as soon as its declared length or its first bytes
//! past the limit are seen; the rest is never read.
use app::api::{checks, costs, env_merge, inventory, runbooks, ssh};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use leptos::server_fn::ServerFn;

/// Any server function: forms of a few fields, a secret of at most 64 KiB url-encoded.
pub const SMALL: usize = 256 * 1024;
/// The server functions that take a whole file.
pub const FILES: usize = 4 * 1024 * 1024;

const FILE_FUNCTIONS: &[&str] = &[
    inventory::PreviewImport::PATH,
    runbooks::ImportRunbook::PATH,
    ssh::ImportKnownHosts::PATH,
    ssh::ImportSshIdentity::PATH,
    costs::ImportInvoices::PATH,
    env_merge::MergeEnv::PATH,
    checks::CheckEnv::PATH,
];

/// The limit for a server function's path.
pub fn limit_for(path: &str) -> usize {
    if FILE_FUNCTIONS.contains(&path) {
        FILES
    } else {
        SMALL
    }
}

/// Collects a server function's body up to its limit, or answers 413. Other routes
/// read their bodies with axum's extractors, which have a limit of their own.
pub async fn limit_body(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let limit = limit_for(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return too_large(limit);
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => return too_large(limit),
        Err(e) => {
            tracing::warn!("reading a request body failed: {e}");
            return (StatusCode::BAD_REQUEST, "the request body could not be read").into_response();
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn too_large(limit: usize) -> Response {
    let message = format!("the request is too large: at most {} KiB here", limit / 1024);
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        message,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_imports_get_the_larger_limit_and_everything_else_the_small_one() {
        assert_eq!(limit_for(inventory::PreviewImport::PATH), FILES);
        assert_eq!(limit_for(costs::ImportInvoices::PATH), FILES);
        assert_eq!(limit_for(app::api::hosts::CreateHost::PATH), SMALL);
        assert_eq!(limit_for("/api/unknown"), SMALL);
    }
}
