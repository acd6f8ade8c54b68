//! Jobs in SQLite: creating one, host states, output chunks, and reading them back.
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::api::jobs::JobTargetHost;
use crate::model::action::Facts;
use crate::model::job::{Chunk, HostState, JobHost, JobPage, JobState, JobSummary, Stream};
use crate::model::AppError;
use crate::server::db::now;

/// How many jobs a page of the history shows.
pub const PAGE_SIZE: i64 = 50;

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    title: String,
    state: String,
    created_by: String,
    created_at: i64,
    finished_at: Option<i64>,
    hosts: String,
}

impl From<JobRow> for JobSummary {
    fn from(r: JobRow) -> Self {
        JobSummary {
            id: r.id,
            title: r.title,
            state: JobState::parse(&r.state).unwrap_or(JobState::Interrupted),
            created_by: r.created_by,
            created_at: r.created_at,
            finished_at: r.finished_at,
            hosts: r
                .hosts
                .split(' ')
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

const SELECT_JOBS: &str = "SELECT j.id, j.title, j.state, j.created_by, j.created_at, j.finished_at,
    coalesce((SELECT group_concat(host, ' ') FROM (SELECT host FROM job_hosts WHERE job_id = j.id ORDER BY host)), '') AS hosts
    FROM jobs j WHERE 1 = 1";

pub async fn list(
    pool: &SqlitePool,
    state: Option<&str>,
    host: Option<&str>,
    before: Option<i64>,
) -> Result<Vec<JobSummary>, AppError> {
    let mut q = QueryBuilder::<Sqlite>::new(SELECT_JOBS);
    if let Some(state) = state.filter(|s| !s.is_empty()) {
        q.push(" AND j.state = ").push_bind(state.to_owned());
    }
    if let Some(host) = host.filter(|h| !h.is_empty()) {
        q.push(" AND EXISTS (SELECT 1 FROM job_hosts h WHERE h.job_id = j.id AND h.host = ")
            .push_bind(host.to_owned())
            .push(")");
    }
    if let Some(before) = before {
        q.push(" AND j.id < ").push_bind(before);
    }
    q.push(" ORDER BY j.id DESC LIMIT ").push_bind(PAGE_SIZE);
    let rows: Vec<JobRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[derive(sqlx::FromRow)]
struct JobHostRow {
    host: String,
    state: String,
    exit_code: Option<i64>,
    detail: String,
    started_at: Option<i64>,
    ended_at: Option<i64>,
    output_bytes: i64,
    truncated: i64,
}

impl From<JobHostRow> for JobHost {
    fn from(r: JobHostRow) -> Self {
        JobHost {
            host: r.host,
            state: HostState::parse(&r.state).unwrap_or(HostState::Interrupted),
            exit_code: r.exit_code,
            detail: r.detail,
            started_at: r.started_at,
            ended_at: r.ended_at,
            output_bytes: r.output_bytes,
            truncated: r.truncated != 0,
        }
    }
}

pub async fn hosts(pool: &SqlitePool, job: i64) -> Result<Vec<JobHost>, AppError> {
    let rows: Vec<JobHostRow> = sqlx::query_as(
        "SELECT host, state, exit_code, detail, started_at, ended_at, output_bytes, truncated
         FROM job_hosts WHERE job_id = ? ORDER BY host",
    )
    .bind(job)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Output chunks of a job after `after`, in order, at most `limit` of them.
pub async fn output_after(
    pool: &SqlitePool,
    job: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Chunk>, AppError> {
    let rows: Vec<(i64, String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT seq, host, stream, data FROM job_output WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(job)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, host, stream, data)| Chunk {
            seq,
            host,
            stream: Stream::from_code(stream),
            text: String::from_utf8_lossy(&data).into_owned(),
        })
        .collect())
}

pub async fn summary(pool: &SqlitePool, id: i64) -> Result<(JobSummary, String, i64, i64), AppError> {
    let row: JobRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_JOBS} AND j.id = ?")))
        .bind(id)
        .fetch_one(pool)
        .await?;
    let (command, parallelism, timeout_secs): (String, i64, i64) =
        sqlx::query_as("SELECT command, parallelism, timeout_secs FROM jobs WHERE id = ?")
            .bind(id)
            .fetch_one(pool)
            .await?;
    Ok((row.into(), command, parallelism, timeout_secs))
}

/// Everything the job page shows on first paint, output included.
pub async fn page(pool: &SqlitePool, id: i64) -> Result<JobPage, AppError> {
    let (summary, command, parallelism, timeout_secs) = summary(pool, id).await?;
    Ok(JobPage {
        summary,
        command,
        parallelism,
        timeout_secs,
        hosts: hosts(pool, id).await?,
        output: output_after(pool, id, 0, i64::MAX).await?,
        now: now(),
    })
}

/// Hosts a job can target, with their tags, by name.
pub async fn target_hosts(pool: &SqlitePool) -> Result<Vec<JobTargetHost>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT h.name, coalesce((SELECT group_concat(t.tag, ' ') FROM host_tags t WHERE t.host_id = h.id), '')
         FROM hosts h ORDER BY h.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, tags)| {
            let mut tags: Vec<String> = tags
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            tags.sort();
            JobTargetHost { name, tags }
        })
        .collect())
}

