//! What the processes ask of a host and of PostgreSQL: Sidekiq threads against their
//! connection pool, all connections against max_connections, memory against RAM.
use super::{CheckService, Env, Finding, Input, ObjectKind, Severity};
use crate::domain::unit_instance::{parse_unit, Settings};

/// Mastodon's defaults when neither the unit nor the env says: config/puma.rb (2
/// workers, 5 threads), config/sidekiq.yml (5 threads), the streaming API's pool (10).
const PUMA_WORKERS: u32 = 2;
const PUMA_THREADS: u32 = 5;
const SIDEKIQ_CONCURRENCY: u32 = 5;
const STREAMING_POOL: u32 = 10;
/// PostgreSQL's default max_connections, and the connections it keeps for superusers.
const MAX_CONNECTIONS: u32 = 100;
const RESERVED: u32 = 3;

fn settings(s: &CheckService) -> Option<Settings> {
    parse_unit(&s.unit).and_then(|(_, r)| r.ok())
}

/// Unit names of the Puma and Sidekiq templates with an instance string the decoder on
/// the hosts would refuse: the unit fails to start, with exit code 2.
pub fn unit_instances(input: &Input, out: &mut Vec<Finding>) {
    for s in &input.services {
        let Some((kind, Err(e))) = parse_unit(&s.unit) else {
            continue;
        };
        out.push(
            Finding::new("unit-instance-invalid", Severity::Error, format!("{} runs {}: {e}.", s.name, s.unit))
                .on(ObjectKind::Service, &s.name)
                .why(format!("The {kind} unit's decoder refuses this instance string, so systemd never starts the process (exit code 2, no restart)."))
                .fix("Write the instance string as docs/UNITS.md specifies (the Tuning page encodes it for you) and record the unit under that name."),
        );
    }
}

/// Sidekiq: (concurrency, DB_POOL), as the decoder and Mastodon work them out.
fn sidekiq(s: &CheckService, env: Option<&Env>) -> (u32, u32) {
    let (c, d) = match settings(s) {
        Some(Settings::Sidekiq(k)) => (k.concurrency.map(u32::from), k.db_pool.map(u32::from)),
        _ => (None, None),
    };
    let concurrency = c.unwrap_or(SIDEKIQ_CONCURRENCY);
    let env_pool = env.and_then(|e| e.number("DB_POOL").or_else(|| e.number("MAX_THREADS")));
    (concurrency, d.or(c).or(env_pool).unwrap_or(SIDEKIQ_CONCURRENCY))
}

/// Puma: (workers counted as processes, threads per worker).
fn puma(s: &CheckService, env: Option<&Env>) -> (u32, u32) {
    let (w, t) = match settings(s) {
        Some(Settings::Puma(p)) => (p.workers.map(u32::from), p.threads.map(|t| u32::from(t.max))),
        _ => (None, None),
    };
    let workers = w
        .or_else(|| env.and_then(|e| e.number("WEB_CONCURRENCY")))
        .unwrap_or(PUMA_WORKERS);
    let threads = t
        .or_else(|| env.and_then(|e| e.number("MAX_THREADS")))
        .unwrap_or(PUMA_THREADS);
    // Single mode (0 workers) is still one process serving requests.
    (workers.max(1), threads)
}

/// A Sidekiq with more threads than database connections makes threads wait for one.
pub fn sidekiq_pools(input: &Input, out: &mut Vec<Finding>) {
    for s in input.services_of("sidekiq") {
        let (concurrency, pool) = sidekiq(s, input.env.as_ref());
        if concurrency > pool {
            out.push(
                Finding::new(
                    "sidekiq-pool-below-concurrency",
                    Severity::Error,
                    format!("{} runs {concurrency} threads with DB_POOL {pool}.", s.name),
                )
                .on(ObjectKind::Service, &s.name)
                .why("Threads beyond the pool wait for a connection and time out with ActiveRecord::ConnectionTimeoutError: jobs fail and retry, and queues back up under load.")
                .fix(format!("Drop the `d` field from the instance string (DB_POOL then follows the concurrency) or raise it to at least {concurrency}.")),
            );
        }
    }
}

