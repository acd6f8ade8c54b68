//! The append-only change log: writing entries, and reading them filtered and paged.
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::now;
use crate::model::audit::{AuditEntry, AuditFilter};
use crate::model::host::{blank_fields, diff_fields};
use crate::model::AppError;
use crate::server::auth::Session;

/// Who made a change and from where.
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub client_addr: String,
}

impl Actor {
    /// Changes made from the command line (`owlery demo`, `owlery user add`).
    pub fn cli(what: &str) -> Self {
        Self {
            user_id: None,
            name: format!("cli:{what}"),
            client_addr: "local".into(),
        }
    }
}

impl From<&Session> for Actor {
    fn from(s: &Session) -> Self {
        Self {
            user_id: Some(s.user.id),
            name: s.user.username.clone(),
            client_addr: s.client_addr.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_name: String,
    client_addr: String,
    action: String,
    object_kind: String,
    object_name: String,
    changes: String,
    current_name: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor_name,
            client_addr: r.client_addr,
            action: r.action,
            object_kind: r.object_kind,
            object_name: r.object_name,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
            current_name: r.current_name,
        }
    }
}

/// Writes one entry; call it inside the transaction that makes the change.
pub async fn record(
    conn: &mut SqliteConnection,
    actor: &Actor,
    action: &str,
    object: (&str, Option<i64>, &str),
    changes: &[(String, String, String)],
) -> Result<(), AppError> {
    let (object_kind, object_id, object_name) = object;
    let changes = serde_json::to_string(changes)
        .map_err(|e| crate::server::error::internal("encoding audit changes", e))?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, client_addr, action, object_kind, object_id, object_name, changes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(&actor.client_addr)
    .bind(action)
    .bind(object_kind)
    .bind(object_id)
    .bind(object_name)
    .bind(changes)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the entry of a change given an object's fields before and after it: a
/// creation (`before` None), an update (no entry when no field changed) or a deletion
/// (`after` None).
pub async fn record_fields(
    conn: &mut SqliteConnection,
    actor: &Actor,
    object: (&str, Option<i64>, &str),
    before: Option<&[(&'static str, String)]>,
    after: Option<&[(&'static str, String)]>,
) -> Result<(), AppError> {
    let (action, changes) = match (before, after) {
        (None, Some(after)) => ("create", diff_fields(&blank_fields(after), after)),
        (Some(before), Some(after)) => ("update", diff_fields(before, after)),
        (Some(before), None) => ("delete", diff_fields(before, &blank_fields(before))),
        (None, None) => return Ok(()),
    };
    if action == "update" && changes.is_empty() {
        return Ok(());
    }
    record(conn, actor, action, object, &changes).await
}

/// What every listing reads. The join finds the object's name today, so lists link to
/// objects that still exist under their current name; `created_at` keeps a later host
/// that reused a deleted host's id from claiming the old entries.
const SELECT: &str = "SELECT a.id, a.at, a.actor_name, a.client_addr, a.action, a.object_kind,
    a.object_name, a.changes, coalesce(h.name, sv.name) AS current_name
    FROM audit_log a
    LEFT JOIN hosts h ON a.object_kind = 'host' AND h.id = a.object_id AND h.created_at <= a.at
    LEFT JOIN services sv ON a.object_kind = 'service' AND sv.id = a.object_id AND sv.created_at <= a.at";

pub async fn latest(pool: &SqlitePool, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<AuditRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY a.id DESC LIMIT ?"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The history of one object, newest first. SQLite hands a deleted row's id to the next
/// row, so the entries up to the last deletion under this id belong to an earlier object
/// and are left out (the log is append-only, so entry ids only grow).
pub async fn for_object(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<AuditRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.object_kind = ?1 AND a.object_id = ?2
           AND a.id > coalesce((SELECT max(d.id) FROM audit_log d
                                WHERE d.object_kind = ?1 AND d.object_id = ?2 AND d.action = 'delete'), 0)
         ORDER BY a.id DESC LIMIT ?3"
    )))
    .bind(kind)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Where a page of the log starts, by entry id (keyset paging: never OFFSET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Newest,
    /// Entries with a smaller id: the next older page.
    Before(i64),
    /// Entries with a larger id: the next newer page.
    After(i64),
}

/// One page of the log, newest first, with the cursors of its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub entries: Vec<AuditEntry>,
    /// `after=` for the newer page, when there is one.
    pub newer: Option<i64>,
    /// `before=` for the older page, when there is one.
    pub older: Option<i64>,
}

/// A date range holding more entries than this is read in id order, not through
/// `audit_by_time` (which would sort every entry of the range to find the newest).
const NARROW_RANGE: i64 = 2000;

/// How a date range is best read: through its index when it is narrow, by walking the
/// ids down (and skipping what is outside) when it is wide. One capped count decides.
async fn dates_by_index(pool: &SqlitePool, f: &AuditFilter) -> Result<bool, AppError> {
    if f.since.is_none() && f.until.is_none() {
        return Ok(false);
    }
    let dates = AuditFilter {
        since: f.since,
        until: f.until,
        ..AuditFilter::default()
    };
    let mut qb = QueryBuilder::new("SELECT count(*) FROM (SELECT 1 FROM audit_log a");
    push_filter(&mut qb, &dates, true);
    qb.push(" LIMIT ").push_bind(NARROW_RANGE).push(")");
    Ok(qb.build_query_scalar::<i64>().fetch_one(pool).await? < NARROW_RANGE)
}

/// Appends `WHERE` with the filter's conditions; each is bound, none is formatted in.
/// Only the filters given are added, so SQLite can pick the index each one needs;
/// without `dates_by_index`, a unary `+` keeps it from using `audit_by_time`.
fn push_filter(qb: &mut QueryBuilder<Sqlite>, f: &AuditFilter, dates_by_index: bool) {
    let at = if dates_by_index { "a.at" } else { "+a.at" };
    qb.push(" WHERE 1 = 1");
    if let Some(user) = &f.user {
        qb.push(" AND a.actor_name = ").push_bind(user.clone());
    }
    if let Some(kind) = &f.kind {
        qb.push(" AND a.object_kind = ").push_bind(kind.clone());
    }
    if let Some(object) = &f.object {
        qb.push(" AND instr(lower(a.object_name), ")
            .push_bind(object.clone())
            .push(") > 0");
    }
    if let Some(action) = &f.action {
        qb.push(" AND a.action = ").push_bind(action.clone());
    }
    if let Some(since) = f.since {
        qb.push(format_args!(" AND {at} >= ")).push_bind(since);
    }
    if let Some(until) = f.until {
        qb.push(format_args!(" AND {at} < ")).push_bind(until);
    }
    if f.without_secrets {
        qb.push(" AND a.object_kind != ")
            .push_bind(crate::server::secrets::AUDIT_KIND);
    }
}

/// The query for up to `limit` entries from `cursor`: newest first, except `After`,
/// which reads upwards from the cursor (the caller reverses it).
fn select(prefix: &str, f: &AuditFilter, by_index: bool, cursor: Cursor, limit: i64) -> QueryBuilder<Sqlite> {
    let mut qb = QueryBuilder::new(format!("{prefix}{SELECT}"));
    push_filter(&mut qb, f, by_index);
    match cursor {
        Cursor::Newest => qb.push(" ORDER BY a.id DESC"),
        Cursor::Before(id) => qb.push(" AND a.id < ").push_bind(id).push(" ORDER BY a.id DESC"),
        Cursor::After(id) => qb.push(" AND a.id > ").push_bind(id).push(" ORDER BY a.id ASC"),
    };
    qb.push(" LIMIT ").push_bind(limit);
    qb
}

/// Up to `limit` entries matching `f` from `cursor`, newest first.
pub async fn entries(
    pool: &SqlitePool,
    f: &AuditFilter,
    cursor: Cursor,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let by_index = dates_by_index(pool, f).await?;
    let rows: Vec<AuditRow> = select("", f, by_index, cursor, limit)
        .build_query_as()
        .fetch_all(pool)
        .await?;
    let mut entries: Vec<AuditEntry> = rows.into_iter().map(Into::into).collect();
    if matches!(cursor, Cursor::After(_)) {
        entries.reverse();
    }
    Ok(entries)
}

/// Whether an entry matching `f` exists with an id above (`newer`) or below `id`.
async fn exists_beyond(pool: &SqlitePool, f: &AuditFilter, id: i64, newer: bool) -> Result<bool, AppError> {
    let mut qb = QueryBuilder::new("SELECT EXISTS (SELECT 1 FROM audit_log a");
    push_filter(&mut qb, f, dates_by_index(pool, f).await?);
    qb.push(if newer { " AND a.id > " } else { " AND a.id < " })
        .push_bind(id)
        .push(")");
    Ok(qb.build_query_scalar::<bool>().fetch_one(pool).await?)
}

/// One page of `size` entries matching `f` from `cursor`, and its neighbours' cursors.
pub async fn page(pool: &SqlitePool, f: &AuditFilter, cursor: Cursor, size: i64) -> Result<Page, AppError> {
    // One entry more than shown tells whether the page in reading direction exists.
    let mut entries = entries(pool, f, cursor, size + 1).await?;
    let more = entries.len() as i64 > size;
    if more {
        // The extra entry is the one farthest from the cursor.
        if matches!(cursor, Cursor::After(_)) {
            entries.remove(0);
        } else {
            entries.pop();
        }
    }
    // The ids the neighbours start from; on an empty page, the cursor itself.
    let at = match cursor {
        Cursor::Newest => i64::MAX,
        Cursor::Before(id) | Cursor::After(id) => id,
    };
    let newer_from = entries.first().map_or(at.saturating_sub(1), |e| e.id);
    let older_from = entries.last().map_or(at.saturating_add(1), |e| e.id);
    let newer = match cursor {
        Cursor::Newest => false,
        Cursor::Before(_) => exists_beyond(pool, f, newer_from, true).await?,
        Cursor::After(_) => more,
    };
    let older = match cursor {
        Cursor::After(_) => exists_beyond(pool, f, older_from, false).await?,
        _ => more,
    };
    Ok(Page {
        entries,
        newer: newer.then_some(newer_from),
        older: older.then_some(older_from),
    })
}

/// The distinct values of a column that has an index, by jumping from one to the next
/// (a few index lookups each, not a scan of the log).
pub async fn distinct(pool: &SqlitePool, column: Column) -> Result<Vec<String>, AppError> {
    let c = match column {
        Column::Actor => "actor_name",
        Column::Kind => "object_kind",
        Column::Action => "action",
    };
    let sql = format!(
        "WITH RECURSIVE v(x) AS (
             SELECT min({c}) FROM audit_log
             UNION ALL SELECT (SELECT min({c}) FROM audit_log WHERE {c} > v.x) FROM v WHERE v.x IS NOT NULL)
         SELECT x FROM v WHERE x IS NOT NULL"
    );
    // Only a fixed column name is formatted into the SQL.
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?)
}

/// The columns the audit page offers as suggestions.
#[derive(Debug, Clone, Copy)]
pub enum Column {
    Actor,
    Kind,
    Action,
}

#[cfg(test)]
mod tests;
