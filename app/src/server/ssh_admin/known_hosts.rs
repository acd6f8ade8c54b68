//! Importing a known_hosts file: each entry is matched to inventory hosts by address
//! and port (or name), pinned where no key is pinned yet, and never overwrites one.
use sqlx::SqlitePool;
use std::collections::BTreeMap;

use super::{HOST_KIND, PIN_ACTION};
use crate::api::ssh::{KnownHostsReport, MatchedKey};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor, host_keys, host_keys::HostRef};
use crate::server::ssh::keys::{self, KnownHost};

/// Largest paste accepted: far above any real known_hosts file of a small cluster.
pub const MAX_KNOWN_HOSTS_BYTES: usize = 256 * 1024;

pub async fn import_known_hosts(
    pool: &SqlitePool,
    actor: &Actor,
    text: &str,
) -> Result<KnownHostsReport, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::field(
            "text",
            "paste the lines of a known_hosts file, e.g. ~/.ssh/known_hosts",
        ));
    }
    if text.len() > MAX_KNOWN_HOSTS_BYTES {
        return Err(AppError::field(
            "text",
            "use at most 256 KiB; import a longer file in parts",
        ));
    }
    let entries = keys::known_hosts(text);
    if entries.is_empty() {
        return Err(AppError::field(
            "text",
            "no usable entry found: each line needs host patterns, a key type and the key \
             (hashed |1| entries cannot be matched; list the hosts with `ssh-keyscan` instead)",
        ));
    }
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    let mut report = KnownHostsReport {
        skipped: lines.saturating_sub(entries.len()),
        ..KnownHostsReport::default()
    };
    let mut tx = db::begin(pool).await?;
    let hosts = host_keys::hosts(&mut tx).await?;
    // Host index (name order) -> the entries naming it.
    let mut found: BTreeMap<usize, Vec<&KnownHost>> = BTreeMap::new();
    for entry in &entries {
        let mut matched = false;
        for (i, _) in hosts.iter().enumerate().filter(|(_, h)| names(entry, h)) {
            matched = true;
            found.entry(i).or_default().push(entry);
        }
        if !matched {
            report
                .unmatched
                .push(format!("{} {}", entry.patterns.join(","), entry.fingerprint));
        }
    }
    for (i, candidates) in found {
        let host = &hosts[i];
        let Some(best) = candidates.iter().min_by_key(|k| preference(&k.public_line)) else {
            continue;
        };
        match host_keys::pinned(&mut tx, host.id).await? {
            Some(p) => match candidates
                .iter()
                .find(|k| keys::same_key(&k.public_line, &p.public_line))
            {
                Some(same) => report.unchanged.push(matched(host, same, None)),
                None => report.conflicts.push(matched(host, best, Some(p.fingerprint))),
            },
            None => {
                host_keys::pin(
                    &mut tx,
                    host.id,
                    (&best.public_line, &best.fingerprint),
                    &actor.name,
                )
                .await?;
                let changes = [
                    ("host key".to_owned(), String::new(), best.fingerprint.clone()),
                    (
                        "source".to_owned(),
                        String::new(),
                        "known_hosts import".to_owned(),
                    ),
                ];
                db::audit::record(
                    &mut tx,
                    actor,
                    PIN_ACTION,
                    (HOST_KIND, Some(host.id), &host.name),
                    &changes,
                )
                .await?;
                report.pinned.push(matched(host, best, None));
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

fn matched(host: &HostRef, key: &KnownHost, pinned: Option<String>) -> MatchedKey {
    MatchedKey {
        host: host.name.clone(),
        fingerprint: key.fingerprint.clone(),
        pinned,
    }
}

/// True when one of the entry's patterns names the host's SSH address and port (or its
/// name, when it is reached on port 22, which a bare name means) and no `!pattern`
/// excludes it, as OpenSSH reads the file. Patterns with many wildcards are skipped:
/// matching them backtracks.
fn names(entry: &KnownHost, host: &HostRef) -> bool {
    let Ok(port) = u16::try_from(host.ssh_port) else {
        return false;
    };
    let usable = |p: &str| p.len() <= 255 && p.matches('*').count() <= 3;
    let names_host = |p: &str| {
        keys::pattern_matches(p, &host.ssh_host, port) || (port == 22 && p.eq_ignore_ascii_case(&host.name))
    };
    let excluded = entry
        .patterns
        .iter()
        .filter_map(|p| p.strip_prefix('!'))
        .any(|p| usable(p) && names_host(p));
    !excluded && entry.patterns.iter().any(|p| usable(p) && names_host(p))
}

/// Which of a host's keys to pin when the file lists several: the kind Owlery's SSH
/// client asks for first.
fn preference(public_line: &str) -> u8 {
    match public_line.split_whitespace().next().unwrap_or_default() {
        "ssh-ed25519" => 0,
        t if t.starts_with("ecdsa-") => 1,
        "rsa-sha2-512" | "rsa-sha2-256" | "ssh-rsa" => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_is_preferred_over_ecdsa_and_rsa() {
        assert!(preference("ssh-ed25519 AAAA") < preference("ecdsa-sha2-nistp256 AAAA"));
        assert!(preference("ecdsa-sha2-nistp256 AAAA") < preference("ssh-rsa AAAA"));
    }

    #[test]
    fn an_entry_names_a_host_by_address_and_port_or_by_name_on_port_22() {
        let host = |port| HostRef {
            id: 1,
            name: "hedwig".into(),
            ssh_host: "127.0.0.1".into(),
            ssh_port: port,
            ssh_identity: None,
        };
        let entry = |patterns: &[&str]| KnownHost {
            patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
            public_line: String::new(),
            fingerprint: String::new(),
        };
        assert!(names(&entry(&["[127.0.0.1]:2202"]), &host(2202)));
        assert!(names(&entry(&["Hedwig"]), &host(22)));
        assert!(
            !names(&entry(&["hedwig"]), &host(2202)),
            "a bare name means port 22"
        );
        assert!(!names(&entry(&["127.0.0.1"]), &host(2202)));
        assert!(!names(&entry(&["****a"]), &host(2202)), "too many wildcards");
        assert!(names(&entry(&["*"]), &host(22)));
        assert!(
            !names(&entry(&["!hedwig", "*"]), &host(22)),
            "a negated pattern excludes the host"
        );
    }
}
