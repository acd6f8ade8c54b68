//! Running jobs: one command on several hosts in parallel, each with a timeout, output
//! stored in arrival order and broadcast to whoever watches, cancellable as a whole.
//!
//! A viewer subscribes to the broadcast *before* reading the stored output, and output
//! is broadcast only after it is committed, so between the two nothing is missed; what
//! arrives twice is told apart by its `seq`.
pub mod output;
pub mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::{broadcast, mpsc, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use self::store::HostUpdate;
use crate::api::jobs::JobInput;
use crate::model::action::Action;
use crate::model::error::FieldErrors;
use crate::model::job::{HostState, JobEvent, JobState};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};
use crate::server::ssh::{Finish, Output, Remote, RunError, RusshRemote, Target};
use crate::server::AppState;

pub const DEFAULT_PARALLELISM: i64 = 10;
pub const DEFAULT_TIMEOUT_SECS: i64 = 600;
/// Output kept per host and job unless configured otherwise.
pub const DEFAULT_OUTPUT_CAP: u64 = 16 * 1024 * 1024;

/// Events of one job as viewers receive them.
pub type Events = broadcast::Receiver<Arc<JobEvent>>;

/// The jobs this server runs now.
pub struct Jobs<R: Remote = RusshRemote> {
    remote: Arc<R>,
    running: Mutex<HashMap<i64, Live>>,
    output_cap: u64,
}

#[derive(Clone)]
struct Live {
    cancel: CancellationToken,
    events: broadcast::Sender<Arc<JobEvent>>,
}

/// One host of a job, ready to run.
pub struct Planned {
    pub host_id: i64,
    pub target: Target,
    /// This host's own command, when it differs per host (a runbook step that names
    /// `{{target}}`); else the job's command.
    pub command: Option<String>,
}

impl<R: Remote> Jobs<R> {
    pub fn new(remote: R, output_cap: u64) -> Self {
        Self {
            remote: Arc::new(remote),
            running: Mutex::new(HashMap::new()),
            output_cap,
        }
    }

    fn live(&self, id: i64) -> Option<Live> {
        self.running.lock().ok()?.get(&id).cloned()
    }

    /// The live events of a running job; `None` once it has finished.
    pub fn subscribe(&self, id: i64) -> Option<Events> {
        self.live(id).map(|live| live.events.subscribe())
    }

    /// Signals every running host of the job and skips its queued ones.
    pub fn cancel(&self, id: i64) -> bool {
        self.live(id).map(|live| live.cancel.cancel()).is_some()
    }

    /// Starts running job `id` (already stored with its hosts queued) in the background.
    pub fn launch(
        self: &Arc<Self>,
        pool: SqlitePool,
        id: i64,
        plan: Vec<Planned>,
        command: String,
        limits: Limits,
    ) {
        let live = Live {
            cancel: CancellationToken::new(),
            events: broadcast::channel(256).0,
        };
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, live.clone());
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let state = this.run(pool.clone(), id, plan, command, limits, &live).await;
            if let Err(e) = store::finish(&pool, id, state).await {
                tracing::error!(job = id, error = %e, "could not store the end of a job");
            }
            let _ = live.events.send(Arc::new(JobEvent::Finished(state)));
            if let Ok(mut running) = this.running.lock() {
                running.remove(&id);
            }
            tracing::info!(job = id, state = state.as_str(), "job finished");
        });
    }

    async fn run(
        self: &Arc<Self>,
        pool: SqlitePool,
        id: i64,
        plan: Vec<Planned>,
        command: String,
        limits: Limits,
        live: &Live,
    ) -> JobState {
        let names: Vec<String> = plan.iter().map(|p| p.target.host.clone()).collect();
        let (out_tx, out_rx) = mpsc::channel(1024);
        let writer = output::Writer::new(pool.clone(), id, names, live.events.clone(), self.output_cap);
        let writing = tokio::spawn(writer.run(out_rx, limits.capture_stdout));
        let permits = Arc::new(Semaphore::new(limits.parallelism));
        let mut hosts = JoinSet::new();
        for (index, planned) in plan.into_iter().enumerate() {
            let run = HostRun {
                remote: Arc::clone(&self.remote),
                pool: pool.clone(),
                job: id,
                index,
                events: live.events.clone(),
                out: out_tx.clone(),
            };
            let (permits, cancel, command) = (Arc::clone(&permits), live.cancel.clone(), command.clone());
            hosts.spawn(run.run(planned, command, permits, cancel, limits.timeout));
        }
        drop(out_tx);
        let mut states = Vec::new();
        while let Some(done) = hosts.join_next().await {
            states.push(done.unwrap_or((String::new(), HostState::Interrupted)));
        }
        match writing.await {
            Ok(captured) if limits.capture_stdout => save_facts(&pool, captured, &states).await,
            Ok(_) => {}
            Err(e) => tracing::error!(job = id, error = %e, "the output writer stopped"),
        }
        JobState::of_finished(
            states.into_iter().map(|(_, state)| state),
            live.cancel.is_cancelled(),
        )
    }
}

