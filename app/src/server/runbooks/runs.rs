//! Runs: starting one, acting on its steps in order (run, done, skip, approve), and the
//! page every co-admin sees. Each action and its audit entry commit together.
use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::SqlitePool;

use super::db::{self, StepUpdate};
use super::exec;
use crate::model::runbook::{Runbook, StepKind};
use crate::model::runbook_run::{RunPage, RunStep, StepAction, StepState};
use crate::model::AppError;
use crate::server::db::{self as core_db, audit::Actor};
use crate::server::jobs::{self, store, Limits, DEFAULT_TIMEOUT_SECS};
use crate::server::AppState;

const KIND: &str = "run";

/// Starts a run of runbook `slug` with `values` (checked against the inventory).
pub async fn start(
    pool: &SqlitePool,
    actor: &Actor,
    slug: &str,
    values: &BTreeMap<String, String>,
) -> Result<i64, AppError> {
    let mut tx = core_db::begin(pool).await?;
    let stored = db::get(&mut tx, slug).await?;
    let runbook = super::parse_stored(&stored.source)?;
    let values = super::params::validate(&mut tx, &runbook.params, values).await?;
    let json = serde_json::to_string(&values).map_err(|e| crate::server::error::internal("params", e))?;
    let ids: Vec<String> = runbook.steps.iter().map(|s| s.id.clone()).collect();
    let id = db::insert_run(
        &mut tx,
        (&runbook.slug, &runbook.title, &stored.source),
        &json,
        &ids,
        (&actor.name, actor.user_id),
    )
    .await?;
    let changes: Vec<(String, String, String)> = values
        .iter()
        .map(|(k, v)| (k.clone(), String::new(), v.clone()))
        .collect();
    core_db::audit::record(
        &mut tx,
        actor,
        "start",
        (KIND, Some(id), &runbook.title),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn values_of(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn conflict(message: &str) -> AppError {
    AppError::Conflict(message.to_owned())
}

/// Whether `actor` is who started the run (by account, else by name).
fn is_starter(row: &db::RunRow, actor: &Actor) -> bool {
    match (row.started_by_id, actor.user_id) {
        (Some(a), Some(b)) => a == b,
        _ => row.started_by == actor.name,
    }
}

/// Acts on step `step_id` of run `run`. Later steps wait until every earlier one passed,
/// was skipped or approved; the server refuses otherwise, whatever the page showed.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    run: i64,
    step_id: &str,
    action: StepAction,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = core_db::begin(&state.db).await?;
    let row = db::run(&mut tx, run).await?;
    let runbook = super::parse_stored(&row.source)?;
    let steps = db::steps(&mut tx, run).await?;
    let position = steps
        .iter()
        .position(|s| s.step_id == step_id)
        .ok_or(AppError::NotFound)?;
    let step = runbook.steps.get(position).ok_or(AppError::NotFound)?;
    if steps[..position].iter().any(|s| !s.state().is_settled()) {
        return Err(conflict(
            "Earlier steps must pass, be approved or be skipped with a reason first.",
        ));
    }
    let current = steps[position].state();
    let open = matches!(current, StepState::Pending | StepState::Failed);
    let mut update = StepUpdate {
        state: current,
        reason: "",
        actor: &actor.name,
        job: None,
        attempt: false,
    };
    let mut audit_changes = vec![("step".to_owned(), String::new(), step.id.clone())];
    let mut launch = None;
    match action {
        StepAction::Run if !step.kind.runs_script() => return Err(conflict("This step runs no script.")),
        StepAction::Run if !open => return Err(conflict("This step is not waiting to run.")),
        StepAction::Run => {
            let values = values_of(&row.params);
            let commands = exec::commands(&mut tx, &runbook, &values, step)
                .await
                .map_err(|m| AppError::Conflict(format!("The command cannot be built: {m}")))?;
            let hosts: Vec<String> = commands.iter().map(|(h, _)| h.clone()).collect();
            let mut plan = jobs::targets(state, hosts.clone()).await?;
            for p in &mut plan {
                p.command = commands.iter().find(|(h, _)| *h == p.target.host).map(|(_, c)| c.clone());
            }
            let command = exec::job_command(&commands);
            let timeout = step.timeout_secs.map_or(DEFAULT_TIMEOUT_SECS, |t| t as i64);
            let title = format!("{} · {}", row.title, step.title);
            let params = serde_json::json!({ "run": run, "step": step.id }).to_string();
            let job = store::insert(&mut tx, (&title, "runbook", &params, &command), &actor.name, (10, timeout), &hosts)
                .await?;
            update = StepUpdate {
                state: StepState::Running,
                job: Some(job),
                attempt: true,
                ..update
            };
            audit_changes.push(("command".to_owned(), String::new(), command.clone()));
            audit_changes.push(("hosts".to_owned(), String::new(), hosts.join(" ")));
            launch = Some((job, plan, command, timeout));
        }
        StepAction::Done if step.kind != StepKind::Manual => return Err(conflict("Only a manual step is ticked off.")),
        StepAction::Done if current != StepState::Pending => return Err(conflict("This step is already done.")),
        StepAction::Done => update.state = StepState::Passed,
        StepAction::Skip if step.kind == StepKind::Approval => {
            return Err(conflict("An approval cannot be skipped: another co-admin must approve it."))
        }
        StepAction::Skip if !open => return Err(conflict("Only a pending or failed step can be skipped.")),
        StepAction::Skip if reason.trim().is_empty() => {
            return Err(AppError::field("reason", "say why this step is skipped"))
        }
        StepAction::Skip => {
            update.state = StepState::Skipped;
            update.reason = reason.trim();
            audit_changes.push(("reason".to_owned(), String::new(), reason.trim().to_owned()));
        }
        StepAction::Approve if step.kind != StepKind::Approval => return Err(conflict("This step needs no approval.")),
        StepAction::Approve if current != StepState::Pending => return Err(conflict("This step is already approved.")),
        StepAction::Approve if is_starter(&row, actor) => {
            return Err(conflict(
                "You started this run, so another co-admin must approve this step: a second pair of eyes before the point of no return.",
            ))
        }
        StepAction::Approve => update.state = StepState::Approved,
    }
    db::set_step(&mut tx, run, position, &update).await?;
    let verb = match action {
        StepAction::Run if current == StepState::Failed => "retry-step",
        StepAction::Run => "run-step",
        StepAction::Done => "done-step",
        StepAction::Skip => "skip-step",
        StepAction::Approve => "approve-step",
    };
    core_db::audit::record(
        &mut tx,
        actor,
        verb,
        (KIND, Some(run), &row.title),
        &audit_changes,
    )
    .await?;
    tx.commit().await?;
    if let Some((job, plan, command, timeout)) = launch {
        let limits = Limits {
            parallelism: 10,
            timeout: Duration::from_secs(timeout as u64),
            capture_stdout: false,
        };
        state.jobs.launch(state.db.clone(), job, plan, command, limits);
        exec::watch(state, run, position, job);
    }
    Ok(())
}

/// The run's page: parameters, steps with their exact commands, the current step's job.
pub async fn page(pool: &SqlitePool, run: i64, viewer: &Actor) -> Result<RunPage, AppError> {
    let mut conn = pool.acquire().await?;
    let row = db::run(&mut conn, run).await?;
    let summary = db::summary(&mut conn, run).await?;
    let runbook: Runbook = super::parse_stored(&row.source)?;
    let values = values_of(&row.params);
    let rows = db::steps(&mut conn, run).await?;
    let mut steps = Vec::new();
    let mut earlier_settled = true;
    for (position, (step, r)) in runbook.steps.iter().zip(&rows).enumerate() {
        let state = r.state();
        let (commands, command_error) = match step.kind.runs_script() {
            true => match exec::commands(&mut conn, &runbook, &values, step).await {
                Ok(c) => (c, None),
                Err(m) => (Vec::new(), Some(m)),
            },
            false => (Vec::new(), None),
        };
        steps.push(RunStep {
            position,
            step: step.clone(),
            state,
            reason: r.reason.clone(),
            actor: r.actor.clone(),
            acted_at: r.acted_at,
            job_id: r.job_id,
            attempts: r.attempts,
            commands,
            command_error,
            current: earlier_settled && !state.is_settled(),
        });
        earlier_settled &= state.is_settled();
    }
    drop(conn);
    let job_id = steps.iter().find(|s| s.current).and_then(|s| s.job_id);
    let job = match job_id {
        Some(id) => match store::page(pool, id).await {
            Ok(page) => Some(page),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let params = runbook
        .params
        .into_iter()
        .map(|p| {
            let v = values.get(&p.name).cloned().unwrap_or_default();
            (p, v)
        })
        .collect();
    Ok(RunPage {
        summary,
        params,
        steps,
        job,
        viewer_started: is_starter(&row, viewer),
        now: core_db::now(),
    })
}
