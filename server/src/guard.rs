//! Guards every request passes: a session for everything not public, a same-origin
//! check for every state-changing request, and security headers on every response.
use app::domain::url::encode_path;
use app::server::auth::{self, Session};
use app::server::{db, AppState};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// Paths reachable without signing in: sign-in itself, setup, health, static assets.
pub fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/health"
            | "/login"
            | "/login/totp"
            | "/setup"
            | "/auth/login"
            | "/auth/totp"
            | "/auth/setup"
            | "/favicon.ico"
            | "/favicon.svg"
            | "/nav.js"
    ) || path.starts_with("/pkg/")
}

pub fn client_addr(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// A state-changing request must come from a page of this site: when the browser says
/// where it comes from (Origin, else Sec-Fetch-Site), it must be this host.
fn same_origin(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let authority = origin.split_once("://").map(|(_, rest)| rest);
        return matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h));
    }
    match req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

pub async fn require_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !same_origin(&req) {
        tracing::warn!(path = req.uri().path(), "refused a cross-origin request");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    let path = req.uri().path().to_owned();
    if is_public(&path) {
        return next.run(req).await;
    }
    let session = match auth::session_token(req.headers()) {
        Some(token) => {
            let token_hash = auth::token_hash(token);
            match db::sessions::lookup(&state.db, &token_hash, &state.settings).await {
                Ok(Some(user)) => Some(Session {
                    token_hash,
                    user,
                    client_addr: client_addr(&req),
                }),
                Ok(None) => None,
                Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
            }
        }
        None => None,
    };
    match session {
        Some(session) => {
            if let Some(refused) = server_fn_refusal(&path, &session) {
                return refused;
            }
            if session.user.must_enrol_totp && !allowed_before_enrolment(&path) {
                return if path.starts_with("/api/") {
                    (StatusCode::FORBIDDEN, "set up two-factor sign-in first").into_response()
                } else {
                    Redirect::to("/account?require=totp#totp").into_response()
                };
            }
            req.extensions_mut().insert(session);
            req.extensions_mut()
                .insert(app::server::forms::TakenFlashes::default());
            next.run(req).await
        }
        None if path.starts_with("/api/") => (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        None if *req.method() == Method::GET || *req.method() == Method::HEAD => {
            let wanted = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = if wanted == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={}", encode_path(wanted))
            };
            Redirect::to(&target).into_response()
        }
        None => Redirect::to("/login").into_response(),
    }
}

/// Until a user who must enrol a second factor has done so, only their account page,
/// the calls it makes, and signing out work.
fn allowed_before_enrolment(path: &str) -> bool {
    matches!(path, "/account" | "/auth/logout") || app::api::allowed_before_enrolment(path)
}

/// Server functions are refused before their arguments are read when the caller's
/// role is too low, and refused outright when they are missing from the role table.
fn server_fn_refusal(path: &str, session: &Session) -> Option<Response> {
    if !path.starts_with("/api/") {
        return None;
    }
    match app::api::required_role(path) {
        Some(role) if session.user.can(role) => None,
        Some(_) => Some((StatusCode::FORBIDDEN, "your role does not allow this").into_response()),
        None => {
            tracing::error!(path, "server function missing from the role table");
            Some((StatusCode::FORBIDDEN, "not allowed").into_response())
        }
    }
}

/// Responses that are not pages (server functions, assets, redirects) run nothing.
const NON_PAGE_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The nonce of the page a request may render. This middleware makes it, Leptos puts it
/// on its scripts (`provide_page_nonce`), and the response's policy names it. Decided
/// here rather than through Leptos's `ResponseOptions`, whose headers were now and then
/// missing from a page rendered while other requests ran (seen in the browser tests).
#[derive(Clone)]
pub struct PageNonce(Arc<str>);

impl PageNonce {
    fn new() -> Self {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        PageNonce(URL_SAFE_NO_PAD.encode(bytes).into())
    }
}

/// Called before a page renders: its scripts carry the nonce this request was given.
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(PageNonce(nonce)) =
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// A page's Content-Security-Policy: scripts only from this site or carrying the page's
/// nonce (the hydration script), wasm allowed to compile, nothing framed or embedded.
fn page_csp(nonce: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    ))
    .ok()
}

/// Headers every response carries, the same on every route.
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/");
    let nonce = PageNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let policy = is_page
        .then(|| page_csp(&nonce.0))
        .flatten()
        .unwrap_or(HeaderValue::from_static(NON_PAGE_CSP));
    h.insert(header::CONTENT_SECURITY_POLICY, policy);
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.settings.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}