/// A new job row and its queued hosts, in the caller's transaction.
pub async fn insert(
    conn: &mut SqliteConnection,
    job: (&str, &str, &str, &str),
    created_by: &str,
    (parallelism, timeout_secs): (i64, i64),
    hosts: &[String],
) -> Result<i64, AppError> {
    let (title, action, params, command) = job;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO jobs (title, action, params, command, state, created_by, created_at, parallelism, timeout_secs)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id",
    )
    .bind(title)
    .bind(action)
    .bind(params)
    .bind(command)
    .bind(created_by)
    .bind(now())
    .bind(parallelism)
    .bind(timeout_secs)
    .fetch_one(&mut *conn)
    .await?;
    for host in hosts {
        sqlx::query("INSERT INTO job_hosts (job_id, host, state) VALUES (?, ?, 'queued')")
            .bind(id)
            .bind(host)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Saves a host's new state and returns the row as viewers should now see it.
pub async fn set_host(
    pool: &SqlitePool,
    job: i64,
    host: &str,
    update: &HostUpdate,
) -> Result<JobHost, AppError> {
    let row: JobHostRow = sqlx::query_as(
        "UPDATE job_hosts SET state = ?,
             exit_code = coalesce(?, exit_code),
             detail = CASE WHEN ? = '' THEN detail ELSE ? END,
             started_at = CASE WHEN ? THEN coalesce(started_at, ?) ELSE started_at END,
             ended_at = CASE WHEN ? THEN ? ELSE ended_at END
         WHERE job_id = ? AND host = ?
         RETURNING host, state, exit_code, detail, started_at, ended_at, output_bytes, truncated",
    )
    .bind(update.state.as_str())
    .bind(update.exit_code)
    .bind(&update.detail)
    .bind(&update.detail)
    .bind(update.state == HostState::Connecting)
    .bind(now())
    .bind(update.state.is_final())
    .bind(now())
    .bind(job)
    .bind(host)
    .fetch_one(pool)
    .await?;
    Ok(row.into())
}

/// A host's state change, as the runner reports it.
pub struct HostUpdate {
    pub state: HostState,
    pub exit_code: Option<i64>,
    pub detail: String,
}

impl HostUpdate {
    pub fn to(state: HostState) -> Self {
        Self {
            state,
            exit_code: None,
            detail: String::new(),
        }
    }
}

/// A batch of output, stored in one transaction, with each host's byte count.
pub async fn append(pool: &SqlitePool, job: i64, chunks: &[(Chunk, Vec<u8>)]) -> Result<(), AppError> {
    if chunks.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    // SQLite allows 32766 bound parameters; four per row.
    for batch in chunks.chunks(1000) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO job_output (job_id, seq, host, stream, data) ");
        q.push_values(batch, |mut row, (chunk, data)| {
            row.push_bind(job)
                .push_bind(chunk.seq)
                .push_bind(&chunk.host)
                .push_bind(chunk.stream.code())
                .push_bind(data);
        });
        q.build().execute(&mut *tx).await?;
    }
    let mut sizes: Vec<(&str, i64)> = Vec::new();
    for (chunk, data) in chunks {
        match sizes.iter_mut().find(|(h, _)| *h == chunk.host) {
            Some((_, n)) => *n += data.len() as i64,
            None => sizes.push((&chunk.host, data.len() as i64)),
        }
    }
    for (host, bytes) in sizes {
        sqlx::query("UPDATE job_hosts SET output_bytes = output_bytes + ? WHERE job_id = ? AND host = ?")
            .bind(bytes)
            .bind(job)
            .bind(host)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn mark_truncated(pool: &SqlitePool, job: i64, host: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE job_hosts SET truncated = 1 WHERE job_id = ? AND host = ?")
        .bind(job)
        .bind(host)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn finish(pool: &SqlitePool, job: i64, state: JobState) -> Result<(), AppError> {
    sqlx::query("UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(now())
        .bind(job)
        .execute(pool)
        .await?;
    Ok(())
}

/// After a restart: jobs that were running when the server stopped are interrupted,
/// with every line received before kept. Returns how many.
pub async fn mark_interrupted(pool: &SqlitePool) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE job_hosts SET state = 'interrupted', ended_at = ?
         WHERE state IN ('queued', 'connecting', 'running')
           AND job_id IN (SELECT id FROM jobs WHERE state = 'running')",
    )
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query("UPDATE jobs SET state = 'interrupted', finished_at = ? WHERE state = 'running'")
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(done)
}

/// Writes what "gather facts" found onto the host.
pub async fn save_facts(pool: &SqlitePool, host: &str, facts: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO host_facts (host_id, facts, gathered_at) SELECT id, ?, ? FROM hosts WHERE name = ?
         ON CONFLICT (host_id) DO UPDATE SET facts = excluded.facts, gathered_at = excluded.gathered_at",
    )
    .bind(facts)
    .bind(now())
    .bind(host)
    .execute(pool)
    .await?;
    Ok(())
}

/// What "gather facts" last found on a host, and when; facts stored by an older
/// version that no longer parse are left out.
pub async fn facts(pool: &SqlitePool, host_id: i64) -> Result<Option<(Facts, i64)>, AppError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT facts, gathered_at FROM host_facts WHERE host_id = ?")
            .bind(host_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(json, at)| serde_json::from_str(&json).ok().map(|facts| (facts, at))))
}

