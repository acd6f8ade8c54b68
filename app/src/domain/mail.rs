//! Mail domains: the checks for selectors, keys and addresses, and the files Owlery
//! generates for one domain (DNS zone lines, Mastodon's SMTP_* block).
use std::net::IpAddr;

use super::names::parse_dns_name;

/// A DKIM selector: one or more DNS labels (`owl2026`, `mail.2026`).
pub fn parse_selector(s: &str) -> Result<String, String> {
    parse_dns_name(s).map_err(|m| format!("a selector is made of DNS labels: {m}"))
}

/// A domain that receives mail: a DNS name with at least two labels.
pub fn parse_mail_domain(s: &str) -> Result<String, String> {
    let name = parse_dns_name(s)?;
    if name.contains('.') {
        Ok(name)
    } else {
        Err("use a full domain name such as social.example".into())
    }
}

/// An address mail is sent from or reports go to: a plain `local@domain`, the local part
/// limited to characters that need no quoting in headers or DNS records.
pub fn parse_email(s: &str) -> Result<String, String> {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err("use an address like notifications@social.example".into());
    };
    let local_ok = (1..=64).contains(&local.len())
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok {
        return Err("the part before @ may hold letters, digits and . _ % + - only".into());
    }
    let domain = parse_mail_domain(domain).map_err(|m| format!("the domain after @: {m}"))?;
    Ok(format!("{local}@{domain}"))
}

/// The `p=` value of a DKIM record: base64 of the public key, from the bare value, a
/// pasted `v=DKIM1; ...; p=...` record or a PEM block. Returns it without whitespace.
pub fn parse_dkim_public_key(s: &str) -> Result<String, String> {
    let mut text = s.trim();
    if let Some(start) = text.find("p=") {
        text = text[start + 2..].split(';').next().unwrap_or_default();
    }
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    if body.is_empty() {
        return Err("paste the public key (base64, PEM or the DKIM record)".into());
    }
    let decoded = base64_len(&body).ok_or("the public key is not valid base64")?;
    if decoded != 32 && decoded < 128 {
        return Err("this is too short for an RSA public key (or a 32-byte Ed25519 key)".into());
    }
    Ok(body)
}

/// The decoded length of standard padded base64, or None if it is not base64.
fn base64_len(s: &str) -> Option<usize> {
    let padding = s.bytes().rev().take_while(|b| *b == b'=').count();
    let data = &s[..s.len() - padding];
    let valid = s.len().is_multiple_of(4)
        && padding <= 2
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    valid.then(|| s.len() / 4 * 3 - padding)
}

/// The key type of a DKIM public key: Ed25519 keys are 32 bytes, everything else RSA.
pub fn dkim_key_type(public_key: &str) -> &'static str {
    if base64_len(public_key) == Some(32) {
        "ed25519"
    } else {
        "rsa"
    }
}

/// A TXT value as zone-file strings of at most 255 characters each (RFC 1035), quoted
/// and joined by spaces: resolvers concatenate them back.
pub fn txt_strings(value: &str) -> String {
    let chunks: Vec<String> = value
        .as_bytes()
        .chunks(255)
        .map(|c| format!("\"{}\"", String::from_utf8_lossy(c)))
        .collect();
    chunks.join(" ")
}

/// What the DNS records of a mail domain are made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFacts<'a> {
    pub domain: &'a str,
    pub mx_host: &'a str,
    pub ttl: u32,
    pub selector: &'a str,
    pub public_key: &'a str,
    /// "none", "quarantine" or "reject".
    pub dmarc_policy: &'a str,
    pub dmarc_report: Option<&'a str>,
    /// For the comment: "opensmtpd on hermes".
    pub relay_label: &'a str,
    /// The relay host's own public addresses: the MX host's address records.
    pub relay_public: Vec<IpAddr>,
    /// Every public address mail leaves from: what SPF lists.
    pub sending: Vec<IpAddr>,
    /// Why the sending addresses are what they are, one comment line each.
    pub notes: Vec<String>,
}

/// The SPF policy: every address mail leaves from, nothing else (`-all`).
pub fn spf(sending: &[IpAddr]) -> String {
    let mut out = "v=spf1".to_owned();
    for ip in sending {
        match ip {
            IpAddr::V4(v4) => out.push_str(&format!(" ip4:{v4}")),
            IpAddr::V6(v6) => out.push_str(&format!(" ip6:{v6}")),
        }
    }
    out + " -all"
}

