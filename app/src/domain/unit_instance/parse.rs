//! The decoder: reads an instance string field by field, left to right.
//!
//! The sh decoder (script.rs) makes the same checks in the same order, so both stop at
//! the same first problem; keep the two in step when a rule changes here.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::error::InstanceError as E;
use super::settings::{PumaSettings, Queue, QueueName, SidekiqSettings, Tag, Threads};
use super::{Bounds, Kind, Settings, DEFAULT, MAX_LEN};
use super::{CONCURRENCY, DB_POOL, MAX_THREADS, MIN_THREADS, PORT, WEIGHT, WORKERS};

/// Bytes an instance string may hold: systemd's instance characters without `\`
/// (escapes would give one setting two spellings) and without upper case.
pub(super) fn is_instance_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
}

pub(super) fn parse_puma(instance: &str) -> Result<PumaSettings, E> {
    decode(Kind::Puma, instance).map(|(puma, _)| puma)
}

pub(super) fn parse_sidekiq(instance: &str) -> Result<SidekiqSettings, E> {
    decode(Kind::Sidekiq, instance).map(|(_, sidekiq)| sidekiq)
}

pub(super) fn parse(kind: Kind, instance: &str) -> Result<Settings, E> {
    let (puma, sidekiq) = decode(kind, instance)?;
    Ok(match kind {
        Kind::Puma => Settings::Puma(puma),
        Kind::Sidekiq => Settings::Sidekiq(sidekiq),
    })
}

/// Fills the settings of `kind`; those of the other kind stay empty.
fn decode(kind: Kind, instance: &str) -> Result<(PumaSettings, SidekiqSettings), E> {
    if instance.is_empty() {
        return Err(E::Empty);
    }
    if !instance.bytes().all(is_instance_byte) {
        return Err(E::BadCharacter);
    }
    if instance.len() > MAX_LEN {
        return Err(E::TooLong);
    }
    let mut puma = PumaSettings::default();
    let mut sidekiq = SidekiqSettings::default();
    if instance != DEFAULT {
        let mut seen: Vec<char> = Vec::new();
        let mut last: Option<(char, usize)> = None;
        for field in instance.split('.') {
            // Every byte is ASCII, so the key is the first byte and the value the rest.
            let Some(key) = field.chars().next() else {
                return Err(E::EmptyField);
            };
            let value = &field[1..];
            if key == 'v' {
                return Err(E::Version {
                    field: field.to_owned(),
                });
            }
            let Some(rank) = kind.keys().iter().position(|k| *k == key) else {
                return Err(E::UnknownKey {
                    field: field.to_owned(),
                    key: key.to_string(),
                    kind: kind.as_str().to_owned(),
                    keys: kind.keys_text(),
                });
            };
            if key != 'q' && seen.contains(&key) {
                return Err(E::DuplicateKey {
                    field: field.to_owned(),
                    key: key.to_string(),
                });
            }
            if let Some((after, last_rank)) = last {
                if rank < last_rank {
                    return Err(E::OutOfOrder {
                        field: field.to_owned(),
                        key: key.to_string(),
                        after: after.to_string(),
                    });
                }
            }
            seen.push(key);
            last = Some((key, rank));
            match kind {
                Kind::Puma => puma_field(&mut puma, field, key, value)?,
                Kind::Sidekiq => sidekiq_field(&mut sidekiq, field, key, value)?,
            }
        }
    }
    Ok((puma, sidekiq))
}

fn puma_field(p: &mut PumaSettings, field: &str, key: char, value: &str) -> Result<(), E> {
    match key {
        'w' => p.workers = Some(number(field, value, WORKERS)?),
        't' => p.threads = Some(threads(field, value)?),
        'p' => p.port = Some(number(field, value, PORT)?),
        'b' => {
            p.bind = Some(address(value).ok_or_else(|| E::BadAddress {
                field: field.to_owned(),
            })?)
        }
        _ => {
            p.name = Some(Tag::parse(value).map_err(|_| E::BadName {
                field: field.to_owned(),
            })?)
        }
    }
    Ok(())
}