/// The memory (MiB) the last "gather facts" job found on each host that has facts, by
/// host name: what the config check compares services' memory with.
pub async fn mem_totals(conn: &mut SqliteConnection) -> Result<Vec<(String, u64)>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT h.name, f.facts FROM host_facts f JOIN hosts h ON h.id = f.host_id")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, json)| {
            let facts: Facts = serde_json::from_str(&json).ok()?;
            Some((name, facts.mem_total_mib))
        })
        .collect())
}

/// Log retention: removes ended jobs (with their output) that ended before `cutoff`,
/// then the oldest ended ones until all jobs' output fits in `budget_bytes`. Running
/// jobs are never removed. Returns how many jobs were removed.
pub async fn prune(pool: &SqlitePool, cutoff: i64, budget_bytes: i64) -> Result<u64, AppError> {
    let removed = sqlx::query(
        "DELETE FROM jobs WHERE state <> 'running' AND (finished_at < ?1 OR id IN (
             SELECT id FROM (
                 SELECT j.id, sum(coalesce((SELECT sum(output_bytes) FROM job_hosts WHERE job_id = j.id), 0))
                        OVER (ORDER BY j.id DESC) AS newer_and_own
                 FROM jobs j)
             WHERE newer_and_own > ?2))",
    )
    .bind(cutoff)
    .bind(budget_bytes)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    /// A job that ended at `ended` with `bytes` of output on one host.
    async fn ended_job(pool: &SqlitePool, ended: i64, bytes: usize) -> i64 {
        let mut conn = pool.acquire().await.expect("connection");
        let id = insert(
            &mut conn,
            ("t", "command", "{}", "true"),
            "test",
            (1, 60),
            &["h".into()],
        )
        .await
        .expect("job");
        let chunk = Chunk {
            seq: 1,
            host: "h".into(),
            stream: Stream::Stdout,
            text: "x".repeat(bytes),
        };
        let data = chunk.text.as_bytes().to_vec();
        append(pool, id, &[(chunk, data)]).await.expect("output");
        sqlx::query("UPDATE jobs SET state = 'succeeded', finished_at = ? WHERE id = ?")
            .bind(ended)
            .bind(id)
            .execute(pool)
            .await
            .expect("end");
        id
    }

    async fn ids(pool: &SqlitePool) -> Vec<i64> {
        sqlx::query_scalar("SELECT id FROM jobs ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("ids")
    }

    #[tokio::test]
    async fn retention_removes_old_jobs_then_the_oldest_over_budget_never_a_running_one() {
        let (pool, _dir) = test_pool().await;
        let old = ended_job(&pool, 100, 10).await;
        let a = ended_job(&pool, 1_000, 400).await;
        let b = ended_job(&pool, 2_000, 400).await;
        let c = ended_job(&pool, 3_000, 400).await;
        let mut conn = pool.acquire().await.expect("connection");
        let running = insert(
            &mut conn,
            ("t", "command", "{}", "true"),
            "test",
            (1, 60),
            &["h".into()],
        )
        .await
        .expect("running job");
        drop(conn);
        assert_eq!(prune(&pool, 500, 10_000).await.expect("prune"), 1);
        assert_eq!(ids(&pool).await, vec![a, b, c, running]);
        assert!(!ids(&pool).await.contains(&old));
        // 1000 bytes allowed: c and b fit (800), a does not.
        assert_eq!(prune(&pool, 500, 1_000).await.expect("prune"), 1);
        assert_eq!(ids(&pool).await, vec![b, c, running]);
        let output: i64 = sqlx::query_scalar("SELECT count(*) FROM job_output WHERE job_id = ?")
            .bind(a)
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(output, 0, "the output went with its job");
    }
}
