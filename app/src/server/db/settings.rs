//! Console-wide settings as key/value rows.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::AppError;

pub const REQUIRE_TOTP: &str = "require_totp";

pub async fn get_flag(pool: &SqlitePool, key: &str) -> Result<bool, AppError> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(value.as_deref() == Some("1"))
}

pub async fn set_flag(conn: &mut SqliteConnection, key: &str, on: bool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3",
    )
    .bind(key)
    .bind(if on { "1" } else { "0" })
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}
