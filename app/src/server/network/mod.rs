//! Changing the mesh: nodes, key pairs and tunnels, each change audited in its transaction.
pub mod demo;
pub mod views;

use sqlx::{SqliteConnection, SqlitePool};

use super::db::{self, audit::Actor, mesh::NodeFields};
use super::secrets::cipher::MasterKey;
use crate::domain::mesh::next_free_port;
use crate::model::mesh::{link_name, MeshNode, NodeDraft, TunnelDraft};
use crate::model::secret::{SecretInput, SecretValue};
use crate::model::AppError;

pub const NODE_KIND: &str = "mesh_node";
pub const LINK_KIND: &str = "mesh_link";
const KEY_KIND: &str = "wireguard-private-key";

/// Adds `host` to the mesh or saves its node. A new node without a public key gets a
/// generated pair (see `generate_key`).
pub async fn save_node(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    host: &str,
    draft: &NodeDraft,
) -> Result<MeshNode, AppError> {
    let mut conn = pool.acquire().await?;
    let host_id = db::mesh::host_id(&mut conn, host).await?;
    let current = db::mesh::node(&mut conn, host).await?;
    let generate = draft.public_key.is_none() && current.is_none();
    let named = if generate {
        None
    } else {
        draft.wg_secret.as_deref()
    };
    let egress_via = check_refs(&mut conn, host, draft, named).await?;
    drop(conn);
    let (public_key, wg_secret) = match (&draft.public_key, &current) {
        (Some(k), _) => (k.clone(), draft.wg_secret.clone()),
        // An edit that clears the key keeps the stored one: a new pair is its own button.
        (None, Some(node)) => (node.public_key.clone(), draft.wg_secret.clone()),
        (None, None) => {
            let public = store_new_pair(pool, key, actor, host).await?;
            (public, Some(secret_name(host)))
        }
    };
    let mut tx = db::begin(pool).await?;
    let endpoint = draft.endpoint.to_string();
    let fields = NodeFields {
        public_key: &public_key,
        wg_secret: wg_secret.as_deref(),
        listen_port: draft.listen_port,
        endpoint: &endpoint,
        egress_via,
    };
    match (&current, draft.version) {
        (None, _) => db::mesh::insert_node(&mut tx, host_id, &fields).await?,
        (Some(_), Some(version)) => db::mesh::update_node(&mut tx, host_id, version, &fields).await?,
        (Some(_), None) => {
            return Err(AppError::Conflict(format!(
                "{host} joined the mesh meanwhile; reload its page"
            )));
        }
    };
    let after = db::mesh::node(&mut tx, host).await?.ok_or(AppError::NotFound)?;
    let before = current.as_ref().map(MeshNode::fields);
    let object = (NODE_KIND, Some(host_id), host);
    db::audit::record_fields(&mut tx, actor, object, before.as_deref(), Some(&after.fields())).await?;
    tx.commit().await?;
    Ok(after)
}

/// A fresh key pair for an existing node: the private key replaces the value of its
/// secret (created if missing), the public key goes on the node.
pub async fn generate_key(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    host: &str,
    version: i64,
) -> Result<MeshNode, AppError> {
    let node = db::mesh::node(&mut *pool.acquire().await?, host)
        .await?
        .ok_or(AppError::NotFound)?;
    if node.version != version {
        return Err(AppError::Conflict(format!(
            "{host}'s node was changed by someone else since you opened it; reload first"
        )));
    }
    let public = store_new_pair(pool, key, actor, host).await?;
    let draft = NodeDraft {
        public_key: Some(public),
        wg_secret: Some(secret_name(host)),
        listen_port: node.listen_port,
        endpoint: node
            .endpoint
            .parse()
            .map_err(|e| super::error::internal("a stored endpoint", e))?,
        egress_via: node.egress_via.clone(),
        version: Some(node.version),
    };
    save_node(pool, key, actor, host, &draft).await
}

/// The secret a host's generated private key is kept under.
pub fn secret_name(host: &str) -> String {
    format!("wg-{host}")
}

/// Generates an X25519 pair the way `wg genkey` does (32 random bytes, clamped), seals
/// the private key under `wg-<host>` and returns the public key in base64.
async fn store_new_pair(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    host: &str,
) -> Result<String, AppError> {
    use base64::Engine;
    use rand::TryRngCore;
    use zeroize::Zeroize;
    let mut private = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut private)
        .map_err(|e| super::error::internal("the OS random source failed", e))?;
    private[0] &= 248;
    private[31] = (private[31] & 127) | 64;
    let public = curve25519_dalek::MontgomeryPoint::mul_base_clamped(private).to_bytes();
    let b64 = base64::engine::general_purpose::STANDARD;
    let value = SecretValue::new(b64.encode(private));
    private.zeroize();
    let name = secret_name(host);
    let existing = db::secrets::get(&mut *pool.acquire().await?, &name).await;
    let input = SecretInput {
        name: name.clone(),
        kind: KEY_KIND.into(),
        description: format!("WireGuard private key of {host}, generated in Owlery"),
        value,
        version: existing
            .as_ref()
            .map(|s| s.version.to_string())
            .unwrap_or_default(),
    };
    match existing {
        Ok(s) if s.kind == KEY_KIND => {
            super::secrets::update(pool, key, actor, &name, &input).await?;
        }
        Ok(_) => {
            return Err(AppError::Conflict(format!(
                "a secret named {name} exists and is not a WireGuard key; rename it first"
            )))
        }
        Err(AppError::NotFound) => {
            let draft = input
                .parse_new()
                .map_err(|e| super::error::internal("a generated key was refused", e))?;
            super::secrets::create(pool, key, actor, &draft).await?;
        }
        Err(e) => return Err(e),
    }
    Ok(b64.encode(public))
}

