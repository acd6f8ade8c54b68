//! The budgets a tuning change is checked against before it runs: database connections
//! across the cluster and memory on the host, by the config check's own arithmetic
//! (`checks::connection_totals`, `checks::host_memory`) over the inventory with the
//! host's live Puma and Sidekiq instances in place of the recorded ones.
use super::checks::{connection_totals, host_memory, CheckService, Input};
use super::unit_instance::{Kind, Settings};
use crate::model::tuning::{Budget, Budgets};

/// Resident memory estimates (MiB) of Mastodon's processes: a Puma worker or a
/// single-mode Puma, the Puma master that forks workers, a Sidekiq process, and what each
/// Sidekiq thread adds. Rough figures of a small instance; the inventory's own
/// `memory_mib` wins wherever a service is recorded.
pub const PUMA_PROCESS_MIB: u32 = 300;
pub const PUMA_MASTER_MIB: u32 = 150;
pub const SIDEKIQ_PROCESS_MIB: u32 = 250;
pub const SIDEKIQ_THREAD_MIB: u32 = 10;
/// Mastodon's defaults when the instance string leaves them out.
const PUMA_WORKERS: u32 = 2;
const SIDEKIQ_CONCURRENCY: u32 = 5;

/// An instance running on the host: its unit name, kind and settings (`None` when its
/// instance string does not decode; Mastodon's defaults are counted then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub unit: String,
    pub kind: Kind,
    pub settings: Option<Settings>,
}

/// What a form asks for. The units named are the host's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    Nothing,
    Add(&'a Settings),
    Replace { old: &'a str, new: &'a Settings },
    Remove(&'a str),
}

/// The estimated memory of one instance.
pub fn estimate_mib(kind: Kind, settings: Option<&Settings>) -> u32 {
    match (kind, settings) {
        (Kind::Puma, Some(Settings::Puma(p))) => puma_mib(p.workers.map_or(PUMA_WORKERS, u32::from)),
        (Kind::Puma, _) => puma_mib(PUMA_WORKERS),
        (Kind::Sidekiq, Some(Settings::Sidekiq(s))) => {
            sidekiq_mib(s.concurrency.map_or(SIDEKIQ_CONCURRENCY, u32::from))
        }
        (Kind::Sidekiq, _) => sidekiq_mib(SIDEKIQ_CONCURRENCY),
    }
}

fn puma_mib(workers: u32) -> u32 {
    match workers {
        0 => PUMA_PROCESS_MIB,
        w => PUMA_MASTER_MIB + w * PUMA_PROCESS_MIB,
    }
}

fn sidekiq_mib(threads: u32) -> u32 {
    SIDEKIQ_PROCESS_MIB + threads * SIDEKIQ_THREAD_MIB
}

/// The check's view of an instance on `host`.
fn service(host: &str, unit: &str, kind: Kind, settings: Option<&Settings>) -> CheckService {
    CheckService {
        name: unit.to_owned(),
        host: host.to_owned(),
        kind: kind.as_str().to_owned(),
        unit: unit.to_owned(),
        memory_mib: Some(estimate_mib(kind, settings)),
        ..CheckService::default()
    }
}

/// The budgets before and after `change` on `host`. With `running` (the live read) the
/// host's recorded Puma and Sidekiq services give way to what really runs there;
/// without it (the host could not be read) the inventory stands as recorded.
pub fn budgets(input: &Input, host: &str, running: Option<&[Running]>, change: Change<'_>) -> Budgets {
    let mut before = input.clone();
    if let Some(running) = running {
        before
            .services
            .retain(|s| !(s.host == host && matches!(s.kind.as_str(), "puma" | "sidekiq")));
        before.services.extend(
            running
                .iter()
                .map(|r| service(host, &r.unit, r.kind, r.settings.as_ref())),
        );
    }
    let mut after = before.clone();
    let added = |s: &Settings| {
        let unit = s.kind().unit_name(&s.encode().unwrap_or_default());
        service(host, &unit, s.kind(), Some(s))
    };
    match change {
        Change::Nothing => {}
        Change::Add(new) => after.services.push(added(new)),
        Change::Replace { old, new } => {
            after.services.retain(|s| !(s.host == host && s.unit == old));
            after.services.push(added(new));
        }
        Change::Remove(old) => after.services.retain(|s| !(s.host == host && s.unit == old)),
    }
    let ((used_before, limit), (used_after, _)) = (connection_totals(&before), connection_totals(&after));
    let ((mem_before, ram), (mem_after, _)) = (host_memory(&before, host), host_memory(&after, host));
    Budgets {
        connections: Budget {
            before: u64::from(used_before),
            after: u64::from(used_after),
            limit: u64::from(limit),
        },
        memory_mib: Budget {
            before: mem_before,
            after: mem_after,
            limit: ram,
        },
    }
}

#[cfg(test)]
mod tests;
