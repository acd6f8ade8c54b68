//! The settings an instance string carries, their spelling and the launch they make.
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::net::IpAddr;

use super::error::{msg, InstanceError};
use super::parse::{canonical_ipv6, parse_puma, parse_sidekiq};
use super::{DEFAULT, NAME_MAX};

/// Puma's settings. `None` leaves the setting to Mastodon's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PumaSettings {
    /// WEB_CONCURRENCY: worker processes; 0 is single mode.
    pub workers: Option<u16>,
    pub threads: Option<Threads>,
    pub port: Option<u16>,
    pub bind: Option<IpAddr>,
    pub name: Option<Tag>,
}

/// MIN_THREADS and MAX_THREADS of each Puma process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threads {
    pub min: u16,
    pub max: u16,
}

/// Sidekiq's settings. `None` and no queues leave the setting to Mastodon's sidekiq.yml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SidekiqSettings {
    pub concurrency: Option<u16>,
    /// In priority order; with no weight anywhere Sidekiq empties them strictly in turn.
    pub queues: Vec<Queue>,
    /// DB_POOL when it differs from the concurrency.
    pub db_pool: Option<u16>,
    pub name: Option<Tag>,
}

/// One `-q` of Sidekiq. A weight of 1 is not the same as none: any weight makes Sidekiq
/// pick queues at random by weight instead of strictly in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub name: QueueName,
    pub weight: Option<u16>,
}

/// A Sidekiq queue name: a-z, then a-z, 0-9 and `_` (Mastodon's are all plain words).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QueueName(String);

/// A free name that tells apart two instances with the same settings (`n1`, `nburst`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

/// What the decoder gives the command: flags appended to its arguments, and environment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Launch {
    pub flags: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl QueueName {
    pub fn parse(s: &str) -> Result<QueueName, String> {
        let mut bytes = s.bytes();
        let first_ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
        let rest_ok = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if first_ok && rest_ok && s.len() <= NAME_MAX {
            Ok(QueueName(s.to_owned()))
        } else {
            Err(msg::queue_name_rule())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Tag {
    pub fn parse(s: &str) -> Result<Tag, String> {
        let lower_or_digit = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        let mut bytes = s.bytes();
        let first_ok = bytes.next().is_some_and(lower_or_digit);
        let rest_ok = bytes.all(|b| lower_or_digit(b) || b == b'-' || b == b'_');
        if first_ok && rest_ok && s.len() <= NAME_MAX {
            Ok(Tag(s.to_owned()))
        } else {
            Err(msg::name_rule())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype {
    ($t:ident) => {
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype!(QueueName);
string_newtype!(Tag);

/// The fields joined by dots, or `default` when there are none.
fn join(fields: Vec<String>) -> String {
    if fields.is_empty() {
        DEFAULT.to_owned()
    } else {
        fields.join(".")
    }
}

/// How the `b` field writes an address: IPv4 with `-` for `.` (the dot separates fields).
fn address_field(addr: &IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => a.octets().map(|o| o.to_string()).join("-"),
        IpAddr::V6(a) => canonical_ipv6(&a.segments()),
    }
}

impl PumaSettings {
    pub fn parse(instance: &str) -> Result<PumaSettings, InstanceError> {
        parse_puma(instance)
    }

    /// The canonical instance string. Every rule of the parser applies, so a value out of
    /// its range is refused here with the reason the decoder would give.
    pub fn encode(&self) -> Result<String, InstanceError> {
        let mut fields = Vec::new();
        if let Some(w) = self.workers {
            fields.push(format!("w{w}"));
        }
        match self.threads {
            Some(t) if t.min == t.max => fields.push(format!("t{}", t.max)),
            Some(t) => fields.push(format!("t{}-{}", t.min, t.max)),
            None => {}
        }
        if let Some(p) = self.port {
            fields.push(format!("p{p}"));
        }
        if let Some(b) = &self.bind {
            fields.push(format!("b{}", address_field(b)));
        }
        if let Some(n) = &self.name {
            fields.push(format!("n{n}"));
        }
        let instance = join(fields);
        parse_puma(&instance)?;
        Ok(instance)
    }

    /// Mastodon's config/puma.rb reads all of these from the environment; MIN_THREADS is
    /// always set with MAX_THREADS so a `.env.production` value cannot widen the range.
    pub fn to_flags_and_env(&self) -> Launch {
        let mut launch = Launch::default();
        if let Some(w) = self.workers {
            launch.env("WEB_CONCURRENCY", w.to_string());
        }
        if let Some(t) = self.threads {
            launch.env("MIN_THREADS", t.min.to_string());
            launch.env("MAX_THREADS", t.max.to_string());
        }
        if let Some(p) = self.port {
            launch.env("PORT", p.to_string());
        }
        // Mastodon binds `tcp://#{BIND}:#{PORT}`, which needs an IPv6 address in brackets.
        match self.bind {
            Some(IpAddr::V4(a)) => launch.env("BIND", a.to_string()),
            Some(IpAddr::V6(a)) => launch.env("BIND", format!("[{}]", canonical_ipv6(&a.segments()))),
            None => {}
        }
        if let Some(n) = &self.name {
            launch.flags.extend(["--tag".to_owned(), n.to_string()]);
        }
        launch
    }
}

impl SidekiqSettings {
    pub fn parse(instance: &str) -> Result<SidekiqSettings, InstanceError> {
        parse_sidekiq(instance)
    }

    /// The canonical instance string; see [`PumaSettings::encode`].
    pub fn encode(&self) -> Result<String, InstanceError> {
        let mut fields = Vec::new();
        if let Some(c) = self.concurrency {
            fields.push(format!("c{c}"));
        }
        for q in &self.queues {
            let mut field = format!("q{}", q.name);
            if let Some(w) = q.weight {
                let _ = write!(field, "-{w}");
            }
            fields.push(field);
        }
        if let Some(d) = self.db_pool {
            fields.push(format!("d{d}"));
        }
        if let Some(n) = &self.name {
            fields.push(format!("n{n}"));
        }
        let instance = join(fields);
        parse_sidekiq(&instance)?;
        Ok(instance)
    }

    /// `-c 10 -q default,8 -q push,4 -g name`, and DB_POOL: the one given, else the
    /// concurrency, so each Sidekiq thread has its database connection.
    pub fn to_flags_and_env(&self) -> Launch {
        let mut launch = Launch::default();
        if let Some(c) = self.concurrency {
            launch.flags.extend(["-c".to_owned(), c.to_string()]);
        }
        for q in &self.queues {
            let queue = match q.weight {
                Some(w) => format!("{},{w}", q.name),
                None => q.name.to_string(),
            };
            launch.flags.extend(["-q".to_owned(), queue]);
        }
        if let Some(n) = &self.name {
            launch.flags.extend(["-g".to_owned(), n.to_string()]);
        }
        if let Some(pool) = self.db_pool.or(self.concurrency) {
            launch.env("DB_POOL", pool.to_string());
        }
        launch
    }
}

impl Launch {
    fn env(&mut self, name: &str, value: String) {
        self.env.push((name.to_owned(), value));
    }
}