/// How a job runs: at most `parallelism` hosts at once, each for at most `timeout`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub parallelism: usize,
    pub timeout: Duration,
    /// Keep each host's stdout to read facts from it when the job ends.
    pub capture_stdout: bool,
}

/// Writes gathered facts onto the hosts whose run succeeded.
async fn save_facts(pool: &SqlitePool, captured: Vec<(String, String)>, states: &[(String, HostState)]) {
    let succeeded = |host: &str| {
        states
            .iter()
            .any(|(h, s)| h == host && *s == HostState::Succeeded)
    };
    for (host, stdout) in captured.iter().filter(|(host, _)| succeeded(host)) {
        match crate::model::action::parse_facts(stdout) {
            Ok(facts) => {
                let json = serde_json::to_string(&facts).unwrap_or_default();
                if let Err(e) = store::save_facts(pool, host, &json).await {
                    tracing::error!(host, error = %e, "could not save facts");
                }
            }
            Err(e) => tracing::warn!(host, error = %e, "facts output not understood"),
        }
    }
}

/// What one host's run needs besides its target.
struct HostRun<R: Remote> {
    remote: Arc<R>,
    pool: SqlitePool,
    job: i64,
    index: usize,
    events: broadcast::Sender<Arc<JobEvent>>,
    out: mpsc::Sender<(usize, Output)>,
}

impl<R: Remote> HostRun<R> {
    async fn set(&self, host: &str, update: HostUpdate) {
        match store::set_host(&self.pool, self.job, host, &update).await {
            Ok(row) => {
                let _ = self.events.send(Arc::new(JobEvent::Host(row)));
            }
            Err(e) => tracing::error!(job = self.job, host, error = %e, "could not store a host's state"),
        }
    }

    async fn run(
        self,
        planned: Planned,
        command: String,
        permits: Arc<Semaphore>,
        cancel: CancellationToken,
        timeout: Duration,
    ) -> (String, HostState) {
        let host = planned.target.host.clone();
        let command = planned.command.clone().unwrap_or(command);
        let permit = tokio::select! {
            permit = permits.acquire_owned() => permit.ok(),
            () = cancel.cancelled() => None,
        };
        if permit.is_none() || cancel.is_cancelled() {
            self.set(&host, HostUpdate::to(HostState::Cancelled)).await;
            return (host, HostState::Cancelled);
        }
        self.set(&host, HostUpdate::to(HostState::Connecting)).await;
        let (tx, mut rx) = mpsc::channel::<Output>(64);
        let token = cancel.child_token();
        let running = async {
            let run = self.remote.run(planned.target, command, tx, token.clone());
            tokio::pin!(run);
            tokio::select! {
                result = &mut run => (result, false),
                () = tokio::time::sleep(timeout) => {
                    token.cancel();
                    (run.await, true)
                }
            }
        };
        let forwarding = async {
            let mut first = true;
            while let Some(output) = rx.recv().await {
                if first {
                    first = false;
                    self.set(&host, HostUpdate::to(HostState::Running)).await;
                }
                if self.out.send((self.index, output)).await.is_err() {
                    break;
                }
            }
        };
        let ((result, timed_out), ()) = tokio::join!(running, forwarding);
        let update = self
            .outcome(&host, planned.host_id, result, timed_out, timeout)
            .await;
        let state = update.state;
        self.set(&host, update).await;
        (host, state)
    }

