//! Users: creating them and finding them at sign-in.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::user::{CurrentUser, Role, UserSummary};
use crate::model::AppError;
use crate::server::error::is_unique_violation;
use crate::server::secrets::cipher::Sealed;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    role: String,
    password_hash: String,
    disabled: i64,
    totp: bool,
}

/// A user as sign-in sees them: who, their hash, whether they may sign in.
pub struct Credentials {
    pub user: CurrentUser,
    pub password_hash: String,
    pub disabled: bool,
    pub totp: bool,
}

fn role_of(s: &str) -> Result<Role, AppError> {
    Role::parse(s).map_err(|e| crate::server::error::internal("bad role in users table", e))
}

pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await?)
}

pub async fn create(
    conn: impl sqlx::SqliteExecutor<'_>,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<CurrentUser, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now())
    .fetch_one(conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("username", format!("a user named {username} already exists"))
        } else {
            e.into()
        }
    })?;
    Ok(CurrentUser {
        id,
        username: username.to_owned(),
        role,
        must_enrol_totp: false,
    })
}

pub async fn find_credentials(pool: &SqlitePool, username: &str) -> Result<Option<Credentials>, AppError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, username, role, password_hash, disabled, totp_secret IS NOT NULL AS totp
             FROM users WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(Credentials {
            user: CurrentUser {
                id: r.id,
                username: r.username,
                role: role_of(&r.role)?,
                must_enrol_totp: false,
            },
            password_hash: r.password_hash,
            disabled: r.disabled != 0,
            totp: r.totp,
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    username: String,
    role: String,
    disabled: i64,
    totp: i64,
    created_at: i64,
    last_seen_at: Option<i64>,
    sessions: i64,
}

const SUMMARY: &str = "SELECT u.id, u.username, u.role, u.disabled, u.created_at,
        (u.totp_secret IS NOT NULL) AS totp,
        (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_seen_at,
        (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > unixepoch()) AS sessions
    FROM users u";

fn summary(r: SummaryRow) -> Result<UserSummary, AppError> {
    Ok(UserSummary {
        id: r.id,
        username: r.username,
        role: role_of(&r.role)?,
        disabled: r.disabled != 0,
        totp: r.totp != 0,
        created_at: r.created_at,
        last_seen_at: r.last_seen_at,
        sessions: r.sessions,
    })
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<UserSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} ORDER BY u.username")))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(summary).collect()
}

pub async fn get(conn: &mut SqliteConnection, username: &str) -> Result<UserSummary, AppError> {
    let row: SummaryRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE u.username = ?")))
        .bind(username)
        .fetch_one(conn)
        .await?;
    summary(row)
}

/// Enabled admins other than `except`: the last one may not be demoted or disabled.
pub async fn other_enabled_admins(conn: &mut SqliteConnection, except: i64) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?")
            .bind(except)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_role_and_disabled(
    conn: &mut SqliteConnection,
    id: i64,
    role: Role,
    disabled: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET role = ?, disabled = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(disabled)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password_hash(conn: &mut SqliteConnection, id: i64, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn password_hash(pool: &SqlitePool, id: i64) -> Result<String, AppError> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?)
}

/// The sealed TOTP secret of a user, if they have a second factor.
pub async fn totp_secret(pool: &SqlitePool, id: i64) -> Result<Option<Sealed>, AppError> {
    #[derive(sqlx::FromRow)]
    struct TotpRow {
        totp_nonce: Option<Vec<u8>>,
        totp_secret: Option<Vec<u8>>,
    }
    let row: Option<TotpRow> = sqlx::query_as("SELECT totp_nonce, totp_secret FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.and_then(|r| {
        Some(Sealed {
            nonce: r.totp_nonce?,
            ciphertext: r.totp_secret?,
        })
    }))
}

/// Sets (or with None removes) the second factor and its recovery code hashes.
pub async fn set_totp(
    conn: &mut SqliteConnection,
    id: i64,
    sealed: Option<&Sealed>,
    recovery_hashes: &[String],
) -> Result<(), AppError> {
    let codes = serde_json::to_string(recovery_hashes)
        .map_err(|e| crate::server::error::internal("encoding recovery codes", e))?;
    sqlx::query("UPDATE users SET totp_nonce = ?, totp_secret = ?, recovery_codes = ? WHERE id = ?")
        .bind(sealed.map(|s| s.nonce.clone()))
        .bind(sealed.map(|s| s.ciphertext.clone()))
        .bind(codes)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses up a recovery code: true when its hash was one of the user's unused codes.
pub async fn take_recovery_code(pool: &SqlitePool, id: i64, hash: &str) -> Result<bool, AppError> {
    let mut tx = super::begin(pool).await?;
    let json: String = sqlx::query_scalar("SELECT recovery_codes FROM users WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let mut hashes: Vec<String> = serde_json::from_str(&json).unwrap_or_default();
    let before = hashes.len();
    hashes.retain(|h| h != hash);
    if hashes.len() == before {
        return Ok(false);
    }
    let json =
        serde_json::to_string(&hashes).map_err(|e| crate::server::error::internal("recovery codes", e))?;
    sqlx::query("UPDATE users SET recovery_codes = ? WHERE id = ?")
        .bind(json)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn a_second_user_with_the_same_name_in_other_case_is_refused() {
        let (pool, _dir) = test_pool().await;
        create(&pool, "alice", "h", Role::Admin).await.unwrap();
        let err = create(&pool, "ALICE", "h", Role::Viewer).await.unwrap_err();
        assert!(err.field_message("username").is_some(), "{err:?}");
        assert_eq!(count(&pool).await.unwrap(), 1);
    }
}
