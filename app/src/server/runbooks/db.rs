//! Runbooks, runs and run steps in SQLite.
use sqlx::{SqliteConnection, SqlitePool};

use crate::api::runbooks::RunbookItem;
use crate::model::runbook::Runbook;
use crate::model::runbook_run::{RunSummary, StepState};
use crate::model::AppError;
use crate::server::db::now;
use crate::server::error::is_unique_violation;

/// A runbook row: its file and what the list shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub slug: String,
    pub source: String,
    pub builtin: bool,
    pub version: i64,
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<RunbookItem>, AppError> {
    let rows: Vec<(String, String, String, bool, i64)> = sqlx::query_as(
        "SELECT slug, title, summary, builtin, version FROM runbooks ORDER BY builtin DESC, title, slug",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, summary, builtin, version)| RunbookItem {
            slug,
            title,
            summary,
            builtin,
            version,
        })
        .collect())
}

pub async fn get(conn: &mut SqliteConnection, slug: &str) -> Result<Stored, AppError> {
    Ok(
        sqlx::query_as("SELECT id, slug, source, builtin, version FROM runbooks WHERE slug = ?")
            .bind(slug)
            .fetch_one(conn)
            .await?,
    )
}

fn slug_taken(slug: &str) -> AppError {
    AppError::field("source", format!("a runbook with the slug {slug} exists already"))
}

pub async fn insert(
    conn: &mut SqliteConnection,
    r: &Runbook,
    source: &str,
    builtin: bool,
) -> Result<i64, AppError> {
    let now = now();
    sqlx::query_scalar(
        "INSERT INTO runbooks (slug, title, summary, source, builtin, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&r.slug)
    .bind(&r.title)
    .bind(&r.summary)
    .bind(source)
    .bind(builtin)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| match is_unique_violation(&e) {
        true => slug_taken(&r.slug),
        false => e.into(),
    })
}

/// Replaces a runbook's file if it is still at `version`; returns the row before.
pub async fn update(
    conn: &mut SqliteConnection,
    slug: &str,
    r: &Runbook,
    source: &str,
    version: i64,
) -> Result<Stored, AppError> {
    let before = get(&mut *conn, slug).await?;
    if before.version != version {
        return Err(AppError::Conflict(
            "Someone changed this runbook meanwhile; reload to see their version.".into(),
        ));
    }
    sqlx::query(
        "UPDATE runbooks SET slug = ?, title = ?, summary = ?, source = ?, version = version + 1,
             updated_at = ? WHERE id = ?",
    )
    .bind(&r.slug)
    .bind(&r.title)
    .bind(&r.summary)
    .bind(source)
    .bind(now())
    .bind(before.id)
    .execute(conn)
    .await
    .map_err(|e| match is_unique_violation(&e) {
        true => slug_taken(&r.slug),
        false => e.into(),
    })?;
    Ok(before)
}

pub async fn delete(conn: &mut SqliteConnection, slug: &str, version: i64) -> Result<Stored, AppError> {
    let before = get(&mut *conn, slug).await?;
    if before.version != version {
        return Err(AppError::Conflict(
            "Someone changed this runbook meanwhile; reload before deleting it.".into(),
        ));
    }
    sqlx::query("DELETE FROM runbooks WHERE id = ?")
        .bind(before.id)
        .execute(conn)
        .await?;
    Ok(before)
}

/// True when this exact file is stored as a built-in runbook.
pub async fn builtin_is_stored(pool: &SqlitePool, source: &str) -> Result<bool, AppError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM runbooks WHERE builtin = 1 AND source = ?1 LIMIT 1")
            .bind(source)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// Writes a shipped runbook; returns whether anything changed.
pub async fn upsert_builtin(
    conn: &mut SqliteConnection,
    r: &Runbook,
    source: &str,
) -> Result<bool, AppError> {
    let now = now();
    let changed = sqlx::query(
        "INSERT INTO runbooks (slug, title, summary, source, builtin, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
         ON CONFLICT (slug) DO UPDATE SET title = ?2, summary = ?3, source = ?4, builtin = 1,
             version = version + 1, updated_at = ?5
         WHERE runbooks.source <> ?4 OR runbooks.builtin = 0",
    )
    .bind(&r.slug)
    .bind(&r.title)
    .bind(&r.summary)
    .bind(source)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// A run as stored, with the file it was started from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub id: i64,
    pub runbook_slug: String,
    pub title: String,
    pub source: String,
    pub params: String,
    pub state: String,
    pub started_by: String,
    pub started_by_id: Option<i64>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub version: i64,
}

const RUN: &str = "SELECT id, runbook_slug, title, source, params, state, started_by, started_by_id,
    created_at, finished_at, version FROM runs";

