//! Services: processes placed on hosts, as stored, as submitted and as validated, and the
//! dependency rules between them (each exists, not itself, no cycle).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

use super::action::UnitName;
use super::error::FieldErrors;
use super::host::{parse_bounded, parse_ip};
use crate::domain::names::{parse_label, HostName};

mod cycle;
mod kind;
pub use cycle::find_cycle;
pub use kind::ServiceKind;

/// A service's name: one DNS label like a host's, unique in the whole cluster, so that
/// other inventory (buckets, mail, network) can name it in one word.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceName(String);

impl ServiceName {
    pub fn parse(s: &str) -> Result<ServiceName, String> {
        parse_label(s).map(ServiceName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A service as stored, with its host and its dependencies by name: what pages show and
/// what topology and import/export read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub kind: ServiceKind,
    pub unit: String,
    pub listen_addr: Option<String>,
    pub port: Option<u16>,
    pub needs_egress: bool,
    pub memory_mib: Option<u32>,
    pub notes: String,
    /// The services this one needs, by name, sorted.
    pub deps: Vec<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Service {
    /// Where it listens as people write it: `[fd00::1]:5432`, `127.0.0.1:10027`, `*:443`
    /// (a port on every address), or empty when it listens nowhere.
    pub fn listen(&self) -> String {
        match (&self.listen_addr, self.port) {
            (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
            (Some(a), Some(p)) => format!("{a}:{p}"),
            (Some(a), None) => a.clone(),
            (None, Some(p)) => format!("*:{p}"),
            (None, None) => String::new(),
        }
    }

    /// Every editable field as text, in form order: what the change log compares.
    /// Moving a service shows as `host: hermes → hedwig`.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            ("name", self.name.clone()),
            ("host", self.host.clone()),
            ("kind", self.kind.as_str().to_owned()),
            ("unit", self.unit.clone()),
            ("listen_addr", self.listen_addr.clone().unwrap_or_default()),
            ("port", num(self.port.map(u32::from))),
            (
                "needs_egress",
                if self.needs_egress { "yes" } else { "no" }.to_owned(),
            ),
            ("memory_mib", num(self.memory_mib)),
            ("deps", self.deps.join(" ")),
            ("notes", self.notes.clone()),
        ]
    }
}

/// A row of the services list: only what it shows (no notes, ids or times), so a page
/// of thousands of services stays light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceListItem {
    pub name: String,
    pub host: String,
    pub kind: ServiceKind,
    pub unit: String,
    /// As [`Service::listen`] writes it.
    pub listen: String,
    pub needs_egress: bool,
    pub memory_mib: Option<u32>,
    pub deps: Vec<String>,
}

impl From<Service> for ServiceListItem {
    fn from(s: Service) -> Self {
        Self {
            listen: s.listen(),
            name: s.name,
            host: s.host,
            kind: s.kind,
            unit: s.unit,
            needs_egress: s.needs_egress,
            memory_mib: s.memory_mib,
            deps: s.deps,
        }
    }
}

/// What the services list shows: a filter text and one kind or all (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceQuery {
    pub q: String,
    pub kind: String,
}

impl ServiceQuery {
    /// Whether a service is of the chosen kind and the filter text (any case) appears in
    /// its name, host, kind, unit, address or dependencies.
    pub fn matches(&self, s: &Service) -> bool {
        let kind = self.kind.trim();
        if !kind.is_empty() && kind != s.kind.as_str() {
            return false;
        }
        let q = self.q.trim().to_lowercase();
        let listen = s.listen();
        let fields = [
            s.name.as_str(),
            &s.host,
            s.kind.as_str(),
            s.kind.label(),
            &s.unit,
            &listen,
        ];
        q.is_empty()
            || fields
                .into_iter()
                .chain(s.deps.iter().map(String::as_str))
                .any(|f| f.to_lowercase().contains(&q))
    }
}

/// A service form as the browser submits it: every field a string, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    pub host: String,
    pub kind: String,
    pub unit: String,
    pub listen_addr: String,
    pub port: String,
    /// A checkbox: absent when unticked.
    #[serde(default)]
    pub needs_egress: String,
    pub memory_mib: String,
    /// Names separated by spaces or commas.
    pub deps: String,
    pub notes: String,
    /// The version the editor started from; empty when creating.
    #[serde(default)]
    pub version: String,
}

