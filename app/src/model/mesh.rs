//! The WireGuard mesh: nodes (one per host) and tunnels, as stored, submitted and validated.
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

use super::error::FieldErrors;
use super::host::parse_port;
use crate::domain::mesh::{parse_public_key, parse_tunnel_addrs, TunnelAddrs};
use crate::domain::names::parse_label;

/// A host's place in the mesh, with the host facts the generators need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshNode {
    pub host_id: i64,
    pub host: String,
    /// base64 of the 32-byte public key.
    pub public_key: String,
    /// The secret holding the private key; only admins learn its name ("(set)" otherwise).
    pub wg_secret: Option<String>,
    /// The first port of this host's tunnels.
    pub listen_port: u16,
    /// The address the other hosts dial.
    pub endpoint: String,
    /// The host whose NAT this one reaches the IPv4 internet through.
    pub egress_via: Option<String>,
    /// hosts.mesh_addr: the loopback address BIRD announces.
    pub mesh_addr: Option<String>,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub version: i64,
}

/// One tunnel, stored once: `a` is the end created first by id, `b` the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshLink {
    pub a: String,
    pub b: String,
    /// Each end's tunnel addresses with prefix, wg-quick style: "fd00:77::/127, 10.77.0.0/31".
    pub addr_a: String,
    pub addr_b: String,
    pub port_a: u16,
    pub port_b: u16,
}

impl MeshLink {
    /// The link as seen from `host`: (peer, own addresses, peer addresses, own port, peer port).
    pub fn from_side(&self, host: &str) -> Option<(&str, &str, &str, u16, u16)> {
        if self.a == host {
            Some((&self.b, &self.addr_a, &self.addr_b, self.port_a, self.port_b))
        } else if self.b == host {
            Some((&self.a, &self.addr_b, &self.addr_a, self.port_b, self.port_a))
        } else {
            None
        }
    }

    /// How the change log and pages name a tunnel: both hosts, sorted.
    pub fn name(&self) -> String {
        link_name(&self.a, &self.b)
    }
}

/// A generated file: where it goes on the host and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFile {
    pub path: String,
    pub text: String,
}

pub fn link_name(x: &str, y: &str) -> String {
    if x <= y {
        format!("{x}–{y}")
    } else {
        format!("{y}–{x}")
    }
}

/// A node form as submitted. An empty public key on a new node asks the server to
/// generate a key pair and keep the private half in the secret store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeInput {
    pub public_key: String,
    pub wg_secret: String,
    pub listen_port: String,
    pub endpoint: String,
    pub egress_via: String,
    pub version: String,
}

/// A node whose fields have been checked. `public_key` None: generate a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDraft {
    pub public_key: Option<String>,
    pub wg_secret: Option<String>,
    pub listen_port: u16,
    pub endpoint: IpAddr,
    pub egress_via: Option<String>,
    pub version: Option<i64>,
}

impl NodeInput {
    pub fn blank() -> Self {
        Self {
            listen_port: "51820".into(),
            ..Self::default()
        }
    }

    pub fn from_node(n: &MeshNode) -> Self {
        Self {
            public_key: n.public_key.clone(),
            wg_secret: n.wg_secret.clone().unwrap_or_default(),
            listen_port: n.listen_port.to_string(),
            endpoint: n.endpoint.clone(),
            egress_via: n.egress_via.clone().unwrap_or_default(),
            version: n.version.to_string(),
        }
    }

    pub fn parse(&self) -> Result<NodeDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let key = self.public_key.trim();
        let public_key = if key.is_empty() {
            Some(None)
        } else {
            e.check("public_key", parse_public_key(key)).map(Some)
        };
        let wg_secret = e.check("wg_secret", optional_label(&self.wg_secret));
        let listen_port = e.check("listen_port", parse_port(&self.listen_port));
        let endpoint = e.check("endpoint", parse_endpoint(&self.endpoint));
        let egress_via = e.check("egress_via", optional_label(&self.egress_via));
        let version = e.check("version", parse_version(&self.version));
        match (public_key, wg_secret, listen_port, endpoint, egress_via, version) {
            (
                Some(public_key),
                Some(wg_secret),
                Some(listen_port),
                Some(endpoint),
                Some(egress_via),
                Some(version),
            ) if e.is_empty() => Ok(NodeDraft {
                public_key,
                wg_secret,
                listen_port,
                endpoint,
                egress_via,
                version,
            }),
            _ => Err(e),
        }
    }
}