/// max_connections as written in the PostgreSQL service's notes (`max_connections = 200`),
/// else PostgreSQL's default: the inventory has no field for it.
fn max_connections(pg: &CheckService) -> u32 {
    let notes = pg.notes.as_str();
    notes
        .find("max_connections")
        .and_then(|at| {
            let rest = notes[at + "max_connections".len()..].trim_start();
            let rest = rest
                .strip_prefix('=')
                .or_else(|| rest.strip_prefix(':'))?
                .trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(MAX_CONNECTIONS)
}

/// Every Puma worker's threads, every Sidekiq's pool and every streaming API's pool
/// against what PostgreSQL accepts.
pub fn connection_budget(input: &Input, out: &mut Vec<Finding>) {
    let Some(pg) = input.services_of("postgresql").next() else {
        return;
    };
    let env = input.env.as_ref();
    let mut parts = Vec::new();
    let mut total = 0;
    let mut objects = vec![pg.name.clone()];
    for s in &input.services {
        let (n, how) = match s.kind.as_str() {
            "puma" => {
                let (w, t) = puma(s, env);
                (w * t, format!("{} {w}×{t}", s.name))
            }
            "sidekiq" => {
                let (_, pool) = sidekiq(s, env);
                (pool, format!("{} {pool}", s.name))
            }
            "streaming" => {
                let pool = env.and_then(|e| e.number("DB_POOL")).unwrap_or(STREAMING_POOL);
                (pool, format!("{} {pool}", s.name))
            }
            _ => continue,
        };
        total += n;
        parts.push(how);
        objects.push(s.name.clone());
    }
    let max = max_connections(pg);
    let usable = max.saturating_sub(RESERVED);
    let over = total > usable;
    let message = format!(
        "Mastodon may open {total} database connections ({}) of the {usable} {} accepts (max_connections {max}, {RESERVED} kept for superusers).",
        if parts.is_empty() { "no processes".to_owned() } else { parts.join(" + ") },
        pg.name
    );
    let mut finding = Finding::new(
        "db-connection-budget",
        if over { Severity::Error } else { Severity::Info },
        message,
    )
    .why("Past max_connections PostgreSQL refuses new connections: whichever process starts last (often a freshly added Sidekiq) crashes at boot, or Puma answers 500 under load.");
    finding = if over {
        finding.fix(format!(
            "Lower Puma workers or threads or Sidekiq concurrency by {} connections, or raise max_connections on {} (and write `max_connections = N` in its notes so Owlery counts with it).",
            total - usable,
            pg.name
        ))
    } else {
        finding.fix("Nothing to do; Owlery reads max_connections from the PostgreSQL service's notes (`max_connections = N`), else assumes 100.")
    };
    for name in &objects {
        finding = finding.on(ObjectKind::Service, name);
    }
    out.push(finding);
}

/// The services' memory on each host against its RAM (MemTotal when facts were gathered:
/// the kernel keeps part of the plan's RAM).
pub fn memory(input: &Input, out: &mut Vec<Finding>) {
    for h in &input.hosts {
        let used: u64 = input
            .services
            .iter()
            .filter(|s| s.host == h.name)
            .filter_map(|s| s.memory_mib)
            .map(u64::from)
            .sum();
        let (ram, source) = match h.mem_total_mib {
            Some(total) => (total, "MemTotal as last gathered"),
            None => (u64::from(h.ram_mib), "the plan's RAM"),
        };
        if ram == 0 || used * 10 <= ram * 9 {
            continue;
        }
        let severity = if used > ram {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            Finding::new(
                "memory-over-ram",
                severity,
                format!("The services on {} need {used} MiB of {ram} MiB ({source}), {}%.", h.name, used * 100 / ram),
            )
            .on(ObjectKind::Host, &h.name)
            .why("Without headroom the kernel's OOM killer picks a process when traffic peaks, usually the largest: Sidekiq or PostgreSQL, at the worst moment.")
            .fix(format!("Move a service off {} or pick a plan with more RAM; lower memory_mib only if the estimate is really too high.", h.name)),
        );
    }
}

/// The connection budget's figures for the Tuning page, by the same arithmetic as
/// [`connection_budget`]: (connections Mastodon may open, connections PostgreSQL
/// accepts). Without a PostgreSQL service PostgreSQL's default limit applies.
pub fn connection_totals(input: &Input) -> (u32, u32) {
    let env = input.env.as_ref();
    let total = input
        .services
        .iter()
        .map(|s| match s.kind.as_str() {
            "puma" => {
                let (w, t) = puma(s, env);
                w * t
            }
            "sidekiq" => sidekiq(s, env).1,
            "streaming" => env.and_then(|e| e.number("DB_POOL")).unwrap_or(STREAMING_POOL),
            _ => 0,
        })
        .sum();
    let max = input
        .services_of("postgresql")
        .next()
        .map_or(MAX_CONNECTIONS, max_connections);
    (total, max.saturating_sub(RESERVED))
}

/// A host's memory budget as [`memory`] counts it: (MiB its services need, MiB of RAM,
/// MemTotal when facts were gathered).
pub fn host_memory(input: &Input, host: &str) -> (u64, u64) {
    let used = input
        .services
        .iter()
        .filter(|s| s.host == host)
        .filter_map(|s| s.memory_mib)
        .map(u64::from)
        .sum();
    let ram = input
        .host(host)
        .map_or(0, |h| h.mem_total_mib.unwrap_or(u64::from(h.ram_mib)));
    (used, ram)
}
