//! The reference cluster's mesh for `owlery demo`: three nodes, three tunnels, NAT on hermes.
//!
//! hedwig and becblanche both go out through hermes: the article needed it for hedwig
//! (Sidekiq, and GitHub has no IPv6); becblanche runs nothing that needs the internet,
//! but its upgrades fetch from IPv4-only places too, and the rule costs nothing.
//! The demo has no master key at hand, so no private keys are stored: the nodes carry
//! fixed example public keys and no secret, and their pages offer "Generate key".
use sqlx::SqlitePool;

use super::{LINK_KIND, NODE_KIND};
use crate::domain::mesh::parse_tunnel_addrs;
use crate::model::mesh::{link_name, MeshNode};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor, mesh::NodeFields};

/// (host, public key, endpoint, egress via): the keys are base64 of
/// "<host>-example-public-key-0…", valid in form and visibly not real.
const NODES: [(&str, &str, &str, Option<&str>); 3] = [
    (
        "hermes",
        "aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=",
        "172.16.20.20",
        None,
    ),
    (
        "hedwig",
        "aGVkd2lnLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=",
        "172.16.20.21",
        Some("hermes"),
    ),
    // Dialled over IPv6, to show that form too.
    (
        "becblanche",
        "YmVjYmxhbmNoZS1leGFtcGxlLXB1YmxpYy1rZXktMDA=",
        "2001:db8:20::22",
        Some("hermes"),
    ),
];

/// (x, y, x's addresses, y's addresses): IPv4 only on the tunnels carrying egress.
const LINKS: [(&str, &str, &str, &str); 3] = [
    (
        "hermes",
        "hedwig",
        "fd00:77::/127, 10.77.0.0/31",
        "fd00:77::1/127, 10.77.0.1/31",
    ),
    (
        "hermes",
        "becblanche",
        "fd00:77::2/127, 10.77.0.2/31",
        "fd00:77::3/127, 10.77.0.3/31",
    ),
    ("hedwig", "becblanche", "fd00:77::4/127", "fd00:77::5/127"),
];

const LISTEN_PORT: u16 = 51820;

/// Adds the nodes and tunnels that are missing; returns how many of each were added.
/// Hosts the demo did not create (renamed or deleted) are skipped.
pub async fn load(pool: &SqlitePool) -> Result<(usize, usize), AppError> {
    let actor = Actor::cli("demo");
    let mut tx = db::begin(pool).await?;
    let mut added = (0, 0);
    for (host, key, endpoint, via) in NODES {
        if db::mesh::node(&mut tx, host).await?.is_some() {
            continue;
        }
        let Ok(id) = db::mesh::host_id(&mut tx, host).await else {
            continue;
        };
        let egress_via = match via {
            Some(v) => db::mesh::host_id(&mut tx, v).await.ok(),
            None => None,
        };
        let fields = NodeFields {
            public_key: key,
            wg_secret: None,
            listen_port: LISTEN_PORT,
            endpoint,
            egress_via,
        };
        db::mesh::insert_node(&mut tx, id, &fields).await?;
        let after = db::mesh::node(&mut tx, host).await?.ok_or(AppError::NotFound)?;
        let object = (NODE_KIND, Some(id), host);
        db::audit::record_fields(&mut tx, &actor, object, None, Some(&after.fields())).await?;
        added.0 += 1;
    }
    let nodes = db::mesh::nodes(&mut tx).await?;
    let mut links = db::mesh::links(&mut tx).await?;
    for (x, y, addr_x, addr_y) in LINKS {
        let node = |h: &str| nodes.iter().find(|n| n.host == h).cloned();
        let (Some(nx), Some(ny)) = (node(x), node(y)) else {
            continue;
        };
        if links.iter().any(|l| l.from_side(x).is_some_and(|s| s.0 == y)) {
            continue;
        }
        let (ax, ay) = (parse_addrs(addr_x)?, parse_addrs(addr_y)?);
        let port =
            |n: &MeshNode, links: &[_]| crate::domain::mesh::next_free_port(&n.host, n.listen_port, links);
        let (Some(px), Some(py)) = (port(&nx, &links), port(&ny, &links)) else {
            continue;
        };
        db::mesh::insert_link(&mut tx, (nx.host_id, &ax, px), (ny.host_id, &ay, py)).await?;
        let changes = vec![
            (format!("{x} address"), String::new(), addr_x.to_owned()),
            (format!("{y} address"), String::new(), addr_y.to_owned()),
        ];
        db::audit::record(
            &mut tx,
            &actor,
            "create",
            (LINK_KIND, None, &link_name(x, y)),
            &changes,
        )
        .await?;
        links = db::mesh::links(&mut tx).await?;
        added.1 += 1;
    }
    tx.commit().await?;
    Ok(added)
}

fn parse_addrs(s: &str) -> Result<crate::domain::mesh::TunnelAddrs, AppError> {
    parse_tunnel_addrs(s).map_err(|e| crate::server::error::internal("demo tunnel addresses", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mesh::tests::reference_mesh;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn the_demo_mesh_is_the_reference_mesh_and_loads_once() {
        let (pool, _dir) = test_pool().await;
        crate::server::demo::load(&pool).await.unwrap();
        assert_eq!(
            load(&pool).await.unwrap(),
            (0, 0),
            "demo::load already added the mesh"
        );
        let mut conn = pool.acquire().await.unwrap();
        let mut nodes = db::mesh::nodes(&mut conn).await.unwrap();
        let links = db::mesh::links(&mut conn).await.unwrap();
        let (mut expected_nodes, expected_links) = reference_mesh();
        expected_nodes.sort_by(|a, b| a.host.cmp(&b.host));
        // The reference keeps hermes's key in the store; the demo has no master key.
        expected_nodes.iter_mut().for_each(|n| n.wg_secret = None);
        nodes.iter_mut().for_each(|n| n.version = 1);
        assert_eq!(nodes, expected_nodes);
        let mut expected_links = expected_links;
        expected_links.sort_by(|a, b| (&a.a, &a.b).cmp(&(&b.a, &b.b)));
        assert_eq!(links, expected_links);
    }
}
