//! The WireGuard mesh in the inventory file: one node per host, and the tunnels.
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{audit, of};
use crate::domain::mesh::{parse_public_key, parse_tunnel_addrs};
use crate::model::inventory::{ObjectChange, Op};
use crate::model::mesh::{link_name, MeshLink, MeshNode, NodeInput, TunnelInput};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor, mesh::NodeFields};
use crate::server::inventory::doc::Problem;
use crate::server::inventory::lines::Lines;

pub const NODE: &str = "mesh_node";
pub const LINK: &str = "mesh_link";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDoc {
    pub host: String,
    pub public_key: String,
    /// The secret store entry holding the private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wg_secret: Option<String>,
    pub listen_port: u16,
    pub endpoint: String,
    /// The host whose NAT this one reaches the IPv4 internet through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_via: Option<String>,
}

/// A tunnel, its ends in name order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDoc {
    pub a: String,
    pub b: String,
    pub addr_a: String,
    pub addr_b: String,
    pub port_a: u16,
    pub port_b: u16,
}

impl NodeDoc {
    fn from_node(n: &MeshNode) -> Self {
        Self {
            host: n.host.clone(),
            public_key: n.public_key.clone(),
            wg_secret: n.wg_secret.clone(),
            listen_port: n.listen_port,
            endpoint: n.endpoint.clone(),
            egress_via: n.egress_via.clone(),
        }
    }
}

impl LinkDoc {
    /// The same tunnel with its ends in name order.
    fn ordered(self) -> Self {
        if self.a <= self.b {
            self
        } else {
            Self {
                a: self.b,
                b: self.a,
                addr_a: self.addr_b,
                addr_b: self.addr_a,
                port_a: self.port_b,
                port_b: self.port_a,
            }
        }
    }

    pub fn name(&self) -> String {
        link_name(&self.a, &self.b)
    }
}

pub async fn load(conn: &mut SqliteConnection) -> Result<(Vec<NodeDoc>, Vec<LinkDoc>), AppError> {
    let nodes = db::mesh::nodes(conn)
        .await?
        .iter()
        .map(NodeDoc::from_node)
        .collect();
    let mut links: Vec<LinkDoc> = db::mesh::links(conn)
        .await?
        .into_iter()
        .map(|l: MeshLink| {
            LinkDoc {
                a: l.a,
                b: l.b,
                addr_a: l.addr_a,
                addr_b: l.addr_b,
                port_a: l.port_a,
                port_b: l.port_b,
            }
            .ordered()
        })
        .collect();
    links.sort_by_key(LinkDoc::name);
    Ok((nodes, links))
}

