//! Hosts: the machines of the cluster, as stored, as submitted and as validated.
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::error::FieldErrors;
use crate::domain::names::{parse_dns_name, parse_label, HostName};

/// CPU architectures a host may have, as `uname -m` prints them.
pub const ARCHITECTURES: [&str; 4] = ["x86_64", "aarch64", "armv7l", "riscv64"];

/// A host as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    pub id: i64,
    pub name: String,
    pub provider: String,
    pub plan: String,
    pub arch: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub mesh_addr: Option<String>,
    pub ssh_host: String,
    pub ssh_port: u16,
    pub ssh_user: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Host {
    pub fn ssh_endpoint(&self) -> String {
        let host = if self.ssh_host.contains(':') {
            format!("[{}]", self.ssh_host)
        } else {
            self.ssh_host.clone()
        };
        format!("{}@{}:{}", self.ssh_user, host, self.ssh_port)
    }
}

/// A row of the hosts list: only the columns the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostListItem {
    pub name: String,
    pub provider: String,
    pub plan: String,
    pub arch: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub mesh_addr: Option<String>,
    pub tags: Vec<String>,
}

/// A host form as the browser submits it: every field a string, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostInput {
    pub name: String,
    pub provider: String,
    pub plan: String,
    pub arch: String,
    pub vcpus: String,
    pub ram_mib: String,
    pub disk_gb: String,
    pub ipv4: String,
    pub ipv6: String,
    pub mesh_addr: String,
    pub ssh_host: String,
    pub ssh_port: String,
    pub ssh_user: String,
    pub tags: String,
    pub notes: String,
    /// The version the editor started from; empty when creating.
    #[serde(default)]
    pub version: String,
}

impl HostInput {
    /// The form a new host starts from.
    pub fn blank() -> Self {
        Self {
            arch: "x86_64".into(),
            vcpus: "1".into(),
            ram_mib: "1024".into(),
            disk_gb: "25".into(),
            ssh_port: "22".into(),
            ssh_user: "root".into(),
            ..Self::default()
        }
    }

    /// The form an edit starts from.
    pub fn from_host(h: &Host) -> Self {
        Self {
            name: h.name.clone(),
            provider: h.provider.clone(),
            plan: h.plan.clone(),
            arch: h.arch.clone(),
            vcpus: h.vcpus.to_string(),
            ram_mib: h.ram_mib.to_string(),
            disk_gb: h.disk_gb.to_string(),
            ipv4: h.ipv4.clone().unwrap_or_default(),
            ipv6: h.ipv6.clone().unwrap_or_default(),
            mesh_addr: h.mesh_addr.clone().unwrap_or_default(),
            ssh_host: h.ssh_host.clone(),
            ssh_port: h.ssh_port.to_string(),
            ssh_user: h.ssh_user.clone(),
            tags: h.tags.join(" "),
            notes: h.notes.clone(),
            version: h.version.to_string(),
        }
    }

    /// Checks every field and reports all problems at once, each under its field name.
    pub fn parse(&self) -> Result<HostDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", HostName::parse(&self.name));
        let provider = e.check("provider", required_text(&self.provider, 64));
        let plan = e.check("plan", required_text(&self.plan, 64));
        let arch = e.check("arch", parse_arch(&self.arch));
        let vcpus = e.check("vcpus", parse_bounded(&self.vcpus, 1, 1024, "vCPUs"));
        let ram_mib = e.check("ram_mib", parse_bounded(&self.ram_mib, 64, 16 << 20, "RAM (MiB)"));
        let disk_gb = e.check("disk_gb", parse_bounded(&self.disk_gb, 1, 1 << 20, "disk (GB)"));
        let ipv4 = e.check("ipv4", optional(&self.ipv4, parse_ipv4));
        let ipv6 = e.check("ipv6", optional(&self.ipv6, parse_ipv6));
        let mesh_addr = e.check("mesh_addr", optional(&self.mesh_addr, parse_ip));
        let ssh_host = e.check("ssh_host", parse_ssh_host(&self.ssh_host));
        let ssh_port = e.check("ssh_port", parse_port(&self.ssh_port));
        let ssh_user = e.check("ssh_user", parse_unix_user(&self.ssh_user));
        let tags = e.check("tags", parse_tags(&self.tags));
        let notes = e.check("notes", max_len(&self.notes, 4000));
        let version = e.check("version", parse_version(&self.version));
        // Every field was checked above; the draft exists only if none failed.
        let draft = (|| {
            Some(HostDraft {
                name: name?,
                provider: provider?,
                plan: plan?,
                arch: arch?,
                vcpus: vcpus?,
                ram_mib: ram_mib?,
                disk_gb: disk_gb?,
                ipv4: ipv4?,
                ipv6: ipv6?,
                mesh_addr: mesh_addr?,
                ssh_host: ssh_host?,
                ssh_port: ssh_port?,
                ssh_user: ssh_user?,
                tags: tags?,
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

/// A host whose every field has been checked: what the database layer accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostDraft {
    pub name: HostName,
    pub provider: String,
    pub plan: String,
    pub arch: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    pub ipv4: Option<Ipv4Addr>,
    pub ipv6: Option<Ipv6Addr>,
    pub mesh_addr: Option<IpAddr>,
    pub ssh_host: String,
    pub ssh_port: u16,
    pub ssh_user: String,
    pub tags: Vec<String>,
    pub notes: String,
    /// The version an edit is based on (None for a new host).
    pub version: Option<i64>,
}

fn required_text(s: &str, max: usize) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("this field is required".into());
    }
    max_len(s, max)
}

fn max_len(s: &str, max: usize) -> Result<String, String> {
    if s.chars().count() > max {
        Err(format!("use at most {max} characters"))
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err("control characters are not allowed".into())
    } else {
        Ok(s.trim().to_owned())
    }
}

fn optional<T>(s: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        parse(s).map(Some)
    }
}

fn parse_arch(s: &str) -> Result<String, String> {
    let s = s.trim();
    ARCHITECTURES
        .iter()
        .find(|a| **a == s)
        .map(|a| (*a).to_owned())
        .ok_or_else(|| format!("choose one of {}", ARCHITECTURES.join(", ")))
}

pub fn parse_bounded(s: &str, min: u32, max: u32, what: &str) -> Result<u32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("this field is required".into());
    }
    match s.parse::<u64>() {
        Ok(n) if n >= u64::from(min) && n <= u64::from(max) => Ok(n as u32),
        Ok(_) => Err(format!("{what} must be between {min} and {max}")),
        Err(_) => Err(format!("{what} must be a whole number")),
    }
}

