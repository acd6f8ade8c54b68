//! The append-only change log.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::audit::AuditEntry;
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
    action: String,
    object_kind: String,
    object_name: String,
    changes: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor_name,
            action: r.action,
            object_kind: r.object_kind,
            object_name: r.object_name,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
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

pub async fn latest(pool: &SqlitePool, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<AuditRow> =
        sqlx::query_as("SELECT id, at, actor_name, action, object_kind, object_name, changes FROM audit_log ORDER BY id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn for_object(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, actor_name, action, object_kind, object_name, changes
         FROM audit_log WHERE object_kind = ? AND object_id = ? ORDER BY id DESC LIMIT ?",
    )
    .bind(kind)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
