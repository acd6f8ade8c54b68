//! What the cost pages show: month tables, a host's cost history, scenarios compared.
use serde::{Deserialize, Serialize};

use super::cost::{
    ChargeInput, Invoice, InvoiceInput, MonthInput, PeriodInput, Plan, RateInput, ScenarioHostInput,
};
use super::AppError;
use crate::domain::costs::{Month, Totals};
use crate::domain::money::{Currency, Money};
use crate::domain::url::encode_component;

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
    /// Exchange rates and the grand total converted with them.
    pub rates: RatesView,
    /// What the admin forms start from: defaults, or what a failed plain post typed.
    pub forms: CostForms,
    /// The error of a failed plain-form post of one of the page's forms, by form name.
    pub error: Option<(String, AppError)>,
}

/// The values of the Costs page's forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostForms {
    pub month: MonthInput,
    pub invoice: InvoiceInput,
    /// The pasted CSV of the invoice import.
    pub csv: String,
    pub rate: RateInput,
    /// The reporting currency's code, empty for none.
    pub reporting: String,
}

/// A stored exchange rate as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateView {
    /// "1 USD = 0.92 EUR".
    pub rate: String,
    /// "2026-01-01".
    pub valid_from: String,
}

/// The rates, and the range's total in the reporting currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatesView {
    pub reporting: Option<Currency>,
    pub rates: Vec<RateView>,
    /// The day whose rates convert the total: the last day of the range.
    pub day: String,
    /// None when nothing needs converting (no reporting currency, or every amount is in
    /// it); else the converted total with the rates used ("1 USD = 0.92 EUR from
    /// 2026-01-01"), or why the totals stay per currency.
    pub converted: Option<Result<(Money, Vec<String>), String>>,
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
    /// The plan change form: from the 1st of next month by default.
    pub period: PeriodInput,
    /// The one-off charge form: today by default.
    pub charge: ChargeInput,
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
    /// The new-scenario form: name and "copy the current cluster".
    pub new: (String, String),
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
    /// The add-host form: empty, or what a failed plain post typed.
    pub host_input: ScenarioHostInput,
    /// The rename form: the name, or what a failed plain post typed.
    pub rename: String,
    pub error: Option<(String, AppError)>,
}

/// The slug of the runbook that moves a host to another plan, and where it starts.
pub const MOVE_HOST_PLAN: &str = "/runbooks/move-host-plan/start";

impl ScenarioPage {
    /// The "Draft a runbook" link of a scenario host: only for a host the current cluster
    /// has on another plan (a new host has nothing to move).
    pub fn runbook_draft(&self, host: &ScenarioHost) -> Option<String> {
        self.current_hosts
            .iter()
            .find(|c| c.name == host.name)
            .filter(|c| c.plan.id != host.plan.id)
            .map(|_| {
                format!(
                    "{MOVE_HOST_PLAN}?host={}&plan={}",
                    encode_component(&host.name),
                    encode_component(&host.plan.name)
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn plan(id: i64, name: &str) -> Plan {
        Plan {
            id,
            provider: "Scaleway".into(),
            name: name.into(),
            vcpus: 2,
            ram_mib: 2048,
            disk_gb: 20,
            price: Money::new(200, Currency::EUR),
            ipv4_included: true,
            ipv4_saving: Money::new(100, Currency::EUR),
            notes: String::new(),
            version: 1,
        }
    }

    fn host(name: &str, plan: Plan) -> ScenarioHost {
        ScenarioHost {
            id: 0,
            name: name.into(),
            plan,
            ipv4: true,
        }
    }

    #[test]
    fn only_a_host_moved_to_another_plan_links_to_a_runbook_draft() {
        let page = ScenarioPage {
            id: 1,
            name: "cheaper".into(),
            version: 1,
            hosts: Vec::new(),
            summary: ScenarioSummary::default(),
            current_hosts: vec![
                host("iris", plan(1, "ARM64-4GB")),
                host("hedwig", plan(2, "Start1-XS")),
            ],
            current: ScenarioSummary::default(),
            plans: Vec::new(),
            host_input: ScenarioHostInput::default(),
            rename: String::new(),
            error: None,
        };
        assert_eq!(
            page.runbook_draft(&host("iris", plan(3, "Start1 XS+")))
                .as_deref(),
            Some("/runbooks/move-host-plan/start?host=iris&plan=Start1%20XS%2B")
        );
        assert_eq!(page.runbook_draft(&host("hedwig", plan(2, "Start1-XS"))), None);
        assert_eq!(page.runbook_draft(&host("newcomer", plan(2, "Start1-XS"))), None);
    }
}