impl ServiceInput {
    /// The form a new service starts from: the kind's usual unit, port and memory.
    pub fn blank(host: &str, kind: ServiceKind) -> Self {
        Self {
            host: host.to_owned(),
            kind: kind.as_str().to_owned(),
            unit: kind.default_unit().to_owned(),
            port: kind.default_port().map(|p| p.to_string()).unwrap_or_default(),
            needs_egress: if kind.default_needs_egress() {
                "on".into()
            } else {
                String::new()
            },
            memory_mib: kind
                .default_memory_mib()
                .map(|m| m.to_string())
                .unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The form an edit starts from.
    pub fn from_service(s: &Service) -> Self {
        Self {
            name: s.name.clone(),
            host: s.host.clone(),
            kind: s.kind.as_str().to_owned(),
            unit: s.unit.clone(),
            listen_addr: s.listen_addr.clone().unwrap_or_default(),
            port: s.port.map(|p| p.to_string()).unwrap_or_default(),
            needs_egress: if s.needs_egress {
                "on".into()
            } else {
                String::new()
            },
            memory_mib: s.memory_mib.map(|m| m.to_string()).unwrap_or_default(),
            deps: s.deps.join(" "),
            notes: s.notes.clone(),
            version: s.version.to_string(),
        }
    }

    /// Checks every field and reports all problems at once, each under its field name.
    /// Whether the host and the dependencies exist is the database layer's check.
    pub fn parse(&self) -> Result<ServiceDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", ServiceName::parse(&self.name));
        let host = e.check("host", HostName::parse(&self.host));
        let kind = e.check("kind", ServiceKind::parse(&self.kind));
        // An empty unit means the kind's usual one, so the form works without
        // JavaScript refilling it when the kind changes.
        let unit_text = match (self.unit.trim(), kind) {
            ("", Some(k)) => k.default_unit(),
            (u, _) => u,
        };
        let unit = e.check("unit", UnitName::parse(unit_text));
        let listen_addr = e.check("listen_addr", optional(&self.listen_addr, parse_ip));
        let port = e.check(
            "port",
            optional(&self.port, |s| parse_bounded(s, 1, 65535, "port")),
        );
        if let (Some(Some(_)), Some(None)) = (listen_addr, port) {
            e.add(
                "port",
                "an address needs a port; leave both empty if it listens nowhere",
            );
        }
        let needs_egress = e.check("needs_egress", parse_checkbox(&self.needs_egress));
        let memory_mib = e.check(
            "memory_mib",
            optional(&self.memory_mib, |s| parse_bounded(s, 1, 1 << 20, "memory (MiB)")),
        );
        let deps = e.check("deps", parse_deps(&self.deps));
        if let (Some(n), Some(d)) = (&name, &deps) {
            if d.contains(n) {
                e.add("deps", format!("{n} cannot depend on itself"));
            }
        }
        let notes = e.check("notes", parse_notes(&self.notes));
        let version = e.check("version", parse_version(&self.version));
        let draft = (|| {
            Some(ServiceDraft {
                name: name?,
                host: host?,
                kind: kind?,
                unit: unit?,
                listen_addr: listen_addr?,
                port: port?.map(|p| p as u16),
                needs_egress: needs_egress?,
                memory_mib: memory_mib?,
                deps: deps?,
                notes: notes?,
                version: version?,
            })
        })();
        match draft {
            Some(draft) if e.is_empty() => Ok(draft),
            _ => Err(e),
        }
    }
}

/// A service whose every field has been checked on its own: what the database layer
/// accepts (it still checks that the host and the dependencies exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDraft {
    pub name: ServiceName,
    pub host: HostName,
    pub kind: ServiceKind,
    pub unit: UnitName,
    pub listen_addr: Option<IpAddr>,
    pub port: Option<u16>,
    pub needs_egress: bool,
    pub memory_mib: Option<u32>,
    /// Sorted, without repeats.
    pub deps: Vec<ServiceName>,
    pub notes: String,
    /// The version an edit is based on (None for a new service).
    pub version: Option<i64>,
}

fn optional<T>(s: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match s.trim() {
        "" => Ok(None),
        s => parse(s).map(Some),
    }
}

/// What browsers send for a ticked checkbox is "on"; the others are for hand-made posts.
fn parse_checkbox(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "off" | "false" | "0" | "no" => Ok(false),
        "on" | "true" | "1" | "yes" => Ok(true),
        _ => Err("tick the box or leave it empty".into()),
    }
}

/// Dependency names separated by spaces or commas, sorted and without repeats.
pub fn parse_deps(s: &str) -> Result<Vec<ServiceName>, String> {
    let mut deps = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || c == ',') {
        if !raw.is_empty() {
            deps.push(ServiceName::parse(raw).map_err(|m| format!("{raw:?}: {m}"))?);
        }
    }
    deps.sort();
    deps.dedup();
    if deps.len() > 64 {
        return Err("use at most 64 dependencies".into());
    }
    Ok(deps)
}

fn parse_notes(s: &str) -> Result<String, String> {
    if s.chars().count() > 4000 {
        Err("use at most 4000 characters".into())
    } else if s
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Err("control characters are not allowed".into())
    } else {
        Ok(s.trim().to_owned())
    }
}

fn parse_version(s: &str) -> Result<Option<i64>, String> {
    optional(s, |s| {
        s.parse::<i64>()
            .map_err(|_| "the form is damaged; reload the page".into())
    })
}

#[cfg(test)]
mod tests;
