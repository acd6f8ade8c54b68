//! Host keys in SQLite: the key pinned per host, the key a host offered that is not
//! pinned yet, and the SSH identity a host is reached with.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::api::ssh::{OfferedKey, PinnedKey};
use crate::model::AppError;

/// What SSH administration needs of a host: where it listens and whom it trusts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HostRef {
    pub id: i64,
    pub name: String,
    pub ssh_host: String,
    pub ssh_port: i64,
    pub ssh_identity: Option<String>,
}

const HOST: &str = "SELECT id, name, ssh_host, ssh_port, ssh_identity FROM hosts";

pub async fn host(conn: &mut SqliteConnection, name: &str) -> Result<HostRef, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOST} WHERE name = ?")))
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn hosts(conn: &mut SqliteConnection) -> Result<Vec<HostRef>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOST} ORDER BY name")))
            .fetch_all(conn)
            .await?,
    )
}

/// Names the identity (a secret name) `host_id` is reached with; None for none.
pub async fn set_identity(
    conn: &mut SqliteConnection,
    host_id: i64,
    identity: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE hosts SET ssh_identity = ?, updated_at = ? WHERE id = ?")
        .bind(identity)
        .bind(now())
        .bind(host_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// (identity, host name) for every host that names an identity.
pub async fn identity_users(pool: &SqlitePool) -> Result<Vec<(String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT ssh_identity, name FROM hosts WHERE ssh_identity IS NOT NULL ORDER BY name")
            .fetch_all(pool)
            .await?,
    )
}

#[derive(sqlx::FromRow)]
struct PinnedRow {
    public_key: String,
    fingerprint: String,
    pinned_by: String,
    pinned_at: i64,
}

pub async fn pinned(conn: &mut SqliteConnection, host_id: i64) -> Result<Option<PinnedKey>, AppError> {
    let row: Option<PinnedRow> = sqlx::query_as(
        "SELECT public_key, fingerprint, pinned_by, pinned_at FROM host_keys WHERE host_id = ?",
    )
    .bind(host_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| PinnedKey {
        public_line: r.public_key,
        fingerprint: r.fingerprint,
        pinned_by: r.pinned_by,
        pinned_at: r.pinned_at,
    }))
}

/// Pins `public_key` for `host_id`, replacing any key pinned before.
pub async fn pin(
    conn: &mut SqliteConnection,
    host_id: i64,
    (public_key, fingerprint): (&str, &str),
    by: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (host_id) DO UPDATE SET public_key = excluded.public_key,
             fingerprint = excluded.fingerprint, pinned_by = excluded.pinned_by,
             pinned_at = excluded.pinned_at",
    )
    .bind(host_id)
    .bind(public_key)
    .bind(fingerprint)
    .bind(by)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    public_key: String,
    fingerprint: String,
    seen_at: i64,
}

pub async fn offer(conn: &mut SqliteConnection, host_id: i64) -> Result<Option<OfferedKey>, AppError> {
    let row: Option<OfferRow> =
        sqlx::query_as("SELECT public_key, fingerprint, seen_at FROM host_key_offers WHERE host_id = ?")
            .bind(host_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| OfferedKey {
        public_line: r.public_key,
        fingerprint: r.fingerprint,
        seen_at: r.seen_at,
    }))
}

/// Keeps the key `host_id` offered last, replacing an older offer.
pub async fn set_offer(
    conn: &mut SqliteConnection,
    host_id: i64,
    public_key: &str,
    fingerprint: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO host_key_offers (host_id, public_key, fingerprint, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (host_id) DO UPDATE SET public_key = excluded.public_key,
             fingerprint = excluded.fingerprint, seen_at = excluded.seen_at",
    )
    .bind(host_id)
    .bind(public_key)
    .bind(fingerprint)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_offer(conn: &mut SqliteConnection, host_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM host_key_offers WHERE host_id = ?")
        .bind(host_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    async fn host_id(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ssh_host, ssh_port,
                 ssh_user, notes, version, created_at, updated_at)
             VALUES ('hedwig', 'p', 'x', 'x86_64', 1, 1024, 10, '127.0.0.1', 2202, 'root', '', 1, 0, 0)
             RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_pin_replaces_the_last_one_and_an_offer_is_kept_until_cleared() {
        let (pool, _dir) = test_pool().await;
        let id = host_id(&pool).await;
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(pinned(&mut conn, id).await.unwrap(), None);
        pin(&mut conn, id, ("ssh-ed25519 AAAA1", "SHA256:one"), "alice")
            .await
            .unwrap();
        pin(&mut conn, id, ("ssh-ed25519 AAAA2", "SHA256:two"), "bob")
            .await
            .unwrap();
        let now_pinned = pinned(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(
            (now_pinned.fingerprint.as_str(), now_pinned.pinned_by.as_str()),
            ("SHA256:two", "bob")
        );
        set_offer(&mut conn, id, "ssh-ed25519 AAAA3", "SHA256:three")
            .await
            .unwrap();
        set_offer(&mut conn, id, "ssh-ed25519 AAAA4", "SHA256:four")
            .await
            .unwrap();
        assert_eq!(
            offer(&mut conn, id).await.unwrap().unwrap().fingerprint,
            "SHA256:four"
        );
        clear_offer(&mut conn, id).await.unwrap();
        assert_eq!(offer(&mut conn, id).await.unwrap(), None);
    }
}
