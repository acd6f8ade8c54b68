//! Passwords, session tokens and cookies, and who is asking.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::sync::Semaphore;

use super::error::internal;
use crate::model::user::{CurrentUser, Role};
use crate::model::AppError;

pub const SESSION_COOKIE: &str = "owlery_session";

/// A signed-in request: the user, the session it came with, and where from.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub user: CurrentUser,
    pub client_addr: String,
}

/// Password work (argon2id: 19 MiB of memory and tens of milliseconds of CPU each) that
/// may run at once. A burst of sign-ins queues here instead of holding 19 MiB per
/// request: forty concurrent wrong passwords would otherwise take 760 MiB of a 1 GB box.
/// Public so that a test can occupy every slot.
pub const PASSWORD_SLOT_COUNT: u32 = 2;
pub static PASSWORD_SLOTS: Semaphore = Semaphore::const_new(PASSWORD_SLOT_COUNT as usize);

/// How long a request waits for a slot before it is told to come back (`Busy`, 429).
pub const PASSWORD_WAIT: Duration = Duration::from_secs(3);

/// Runs `work` on a blocking thread once a password slot is free.
async fn password_work<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let slot = match tokio::time::timeout(PASSWORD_WAIT, PASSWORD_SLOTS.acquire()).await {
        Ok(Ok(slot)) => slot,
        _ => return Err(AppError::Busy),
    };
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| internal("password task failed", e))
}

/// Hashes a password with argon2id.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    password_work(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await?
    .map_err(|e| internal("password hashing failed", e))
}

/// Checks a password against a stored hash. With no hash (unknown user) it still does
/// the same work, so the response time does not tell whether the user exists.
/// `Err(Busy)` when no password slot came free in time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Vd3cMbIv5AkPaWSEJ3YHY9iIf0T4lTMzJGFQOMU0sE";
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.to_owned());
    let matches = password_work(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await?;
    Ok(matches && known)
}

/// A fresh random session or setup token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The Set-Cookie value for a session; `max_age` 0 removes it.
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The session token a request carries in its cookie, if any.
pub fn session_token(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// The session of the request being served (page render or server function).
/// The router's guard has already put it there; its absence means no sign-in.
pub fn current_session() -> Result<Session, AppError> {
    leptos::prelude::use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<Session>().cloned())
        .ok_or_else(|| with_status(AppError::Unauthorized))
}

/// The current session if its role is at least `role`.
pub fn require(role: Role) -> Result<Session, AppError> {
    let session = current_session()?;
    if session.user.can(role) {
        Ok(session)
    } else {
        Err(with_status(AppError::Forbidden))
    }
}

/// Gives the response of the running server function the error's status code (a plain
/// form post keeps the redirect back to its page instead).
pub fn with_status(error: AppError) -> AppError {
    if !is_plain_form_post() {
        if let (Some(options), Ok(code)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(error.status_code()),
        ) {
            options.set_status(code);
        }
    }
    error
}

/// True when a browser without JavaScript posted a form (so it will follow a redirect).
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(
            verify_password("correct horse battery".into(), Some(hash.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify_password("wrong horse battery".into(), Some(hash)).await,
            Ok(false)
        );
        assert_eq!(verify_password("anything".into(), None).await, Ok(false));
    }

    #[tokio::test(start_paused = true)]
    async fn a_password_check_that_finds_no_free_slot_in_time_is_told_to_come_back() {
        let _all = PASSWORD_SLOTS.acquire_many(PASSWORD_SLOT_COUNT).await.unwrap();
        let busy = verify_password("anything".into(), None).await;
        assert_eq!(busy, Err(AppError::Busy));
        assert_eq!(AppError::Busy.status_code(), 429);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_strict() {
        let c = session_cookie("abc", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(!session_cookie("abc", 60, false).contains("Secure"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; owlery_session=tok; b=2".parse().unwrap(),
        );
        assert_eq!(session_token(&h), Some("tok"));
    }
}
