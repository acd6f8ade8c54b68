//! Server-side sessions: created at sign-in, looked up per request, ended at sign-out.
use sqlx::SqlitePool;

use super::now;
use crate::model::user::{CurrentUser, Role, SessionInfo};
use crate::model::AppError;
use crate::server::state::Settings;

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    username: String,
    role: String,
    created_at: i64,
    last_seen_at: i64,
    must_enrol_totp: bool,
}

/// How long the step between password and second factor may take.
pub const PENDING_MFA_SECS: i64 = 300;

/// Starts a session. A `pending_mfa` one only opens the second-factor page.
pub async fn create(
    pool: &SqlitePool,
    token_hash: &[u8],
    user_id: i64,
    settings: &Settings,
    client_addr: &str,
    user_agent: &str,
    pending_mfa: bool,
) -> Result<(), AppError> {
    let now = now();
    let lifetime = if pending_mfa {
        PENDING_MFA_SECS
    } else {
        settings.session_max_secs
    };
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent,
             pending_mfa)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(now + lifetime)
    .bind(client_addr)
    .bind(user_agent.chars().take(200).collect::<String>())
    .bind(pending_mfa)
    .execute(pool)
    .await?;
    Ok(())
}

/// The user of a live session. Expired or idle sessions, and disabled users, give None.
/// `last_seen_at` is refreshed at most once a minute, so most requests only read.
pub async fn lookup(
    pool: &SqlitePool,
    token_hash: &[u8],
    settings: &Settings,
) -> Result<Option<CurrentUser>, AppError> {
    let now = now();
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.user_id, u.username, u.role, s.created_at, s.last_seen_at,
             (u.totp_secret IS NULL AND EXISTS
                 (SELECT 1 FROM settings WHERE key = 'require_totp' AND value = '1')) AS must_enrol_totp
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND s.pending_mfa = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if now - row.last_seen_at > settings.session_idle_secs || now - row.created_at > settings.session_max_secs
    {
        delete(pool, token_hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(now)
            .bind(token_hash)
            .execute(pool)
            .await?;
    }
    let role =
        Role::parse(&row.role).map_err(|e| crate::server::error::internal("bad role in users table", e))?;
    Ok(Some(CurrentUser {
        id: row.user_id,
        username: row.username,
        role,
        must_enrol_totp: row.must_enrol_totp,
    }))
}

/// The user waiting for their second factor in a pending session.
pub async fn lookup_pending(pool: &SqlitePool, token_hash: &[u8]) -> Result<Option<CurrentUser>, AppError> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND s.pending_mfa = 1",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(pool)
    .await?;
    row.map(|(id, username, role)| {
        let role =
            Role::parse(&role).map_err(|e| crate::server::error::internal("bad role in users table", e))?;
        Ok(CurrentUser {
            id,
            username,
            role,
            must_enrol_totp: false,
        })
    })
    .transpose()
}

pub async fn delete(pool: &SqlitePool, token_hash: &[u8]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Removes sessions past their end; run now and then by the server.
pub async fn purge_expired(pool: &SqlitePool) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    id: i64,
    token_hash: Vec<u8>,
    created_at: i64,
    last_seen_at: i64,
    client_addr: String,
    user_agent: String,
}

/// The live sessions of a user, newest first; `current` marks the one asking.
pub async fn list_for_user(
    pool: &SqlitePool,
    user_id: i64,
    current: &[u8],
) -> Result<Vec<SessionInfo>, AppError> {
    let rows: Vec<InfoRow> = sqlx::query_as(
        "SELECT rowid AS id, token_hash, created_at, last_seen_at, client_addr, user_agent
         FROM sessions WHERE user_id = ? AND expires_at > ? AND pending_mfa = 0 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            id: r.id,
            current: r.token_hash == current,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            client_addr: r.client_addr,
            user_agent: r.user_agent,
        })
        .collect())
}

/// Ends one session of `user_id`; false when it was not theirs or already gone.
pub async fn revoke(pool: &SqlitePool, user_id: i64, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE rowid = ? AND user_id = ?")
        .bind(id)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of a user (disabled, password reset), except `keep` if given.
pub async fn revoke_all(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    keep: Option<&[u8]>,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn set_flash(pool: &SqlitePool, token_hash: &[u8], json: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET flash = ? WHERE token_hash = ?")
        .bind(json)
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Returns and clears the session's flash if it belongs to `form`; another form's
/// flash stays for its own page.
pub async fn take_flash(
    pool: &SqlitePool,
    token_hash: &[u8],
    form: &str,
) -> Result<Option<String>, AppError> {
    let mut tx = super::begin(pool).await?;
    let flash: Option<Option<String>> = sqlx::query_scalar(
        "SELECT flash FROM sessions WHERE token_hash = ? AND json_extract(flash, '$.form') = ?",
    )
    .bind(token_hash)
    .bind(form)
    .fetch_optional(&mut *tx)
    .await?;
    let flash = flash.flatten();
    if flash.is_some() {
        sqlx::query("UPDATE sessions SET flash = NULL WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(flash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{test_pool, users};

    #[tokio::test]
    async fn a_session_finds_its_user_until_deleted() {
        let (pool, _dir) = test_pool().await;
        let settings = Settings::default();
        let user = users::create(&pool, "bob", "h", Role::Operator).await.unwrap();
        create(&pool, b"t1", user.id, &settings, "127.0.0.1", "test", false)
            .await
            .unwrap();
        let found = lookup(&pool, b"t1", &settings).await.unwrap();
        assert_eq!(found.map(|u| u.username), Some("bob".into()));
        delete(&pool, b"t1").await.unwrap();
        assert_eq!(lookup(&pool, b"t1", &settings).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_flash_is_read_once() {
        let (pool, _dir) = test_pool().await;
        let settings = Settings::default();
        let user = users::create(&pool, "bob", "h", Role::Admin).await.unwrap();
        create(&pool, b"t", user.id, &settings, "", "", false)
            .await
            .unwrap();
        let flash = r#"{"form":"host"}"#;
        set_flash(&pool, b"t", flash).await.unwrap();
        assert_eq!(
            take_flash(&pool, b"t", "user").await.unwrap(),
            None,
            "another form's flash stays"
        );
        assert_eq!(take_flash(&pool, b"t", "host").await.unwrap(), Some(flash.into()));
        assert_eq!(take_flash(&pool, b"t", "host").await.unwrap(), None);
    }
}