fn sidekiq_field(s: &mut SidekiqSettings, field: &str, key: char, value: &str) -> Result<(), E> {
    match key {
        'c' => s.concurrency = Some(number(field, value, CONCURRENCY)?),
        'q' => {
            let (name, weight) = match value.split_once('-') {
                Some((name, weight)) => (name, Some(weight)),
                None => (value, None),
            };
            let name = QueueName::parse(name).map_err(|_| E::BadQueueName {
                field: field.to_owned(),
            })?;
            if s.queues.iter().any(|q| q.name == name) {
                return Err(E::DuplicateQueue {
                    field: field.to_owned(),
                    queue: name.to_string(),
                });
            }
            let weight = weight.map(|w| number(field, w, WEIGHT)).transpose()?;
            s.queues.push(Queue { name, weight });
        }
        'd' => {
            let pool = number(field, value, DB_POOL)?;
            if s.concurrency == Some(pool) {
                return Err(E::PoolRepeatsConcurrency {
                    field: field.to_owned(),
                });
            }
            s.db_pool = Some(pool);
        }
        _ => {
            s.name = Some(Tag::parse(value).map_err(|_| E::BadName {
                field: field.to_owned(),
            })?)
        }
    }
    Ok(())
}

/// A decimal number in `bounds`, written without leading zeros.
fn number(field: &str, value: &str, bounds: Bounds) -> Result<u16, E> {
    let (field, value) = (field.to_owned(), value.to_owned());
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(E::NotANumber { field, value });
    }
    if value.len() > 1 && value.starts_with('0') {
        return Err(E::LeadingZero { field, value });
    }
    match value.parse::<u16>() {
        Ok(n) if value.len() <= 5 && (bounds.min..=bounds.max).contains(&n) => Ok(n),
        _ => Err(E::OutOfRange {
            field,
            value,
            min: bounds.min,
            max: bounds.max,
        }),
    }
}

/// `t5` (minimum and maximum 5) or `t2-5`.
fn threads(field: &str, value: &str) -> Result<Threads, E> {
    let Some((min, max)) = value.split_once('-') else {
        let n = number(field, value, MAX_THREADS)?;
        return Ok(Threads { min: n, max: n });
    };
    let min = number(field, min, MIN_THREADS)?;
    let max = number(field, max, MAX_THREADS)?;
    if min > max {
        return Err(E::MinAboveMax {
            field: field.to_owned(),
        });
    }
    if min == max {
        return Err(E::ThreadsTwice {
            field: field.to_owned(),
        });
    }
    Ok(Threads { min, max })
}

/// The value of a `b` field: `127-0-0-1`, or IPv6 exactly as [`canonical_ipv6`] writes it.
fn address(value: &str) -> Option<IpAddr> {
    if value.contains(':') {
        if !value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':')
        {
            return None;
        }
        let addr: Ipv6Addr = value.parse().ok()?;
        return (canonical_ipv6(&addr.segments()) == value).then_some(IpAddr::V6(addr));
    }
    let octets: Vec<&str> = value.split('-').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut parsed = [0u8; 4];
    for (slot, octet) in parsed.iter_mut().zip(octets) {
        let canonical = !octet.is_empty()
            && octet.len() <= 3
            && octet.bytes().all(|b| b.is_ascii_digit())
            && !(octet.len() > 1 && octet.starts_with('0'));
        *slot = if canonical {
            octet.parse().ok()?
        } else {
            return None;
        };
    }
    Some(IpAddr::V4(Ipv4Addr::from(parsed)))
}

/// RFC 5952 text of an IPv6 address: lower-case hex without leading zeros, the longest
/// run of two or more zero groups (the first of equal runs) written `::`. Never the
/// dotted IPv4 tail Rust's own Display uses for mapped addresses: a `.` ends the field.
pub(super) fn canonical_ipv6(groups: &[u16; 8]) -> String {
    let (mut best_start, mut best_len, mut run) = (0, 0, 0);
    for (i, g) in groups.iter().enumerate() {
        run = if *g == 0 { run + 1 } else { 0 };
        if run > best_len {
            (best_start, best_len) = (i + 1 - run, run);
        }
    }
    let hex = |gs: &[u16]| gs.iter().map(|g| format!("{g:x}")).collect::<Vec<_>>().join(":");
    if best_len < 2 {
        return hex(groups);
    }
    format!(
        "{}::{}",
        hex(&groups[..best_start]),
        hex(&groups[best_start + best_len..])
    )
}
