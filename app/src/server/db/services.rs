//! Services in SQLite: lists with their dependencies, fetch, insert, update with a
//! version check, delete; the host and every dependency checked to exist, no cycles.
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

use super::now;
use crate::model::service::{Service, ServiceDraft, ServiceKind};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

mod checks;
use checks::resolve;
pub use checks::still_needed;

/// A service row as the list query's `json_array` writes it, dependencies apart.
type ServiceRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<u16>,
    u8,
    Option<u32>,
    String,
    i64,
    i64,
    i64,
);

fn service(r: ServiceRow, deps: Vec<String>) -> Service {
    let (id, name, host, kind, unit, listen_addr, port, egress, memory_mib, notes, version, created, updated) =
        r;
    Service {
        id,
        name,
        host,
        // Only parsed kinds are written; an unknown one would come from a newer Owlery.
        kind: ServiceKind::parse(&kind).unwrap_or(ServiceKind::Custom),
        unit,
        listen_addr,
        port,
        needs_egress: egress != 0,
        memory_mib,
        notes,
        deps,
        version,
        created_at: created,
        updated_at: updated,
    }
}

fn malformed(e: serde_json::Error) -> AppError {
    crate::server::error::internal("the services query returned malformed JSON", e)
}

/// Services (all, or those of one host) ordered by host and name, each with its
/// dependencies. Two queries whatever the count, each returning one JSON value: sqlx
/// hands every row from its worker thread to the caller, which for thousands of rows
/// costs more than the query itself.
async fn list(conn: &mut SqliteConnection, host: Option<&str>) -> Result<Vec<Service>, AppError> {
    let json: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(s.id, s.name, h.name, s.kind, s.unit, s.listen_addr,
                s.port, s.needs_egress, s.memory_mib, s.notes, s.version, s.created_at, s.updated_at)
                ORDER BY h.name, s.name)
         FROM services s JOIN hosts h ON h.id = s.host_id
         WHERE ?1 IS NULL OR h.name = ?1",
    )
    .bind(host)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<ServiceRow> = serde_json::from_str(&json).map_err(malformed)?;
    let json: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(sd.service_id, d.name) ORDER BY d.name)
         FROM service_deps sd JOIN services d ON d.id = sd.depends_on
         WHERE ?1 IS NULL OR sd.service_id IN
             (SELECT s.id FROM services s JOIN hosts h ON h.id = s.host_id WHERE h.name = ?1)",
    )
    .bind(host)
    .fetch_one(&mut *conn)
    .await?;
    let mut deps: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, dep) in serde_json::from_str::<Vec<(i64, String)>>(&json).map_err(malformed)? {
        deps.entry(id).or_default().push(dep);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = deps.remove(&r.0).unwrap_or_default();
            service(r, d)
        })
        .collect())
}

/// Every service with its host and dependencies by name, ordered by host and name: what
/// the services page, topology and export read.
pub async fn list_all(pool: &SqlitePool) -> Result<Vec<Service>, AppError> {
    list(&mut *pool.acquire().await?, None).await
}

/// Every service, read through `conn` (inside a transaction, say).
pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<Service>, AppError> {
    list(conn, None).await
}

/// The services placed on one host, by name.
pub async fn on_host(pool: &SqlitePool, host: &str) -> Result<Vec<Service>, AppError> {
    list(&mut *pool.acquire().await?, Some(host)).await
}

/// Every host's name, for the form's choice of where a service runs.
pub async fn host_names(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM hosts ORDER BY name")
        .fetch_all(pool)
        .await?)
}

/// The names of the services on a host: what stops the host from being deleted.
pub async fn names_on_host(conn: &mut SqliteConnection, host_id: i64) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM services WHERE host_id = ? ORDER BY name")
            .bind(host_id)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Service, AppError> {
    let row: Option<ServiceRow> = sqlx::query_as(
        "SELECT s.id, s.name, h.name, s.kind, s.unit, s.listen_addr, s.port, s.needs_egress,
                s.memory_mib, s.notes, s.version, s.created_at, s.updated_at
         FROM services s JOIN hosts h ON h.id = s.host_id WHERE s.name = ?",
    )
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let deps: Vec<String> = sqlx::query_scalar(
        "SELECT d.name FROM service_deps sd JOIN services d ON d.id = sd.depends_on
         WHERE sd.service_id = ? ORDER BY d.name",
    )
    .bind(row.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(service(row, deps))
}

/// The services that depend on the one with this id, by name.
pub async fn dependents(conn: &mut SqliteConnection, id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT s.name FROM service_deps sd JOIN services s ON s.id = sd.service_id
         WHERE sd.depends_on = ? ORDER BY s.name",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// How many services there are: the dashboard's figure.
pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM services")
        .fetch_one(pool)
        .await?)
}

