//! The instance strings of the templated Puma and Sidekiq units: settings <-> string.
//!
//! `mastodon-puma@w2.t5.p3000.service` and `mastodon-sidekiq@c10.qdefault-8.qpush-4.qpull.service`
//! carry their process settings in the instance string, so another Sidekiq process or more
//! Puma workers are a `systemctl start` away, with no unit file to edit. docs/UNITS.md is
//! the full specification; in short:
//!
//! - The string is fields joined by `.`; each field is a one-letter key and its value.
//!   `default` alone means "no settings": Mastodon's own configuration applies.
//! - Puma keys, in this order: `w` workers (WEB_CONCURRENCY, 0-64), `t` threads (`t5`, or
//!   `t2-5` for minimum 2 and maximum 5: MIN_THREADS, MAX_THREADS), `p` port (PORT),
//!   `b` bind address (BIND; IPv4 with `-` for `.`, IPv6 compressed), `n` name (`--tag`).
//! - Sidekiq keys, in this order: `c` concurrency (`-c`, 1-200), `q` queue (`-q`, repeated,
//!   in priority order, `qpush-4` for weight 4), `d` DB_POOL (defaults to the
//!   concurrency), `n` name (`-g`).
//! - Only a-z, 0-9, `-`, `_`, `:` and `.`; at most 230 characters so the unit name stays
//!   within systemd's 255. Each setting set has exactly one spelling: keys in order,
//!   numbers without leading zeros, nothing that repeats a default. Anything else is
//!   refused with the reason, so `encode(parse(s)) == s` for every accepted `s`.
//! - Format version 1 has no version field; the key `v` is kept for a later version,
//!   which this decoder refuses by name rather than misreading.
//!
//! The same definition generates the POSIX-sh decoder installed on hosts and the unit
//! templates that call it ([`script`], [`units`]), so the two decoders cannot drift.
use serde::{Deserialize, Serialize};
use std::fmt;

mod error;
mod parse;
pub mod script;
mod settings;
pub mod units;

pub use error::InstanceError;
pub use settings::{Launch, PumaSettings, Queue, QueueName, SidekiqSettings, Tag, Threads};

/// The instance string that carries no settings.
pub const DEFAULT: &str = "default";

/// The longest instance string: `mastodon-sidekiq@` and `.service` take 25 of the 255
/// characters systemd allows in a unit name.
pub const MAX_LEN: usize = 230;

/// An inclusive range a number field must fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: u16,
    pub max: u16,
}

/// Puma `w`: 0 runs Puma in single mode, without worker processes.
pub const WORKERS: Bounds = Bounds { min: 0, max: 64 };
/// Puma `t2-5`: the minimum of a thread range.
pub const MIN_THREADS: Bounds = Bounds { min: 0, max: 64 };
/// Puma `t5`, and the maximum of `t2-5`.
pub const MAX_THREADS: Bounds = Bounds { min: 1, max: 64 };
pub const PORT: Bounds = Bounds { min: 1, max: 65535 };
/// Sidekiq `c`.
pub const CONCURRENCY: Bounds = Bounds { min: 1, max: 200 };
/// Sidekiq `qpush-4`: the weight of a queue.
pub const WEIGHT: Bounds = Bounds { min: 1, max: 100 };
/// Sidekiq `d`.
pub const DB_POOL: Bounds = Bounds { min: 1, max: 1000 };
/// The longest queue name and the longest name (`n`).
pub const NAME_MAX: usize = 32;

/// Which templated unit an instance string belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Puma,
    Sidekiq,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Puma, Kind::Sidekiq];

    /// The word the decoder script takes as its first argument.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Puma => "puma",
            Kind::Sidekiq => "sidekiq",
        }
    }

    /// The keys of this kind in their canonical order.
    pub fn keys(self) -> &'static [char] {
        match self {
            Kind::Puma => &['w', 't', 'p', 'b', 'n'],
            Kind::Sidekiq => &['c', 'q', 'd', 'n'],
        }
    }

    /// The keys as the error messages list them: `w t p b n`.
    pub fn keys_text(self) -> String {
        let keys: Vec<String> = self.keys().iter().map(char::to_string).collect();
        keys.join(" ")
    }

    /// The unit name before the instance: `mastodon-puma@`.
    pub fn unit_prefix(self) -> &'static str {
        match self {
            Kind::Puma => "mastodon-puma@",
            Kind::Sidekiq => "mastodon-sidekiq@",
        }
    }

    /// `mastodon-sidekiq@c10.service` for the instance `c10`.
    pub fn unit_name(self, instance: &str) -> String {
        format!("{}{instance}.service", self.unit_prefix())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The decoded settings of one instance, of either kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Settings {
    Puma(PumaSettings),
    Sidekiq(SidekiqSettings),
}

impl Settings {
    pub fn kind(&self) -> Kind {
        match self {
            Settings::Puma(_) => Kind::Puma,
            Settings::Sidekiq(_) => Kind::Sidekiq,
        }
    }

    /// The canonical instance string; refused when a value is out of its range.
    pub fn encode(&self) -> Result<String, InstanceError> {
        match self {
            Settings::Puma(p) => p.encode(),
            Settings::Sidekiq(s) => s.encode(),
        }
    }

    /// The flags and environment the decoder script gives the command.
    pub fn to_flags_and_env(&self) -> Launch {
        match self {
            Settings::Puma(p) => p.to_flags_and_env(),
            Settings::Sidekiq(s) => s.to_flags_and_env(),
        }
    }
}

/// Reads the instance string of a `kind` unit, exactly as the decoder script on the
/// hosts does: the same strings are accepted, the same reasons given.
pub fn parse(kind: Kind, instance: &str) -> Result<Settings, InstanceError> {
    parse::parse(kind, instance)
}

/// Reads a unit name as `systemctl list-units` shows it. `None` when the unit is not a
/// Mastodon Puma or Sidekiq instance; `Some(Err)` when it is one with an instance string
/// Owlery's decoder would refuse (someone wrote it by hand).
pub fn parse_unit(unit: &str) -> Option<(Kind, Result<Settings, InstanceError>)> {
    let stem = unit.strip_suffix(".service").unwrap_or(unit);
    Kind::ALL.into_iter().find_map(|kind| {
        let instance = stem.strip_prefix(kind.unit_prefix())?;
        Some((kind, parse(kind, instance)))
    })
}

#[cfg(test)]
mod sh_tests;
#[cfg(test)]
mod strategies;
#[cfg(test)]
mod tests;
