//! Server functions of exchange rates: a rate from a day, and the reporting currency.
use leptos::prelude::*;

use crate::model::cost::RateInput;
use crate::model::AppError;

#[server]
pub async fn set_cost_rate(rate: RateInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match rate.parse() {
        Ok(r) => costs::rates::set_rate(&app_state()?.db, &(&session).into(), &r).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect("/costs"),
        Err(e) => Err(forms::failed("cost-rate", &rate, e).await),
    }
}

/// Sets the currency the grand total is converted into; empty stops converting.
#[server]
pub async fn set_reporting_currency(currency: String) -> Result<(), AppError> {
    use crate::model::cost::parse_reporting;
    use crate::model::user::Role;
    use crate::server::{auth, costs, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let done = match parse_reporting(&currency) {
        Ok(c) => costs::rates::set_reporting(&app_state()?.db, &(&session).into(), c).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match done {
        Ok(()) => forms::redirect("/costs"),
        Err(e) => Err(forms::failed("cost-reporting", &currency, e).await),
    }
}
