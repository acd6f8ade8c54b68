//! The Tuning page on the server: reading a host's Puma and Sidekiq instances live over
//! SSH, checking a change against the budgets, and running it as an audited job.
use std::time::Duration;

use sqlx::SqlitePool;

use super::db::{self, audit::Actor};
use super::jobs::{self, Limits};
use super::AppState;
use crate::domain::budget::{self, Change, Running};
use crate::domain::unit_instance::units;
use crate::model::action::Action;
use crate::model::host::Host;
use crate::model::tuning::action::{InstallFile, TuningAction};
use crate::model::tuning::{
    Budgets, InstanceInput, LiveInstance, TuningPage, TuningSettings, TuningSettingsInput,
};
use crate::model::AppError;

/// A tuning job starts and checks one unit, or writes three files.
const JOB_TIMEOUT_SECS: i64 = 120;

/// A host with its tuning settings (the defaults when it has none) and their version.
pub struct HostTuning {
    pub host: Host,
    pub settings: TuningSettings,
    /// 0 while the host uses the defaults.
    pub version: i64,
}

pub async fn load(pool: &SqlitePool, name: &str) -> Result<HostTuning, AppError> {
    let mut conn = pool.acquire().await?;
    let host = db::hosts::get(&mut conn, name).await?;
    let (settings, version) = db::tuning::get(&mut conn, host.id)
        .await?
        .unwrap_or_else(|| (TuningSettings::default(), 0));
    Ok(HostTuning {
        host,
        settings,
        version,
    })
}

/// What counts against the budgets: the instances that run or are starting.
fn running(live: &[LiveInstance]) -> Vec<Running> {
    live.iter()
        .filter(|i| matches!(i.state.as_str(), "active" | "activating" | "reloading"))
        .map(|i| Running {
            unit: i.unit.clone(),
            kind: i.kind,
            settings: i.settings.clone().ok(),
        })
        .collect()
}

async fn budgets_for(
    pool: &SqlitePool,
    host: &str,
    live: Option<&[LiveInstance]>,
    change: Change<'_>,
) -> Result<Budgets, AppError> {
    let input = super::checks::input(pool).await?;
    let running = live.map(running);
    Ok(budget::budgets(&input, host, running.as_deref(), change))
}

pub async fn page(state: &AppState, name: &str) -> Result<TuningPage, AppError> {
    let t = load(&state.db, name).await?;
    let live = read_live(state, &t).await;
    let budgets = budgets_for(&state.db, name, live.as_deref().ok(), Change::Nothing).await?;
    let limits_note = match &live {
        Ok(_) => format!("{name}'s Puma and Sidekiq as read live; the rest of the cluster as recorded."),
        Err(_) => "The inventory as recorded: the host could not be read.".into(),
    };
    Ok(TuningPage {
        host: t.host.name.clone(),
        settings: TuningSettingsInput::from_settings(&t.settings, t.version),
        default_settings: t.version == 0,
        live,
        budgets,
        limits_note,
    })
}

/// The live instances, or a refusal that names the reason: no change runs blind.
async fn live_or_refuse(state: &AppState, t: &HostTuning) -> Result<Vec<LiveInstance>, AppError> {
    read_live(state, t)
        .await
        .map_err(|reason| AppError::Conflict(format!("Nothing was changed: {reason}.")))
}

/// Adds an instance, or changes `input.replaces` into it; refused over a budget unless
/// overridden. Returns the job's id.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    name: &str,
    input: &InstanceInput,
) -> Result<i64, AppError> {
    let settings = input.parse().map_err(AppError::Validation)?;
    let t = load(&state.db, name).await?;
    let live = live_or_refuse(state, &t).await?;
    let instance = settings
        .encode()
        .map_err(|e| AppError::field("kind", e.to_string()))?;
    let unit = settings.kind().unit_name(&instance);
    let old = input.replaces.trim();
    if !old.is_empty() && !live.iter().any(|i| i.unit == old) {
        return Err(AppError::Conflict(format!(
            "{old} no longer exists on {name}; reload the page."
        )));
    }
    if old == unit {
        return Err(AppError::field(
            "kind",
            "these are the settings it already runs with",
        ));
    }
    if live.iter().any(|i| i.unit == unit) {
        return Err(AppError::field(
            "name",
            format!("{unit} already exists on {name}; give this one a name to tell them apart"),
        ));
    }
    let change = match old {
        "" => Change::Add(&settings),
        old => Change::Replace { old, new: &settings },
    };
    let budgets = budgets_for(&state.db, name, Some(&live), change).await?;
    let overridden = budgets.exceeded() && input.overrides_budget();
    if budgets.exceeded() && !overridden {
        return Err(AppError::field(
            "override_budget",
            format!(
                "Over budget: {}. Lower the settings, or tick the box to run it anyway.",
                budgets.text()
            ),
        ));
    }
    let systemctl = t.settings.systemctl.clone();
    let action = match old {
        "" => TuningAction::Add {
            systemctl,
            unit: unit.clone(),
        },
        old => TuningAction::Change {
            systemctl,
            old: old.to_owned(),
            new: unit.clone(),
        },
    };
    let mut notes = vec![
        ("instance".to_owned(), old.to_owned(), unit),
        ("budgets".to_owned(), String::new(), budgets.text()),
    ];
    if overridden {
        notes.push((
            "override".to_owned(),
            String::new(),
            "budget exceeded, overridden".into(),
        ));
    }
    launch(state, actor, &t.host, action, notes).await
}

