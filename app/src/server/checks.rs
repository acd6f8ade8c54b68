//! The config check on the server: the inventory, the mesh, the facts gathered from
//! hosts and the DKIM signing keys, read into the rules' input; a pasted env checked
//! without being kept; and the job that reads the hosts' live state.
mod keys;

use sqlx::SqlitePool;
use std::collections::HashMap;

use crate::api::checks::LiveHost;
use crate::api::jobs::JobInput;
use crate::domain::checks::{
    self, CheckBucket, CheckHost, CheckMail, CheckService, Env, Finding, Input, LiveFacts,
};
use crate::model::action::{ActionInput, Facts};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor, checks::HostFacts};
use crate::server::secrets::cipher::MasterKey;
use crate::server::{inventory, jobs, AppState};

/// A `.env.production` is a few kilobytes; anything far larger is not one.
pub const MAX_ENV_BYTES: usize = 64 * 1024;

/// Reading the live state is quick on a healthy host; one that hangs should not hold
/// the job (and the Checks page's view of it) for the jobs' default ten minutes.
const LIVE_TIMEOUT_SECS: u32 = 120;

fn live_facts(facts: &Facts, age_secs: i64) -> LiveFacts {
    LiveFacts {
        age_secs,
        listening: facts.listen_known.then(|| facts.listening.clone()),
        active_units: facts.units_known.then(|| facts.active_units.clone()),
    }
}

/// What `nginx -T` showed on the hosts the inventory runs nginx on, each part headed by
/// its host; None when no such host has reported any.
fn live_nginx(inv: &inventory::doc::Inventory, facts: &[HostFacts]) -> Option<String> {
    let text: String = facts
        .iter()
        .filter(|h| inv.services.iter().any(|s| s.kind == "nginx" && s.host == h.name))
        .filter_map(|h| Some((&h.name, h.facts.as_ref()?)))
        .filter(|(_, f)| !f.nginx.is_empty())
        .map(|(name, f)| format!("# nginx -T on {name}\n{}", f.nginx))
        .collect();
    (!text.is_empty()).then_some(text)
}

/// The rules' input from the database: the inventory, the mesh, and per host what the
/// last "gather facts" job found.
pub async fn input(pool: &SqlitePool) -> Result<Input, AppError> {
    input_with_keys(pool, None).await
}

/// [`input`], and with `key` the public half of each DKIM signing key.
pub async fn input_with_keys(pool: &SqlitePool, key: Option<&MasterKey>) -> Result<Input, AppError> {
    let mut conn = pool.acquire().await?;
    let inv = inventory::load(&mut conn).await?;
    let nodes = db::mesh::nodes(&mut conn).await?;
    let links = db::mesh::links(&mut conn).await?;
    let facts = db::checks::host_facts(&mut conn).await?;
    drop(conn);
    let now = db::now();
    let by_host: HashMap<&str, (&Facts, i64)> = facts
        .iter()
        .filter_map(|h| Some((h.name.as_str(), (h.facts.as_ref()?, h.gathered_at?))))
        .collect();
    let hosts = inv
        .hosts
        .iter()
        .map(|h| {
            let gathered = by_host.get(h.name.as_str());
            CheckHost {
                name: h.name.clone(),
                ram_mib: h.ram_mib,
                ipv4: h.ipv4.clone(),
                ipv6: h.ipv6.clone(),
                mesh_addr: h.mesh_addr.clone(),
                mem_total_mib: gathered.map(|(f, _)| f.mem_total_mib).filter(|m| *m > 0),
                live: gathered.map(|(f, at)| live_facts(f, now - at)),
            }
        })
        .collect();
    let services = inv
        .services
        .iter()
        .map(|s| CheckService {
            name: s.name.clone(),
            host: s.host.clone(),
            kind: s.kind.clone(),
            unit: s.unit.clone(),
            listen_addr: s.listen_addr.clone(),
            port: s.port,
            needs_egress: s.needs_egress,
            memory_mib: s.memory_mib,
            deps: s.depends_on.clone(),
            notes: s.notes.clone(),
        })
        .collect();
    let buckets = inv
        .buckets
        .iter()
        .map(|b| CheckBucket {
            name: b.name.clone(),
            addressing: b.addressing.clone(),
            alias_host: b.alias_host.clone(),
            endpoint_url: b.endpoint_url.clone(),
        })
        .collect();
    let mut mail = Vec::with_capacity(inv.mail_domains.len());
    for m in &inv.mail_domains {
        let signing_key = match key {
            Some(key) => keys::signing_key(pool, key, &m.dkim_secret).await,
            None => None,
        };
        mail.push(CheckMail {
            domain: m.domain.clone(),
            relay: m.relay.clone(),
            dkim_public_key: m.dkim_public_key.clone(),
            dkim_secret: m.dkim_secret.clone(),
            signing_key,
        });
    }
    Ok(Input {
        nginx: live_nginx(&inv, &facts),
        hosts,
        services,
        buckets,
        mail,
        nodes,
        links,
        env: None,
    })
}

