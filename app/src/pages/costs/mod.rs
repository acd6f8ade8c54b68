//! The costs area: months and budget, plans, host cost histories, what-if scenarios.
mod forms;
mod host;
mod overview;
mod plans;
mod scenarios;
mod tables;

pub use host::HostCosts;
pub use overview::CostsOverview;
pub use plans::{EditPlan, PlanList};
pub use scenarios::{ScenarioDetail, ScenarioList};
