//! Sign-in throttling: failures per account and per address within a window.
use sqlx::SqlitePool;

use super::now;
use crate::model::AppError;

/// How many failures a key may have in one window before sign-in is refused.
pub struct Limit {
    pub max_failures: i64,
    pub window_secs: i64,
}

pub const PER_ACCOUNT: Limit = Limit {
    max_failures: 5,
    window_secs: 15 * 60,
};
pub const PER_ADDRESS: Limit = Limit {
    max_failures: 20,
    window_secs: 15 * 60,
};

/// Seconds until `key` may try again, or None when it may try now.
pub async fn blocked_for(pool: &SqlitePool, key: &str, limit: &Limit) -> Result<Option<i64>, AppError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT failures, window_start FROM login_failures WHERE key = ?")
            .bind(key)
            .fetch_optional(pool)
            .await?;
    let now = now();
    Ok(row.and_then(|(failures, start)| {
        let left = start + limit.window_secs - now;
        (failures >= limit.max_failures && left > 0).then_some(left)
    }))
}

/// Counts one failure for `key`, starting a new window when the old one has passed.
pub async fn record_failure(pool: &SqlitePool, key: &str, limit: &Limit) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO login_failures (key, failures, window_start) VALUES (?1, 1, ?2)
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(limit.window_secs)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear(pool: &SqlitePool, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE key = ?")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn the_sixth_failure_in_a_window_blocks_and_a_success_clears() {
        let (pool, _dir) = test_pool().await;
        for _ in 0..4 {
            record_failure(&pool, "user:alice", &PER_ACCOUNT).await.unwrap();
        }
        assert_eq!(
            blocked_for(&pool, "user:alice", &PER_ACCOUNT).await.unwrap(),
            None
        );
        record_failure(&pool, "user:alice", &PER_ACCOUNT).await.unwrap();
        let left = blocked_for(&pool, "user:alice", &PER_ACCOUNT).await.unwrap();
        assert!(left.is_some_and(|s| s > 0 && s <= 900), "{left:?}");
        clear(&pool, "user:alice").await.unwrap();
        assert_eq!(
            blocked_for(&pool, "user:alice", &PER_ACCOUNT).await.unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn an_expired_window_starts_counting_again() {
        let (pool, _dir) = test_pool().await;
        for _ in 0..5 {
            record_failure(&pool, "addr:192.0.2.1", &PER_ACCOUNT)
                .await
                .unwrap();
        }
        sqlx::query("UPDATE login_failures SET window_start = window_start - 901")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            blocked_for(&pool, "addr:192.0.2.1", &PER_ACCOUNT).await.unwrap(),
            None
        );
        record_failure(&pool, "addr:192.0.2.1", &PER_ACCOUNT)
            .await
            .unwrap();
        let failures: i64 = sqlx::query_scalar("SELECT failures FROM login_failures")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(failures, 1);
    }
}