/// Stops and disables an instance on the host.
pub async fn remove(state: &AppState, actor: &Actor, name: &str, unit: &str) -> Result<i64, AppError> {
    let t = load(&state.db, name).await?;
    let live = live_or_refuse(state, &t).await?;
    if !live.iter().any(|i| i.unit == unit) {
        return Err(AppError::Conflict(format!(
            "{unit} no longer exists on {name}; reload the page."
        )));
    }
    let budgets = budgets_for(&state.db, name, Some(&live), Change::Remove(unit)).await?;
    let action = TuningAction::Remove {
        systemctl: t.settings.systemctl.clone(),
        unit: unit.to_owned(),
    };
    let notes = vec![
        ("instance".to_owned(), unit.to_owned(), String::new()),
        ("budgets".to_owned(), String::new(), budgets.text()),
    ];
    launch(state, actor, &t.host, action, notes).await
}

/// Writes the decoder and the unit templates of the host's layout; idempotent.
pub async fn install(state: &AppState, actor: &Actor, name: &str) -> Result<i64, AppError> {
    let t = load(&state.db, name).await?;
    let files: Vec<InstallFile> = units::files(&t.settings.layout)
        .into_iter()
        .map(Into::into)
        .collect();
    let paths = files.iter().map(|f| f.path.clone()).collect::<Vec<_>>().join(" ");
    let action = TuningAction::Install {
        systemctl: t.settings.systemctl.clone(),
        files,
    };
    launch(
        state,
        actor,
        &t.host,
        action,
        vec![("files".into(), String::new(), paths)],
    )
    .await
}

/// Stores the job (audited on the job and on the host's history) and starts it.
async fn launch(
    state: &AppState,
    actor: &Actor,
    host: &Host,
    action: TuningAction,
    notes: Vec<(String, String, String)>,
) -> Result<i64, AppError> {
    let plan = jobs::targets(state, vec![host.name.clone()]).await?;
    let action = Action::Tuning(action);
    let (command, title) = (action.command(), action.title());
    let params = serde_json::to_string(&action.to_input()).unwrap_or_default();
    let names = vec![host.name.clone()];
    let mut tx = db::begin(&state.db).await?;
    let id = jobs::store::insert(
        &mut tx,
        (&title, action.id(), &params, &command),
        &actor.name,
        (1, JOB_TIMEOUT_SECS),
        &names,
    )
    .await?;
    let mut changes = vec![
        ("command".to_owned(), String::new(), command.clone()),
        ("hosts".to_owned(), String::new(), host.name.clone()),
    ];
    changes.extend(notes.iter().cloned());
    db::audit::record(&mut tx, actor, "start", ("job", Some(id), &title), &changes).await?;
    let mut on_host = notes;
    on_host.push(("job".into(), String::new(), format!("#{id} {title}")));
    db::audit::record(
        &mut tx,
        actor,
        "tuning",
        ("host", Some(host.id), &host.name),
        &on_host,
    )
    .await?;
    tx.commit().await?;
    let limits = Limits {
        parallelism: 1,
        timeout: Duration::from_secs(JOB_TIMEOUT_SECS as u64),
        capture_stdout: false,
    };
    state.jobs.launch(state.db.clone(), id, plan, command, limits);
    Ok(id)
}

/// Saves the host's tuning settings (audited on the host).
pub async fn save_settings(
    pool: &SqlitePool,
    actor: &Actor,
    name: &str,
    input: &TuningSettingsInput,
) -> Result<(), AppError> {
    let settings = input.parse().map_err(AppError::Validation)?;
    let version = input.version.trim().parse::<i64>().unwrap_or(0);
    let mut tx = db::begin(pool).await?;
    let host = db::hosts::get(&mut tx, name).await?;
    let before = db::tuning::get(&mut tx, host.id)
        .await?
        .map_or_else(TuningSettings::default, |(s, _)| s);
    db::tuning::save(&mut tx, host.id, &settings, version).await?;
    let object = ("host", Some(host.id), host.name.as_str());
    db::audit::record_fields(
        &mut tx,
        actor,
        object,
        Some(&before.fields()),
        Some(&settings.fields()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

mod live;
pub use live::read_live;

#[cfg(test)]
mod tests;
