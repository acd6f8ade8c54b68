//! The cluster as a graph: which hosts reach which over the mesh, and what is wrong.
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::mesh::{duplicate_addrs, internet_path, InternetPath};
use crate::model::mesh::{MeshLink, MeshNode};

/// A host as the topology draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopoHost {
    pub name: String,
    pub ipv4: bool,
    pub ipv6: bool,
}

/// A service with the index of its host in the host list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopoService {
    pub name: String,
    pub kind: String,
    pub host: usize,
    pub needs_egress: bool,
}

/// What kind of problem, so the page can group and style them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemKind {
    MissingLink,
    Unreachable,
    Egress,
    Addressing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub text: String,
}

/// How a dependency between services crosses the mesh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepPath {
    SameHost,
    Direct,
    /// Reachable, but through another host: no tunnel of its own.
    Routed,
    Unreachable,
}

/// Everything worked out once, in O(hosts + services + dependencies + tunnels), except
/// the missing pairs, which are O(mesh nodes²) by nature.
pub struct Analysis {
    /// Per host: its mesh node, if any.
    pub node: Vec<Option<usize>>,
    /// Per host: its path to the internet.
    pub path: Vec<InternetPath>,
    /// Per dependency: how it crosses the mesh.
    pub dep_path: Vec<DepPath>,
    /// Tunnels as (host index, host index).
    pub links: Vec<(usize, usize)>,
    /// Missing tunnels as (host index, host index).
    pub missing: Vec<(usize, usize)>,
    pub problems: Vec<Problem>,
}

/// At most this many missing tunnels are listed one by one; a large mesh that is not
/// meant to be full would otherwise drown every other problem.
pub const MISSING_LISTED: usize = 50;

pub fn analyse(
    hosts: &[TopoHost],
    services: &[TopoService],
    deps: &[(usize, usize)],
    nodes: &[MeshNode],
    links: &[MeshLink],
) -> Analysis {
    let index: HashMap<&str, usize> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.name.as_str(), i))
        .collect();
    let mut node = vec![None; hosts.len()];
    for (n, m) in nodes.iter().enumerate() {
        if let Some(&h) = index.get(m.host.as_str()) {
            node[h] = Some(n);
        }
    }
    let pair = |l: &MeshLink| Some((*index.get(l.a.as_str())?, *index.get(l.b.as_str())?));
    let link_pairs: Vec<(usize, usize)> = links.iter().filter_map(pair).collect();
    let direct: HashSet<(usize, usize)> = link_pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect();
    let mut parent: Vec<usize> = (0..hosts.len()).collect();
    for &(a, b) in &link_pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
    }
    let path: Vec<InternetPath> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| match node[i] {
            Some(n) => internet_path(&nodes[n], nodes, links),
            None if h.ipv4 => InternetPath::Own { ipv6: h.ipv6 },
            None => InternetPath::NoIpv4 {
                reason: "no public IPv4 and not in the mesh".into(),
            },
        })
        .collect();
    let mut problems = Vec::new();
    // Pairs of host indices, not names: 200 nodes make 19,900 pairs to check.
    let mut members: Vec<usize> = (0..hosts.len()).filter(|h| node[*h].is_some()).collect();
    members.sort_by(|x, y| hosts[*x].name.cmp(&hosts[*y].name));
    let mut missing = Vec::new();
    for (i, &x) in members.iter().enumerate() {
        for &y in &members[i + 1..] {
            if !direct.contains(&(x, y)) {
                missing.push((x, y));
            }
        }
    }
    for &(a, b) in missing.iter().take(MISSING_LISTED) {
        problems.push(Problem {
            kind: ProblemKind::MissingLink,
            text: format!(
                "No tunnel between {} and {}: the mesh is incomplete.",
                hosts[a].name, hosts[b].name
            ),
        });
    }
    if missing.len() > MISSING_LISTED {
        problems.push(Problem {
            kind: ProblemKind::MissingLink,
            text: format!("… and {} more missing tunnels.", missing.len() - MISSING_LISTED),
        });
    }
    let mut dep_path = Vec::with_capacity(deps.len());
    for &(from, to) in deps {
        let (x, y) = (services[from].host, services[to].host);
        let how = if x == y {
            DepPath::SameHost
        } else if node[x].is_none() || node[y].is_none() || root(&mut parent, x) != root(&mut parent, y) {
            DepPath::Unreachable
        } else if direct.contains(&(x, y)) {
            DepPath::Direct
        } else {
            DepPath::Routed
        };
        if how == DepPath::Unreachable {
            problems.push(Problem {
                kind: ProblemKind::Unreachable,
                text: format!(
                    "{} on {} depends on {} on {}, which it cannot reach over the mesh.",
                    services[from].name, hosts[x].name, services[to].name, hosts[y].name
                ),
            });
        }
        dep_path.push(how);
    }
    for s in services.iter().filter(|s| s.needs_egress) {
        if let InternetPath::NoIpv4 { reason } = &path[s.host] {
            problems.push(Problem {
                kind: ProblemKind::Egress,
                text: format!(
                    "{} on {} needs the internet, but {} has no IPv4 route ({reason}).",
                    s.name, hosts[s.host].name, hosts[s.host].name
                ),
            });
        }
    }
    addressing(nodes, links, &mut problems);
    Analysis {
        node,
        path,
        dep_path,
        links: link_pairs,
        missing,
        problems,
    }
}

/// Mesh nodes without a mesh address, router ids that collide, ports and tunnel addresses
/// in use twice.
fn addressing(nodes: &[MeshNode], links: &[MeshLink], problems: &mut Vec<Problem>) {
    let mut ids: HashMap<std::net::Ipv4Addr, &str> = HashMap::new();
    for n in nodes {
        if n.mesh_addr.is_none() {
            problems.push(Problem {
                kind: ProblemKind::Addressing,
                text: format!(
                    "{} is in the mesh but has no mesh address: BIRD has nothing to announce.",
                    n.host
                ),
            });
        }
        let id = super::bird::router_id(n);
        if let Some(other) = ids.insert(id, &n.host) {
            problems.push(Problem {
                kind: ProblemKind::Addressing,
                text: format!("{other} and {} would both use BIRD router id {id}.", n.host),
            });
        }
    }
    let mut ports: HashSet<(&str, u16)> = HashSet::new();
    for l in links {
        for (host, port) in [(l.a.as_str(), l.port_a), (l.b.as_str(), l.port_b)] {
            if !ports.insert((host, port)) {
                problems.push(Problem {
                    kind: ProblemKind::Addressing,
                    text: format!("{host} listens on port {port} for two tunnels."),
                });
            }
        }
    }
    for (addr, users) in duplicate_addrs(links) {
        problems.push(Problem {
            kind: ProblemKind::Addressing,
            text: format!(
                "Tunnel address {addr} is used more than once ({}).",
                users.join(", ")
            ),
        });
    }
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
#[path = "topology_tests.rs"]
mod tests;
