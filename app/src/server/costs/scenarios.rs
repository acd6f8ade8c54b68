//! What-if scenarios: created from the current cluster or empty, edited, compared.
use sqlx::SqlitePool;

use super::today;
use crate::model::cost::{yes_no, ScenarioHostInput};
use crate::model::cost_view::{ScenarioListItem, ScenarioPage, ScenarioSummary, ScenariosPage};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};

const KIND: &str = "scenario";

fn summary(hosts: &[crate::model::cost_view::ScenarioHost]) -> Result<ScenarioSummary, AppError> {
    ScenarioSummary::of(hosts).ok_or_else(|| {
        tracing::error!("a scenario's totals overflowed");
        AppError::Internal
    })
}

pub async fn list(pool: &SqlitePool) -> Result<ScenariosPage, AppError> {
    let current = summary(&db::costs::periods::cluster_on(pool, today()).await?)?;
    let mut hosts = db::costs::scenarios::hosts(pool).await?;
    let mut scenarios = Vec::new();
    for (id, name, _) in db::costs::scenarios::list(pool).await? {
        let list = hosts.remove(&id).unwrap_or_default();
        scenarios.push(ScenarioListItem {
            id,
            name,
            summary: summary(&list)?,
        });
    }
    Ok(ScenariosPage {
        current,
        scenarios,
        new: (String::new(), "yes".into()),
        error: None,
    })
}

pub async fn page(pool: &SqlitePool, id: i64) -> Result<ScenarioPage, AppError> {
    let (name, version) = db::costs::scenarios::get(&mut *pool.acquire().await?, id).await?;
    let hosts = db::costs::scenarios::hosts(pool)
        .await?
        .remove(&id)
        .unwrap_or_default();
    let current_hosts = db::costs::periods::cluster_on(pool, today()).await?;
    Ok(ScenarioPage {
        id,
        version,
        summary: summary(&hosts)?,
        current: summary(&current_hosts)?,
        hosts,
        current_hosts,
        plans: db::costs::list_plans(pool).await?,
        host_input: ScenarioHostInput {
            ipv4: "yes".into(),
            ..ScenarioHostInput::default()
        },
        rename: name.clone(),
        name,
        error: None,
    })
}

/// A new scenario, empty or holding the hosts billed today with their plans.
pub async fn create(
    pool: &SqlitePool,
    actor: &Actor,
    name: &str,
    copy_current: bool,
) -> Result<i64, AppError> {
    let current = if copy_current {
        db::costs::periods::cluster_on(pool, today()).await?
    } else {
        Vec::new()
    };
    let mut tx = db::begin(pool).await?;
    let id = db::costs::scenarios::insert(&mut tx, name).await?;
    let mut changes = vec![("name".to_owned(), String::new(), name.to_owned())];
    for h in &current {
        db::costs::scenarios::add_host(&mut tx, id, &h.name, h.plan.id, h.ipv4).await?;
        changes.push((format!("host {}", h.name), String::new(), h.plan.label()));
    }
    db::audit::record(&mut tx, actor, "create", (KIND, Some(id), name), &changes).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_host(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    host: (&str, i64, bool),
) -> Result<(), AppError> {
    let (name, plan_id, ipv4) = host;
    let mut tx = db::begin(pool).await?;
    let (scenario, _) = db::costs::scenarios::get(&mut tx, id).await?;
    let plan = match db::costs::get_plan(&mut tx, plan_id).await {
        Err(AppError::NotFound) => return Err(AppError::field("plan", "that plan no longer exists")),
        other => other?,
    };
    db::costs::scenarios::add_host(&mut tx, id, name, plan_id, ipv4).await?;
    let changes = vec![(
        format!("host {name}"),
        String::new(),
        format!("{}, IPv4 {}", plan.label(), yes_no(ipv4)),
    )];
    db::audit::record(&mut tx, actor, "update", (KIND, Some(id), &scenario), &changes).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_host(pool: &SqlitePool, actor: &Actor, id: i64, host: i64) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let (scenario, _) = db::costs::scenarios::get(&mut tx, id).await?;
    let name = db::costs::scenarios::remove_host(&mut tx, id, host).await?;
    let changes = vec![(
        format!("host {name}"),
        "in the scenario".to_owned(),
        String::new(),
    )];
    db::audit::record(&mut tx, actor, "update", (KIND, Some(id), &scenario), &changes).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn rename(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    version: i64,
    name: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, _) = db::costs::scenarios::get(&mut tx, id).await?;
    db::costs::scenarios::rename(&mut tx, id, version, name).await?;
    if before != name {
        let changes = vec![("name".to_owned(), before, name.to_owned())];
        db::audit::record(&mut tx, actor, "update", (KIND, Some(id), name), &changes).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete(pool: &SqlitePool, actor: &Actor, id: i64, version: i64) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let (name, _) = db::costs::scenarios::get(&mut tx, id).await?;
    db::costs::scenarios::delete(&mut tx, id, version).await?;
    let changes = vec![("name".to_owned(), name.clone(), String::new())];
    db::audit::record(&mut tx, actor, "delete", (KIND, Some(id), &name), &changes).await?;
    tx.commit().await?;
    Ok(())
}