    /// The host's final state, in words an operator can act on.
    async fn outcome(
        &self,
        host: &str,
        host_id: i64,
        result: Result<Finish, RunError>,
        timed_out: bool,
        timeout: Duration,
    ) -> HostUpdate {
        let update = |state, exit_code, detail: String| HostUpdate {
            state,
            exit_code,
            detail,
        };
        match result {
            Ok(Finish::Exited(0)) => update(HostState::Succeeded, Some(0), String::new()),
            Ok(Finish::Exited(code)) => update(HostState::Failed, Some(i64::from(code)), String::new()),
            Ok(Finish::Signalled(signal)) => {
                update(HostState::Signalled, None, format!("killed by SIG{signal}"))
            }
            Err(RunError::Cancelled) if timed_out => update(
                HostState::TimedOut,
                None,
                format!("still running after {} s; stopped", timeout.as_secs()),
            ),
            Err(RunError::Cancelled) => update(HostState::Cancelled, None, String::new()),
            Err(RunError::Unreachable(reason)) => update(HostState::Unreachable, None, reason),
            Err(RunError::AuthFailed) => update(
                HostState::AuthFailed,
                None,
                "the host refused the SSH identity; add its public key to authorized_keys".into(),
            ),
            Err(RunError::HostKeyChanged { offered, fingerprint }) => {
                self.offer(host_id, &offered, &fingerprint).await;
                update(
                    HostState::HostKeyChanged,
                    None,
                    format!("the host offered {fingerprint}, not the pinned key; nothing was sent. An admin must check and re-pin it on the host page"),
                )
            }
            Err(RunError::HostKeyUnknown { offered, fingerprint }) => {
                self.offer(host_id, &offered, &fingerprint).await;
                update(
                    HostState::HostKeyUnknown,
                    None,
                    format!("no host key pinned yet (offered {fingerprint}); an admin must accept it on the host page"),
                )
            }
            Err(RunError::Protocol(e)) => {
                tracing::warn!(job = self.job, host, error = %e, "ssh failed");
                update(
                    HostState::Unreachable,
                    None,
                    "the SSH session failed (details in the server log)".into(),
                )
            }
        }
    }

    async fn offer(&self, host_id: i64, offered: &str, fingerprint: &str) {
        if let Err(e) =
            crate::server::ssh_admin::record_offer(&self.pool, host_id, offered, fingerprint).await
        {
            tracing::error!(host_id, error = %e, "could not record an offered host key");
        }
    }
}

/// Validates a new job, stores it with its hosts queued (audited), and starts it.
pub async fn start(state: &AppState, actor: &Actor, input: &JobInput) -> Result<i64, AppError> {
    let mut errors = FieldErrors::default();
    let action = input.action.parse().map_err(|e| errors.0.extend(e.0)).ok();
    let parallelism = parse_number(&input.parallelism, 1..=64, "parallelism", &mut errors);
    let timeout_secs = parse_number(&input.timeout_secs, 1..=86_400, "timeout_secs", &mut errors);
    let hosts = resolve_targets(&state.db, &input.targets, &mut errors).await?;
    let (Some(action), Some(parallelism), Some(timeout_secs), true) =
        (action, parallelism, timeout_secs, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let plan = plan(state, hosts).await?;
    let command = action.command();
    let title = action.title();
    let params = serde_json::to_string(&action.to_input()).unwrap_or_default();
    let names: Vec<String> = plan.iter().map(|p| p.target.host.clone()).collect();
    let mut tx = db::begin(&state.db).await?;
    let id = store::insert(
        &mut tx,
        (&title, action.id(), &params, &command),
        &actor.name,
        (parallelism, timeout_secs),
        &names,
    )
    .await?;
    let changes = vec![
        ("command".to_owned(), String::new(), command.clone()),
        ("hosts".to_owned(), String::new(), names.join(" ")),
    ];
    db::audit::record(&mut tx, actor, "start", ("job", Some(id), &title), &changes).await?;
    tx.commit().await?;
    let limits = Limits {
        parallelism: parallelism as usize,
        timeout: Duration::from_secs(timeout_secs as u64),
        capture_stdout: matches!(action, Action::Facts),
    };
    state.jobs.launch(state.db.clone(), id, plan, command, limits);
    Ok(id)
}

/// Cancels a running job (audited); a job that already ended is left as it is.
pub async fn cancel(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let (summary, ..) = store::summary(&state.db, id).await?;
    if !state.jobs.cancel(id) {
        return Err(AppError::Conflict("The job has already ended.".into()));
    }
    let mut tx = db::begin(&state.db).await?;
    db::audit::record(&mut tx, actor, "cancel", ("job", Some(id), &summary.title), &[]).await?;
    tx.commit().await?;
    Ok(())
}

fn parse_number(
    text: &str,
    range: std::ops::RangeInclusive<i64>,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.add(
                field,
                format!("Enter a whole number from {} to {}.", range.start(), range.end()),
            );
            None
        }
    }
}

