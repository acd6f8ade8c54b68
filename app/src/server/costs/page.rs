//! Building the Costs page and a host's cost history from the stored rows.
use sqlx::SqlitePool;
use std::collections::HashMap;

use super::{day_text, today};
use crate::domain::cost_chart::{self, ChartData};
use crate::domain::costs::{roll_up, split, Month, Totals};
use crate::domain::money::{Currency, Money};
use crate::model::cost::{ChargeInput, InvoiceInput, MonthInput, PeriodInput, RateInput};
use crate::model::cost_view::{
    ChargeView, CostForms, CostsPage, HostCostPage, MonthRow, PeriodView, ServiceCost,
};
use crate::model::AppError;
use crate::server::db;

/// The longest range the page computes: twenty years of months.
pub const MAX_MONTHS: i64 = 240;

fn overflow() -> AppError {
    tracing::error!("a cost roll-up overflowed");
    AppError::Internal
}

/// `n` / `d` rounded half up, for cost per user.
fn per(n: i64, d: u32) -> i64 {
    let d = i64::from(d);
    (2 * n + d) / (2 * d)
}

/// The months table, chart and service split of `from`..=`to` (at most `MAX_MONTHS`),
/// in a constant number of queries.
pub async fn costs_page(pool: &SqlitePool, from: Month, to: Month) -> Result<CostsPage, AppError> {
    if to < from {
        return Err(AppError::field("to", "the last month comes before the first"));
    }
    if to.0 - from.0 >= MAX_MONTHS {
        return Err(AppError::field(
            "to",
            format!("show at most {MAX_MONTHS} months at once"),
        ));
    }
    let (_, ledgers, _) = db::costs::periods::ledgers(pool).await?;
    let rolled = roll_up(&ledgers, from, to).ok_or_else(overflow)?;
    let invoices = db::costs::invoices::invoices_between(pool, from, to).await?;
    let mut invoiced: HashMap<Month, Totals> = HashMap::new();
    for i in &invoices {
        invoiced
            .entry(i.month)
            .or_default()
            .add(i.amount)
            .ok_or_else(overflow)?;
    }
    let settings = db::costs::invoices::months(pool).await?;
    // Hosts that cost nothing in the whole range get no column.
    let shown: Vec<usize> = (0..ledgers.len())
        .filter(|h| rolled.iter().any(|m| !m.hosts[*h].0.iter().all(|x| x.minor == 0)))
        .collect();
    let mut total = Totals::default();
    let mut months = Vec::with_capacity(rolled.len());
    let mut budget: Option<Money> = None;
    let mut settings_iter = settings.iter().peekable();
    for m in rolled {
        let mut users = None;
        while let Some((month, b, u)) = settings_iter.next_if(|(month, _, _)| *month <= m.month) {
            if b.is_some() {
                budget = *b;
            }
            if *month == m.month {
                users = *u;
            }
        }
        total.add_all(&m.total).ok_or_else(overflow)?;
        let inv = invoiced.remove(&m.month);
        let difference = match &inv {
            Some(inv) => {
                let mut d = inv.clone();
                for e in &m.total.0 {
                    d.add(Money::new(
                        e.minor.checked_neg().ok_or_else(overflow)?,
                        e.currency,
                    ))
                    .ok_or_else(overflow)?;
                }
                Some(d)
            }
            None => None,
        };
        let per_user = users.filter(|u| *u > 0).map(|u| {
            Totals(
                m.total
                    .0
                    .iter()
                    .map(|e| Money::new(per(e.minor, u), e.currency))
                    .collect(),
            )
        });
        months.push(MonthRow {
            month: m.month,
            hosts: shown.iter().map(|h| m.hosts[*h].clone()).collect(),
            over_budget: budget.is_some_and(|b| m.total.get(b.currency) > b.minor),
            expected: m.total,
            invoiced: inv,
            difference,
            budget,
            active_users: users,
            per_user,
        });
    }
    let hosts: Vec<String> = shown.iter().map(|h| ledgers[*h].name.clone()).collect();
    let (chart_svg, chart_hosts) = chart(&hosts, &months);
    let services = services(pool, &hosts, months.last()).await?;
    let rates = super::rates::view(pool, &total, to.next().first_day() - 1).await?;
    let forms = cost_forms(Month::of_day(today()), rates.reporting);
    Ok(CostsPage {
        from,
        to,
        all_hosts: ledgers.into_iter().map(|l| l.name).collect(),
        hosts,
        total,
        chart_svg,
        chart_hosts,
        services_month: to,
        services,
        invoices,
        rates,
        forms,
        months,
        error: None,
    })
}

/// The Costs page's forms as they first show: this month, Scaleway, EUR; a rate into
/// the reporting currency from the 1st of this month.
fn cost_forms(this_month: Month, reporting: Option<Currency>) -> CostForms {
    CostForms {
        month: MonthInput {
            month: this_month.to_string(),
            currency: "EUR".into(),
            ..MonthInput::default()
        },
        invoice: InvoiceInput {
            month: this_month.to_string(),
            provider: "Scaleway".into(),
            currency: "EUR".into(),
            ..InvoiceInput::default()
        },
        csv: String::new(),
        rate: RateInput {
            to: reporting.unwrap_or(Currency::EUR).to_string(),
            valid_from: day_text(this_month.first_day()),
            ..RateInput::default()
        },
        reporting: reporting.map_or(String::new(), |c| c.to_string()),
    }
}