/// The zone-file lines a mail domain needs: MX (and the MX host's address records when
/// it is in the zone), SPF, DKIM and DMARC, with fully qualified names.
pub fn dns_records(m: &MailFacts) -> String {
    let ttl = m.ttl;
    let d = m.domain;
    let mut out = format!("; Mail for {d}, sent through {}.\n", m.relay_label);
    for note in &m.notes {
        out.push_str(&format!("; {note}\n"));
    }
    out.push_str(&format!("{d}. {ttl} IN MX 10 {}.\n", m.mx_host));
    if m.mx_host == d || m.mx_host.ends_with(&format!(".{d}")) {
        for ip in &m.relay_public {
            let kind = if ip.is_ipv4() { "A" } else { "AAAA" };
            out.push_str(&format!("{}. {ttl} IN {kind} {ip}\n", m.mx_host));
        }
    }
    out.push_str(&format!("{d}. {ttl} IN TXT {}\n", txt_strings(&spf(&m.sending))));
    let dkim = format!("v=DKIM1; k={}; p={}", dkim_key_type(m.public_key), m.public_key);
    out.push_str(&format!(
        "{}._domainkey.{d}. {ttl} IN TXT {}\n",
        m.selector,
        txt_strings(&dkim)
    ));
    let mut dmarc = format!("v=DMARC1; p={}", m.dmarc_policy);
    if let Some(report) = m.dmarc_report {
        dmarc.push_str(&format!("; rua=mailto:{report}"));
    }
    out.push_str(&format!("_dmarc.{d}. {ttl} IN TXT {}\n", txt_strings(&dmarc)));
    out
}

/// Where Mastodon hands its mail over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relay<'a> {
    /// "opensmtpd on hermes"
    pub label: &'a str,
    /// "dkimproxy on hermes"
    pub signing_label: &'a str,
    /// The relay's listen address, as Sidekiq reaches it.
    pub addr: &'a str,
    pub port: u16,
}

/// Mastodon's SMTP_* block for `.env.production`: plain SMTP to the relay over the mesh,
/// no login (the relay accepts mail from the mesh only).
pub fn smtp_env(r: &Relay, from_address: &str) -> String {
    let loopback = r.addr.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let mut out = format!(
        "# Mail leaves through {} (signed by {}).\n",
        r.label, r.signing_label
    );
    if loopback {
        out.push_str("# The relay listens on loopback only: Sidekiq must run on the same host.\n");
    }
    out.push_str(&format!(
        "SMTP_SERVER={addr}\n\
         SMTP_PORT={port}\n\
         SMTP_LOGIN=\n\
         SMTP_PASSWORD=\n\
         SMTP_AUTH_METHOD=none\n\
         # WireGuard already encrypts the hop, and the relay has no certificate for this address.\n\
         SMTP_ENABLE_STARTTLS=never\n\
         SMTP_OPENSSL_VERIFY_MODE=none\n\
         SMTP_FROM_ADDRESS={from_address}\n\
         SMTP_DELIVERY_METHOD=smtp\n",
        addr = r.addr,
        port = r.port,
    ));
    out
}

/// The public key of the reference cluster's DKIM selector (demo data and tests).
pub const EXAMPLE_DKIM_PUBLIC_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArHTTXJRavR/m6vp3Wg+bLP7hnEwlml/Z/59Dtmk1XPe8tI8uVqbsRRZNzEeRAPILWanYa4YD4Mhra+yNTbFtmaaSMFF7Xhc2WPBUv4//+/t9WGYSSwmuqAg9oYgyUBYDb14PigXBppX4qizvWopzVWvO3HlkgbcCaBoa4JdVGhYSzdlcKFCKIs+7CHdxpPgjZvQyhXwBgesOZIStAoXrO9N+U2pGkuwwfdP8Qm9/X7rQbRPTFwFF38tJk3E726ytxgKjl5Ls6nmOAKRj6Z3iKgE2OWYCucsGfPdwyVnRMX/zshkHXLXQoebL+nOwYskeRmNn/WQWr0PWr2b1TKGaywIDAQAB";

/// The relay host as the sending addresses are worked out from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayHost<'a> {
    pub name: &'a str,
    pub ipv4: Option<IpAddr>,
    pub ipv6: Option<IpAddr>,
    /// The host whose NAT carries this host's IPv4 traffic, with its IPv4.
    pub egress: Option<(&'a str, Option<IpAddr>)>,
}

/// Every public address mail leaves from, and why: the relay's own IPv4, or without
/// one the IPv4 of the host whose NAT it goes out through; and the relay's IPv6.
pub fn sending_addresses(relay: &RelayHost) -> (Vec<IpAddr>, Vec<String>) {
    let mut sending = Vec::new();
    let mut notes = Vec::new();
    match (relay.ipv4, relay.egress) {
        (Some(v4), _) => sending.push(v4),
        (None, Some((via, Some(v4)))) => {
            sending.push(v4);
            notes.push(format!(
                "{} has no IPv4: its IPv4 mail leaves through {via}'s NAT as {v4}.",
                relay.name
            ));
        }
        (None, Some((via, None))) => notes.push(format!(
            "{} sends IPv4 through {via}, which has no IPv4 either: mail to IPv4-only servers fails.",
            relay.name
        )),
        (None, None) => notes.push(format!(
            "{} has no IPv4 and no NAT host: mail to IPv4-only servers fails.",
            relay.name
        )),
    }
    sending.extend(relay.ipv6);
    (sending, notes)
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
