//! The config check: rules over the inventory (and a pasted `.env.production`, and the
//! facts gathered from hosts) that catch misconfiguration before it bites.
//!
//! Each rule is a plain function over [`Input`] that pushes [`Finding`]s; [`run`] calls
//! them all and sorts the result, errors first. Rule ids are stable: scripts and the
//! page refer to them.
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::model::mesh::{MeshLink, MeshNode};

mod capacity;
pub mod dkim;
pub mod drift;
pub mod env;
mod network;
pub mod nginx;
mod storage;

pub use capacity::{connection_totals, host_memory};
pub use dkim::KeyMaterial;
pub use drift::LiveFacts;
pub use env::Env;

/// How bad a finding is: an error breaks something now, a warning will or may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The kind of an object a finding is about; each has its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectKind {
    Host,
    Service,
    Bucket,
    MailDomain,
    Mesh,
    Env,
    /// A virtual host (server_name) of a given nginx configuration.
    VirtualHost,
}

impl ObjectKind {
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Host => "host",
            ObjectKind::Service => "service",
            ObjectKind::Bucket => "bucket",
            ObjectKind::MailDomain => "mail domain",
            ObjectKind::Mesh => "mesh",
            ObjectKind::Env => "env",
            ObjectKind::VirtualHost => "virtual host",
        }
    }

    /// The page of the object, if it has one (the pasted env has none).
    pub fn href(self, name: &str) -> Option<String> {
        match self {
            ObjectKind::Host => Some(format!("/hosts/{name}")),
            ObjectKind::Service => Some(format!("/services/{name}")),
            ObjectKind::Bucket => Some(format!("/buckets/{name}")),
            ObjectKind::MailDomain => Some(format!("/mail/{name}")),
            ObjectKind::Mesh => Some("/topology".to_owned()),
            ObjectKind::Env | ObjectKind::VirtualHost => None,
        }
    }
}

/// One thing wrong: which rule saw it, how bad, about what, why it matters, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable id of the rule (`s3-alias-host-path-style`). A `Cow` so the findings
    /// can cross the wire; the rules only ever write `&'static str`s.
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    pub objects: Vec<(ObjectKind, String)>,
    pub message: String,
    pub why: String,
    pub fix: String,
}

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, message: String) -> Finding {
        Finding {
            rule: Cow::Borrowed(rule),
            severity,
            objects: Vec::new(),
            message,
            why: String::new(),
            fix: String::new(),
        }
    }

    pub fn on(mut self, kind: ObjectKind, name: &str) -> Finding {
        self.objects.push((kind, name.to_owned()));
        self
    }

    pub fn why(mut self, why: impl Into<String>) -> Finding {
        self.why = why.into();
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }
}

/// A host as the rules see it. `mem_total_mib` is MemTotal from the last facts gathered,
/// `live` the sockets and units they found (None: no facts gathered yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckHost {
    pub name: String,
    pub ram_mib: u32,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub mesh_addr: Option<String>,
    pub mem_total_mib: Option<u64>,
    pub live: Option<LiveFacts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckService {
    pub name: String,
    pub host: String,
    /// The service kind's id (`puma`, `sidekiq`, `postgresql`, ...).
    pub kind: String,
    pub unit: String,
    pub listen_addr: Option<String>,
    pub port: Option<u16>,
    pub needs_egress: bool,
    pub memory_mib: Option<u32>,
    pub deps: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckBucket {
    pub name: String,
    /// `path` or `virtual-host`.
    pub addressing: String,
    pub alias_host: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckMail {
    pub domain: String,
    /// The name of the relay service.
    pub relay: String,
    pub dkim_public_key: String,
    /// The name of the secret holding the private key dkimproxy signs with.
    pub dkim_secret: String,
    /// That key's public half, when the secret store holds it (`Err`: it holds
    /// something that is not a readable private key). Never the private key itself.
    pub signing_key: Option<Result<KeyMaterial, String>>,
}

/// Everything the rules look at. `env` is a pasted or given `.env.production`, `nginx`
/// the output of `nginx -T` (a file, or what the facts read on the hosts).
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub hosts: Vec<CheckHost>,
    pub services: Vec<CheckService>,
    pub buckets: Vec<CheckBucket>,
    pub mail: Vec<CheckMail>,
    pub nodes: Vec<MeshNode>,
    pub links: Vec<MeshLink>,
    pub env: Option<Env>,
    pub nginx: Option<String>,
}

impl Input {
    pub fn host(&self, name: &str) -> Option<&CheckHost> {
        self.hosts.iter().find(|h| h.name == name)
    }

    pub fn service(&self, name: &str) -> Option<&CheckService> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn services_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a CheckService> + 'a {
        self.services.iter().filter(move |s| s.kind == kind)
    }
}

/// Every rule over `input`, errors first, then warnings, then information; within a
/// severity in the order the rules ran.
pub fn run(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(env) = &input.env {
        env::lint(env, &mut out);
        env::against_inventory(env, input, &mut out);
        storage::bucket_addressing(env, input, &mut out);
    }
    if let Some(text) = &input.nginx {
        nginx::hsts(text, &mut out);
    }
    network::mesh_and_egress(input, &mut out);
    network::mail_relay(input, &mut out);
    dkim::dkim_keys(input, &mut out);
    drift::ports(input, &mut out);
    drift::units(input, &mut out);
    capacity::unit_instances(input, &mut out);
    capacity::sidekiq_pools(input, &mut out);
    capacity::connection_budget(input, &mut out);
    capacity::memory(input, &mut out);
    out.sort_by_key(|f| f.severity);
    out
}

/// How many findings of each severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
pub(crate) mod live_tests;
#[cfg(test)]
mod tests;
