//! Server-side sessions: created at sign-in, looked up per request, ended at sign-out.
use sqlx::SqlitePool;

use super::now;
use crate::model::user::{CurrentUser, Role};
use crate::model::AppError;
use crate::server::state::Settings;

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    username: String,
    role: String,
    created_at: i64,
    last_seen_at: i64,
}

pub async fn create(
    pool: &SqlitePool,
    token_hash: &[u8],
    user_id: i64,
    settings: &Settings,
    client_addr: &str,
    user_agent: &str,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(now + settings.session_max_secs)
    .bind(client_addr)
    .bind(user_agent.chars().take(200).collect::<String>())
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
        "SELECT s.user_id, u.username, u.role, s.created_at, s.last_seen_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
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
    }))
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

pub async fn set_flash(pool: &SqlitePool, token_hash: &[u8], json: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET flash = ? WHERE token_hash = ?")
        .bind(json)
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Returns and clears the session's flash.
pub async fn take_flash(pool: &SqlitePool, token_hash: &[u8]) -> Result<Option<String>, AppError> {
    let mut tx = pool.begin().await?;
    let flash: Option<Option<String>> = sqlx::query_scalar("SELECT flash FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
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
        create(&pool, b"t1", user.id, &settings, "127.0.0.1", "test")
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
        create(&pool, b"t", user.id, &settings, "", "").await.unwrap();
        set_flash(&pool, b"t", "{}").await.unwrap();
        assert_eq!(take_flash(&pool, b"t").await.unwrap(), Some("{}".into()));
        assert_eq!(take_flash(&pool, b"t").await.unwrap(), None);
    }
}
