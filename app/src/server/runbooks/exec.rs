//! Running a step's script as an SSH job: its hosts, the exact command per host, the
//! job's end turned into the step's state (watched in the background, and recovered
//! after a restart).
use std::collections::{BTreeMap, HashMap};

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::broadcast::error::RecvError;

use super::db::{self, StepUpdate};
use crate::domain::runbook_script::{expand, placeholders, HostField, Placeholder};
use crate::model::job::{JobEvent, JobState, Stream};
use crate::model::runbook::{ParamKind, Runbook, Step, StepKind};
use crate::model::runbook_run::StepState;
use crate::model::AppError;
use crate::server::db::{self as core_db, audit::Actor};
use crate::server::jobs::store;
use crate::server::AppState;

/// A host's inventory fields a script may name.
#[derive(Debug, Clone, sqlx::FromRow)]
struct HostInfo {
    name: String,
    mesh_addr: Option<String>,
    ipv4: Option<String>,
    ipv6: Option<String>,
    ssh_host: String,
}

impl HostInfo {
    fn field(&self, field: HostField) -> Result<String, String> {
        let (value, what) = match field {
            HostField::Mesh => (self.mesh_addr.clone(), "mesh address"),
            HostField::Ipv4 => (self.ipv4.clone(), "public IPv4"),
            HostField::Ipv6 => (self.ipv6.clone(), "IPv6 address"),
            HostField::Ssh => (Some(self.ssh_host.clone()), "SSH address"),
        };
        value.ok_or_else(|| format!("{} has no {what} in the inventory", self.name))
    }
}

async fn host(conn: &mut SqliteConnection, name: &str) -> Result<HostInfo, String> {
    sqlx::query_as("SELECT name, mesh_addr, ipv4, ipv6, ssh_host FROM hosts WHERE name = ?")
        .bind(name)
        .fetch_optional(conn)
        .await
        .map_err(|e| crate::server::error::internal("reading a step's host", e).to_string())?
        .ok_or_else(|| format!("host {name} is no longer in the inventory"))
}

/// The hosts a step runs on: the union of its host parameters' hosts and its role
/// parameters' tagged hosts, by name.
async fn targets(
    conn: &mut SqliteConnection,
    runbook: &Runbook,
    values: &BTreeMap<String, String>,
    step: &Step,
) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for on in &step.on {
        let value = values.get(on).cloned().unwrap_or_default();
        let kind = runbook.params.iter().find(|p| &p.name == on).map(|p| p.kind);
        match kind {
            Some(ParamKind::Host) if !value.is_empty() => names.push(value),
            Some(ParamKind::Role) if !value.is_empty() => {
                let tagged: Vec<String> = sqlx::query_scalar(
                    "SELECT h.name FROM hosts h JOIN host_tags t ON t.host_id = h.id WHERE t.tag = ?",
                )
                .bind(&value)
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| crate::server::error::internal("reading a role's hosts", e).to_string())?;
                if tagged.is_empty() {
                    return Err(format!("no host carries the role tag {value} any more"));
                }
                names.extend(tagged);
            }
            _ => {}
        }
    }
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Err("the step has no hosts to run on (its parameters are empty)".into());
    }
    Ok(names)
}

/// The exact command for each host of a step, placeholders expanded and quoted; or why
/// it cannot be built (in words for the page).
pub async fn commands(
    conn: &mut SqliteConnection,
    runbook: &Runbook,
    values: &BTreeMap<String, String>,
    step: &Step,
) -> Result<Vec<(String, String)>, String> {
    let names = targets(&mut *conn, runbook, values, step).await?;
    let found = placeholders(&step.script).map_err(|p| format!("the script does not read: {p:?}"))?;
    let mut hosts: HashMap<String, HostInfo> = HashMap::new();
    let mut wanted: Vec<String> = names.clone();
    for (_, p) in &found {
        if let Placeholder::ParamHost(name, _) = p {
            wanted.push(values.get(name).cloned().unwrap_or_default());
        }
    }
    wanted.sort();
    wanted.dedup();
    for name in wanted {
        let info = host(&mut *conn, &name).await?;
        hosts.insert(name, info);
    }
    let mut out = Vec::new();
    for target in &names {
        let mut files: HashMap<String, String> = HashMap::new();
        for (_, p) in &found {
            if let Placeholder::File(kind) = p {
                let content = match super::generated::file(&mut *conn, kind, target).await {
                    Ok(c) => c,
                    Err(AppError::NotFound) => return Err(format!("no generated file {kind} for {target}")),
                    Err(e) => return Err(format!("generating {kind} for {target}: {e}")),
                };
                files.insert(kind.clone(), content);
            }
        }
        let command = expand(&step.script, |p| match p {
            Placeholder::Param(name) => values
                .get(name)
                .cloned()
                .ok_or_else(|| format!("no value for {name}")),
            Placeholder::ParamHost(name, field) => {
                let host = values.get(name).and_then(|h| hosts.get(h));
                host.ok_or_else(|| format!("no host for {name}"))?.field(*field)
            }
            Placeholder::Target(None) => Ok(target.clone()),
            Placeholder::Target(Some(field)) => hosts
                .get(target)
                .ok_or_else(|| format!("no host {target}"))?
                .field(*field),
            Placeholder::File(kind) => files.get(kind).cloned().ok_or_else(|| format!("no file {kind}")),
        })?;
        out.push((target.clone(), command));
    }
    Ok(out)
}

