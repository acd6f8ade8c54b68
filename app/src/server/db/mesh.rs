//! The mesh in SQLite: nodes with their hosts' addresses, tunnels, and the topology rows.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::domain::mesh::TunnelAddrs;
use crate::model::mesh::{MeshLink, MeshNode};
use crate::model::AppError;

#[derive(sqlx::FromRow)]
struct NodeRow {
    host_id: i64,
    host: String,
    wg_public_key: String,
    wg_secret: Option<String>,
    listen_port: i64,
    endpoint: String,
    egress_via: Option<String>,
    mesh_addr: Option<String>,
    ipv4: Option<String>,
    ipv6: Option<String>,
    version: i64,
}

impl From<NodeRow> for MeshNode {
    fn from(r: NodeRow) -> Self {
        MeshNode {
            host_id: r.host_id,
            host: r.host,
            public_key: r.wg_public_key,
            wg_secret: r.wg_secret,
            listen_port: r.listen_port as u16,
            endpoint: r.endpoint,
            egress_via: r.egress_via,
            mesh_addr: r.mesh_addr,
            ipv4: r.ipv4,
            ipv6: r.ipv6,
            version: r.version,
        }
    }
}

const SELECT_NODES: &str = "SELECT n.host_id, h.name AS host, n.wg_public_key, n.wg_secret, n.listen_port,
        n.endpoint, g.name AS egress_via, h.mesh_addr, h.ipv4, h.ipv6, n.version
    FROM mesh_nodes n JOIN hosts h ON h.id = n.host_id LEFT JOIN hosts g ON g.id = n.egress_via";

#[derive(sqlx::FromRow)]
struct LinkRow {
    a: String,
    b: String,
    addr_a: String,
    addr_b: String,
    port_a: i64,
    port_b: i64,
}

impl From<LinkRow> for MeshLink {
    fn from(r: LinkRow) -> Self {
        MeshLink {
            a: r.a,
            b: r.b,
            addr_a: r.addr_a,
            addr_b: r.addr_b,
            port_a: r.port_a as u16,
            port_b: r.port_b as u16,
        }
    }
}

/// Every mesh node, in host name order.
pub async fn nodes(conn: &mut SqliteConnection) -> Result<Vec<MeshNode>, AppError> {
    let rows: Vec<NodeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_NODES} ORDER BY h.name")))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every tunnel, in the order of its ends' names.
pub async fn links(conn: &mut SqliteConnection) -> Result<Vec<MeshLink>, AppError> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT ha.name AS a, hb.name AS b, l.addr_a, l.addr_b, l.port_a, l.port_b
         FROM mesh_links l JOIN hosts ha ON ha.id = l.host_a JOIN hosts hb ON hb.id = l.host_b
         ORDER BY ha.name, hb.name",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The id of the host named `name`.
pub async fn host_id(conn: &mut SqliteConnection, name: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM hosts WHERE name = ?")
        .bind(name)
        .fetch_one(conn)
        .await?)
}

pub async fn node(conn: &mut SqliteConnection, host: &str) -> Result<Option<MeshNode>, AppError> {
    let row: Option<NodeRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_NODES} WHERE h.name = ?")))
            .bind(host)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(Into::into))
}

/// The stored fields of a node, as the server layer has checked them.
pub struct NodeFields<'a> {
    pub public_key: &'a str,
    pub wg_secret: Option<&'a str>,
    pub listen_port: u16,
    pub endpoint: &'a str,
    pub egress_via: Option<i64>,
}

