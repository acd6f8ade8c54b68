//! The reference mesh (hermes, hedwig, becblanche) and the rules checked against it.
use super::*;

fn node(id: i64, host: &str, mesh: &str, endpoint: &str, ipv4: Option<&str>, via: Option<&str>) -> MeshNode {
    MeshNode {
        host_id: id,
        host: host.into(),
        public_key: example_key(host).into(),
        wg_secret: (host == "hermes").then(|| "wg-hermes".to_owned()),
        listen_port: 51820,
        endpoint: endpoint.into(),
        egress_via: via.map(Into::into),
        mesh_addr: Some(mesh.into()),
        ipv4: ipv4.map(Into::into),
        ipv6: Some(format!("2001:db8:20::{}", 18 + id)),
        version: 1,
    }
}

/// base64 of "<host>-example-public-key-000…" cut to 32 bytes: valid, visibly fake.
fn example_key(host: &str) -> &'static str {
    match host {
        "hermes" => "aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=",
        "hedwig" => "aGVkd2lnLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=",
        _ => "YmVjYmxhbmNoZS1leGFtcGxlLXB1YmxpYy1rZXktMDA=",
    }
}

fn link(a: &str, b: &str, addr_a: &str, addr_b: &str, port_a: u16, port_b: u16) -> MeshLink {
    MeshLink {
        a: a.into(),
        b: b.into(),
        addr_a: addr_a.into(),
        addr_b: addr_b.into(),
        port_a,
        port_b,
    }
}

/// The mesh of the reference cluster, as the demo loads it; only hermes has its private
/// key in the secret store here.
pub(crate) fn reference_mesh() -> (Vec<MeshNode>, Vec<MeshLink>) {
    let nodes = vec![
        node(
            2,
            "hermes",
            "fd00:6f77::1",
            "172.16.20.20",
            Some("192.0.2.20"),
            None,
        ),
        node(3, "hedwig", "fd00:6f77::2", "172.16.20.21", None, Some("hermes")),
        node(
            4,
            "becblanche",
            "fd00:6f77::3",
            "2001:db8:20::22",
            None,
            Some("hermes"),
        ),
    ];
    let links = vec![
        link(
            "hermes",
            "hedwig",
            "fd00:77::/127, 10.77.0.0/31",
            "fd00:77::1/127, 10.77.0.1/31",
            51820,
            51820,
        ),
        link(
            "hermes",
            "becblanche",
            "fd00:77::2/127, 10.77.0.2/31",
            "fd00:77::3/127, 10.77.0.3/31",
            51821,
            51820,
        ),
        link(
            "hedwig",
            "becblanche",
            "fd00:77::4/127",
            "fd00:77::5/127",
            51821,
            51821,
        ),
    ];
    (nodes, links)
}

#[test]
fn the_example_keys_are_valid_public_keys() {
    for host in ["hermes", "hedwig", "becblanche"] {
        assert!(parse_public_key(example_key(host)).is_ok(), "{host}");
    }
    assert!(
        parse_public_key("aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDB=").is_err(),
        "stray bits"
    );
    assert!(parse_public_key("aGVybWVz").is_err());
    assert!(parse_public_key("aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwM*A=").is_err());
}

#[test]
fn tunnel_addresses_need_a_small_prefix() {
    assert!(TunnelAddr::parse("fd00:77::1/127").is_ok());
    assert!(TunnelAddr::parse("10.77.0.1/31").is_ok());
    assert!(TunnelAddr::parse("10.77.0.1").is_err());
    assert!(TunnelAddr::parse("10.77.0.1/24").is_err());
    assert!(TunnelAddr::parse("10.77.0.0/30").is_err(), "network address");
    assert!(TunnelAddr::parse("fd00::1/48").is_err());
    assert!(
        parse_tunnel_addrs("fd00::1/127, fd00::3/127").is_err(),
        "two IPv6"
    );
    assert!(parse_tunnel_addrs(" , ").is_err());
}

#[test]
fn both_ends_must_share_families_and_subnet() {
    let p = |s: &str| parse_tunnel_addrs(s).expect("valid");
    assert!(p("fd00:77::/127, 10.77.0.0/31")
        .pairs_with(&p("fd00:77::1/127, 10.77.0.1/31"))
        .is_ok());
    assert!(p("fd00:77::/127, 10.77.0.0/31")
        .pairs_with(&p("fd00:77::1/127"))
        .is_err());
    assert!(p("fd00:77::/127").pairs_with(&p("fd00:77::/127")).is_err());
    assert!(p("10.77.0.1/31").pairs_with(&p("10.77.0.2/31")).is_err());
}

#[test]
fn the_reference_mesh_is_complete_and_loses_a_pair_with_a_tunnel() {
    let (nodes, mut links) = reference_mesh();
    assert!(missing_pairs(&nodes, &links).is_empty());
    links.remove(2);
    assert_eq!(
        missing_pairs(&nodes, &links),
        vec![("becblanche".to_owned(), "hedwig".to_owned())]
    );
}

#[test]
fn a_new_tunnel_takes_the_next_free_port_and_addresses() {
    let (_, links) = reference_mesh();
    assert_eq!(next_free_port("hermes", 51820, &links), Some(51822));
    assert_eq!(next_free_port("iris", 51820, &links), Some(51820));
    assert_eq!(
        propose_addrs(&links, true),
        (
            "fd00:77::6/127, 10.77.0.4/31".to_owned(),
            "fd00:77::7/127, 10.77.0.5/31".to_owned()
        )
    );
    assert_eq!(
        propose_addrs(&[], false),
        ("fd00:77::/127".to_owned(), "fd00:77::1/127".to_owned())
    );
    assert!(duplicate_addrs(&links).is_empty());
}

#[test]
fn each_host_has_its_path_to_the_internet() {
    let (mut nodes, mut links) = reference_mesh();
    let path = |i: usize, n: &[MeshNode], l: &[MeshLink]| internet_path(&n[i], n, l).to_string();
    assert_eq!(path(0, &nodes, &links), "own IPv4 + IPv6");
    assert_eq!(path(1, &nodes, &links), "IPv6 own, IPv4 via hermes (NAT)");
    links[0].addr_a = "fd00:77::/127".into();
    links[0].addr_b = "fd00:77::1/127".into();
    assert_eq!(
        path(1, &nodes, &links),
        "no IPv4 route (no tunnel to hermes with IPv4 addresses)"
    );
    nodes[2].egress_via = None;
    assert_eq!(
        path(2, &nodes, &links),
        "no IPv4 route (no public IPv4 and no egress host)"
    );
}
