//! Cost periods and one-off charges of hosts, and the ledgers the roll-ups read.
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

use super::{currency, list_plans};
use crate::domain::costs::{HostLedger, Period, Rate};
use crate::domain::money::Money;
use crate::model::cost::Plan;
use crate::model::cost_view::ScenarioHost;
use crate::model::AppError;
use crate::server::db::now;

/// A stored period with its plan resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRecord {
    pub start_day: i64,
    pub plan: Option<Plan>,
    pub ipv4: bool,
    pub extras_minor: i64,
    pub extras_note: String,
}

impl PeriodRecord {
    /// The monthly rate: the plan's price for this IPv4 choice plus the extras.
    pub fn rate(&self) -> Option<Rate> {
        let plan = self.plan.as_ref()?;
        let price = plan.monthly(self.ipv4);
        let monthly = price.checked_add(Money::new(self.extras_minor, price.currency))?;
        Some(Rate { monthly })
    }
}

pub async fn host_id(conn: &mut SqliteConnection, name: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM hosts WHERE name = ?")
        .bind(name)
        .fetch_one(conn)
        .await?)
}

/// Adds a period; one starting the same day as an existing one replaces it (a
/// correction), every other period stays as it was.
pub async fn put_period(
    conn: &mut SqliteConnection,
    host_id: i64,
    start_day: i64,
    plan_id: Option<i64>,
    ipv4: bool,
    extras: (i64, &str),
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cost_periods (host_id, start_day, plan_id, ipv4, extras_minor, extras_note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (host_id, start_day) DO UPDATE SET plan_id = excluded.plan_id,
             ipv4 = excluded.ipv4, extras_minor = excluded.extras_minor, extras_note = excluded.extras_note",
    )
    .bind(host_id)
    .bind(start_day)
    .bind(plan_id)
    .bind(ipv4)
    .bind(extras.0)
    .bind(extras.1)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_charge(
    conn: &mut SqliteConnection,
    host_id: i64,
    day: i64,
    amount: Money,
    note: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cost_charges (host_id, day, amount_minor, currency, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(host_id)
    .bind(day)
    .bind(amount.minor)
    .bind(amount.currency.as_str())
    .bind(note)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A period as the ledger query writes it: host id, start, plan id, IPv4, extras, note.
type PeriodJson = (i64, i64, Option<i64>, i64, i64, String);
/// A charge: host id, day, amount, currency, note.
type ChargeJson = (i64, i64, i64, String, String);

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!("a cost query returned malformed JSON: {e}");
        AppError::Internal
    })
}

/// Every period and charge, each host's in order, as one JSON value per table: sqlx
/// hands rows over one by one, which for years of monthly rows costs more than the query.
async fn all_rows(
    pool: &SqlitePool,
    host: Option<i64>,
) -> Result<(Vec<PeriodJson>, Vec<ChargeJson>), AppError> {
    let periods: String = sqlx::query_scalar(
        "SELECT coalesce(json_group_array(json_array(host_id, start_day, plan_id, ipv4, extras_minor, extras_note)
             ORDER BY host_id, start_day), '[]')
         FROM cost_periods WHERE ?1 IS NULL OR host_id = ?1",
    )
    .bind(host)
    .fetch_one(pool)
    .await?;
    let charges: String = sqlx::query_scalar(
        "SELECT coalesce(json_group_array(json_array(host_id, day, amount_minor, currency, note)
             ORDER BY host_id, day, id), '[]')
         FROM cost_charges WHERE ?1 IS NULL OR host_id = ?1",
    )
    .bind(host)
    .fetch_one(pool)
    .await?;
    Ok((decode(&periods)?, decode(&charges)?))
}

fn record(p: PeriodJson, plans: &HashMap<i64, Plan>) -> PeriodRecord {
    let (_, start_day, plan_id, ipv4, extras_minor, extras_note) = p;
    PeriodRecord {
        start_day,
        plan: plan_id.and_then(|id| plans.get(&id).cloned()),
        ipv4: ipv4 != 0,
        extras_minor,
        extras_note,
    }
}

/// One host's periods (oldest first) and charges (day, amount, note).
pub async fn history(
    pool: &SqlitePool,
    host_id: i64,
) -> Result<(Vec<PeriodRecord>, Vec<(i64, Money, String)>), AppError> {
    let plans: HashMap<i64, Plan> = list_plans(pool).await?.into_iter().map(|p| (p.id, p)).collect();
    let (periods, charges) = all_rows(pool, Some(host_id)).await?;
    let periods = periods.into_iter().map(|p| record(p, &plans)).collect();
    let mut out = Vec::with_capacity(charges.len());
    for (_, day, minor, code, note) in charges {
        out.push((day, Money::new(minor, currency(&code)?), note));
    }
    Ok((periods, out))
}

/// Every host (by name) with its periods and charges: what the roll-ups read, in four
/// queries whatever the number of hosts and months.
pub async fn ledgers(
    pool: &SqlitePool,
) -> Result<(Vec<i64>, Vec<HostLedger>, Vec<Vec<PeriodRecord>>), AppError> {
    let hosts: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM hosts ORDER BY name")
        .fetch_all(pool)
        .await?;
    let plans: HashMap<i64, Plan> = list_plans(pool).await?.into_iter().map(|p| (p.id, p)).collect();
    let (periods, charges) = all_rows(pool, None).await?;
    let index: HashMap<i64, usize> = hosts.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let mut ledgers: Vec<HostLedger> = hosts
        .iter()
        .map(|(_, name)| HostLedger {
            name: name.clone(),
            ..HostLedger::default()
        })
        .collect();
    let mut records: Vec<Vec<PeriodRecord>> = vec![Vec::new(); hosts.len()];
    for p in periods {
        let Some(&i) = index.get(&p.0) else { continue };
        let r = record(p, &plans);
        ledgers[i].periods.push(Period {
            start: r.start_day,
            rate: r.rate(),
        });
        records[i].push(r);
    }
    for (host, day, minor, code, _) in charges {
        if let Some(&i) = index.get(&host) {
            ledgers[i]
                .charges
                .push((day, Money::new(minor, currency(&code)?)));
        }
    }
    Ok((hosts.into_iter().map(|(id, _)| id).collect(), ledgers, records))
}

/// The hosts billed on `day`, each with the plan and IPv4 choice of that day.
pub async fn cluster_on(pool: &SqlitePool, day: i64) -> Result<Vec<ScenarioHost>, AppError> {
    let (ids, ledgers, records) = ledgers(pool).await?;
    let mut out = Vec::new();
    for ((id, ledger), records) in ids.into_iter().zip(ledgers).zip(records) {
        let active = records.into_iter().rev().find(|r| r.start_day <= day);
        if let Some(PeriodRecord {
            plan: Some(plan),
            ipv4,
            ..
        }) = active
        {
            out.push(ScenarioHost {
                id,
                name: ledger.name,
                plan,
                ipv4,
            });
        }
    }
    Ok(out)
}

/// Each service with its host's name and its expected memory, by host then name.
pub async fn service_memory(pool: &SqlitePool) -> Result<Vec<(String, String, Option<i64>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.name, h.name, s.memory_mib FROM services s JOIN hosts h ON h.id = s.host_id
         ORDER BY h.name, s.name",
    )
    .fetch_all(pool)
    .await?)
}
