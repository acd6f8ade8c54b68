//! Data for the costs benchmark: many hosts with a plan change every month for years.
use sqlx::SqlitePool;

use crate::domain::costs::Month;
use crate::domain::money::{Currency, Money};
use crate::model::cost::{Invoice, MonthDraft, PlanInput};
use crate::model::host::HostInput;
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};

/// Gives `hosts` hosts (the first by name; bench-0000 … are added when there are fewer)
/// a new period every month for `years` years up to this month (alternating two plans,
/// IPv4 on and off, now and then from mid-month) and a one-off charge every month, and
/// adds a budget, active users and an invoice per month. Returns the months seeded.
pub async fn seed_bench(pool: &SqlitePool, hosts: usize, years: usize) -> Result<(Month, Month), AppError> {
    let actor = Actor::cli("bench");
    let mut plans = Vec::new();
    for (name, price) in [("Bench-S", "2.00"), ("Bench-M", "3.50")] {
        if let Some(p) = db::costs::find_plan(&mut *pool.acquire().await?, "Bench", name).await? {
            plans.push(p);
            continue;
        }
        let input = PlanInput {
            provider: "Bench".into(),
            name: name.into(),
            price: price.into(),
            ipv4_saving: "1.00".into(),
            ..PlanInput::blank()
        };
        plans.push(super::save_plan(pool, &actor, &input.parse().map_err(AppError::Validation)?).await?);
    }
    let to = Month::of_day(super::today());
    let from = Month(to.0 - (years * 12) as i64 + 1);
    let mut tx = db::begin(pool).await?;
    let mut ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM hosts ORDER BY name LIMIT ?")
        .bind(hosts as i64)
        .fetch_all(&mut *tx)
        .await?;
    for h in ids.len()..hosts {
        let input = HostInput {
            name: format!("bench-{h:04}"),
            provider: "Bench".into(),
            plan: "Bench-S".into(),
            ssh_host: format!("2001:db8::{:x}", h + 1),
            ..HostInput::blank()
        };
        ids.push(
            db::hosts::insert(&mut tx, &input.parse().map_err(AppError::Validation)?)
                .await?
                .id,
        );
    }
    for (h, host) in ids.into_iter().enumerate() {
        for (i, m) in (from.0..=to.0).enumerate() {
            let month = Month(m);
            // Mid-month starts now and then, so proration is part of the work.
            let start = month.first_day() + if i % 5 == 4 { 14 } else { 0 };
            let plan = plans[(i + h) % 2].id;
            db::costs::periods::put_period(&mut tx, host, start, Some(plan), i % 3 != 0, (0, "")).await?;
            let fee = Money::new(10 + (i % 7) as i64, Currency::EUR);
            db::costs::periods::add_charge(&mut tx, host, month.first_day() + 2, fee, "bench").await?;
        }
    }
    for m in from.0..=to.0 {
        let month = Month(m);
        let draft = MonthDraft {
            month,
            budget: (m == from.0).then(|| Money::new(hosts as i64 * 250, Currency::EUR)),
            active_users: Some(100 + (m % 50) as u32),
        };
        db::costs::invoices::put_month(&mut tx, &draft).await?;
        let invoice = Invoice {
            month,
            provider: "Bench".into(),
            number: format!("BENCH-{month}"),
            amount: Money::new(hosts as i64 * 240, Currency::EUR),
        };
        db::costs::invoices::put_invoice(&mut tx, &invoice).await?;
    }
    tx.commit().await?;
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn ten_years_of_fifty_hosts_roll_up_into_one_row_per_month() {
        let (pool, _dir) = test_pool().await;
        let (from, to) = seed_bench(&pool, 50, 10).await.unwrap();
        let started = std::time::Instant::now();
        let page = super::super::page::costs_page(&pool, from, to).await.unwrap();
        let took = started.elapsed();
        assert_eq!(page.months.len(), 120);
        assert_eq!(page.hosts.len(), 50);
        assert!(page
            .months
            .iter()
            .all(|m| m.invoiced.is_some() && m.budget.is_some()));
        // Printed for a look with `--nocapture`; the 50 ms bound is checked in `make bench`
        // against the release build.
        println!("costs page data for 50 hosts x 120 months: {took:?}");
    }
}
