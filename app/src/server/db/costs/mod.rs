//! Costs in SQLite: the plan catalogue here; periods, invoices and scenarios below.
pub mod invoices;
pub mod periods;
pub mod rates;
pub mod scenarios;

use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::domain::money::{Currency, Money};
use crate::model::cost::{Plan, PlanDraft};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    provider: String,
    name: String,
    vcpus: i64,
    ram_mib: i64,
    disk_gb: i64,
    price_minor: i64,
    currency: String,
    ipv4_included: bool,
    ipv4_saving_minor: i64,
    notes: String,
    version: i64,
}

/// A currency read back from the database; only parsed codes are ever written.
pub(crate) fn currency(code: &str) -> Result<Currency, AppError> {
    Currency::parse(code).map_err(|e| {
        tracing::error!("a stored currency is malformed: {e}");
        AppError::Internal
    })
}

impl TryFrom<PlanRow> for Plan {
    type Error = AppError;
    fn try_from(r: PlanRow) -> Result<Self, AppError> {
        let c = currency(&r.currency)?;
        Ok(Plan {
            id: r.id,
            provider: r.provider,
            name: r.name,
            vcpus: r.vcpus as u32,
            ram_mib: r.ram_mib as u32,
            disk_gb: r.disk_gb as u32,
            price: Money::new(r.price_minor, c),
            ipv4_included: r.ipv4_included,
            ipv4_saving: Money::new(r.ipv4_saving_minor, c),
            notes: r.notes,
            version: r.version,
        })
    }
}

const SELECT: &str = "SELECT id, provider, name, vcpus, ram_mib, disk_gb, price_minor, currency,
    ipv4_included, ipv4_saving_minor, notes, version FROM plans";

pub async fn list_plans(pool: &SqlitePool) -> Result<Vec<Plan>, AppError> {
    let rows: Vec<PlanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY provider, name")))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(Plan::try_from).collect()
}

pub async fn get_plan(conn: &mut SqliteConnection, id: i64) -> Result<Plan, AppError> {
    let row: PlanRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = ?")))
        .bind(id)
        .fetch_one(conn)
        .await?;
    row.try_into()
}

/// The plan with this provider and name, if the catalogue has it.
pub async fn find_plan(
    conn: &mut SqliteConnection,
    provider: &str,
    name: &str,
) -> Result<Option<Plan>, AppError> {
    let row: Option<PlanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE provider = ? AND name = ?"
    )))
    .bind(provider)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(Plan::try_from).transpose()
}

fn taken(d: &PlanDraft) -> AppError {
    AppError::field(
        "name",
        format!("{} already has a plan named {}", d.provider, d.name),
    )
}

pub async fn insert_plan(conn: &mut SqliteConnection, d: &PlanDraft) -> Result<Plan, AppError> {
    let now = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO plans (provider, name, vcpus, ram_mib, disk_gb, price_minor, currency,
             ipv4_included, ipv4_saving_minor, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&d.provider)
    .bind(&d.name)
    .bind(d.vcpus)
    .bind(d.ram_mib)
    .bind(d.disk_gb)
    .bind(d.price.minor)
    .bind(d.price.currency.as_str())
    .bind(d.ipv4_included)
    .bind(d.ipv4_saving.minor)
    .bind(&d.notes)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            taken(d)
        } else {
            e.into()
        }
    })?;
    get_plan(conn, id).await
}

/// Saves an edit if nobody saved since `d.version`; returns the plan before and after.
pub async fn update_plan(
    conn: &mut SqliteConnection,
    id: i64,
    d: &PlanDraft,
) -> Result<(Plan, Plan), AppError> {
    let before = get_plan(&mut *conn, id).await?;
    let done = sqlx::query(
        "UPDATE plans SET provider = ?, name = ?, vcpus = ?, ram_mib = ?, disk_gb = ?, price_minor = ?,
             currency = ?, ipv4_included = ?, ipv4_saving_minor = ?, notes = ?, version = version + 1,
             updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(&d.provider)
    .bind(&d.name)
    .bind(d.vcpus)
    .bind(d.ram_mib)
    .bind(d.disk_gb)
    .bind(d.price.minor)
    .bind(d.price.currency.as_str())
    .bind(d.ipv4_included)
    .bind(d.ipv4_saving.minor)
    .bind(&d.notes)
    .bind(now())
    .bind(id)
    .bind(d.version.unwrap_or(-1))
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            taken(d)
        } else {
            e.into()
        }
    })?;
    if done.rows_affected() == 0 {
        return Err(changed_meanwhile());
    }
    let after = get_plan(conn, id).await?;
    Ok((before, after))
}

pub(crate) fn changed_meanwhile() -> AppError {
    AppError::Conflict("someone changed this meanwhile; reload the page and try again".into())
}

/// Deletes a plan no period or scenario uses.
pub async fn delete_plan(conn: &mut SqliteConnection, id: i64, version: i64) -> Result<Plan, AppError> {
    let before = get_plan(&mut *conn, id).await?;
    let uses: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM cost_periods WHERE plan_id = ?1)
              + (SELECT count(*) FROM cost_scenario_hosts WHERE plan_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if uses > 0 {
        return Err(AppError::Conflict(format!(
            "{} is used by {uses} cost period(s) or scenario host(s); change those first",
            before.label()
        )));
    }
    let done = sqlx::query("DELETE FROM plans WHERE id = ? AND version = ?")
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(changed_meanwhile());
    }
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cost::PlanInput;
    use crate::server::db::test_pool;

    fn draft(name: &str) -> PlanDraft {
        PlanInput {
            provider: "Scaleway".into(),
            name: name.into(),
            price: "2".into(),
            ipv4_saving: "1".into(),
            ..PlanInput::blank()
        }
        .parse()
        .unwrap()
    }

    #[tokio::test]
    async fn plans_are_stored_edited_with_a_version_check_and_deleted() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        let plan = insert_plan(&mut conn, &draft("Start1-XS")).await.unwrap();
        assert_eq!(plan.monthly(false).to_string(), "1.00 EUR");
        assert!(matches!(
            insert_plan(&mut conn, &draft("Start1-XS")).await,
            Err(AppError::Validation(_))
        ));
        let edit = PlanDraft {
            version: Some(1),
            ..draft("Start1-S")
        };
        let (_, after) = update_plan(&mut conn, plan.id, &edit).await.unwrap();
        assert_eq!(after.name, "Start1-S");
        assert!(matches!(
            update_plan(&mut conn, plan.id, &edit).await,
            Err(AppError::Conflict(_))
        ));
        delete_plan(&mut conn, plan.id, 2).await.unwrap();
        assert!(list_plans(&pool).await.unwrap().is_empty());
    }
}
