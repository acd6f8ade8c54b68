//! Sign-in, sign-out and first-run setup as plain form posts (no JavaScript needed).
use app::model::user::{check_password, parse_username, Role};
use app::model::AppError;
use app::server::db::throttle::{self, Limit};
use app::server::{auth, db, mfa, AppState};
use axum::extract::FromRequest;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use crate::guard::client_addr;
use app::domain::url::{encode_component, encode_path};

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after sign-in, never another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// Starts a session for `user_id` and redirects to `to` with the cookie set. A
/// `pending_mfa` session only lets the user give their second factor.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    addr: &str,
    user_id: i64,
    to: &str,
    pending_mfa: bool,
) -> Response {
    let token = auth::new_token();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token_hash = auth::token_hash(&token);
    let created = db::sessions::create(
        &state.db,
        &token_hash,
        user_id,
        &state.settings,
        addr,
        agent,
        pending_mfa,
    )
    .await;
    if let Err(e) = created {
        tracing::error!("creating a session failed: {e}");
        return Redirect::to("/login?error=internal").into_response();
    }
    let max_age = if pending_mfa {
        db::sessions::PENDING_MFA_SECS
    } else {
        state.settings.session_max_secs
    };
    let cookie = auth::session_cookie(&token, max_age, state.settings.secure_cookies);
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Seconds the account or the address must wait before trying again, if any.
async fn throttled(state: &AppState, keys: &[(String, &Limit)]) -> Result<Option<i64>, ()> {
    let mut wait = None;
    for (key, limit) in keys {
        match throttle::blocked_for(&state.db, key, limit).await {
            Ok(left) => wait = wait.max(left),
            Err(_) => return Err(()),
        }
    }
    Ok(wait)
}

/// Every password slot stayed busy (a burst of sign-ins): 429, and when to come back.
/// A small page of its own, so that a browser without JavaScript shows it as it is.
fn busy_response() -> Response {
    const PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Busy</title><link rel=\"stylesheet\" href=\"/pkg/owlery.css\"></head>\
        <body><main class=\"auth\"><div class=\"card\"><h1>Busy</h1>\
        <p role=\"alert\">The server is checking many sign-ins at once. Try again in a few seconds.</p>\
        <p><a href=\"/login\">Back to sign in</a></p></div></main></body></html>";
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::RETRY_AFTER, BUSY_RETRY_SECS.to_string()),
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
        ],
        PAGE,
    )
        .into_response()
}

/// What a refused sign-in is told to wait: about the time a full queue takes to drain.
const BUSY_RETRY_SECS: u64 = 5;

fn throttled_redirect(username: &str, wait_secs: i64) -> Response {
    let minutes = (wait_secs + 59) / 60;
    let to = format!(
        "/login?error=throttled&wait={minutes}&username={}",
        encode_component(username)
    );
    Redirect::to(&to).into_response()
}

