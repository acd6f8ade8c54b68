//! Buckets and their access users in SQLite, and the MinIO services they can live on.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::bucket::{Bucket, BucketDraft, BucketListItem, BucketUser, Endpoint};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

#[derive(sqlx::FromRow)]
struct BucketRow {
    id: i64,
    name: String,
    service: Option<String>,
    endpoint_url: Option<String>,
    region: String,
    addressing: String,
    alias_host: Option<String>,
    anonymous: String,
    notes: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

const SELECT: &str = "SELECT b.id, b.name, s.name AS service, b.endpoint_url, b.region, b.addressing,
    b.alias_host, b.anonymous, b.notes, b.version, b.created_at, b.updated_at
    FROM buckets b LEFT JOIN services s ON s.id = b.service_id";

/// Buckets whose name, endpoint or alias host contains the filter text, by name.
pub async fn list(pool: &SqlitePool, q: &str) -> Result<Vec<BucketListItem>, AppError> {
    let rows: Vec<(String, String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT b.name,
                coalesce(s.name || ' (' || h.name || ')', b.endpoint_url, ''),
                b.addressing, b.alias_host, b.anonymous,
                (SELECT count(*) FROM bucket_users u WHERE u.bucket_id = b.id)
         FROM buckets b
         LEFT JOIN services s ON s.id = b.service_id
         LEFT JOIN hosts h ON h.id = s.host_id
         WHERE ?1 = '' OR instr(lower(b.name || ' ' || coalesce(s.name, '') || ' ' || coalesce(h.name, '')
             || ' ' || coalesce(b.endpoint_url, '') || ' ' || coalesce(b.alias_host, '')), ?1) > 0
         ORDER BY b.name",
    )
    .bind(q.trim().to_lowercase())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(name, endpoint, addressing, alias_host, anonymous, users)| BucketListItem {
                name,
                endpoint,
                addressing,
                alias_host,
                anonymous,
                users: users as u32,
            },
        )
        .collect())
}

pub async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Bucket, AppError> {
    let r: BucketRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE b.name = ?")))
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    let users: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT access_key, actions, secret_name FROM bucket_users WHERE bucket_id = ? ORDER BY access_key",
    )
    .bind(r.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Bucket {
        id: r.id,
        name: r.name,
        service: r.service,
        endpoint_url: r.endpoint_url,
        region: r.region,
        addressing: r.addressing,
        alias_host: r.alias_host,
        anonymous: r.anonymous,
        notes: r.notes,
        users: users
            .into_iter()
            .map(|(access_key, actions, secret_name)| BucketUser {
                access_key,
                actions: actions.split_whitespace().map(str::to_owned).collect(),
                secret_name,
            })
            .collect(),
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// MinIO services a bucket can live on: (service, host), by name.
pub async fn minio_services(pool: &SqlitePool) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.name, h.name FROM services s JOIN hosts h ON h.id = s.host_id
         WHERE s.kind = 'minio' ORDER BY s.name",
    )
    .fetch_all(pool)
    .await?)
}

/// The S3 API of a MinIO service as Mastodon reaches it (its listen address, else its
/// host's mesh address), and a label for comments: (url, label).
pub async fn service_endpoint(
    conn: &mut SqliteConnection,
    service: &str,
) -> Result<(String, String), AppError> {
    let (addr, port, host): (Option<String>, Option<i64>, String) = sqlx::query_as(
        "SELECT coalesce(s.listen_addr, h.mesh_addr, h.ipv6, h.ipv4), s.port, h.name
         FROM services s JOIN hosts h ON h.id = s.host_id WHERE s.name = ?",
    )
    .bind(service)
    .fetch_one(&mut *conn)
    .await?;
    let addr = addr.unwrap_or_else(|| host.clone());
    let addr = if addr.contains(':') {
        format!("[{addr}]")
    } else {
        addr
    };
    let port = port.unwrap_or(9000);
    Ok((
        format!("http://{addr}:{port}"),
        format!("MinIO service {service} on {host}"),
    ))
}