/// The nodes of a file as stored: a file always names the public key (a key pair is
/// generated on the node's page, never by an import).
pub fn check_nodes(docs: &[NodeDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<NodeDoc> {
    let mut checked: Vec<NodeDoc> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let at = |field: &str| format!("mesh_nodes[{i}].{field}");
        if let Err(m) = parse_public_key(&doc.public_key) {
            problems.push(Problem::at(lines, at("public_key"), m));
        }
        let input = NodeInput {
            public_key: doc.public_key.clone(),
            wg_secret: doc.wg_secret.clone().unwrap_or_default(),
            listen_port: doc.listen_port.to_string(),
            endpoint: doc.endpoint.clone(),
            egress_via: doc.egress_via.clone().unwrap_or_default(),
            version: String::new(),
        };
        match input.parse() {
            Ok(d) => {
                if checked.iter().any(|c| c.host == doc.host) {
                    problems.push(Problem::at(
                        lines,
                        at("host"),
                        format!("{} has two nodes", doc.host),
                    ));
                }
                checked.push(NodeDoc {
                    host: doc.host.clone(),
                    public_key: d.public_key.unwrap_or_default(),
                    wg_secret: d.wg_secret,
                    listen_port: d.listen_port,
                    endpoint: d.endpoint.to_string(),
                    egress_via: d.egress_via,
                });
            }
            Err(errors) => {
                problems.extend(errors.0.into_iter().filter(|e| e.field != "public_key").map(|e| {
                    let field = e.field.clone();
                    Problem::at(lines, at(&field), e.message)
                }))
            }
        }
    }
    checked.sort_by(|a, b| a.host.cmp(&b.host));
    checked
}

/// The tunnels of a file as stored, ends in name order.
pub fn check_links(docs: &[LinkDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<LinkDoc> {
    let mut checked: Vec<LinkDoc> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let at = |field: &str| format!("mesh_links[{i}].{field}");
        let input = TunnelInput {
            host: doc.a.clone(),
            peer: doc.b.clone(),
            addr_host: doc.addr_a.clone(),
            addr_peer: doc.addr_b.clone(),
        };
        for (field, port) in [("port_a", doc.port_a), ("port_b", doc.port_b)] {
            if port == 0 {
                problems.push(Problem::at(lines, at(field), "port must be between 1 and 65535"));
            }
        }
        match input.parse() {
            Ok(t) => {
                let link = LinkDoc {
                    a: t.host,
                    b: t.peer,
                    addr_a: t.addr_host.to_string(),
                    addr_b: t.addr_peer.to_string(),
                    port_a: doc.port_a,
                    port_b: doc.port_b,
                }
                .ordered();
                if checked.iter().any(|c| c.name() == link.name()) {
                    problems.push(Problem::at(
                        lines,
                        at("b"),
                        format!("{} is listed twice", link.name()),
                    ));
                }
                checked.push(link);
            }
            Err(errors) => problems.extend(errors.0.into_iter().map(|e| {
                let field = match e.field.as_str() {
                    "host" => "a",
                    "peer" => "b",
                    "addr_host" => "addr_a",
                    "addr_peer" => "addr_b",
                    other => other,
                };
                Problem::at(lines, at(field), e.message)
            })),
        }
    }
    checked.sort_by_key(LinkDoc::name);
    checked
}

/// Nodes sit on hosts of the inventory the file leads to, egress goes through one of its
/// hosts, tunnels join two of its nodes, and no host listens twice on one port.
pub fn check_refs(
    file: (&[NodeDoc], &[LinkDoc]),
    target: (&[NodeDoc], &[LinkDoc]),
    hosts: &[String],
    lines: &Lines,
    problems: &mut Vec<Problem>,
) {
    let (nodes, links) = file;
    for (i, n) in nodes.iter().enumerate() {
        if !hosts.contains(&n.host) {
            problems.push(Problem::at(
                lines,
                format!("mesh_nodes[{i}].host"),
                format!("there is no host named {}", n.host),
            ));
        }
        if let Some(via) = n
            .egress_via
            .as_ref()
            .filter(|v| !hosts.contains(v) || **v == n.host)
        {
            problems.push(Problem::at(
                lines,
                format!("mesh_nodes[{i}].egress_via"),
                format!("{via} is not another host of the inventory"),
            ));
        }
    }
    let in_mesh = |h: &str| target.0.iter().any(|n| n.host == h);
    for (i, l) in links.iter().enumerate() {
        for (field, end) in [("a", &l.a), ("b", &l.b)] {
            if !in_mesh(end) {
                problems.push(Problem::at(
                    lines,
                    format!("mesh_links[{i}].{field}"),
                    format!("{end} has no mesh node"),
                ));
            }
        }
        for (field, end, port) in [("port_a", &l.a, l.port_a), ("port_b", &l.b, l.port_b)] {
            let uses = target
                .1
                .iter()
                .filter(|o| (&o.a == end && o.port_a == port) || (&o.b == end && o.port_b == port))
                .count();
            if uses > 1 {
                problems.push(Problem::at(
                    lines,
                    format!("mesh_links[{i}].{field}"),
                    format!("{end} already listens on port {port} for another tunnel"),
                ));
            }
        }
    }
}

/// Adds and changes nodes (after hosts), then tunnels (after nodes).
pub async fn upsert(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    nodes: &[NodeDoc],
    links: &[LinkDoc],
) -> Result<(), AppError> {
    for change in of(changes, NODE, Op::Add).chain(of(changes, NODE, Op::Change)) {
        let Some(n) = nodes.iter().find(|n| n.host == change.name) else {
            continue;
        };
        let host_id = db::mesh::host_id(conn, &n.host).await?;
        let egress_via = match &n.egress_via {
            Some(via) => Some(db::mesh::host_id(conn, via).await?),
            None => None,
        };
        let fields = NodeFields {
            public_key: &n.public_key,
            wg_secret: n.wg_secret.as_deref(),
            listen_port: n.listen_port,
            endpoint: &n.endpoint,
            egress_via,
        };
        match db::mesh::node(conn, &n.host).await? {
            Some(current) => db::mesh::update_node(conn, host_id, current.version, &fields).await?,
            None => db::mesh::insert_node(conn, host_id, &fields).await?,
        }
        audit(conn, actor, change, Some(host_id)).await?;
    }
    for change in of(changes, LINK, Op::Change).chain(of(changes, LINK, Op::Add)) {
        let Some(l) = links.iter().find(|l| l.name() == change.name) else {
            continue;
        };
        let (a, b) = (
            db::mesh::host_id(conn, &l.a).await?,
            db::mesh::host_id(conn, &l.b).await?,
        );
        if change.op == Op::Change {
            db::mesh::delete_link(conn, a, b).await?;
        }
        let addrs = |s: &str| parse_tunnel_addrs(s).map_err(|m| AppError::field("addr", m));
        db::mesh::insert_link(
            conn,
            (a, &addrs(&l.addr_a)?, l.port_a),
            (b, &addrs(&l.addr_b)?, l.port_b),
        )
        .await?;
        audit(conn, actor, change, None).await?;
    }
    Ok(())
}

/// Removes tunnels, then nodes (before their hosts go).
pub async fn remove(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    current: &[LinkDoc],
) -> Result<(), AppError> {
    for change in of(changes, LINK, Op::Remove) {
        let Some(l) = current.iter().find(|l| l.name() == change.name) else {
            continue;
        };
        let (a, b) = (
            db::mesh::host_id(conn, &l.a).await?,
            db::mesh::host_id(conn, &l.b).await?,
        );
        db::mesh::delete_link(conn, a, b).await?;
        audit(conn, actor, change, None).await?;
    }
    for change in of(changes, NODE, Op::Remove) {
        let host_id = db::mesh::host_id(conn, &change.name).await?;
        sqlx::query("DELETE FROM mesh_nodes WHERE host_id = ?")
            .bind(host_id)
            .execute(&mut *conn)
            .await?;
        audit(conn, actor, change, Some(host_id)).await?;
    }
    Ok(())
}
