//! The topology as one SVG string: host boxes with their services, tunnels as arcs,
//! dependencies as arrows, problems in red. Built in one pass, readable without JavaScript.
use std::fmt::Write;

use super::html::push_escaped;
use super::mesh::InternetPath;
use super::topology::{Analysis, DepPath, TopoHost, TopoService};

const BOX_W: usize = 210;
const GAP_X: usize = 50;
const HEADER: usize = 46;
const LINE: usize = 18;
const LEFT: usize = 20;
/// Room above the first row for the tunnel arcs and their labels.
const TOP: usize = 90;
const LEGEND: usize = 50;
/// Service names longer than this are cut in the box; the title has them whole.
const NAME_CHARS: usize = 26;

fn text(out: &mut String, s: &str) {
    push_escaped(out, s);
}

/// Hosts per row: one row up to five (arcs stay readable), then a near-square grid.
fn columns(hosts: usize) -> usize {
    if hosts <= 5 {
        hosts.max(1)
    } else {
        (hosts as f64).sqrt().ceil() as usize
    }
}

/// Where each host box sits: (x, y, height), rows of equal height, each row followed by
/// room for its dependency lanes (`lanes[row]`) and the next row's tunnel arcs.
fn layout(per_host: &[usize], lanes: &[usize]) -> (Vec<(usize, usize, usize)>, usize, usize) {
    let cols = columns(per_host.len());
    let mut boxes = Vec::with_capacity(per_host.len());
    let mut y = TOP;
    for (r, row) in per_host.chunks(cols).enumerate() {
        let h = HEADER + LINE * row.iter().copied().max().unwrap_or(0) + 8;
        for c in 0..row.len() {
            boxes.push((LEFT + c * (BOX_W + GAP_X), y, h));
        }
        y += h + (LANE_TOP + lanes.get(r).copied().unwrap_or(0) * lane_step(lanes) + 16).max(30) + ARC_ROOM;
    }
    let width = LEFT * 2 + cols * BOX_W + cols.saturating_sub(1) * GAP_X;
    (boxes, width.max(920), y.max(TOP) - ARC_ROOM + LEGEND)
}

const LANE_TOP: usize = 22;
/// Room above a row for the tunnel arcs that leave its boxes.
const ARC_ROOM: usize = 70;

/// Labelled lanes need a line of text each; unlabelled ones only a little air.
fn lane_step(lanes: &[usize]) -> usize {
    if lanes.iter().sum::<usize>() <= MAX_LABELS {
        14
    } else {
        6
    }
}

/// Past this many dependency arrows their labels would only cover each other.
const MAX_LABELS: usize = 40;
/// Lanes per row when unlabelled: arrows share them, the drawing stays compact.
const MAX_LANES: usize = 8;

