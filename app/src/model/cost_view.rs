//! What the cost pages show: month tables, a host's cost history, scenarios compared.
use serde::{Deserialize, Serialize};

use super::cost::{Invoice, Plan};
use super::AppError;
use crate::domain::costs::{Month, Totals};
use crate::domain::money::Money;

/// One row of the months table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: Month,
    /// Each host's expected bill, in the order of `CostsPage::hosts`.
    pub hosts: Vec<Totals>,
    pub expected: Totals,
    /// None when no invoice was entered for the month.
    pub invoiced: Option<Totals>,
    /// Invoiced less expected, when invoiced.
    pub difference: Option<Totals>,
    pub budget: Option<Money>,
    pub over_budget: bool,
    pub active_users: Option<u32>,
    /// Expected cost per active user, to the cent.
    pub per_user: Option<Totals>,
}

/// A service's share of its host's cost in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCost {
    pub service: String,
    pub host: String,
    pub memory_mib: Option<u32>,
    pub cost: Totals,
    /// "memory share" or "even split": how this host's cost was divided.
    pub rule: String,
}

/// The Costs page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostsPage {
    pub from: Month,
    pub to: Month,
    /// The hosts billed in the range: the table's columns.
    pub hosts: Vec<String>,
    /// Every host, billed or not, for the links to their cost histories.
    pub all_hosts: Vec<String>,
    pub months: Vec<MonthRow>,
    pub total: Totals,
    /// The chart of the last twelve months of the range (in its main currency).
    pub chart_svg: String,
    /// The hosts in the chart, in the order of its colours.
    pub chart_hosts: Vec<String>,
    pub services_month: Month,
    pub services: Vec<ServiceCost>,
    pub invoices: Vec<Invoice>,
    /// The month forms start from.
    pub this_month: Month,
    /// The error of a failed plain-form post of one of the page's forms, by form name.
    pub error: Option<(String, AppError)>,
}

/// One period of a host's cost history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    pub start: String,
    /// "until 2026-03-15" or "ongoing".
    pub end: String,
    pub plan: Option<String>,
    pub ipv4: bool,
    pub monthly: Option<Money>,
    pub extras: Option<Money>,
    pub extras_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeView {
    pub day: String,
    pub amount: Money,
    pub note: String,
}

/// A host's cost history and the forms to change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCostPage {
    pub host: String,
    pub periods: Vec<PeriodView>,
    pub charges: Vec<ChargeView>,
    pub plans: Vec<Plan>,
    /// The first day of next month: where "change plan" starts by default.
    pub next_month_day: String,
    pub today: String,
    pub error: Option<(String, AppError)>,
}

/// A host of a scenario (or of the current cluster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioHost {
    pub id: i64,
    pub name: String,
    pub plan: Plan,
    pub ipv4: bool,
}

/// The figures compared side by side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    pub monthly: Totals,
    pub yearly: Totals,
    pub ram_mib: u64,
    pub vcpus: u64,
    pub ipv4: u32,
    pub hosts: u32,
}

impl ScenarioSummary {
    pub fn of(hosts: &[ScenarioHost]) -> Option<Self> {
        let mut s = ScenarioSummary::default();
        for h in hosts {
            let m = h.plan.monthly(h.ipv4);
            s.monthly.add(m)?;
            s.yearly.add(Money::new(m.minor.checked_mul(12)?, m.currency))?;
            s.ram_mib += u64::from(h.plan.ram_mib);
            s.vcpus += u64::from(h.plan.vcpus);
            s.ipv4 += u32::from(h.ipv4);
            s.hosts += 1;
        }
        Some(s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioListItem {
    pub id: i64,
    pub name: String,
    pub summary: ScenarioSummary,
}

/// The scenarios list, with the current cluster to compare against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenariosPage {
    pub current: ScenarioSummary,
    pub scenarios: Vec<ScenarioListItem>,
    pub error: Option<AppError>,
}

/// One scenario next to the current cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioPage {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub hosts: Vec<ScenarioHost>,
    pub summary: ScenarioSummary,
    pub current_hosts: Vec<ScenarioHost>,
    pub current: ScenarioSummary,
    pub plans: Vec<Plan>,
    pub error: Option<(String, AppError)>,
}
