//! A failed plain-form post of a cost form brought back into its page: what was typed
//! and why it failed. A session keeps one such post at a time, so at most one is found.
use serde::de::DeserializeOwned;

use crate::model::cost_view::{CostsPage, HostCostPage, ScenarioPage, ScenariosPage};
use crate::model::AppError;
use crate::server::forms::take;

/// Longest pasted CSV kept for the form to show again; a larger one is not kept (its
/// error still shows) rather than held in the session.
const MAX_KEPT_CSV: usize = 256 * 1024;

/// The pasted CSV as a failed import keeps it.
pub fn kept_csv(csv: &str) -> &str {
    if csv.len() <= MAX_KEPT_CSV {
        csv
    } else {
        ""
    }
}

/// Puts the input of a failed post of `form` into `slot` and returns its error.
async fn carry<T: DeserializeOwned>(form: &str, slot: &mut T) -> Option<(String, AppError)> {
    let (input, error) = take::<T>(form).await?;
    *slot = input;
    Some((form.to_owned(), error))
}

/// The error of a failed post that kept no input worth showing again.
async fn error_of(form: &str) -> Option<(String, AppError)> {
    take::<serde_json::Value>(form)
        .await
        .map(|(_, error)| (form.to_owned(), error))
}

pub async fn costs_page(page: &mut CostsPage) {
    let f = &mut page.forms;
    let found = [
        carry("cost-month", &mut f.month).await,
        carry("invoice", &mut f.invoice).await,
        carry("invoice-import", &mut f.csv).await,
        carry("cost-rate", &mut f.rate).await,
        carry("cost-reporting", &mut f.reporting).await,
    ];
    page.error = found.into_iter().flatten().next();
}

pub async fn host_page(page: &mut HostCostPage) {
    let found = [
        carry("period", &mut page.period).await,
        carry("charge", &mut page.charge).await,
    ];
    page.error = found.into_iter().flatten().next();
    // The forms post for the host of this page, whatever the carried post named.
    page.period.host.clone_from(&page.host);
    page.charge.host.clone_from(&page.host);
}

pub async fn scenarios_page(page: &mut ScenariosPage) {
    page.error = carry("scenario-new", &mut page.new).await.map(|(_, e)| e);
}

pub async fn scenario_page(page: &mut ScenarioPage) {
    let found = [
        carry("scenario-host", &mut page.host_input).await,
        carry("scenario-rename", &mut page.rename).await,
        error_of("scenario-remove").await,
        error_of("scenario-delete").await,
    ];
    page.error = found.into_iter().flatten().next();
}