impl MeshNode {
    /// Every editable field as text, in form order, for the change log.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("public_key", self.public_key.clone()),
            ("wg_secret", self.wg_secret.clone().unwrap_or_default()),
            ("listen_port", self.listen_port.to_string()),
            ("endpoint", self.endpoint.clone()),
            ("egress_via", self.egress_via.clone().unwrap_or_default()),
        ]
    }
}

/// A new tunnel as submitted from one host's page: the peer and both ends' addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TunnelInput {
    pub host: String,
    pub peer: String,
    pub addr_host: String,
    pub addr_peer: String,
}

/// A tunnel whose addresses have been checked against each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelDraft {
    pub host: String,
    pub peer: String,
    pub addr_host: TunnelAddrs,
    pub addr_peer: TunnelAddrs,
}

impl TunnelInput {
    pub fn parse(&self) -> Result<TunnelDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let host = e.check("host", parse_label(&self.host));
        let peer = e.check("peer", parse_label(&self.peer));
        if let (Some(h), Some(p)) = (&host, &peer) {
            if h == p {
                e.add("peer", "a tunnel joins two different hosts");
            }
        }
        let addr_host = e.check("addr_host", parse_tunnel_addrs(&self.addr_host));
        let addr_peer = e.check("addr_peer", parse_tunnel_addrs(&self.addr_peer));
        if let (Some(x), Some(y)) = (&addr_host, &addr_peer) {
            if let Err(m) = x.pairs_with(y) {
                e.add("addr_peer", m);
            }
        }
        match (host, peer, addr_host, addr_peer) {
            (Some(host), Some(peer), Some(addr_host), Some(addr_peer)) if e.is_empty() => Ok(TunnelDraft {
                host,
                peer,
                addr_host,
                addr_peer,
            }),
            _ => Err(e),
        }
    }
}

fn optional_label(s: &str) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        parse_label(s).map(Some)
    }
}

/// The address peers dial: an IPv4 or IPv6 literal, brackets allowed around IPv6.
pub fn parse_endpoint(s: &str) -> Result<IpAddr, String> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    if s.is_empty() {
        return Err("this field is required".into());
    }
    s.parse()
        .map_err(|_| format!("{s:?} is not an IPv4 or IPv6 address (names are not resolved)"))
}

fn parse_version(s: &str) -> Result<Option<i64>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| "the form is damaged; reload the page".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> NodeInput {
        NodeInput {
            public_key: "aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=".into(),
            endpoint: "[2001:db8::20]".into(),
            egress_via: "Hermes".into(),
            ..NodeInput::blank()
        }
    }

    #[test]
    fn a_complete_node_form_parses() {
        let d = valid().parse().expect("valid");
        assert_eq!(d.listen_port, 51820);
        assert_eq!(d.endpoint.to_string(), "2001:db8::20");
        assert_eq!(d.egress_via.as_deref(), Some("hermes"));
        assert!(d.public_key.is_some());
    }

    #[test]
    fn an_empty_public_key_asks_for_a_generated_pair() {
        let d = NodeInput {
            public_key: " ".into(),
            ..valid()
        };
        assert_eq!(d.parse().expect("valid").public_key, None);
    }

    #[test]
    fn every_bad_node_field_is_reported_under_its_name() {
        let input = NodeInput {
            public_key: "not-a-key".into(),
            listen_port: "0".into(),
            endpoint: "hermes.example".into(),
            egress_via: "no way".into(),
            ..valid()
        };
        let errors = input.parse().expect_err("invalid");
        for field in ["public_key", "listen_port", "endpoint", "egress_via"] {
            assert!(errors.get(field).is_some(), "no message for {field}: {errors}");
        }
    }

    #[test]
    fn a_tunnel_needs_two_hosts_and_ends_in_one_subnet() {
        let t = |peer: &str, a: &str, b: &str| TunnelInput {
            host: "hermes".into(),
            peer: peer.into(),
            addr_host: a.into(),
            addr_peer: b.into(),
        };
        assert!(t(
            "hedwig",
            "fd00:77::/127, 10.77.0.0/31",
            "fd00:77::1/127, 10.77.0.1/31"
        )
        .parse()
        .is_ok());
        let same = t("hermes", "fd00:77::/127", "fd00:77::1/127")
            .parse()
            .expect_err("same host");
        assert!(same.get("peer").is_some());
        let apart = t("hedwig", "fd00:77::/127", "fd00:77::3/127")
            .parse()
            .expect_err("apart");
        assert!(apart.get("addr_peer").is_some(), "{apart}");
    }
}
