//! The add/change form of a Puma or Sidekiq instance: fields as typed, into settings.
use serde::{Deserialize, Serialize};

use crate::domain::unit_instance::{
    self, Bounds, PumaSettings, Queue, QueueName, Settings, SidekiqSettings, Tag, Threads,
};
use crate::model::error::FieldErrors;
use crate::model::host::parse_ip;

/// What the instance form submits. Both kinds' fields travel; only the chosen kind's are
/// read. An empty field leaves the setting to Mastodon's own configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceInput {
    /// `puma` or `sidekiq`.
    pub kind: String,
    pub workers: String,
    /// `5`, or `2-5` for a minimum and a maximum.
    pub threads: String,
    pub port: String,
    pub bind: String,
    pub concurrency: String,
    /// Queues in priority order separated by spaces, each `name` or `name-weight`.
    pub queues: String,
    pub db_pool: String,
    pub name: String,
    /// The unit this one replaces (a change); empty to add one.
    pub replaces: String,
    /// Ticked: run even though a budget would be exceeded (`on` from a checkbox).
    pub override_budget: String,
}

impl InstanceInput {
    /// A blank Sidekiq form: the kind an operator adds most.
    pub fn blank() -> Self {
        InstanceInput {
            kind: "sidekiq".into(),
            ..InstanceInput::default()
        }
    }

    /// The form that changes `unit`, filled with its settings.
    pub fn for_change(unit: &str, settings: &Settings) -> Self {
        let n = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
        let tag = |t: &Option<Tag>| t.as_ref().map(ToString::to_string).unwrap_or_default();
        let mut input = InstanceInput {
            kind: settings.kind().as_str().into(),
            replaces: unit.into(),
            ..InstanceInput::default()
        };
        match settings {
            Settings::Puma(p) => {
                input.workers = n(p.workers);
                input.threads = match p.threads {
                    Some(t) if t.min == t.max => t.max.to_string(),
                    Some(t) => format!("{}-{}", t.min, t.max),
                    None => String::new(),
                };
                input.port = n(p.port);
                input.bind = p.bind.map(|b| b.to_string()).unwrap_or_default();
                input.name = tag(&p.name);
            }
            Settings::Sidekiq(s) => {
                input.concurrency = n(s.concurrency);
                input.queues = s
                    .queues
                    .iter()
                    .map(|q| match q.weight {
                        Some(w) => format!("{}-{w}", q.name),
                        None => q.name.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                input.db_pool = n(s.db_pool);
                input.name = tag(&s.name);
            }
        }
        input
    }

    pub fn overrides_budget(&self) -> bool {
        matches!(self.override_budget.trim(), "on" | "true" | "1")
    }

    /// The settings, every problem under its field; the instance string they make is
    /// checked by the same decoder the hosts run.
    pub fn parse(&self) -> Result<Settings, FieldErrors> {
        let mut e = FieldErrors::default();
        let settings = match self.kind.trim() {
            "puma" => {
                let workers = e.check("workers", optional(&self.workers, unit_instance::WORKERS));
                let threads = e.check("threads", parse_threads(&self.threads));
                let port = e.check("port", optional(&self.port, unit_instance::PORT));
                let bind = e.check("bind", blank_or(&self.bind, parse_ip));
                let name = e.check("name", blank_or(&self.name, Tag::parse));
                Settings::Puma(PumaSettings {
                    workers: workers.flatten(),
                    threads: threads.flatten(),
                    port: port.flatten(),
                    bind: bind.flatten(),
                    name: name.flatten(),
                })
            }
            "sidekiq" => {
                let concurrency = e
                    .check(
                        "concurrency",
                        optional(&self.concurrency, unit_instance::CONCURRENCY),
                    )
                    .flatten();
                let queues = e.check("queues", parse_queues(&self.queues)).unwrap_or_default();
                let db_pool = e
                    .check("db_pool", optional(&self.db_pool, unit_instance::DB_POOL))
                    .flatten();
                let name = e.check("name", blank_or(&self.name, Tag::parse)).flatten();
                Settings::Sidekiq(SidekiqSettings {
                    concurrency,
                    queues,
                    // The instance string has one spelling: DB_POOL equal to the
                    // concurrency is the default, so it is left out rather than refused.
                    db_pool: db_pool.filter(|d| Some(*d) != concurrency),
                    name,
                })
            }
            _ => {
                e.add("kind", "choose puma or sidekiq");
                return Err(e);
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        match settings.encode() {
            Ok(_) => Ok(settings),
            Err(reason) => Err(FieldErrors::single("kind", reason.to_string())),
        }
    }
}

fn blank_or<T>(s: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match s.trim() {
        "" => Ok(None),
        s => parse(s).map(Some),
    }
}

fn number(s: &str, bounds: Bounds) -> Result<u16, String> {
    let range = format!("from {} to {}", bounds.min, bounds.max);
    match s.trim().parse::<u32>() {
        Ok(n) if n >= u32::from(bounds.min) && n <= u32::from(bounds.max) => Ok(n as u16),
        _ => Err(format!("a whole number {range}, or empty for Mastodon's default")),
    }
}

fn optional(s: &str, bounds: Bounds) -> Result<Option<u16>, String> {
    blank_or(s, |s| number(s, bounds))
}

fn parse_threads(s: &str) -> Result<Option<Threads>, String> {
    blank_or(s, |s| {
        let (min, max) = match s.split_once('-') {
            Some((min, max)) => (
                number(min, unit_instance::MIN_THREADS)?,
                number(max, unit_instance::MAX_THREADS)?,
            ),
            None => {
                let n = number(s, unit_instance::MAX_THREADS)?;
                (n, n)
            }
        };
        if min > max {
            return Err("the minimum is above the maximum".into());
        }
        Ok(Threads { min, max })
    })
}

fn parse_queues(s: &str) -> Result<Vec<Queue>, String> {
    let mut queues: Vec<Queue> = Vec::new();
    for word in s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let (name, weight) = match word.split_once('-') {
            Some((name, weight)) => (
                name,
                Some(number(weight, unit_instance::WEIGHT).map_err(|m| format!("{word}: weight {m}"))?),
            ),
            None => (word, None),
        };
        let name = QueueName::parse(name).map_err(|m| format!("{word}: {m}"))?;
        if queues.iter().any(|q| q.name == name) {
            return Err(format!("queue {name} appears twice"));
        }
        queues.push(Queue { name, weight });
    }
    Ok(queues)
}
