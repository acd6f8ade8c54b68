//! The mesh, the way out to the internet, and mail: what the topology analysis finds,
//! worded as findings, plus the relay's sending addresses.
use std::collections::HashMap;
use std::net::IpAddr;

use super::{Finding, Input, ObjectKind, Severity};
use crate::domain::mail::{sending_addresses, RelayHost};
use crate::domain::mesh::InternetPath;
use crate::domain::topology::{
    analyse, Analysis, DepPath, ProblemKind, TopoHost, TopoService, MISSING_LISTED,
};

fn analysis(input: &Input) -> (Vec<TopoHost>, Vec<(usize, usize)>, Analysis) {
    let hosts: Vec<TopoHost> = input
        .hosts
        .iter()
        .map(|h| TopoHost {
            name: h.name.clone(),
            ipv4: h.ipv4.is_some(),
            ipv6: h.ipv6.is_some(),
        })
        .collect();
    let host_index: HashMap<&str, usize> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.name.as_str(), i))
        .collect();
    let services: Vec<TopoService> = input
        .services
        .iter()
        .map(|s| TopoService {
            name: s.name.clone(),
            kind: s.kind.clone(),
            host: host_index.get(s.host.as_str()).copied().unwrap_or(usize::MAX),
            needs_egress: s.needs_egress,
        })
        .filter(|s| s.host != usize::MAX)
        .collect();
    let svc_index: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let deps: Vec<(usize, usize)> = input
        .services
        .iter()
        .flat_map(|s| s.deps.iter().map(move |d| (s.name.as_str(), d.as_str())))
        .filter_map(|(a, b)| Some((*svc_index.get(a)?, *svc_index.get(b)?)))
        .collect();
    let a = analyse(&hosts, &services, &deps, &input.nodes, &input.links);
    (hosts, deps, a)
}

/// Missing tunnels, dependencies across hosts with no tunnel, services that need the
/// internet on a host with no IPv4 route, and mesh addressing clashes.
pub fn mesh_and_egress(input: &Input, out: &mut Vec<Finding>) {
    let (hosts, deps, a) = analysis(input);
    let services: Vec<&super::CheckService> = input
        .services
        .iter()
        .filter(|s| input.host(&s.host).is_some())
        .collect();
    for &(x, y) in a.missing.iter().take(MISSING_LISTED) {
        let (x, y) = (&hosts[x].name, &hosts[y].name);
        out.push(
            Finding::new("mesh-incomplete", Severity::Warning, format!("No tunnel between {x} and {y}."))
                .on(ObjectKind::Host, x)
                .on(ObjectKind::Host, y)
                .why("OSPF routes around a missing tunnel through a third host, so it works until that host reboots; then both lose each other, with the database often on one side.")
                .fix(format!("Add a tunnel between {x} and {y} on the Network page and apply it on both hosts.")),
        );
    }
    for (&(from, to), how) in deps.iter().zip(&a.dep_path) {
        let (s, d) = (services[from], services[to]);
        let (severity, rule, why) = match how {
            DepPath::Unreachable => (
                Severity::Error,
                "dependency-no-tunnel",
                "Services bind to mesh addresses: with no path over the mesh the connection times out, and the service fails at its first query.",
            ),
            DepPath::Routed => (
                Severity::Warning,
                "dependency-routed",
                "The traffic crosses a third host: it works, but stops when that host does, and the failure shows up on a host that looks healthy.",
            ),
            DepPath::SameHost | DepPath::Direct => continue,
        };
        out.push(
            Finding::new(
                rule,
                severity,
                format!(
                    "{} on {} depends on {} on {}, with no tunnel between the two hosts.",
                    s.name, s.host, d.name, d.host
                ),
            )
            .on(ObjectKind::Service, &s.name)
            .on(ObjectKind::Service, &d.name)
            .why(why)
            .fix(format!(
                "Add a tunnel between {} and {} (Network page), or move one of the services.",
                s.host, d.host
            )),
        );
    }
    for s in input.services.iter().filter(|s| s.needs_egress) {
        let Some(i) = hosts.iter().position(|h| h.name == s.host) else {
            continue;
        };
        if let InternetPath::NoIpv4 { reason } = &a.path[i] {
            out.push(
                Finding::new(
                    "egress-no-ipv4-route",
                    Severity::Error,
                    format!("{} on {} needs the internet, but {} has no IPv4 route ({reason}).", s.name, s.host, s.host),
                )
                .on(ObjectKind::Service, &s.name)
                .on(ObjectKind::Host, &s.host)
                .why("Much of the fediverse, GitHub and many APIs are IPv4-only: Sidekiq deliveries and Puma's remote lookups fail quietly and retry for days (why the NAT through hermes became permanent).")
                .fix(format!("Give {} a public IPv4, or set its egress host to one with IPv4 and a tunnel carrying IPv4 addresses (Network page).", s.host)),
            );
        }
    }
    for p in a.problems.iter().filter(|p| p.kind == ProblemKind::Addressing) {
        out.push(
            Finding::new("mesh-addressing", Severity::Error, p.text.clone())
                .on(ObjectKind::Mesh, "mesh")
                .why("Two tunnels on one port, or one address twice, make WireGuard or BIRD drop one of them: traffic vanishes without an error anywhere.")
                .fix("Change the clashing port or address on the Network page and apply the tunnels again."),
        );
    }
}

fn ip(s: &Option<String>) -> Option<IpAddr> {
    s.as_deref().and_then(|s| s.parse().ok())
}

/// The relay must have an IPv4 address mail can leave from, its own or its NAT host's;
/// otherwise no SPF record can list one and IPv4-only servers never get the mail.
pub fn mail_relay(input: &Input, out: &mut Vec<Finding>) {
    for m in &input.mail {
        let Some(relay) = input.service(&m.relay) else {
            continue;
        };
        let Some(host) = input.host(&relay.host) else {
            continue;
        };
        let node = input.nodes.iter().find(|n| n.host == host.name);
        let gateway =
            node.and_then(
                |n| match crate::domain::mesh::internet_path(n, &input.nodes, &input.links) {
                    InternetPath::Via { gateway } => Some(gateway),
                    _ => None,
                },
            );
        let gateway_v4 = gateway
            .as_deref()
            .and_then(|g| input.host(g))
            .and_then(|g| ip(&g.ipv4));
        let relay_host = RelayHost {
            name: &host.name,
            ipv4: ip(&host.ipv4),
            ipv6: ip(&host.ipv6),
            egress: gateway.as_deref().map(|g| (g, gateway_v4)),
        };
        let (sending, notes) = sending_addresses(&relay_host);
        if sending.iter().any(IpAddr::is_ipv4) {
            continue;
        }
        out.push(
            Finding::new(
                "spf-no-ipv4-sender",
                Severity::Error,
                format!("Mail for {} leaves {} with no IPv4 address to put in SPF. {}", m.domain, host.name, notes.join(" ")),
            )
            .on(ObjectKind::MailDomain, &m.domain)
            .on(ObjectKind::Service, &relay.name)
            .on(ObjectKind::Host, &host.name)
            .why("Many mail servers are IPv4-only; the others reject or junk mail whose address SPF does not list, so confirmations and password resets never arrive.")
            .fix(format!("Run the relay on a host with a public IPv4, or give {} an egress host with IPv4 and publish that address in SPF (the mail domain's page generates the record).", host.name)),
        );
    }
}
