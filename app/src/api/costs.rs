//! Server functions of the costs area: months, plans, host cost history, invoices.
use leptos::prelude::*;

use crate::model::cost::{ChargeInput, InvoiceInput, MonthInput, PeriodInput, Plan, PlanInput};
use crate::model::cost_view::{CostsPage, HostCostPage};
use crate::model::AppError;

/// The Costs page for `from`..=`to` ("YYYY-MM"; empty: the last twelve months).
#[server]
pub async fn get_costs(from: String, to: String) -> Result<CostsPage, AppError> {
    use crate::domain::costs::Month;
    use crate::model::user::Role;
    use crate::server::{auth, costs, state::app_state};
    auth::require(Role::Viewer)?;
    let (default_from, default_to) = costs::last_twelve_months();
    let month = |s: &str, field: &str, default| match s.trim() {
        "" => Ok(default),
        s => Month::parse(s).map_err(|m| AppError::field(field, m)),
    };
    let (from, to) = (month(&from, "from", default_from)?, month(&to, "to", default_to)?);
    let mut page = costs::page::costs_page(&app_state()?.db, from, to).await?;
    costs::carried::costs_page(&mut page).await;
    Ok(page)
}

#[server]
pub async fn set_cost_month(month: MonthInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match month.parse() {
        Ok(d) => costs::set_month(&app_state()?.db, &(&session).into(), &d).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect("/costs"),
        Err(e) => Err(forms::failed("cost-month", &month, e).await),
    }
}

#[server]
pub async fn add_invoice(invoice: InvoiceInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match invoice.parse() {
        Ok(i) => costs::put_invoices(&app_state()?.db, &(&session).into(), &[i]).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(_) => forms::redirect("/costs"),
        Err(e) => Err(forms::failed("invoice", &invoice, e).await),
    }
}

/// Imports invoices pasted as CSV; an invoice already known (same provider and number)
/// is updated, not added again.
#[server]
pub async fn import_invoices(csv: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match costs::import::parse(&csv) {
        Ok(list) => costs::put_invoices(&app_state()?.db, &(&session).into(), &list).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => forms::redirect("/costs"),
        Err(e) => Err(forms::failed("invoice-import", &costs::carried::kept_csv(&csv), e).await),
    }
}

/// The plan catalogue, and a failed plain post of the new-plan form.
#[server]
pub async fn get_plans() -> Result<(Vec<Plan>, Option<(PlanInput, AppError)>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Viewer)?;
    let carried = forms::take::<PlanInput>("plan").await;
    Ok((db::costs::list_plans(&app_state()?.db).await?, carried))
}

#[server]
pub async fn get_plan_form(id: i64) -> Result<(PlanInput, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let plan = db::costs::get_plan(&mut *app_state()?.db.acquire().await?, id).await?;
    if let Some((input, error)) = forms::take::<PlanInput>("plan").await {
        return Ok((input, Some(error)));
    }
    let deleting = forms::take::<i64>("plan-delete").await.map(|(_, e)| e);
    Ok((PlanInput::from_plan(&plan), deleting))
}

/// Adds a plan (`plan.id` empty) or saves an edit.
#[server]
pub async fn save_plan(plan: PlanInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match plan.parse() {
        Ok(d) => costs::save_plan(&app_state()?.db, &(&session).into(), &d).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(_) => forms::redirect("/costs/plans"),
        Err(e) => Err(forms::failed("plan", &plan, e).await),
    }
}

#[server]
pub async fn delete_plan(id: i64, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match costs::delete_plan(&app_state()?.db, &(&session).into(), id, version).await {
        Ok(()) => forms::redirect("/costs/plans"),
        Err(e) => Err(forms::failed("plan-delete", &id, e).await),
    }
}

#[server]
pub async fn get_host_costs(name: String) -> Result<HostCostPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, state::app_state};
    auth::require(Role::Viewer)?;
    let mut page = costs::page::host_page(&app_state()?.db, &name).await?;
    costs::carried::host_page(&mut page).await;
    Ok(page)
}

/// "Change plan from date": a new cost period of a host.
#[server]
pub async fn change_host_plan(period: PeriodInput) -> Result<(), AppError> {
    use crate::domain::url::encode_component;
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match period.parse() {
        Ok(d) => costs::change_plan(&app_state()?.db, &(&session).into(), &d).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect(&format!("/costs/hosts/{}", encode_component(period.host.trim()))),
        Err(e) => Err(forms::failed("period", &period, e).await),
    }
}

#[server]
pub async fn add_host_charge(charge: ChargeInput) -> Result<(), AppError> {
    use crate::domain::url::encode_component;
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match charge.parse() {
        Ok(d) => costs::add_charge(&app_state()?.db, &(&session).into(), &d).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect(&format!("/costs/hosts/{}", encode_component(charge.host.trim()))),
        Err(e) => Err(forms::failed("charge", &charge, e).await),
    }
}