pub async fn insert_node(
    conn: &mut SqliteConnection,
    host_id: i64,
    f: &NodeFields<'_>,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO mesh_nodes (host_id, wg_public_key, wg_secret, listen_port, endpoint, egress_via,
             created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(host_id)
    .bind(f.public_key)
    .bind(f.wg_secret)
    .bind(f.listen_port)
    .bind(f.endpoint)
    .bind(f.egress_via)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await
    .map_err(|e| {
        if crate::server::error::is_unique_violation(&e) {
            AppError::Conflict("this host is in the mesh already; reload its page".into())
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Saves a node if it is still at `version`.
pub async fn update_node(
    conn: &mut SqliteConnection,
    host_id: i64,
    version: i64,
    f: &NodeFields<'_>,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE mesh_nodes SET wg_public_key = ?, wg_secret = ?, listen_port = ?, endpoint = ?,
             egress_via = ?, version = version + 1, updated_at = ?
         WHERE host_id = ? AND version = ?",
    )
    .bind(f.public_key)
    .bind(f.wg_secret)
    .bind(f.listen_port)
    .bind(f.endpoint)
    .bind(f.egress_via)
    .bind(now())
    .bind(host_id)
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "this node was changed by someone else since you opened it; reload to see their version".into(),
        ));
    }
    Ok(())
}

/// Stores a tunnel between the hosts with ids `x` and `y` (any order).
pub async fn insert_link(
    conn: &mut SqliteConnection,
    (x, addr_x, port_x): (i64, &TunnelAddrs, u16),
    (y, addr_y, port_y): (i64, &TunnelAddrs, u16),
) -> Result<(), AppError> {
    let ((a, addr_a, port_a), (b, addr_b, port_b)) = if x < y {
        ((x, addr_x, port_x), (y, addr_y, port_y))
    } else {
        ((y, addr_y, port_y), (x, addr_x, port_x))
    };
    sqlx::query(
        "INSERT INTO mesh_links (host_a, host_b, addr_a, addr_b, port_a, port_b, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(a)
    .bind(b)
    .bind(addr_a.to_string())
    .bind(addr_b.to_string())
    .bind(port_a)
    .bind(port_b)
    .bind(now())
    .execute(conn)
    .await
    .map_err(|e| {
        if crate::server::error::is_unique_violation(&e) {
            AppError::field("peer", "these hosts already have a tunnel")
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Removes the tunnel between the hosts with ids `x` and `y`; NotFound if there is none.
pub async fn delete_link(conn: &mut SqliteConnection, x: i64, y: i64) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM mesh_links WHERE host_a = ? AND host_b = ?")
        .bind(x.min(y))
        .bind(x.max(y))
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Every host as (name, has IPv4, has IPv6), by name.
pub type HostRow = (String, bool, bool);
/// Every service as (name, kind, host name, needs egress), by host then name.
pub type ServiceRow = (String, String, String, bool);

/// The rows the topology draws. Services and dependencies come back as one JSON value
/// each: thousands of rows handed over one by one cost more than the query.
pub async fn topology(
    pool: &SqlitePool,
) -> Result<(Vec<HostRow>, Vec<ServiceRow>, Vec<(String, String)>), AppError> {
    let (hosts, services, deps): (String, String, String) = sqlx::query_as(
        "SELECT
           (SELECT json_group_array(json_array(name, ipv4 IS NOT NULL, ipv6 IS NOT NULL) ORDER BY name) FROM hosts),
           (SELECT json_group_array(json_array(s.name, s.kind, h.name, s.needs_egress) ORDER BY h.name, s.name)
              FROM services s JOIN hosts h ON h.id = s.host_id),
           (SELECT json_group_array(json_array(a.name, b.name))
              FROM service_deps d JOIN services a ON a.id = d.service_id JOIN services b ON b.id = d.depends_on)",
    )
    .fetch_one(pool)
    .await?;
    let decode = |e: serde_json::Error| {
        crate::server::error::internal("the topology query returned malformed JSON", e)
    };
    let hosts: Vec<(String, u8, u8)> = serde_json::from_str(&hosts).map_err(decode)?;
    Ok((
        hosts
            .into_iter()
            .map(|(n, v4, v6)| (n, v4 != 0, v6 != 0))
            .collect(),
        serde_json::from_str::<Vec<(String, String, String, u8)>>(&services)
            .map_err(decode)?
            .into_iter()
            .map(|(n, k, h, e)| (n, k, h, e != 0))
            .collect(),
        serde_json::from_str(&deps).map_err(decode)?,
    ))
}
