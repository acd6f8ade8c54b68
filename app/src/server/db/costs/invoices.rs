//! Invoices, monthly budgets and active users in SQLite.
use sqlx::{SqliteConnection, SqlitePool};

use super::currency;
use crate::domain::costs::Month;
use crate::domain::money::Money;
use crate::model::cost::{Invoice, MonthDraft};
use crate::model::AppError;
use crate::server::db::now;

/// Stores an invoice under its key (provider, number): a second import of the same
/// invoice replaces the first instead of counting it twice. Returns whether it was new.
pub async fn put_invoice(conn: &mut SqliteConnection, i: &Invoice) -> Result<bool, AppError> {
    let existed: bool =
        sqlx::query_scalar("SELECT count(*) > 0 FROM invoices WHERE provider = ? AND number = ?")
            .bind(&i.provider)
            .bind(&i.number)
            .fetch_one(&mut *conn)
            .await?;
    let now = now();
    sqlx::query(
        "INSERT INTO invoices (month, provider, number, amount_minor, currency, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider, number) DO UPDATE SET month = excluded.month,
             amount_minor = excluded.amount_minor, currency = excluded.currency,
             updated_at = excluded.updated_at",
    )
    .bind(i.month.to_string())
    .bind(&i.provider)
    .bind(&i.number)
    .bind(i.amount.minor)
    .bind(i.amount.currency.as_str())
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(!existed)
}

/// The invoices of the months from `from` to `to`, by month then provider and number.
pub async fn invoices_between(pool: &SqlitePool, from: Month, to: Month) -> Result<Vec<Invoice>, AppError> {
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT month, provider, number, amount_minor, currency FROM invoices
         WHERE month BETWEEN ? AND ? ORDER BY month, provider, number",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(month, provider, number, minor, code)| {
            Ok(Invoice {
                month: Month::parse(&month).map_err(|_| AppError::Internal)?,
                provider,
                number,
                amount: Money::new(minor, currency(&code)?),
            })
        })
        .collect()
}

/// Saves what a month form set; a field left empty keeps the month's stored value.
pub async fn put_month(conn: &mut SqliteConnection, d: &MonthDraft) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cost_months (month, budget_minor, budget_currency, active_users) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (month) DO UPDATE SET
             budget_minor = coalesce(?2, budget_minor),
             budget_currency = coalesce(?3, budget_currency),
             active_users = coalesce(?4, active_users)",
    )
    .bind(d.month.to_string())
    .bind(d.budget.map(|b| b.minor))
    .bind(d.budget.map(|b| b.currency.to_string()))
    .bind(d.active_users)
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored month: month, budget amount, budget currency, active users.
type MonthRow = (String, Option<i64>, Option<String>, Option<i64>);

/// Every month with a budget or active users entered, oldest first.
pub async fn months(pool: &SqlitePool) -> Result<Vec<(Month, Option<Money>, Option<u32>)>, AppError> {
    let rows: Vec<MonthRow> = sqlx::query_as(
        "SELECT month, budget_minor, budget_currency, active_users FROM cost_months ORDER BY month",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(month, minor, code, users)| {
            let budget = match (minor, code) {
                (Some(m), Some(c)) => Some(Money::new(m, currency(&c)?)),
                _ => None,
            };
            let month = Month::parse(&month).map_err(|_| AppError::Internal)?;
            Ok((month, budget, users.map(|u| u as u32)))
        })
        .collect()
}
