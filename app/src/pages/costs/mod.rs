//! The costs area: months and budget, plans, host cost histories, what-if scenarios.
mod forms;
mod host;
mod overview;
mod plans;
mod rates;
mod scenario_hosts;
mod scenarios;
mod tables;

pub use host::HostCosts;
pub use overview::CostsOverview;
pub use plans::{EditPlan, PlanList};
pub use scenarios::{ScenarioDetail, ScenarioList};

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Counts the successful completions of `action`. A page reloads its data after a save,
/// not after a refusal: reloading would rebuild the forms and lose what was typed.
fn saves<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&usize>| {
        let version = action.version().get();
        let saved = action.value().with(|v| matches!(v, Some(Ok(_))));
        match prev {
            Some(prev) if !saved => *prev,
            _ => version,
        }
    })
}
