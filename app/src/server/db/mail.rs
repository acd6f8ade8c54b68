//! Mail domains in SQLite, and the services and hosts their mail passes through.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::mail::{MailDomain, MailDraft, MailHop, MailListItem};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

#[derive(sqlx::FromRow)]
struct MailRow {
    id: i64,
    domain: String,
    relay: String,
    signing: String,
    dkim_selector: String,
    dkim_public_key: String,
    dkim_secret: String,
    dmarc_policy: String,
    dmarc_report: Option<String>,
    from_address: String,
    mx_host: String,
    ttl: i64,
    notes: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl From<MailRow> for MailDomain {
    fn from(r: MailRow) -> Self {
        MailDomain {
            id: r.id,
            domain: r.domain,
            relay: r.relay,
            signing: r.signing,
            dkim_selector: r.dkim_selector,
            dkim_public_key: r.dkim_public_key,
            dkim_secret: r.dkim_secret,
            dmarc_policy: r.dmarc_policy,
            dmarc_report: r.dmarc_report,
            from_address: r.from_address,
            mx_host: r.mx_host,
            ttl: r.ttl as u32,
            notes: r.notes,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT m.id, m.domain, r.name AS relay, g.name AS signing, m.dkim_selector,
    m.dkim_public_key, m.dkim_secret, m.dmarc_policy, m.dmarc_report, m.from_address, m.mx_host,
    m.ttl, m.notes, m.version, m.created_at, m.updated_at
    FROM mail_domains m
    JOIN services r ON r.id = m.relay_service_id
    JOIN services g ON g.id = m.signing_service_id";

pub async fn list(pool: &SqlitePool, q: &str) -> Result<Vec<MailListItem>, AppError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT m.domain, r.name || ' on ' || h.name, m.dkim_selector, m.dmarc_policy, m.from_address
         FROM mail_domains m
         JOIN services r ON r.id = m.relay_service_id
         JOIN hosts h ON h.id = r.host_id
         WHERE ?1 = '' OR instr(lower(m.domain || ' ' || r.name || ' ' || h.name || ' ' || m.from_address), ?1) > 0
         ORDER BY m.domain",
    )
    .bind(q.trim().to_lowercase())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(domain, relay, dkim_selector, dmarc_policy, from_address)| MailListItem {
                domain,
                relay,
                dkim_selector,
                dmarc_policy,
                from_address,
            },
        )
        .collect())
}

pub async fn get(conn: &mut SqliteConnection, domain: &str) -> Result<MailDomain, AppError> {
    let row: MailRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.domain = ?")))
        .bind(domain)
        .fetch_one(conn)
        .await?;
    Ok(row.into())
}

/// Services of a kind, for the form's choices: (service, host), by name.
pub async fn services_of_kind(pool: &SqlitePool, kind: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.name, h.name FROM services s JOIN hosts h ON h.id = s.host_id
         WHERE s.kind = ? ORDER BY s.name",
    )
    .bind(kind)
    .fetch_all(pool)
    .await?)
}

type HopRow = (
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A service mail passes through, with its host's addresses and, for a host whose
/// IPv4 traffic leaves through another host's NAT (mesh_nodes.egress_via), that host.
pub async fn hop(conn: &mut SqliteConnection, service: &str) -> Result<MailHop, AppError> {
    let r: HopRow = sqlx::query_as(
        "SELECT s.name, h.name, s.listen_addr, s.port, h.ipv4, h.ipv6, h.mesh_addr, e.name, e.ipv4
         FROM services s
         JOIN hosts h ON h.id = s.host_id
         LEFT JOIN mesh_nodes n ON n.host_id = h.id
         LEFT JOIN hosts e ON e.id = n.egress_via
         WHERE s.name = ?",
    )
    .bind(service)
    .fetch_one(conn)
    .await?;
    let (service, host, listen_addr, port, host_ipv4, host_ipv6, host_mesh, egress, egress_ipv4) = r;
    Ok(MailHop {
        service,
        host,
        listen_addr,
        port: port.and_then(|p| u16::try_from(p).ok()),
        host_ipv4,
        host_ipv6,
        host_mesh,
        egress: egress.map(|name| (name, egress_ipv4)),
    })
}

async fn service_id(
    conn: &mut SqliteConnection,
    field: &str,
    name: &str,
    kind: &str,
) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM services WHERE name = ? AND kind = ?")
        .bind(name)
        .bind(kind)
        .fetch_optional(&mut *conn)
        .await?;
    id.ok_or_else(|| AppError::field(field, format!("there is no {kind} service named {name}")))
}

