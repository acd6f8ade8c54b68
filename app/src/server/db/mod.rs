//! Opening the SQLite database and the queries of each area.
pub mod audit;
pub mod buckets;
pub mod checks;
pub mod costs;
pub mod host_keys;
pub mod hosts;
pub mod mail;
pub mod mesh;
pub mod secrets;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod tuning;
pub mod users;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;

/// Opens (creating if needed) the database file and brings its schema up to date.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    use anyhow::Context;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .pragma("cache_size", "-2000");
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .min_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("opening database {}", path.display()))?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Applies every migration not yet applied.
pub async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    use anyhow::Context;
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .context("applying database migrations")
}

/// Starts a write transaction that holds SQLite's write lock from its first statement.
/// A deferred one that reads first and writes later fails with "database is locked"
/// when another connection wrote in between, whatever the busy timeout; every
/// read-check-write in Owlery (versions, last admin, flashes) goes through here.
pub async fn begin(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Seconds since the Unix epoch: how every timestamp is stored.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A fresh, migrated database in a temporary directory, for tests.
#[cfg(test)]
pub async fn test_pool() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = open(&dir.path().join("owlery.db")).await.expect("test database");
    (pool, dir)
}
