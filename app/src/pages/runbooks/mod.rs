//! The runbooks area: runbooks (list, import, view, edit, copy, delete), starting a run,
//! and runs with their live progress.
mod delete;
mod detail;
mod list;
mod run;
mod runs;
mod start;
mod step;
mod wizard;

pub use delete::DeleteRunbook;
pub use detail::RunbookDetail;
pub use list::RunbookList;
pub use run::RunDetail;
pub use runs::RunList;
pub use start::StartRun;
pub use wizard::EnvMerge;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::model::runbook_run::RunSummary;

/// The `:slug` of the current route.
fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()))
}

/// "3 of 9 steps" with a bar; the word says it too, so colour is never the only cue.
#[component]
fn Progress(summary: RunSummary) -> impl IntoView {
    let label = match summary.done {
        true => format!("done · {} of {} steps", summary.settled, summary.total),
        false => format!("{} of {} steps", summary.settled, summary.total),
    };
    view! {
        <span class="run-progress">
            <progress max=summary.total.max(1) value=summary.settled aria-label="Steps done"></progress>
            " " <span class="run-progress-label">{label}</span>
        </span>
    }
}