fn name_taken(name: &str) -> AppError {
    AppError::field("name", format!("a service named {name} already exists"))
}

fn unique_to_field(name: &str) -> impl FnOnce(sqlx::Error) -> AppError + '_ {
    move |e| {
        if is_unique_violation(&e) {
            name_taken(name)
        } else {
            e.into()
        }
    }
}

async fn write_deps(conn: &mut SqliteConnection, id: i64, deps: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM service_deps WHERE service_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for dep in deps {
        sqlx::query("INSERT INTO service_deps (service_id, depends_on) VALUES (?, ?)")
            .bind(id)
            .bind(dep)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert(conn: &mut SqliteConnection, d: &ServiceDraft) -> Result<Service, AppError> {
    let (host_id, deps) = resolve(conn, d, None).await?;
    let now = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO services (name, host_id, kind, unit, listen_addr, port, needs_egress,
             memory_mib, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(d.name.as_str())
    .bind(host_id)
    .bind(d.kind.as_str())
    .bind(d.unit.as_str())
    .bind(d.listen_addr.map(|a| a.to_string()))
    .bind(d.port)
    .bind(d.needs_egress)
    .bind(d.memory_mib)
    .bind(&d.notes)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(unique_to_field(d.name.as_str()))?;
    write_deps(conn, id, &deps).await?;
    get(conn, d.name.as_str()).await
}

/// Saves an edit (a move to another host included) of the service named `current_name`,
/// only if nobody saved since the editor loaded `d.version`. Returns it before and after.
pub async fn update(
    conn: &mut SqliteConnection,
    current_name: &str,
    d: &ServiceDraft,
) -> Result<(Service, Service), AppError> {
    let before = get(conn, current_name).await?;
    if d.version != Some(before.version) {
        return Err(AppError::Conflict(format!(
            "{current_name} was changed by someone else since you opened it; \
             reload to see their version, then make your change again"
        )));
    }
    let (host_id, deps) = resolve(conn, d, Some((before.id, current_name))).await?;
    let done = sqlx::query(
        "UPDATE services SET name = ?, host_id = ?, kind = ?, unit = ?, listen_addr = ?, port = ?,
             needs_egress = ?, memory_mib = ?, notes = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(d.name.as_str())
    .bind(host_id)
    .bind(d.kind.as_str())
    .bind(d.unit.as_str())
    .bind(d.listen_addr.map(|a| a.to_string()))
    .bind(d.port)
    .bind(d.needs_egress)
    .bind(d.memory_mib)
    .bind(&d.notes)
    .bind(now())
    .bind(before.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await
    .map_err(unique_to_field(d.name.as_str()))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(format!(
            "{current_name} changed while saving; reload and try again"
        )));
    }
    write_deps(conn, before.id, &deps).await?;
    let after = get(conn, d.name.as_str()).await?;
    Ok((before, after))
}

/// Deletes the service if it is still at `version` and nothing depends on it; returns
/// it as it was.
pub async fn delete(conn: &mut SqliteConnection, name: &str, version: i64) -> Result<Service, AppError> {
    let before = get(conn, name).await?;
    if before.version != version {
        return Err(AppError::Conflict(format!(
            "{name} was changed by someone else since you opened it; look at it again before deleting"
        )));
    }
    let needed_by = dependents(conn, before.id).await?;
    if !needed_by.is_empty() {
        return Err(still_needed(name, &needed_by));
    }
    sqlx::query("DELETE FROM services WHERE id = ? AND version = ?")
        .bind(before.id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(before)
}

#[cfg(test)]
mod tests;