/// The relay and signing service ids, each checked to exist and be of its kind.
async fn service_ids(conn: &mut SqliteConnection, d: &MailDraft) -> Result<(i64, i64), AppError> {
    let relay = service_id(conn, "relay", &d.relay, "opensmtpd").await;
    let signing = service_id(conn, "signing", &d.signing, "dkimproxy").await;
    match (relay, signing) {
        (Ok(r), Ok(s)) => Ok((r, s)),
        (Err(AppError::Validation(mut a)), Err(AppError::Validation(b))) => {
            a.0.extend(b.0);
            Err(AppError::Validation(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn domain_taken(e: sqlx::Error, domain: &str) -> AppError {
    if is_unique_violation(&e) {
        AppError::field("domain", format!("{domain} is already a mail domain"))
    } else {
        e.into()
    }
}

pub async fn insert(conn: &mut SqliteConnection, d: &MailDraft) -> Result<MailDomain, AppError> {
    let (relay, signing) = service_ids(conn, d).await?;
    let now = now();
    sqlx::query(
        "INSERT INTO mail_domains (domain, relay_service_id, signing_service_id, dkim_selector,
             dkim_public_key, dkim_secret, dmarc_policy, dmarc_report, from_address, mx_host, ttl,
             notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&d.domain)
    .bind(relay)
    .bind(signing)
    .bind(&d.dkim_selector)
    .bind(&d.dkim_public_key)
    .bind(&d.dkim_secret)
    .bind(&d.dmarc_policy)
    .bind(&d.dmarc_report)
    .bind(&d.from_address)
    .bind(&d.mx_host)
    .bind(d.ttl)
    .bind(&d.notes)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| domain_taken(e, &d.domain))?;
    get(conn, &d.domain).await
}

fn stale(domain: &str) -> AppError {
    AppError::Conflict(format!(
        "{domain} was changed by someone else since you opened it; reload to see their version"
    ))
}

pub async fn update(
    conn: &mut SqliteConnection,
    current: &str,
    d: &MailDraft,
) -> Result<(MailDomain, MailDomain), AppError> {
    let before = get(conn, current).await?;
    if d.version != Some(before.version) {
        return Err(stale(current));
    }
    let (relay, signing) = service_ids(conn, d).await?;
    sqlx::query(
        "UPDATE mail_domains SET domain = ?, relay_service_id = ?, signing_service_id = ?,
             dkim_selector = ?, dkim_public_key = ?, dkim_secret = ?, dmarc_policy = ?,
             dmarc_report = ?, from_address = ?, mx_host = ?, ttl = ?, notes = ?,
             version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(&d.domain)
    .bind(relay)
    .bind(signing)
    .bind(&d.dkim_selector)
    .bind(&d.dkim_public_key)
    .bind(&d.dkim_secret)
    .bind(&d.dmarc_policy)
    .bind(&d.dmarc_report)
    .bind(&d.from_address)
    .bind(&d.mx_host)
    .bind(d.ttl)
    .bind(&d.notes)
    .bind(now())
    .bind(before.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| domain_taken(e, &d.domain))?;
    let after = get(conn, &d.domain).await?;
    Ok((before, after))
}

pub async fn delete(conn: &mut SqliteConnection, domain: &str, version: i64) -> Result<MailDomain, AppError> {
    let before = get(conn, domain).await?;
    if before.version != version {
        return Err(stale(domain));
    }
    sqlx::query("DELETE FROM mail_domains WHERE id = ? AND version = ?")
        .bind(before.id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(before)
}
