//! Sign-in, sign-out and first-run setup as plain form posts (no JavaScript needed).
use app::model::user::{check_password, parse_username, Role};
use app::server::{auth, db, AppState};
use axum::extract::FromRequest;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use crate::guard::{client_addr, encode_component};

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

/// Starts a session for `user_id` and redirects to `to` with the cookie set.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    addr: &str,
    user_id: i64,
    to: &str,
) -> Response {
    let token = auth::new_token();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Err(e) = db::sessions::create(
        &state.db,
        &auth::token_hash(&token),
        user_id,
        &state.settings,
        addr,
        agent,
    )
    .await
    {
        tracing::error!("creating a session failed: {e}");
        return Redirect::to("/login?error=internal").into_response();
    }
    let cookie = auth::session_cookie(
        &token,
        state.settings.session_max_secs,
        state.settings.secure_cookies,
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

pub async fn login(State(state): State<AppState>, req: Request) -> Response {
    let addr = client_addr(&req);
    let headers = req.headers().clone();
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login?error=invalid").into_response();
    };
    let credentials = match db::users::find_credentials(&state.db, form.username.trim()).await {
        Ok(c) => c.filter(|c| !c.disabled),
        Err(_) => return Redirect::to("/login?error=internal").into_response(),
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let user = credentials.map(|c| c.user);
    match user {
        Some(user) if auth::verify_password(form.password, hash).await => {
            tracing::info!(user = %user.username, %addr, "signed in");
            start_session(&state, &headers, &addr, user.id, safe_next(&form.next)).await
        }
        _ => {
            tracing::info!(username = %form.username, %addr, "sign-in refused");
            let to = format!(
                "/login?error=invalid&username={}&next={}",
                encode_component(form.username.trim()),
                encode_component(&form.next)
            );
            Redirect::to(&to).into_response()
        }
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
            start_session(&state, &headers, &addr, user.id, "/").await
        }
        Err(_) => {
            state.setup.restore(&form.token);
            back("internal")
        }
    }
}