/// One command for the job page: the same for every host, or each host's under a
/// comment naming it.
pub fn job_command(commands: &[(String, String)]) -> String {
    match commands.first() {
        Some((_, first)) if commands.iter().all(|(_, c)| c == first) => first.clone(),
        _ => commands
            .iter()
            .map(|(host, c)| format!("# on {host}\n{c}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Waits in the background for a step's job to end, then records the step's outcome;
/// nobody needs to watch the page for that.
pub fn watch(state: &AppState, run: i64, position: usize, job: i64) {
    let events = state.jobs.subscribe(job);
    let pool = state.db.clone();
    tokio::spawn(async move {
        if let Some(mut events) = events {
            loop {
                match events.recv().await {
                    Ok(event) if matches!(*event, JobEvent::Finished(_)) => break,
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        }
        if let Err(e) = settle(&pool, run, position, job).await {
            tracing::error!(run, position, job, error = %e, "could not record a step's outcome");
        }
    });
}

/// Who records outcomes nobody clicked for.
fn owlery() -> Actor {
    Actor {
        user_id: None,
        name: "owlery".into(),
        client_addr: "local".into(),
    }
}

/// A host's output in a job, as text: stdout alone, or both streams in arrival order.
async fn output_of(pool: &SqlitePool, job: i64, host: &str, stdout_only: bool) -> Result<String, AppError> {
    let chunks = store::output_after(pool, job, 0, i64::MAX).await?;
    Ok(chunks
        .into_iter()
        .filter(|c| c.host == host && (!stdout_only || c.stream == Stream::Stdout))
        .map(|c| c.text)
        .collect())
}

/// The longest last line a failure reason quotes.
const REASON_LINE_MAX: usize = 160;

/// The last non-empty line a host printed: a script's own words on why it failed.
async fn last_line(pool: &SqlitePool, job: i64, host: &str) -> Result<Option<String>, AppError> {
    let output = output_of(pool, job, host, false).await?;
    Ok(output
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|line| match line.char_indices().nth(REASON_LINE_MAX) {
            Some((cut, _)) => format!("{}…", &line[..cut]),
            None => line.to_owned(),
        }))
}

/// Passed, or failed with the reason, for a step whose job ended in `job_state`.
async fn outcome(
    pool: &SqlitePool,
    step: &Step,
    job: i64,
    job_state: JobState,
) -> Result<(StepState, String), AppError> {
    if job_state == JobState::Interrupted {
        return Ok((
            StepState::Failed,
            "the server stopped while this step ran; retry it".into(),
        ));
    }
    if job_state == JobState::Cancelled {
        return Ok((StepState::Failed, "the job was cancelled".into()));
    }
    let pattern = match (step.kind, &step.pass_pattern) {
        (StepKind::Check, Some(p)) => {
            Some(regex::Regex::new(p).map_err(|e| super::super::error::internal("pass_pattern", e))?)
        }
        _ => None,
    };
    let pass_exit = if step.kind == StepKind::Check {
        step.pass_exit()
    } else {
        0
    };
    let mut failed = Vec::new();
    for h in store::hosts(pool, job).await? {
        if h.exit_code != Some(pass_exit) {
            let how = match h.exit_code {
                Some(code) => format!("exit {code}, {pass_exit} passes"),
                None => h.state.label().to_owned(),
            };
            let said = match last_line(pool, job, &h.host).await? {
                Some(line) => format!(": {line}"),
                None => String::new(),
            };
            failed.push(format!("{} ({how}{said})", h.host));
        } else if let Some(re) = &pattern {
            if !re.is_match(&output_of(pool, job, &h.host, true).await?) {
                failed.push(format!("{} (output does not match {})", h.host, re.as_str()));
            }
        }
    }
    Ok(match failed.is_empty() {
        true => (StepState::Passed, String::new()),
        false => (StepState::Failed, format!("failed on {}", failed.join(", "))),
    })
}

/// Records the outcome of a step whose job `job` ended; a step that moved on meanwhile
/// (or a job still running) is left alone.
pub async fn settle(pool: &SqlitePool, run: i64, position: usize, job: i64) -> Result<(), AppError> {
    let job_state = match store::summary(pool, job).await {
        Ok((summary, ..)) => summary.state,
        Err(AppError::NotFound) => JobState::Interrupted,
        Err(e) => return Err(e),
    };
    if job_state == JobState::Running {
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    let row = db::run(&mut conn, run).await?;
    drop(conn);
    let runbook = super::parse_stored(&row.source)?;
    let step = runbook.steps.get(position).ok_or(AppError::NotFound)?;
    let (state, reason) = outcome(pool, step, job, job_state).await?;
    let mut tx = core_db::begin(pool).await?;
    let steps = db::steps(&mut tx, run).await?;
    let still = steps
        .get(position)
        .is_some_and(|s| s.state() == StepState::Running && s.job_id == Some(job));
    if !still {
        return Ok(());
    }
    let update = StepUpdate {
        state,
        reason: &reason,
        actor: "owlery",
        job: None,
        attempt: false,
    };
    db::set_step(&mut tx, run, position, &update).await?;
    let changes = [("step".to_owned(), step.id.clone(), reason.clone())];
    let action = format!("step-{}", state.as_str());
    core_db::audit::record(
        &mut tx,
        &owlery(),
        &action,
        ("run", Some(run), &row.title),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// After a restart (and after jobs were marked interrupted): every step left running
/// gets its job's outcome, so a run is resumed exactly where it was. Returns how many.
pub async fn recover(pool: &SqlitePool) -> Result<usize, AppError> {
    let running = db::running_steps(pool).await?;
    for (run, position, job) in &running {
        let position = *position as usize;
        match job {
            Some(job) => settle(pool, *run, position, *job).await?,
            None => {
                let mut tx = core_db::begin(pool).await?;
                let update = StepUpdate {
                    state: StepState::Failed,
                    reason: "the server stopped before this step's job started; retry it",
                    actor: "owlery",
                    job: None,
                    attempt: false,
                };
                db::set_step(&mut tx, *run, position, &update).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(running.len())
}
