//! Mail domains: as stored, as submitted and as validated, and the route mail takes.
use serde::{Deserialize, Serialize};

use super::bucket::{notes, one_of, parse_secret_name, parse_version};
use super::error::FieldErrors;
use crate::domain::mail::{parse_dkim_public_key, parse_email, parse_mail_domain, parse_selector};
use crate::domain::names::parse_dns_name;

pub const DMARC_POLICIES: [&str; 3] = ["none", "quarantine", "reject"];

/// A mail domain as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDomain {
    pub id: i64,
    pub domain: String,
    pub relay: String,
    pub signing: String,
    pub dkim_selector: String,
    pub dkim_public_key: String,
    pub dkim_secret: String,
    pub dmarc_policy: String,
    pub dmarc_report: Option<String>,
    pub from_address: String,
    pub mx_host: String,
    pub ttl: u32,
    pub notes: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A row of the mail domains list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailListItem {
    pub domain: String,
    /// "opensmtpd on hermes"
    pub relay: String,
    pub dkim_selector: String,
    pub dmarc_policy: String,
    pub from_address: String,
}

/// A service mail passes through, with its host and where it listens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailHop {
    pub service: String,
    pub host: String,
    pub listen_addr: Option<String>,
    pub port: Option<u16>,
    pub host_ipv4: Option<String>,
    pub host_ipv6: Option<String>,
    pub host_mesh: Option<String>,
    /// The host whose NAT carries this host's IPv4 traffic, and that host's IPv4.
    pub egress: Option<(String, Option<String>)>,
}

impl MailHop {
    pub fn label(&self) -> String {
        format!("{} on {}", self.service, self.host)
    }
}

/// A mail domain form as the browser submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailInput {
    pub domain: String,
    pub relay: String,
    pub signing: String,
    pub dkim_selector: String,
    pub dkim_public_key: String,
    pub dkim_secret: String,
    pub dmarc_policy: String,
    #[serde(default)]
    pub dmarc_report: String,
    pub from_address: String,
    pub mx_host: String,
    pub ttl: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub version: String,
}

/// A mail domain whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDraft {
    pub domain: String,
    pub relay: String,
    pub signing: String,
    pub dkim_selector: String,
    pub dkim_public_key: String,
    pub dkim_secret: String,
    pub dmarc_policy: String,
    pub dmarc_report: Option<String>,
    pub from_address: String,
    pub mx_host: String,
    pub ttl: u32,
    pub notes: String,
    pub version: Option<i64>,
}

impl MailInput {
    pub fn blank() -> Self {
        Self {
            relay: "opensmtpd".into(),
            signing: "dkimproxy".into(),
            dmarc_policy: "quarantine".into(),
            ttl: "3600".into(),
            ..Self::default()
        }
    }

    pub fn from_domain(m: &MailDomain) -> Self {
        Self {
            domain: m.domain.clone(),
            relay: m.relay.clone(),
            signing: m.signing.clone(),
            dkim_selector: m.dkim_selector.clone(),
            dkim_public_key: m.dkim_public_key.clone(),
            dkim_secret: m.dkim_secret.clone(),
            dmarc_policy: m.dmarc_policy.clone(),
            dmarc_report: m.dmarc_report.clone().unwrap_or_default(),
            from_address: m.from_address.clone(),
            mx_host: m.mx_host.clone(),
            ttl: m.ttl.to_string(),
            notes: m.notes.clone(),
            version: m.version.to_string(),
        }
    }

    pub fn parse(&self) -> Result<MailDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let domain = e.check("domain", parse_mail_domain(&self.domain));
        let relay = e.check("relay", required(&self.relay, "choose the relay service"));
        let signing = e.check("signing", required(&self.signing, "choose the signing service"));
        let dkim_selector = e.check("dkim_selector", parse_selector(&self.dkim_selector));
        let dkim_public_key = e.check("dkim_public_key", parse_dkim_public_key(&self.dkim_public_key));
        let dkim_secret = e.check("dkim_secret", parse_secret_name(&self.dkim_secret));
        let dmarc_policy = e.check("dmarc_policy", one_of(&self.dmarc_policy, &DMARC_POLICIES));
        let dmarc_report = e.check("dmarc_report", optional_email(&self.dmarc_report));
        let from_address = e.check("from_address", parse_email(&self.from_address));
        let mx_host = e.check("mx_host", parse_dns_name(&self.mx_host));
        let ttl = e.check(
            "ttl",
            crate::model::host::parse_bounded(&self.ttl, 60, 604_800, "TTL"),
        );
        let notes = e.check("notes", notes(&self.notes));
        let version = e.check("version", parse_version(&self.version));
        if let (Some(d), Some(from)) = (&domain, &from_address) {
            if !from.ends_with(&format!("@{d}")) {
                e.add(
                    "from_address",
                    format!("send from an address @{d}, which the DNS lines cover"),
                );
            }
        }
        let draft = (|| {
            Some(MailDraft {
                domain: domain?,
                relay: relay?,
                signing: signing?,
                dkim_selector: dkim_selector?,
                dkim_public_key: dkim_public_key?,
                dkim_secret: dkim_secret?,
                dmarc_policy: dmarc_policy?,
                dmarc_report: dmarc_report?,
                from_address: from_address?,
                mx_host: mx_host?,
                ttl: ttl?,
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

fn required(s: &str, message: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        Err(message.to_owned())
    } else {
        Ok(s.to_owned())
    }
}

fn optional_email(s: &str) -> Result<Option<String>, String> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_email(s).map(Some)
    }
}

impl MailDomain {
    /// Every editable field as text, in form order: what the change log compares.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("domain", self.domain.clone()),
            ("relay", self.relay.clone()),
            ("signing", self.signing.clone()),
            ("dkim_selector", self.dkim_selector.clone()),
            ("dkim_public_key", self.dkim_public_key.clone()),
            ("dkim_secret", self.dkim_secret.clone()),
            ("dmarc_policy", self.dmarc_policy.clone()),
            ("dmarc_report", self.dmarc_report.clone().unwrap_or_default()),
            ("from_address", self.from_address.clone()),
            ("mx_host", self.mx_host.clone()),
            ("ttl", self.ttl.to_string()),
            ("notes", self.notes.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail::EXAMPLE_DKIM_PUBLIC_KEY;

    pub fn reference() -> MailInput {
        MailInput {
            domain: "social.example".into(),
            dkim_selector: "owl2026".into(),
            dkim_public_key: EXAMPLE_DKIM_PUBLIC_KEY.into(),
            dkim_secret: "dkim-social-example".into(),
            dmarc_report: "dmarc@social.example".into(),
            from_address: "notifications@social.example".into(),
            mx_host: "mail.social.example".into(),
            ..MailInput::blank()
        }
    }

    #[test]
    fn the_reference_mail_domain_parses() {
        let draft = reference().parse().expect("valid");
        assert_eq!(draft.ttl, 3600);
        assert_eq!(draft.dmarc_report.as_deref(), Some("dmarc@social.example"));
    }

    #[test]
    fn the_from_address_must_belong_to_the_domain() {
        let input = MailInput {
            from_address: "noreply@elsewhere.example".into(),
            ..reference()
        };
        assert!(input.parse().unwrap_err().get("from_address").is_some());
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = MailInput {
            domain: "social".into(),
            dkim_selector: "a_b".into(),
            dkim_public_key: "xyz".into(),
            dkim_secret: "".into(),
            ttl: "5".into(),
            ..reference()
        };
        let errors = input.parse().unwrap_err();
        for field in ["domain", "dkim_selector", "dkim_public_key", "dkim_secret", "ttl"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
    }
}