pub fn render(hosts: &[TopoHost], services: &[TopoService], deps: &[(usize, usize)], a: &Analysis) -> String {
    let mut per_host = vec![0usize; hosts.len()];
    let mut slot = Vec::with_capacity(services.len());
    for s in services {
        slot.push(per_host[s.host]);
        per_host[s.host] += 1;
    }
    // Each arrow under a row gets its own lane (depth), so arrows and labels do not
    // lie on one another.
    let cols = columns(hosts.len());
    let mut lanes = vec![0usize; hosts.len().div_ceil(cols)];
    let mut lane_of = Vec::with_capacity(deps.len());
    for (d, &(from, to)) in deps.iter().enumerate() {
        let row = (services[from].host / cols).max(services[to].host / cols);
        lane_of.push(lanes[row]);
        if a.dep_path[d] != DepPath::SameHost {
            lanes[row] += 1;
        }
    }
    let labelled = lanes.iter().sum::<usize>() <= MAX_LABELS;
    if !labelled {
        lanes.iter_mut().for_each(|l| *l = (*l).min(MAX_LANES));
    }
    let step = lane_step(&lanes);
    let (boxes, width, height) = layout(&per_host, &lanes);
    let mut out = String::with_capacity(400 + hosts.len() * 400 + services.len() * 160 + deps.len() * 200);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"topology-title topology-desc\">\
         <title id=\"topology-title\">Cluster topology</title><desc id=\"topology-desc\">{} hosts, {} services, \
         {} tunnels, {} missing tunnels, {} problems</desc>",
        hosts.len(),
        services.len(),
        a.links.len(),
        a.missing.len(),
        a.problems.len()
    );
    out.push_str(
        "<defs><marker id=\"topo-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" \
         orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"arrow-head\"/></marker>\
         <marker id=\"topo-arrow-bad\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" \
         orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"arrow-head bad\"/></marker></defs>",
    );
    // A tunnel leaves the top of a box toward its peer: the further the peer, the
    // further out, so that arcs do not all meet in one point.
    let top = |h: usize, peer: usize| {
        let toward = (boxes[peer].0 as i64 - boxes[h].0 as i64) / 10;
        let x =
            (boxes[h].0 + BOX_W / 2) as i64 + toward.clamp(-(BOX_W as i64) / 2 + 12, BOX_W as i64 / 2 - 12);
        (x as usize, boxes[h].1)
    };
    let arc = |out: &mut String, class: &str, x: usize, y: usize, title: &str, label: Option<&str>| {
        let ((x1, y1), (x2, y2)) = (top(x, y), top(y, x));
        let dist = x1.abs_diff(x2) + y1.abs_diff(y2);
        let cx = (x1 + x2) / 2;
        let cy = y1.min(y2) as i64 - 24 - (dist as i64 / 8).min(120);
        let peak = (y1.min(y2) as i64 + cy) / 2;
        // The hosts' names in order, for tests and user styles to find one tunnel by.
        let _ = write!(out, "<g class=\"link {class}\" data-hosts=\"");
        let (first, second) = if hosts[x].name <= hosts[y].name {
            (x, y)
        } else {
            (y, x)
        };
        text(out, &hosts[first].name);
        out.push(' ');
        text(out, &hosts[second].name);
        out.push_str("\"><title>");
        text(out, title);
        let _ = write!(out, "</title><path d=\"M{x1},{y1} Q{cx},{cy} {x2},{y2}\"/>");
        if let Some(label) = label {
            let _ = write!(out, "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">", peak - 4);
            text(out, label);
            out.push_str("</text>");
        }
        out.push_str("</g>");
    };
    for &(x, y) in &a.links {
        let title = format!("tunnel {} – {}", hosts[x].name, hosts[y].name);
        arc(&mut out, "ok", x, y, &title, None);
    }
    for &(x, y) in a.missing.iter().take(super::topology::MISSING_LISTED) {
        let title = format!("missing tunnel: {} – {}", hosts[x].name, hosts[y].name);
        let label = format!("missing {}–{}", hosts[x].name, hosts[y].name);
        arc(&mut out, "missing", x, y, &title, Some(&label));
    }
    for (i, h) in hosts.iter().enumerate() {
        let (x, y, bh) = boxes[i];
        let class = if a.node[i].is_some() {
            "host"
        } else {
            "host off-mesh"
        };
        let path = match (&a.path[i], a.node[i]) {
            (p, Some(_)) => p.to_string(),
            (InternetPath::Own { .. }, None) => "not in the mesh; own IPv4".to_owned(),
            (_, None) => "not in the mesh; no IPv4".to_owned(),
        };
        let bad = matches!(a.path[i], InternetPath::NoIpv4 { .. });
        out.push_str("<g class=\"");
        out.push_str(class);
        out.push_str("\"><title>");
        text(&mut out, &h.name);
        let _ = write!(out, ": {} services; internet: ", per_host[i]);
        text(&mut out, &path);
        let _ = write!(
            out,
            "</title><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{bh}\" rx=\"6\"/>\
             <text class=\"host-name\" x=\"{}\" y=\"{}\">",
            x + 10,
            y + 19
        );
        text(&mut out, &h.name);
        let _ = write!(
            out,
            "</text><text class=\"host-path{}\" x=\"{}\" y=\"{}\">",
            if bad { " bad" } else { "" },
            x + 10,
            y + 36
        );
        text(&mut out, &path);
        out.push_str("</text></g>");
    }
    for (s, svc) in services.iter().enumerate() {
        let (x, y, _) = boxes[svc.host];
        let ty = y + HEADER + LINE * slot[s] + 8;
        let class = if svc.needs_egress { "svc egress" } else { "svc" };
        let _ = write!(out, "<g class=\"{class}\"><title>");
        text(&mut out, &svc.name);
        out.push_str(" (");
        text(&mut out, &svc.kind);
        out.push(')');
        if svc.needs_egress {
            out.push_str("; needs the internet");
        }
        let _ = write!(out, "</title><text x=\"{}\" y=\"{ty}\">", x + 14);
        let shown: String = svc.name.chars().take(NAME_CHARS).collect();
        text(&mut out, &shown);
        if svc.name.chars().count() > NAME_CHARS {
            out.push('…');
        }
        out.push_str("</text></g>");
    }
    for (d, &(from, to)) in deps.iter().enumerate() {
        let how = a.dep_path[d];
        if how == DepPath::SameHost {
            continue;
        }
        let (f, t) = (&services[from], &services[to]);
        // Under the boxes, from the bottom of one to the bottom of the other, each
        // service at its own spot along the edge, each arrow in its own lane.
        let (fx, fy, fh) = boxes[f.host];
        let (tx, ty, th) = boxes[t.host];
        let spot = |slot: usize| 16 + (slot * 14) % (BOX_W - 32);
        let (x1, y1, x2, y2) = (fx + spot(slot[from]), fy + fh, tx + spot(slot[to]), ty + th);
        let lane = if labelled {
            lane_of[d]
        } else {
            lane_of[d] % MAX_LANES
        };
        let bottom = y1.max(y2) + LANE_TOP + lane * step;
        // A cubic with both control points at `down` reaches 3/4 of the way to them.
        let down = y1.max(y2) + (bottom - y1.max(y2)) * 4 / 3;
        let (class, marker, note) = match how {
            DepPath::Unreachable => ("dep bad", "topo-arrow-bad", "cannot reach it over the mesh"),
            DepPath::Routed => (
                "dep routed",
                "topo-arrow",
                "routed through another host (no direct tunnel)",
            ),
            _ => ("dep", "topo-arrow", "over their tunnel"),
        };
        let _ = write!(out, "<g class=\"{class}\"><title>");
        text(&mut out, &f.name);
        out.push_str(" depends on ");
        text(&mut out, &t.name);
        let _ = write!(
            out,
            ": {note}</title><path d=\"M{x1},{y1} C{x1},{down} {x2},{down} {x2},{y2}\" marker-end=\"url(#{marker})\"/>"
        );
        if labelled {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">",
                (x1 + x2) / 2,
                bottom + 11
            );
            text(&mut out, &f.name);
            out.push_str(" → ");
            text(&mut out, &t.name);
            out.push_str("</text>");
        }
        out.push_str("</g>");
    }
    legend(&mut out, height - LEGEND + 10);
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, y: usize) {
    let items = [
        ("link ok", "tunnel"),
        ("link missing", "missing tunnel"),
        ("dep", "dependency"),
        ("dep bad", "unreachable dependency"),
    ];
    let _ = write!(
        out,
        "<g class=\"topo-legend\" transform=\"translate({LEFT},{y})\">"
    );
    for (i, (class, label)) in items.iter().enumerate() {
        let x = i * 180;
        let _ = write!(
            out,
            "<g class=\"legend-item {class}\"><path d=\"M{x},10 L{},10\"/></g><text x=\"{}\" y=\"14\">{label}</text>",
            x + 30,
            x + 36
        );
    }
    let _ = write!(
        out,
        "<rect class=\"legend-off\" x=\"760\" y=\"2\" width=\"24\" height=\"16\" rx=\"3\"/>\
         <text x=\"790\" y=\"14\">not in the mesh</text></g>"
    );
}