pub fn parse_port(s: &str) -> Result<u16, String> {
    parse_bounded(s, 1, 65535, "port").map(|n| n as u16)
}

pub fn parse_ipv4(s: &str) -> Result<Ipv4Addr, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{:?} is not an IPv4 address like 192.0.2.10", s.trim()))
}

pub fn parse_ipv6(s: &str) -> Result<Ipv6Addr, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{:?} is not an IPv6 address like 2001:db8::10", s.trim()))
}

pub fn parse_ip(s: &str) -> Result<IpAddr, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{:?} is not an IPv4 or IPv6 address", s.trim()))
}

/// The SSH address: an IP address or a DNS name.
fn parse_ssh_host(s: &str) -> Result<String, String> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    if s.is_empty() {
        return Err("this field is required".into());
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    parse_dns_name(s).map_err(|_| format!("{s:?} is neither an IP address nor a DNS name"))
}

/// A login name on the remote host, as useradd accepts it.
pub fn parse_unix_user(s: &str) -> Result<String, String> {
    let s = s.trim();
    let mut chars = s.chars();
    let valid = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && s.len() <= 32;
    if valid {
        Ok(s.to_owned())
    } else {
        Err("use a Unix user name: lowercase letters, digits, '_' or '-', at most 32".into())
    }
}

/// Role tags: labels separated by spaces or commas, sorted and without repeats.
pub fn parse_tags(s: &str) -> Result<Vec<String>, String> {
    let mut tags = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || c == ',') {
        if raw.is_empty() {
            continue;
        }
        let tag = parse_label(raw).map_err(|m| format!("tag {raw:?}: {m}"))?;
        tags.push(tag);
    }
    tags.sort();
    tags.dedup();
    if tags.len() > 16 {
        return Err("use at most 16 tags".into());
    }
    Ok(tags)
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

    fn valid() -> HostInput {
        HostInput {
            name: "hermes".into(),
            provider: "Scaleway".into(),
            plan: "Start1-XS".into(),
            ipv4: "192.0.2.10".into(),
            ipv6: "2001:db8::10".into(),
            ssh_host: "192.0.2.10".into(),
            tags: "web, mail web".into(),
            ..HostInput::blank()
        }
    }

    #[test]
    fn a_complete_form_parses_into_a_draft() {
        let draft = valid().parse().expect("valid input");
        assert_eq!(draft.name.as_str(), "hermes");
        assert_eq!(draft.tags, vec!["mail".to_string(), "web".to_string()]);
        assert_eq!(draft.ssh_port, 22);
        assert_eq!(draft.ipv4, Some(Ipv4Addr::new(192, 0, 2, 10)));
    }

    #[test]
    fn every_bad_field_is_reported_under_its_own_name() {
        let input = HostInput {
            name: "-bad-".into(),
            provider: " ".into(),
            ssh_port: "70000".into(),
            ipv4: "300.1.1.1".into(),
            ipv6: "fe80::zz".into(),
            vcpus: "0".into(),
            ..valid()
        };
        let errors = input.parse().expect_err("invalid input");
        for field in ["name", "provider", "ssh_port", "ipv4", "ipv6", "vcpus"] {
            assert!(errors.get(field).is_some(), "no message for {field}: {errors}");
        }
        assert!(errors.get("plan").is_none());
    }

    #[test]
    fn port_zero_and_above_65535_are_refused() {
        assert!(parse_port("0").is_err());
        assert!(parse_port("70000").is_err());
        assert_eq!(parse_port("2222"), Ok(2222));
    }

    #[test]
    fn an_ipv6_only_host_needs_no_ipv4() {
        let input = HostInput {
            ipv4: String::new(),
            ssh_host: "2001:db8::20".into(),
            ..valid()
        };
        let draft = input.parse().expect("valid input");
        assert_eq!(draft.ipv4, None);
        assert_eq!(draft.ssh_host, "2001:db8::20");
    }

    #[test]
    fn tags_must_be_labels() {
        assert!(parse_tags("web db").is_ok());
        assert!(parse_tags("web;db").is_err());
    }
}