/// The chart of the last twelve months, in the budget's currency, else the first one
/// that occurs; hosts with nothing to show in those months are left out.
fn chart(hosts: &[String], months: &[MonthRow]) -> (String, Vec<String>) {
    let last = &months[months.len().saturating_sub(12)..];
    let currency = last
        .iter()
        .rev()
        .find_map(|m| m.budget.map(|b| b.currency))
        .or_else(|| last.iter().find_map(|m| m.expected.0.first().map(|e| e.currency)))
        .unwrap_or(Currency::EUR);
    let shown: Vec<usize> = (0..hosts.len())
        .filter(|h| last.iter().any(|m| m.hosts[*h].get(currency) != 0))
        .collect();
    let names: Vec<String> = shown.iter().map(|h| hosts[*h].clone()).collect();
    let data: Vec<(Month, Vec<i64>, Option<i64>)> = last
        .iter()
        .map(|m| {
            let values = shown.iter().map(|h| m.hosts[*h].get(currency)).collect();
            let budget = m.budget.filter(|b| b.currency == currency).map(|b| b.minor);
            (m.month, values, budget)
        })
        .collect();
    let svg = cost_chart::svg(&ChartData {
        currency,
        hosts: &names,
        months: &data,
    });
    (svg, names)
}

/// Each service's share of its host's cost in `month`: by memory when every service of
/// the host has an expected memory, else evenly.
async fn services(
    pool: &SqlitePool,
    hosts: &[String],
    month: Option<&MonthRow>,
) -> Result<Vec<ServiceCost>, AppError> {
    let Some(month) = month else { return Ok(Vec::new()) };
    let rows = db::costs::periods::service_memory(pool).await?;
    // (host, [(service, memory)]) in host order.
    type Group<'a> = (&'a str, Vec<(&'a str, Option<i64>)>);
    let mut by_host: Vec<Group> = Vec::new();
    for (service, host, memory) in &rows {
        match by_host.last_mut() {
            Some((h, list)) if h == host => list.push((service, *memory)),
            _ => by_host.push((host, vec![(service, *memory)])),
        }
    }
    let mut out = Vec::new();
    for (host, list) in by_host {
        let cost = hosts
            .iter()
            .position(|h| h == host)
            .map(|i| month.hosts[i].clone())
            .unwrap_or_default();
        let by_memory = list.iter().all(|(_, m)| m.is_some());
        let weights: Vec<u64> = list
            .iter()
            .map(|(_, m)| {
                if by_memory {
                    m.unwrap_or(0).max(0) as u64
                } else {
                    0
                }
            })
            .collect();
        let parts: Vec<Vec<i64>> = cost.0.iter().map(|m| split(m.minor, &weights)).collect();
        for (i, (service, memory)) in list.iter().enumerate() {
            let share = Totals(
                cost.0
                    .iter()
                    .zip(&parts)
                    .map(|(m, p)| Money::new(p[i], m.currency))
                    .collect(),
            );
            out.push(ServiceCost {
                service: (*service).to_owned(),
                host: host.to_owned(),
                memory_mib: memory.map(|m| m as u32),
                cost: share,
                rule: if by_memory { "memory share" } else { "even split" }.into(),
            });
        }
    }
    Ok(out)
}

/// A host's periods, newest first, with where each one ends, and its charges.
pub async fn host_page(pool: &SqlitePool, host: &str) -> Result<HostCostPage, AppError> {
    let host_id = db::costs::periods::host_id(&mut *pool.acquire().await?, host).await?;
    let (periods, charges) = db::costs::periods::history(pool, host_id).await?;
    let mut views = Vec::with_capacity(periods.len());
    for (i, p) in periods.iter().enumerate() {
        let end = match periods.get(i + 1) {
            Some(n) => format!("until {}", day_text(n.start_day - 1)),
            None => "ongoing".into(),
        };
        let monthly = p.plan.as_ref().map(|plan| plan.monthly(p.ipv4));
        views.push(PeriodView {
            start: day_text(p.start_day),
            end,
            plan: p.plan.as_ref().map(|plan| plan.label()),
            ipv4: p.ipv4,
            monthly,
            extras: monthly
                .map(|m| Money::new(p.extras_minor, m.currency))
                .filter(|m| m.minor != 0),
            extras_note: p.extras_note.clone(),
        });
    }
    views.reverse();
    let next = Month::of_day(today()).next().first_day();
    Ok(HostCostPage {
        host: host.to_owned(),
        periods: views,
        charges: charges
            .into_iter()
            .rev()
            .map(|(day, amount, note)| ChargeView {
                day: day_text(day),
                amount,
                note,
            })
            .collect(),
        plans: db::costs::list_plans(pool).await?,
        period: PeriodInput {
            host: host.to_owned(),
            start: day_text(next),
            ipv4: "yes".into(),
            ..PeriodInput::default()
        },
        charge: ChargeInput {
            host: host.to_owned(),
            day: day_text(today()),
            currency: "EUR".into(),
            ..ChargeInput::default()
        },
        error: None,
    })
}
