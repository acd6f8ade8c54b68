//! What-if scenarios in SQLite: a named list of hosts on plans.
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

use super::{changed_meanwhile, list_plans};
use crate::model::cost::Plan;
use crate::model::cost_view::ScenarioHost;
use crate::model::AppError;
use crate::server::db::now;
use crate::server::error::is_unique_violation;

fn name_taken(name: &str) -> AppError {
    AppError::field("name", format!("a scenario named {name} already exists"))
}

/// (id, name, version) of every scenario, by name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, version FROM cost_scenarios ORDER BY name")
            .fetch_all(pool)
            .await?,
    )
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<(String, i64), AppError> {
    Ok(
        sqlx::query_as("SELECT name, version FROM cost_scenarios WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn find(conn: &mut SqliteConnection, name: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM cost_scenarios WHERE name = ?")
        .bind(name)
        .fetch_optional(conn)
        .await?)
}

/// The hosts of every scenario, by scenario id, each list in the order they were added.
pub async fn hosts(pool: &SqlitePool) -> Result<HashMap<i64, Vec<ScenarioHost>>, AppError> {
    let plans: HashMap<i64, Plan> = list_plans(pool).await?.into_iter().map(|p| (p.id, p)).collect();
    let rows: Vec<(i64, i64, String, i64, bool)> =
        sqlx::query_as("SELECT id, scenario_id, name, plan_id, ipv4 FROM cost_scenario_hosts ORDER BY id")
            .fetch_all(pool)
            .await?;
    let mut out: HashMap<i64, Vec<ScenarioHost>> = HashMap::new();
    for (id, scenario, name, plan, ipv4) in rows {
        // The foreign key keeps every plan of a scenario host in the catalogue.
        let Some(plan) = plans.get(&plan).cloned() else {
            continue;
        };
        out.entry(scenario)
            .or_default()
            .push(ScenarioHost { id, name, plan, ipv4 });
    }
    Ok(out)
}

pub async fn insert(conn: &mut SqliteConnection, name: &str) -> Result<i64, AppError> {
    let now = now();
    sqlx::query_scalar(
        "INSERT INTO cost_scenarios (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            name_taken(name)
        } else {
            e.into()
        }
    })
}

/// Adds a host to a scenario and counts the change in its version.
pub async fn add_host(
    conn: &mut SqliteConnection,
    scenario: i64,
    name: &str,
    plan_id: i64,
    ipv4: bool,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO cost_scenario_hosts (scenario_id, name, plan_id, ipv4) VALUES (?, ?, ?, ?)")
        .bind(scenario)
        .bind(name)
        .bind(plan_id)
        .bind(ipv4)
        .execute(&mut *conn)
        .await?;
    touch(conn, scenario).await
}

/// Removes a host from a scenario; returns its name.
pub async fn remove_host(conn: &mut SqliteConnection, scenario: i64, host: i64) -> Result<String, AppError> {
    let name: String =
        sqlx::query_scalar("DELETE FROM cost_scenario_hosts WHERE id = ? AND scenario_id = ? RETURNING name")
            .bind(host)
            .bind(scenario)
            .fetch_one(&mut *conn)
            .await?;
    touch(conn, scenario).await?;
    Ok(name)
}

async fn touch(conn: &mut SqliteConnection, scenario: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE cost_scenarios SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(scenario)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn rename(conn: &mut SqliteConnection, id: i64, version: i64, name: &str) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE cost_scenarios SET name = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(name)
    .bind(now())
    .bind(id)
    .bind(version)
    .execute(conn)
    .await
    .map_err(|e| if is_unique_violation(&e) { name_taken(name) } else { e.into() })?;
    if done.rows_affected() == 0 {
        return Err(changed_meanwhile());
    }
    Ok(())
}

pub async fn delete(conn: &mut SqliteConnection, id: i64, version: i64) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM cost_scenarios WHERE id = ? AND version = ?")
        .bind(id)
        .bind(version)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(changed_meanwhile());
    }
    Ok(())
}