/// The egress host's id, after checking it and the named secret exist and fit.
async fn check_refs(
    conn: &mut SqliteConnection,
    host: &str,
    draft: &NodeDraft,
    wg_secret: Option<&str>,
) -> Result<Option<i64>, AppError> {
    if let Some(name) = wg_secret {
        match db::secrets::get(conn, name).await {
            Ok(s) if s.kind == KEY_KIND => {}
            Ok(_) => {
                return Err(AppError::field(
                    "wg_secret",
                    format!("{name} is not a WireGuard private key"),
                ))
            }
            Err(AppError::NotFound) => {
                return Err(AppError::field("wg_secret", format!("no secret is named {name}")))
            }
            Err(e) => return Err(e),
        }
    }
    let Some(via) = &draft.egress_via else {
        return Ok(None);
    };
    if via == host {
        return Err(AppError::field("egress_via", "a host cannot be its own way out"));
    }
    match db::mesh::node(conn, via).await? {
        Some(n) => Ok(Some(n.host_id)),
        None => Err(AppError::field("egress_via", format!("{via} is not in the mesh"))),
    }
}

/// Adds a tunnel, each end on the lowest port free from its node's base port on.
pub async fn create_tunnel(pool: &SqlitePool, actor: &Actor, t: &TunnelDraft) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let nodes = db::mesh::nodes(&mut tx).await?;
    let links = db::mesh::links(&mut tx).await?;
    let find = |name: &str, field: &str| {
        nodes
            .iter()
            .find(|n| n.host == name)
            .ok_or_else(|| AppError::field(field, format!("{name} is not in the mesh yet")))
    };
    let (host, peer) = (find(&t.host, "host")?, find(&t.peer, "peer")?);
    let taken: Vec<_> = links
        .iter()
        .flat_map(|l| [&l.addr_a, &l.addr_b])
        .filter_map(|s| crate::domain::mesh::parse_tunnel_addrs(s).ok())
        .flat_map(|a| a.all().map(|t| t.addr).collect::<Vec<_>>())
        .collect();
    for (field, addrs) in [("addr_host", &t.addr_host), ("addr_peer", &t.addr_peer)] {
        if let Some(a) = addrs.all().find(|a| taken.contains(&a.addr)) {
            return Err(AppError::field(
                field,
                format!("{} is used by another tunnel", a.addr),
            ));
        }
    }
    let no_port = |n: &MeshNode| AppError::field("peer", format!("{} has no free port left", n.host));
    let port_host = next_free_port(&host.host, host.listen_port, &links).ok_or_else(|| no_port(host))?;
    let port_peer = next_free_port(&peer.host, peer.listen_port, &links).ok_or_else(|| no_port(peer))?;
    db::mesh::insert_link(
        &mut tx,
        (host.host_id, &t.addr_host, port_host),
        (peer.host_id, &t.addr_peer, port_peer),
    )
    .await?;
    let changes = vec![
        (
            format!("{} address", host.host),
            String::new(),
            t.addr_host.to_string(),
        ),
        (
            format!("{} address", peer.host),
            String::new(),
            t.addr_peer.to_string(),
        ),
        (
            format!("{} port", host.host),
            String::new(),
            port_host.to_string(),
        ),
        (
            format!("{} port", peer.host),
            String::new(),
            port_peer.to_string(),
        ),
    ];
    let name = link_name(&host.host, &peer.host);
    db::audit::record(&mut tx, actor, "create", (LINK_KIND, None, &name), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the tunnel between `host` and `peer`.
pub async fn delete_tunnel(pool: &SqlitePool, actor: &Actor, host: &str, peer: &str) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let links = db::mesh::links(&mut tx).await?;
    let link = links
        .iter()
        .find(|l| l.from_side(host).is_some_and(|s| s.0 == peer))
        .ok_or(AppError::NotFound)?;
    let (x, y) = (
        db::mesh::host_id(&mut tx, host).await?,
        db::mesh::host_id(&mut tx, peer).await?,
    );
    db::mesh::delete_link(&mut tx, x, y).await?;
    let changes = vec![
        (format!("{} address", link.a), link.addr_a.clone(), String::new()),
        (format!("{} address", link.b), link.addr_b.clone(), String::new()),
    ];
    db::audit::record(
        &mut tx,
        actor,
        "delete",
        (LINK_KIND, None, &link.name()),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests;