async fn service_id(conn: &mut SqliteConnection, endpoint: &Endpoint) -> Result<Option<i64>, AppError> {
    let Endpoint::Service(name) = endpoint else {
        return Ok(None);
    };
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM services WHERE name = ? AND kind = 'minio'")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    id.map(Some)
        .ok_or_else(|| AppError::field("service", format!("there is no MinIO service named {name}")))
}

fn url(endpoint: &Endpoint) -> Option<&str> {
    match endpoint {
        Endpoint::Url(url) => Some(url),
        Endpoint::Service(_) => None,
    }
}

fn name_taken(e: sqlx::Error, name: &str) -> AppError {
    if is_unique_violation(&e) {
        AppError::field("name", format!("a bucket named {name} already exists"))
    } else {
        e.into()
    }
}

pub async fn insert(conn: &mut SqliteConnection, d: &BucketDraft) -> Result<Bucket, AppError> {
    let service = service_id(conn, &d.endpoint).await?;
    let now = now();
    sqlx::query(
        "INSERT INTO buckets (name, service_id, endpoint_url, region, addressing, alias_host,
             anonymous, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(d.name.as_str())
    .bind(service)
    .bind(url(&d.endpoint))
    .bind(&d.region)
    .bind(&d.addressing)
    .bind(&d.alias_host)
    .bind(&d.anonymous)
    .bind(&d.notes)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| name_taken(e, d.name.as_str()))?;
    get(conn, d.name.as_str()).await
}

fn stale(name: &str) -> AppError {
    AppError::Conflict(format!(
        "{name} was changed by someone else since you opened it; reload to see their version"
    ))
}

/// Saves an edit if nobody saved since the editor loaded `d.version`: (before, after).
pub async fn update(
    conn: &mut SqliteConnection,
    current_name: &str,
    d: &BucketDraft,
) -> Result<(Bucket, Bucket), AppError> {
    let before = get(conn, current_name).await?;
    if d.version != Some(before.version) {
        return Err(stale(current_name));
    }
    let service = service_id(conn, &d.endpoint).await?;
    sqlx::query(
        "UPDATE buckets SET name = ?, service_id = ?, endpoint_url = ?, region = ?, addressing = ?,
             alias_host = ?, anonymous = ?, notes = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(d.name.as_str())
    .bind(service)
    .bind(url(&d.endpoint))
    .bind(&d.region)
    .bind(&d.addressing)
    .bind(&d.alias_host)
    .bind(&d.anonymous)
    .bind(&d.notes)
    .bind(now())
    .bind(before.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| name_taken(e, d.name.as_str()))?;
    let after = get(conn, d.name.as_str()).await?;
    Ok((before, after))
}

/// Deletes the bucket (and its access users) if it is still at `version`.
pub async fn delete(conn: &mut SqliteConnection, name: &str, version: i64) -> Result<Bucket, AppError> {
    let before = get(conn, name).await?;
    if before.version != version {
        return Err(stale(name));
    }
    sqlx::query("DELETE FROM buckets WHERE id = ? AND version = ?")
        .bind(before.id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(before)
}

/// Adds an access user; the bucket's version grows so open edit forms notice.
pub async fn add_user(
    conn: &mut SqliteConnection,
    bucket_id: i64,
    user: &BucketUser,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO bucket_users (bucket_id, access_key, actions, secret_name, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(bucket_id)
    .bind(&user.access_key)
    .bind(user.actions.join(" "))
    .bind(&user.secret_name)
    .bind(now())
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field(
                "access_key",
                format!("{} is already a user of this bucket", user.access_key),
            )
        } else {
            e.into()
        }
    })?;
    touch(conn, bucket_id).await
}

pub async fn remove_user(
    conn: &mut SqliteConnection,
    bucket_id: i64,
    access_key: &str,
) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM bucket_users WHERE bucket_id = ? AND access_key = ?")
        .bind(bucket_id)
        .bind(access_key)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    touch(conn, bucket_id).await
}

async fn touch(conn: &mut SqliteConnection, bucket_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE buckets SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(bucket_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
#[path = "buckets_tests.rs"]
mod tests;
