//! The article's money: its plans, iris then the three Start1-XS, the two designs compared.
use sqlx::SqlitePool;

use super::scenarios;
use crate::domain::costs::Month;
use crate::domain::money::{Currency, Money};
use crate::domain::time::parse_date;
use crate::model::cost::{Invoice, MonthDraft, PlanInput};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};

/// (name, vCPUs, RAM MiB, disk GB, price, IPv4 saving, notes)
const PLANS: [(&str, &str, &str, &str, &str, &str, &str); 3] = [
    (
        "ARM64-4GB",
        "6",
        "4096",
        "100",
        "6.00",
        "0",
        "ARMv8 cores; iris with its two 50 GB volumes",
    ),
    (
        "ARM64-2GB",
        "4",
        "2048",
        "50",
        "3.00",
        "0",
        "The next smaller ARM box",
    ),
    (
        "Start1-XS",
        "1",
        "1024",
        "25",
        "2.00",
        "1.00",
        "1 EUR/month without a public IPv4",
    ),
];

/// (host, from, plan or None for "no longer billed", public IPv4). iris alone until the
/// move in March 2026, then the three Start1-XS, two of them IPv6-only.
const PERIODS: [(&str, &str, Option<&str>, bool); 5] = [
    ("iris", "2025-01-01", Some("ARM64-4GB"), true),
    ("iris", "2026-03-16", None, true),
    ("hermes", "2026-03-01", Some("Start1-XS"), true),
    ("hedwig", "2026-03-01", Some("Start1-XS"), false),
    ("becblanche", "2026-03-01", Some("Start1-XS"), false),
];

fn day(s: &str) -> Result<i64, AppError> {
    parse_date(s)
        .map(|s| s / 86_400)
        .map_err(|m| AppError::field("date", m))
}

/// Adds what is missing: plans by provider and name, periods of hosts that have none,
/// scenarios by name, the budget, the invoices by number. Returns whether anything was added.
pub async fn load(pool: &SqlitePool) -> Result<bool, AppError> {
    let actor = Actor::cli("demo");
    let mut added = false;
    let mut plans = Vec::new();
    for (name, vcpus, ram, disk, price, saving, notes) in PLANS {
        let found = db::costs::find_plan(&mut *pool.acquire().await?, "Scaleway", name).await?;
        let plan = match found {
            Some(p) => p,
            None => {
                let input = PlanInput {
                    provider: "Scaleway".into(),
                    name: name.into(),
                    vcpus: vcpus.into(),
                    ram_mib: ram.into(),
                    disk_gb: disk.into(),
                    price: price.into(),
                    ipv4_saving: saving.into(),
                    notes: notes.into(),
                    ..PlanInput::blank()
                };
                added = true;
                super::save_plan(pool, &actor, &input.parse().map_err(AppError::Validation)?).await?
            }
        };
        plans.push(plan);
    }
    let plan_id = |name: &str| plans.iter().find(|p| p.name == name).map(|p| p.id);
    let (ids, ledgers, _) = db::costs::periods::ledgers(pool).await?;
    let mut tx = db::begin(pool).await?;
    for (host, from, plan, ipv4) in PERIODS {
        let Some(i) = ledgers.iter().position(|l| l.name == host) else {
            continue;
        };
        if !ledgers[i].periods.is_empty() {
            continue;
        }
        let plan = plan.and_then(plan_id);
        db::costs::periods::put_period(&mut tx, ids[i], day(from)?, plan, ipv4, (0, "")).await?;
        added = true;
    }
    tx.commit().await?;
    if db::costs::invoices::months(pool).await?.is_empty() {
        let budget = MonthDraft {
            month: Month::new(2025, 1),
            budget: Some(Money::new(500, Currency::EUR)),
            active_users: None,
        };
        super::set_month(pool, &actor, &budget).await?;
        added = true;
    }
    let invoices: Vec<Invoice> = [("2026-01", "SCW-2026-01", 600), ("2026-02", "SCW-2026-02", 600)]
        .into_iter()
        .map(|(m, number, minor)| {
            Ok(Invoice {
                month: Month::parse(m).map_err(|e| AppError::field("month", e))?,
                provider: "Scaleway".into(),
                number: number.into(),
                amount: Money::new(minor, Currency::EUR),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let known = db::costs::invoices::invoices_between(pool, Month::new(2026, 1), Month::new(2026, 2)).await?;
    if known.is_empty() {
        super::put_invoices(pool, &actor, &invoices).await?;
        added = true;
    }
    added |= scenario(
        pool,
        &actor,
        "One ARM64-4GB",
        &[("iris", "ARM64-4GB", true)],
        &plans,
    )
    .await?;
    let three = [
        ("hermes", "Start1-XS", true),
        ("hedwig", "Start1-XS", false),
        ("becblanche", "Start1-XS", false),
    ];
    added |= scenario(pool, &actor, "Three Start1-XS, two IPv6-only", &three, &plans).await?;
    Ok(added)
}

async fn scenario(
    pool: &SqlitePool,
    actor: &Actor,
    name: &str,
    hosts: &[(&str, &str, bool)],
    plans: &[crate::model::cost::Plan],
) -> Result<bool, AppError> {
    if db::costs::scenarios::find(&mut *pool.acquire().await?, name)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let id = scenarios::create(pool, actor, name, false).await?;
    for (host, plan, ipv4) in hosts {
        if let Some(p) = plans.iter().find(|p| p.name == *plan) {
            scenarios::add_host(pool, actor, id, (host, p.id, *ipv4)).await?;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::costs::Totals;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn the_demo_costs_6_eur_before_the_move_and_4_after_and_loads_once() {
        let (pool, _dir) = test_pool().await;
        crate::server::demo::load(&pool).await.unwrap();
        assert!(!load(&pool).await.unwrap(), "a second load adds nothing");
        let page = super::super::page::costs_page(&pool, Month::new(2026, 2), Month::new(2026, 4))
            .await
            .unwrap();
        let totals: Vec<String> = page.months.iter().map(|m| m.expected.text()).collect();
        // March: iris for 15 of 31 days (2.90) and three Start1-XS for the whole month.
        assert_eq!(totals, vec!["6.00 EUR", "6.90 EUR", "4.00 EUR"]);
        assert!(page.months[0].over_budget && !page.months[2].over_budget);
        assert_eq!(
            page.months[0].difference.as_ref().map(Totals::text),
            Some("0.00 EUR".into())
        );
        let list = scenarios::list(&pool).await.unwrap();
        let monthly: Vec<(String, String)> = list
            .scenarios
            .iter()
            .map(|s| (s.name.clone(), s.summary.monthly.text()))
            .collect();
        assert_eq!(
            monthly,
            vec![
                ("One ARM64-4GB".to_string(), "6.00 EUR".to_string()),
                (
                    "Three Start1-XS, two IPv6-only".to_string(),
                    "4.00 EUR".to_string()
                )
            ]
        );
        assert_eq!(list.scenarios[1].summary.ipv4, 1);
    }
}