/// Columns the hosts list can be sorted by, as they appear in `?sort=`.
pub const HOST_SORT_KEYS: [&str; 8] = ["name", "provider", "plan", "arch", "vcpus", "ram", "disk", "ipv4"];

/// What the hosts list shows: a filter text and a sort order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostQuery {
    pub q: String,
    pub sort: String,
    pub desc: bool,
}

impl Host {
    /// Every editable field with its value as text, in form order: what the change log
    /// compares between before and after.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("name", self.name.clone()),
            ("provider", self.provider.clone()),
            ("plan", self.plan.clone()),
            ("arch", self.arch.clone()),
            ("vcpus", self.vcpus.to_string()),
            ("ram_mib", self.ram_mib.to_string()),
            ("disk_gb", self.disk_gb.to_string()),
            ("ipv4", opt(&self.ipv4)),
            ("ipv6", opt(&self.ipv6)),
            ("mesh_addr", opt(&self.mesh_addr)),
            ("ssh_host", self.ssh_host.clone()),
            ("ssh_port", self.ssh_port.to_string()),
            ("ssh_user", self.ssh_user.clone()),
            ("tags", self.tags.join(" ")),
            ("notes", self.notes.clone()),
        ]
    }
}

/// The same fields, all empty: the "before" of a creation and the "after" of a deletion.
pub fn blank_fields(fields: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    fields.iter().map(|(f, _)| (*f, String::new())).collect()
}

/// Field-by-field differences between two versions: (field, before, after).
pub fn diff_fields(
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> Vec<(String, String, String)> {
    before
        .iter()
        .zip(after)
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, b), (_, a))| ((*field).to_owned(), b.clone(), a.clone()))
        .collect()
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const FIELDS: [&str; 16] = [
        "name",
        "provider",
        "plan",
        "arch",
        "vcpus",
        "ram_mib",
        "disk_gb",
        "ipv4",
        "ipv6",
        "mesh_addr",
        "ssh_host",
        "ssh_port",
        "ssh_user",
        "tags",
        "notes",
        "version",
    ];

    fn any_input() -> impl Strategy<Value = HostInput> {
        proptest::collection::vec("\\PC{0,40}|[0-9]{1,7}|[a-f0-9:.]{0,40}", 16).prop_map(|v| HostInput {
            name: v[0].clone(),
            provider: v[1].clone(),
            plan: v[2].clone(),
            arch: v[3].clone(),
            vcpus: v[4].clone(),
            ram_mib: v[5].clone(),
            disk_gb: v[6].clone(),
            ipv4: v[7].clone(),
            ipv6: v[8].clone(),
            mesh_addr: v[9].clone(),
            ssh_host: v[10].clone(),
            ssh_port: v[11].clone(),
            ssh_user: v[12].clone(),
            tags: v[13].clone(),
            notes: v[14].clone(),
            version: v[15].clone(),
        })
    }

    proptest! {
        /// Whatever is submitted, parsing never panics, and every rejection names one
        /// of the form's fields with a message.
        #[test]
        fn host_parsing_never_panics_and_names_the_field(input in any_input()) {
            match input.parse() {
                Ok(draft) => prop_assert!(!draft.name.as_str().is_empty()),
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in &errors.0 {
                        prop_assert!(FIELDS.contains(&e.field.as_str()), "unknown field {}", e.field);
                        prop_assert!(!e.message.is_empty());
                    }
                }
            }
        }

        /// A valid form stays valid when parsed again from what was stored.
        #[test]
        fn a_parsed_host_survives_a_round_trip(port in 1u16.., cpus in 1u32..=1024, name in "[a-z][a-z0-9-]{0,20}[a-z0-9]") {
            let input = HostInput {
                name, provider: "p".into(), plan: "q".into(), ssh_host: "192.0.2.1".into(),
                ssh_port: port.to_string(), vcpus: cpus.to_string(), ..HostInput::blank()
            };
            let draft = input.parse().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(draft.ssh_port, port);
            prop_assert_eq!(draft.vcpus, cpus);
        }

        #[test]
        fn user_field_parsers_never_panic(s in "\\PC{0,300}") {
            let _ = crate::model::user::parse_username(&s);
            let _ = crate::model::user::check_password(&s);
            let _ = crate::model::user::Role::parse(&s);
            let _ = parse_tags(&s);
            let _ = parse_unix_user(&s);
            let _ = crate::domain::names::parse_dns_name(&s);
        }
    }
}