pub async fn login(State(state): State<AppState>, req: Request) -> Response {
    let addr = client_addr(&req);
    let headers = req.headers().clone();
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login?error=invalid").into_response();
    };
    let username = form.username.trim().to_owned();
    let keys = [
        (
            format!("user:{}", username.to_lowercase()),
            &throttle::PER_ACCOUNT,
        ),
        (format!("addr:{addr}"), &throttle::PER_ADDRESS),
    ];
    match throttled(&state, &keys).await {
        Ok(None) => {}
        Ok(Some(wait)) => {
            tracing::warn!(%username, %addr, "sign-in throttled");
            return throttled_redirect(&username, wait);
        }
        Err(()) => return Redirect::to("/login?error=internal").into_response(),
    }
    let credentials = match db::users::find_credentials(&state.db, &username).await {
        Ok(c) => c.filter(|c| !c.disabled),
        Err(_) => return Redirect::to("/login?error=internal").into_response(),
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = match auth::verify_password(form.password, hash).await {
        Ok(verified) => verified,
        Err(AppError::Busy) => {
            tracing::warn!(?username, %addr, "sign-in refused: every password slot is busy");
            return busy_response();
        }
        Err(_) => return Redirect::to("/login?error=internal").into_response(),
    };
    match credentials {
        Some(c) if verified => {
            if let Err(e) = throttle::clear(&state.db, &keys[0].0).await {
                tracing::error!("clearing sign-in failures failed: {e}");
            }
            let next = safe_next(&form.next);
            if c.totp {
                tracing::info!(user = %c.user.username, %addr, "password accepted, second factor next");
                let to = format!("/login/totp?next={}", encode_path(next));
                return start_session(&state, &headers, &addr, c.user.id, &to, true).await;
            }
            tracing::info!(user = %c.user.username, %addr, "signed in");
            start_session(&state, &headers, &addr, c.user.id, next, false).await
        }
        _ => {
            tracing::info!(%username, %addr, "sign-in refused");
            for (key, limit) in &keys {
                if let Err(e) = throttle::record_failure(&state.db, key, limit).await {
                    tracing::error!("counting a sign-in failure failed: {e}");
                }
            }
            if let Ok(Some(wait)) = throttled(&state, &keys).await {
                return throttled_redirect(&username, wait);
            }
            let to = format!(
                "/login?error=invalid&username={}&next={}",
                encode_component(&username),
                encode_path(&form.next)
            );
            Redirect::to(&to).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct TotpForm {
    code: String,
    #[serde(default)]
    next: String,
}

/// Sign-in, step two: the pending session becomes a real one (with a new token) when
/// the code or a recovery code is right. Wrong codes are throttled like passwords.
pub async fn totp(State(state): State<AppState>, req: Request) -> Response {
    let addr = client_addr(&req);
    let headers = req.headers().clone();
    let Ok(Form(form)) = Form::<TotpForm>::from_request(req, &state).await else {
        return Redirect::to("/login/totp?error=invalid").into_response();
    };
    let Some(token_hash) = auth::session_token(&headers).map(auth::token_hash) else {
        return Redirect::to("/login?error=expired").into_response();
    };
    let user = match db::sessions::lookup_pending(&state.db, &token_hash).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login?error=expired").into_response(),
        Err(_) => return Redirect::to("/login?error=internal").into_response(),
    };
    let key = (format!("totp:{}", user.id), &throttle::PER_ACCOUNT);
    if !matches!(throttled(&state, std::slice::from_ref(&key)).await, Ok(None)) {
        return Redirect::to("/login/totp?error=throttled").into_response();
    }
    match mfa::verify_login(&state.db, &state.master_key, user.id, &form.code).await {
        Ok(true) => {
            if let Err(e) = db::sessions::delete(&state.db, &token_hash).await {
                tracing::error!("ending a pending session failed: {e}");
            }
            let _ = throttle::clear(&state.db, &key.0).await;
            tracing::info!(user = %user.username, %addr, "signed in with a second factor");
            start_session(&state, &headers, &addr, user.id, safe_next(&form.next), false).await
        }
        Ok(false) => {
            tracing::info!(user = %user.username, %addr, "wrong second factor");
            let _ = throttle::record_failure(&state.db, &key.0, key.1).await;
            let to = format!("/login/totp?error=invalid&next={}", encode_path(&form.next));
            Redirect::to(&to).into_response()
        }
        Err(_) => Redirect::to("/login?error=internal").into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = auth::session_token(&headers) {
        if let Err(e) = db::sessions::delete(&state.db, &auth::token_hash(token)).await {
            tracing::error!("ending a session failed: {e}");
        }
    }
    let cookie = auth::session_cookie("", 0, state.settings.secure_cookies);
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/login?notice=signed-out"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct SetupForm {
    token: String,
    username: String,
    password: String,
    password_confirm: String,
}

pub async fn setup(State(state): State<AppState>, req: Request) -> Response {
    let addr = client_addr(&req);
    let headers = req.headers().clone();
    let Ok(Form(form)) = Form::<SetupForm>::from_request(req, &state).await else {
        return Redirect::to("/setup?error=token").into_response();
    };
    let back = |code: &str| {
        Redirect::to(&format!(
            "/setup?error={code}&username={}",
            encode_component(form.username.trim())
        ))
        .into_response()
    };
    match db::users::count(&state.db).await {
        Ok(0) => {}
        Ok(_) => return Redirect::to("/setup?error=done").into_response(),
        Err(_) => return back("internal"),
    }
    let Ok(username) = parse_username(&form.username) else {
        return back("username");
    };
    if check_password(&form.password).is_err() {
        return back("password");
    }
    if form.password != form.password_confirm {
        return back("mismatch");
    }
    if !state.setup.redeem(&form.token) {
        tracing::warn!(%addr, "setup refused: wrong token");
        return back("token");
    }
    let created = match auth::hash_password(form.password).await {
        Ok(hash) => db::users::create(&state.db, &username, &hash, Role::Admin).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(user) => {
            tracing::info!(user = %user.username, %addr, "first admin created through /setup");
            start_session(&state, &headers, &addr, user.id, "/", false).await
        }
        Err(_) => {
            state.setup.restore(&form.token);
            back("internal")
        }
    }
}
