//! Mesh rules: keys, tunnel addresses, completeness, ports, proposals, paths to the internet.
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::mesh::{MeshLink, MeshNode};

/// A WireGuard public key: 44 characters of standard base64 encoding exactly 32 bytes.
/// 32 bytes leave 2 unused bits in the 43rd character, which must be zero.
pub fn parse_public_key(s: &str) -> Result<String, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let s = s.trim();
    let b = s.as_bytes();
    let index = |c: u8| ALPHABET.iter().position(|a| *a == c);
    let shape = b.len() == 44 && b[43] == b'=' && b[..43].iter().all(|c| index(*c).is_some());
    if !shape || index(b[42]).is_some_and(|i| i & 3 != 0) {
        return Err(
            "a WireGuard public key is 44 characters of base64 (32 bytes), as `wg pubkey` prints it".into(),
        );
    }
    Ok(s.to_owned())
}

/// One tunnel address with its prefix length, e.g. fd00:77::1/127.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TunnelAddr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl TunnelAddr {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} needs its prefix, e.g. fd00:77::1/127 or 10.77.0.1/31"))?;
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{addr:?} is not an IP address"))?;
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| format!("{prefix:?} is not a prefix length"))?;
        let allowed = match addr {
            // A tunnel has two ends: /31 (or /30 with network and broadcast left out).
            IpAddr::V4(_) => (30..=31).contains(&prefix),
            IpAddr::V6(_) => (64..=127).contains(&prefix),
        };
        if !allowed {
            return Err(format!(
                "{s}: use a small point-to-point subnet, /31 or /30 for IPv4, /127 to /64 for IPv6"
            ));
        }
        let t = Self { addr, prefix };
        if let IpAddr::V4(a) = addr {
            if prefix == 30 && (u32::from(a) & 3 == 0 || u32::from(a) & 3 == 3) {
                return Err(format!("{s} is the network or broadcast address of its /30"));
            }
        }
        Ok(t)
    }

    /// The address with its host bits cleared.
    pub fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        }
    }
}

impl fmt::Display for TunnelAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// One end's tunnel addresses: an IPv6 one, an IPv4 one, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelAddrs {
    pub v6: Option<TunnelAddr>,
    pub v4: Option<TunnelAddr>,
}

/// "fd00:77::/127, 10.77.0.0/31": at most one address per family, as wg-quick's Address.
pub fn parse_tunnel_addrs(s: &str) -> Result<TunnelAddrs, String> {
    let mut out = TunnelAddrs { v6: None, v4: None };
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let t = TunnelAddr::parse(part)?;
        let slot = if t.addr.is_ipv4() {
            &mut out.v4
        } else {
            &mut out.v6
        };
        if slot.replace(t).is_some() {
            return Err("give at most one IPv6 and one IPv4 address".into());
        }
    }
    if out.v4.is_none() && out.v6.is_none() {
        return Err("give this end's tunnel address, e.g. fd00:77::1/127".into());
    }
    Ok(out)
}

impl TunnelAddrs {
    pub fn all(&self) -> impl Iterator<Item = TunnelAddr> + '_ {
        self.v6.iter().chain(self.v4.iter()).copied()
    }

    /// Both ends of one tunnel: the same families, each pair in one subnet, not equal.
    pub fn pairs_with(&self, other: &TunnelAddrs) -> Result<(), String> {
        for (mine, theirs) in [(self.v6, other.v6), (self.v4, other.v4)] {
            match (mine, theirs) {
                (None, None) => {}
                (Some(m), Some(t)) => {
                    if m.prefix != t.prefix || m.network() != t.network() {
                        return Err(format!("{m} and {t} are not in the same subnet"));
                    }
                    if m.addr == t.addr {
                        return Err(format!("both ends have {}", m.addr));
                    }
                }
                _ => return Err("both ends need the same address families (IPv6, IPv4 or both)".into()),
            }
        }
        Ok(())
    }
}

impl fmt::Display for TunnelAddrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.all().map(|t| t.to_string()).collect();
        f.write_str(&parts.join(", "))
    }
}

/// The interface of the tunnel to `peer`: `wg-<peer>`, cut to Linux's 15 characters.
pub fn interface(peer: &str) -> String {
    let mut name = format!("wg-{peer}");
    name.truncate(15);
    name
}

/// Pairs of mesh nodes with no tunnel between them, each pair sorted, in name order.
pub fn missing_pairs(nodes: &[MeshNode], links: &[MeshLink]) -> Vec<(String, String)> {
    let have: HashSet<(&str, &str)> = links
        .iter()
        .map(|l| {
            if l.a <= l.b {
                (l.a.as_str(), l.b.as_str())
            } else {
                (l.b.as_str(), l.a.as_str())
            }
        })
        .collect();
    let names: BTreeSet<&str> = nodes.iter().map(|n| n.host.as_str()).collect();
    let names: Vec<&str> = names.into_iter().collect();
    let mut missing = Vec::new();
    for (i, x) in names.iter().enumerate() {
        for y in &names[i + 1..] {
            if !have.contains(&(*x, *y)) {
                missing.push(((*x).to_owned(), (*y).to_owned()));
            }
        }
    }
    missing
}

/// The lowest port from `base` up that none of `host`'s tunnels listens on.
pub fn next_free_port(host: &str, base: u16, links: &[MeshLink]) -> Option<u16> {
    let used: HashSet<u16> = links
        .iter()
        .filter_map(|l| l.from_side(host).map(|s| s.3))
        .collect();
    (base..=u16::MAX).find(|p| !used.contains(p))
}

