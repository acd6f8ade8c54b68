//! Exchange rates and the reporting currency in SQLite.
use sqlx::{SqliteConnection, SqlitePool};

use super::currency;
use crate::domain::money::Currency;
use crate::domain::rates::ExchangeRate;
use crate::model::AppError;
use crate::server::db::now;

/// The settings row holding the reporting currency.
const REPORTING: &str = "cost_reporting_currency";

#[derive(sqlx::FromRow)]
struct RateRow {
    from_currency: String,
    to_currency: String,
    rate_num: i64,
    rate_den: i64,
    valid_from: i64,
}

impl TryFrom<RateRow> for ExchangeRate {
    type Error = AppError;
    fn try_from(r: RateRow) -> Result<Self, AppError> {
        Ok(ExchangeRate {
            from: currency(&r.from_currency)?,
            to: currency(&r.to_currency)?,
            num: r.rate_num,
            den: r.rate_den,
            valid_from: r.valid_from,
        })
    }
}

/// Every rate, newest first, then by pair.
pub async fn list(pool: &SqlitePool) -> Result<Vec<ExchangeRate>, AppError> {
    let rows: Vec<RateRow> = sqlx::query_as(
        "SELECT from_currency, to_currency, rate_num, rate_den, valid_from FROM currency_rates
         ORDER BY valid_from DESC, from_currency, to_currency",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(ExchangeRate::try_from).collect()
}

/// Stores a rate under its pair and day; returns the rate it replaced, if any.
pub async fn put(conn: &mut SqliteConnection, r: &ExchangeRate) -> Result<Option<ExchangeRate>, AppError> {
    let before: Option<RateRow> = sqlx::query_as(
        "SELECT from_currency, to_currency, rate_num, rate_den, valid_from FROM currency_rates
         WHERE from_currency = ? AND to_currency = ? AND valid_from = ?",
    )
    .bind(r.from.as_str())
    .bind(r.to.as_str())
    .bind(r.valid_from)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO currency_rates (from_currency, to_currency, rate_num, rate_den, valid_from, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (from_currency, to_currency, valid_from) DO UPDATE SET
             rate_num = excluded.rate_num, rate_den = excluded.rate_den, updated_at = excluded.updated_at",
    )
    .bind(r.from.as_str())
    .bind(r.to.as_str())
    .bind(r.num)
    .bind(r.den)
    .bind(r.valid_from)
    .bind(now())
    .execute(conn)
    .await?;
    before.map(ExchangeRate::try_from).transpose()
}

pub async fn reporting(conn: &mut SqliteConnection) -> Result<Option<Currency>, AppError> {
    let code: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(REPORTING)
        .fetch_optional(conn)
        .await?;
    code.filter(|c| !c.is_empty()).map(|c| currency(&c)).transpose()
}

/// Sets the reporting currency; None stops converting.
pub async fn set_reporting(conn: &mut SqliteConnection, c: Option<Currency>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3",
    )
    .bind(REPORTING)
    .bind(c.map_or(String::new(), |c| c.to_string()))
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}