/// The findings of the inventory (and the facts), with an env file if one is given.
pub async fn run(
    pool: &SqlitePool,
    key: Option<&MasterKey>,
    env: Option<&str>,
) -> Result<Vec<Finding>, AppError> {
    run_files(pool, key, env, None).await
}

/// [`run`], with the output of `nginx -T` too when given (`owlery check --nginx FILE`):
/// a file replaces what the facts read on the hosts.
pub async fn run_files(
    pool: &SqlitePool,
    key: Option<&MasterKey>,
    env: Option<&str>,
    nginx: Option<&str>,
) -> Result<Vec<Finding>, AppError> {
    let mut input = input_with_keys(pool, key).await?;
    input.env = env.map(Env::parse);
    if let Some(text) = nginx {
        input.nginx = Some(text.to_owned());
    }
    Ok(checks::run(&input))
}

/// Each host with when its facts were gathered and what they could tell, for the page.
pub async fn live_hosts(pool: &SqlitePool) -> Result<Vec<LiveHost>, AppError> {
    let facts = db::checks::host_facts(&mut *pool.acquire().await?).await?;
    Ok(facts
        .into_iter()
        .map(|h| LiveHost {
            sockets: h
                .facts
                .as_ref()
                .and_then(|f| f.listen_known.then_some(f.listening.len())),
            units: h
                .facts
                .as_ref()
                .and_then(|f| f.units_known.then_some(f.active_units.len())),
            nginx: h.facts.as_ref().is_some_and(|f| !f.nginx.is_empty()),
            gathered_at: h.gathered_at,
            reachable: h.reachable,
            name: h.name,
        })
        .collect())
}

/// Starts a "gather facts" job (sockets, units, `nginx -T` among them) on every host
/// with an SSH identity; the checks read its results when it is done. Returns the job.
pub async fn read_live_state(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    let hosts = db::checks::host_facts(&mut *state.db.acquire().await?).await?;
    let targets: Vec<String> = hosts
        .into_iter()
        .filter(|h| h.reachable)
        .map(|h| h.name)
        .collect();
    if targets.is_empty() {
        return Err(AppError::Conflict(
            "No host has an SSH identity yet: choose one on a host's page (SSH card), then read the live state.".into(),
        ));
    }
    let job = JobInput {
        targets: targets.join(" "),
        action: ActionInput {
            action: "facts".into(),
            ..ActionInput::default()
        },
        parallelism: jobs::DEFAULT_PARALLELISM.to_string(),
        timeout_secs: LIVE_TIMEOUT_SECS.to_string(),
    };
    jobs::start(state, actor, &job).await
}

/// What a pasted env adds to the inventory's findings. The text is read here and
/// dropped: it is never stored, logged or sent back, and findings mask secret values.
pub async fn check_env(pool: &SqlitePool, text: &str) -> Result<Vec<Finding>, AppError> {
    if text.trim().is_empty() {
        return Err(invalid("paste the contents of .env.production"));
    }
    if text.len() > MAX_ENV_BYTES {
        return Err(invalid(
            "this is larger than any .env.production (64 KiB at most)",
        ));
    }
    let mut input = input(pool).await?;
    let base = checks::run(&input);
    input.env = Some(Env::parse(text));
    Ok(checks::run(&input)
        .into_iter()
        .filter(|f| !base.contains(f))
        .collect())
}

fn invalid(message: &str) -> AppError {
    AppError::field("env", message)
}

#[cfg(test)]
mod tests;