/// Addresses to propose for a new tunnel: the next free /127 (and /31 when `with_v4`) in
/// the /64 (/24) the mesh already uses, else in fd00:77::/64 and 10.77.0.0/24.
pub fn propose_addrs(links: &[MeshLink], with_v4: bool) -> (String, String) {
    let taken: Vec<TunnelAddr> = links
        .iter()
        .flat_map(|l| [&l.addr_a, &l.addr_b])
        .filter_map(|s| parse_tunnel_addrs(s).ok())
        .flat_map(|t| t.all().collect::<Vec<_>>())
        .collect();
    let used: HashSet<IpAddr> = taken.iter().map(|t| t.network()).collect();
    let v6_base = taken
        .iter()
        .find_map(|t| match t.addr {
            IpAddr::V6(a) => Some(u128::from(a) & !(u128::from(u64::MAX))),
            IpAddr::V4(_) => None,
        })
        .unwrap_or(0xfd00_0077_0000_0000_0000_0000_0000_0000);
    let v6 = (0..u64::MAX / 2)
        .map(|i| v6_base + u128::from(i) * 2)
        .find(|n| !used.contains(&IpAddr::V6(Ipv6Addr::from(*n))))
        .unwrap_or(v6_base);
    let (mut a, mut b) = (
        format!("{}/127", Ipv6Addr::from(v6)),
        format!("{}/127", Ipv6Addr::from(v6 + 1)),
    );
    if with_v4 {
        let v4_base = taken
            .iter()
            .find_map(|t| match t.addr {
                IpAddr::V4(a) => Some(u32::from(a) & 0xffff_ff00),
                IpAddr::V6(_) => None,
            })
            .unwrap_or(0x0a4d_0000);
        let v4 = (0..128u32)
            .map(|i| v4_base + i * 2)
            .find(|n| !used.contains(&IpAddr::V4(Ipv4Addr::from(*n))))
            .unwrap_or(v4_base);
        a.push_str(&format!(", {}/31", Ipv4Addr::from(v4)));
        b.push_str(&format!(", {}/31", Ipv4Addr::from(v4 + 1)));
    }
    (a, b)
}

/// Tunnel addresses used by more than one end, with the tunnels using them.
pub fn duplicate_addrs(links: &[MeshLink]) -> Vec<(IpAddr, Vec<String>)> {
    let mut seen: HashMap<IpAddr, Vec<String>> = HashMap::new();
    for l in links {
        for s in [&l.addr_a, &l.addr_b] {
            for t in parse_tunnel_addrs(s)
                .iter()
                .flat_map(|t| t.all().collect::<Vec<_>>())
            {
                seen.entry(t.addr).or_default().push(l.name());
            }
        }
    }
    let mut dups: Vec<_> = seen.into_iter().filter(|(_, v)| v.len() > 1).collect();
    dups.sort();
    dups
}

/// How a host reaches the internet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InternetPath {
    Own { ipv6: bool },
    Via { gateway: String },
    NoIpv4 { reason: String },
}

impl fmt::Display for InternetPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Own { ipv6: true } => f.write_str("own IPv4 + IPv6"),
            Self::Own { ipv6: false } => f.write_str("own IPv4"),
            Self::Via { gateway } => write!(f, "IPv6 own, IPv4 via {gateway} (NAT)"),
            Self::NoIpv4 { reason } => write!(f, "no IPv4 route ({reason})"),
        }
    }
}

/// The path of `node` to the internet: its own IPv4, else NAT through `egress_via` when
/// that host has an IPv4 and a tunnel to this one carries IPv4 addresses.
pub fn internet_path(node: &MeshNode, nodes: &[MeshNode], links: &[MeshLink]) -> InternetPath {
    if node.ipv4.is_some() {
        return InternetPath::Own {
            ipv6: node.ipv6.is_some(),
        };
    }
    let Some(gw) = &node.egress_via else {
        return InternetPath::NoIpv4 {
            reason: "no public IPv4 and no egress host".into(),
        };
    };
    let Some(gateway) = nodes.iter().find(|n| &n.host == gw) else {
        return InternetPath::NoIpv4 {
            reason: format!("{gw} is not in the mesh"),
        };
    };
    if gateway.ipv4.is_none() {
        return InternetPath::NoIpv4 {
            reason: format!("{gw} has no public IPv4 either"),
        };
    }
    match egress_link(&node.host, gw, links) {
        Some(_) => InternetPath::Via { gateway: gw.clone() },
        None => InternetPath::NoIpv4 {
            reason: format!("no tunnel to {gw} with IPv4 addresses"),
        },
    }
}

/// The IPv4 tunnel addresses (own, gateway's) of the tunnel from `host` to `gateway`.
pub fn egress_link(host: &str, gateway: &str, links: &[MeshLink]) -> Option<(TunnelAddr, TunnelAddr)> {
    links.iter().find_map(|l| {
        let (peer, mine, theirs, _, _) = l.from_side(host)?;
        if peer != gateway {
            return None;
        }
        let mine = parse_tunnel_addrs(mine).ok()?.v4?;
        let theirs = parse_tunnel_addrs(theirs).ok()?.v4?;
        Some((mine, theirs))
    })
}

#[cfg(test)]
#[path = "mesh_tests.rs"]
pub(crate) mod tests;
