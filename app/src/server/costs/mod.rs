//! Changing costs: each change and its audit entry in one transaction.
pub mod bench;
pub mod carried;
pub mod demo;
pub mod import;
pub mod page;
pub mod rates;
pub mod scenarios;

use sqlx::SqlitePool;

use super::db::{self, audit::Actor};
use crate::domain::costs::Month;
use crate::domain::money::Money;
use crate::domain::time::civil_from_days;
use crate::model::cost::{yes_no, ChargeDraft, Invoice, MonthDraft, PeriodDraft, Plan, PlanDraft};
use crate::model::AppError;

/// "2026-03-16" of a day count.
pub fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today (UTC) as a day count.
pub fn today() -> i64 {
    db::now().div_euclid(86_400)
}

/// Creates a plan (`d.id` None) or saves an edit of one.
pub async fn save_plan(pool: &SqlitePool, actor: &Actor, d: &PlanDraft) -> Result<Plan, AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, after) = match d.id {
        None => (None, db::costs::insert_plan(&mut tx, d).await?),
        Some(id) => {
            let (before, after) = db::costs::update_plan(&mut tx, id, d).await?;
            (Some(before.fields()), after)
        }
    };
    let label = after.label();
    let object = ("plan", Some(after.id), label.as_str());
    db::audit::record_fields(&mut tx, actor, object, before.as_deref(), Some(&after.fields())).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete_plan(pool: &SqlitePool, actor: &Actor, id: i64, version: i64) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let plan = db::costs::delete_plan(&mut tx, id, version).await?;
    let label = plan.label();
    db::audit::record_fields(
        &mut tx,
        actor,
        ("plan", Some(plan.id), &label),
        Some(&plan.fields()),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a new period of a host (a plan change from a date); earlier periods stay.
/// Recorded in the host's change history.
pub async fn change_plan(pool: &SqlitePool, actor: &Actor, d: &PeriodDraft) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let host_id = db::costs::periods::host_id(&mut tx, &d.host).await?;
    let plan = match d.plan_id {
        Some(id) => match db::costs::get_plan(&mut tx, id).await {
            Err(AppError::NotFound) => return Err(AppError::field("plan", "that plan no longer exists")),
            other => Some(other?),
        },
        None => None,
    };
    let extras = match (&plan, d.extras.as_str()) {
        (_, "") => 0,
        (None, _) => return Err(AppError::field("extras", "a host no longer billed has no extras")),
        (Some(p), s) => {
            let m = Money::parse(s, p.price.currency).map_err(|m| AppError::field("extras", m))?;
            if m.minor < 0 {
                return Err(AppError::field("extras", "the amount cannot be negative"));
            }
            m.minor
        }
    };
    db::costs::periods::put_period(
        &mut tx,
        host_id,
        d.start_day,
        d.plan_id,
        d.ipv4,
        (extras, &d.extras_note),
    )
    .await?;
    let what = match &plan {
        Some(p) => format!(
            "{}, IPv4 {}, {}/month",
            p.label(),
            yes_no(d.ipv4),
            p.monthly(d.ipv4)
                .checked_add(Money::new(extras, p.price.currency))
                .ok_or(AppError::Internal)?
        ),
        None => "not billed".into(),
    };
    let changes = vec![(
        format!("cost from {}", day_text(d.start_day)),
        String::new(),
        what,
    )];
    db::audit::record(
        &mut tx,
        actor,
        "change plan",
        ("host", Some(host_id), &d.host),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_charge(pool: &SqlitePool, actor: &Actor, d: &ChargeDraft) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let host_id = db::costs::periods::host_id(&mut tx, &d.host).await?;
    db::costs::periods::add_charge(&mut tx, host_id, d.day, d.amount, &d.note).await?;
    let changes = vec![(
        format!("charge on {}", day_text(d.day)),
        String::new(),
        format!("{} ({})", d.amount, d.note),
    )];
    db::audit::record(
        &mut tx,
        actor,
        "add charge",
        ("host", Some(host_id), &d.host),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores invoices by their key; returns how many were new (the rest replaced).
pub async fn put_invoices(pool: &SqlitePool, actor: &Actor, invoices: &[Invoice]) -> Result<usize, AppError> {
    let mut tx = db::begin(pool).await?;
    let mut added = 0;
    for i in invoices {
        let new = db::costs::invoices::put_invoice(&mut tx, i).await?;
        added += usize::from(new);
        let name = format!("{} {}", i.provider, i.number);
        let changes = vec![(
            "amount".to_owned(),
            String::new(),
            format!("{} for {}", i.amount, i.month),
        )];
        let action = if new { "create" } else { "update" };
        db::audit::record(&mut tx, actor, action, ("invoice", None, &name), &changes).await?;
    }
    tx.commit().await?;
    Ok(added)
}

pub async fn set_month(pool: &SqlitePool, actor: &Actor, d: &MonthDraft) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    db::costs::invoices::put_month(&mut tx, d).await?;
    let mut changes = Vec::new();
    if let Some(b) = d.budget {
        changes.push(("budget".to_owned(), String::new(), b.to_string()));
    }
    if let Some(u) = d.active_users {
        changes.push(("active users".to_owned(), String::new(), u.to_string()));
    }
    if !changes.is_empty() {
        let name = d.month.to_string();
        db::audit::record(&mut tx, actor, "update", ("cost month", None, &name), &changes).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The default range of the Costs page: the twelve months up to this one.
pub fn last_twelve_months() -> (Month, Month) {
    let this = Month::of_day(today());
    (Month(this.0 - 11), this)
}
