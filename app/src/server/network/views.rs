//! What the network pages show, read in one go and worked out by the pure generators.
use sqlx::SqlitePool;
use std::collections::HashMap;

use crate::api::network::{
    DeleteTunnelData, FileGroup, NetworkOverview, NodePage, NodeSummary, TopologyView, TunnelFormData,
    TunnelRow,
};
use crate::domain::mesh::{self, interface, internet_path, missing_pairs, InternetPath};
use crate::domain::topology::{analyse, TopoHost, TopoService};
use crate::domain::{bird, egress, topology_svg, wireguard};
use crate::model::mesh::{MeshLink, MeshNode, NodeInput, TunnelInput};
use crate::model::AppError;
use crate::server::db;

async fn mesh(pool: &SqlitePool) -> Result<(Vec<MeshNode>, Vec<MeshLink>), AppError> {
    let mut conn = pool.acquire().await?;
    Ok((
        db::mesh::nodes(&mut conn).await?,
        db::mesh::links(&mut conn).await?,
    ))
}

fn path_of(node: &MeshNode, nodes: &[MeshNode], links: &[MeshLink]) -> (String, bool) {
    let path = internet_path(node, nodes, links);
    let ok = !matches!(path, InternetPath::NoIpv4 { .. });
    (path.to_string(), ok)
}

pub async fn overview(pool: &SqlitePool) -> Result<NetworkOverview, AppError> {
    let (nodes, links) = mesh(pool).await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM hosts WHERE id NOT IN (SELECT host_id FROM mesh_nodes) ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let summaries = nodes
        .iter()
        .map(|n| {
            let (path, path_ok) = path_of(n, &nodes, &links);
            NodeSummary {
                host: n.host.clone(),
                endpoint: n.endpoint.clone(),
                mesh_addr: n.mesh_addr.clone(),
                path,
                path_ok,
            }
        })
        .collect();
    let tunnels = links
        .iter()
        .map(|l| {
            if l.a <= l.b {
                (l.a.clone(), l.b.clone())
            } else {
                (l.b.clone(), l.a.clone())
            }
        })
        .collect();
    Ok(NetworkOverview {
        missing: missing_pairs(&nodes, &links),
        nodes: summaries,
        tunnels,
        outside: names,
    })
}

fn tunnel_rows(host: &str, links: &[MeshLink]) -> Vec<TunnelRow> {
    let mut rows: Vec<TunnelRow> = links
        .iter()
        .filter_map(|l| l.from_side(host))
        .map(|(peer, addrs, peer_addrs, port, peer_port)| TunnelRow {
            interface: interface(peer),
            peer: peer.to_owned(),
            addrs: addrs.to_owned(),
            peer_addrs: peer_addrs.to_owned(),
            port,
            peer_port,
        })
        .collect();
    rows.sort_by(|a, b| a.peer.cmp(&b.peer));
    rows
}

/// The generated files of `node`, grouped as the page shows them.
pub fn files(node: &MeshNode, nodes: &[MeshNode], links: &[MeshLink]) -> Vec<FileGroup> {
    let mut groups = vec![
        FileGroup {
            title: "WireGuard tunnels".into(),
            help: "One wg-quick file per tunnel. Install the private key as /etc/wireguard/private.key (mode 600) first.".into(),
            files: wireguard::configs(node, nodes, links),
        },
        FileGroup {
            title: "Loopback".into(),
            help: "A dummy interface with the mesh address, kept by systemd-networkd.".into(),
            files: bird::loopback(node),
        },
        FileGroup {
            title: "BIRD".into(),
            help: "BIRD 2 announces the mesh address over OSPF through the tunnels.".into(),
            files: vec![bird::config(node, links)],
        },
    ];
    let nat = egress::gateway_rules(node, nodes, links);
    if !nat.is_empty() {
        groups.push(FileGroup {
            title: "Egress: NAT for other hosts".into(),
            help: "Forwarding and masquerading for the hosts that reach the IPv4 internet through this one."
                .into(),
            files: nat,
        });
    }
    if let Some(route) = egress::client_route(node, nodes, links) {
        groups.push(FileGroup {
            title: "Egress: IPv4 default route".into(),
            help: "Set by the tunnel's PostUp; shown here on its own.".into(),
            files: vec![crate::model::mesh::ConfigFile {
                path: format!("IPv4 route on {}", node.host),
                text: route,
            }],
        });
    }
    groups
}