pub async fn run(conn: &mut SqliteConnection, id: i64) -> Result<RunRow, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{RUN} WHERE id = ?")))
        .bind(id)
        .fetch_one(conn)
        .await?)
}

/// One step of a run as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub position: i64,
    pub step_id: String,
    pub state: String,
    pub reason: String,
    pub actor: Option<String>,
    pub acted_at: Option<i64>,
    pub job_id: Option<i64>,
    pub attempts: i64,
}

impl StepRow {
    pub fn state(&self) -> StepState {
        StepState::parse(&self.state).unwrap_or(StepState::Failed)
    }
}

pub async fn steps(conn: &mut SqliteConnection, run: i64) -> Result<Vec<StepRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT position, step_id, state, reason, actor, acted_at, job_id, attempts
         FROM run_steps WHERE run_id = ? ORDER BY position",
    )
    .bind(run)
    .fetch_all(conn)
    .await?)
}

/// A new run with every step pending, in the caller's transaction.
pub async fn insert_run(
    conn: &mut SqliteConnection,
    (slug, title, source): (&str, &str, &str),
    params: &str,
    step_ids: &[String],
    (by, by_id): (&str, Option<i64>),
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO runs (runbook_slug, title, source, params, state, started_by, started_by_id, created_at)
         VALUES (?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id",
    )
    .bind(slug)
    .bind(title)
    .bind(source)
    .bind(params)
    .bind(by)
    .bind(by_id)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    for (position, step) in step_ids.iter().enumerate() {
        sqlx::query("INSERT INTO run_steps (run_id, position, step_id, state) VALUES (?, ?, ?, 'pending')")
            .bind(id)
            .bind(position as i64)
            .bind(step)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// A step's new state. `job` replaces the job id when given; `attempt` counts one more.
pub struct StepUpdate<'a> {
    pub state: StepState,
    pub reason: &'a str,
    pub actor: &'a str,
    pub job: Option<i64>,
    pub attempt: bool,
}

/// Saves a step's state and bumps the run (done when every step is settled).
pub async fn set_step(
    conn: &mut SqliteConnection,
    run: i64,
    position: usize,
    u: &StepUpdate<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE run_steps SET state = ?, reason = ?, actor = ?, acted_at = ?,
             job_id = coalesce(?, job_id), attempts = attempts + ?
         WHERE run_id = ? AND position = ?",
    )
    .bind(u.state.as_str())
    .bind(u.reason)
    .bind(u.actor)
    .bind(now())
    .bind(u.job)
    .bind(i64::from(u.attempt))
    .bind(run)
    .bind(position as i64)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE runs SET version = version + 1,
             state = CASE WHEN EXISTS (SELECT 1 FROM run_steps WHERE run_id = ?1
                 AND state NOT IN ('passed', 'skipped', 'approved')) THEN 'active' ELSE 'done' END,
             finished_at = CASE WHEN EXISTS (SELECT 1 FROM run_steps WHERE run_id = ?1
                 AND state NOT IN ('passed', 'skipped', 'approved')) THEN NULL ELSE ?2 END
         WHERE id = ?1",
    )
    .bind(run)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

const SUMMARY: &str = "SELECT r.id, r.runbook_slug, r.title, r.state, r.started_by, r.created_at,
    r.finished_at, r.version,
    (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id AND s.state IN ('passed', 'skipped', 'approved')),
    (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id)
    FROM runs r";

type SummaryRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
);

fn summary_of(r: SummaryRow) -> RunSummary {
    let (id, runbook, title, state, started_by, created_at, finished_at, version, settled, total) = r;
    RunSummary {
        id,
        runbook,
        title,
        done: state == "done",
        started_by,
        created_at,
        finished_at,
        settled: settled as usize,
        total: total as usize,
        version,
    }
}

pub async fn summary(conn: &mut SqliteConnection, id: i64) -> Result<RunSummary, AppError> {
    let row: SummaryRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE r.id = ?")))
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(summary_of(row))
}

/// Runs newest first: the active ones, then the finished.
pub async fn list_runs(pool: &SqlitePool, limit: i64) -> Result<Vec<RunSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} ORDER BY r.state = 'done', r.id DESC LIMIT ?"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(summary_of).collect())
}

/// Steps whose job was running when last seen: (run, position, job).
pub async fn running_steps(pool: &SqlitePool) -> Result<Vec<(i64, i64, Option<i64>)>, AppError> {
    Ok(
        sqlx::query_as("SELECT run_id, position, job_id FROM run_steps WHERE state = 'running'")
            .fetch_all(pool)
            .await?,
    )
}