/// The hosts named by `targets`: names and `tag:NAME`, separated by spaces or commas.
async fn resolve_targets(
    pool: &SqlitePool,
    targets: &str,
    errors: &mut FieldErrors,
) -> Result<Vec<String>, AppError> {
    let known = store::target_hosts(pool).await?;
    let mut chosen: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for word in targets
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let matched: Vec<&str> = match word.strip_prefix("tag:") {
            Some(tag) => known
                .iter()
                .filter(|h| h.tags.iter().any(|t| t == tag))
                .map(|h| h.name.as_str())
                .collect(),
            None => known
                .iter()
                .filter(|h| h.name == word)
                .map(|h| h.name.as_str())
                .collect(),
        };
        if matched.is_empty() {
            unknown.push(word.to_owned());
        }
        chosen.extend(matched.into_iter().map(str::to_owned));
    }
    chosen.sort();
    chosen.dedup();
    if !unknown.is_empty() {
        errors.add(
            "targets",
            format!("No host or tag matches: {}.", unknown.join(", ")),
        );
    } else if chosen.is_empty() {
        errors.add("targets", "Name at least one host, or a tag as tag:NAME.");
    }
    Ok(chosen)
}

/// The SSH targets of `hosts`, for callers that store their own job (runbook steps)
/// and then `launch` it.
pub async fn targets(state: &AppState, hosts: Vec<String>) -> Result<Vec<Planned>, AppError> {
    plan(state, hosts).await
}

/// Each host's address, user, pinned key and identity; a host missing an identity is a
/// mistake to fix before running, not a failure to discover mid-job.
async fn plan(state: &AppState, hosts: Vec<String>) -> Result<Vec<Planned>, AppError> {
    let mut plan = Vec::with_capacity(hosts.len());
    let mut missing = Vec::new();
    for name in hosts {
        let (host_id, addr, port, user, identity, pinned): (
            i64,
            String,
            i64,
            String,
            Option<String>,
            Option<String>,
        ) = sqlx::query_as(
            "SELECT h.id, h.ssh_host, h.ssh_port, h.ssh_user, h.ssh_identity, k.public_key
                 FROM hosts h LEFT JOIN host_keys k ON k.host_id = h.id WHERE h.name = ?",
        )
        .bind(&name)
        .fetch_one(&state.db)
        .await?;
        let Some(identity) = identity else {
            missing.push(name);
            continue;
        };
        let key = match crate::server::secrets::reveal(&state.db, &state.master_key, &identity).await {
            Err(AppError::NotFound) => {
                missing.push(name);
                continue;
            }
            key => key?,
        };
        let Ok(port) = u16::try_from(port) else {
            missing.push(name);
            continue;
        };
        plan.push(Planned {
            host_id,
            target: Target {
                host: name,
                addr,
                port,
                user,
                pinned_key: pinned,
                private_key: zeroize::Zeroizing::new(key.expose().to_owned()),
            },
            command: None,
        });
    }
    if missing.is_empty() {
        Ok(plan)
    } else {
        let mut errors = FieldErrors::default();
        errors.add(
            "targets",
            format!(
                "No SSH identity set for {}; choose one on the host page.",
                missing.join(", ")
            ),
        );
        Err(AppError::Validation(errors))
    }
}