pub async fn node_page(
    pool: &SqlitePool,
    host: &str,
    is_admin: bool,
    carried: Option<(NodeInput, AppError)>,
) -> Result<NodePage, AppError> {
    let host_id = db::mesh::host_id(&mut *pool.acquire().await?, host).await?;
    let (nodes, links) = mesh(pool).await?;
    let mut node = nodes.iter().find(|n| n.host == host).cloned();
    let (path, path_ok) = node.as_ref().map_or_else(
        || ("not in the mesh".to_owned(), true),
        |n| path_of(n, &nodes, &links),
    );
    let tunnels = tunnel_rows(host, &links);
    let others = nodes.iter().filter(|n| n.host != host).map(|n| n.host.clone());
    let missing_peers = if node.is_some() {
        others
            .clone()
            .filter(|p| !tunnels.iter().any(|t| &t.peer == p))
            .collect()
    } else {
        Vec::new()
    };
    let files = node
        .as_ref()
        .map(|n| files(n, &nodes, &links))
        .unwrap_or_default();
    if !is_admin {
        // Secret names tell what the store holds: only admins see them.
        if let Some(n) = node.as_mut() {
            n.wg_secret = n.wg_secret.as_ref().map(|_| "(set)".to_owned());
        }
    }
    let (input, error) = match carried {
        Some((input, error)) => (input, Some(error)),
        None => (
            node.as_ref().map_or_else(NodeInput::blank, NodeInput::from_node),
            None,
        ),
    };
    let history = db::audit::for_object(pool, super::NODE_KIND, host_id, 30).await?;
    Ok(NodePage {
        host: host.to_owned(),
        node,
        path,
        path_ok,
        tunnels,
        missing_peers,
        egress_choices: others.collect(),
        files,
        input,
        error,
        key_error: None,
        history,
        now: db::now(),
    })
}

pub async fn tunnel_form(
    pool: &SqlitePool,
    host: &str,
    peer: Option<String>,
    carried: Option<(TunnelInput, AppError)>,
) -> Result<TunnelFormData, AppError> {
    db::mesh::host_id(&mut *pool.acquire().await?, host).await?;
    let (nodes, links) = mesh(pool).await?;
    let this = nodes.iter().find(|n| n.host == host);
    let peers: Vec<String> = match this {
        Some(_) => nodes
            .iter()
            .filter(|n| {
                n.host != host
                    && !links
                        .iter()
                        .any(|l| l.from_side(host).is_some_and(|s| s.0 == n.host))
            })
            .map(|n| n.host.clone())
            .collect(),
        None => Vec::new(),
    };
    if let Some((input, error)) = carried {
        return Ok(TunnelFormData {
            host: host.to_owned(),
            peers,
            input,
            error: Some(error),
        });
    }
    let peer = peer
        .filter(|p| peers.contains(p))
        .or_else(|| peers.first().cloned())
        .unwrap_or_default();
    // IPv4 tunnel addresses only where one end goes out through the other.
    let egress_pair = nodes.iter().any(|n| {
        (n.host == host && n.egress_via.as_deref() == Some(peer.as_str()))
            || (n.host == peer && n.egress_via.as_deref() == Some(host))
    });
    let (addr_host, addr_peer) = mesh::propose_addrs(&links, egress_pair);
    Ok(TunnelFormData {
        host: host.to_owned(),
        peers,
        input: TunnelInput {
            host: host.to_owned(),
            peer,
            addr_host,
            addr_peer,
        },
        error: None,
    })
}

pub async fn delete_tunnel(
    pool: &SqlitePool,
    host: &str,
    peer: Option<String>,
    error: Option<AppError>,
) -> Result<DeleteTunnelData, AppError> {
    db::mesh::host_id(&mut *pool.acquire().await?, host).await?;
    let links = db::mesh::links(&mut *pool.acquire().await?).await?;
    let tunnels = tunnel_rows(host, &links);
    let tunnel = match peer {
        Some(p) => Some(
            tunnels
                .iter()
                .find(|t| t.peer == p)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    Ok(DeleteTunnelData {
        host: host.to_owned(),
        tunnel,
        tunnels,
        error,
    })
}

pub async fn topology(pool: &SqlitePool) -> Result<TopologyView, AppError> {
    let (nodes, links) = mesh(pool).await?;
    let (host_rows, service_rows, dep_rows) = db::mesh::topology(pool).await?;
    let hosts: Vec<TopoHost> = host_rows
        .into_iter()
        .map(|(name, ipv4, ipv6)| TopoHost { name, ipv4, ipv6 })
        .collect();
    let host_index: HashMap<&str, usize> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.name.as_str(), i))
        .collect();
    let services: Vec<TopoService> = service_rows
        .into_iter()
        .filter_map(|(name, kind, host, needs_egress)| {
            Some(TopoService {
                host: *host_index.get(host.as_str())?,
                name,
                kind,
                needs_egress,
            })
        })
        .collect();
    let svc_index: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let deps: Vec<(usize, usize)> = dep_rows
        .iter()
        .filter_map(|(a, b)| Some((*svc_index.get(a.as_str())?, *svc_index.get(b.as_str())?)))
        .collect();
    let analysis = analyse(&hosts, &services, &deps, &nodes, &links);
    let svg = topology_svg::render(&hosts, &services, &deps, &analysis);
    Ok(TopologyView {
        svg,
        problems: analysis.problems,
        hosts: hosts.len(),
        services: services.len(),
    })
}
