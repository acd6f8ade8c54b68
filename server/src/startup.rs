//! The HTTP router: pages, server functions, sign-in routes, static files, guards.
use app::server::{auth, db, AppState};
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::compression::CompressionLayer;

use crate::{
    audit_export, auth_routes, body_limit, cost_export, env_merge_route, file_routes, guard,
    inventory_routes, job_routes, runbook_routes,
};

/// Routes served by axum itself rather than by the Leptos app, with whether each is
/// reachable without a session. The guard test walks this list.
pub const AXUM_ROUTES: &[(&str, &str, bool)] = &[
    ("GET", "/health", true),
    ("POST", "/auth/login", true),
    ("POST", "/auth/totp", true),
    ("POST", "/auth/setup", true),
    ("POST", "/auth/logout", false),
    ("GET", "/api/{*fn_name}", false),
    ("GET", "/audit.csv", false),
    ("GET", "/costs.csv", false),
    ("GET", "/jobs/{id}/events", false),
    ("GET", "/jobs/{id}/log.txt", false),
    ("POST", "/runs/{id}/env-merge/download", false),
    ("GET", "/inventory/export.toml", false),
    ("GET", "/runbooks/{slug}/export.toml", false),
    ("GET", "/buckets/{bucket}/files/{file}", false),
    ("GET", "/mail/{domain}/files/{file}", false),
];

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/health", get(health))
        .route("/auth/login", post(auth_routes::login))
        .route("/auth/setup", post(auth_routes::setup))
        .route("/auth/totp", post(auth_routes::totp))
        .route("/auth/logout", post(auth_routes::logout))
        .route("/api/{*fn_name}", get(server_fn).post(server_fn))
        .route("/audit.csv", get(audit_export::export))
        .route("/costs.csv", get(cost_export::export))
        .route("/jobs/{id}/events", get(job_routes::events))
        .route("/jobs/{id}/log.txt", get(job_routes::log_text))
        .route("/runs/{id}/env-merge/download", post(env_merge_route::download))
        .route("/inventory/export.toml", get(inventory_routes::export))
        .route("/runbooks/{slug}/export.toml", get(runbook_routes::export))
        .route("/buckets/{bucket}/files/{file}", get(file_routes::bucket_file))
        .route("/mail/{domain}/files/{file}", get(file_routes::mail_file))
        .leptos_routes_with_context(&state, routes, page_context(state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            page_context(state.clone()),
            shell,
        ))
        // Inside the session guard: an anonymous body is refused before it is read.
        .layer(axum::middleware::from_fn(body_limit::limit_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::require_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// What every rendered page can reach: the server's state, and its request's nonce.
fn page_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        guard::provide_page_nonce();
    }
}

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// Liveness for monitors and load balancers: no session needed, no details leaked.
async fn health(State(state): State<AppState>) -> Response {
    let database = sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await
        .is_ok();
    let status = if database { "ok" } else { "degraded" };
    let code = if database { 200 } else { 503 };
    let body = Json(
        serde_json::json!({ "status": status, "database": database, "version": env!("CARGO_PKG_VERSION") }),
    );
    (axum::http::StatusCode::from_u16(code).unwrap_or_default(), body).into_response()
}

/// Opens the first-run setup when no user exists: the one-time token goes to the log
/// (and is returned).
pub async fn open_setup_if_needed(state: &AppState) -> anyhow::Result<Option<String>> {
    let users = db::users::count(&state.db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if users == 0 {
        let token = auth::new_token();
        state.setup.open(token.clone());
        tracing::warn!(
            "no users yet: open /setup and enter the one-time token {token} \
             (or run `owlery user add NAME --role admin --password-stdin`)"
        );
        return Ok(Some(token));
    }
    Ok(None)
}

pub async fn serve(state: AppState, bind: SocketAddr) -> anyhow::Result<()> {
    use anyhow::Context;
    open_setup_if_needed(&state).await?;
    let (pool, settings) = (state.db.clone(), state.settings.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = db::sessions::purge_expired(&pool).await {
                tracing::warn!("purging expired sessions failed: {e}");
            }
            let cutoff = db::now() - settings.job_retention_days.saturating_mul(86_400);
            match app::server::jobs::store::prune(&pool, cutoff, settings.job_log_budget_bytes).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "old jobs removed (log retention)"),
                Err(e) => tracing::warn!("removing old jobs failed: {e}"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    tracing::info!("Owlery listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
