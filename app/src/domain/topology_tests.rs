//! Problems found in the reference cluster, and the drawing of a large one.
use super::*;
use crate::domain::mesh::tests::reference_mesh;
use crate::domain::topology_svg::render;

fn hosts() -> Vec<TopoHost> {
    let h = |name: &str, ipv4: bool| TopoHost {
        name: name.into(),
        ipv4,
        ipv6: true,
    };
    vec![
        h("becblanche", false),
        h("hedwig", false),
        h("hermes", true),
        h("iris", true),
    ]
}

fn svc(name: &str, host: usize, needs_egress: bool) -> TopoService {
    TopoService {
        name: name.into(),
        kind: name.into(),
        host,
        needs_egress,
    }
}

/// puma (hermes) and sidekiq (hedwig) need postgresql and redis (becblanche).
fn services() -> (Vec<TopoService>, Vec<(usize, usize)>) {
    let services = vec![
        svc("postgresql", 0, false),
        svc("redis", 0, false),
        svc("sidekiq", 1, true),
        svc("puma", 2, true),
        svc("nginx", 2, false),
    ];
    (services, vec![(3, 0), (3, 1), (2, 0), (2, 1), (4, 3)])
}

#[test]
fn the_reference_cluster_has_no_problems() {
    let (nodes, links) = reference_mesh();
    let (services, deps) = services();
    let a = analyse(&hosts(), &services, &deps, &nodes, &links);
    assert_eq!(a.problems, vec![]);
    assert_eq!(
        a.dep_path,
        vec![
            DepPath::Direct,
            DepPath::Direct,
            DepPath::Direct,
            DepPath::Direct,
            DepPath::SameHost
        ]
    );
    assert_eq!(a.path[1].to_string(), "IPv6 own, IPv4 via hermes (NAT)");
}

#[test]
fn a_deleted_tunnel_is_a_missing_link_drawn_dashed_and_listed() {
    let (nodes, mut links) = reference_mesh();
    links.retain(|l| l.name() != "becblanche–hedwig");
    let (services, deps) = services();
    let a = analyse(&hosts(), &services, &deps, &nodes, &links);
    let texts: Vec<&str> = a.problems.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["No tunnel between becblanche and hedwig: the mesh is incomplete."]
    );
    assert_eq!(
        a.dep_path[2],
        DepPath::Routed,
        "sidekiq still reaches postgresql through hermes"
    );
    let svg = render(&hosts(), &services, &deps, &a);
    assert!(
        svg.contains("<g class=\"link missing\" data-hosts=\"becblanche hedwig\"><title>missing tunnel: becblanche – hedwig</title>"),
        "{svg}"
    );
    assert!(svg.contains(">missing becblanche–hedwig</text>"));
    assert!(svg.contains(
        "<g class=\"dep routed\"><title>sidekiq depends on postgresql: routed through another host"
    ));
}

#[test]
fn a_host_cut_off_from_the_mesh_makes_its_dependencies_unreachable() {
    let (nodes, mut links) = reference_mesh();
    links.retain(|l| l.a != "becblanche" && l.b != "becblanche");
    let (services, deps) = services();
    let a = analyse(&hosts(), &services, &deps, &nodes, &links);
    assert!(a.problems.iter().any(|p| p.text
        == "puma on hermes depends on postgresql on becblanche, which it cannot reach over the mesh."));
    assert_eq!(
        a.dep_path.iter().filter(|d| **d == DepPath::Unreachable).count(),
        4
    );
    let svg = render(&hosts(), &services, &deps, &a);
    assert_eq!(svg.matches("<g class=\"dep bad\">").count(), 4);
}

#[test]
fn a_service_needing_egress_on_a_host_without_ipv4_route_is_a_problem() {
    let (mut nodes, links) = reference_mesh();
    nodes[1].egress_via = None;
    let (services, deps) = services();
    let a = analyse(&hosts(), &services, &deps, &nodes, &links);
    let texts: Vec<&str> = a.problems.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["sidekiq on hedwig needs the internet, but hedwig has no IPv4 route (no public IPv4 and no egress host)."]
    );
}

#[test]
fn names_are_escaped_in_the_drawing() {
    let (nodes, links) = reference_mesh();
    let services = vec![svc("<script>", 2, false)];
    let a = analyse(&hosts(), &services, &[], &nodes, &links);
    let svg = render(&hosts(), &services, &[], &a);
    assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
}

#[test]
fn two_hundred_hosts_and_two_thousand_services_draw_quickly() {
    let hosts: Vec<TopoHost> = (0..200)
        .map(|i| TopoHost {
            name: format!("host-{i:03}"),
            ipv4: i % 4 == 0,
            ipv6: true,
        })
        .collect();
    let (mut nodes, _) = reference_mesh();
    let template = nodes.remove(0);
    let nodes: Vec<MeshNode> = (0..200)
        .map(|i| MeshNode {
            host: format!("host-{i:03}"),
            host_id: i,
            mesh_addr: Some(format!("fd00::{i:x}")),
            egress_via: None,
            ..template.clone()
        })
        .collect();
    // A ring with chords: connected, far from complete.
    let links: Vec<MeshLink> = (0..200)
        .flat_map(|i| [(i, (i + 1) % 200), (i, (i + 7) % 200)])
        .map(|(a, b)| MeshLink {
            a: format!("host-{a:03}"),
            b: format!("host-{b:03}"),
            addr_a: format!(
                "fd00:77::{:x}/127",
                4 * a + if b == (a + 1) % 200 { 0 } else { 2 }
            ),
            addr_b: format!(
                "fd00:77::{:x}/127",
                4 * a + if b == (a + 1) % 200 { 1 } else { 3 }
            ),
            port_a: 51820,
            port_b: 51821,
        })
        .collect();
    let services: Vec<TopoService> = (0..2000)
        .map(|i| svc(&format!("svc-{i}"), i / 10, i % 3 == 0))
        .collect();
    let deps: Vec<(usize, usize)> = (0..2000)
        .map(|i| (i, (i * 37 + 11) % 2000))
        .filter(|(a, b)| a != b)
        .collect();
    let started = std::time::Instant::now();
    let a = analyse(&hosts, &services, &deps, &nodes, &links);
    let svg = render(&hosts, &services, &deps, &a);
    let took = started.elapsed();
    assert!(svg.ends_with("</svg>"));
    // A test build is unoptimised and shares the machine: this catches a quadratic
    // slip, not the 50 ms of the release server (measured there, see the report).
    assert!(took.as_millis() < 1000, "took {took:?}");
}

#[test]
fn an_empty_cluster_draws_an_empty_picture_with_its_legend() {
    let a = analyse(&[], &[], &[], &[], &[]);
    let svg = render(&[], &[], &[], &a);
    assert!(svg.contains("0 hosts, 0 services") && svg.contains("not in the mesh"));
}

#[test]
fn a_port_or_address_used_twice_is_an_addressing_problem() {
    let (nodes, mut links) = reference_mesh();
    links[1].port_a = 51820;
    links[2].addr_b = "fd00:77::1/127".into();
    let a = analyse(&hosts(), &[], &[], &nodes, &links);
    let texts: Vec<&str> = a.problems.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "hermes listens on port 51820 for two tunnels.",
            "Tunnel address fd00:77::1 is used more than once (hedwig–hermes, becblanche–hedwig)."
        ]
    );
}
