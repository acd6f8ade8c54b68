//! The cost forms besides plans: periods, charges, invoices, months, scenario hosts.
use serde::{Deserialize, Serialize};

use super::{non_negative, parse_yes_no, text};
use crate::domain::costs::Month;
use crate::domain::money::{Currency, Money};
use crate::domain::time::parse_date;
use crate::model::error::FieldErrors;
use crate::model::host::parse_bounded;

/// "Change plan from date": a new period of a host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodInput {
    pub host: String,
    pub start: String,
    /// A plan id, or "none" for "no longer billed".
    pub plan: String,
    pub ipv4: String,
    pub extras: String,
    pub extras_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodDraft {
    pub host: String,
    pub start_day: i64,
    pub plan_id: Option<i64>,
    pub ipv4: bool,
    /// In minor units of the plan's currency (checked against it when stored).
    pub extras: String,
    pub extras_note: String,
}

impl PeriodInput {
    pub fn parse(&self) -> Result<PeriodDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let start = e.check("start", parse_date(&self.start).map(|s| s / 86_400));
        let plan = match self.plan.trim() {
            "none" => Some(None),
            s => e.check(
                "plan",
                s.parse::<i64>().map(Some).map_err(|_| "choose a plan".to_owned()),
            ),
        };
        let ipv4 = e.check("ipv4", parse_yes_no(&self.ipv4));
        let note = e.check("extras_note", text(&self.extras_note, 200, false));
        match (start, plan, ipv4, note) {
            (Some(start_day), Some(plan_id), Some(ipv4), Some(extras_note)) if e.is_empty() => {
                Ok(PeriodDraft {
                    host: self.host.trim().to_owned(),
                    start_day,
                    plan_id,
                    ipv4,
                    extras: self.extras.trim().to_owned(),
                    extras_note,
                })
            }
            _ => Err(e),
        }
    }
}

/// A one-off charge (or a credit, negative) of a host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeInput {
    pub host: String,
    pub day: String,
    pub amount: String,
    pub currency: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeDraft {
    pub host: String,
    pub day: i64,
    pub amount: Money,
    pub note: String,
}

impl ChargeInput {
    pub fn parse(&self) -> Result<ChargeDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let day = e.check("day", parse_date(&self.day).map(|s| s / 86_400));
        let currency = e.check("currency", Currency::parse(&self.currency));
        let amount = currency.and_then(|c| e.check("amount", Money::parse(&self.amount, c)));
        let note = e.check("note", text(&self.note, 200, true));
        match (day, amount, note) {
            (Some(day), Some(amount), Some(note)) if e.is_empty() => Ok(ChargeDraft {
                host: self.host.trim().to_owned(),
                day,
                amount,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// An invoice as entered by hand or read from one CSV line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceInput {
    pub month: String,
    pub provider: String,
    pub number: String,
    pub amount: String,
    pub currency: String,
}

/// A checked invoice. It is known by (provider, number): entering it again replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub month: Month,
    pub provider: String,
    pub number: String,
    pub amount: Money,
}

impl InvoiceInput {
    pub fn parse(&self) -> Result<Invoice, FieldErrors> {
        let mut e = FieldErrors::default();
        let month = e.check("month", Month::parse(&self.month));
        let provider = e.check("provider", text(&self.provider, 64, true));
        let number = e.check("number", text(&self.number, 64, true));
        let currency = e.check("currency", Currency::parse(&self.currency));
        let amount = currency.and_then(|c| e.check("amount", Money::parse(&self.amount, c)));
        match (month, provider, number, amount) {
            (Some(month), Some(provider), Some(number), Some(amount)) if e.is_empty() => Ok(Invoice {
                month,
                provider,
                number,
                amount,
            }),
            _ => Err(e),
        }
    }
}

/// The budget (from this month on) and the active users of one month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthInput {
    pub month: String,
    pub budget: String,
    pub currency: String,
    pub active_users: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthDraft {
    pub month: Month,
    pub budget: Option<Money>,
    pub active_users: Option<u32>,
}

impl MonthInput {
    pub fn parse(&self) -> Result<MonthDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let month = e.check("month", Month::parse(&self.month));
        let budget = match self.budget.trim() {
            "" => Some(None),
            b => Currency::parse(&self.currency)
                .map_err(|m| e.add("currency", m))
                .ok()
                .and_then(|c| e.check("budget", non_negative(b, c)).map(Some)),
        };
        let users = match self.active_users.trim() {
            "" => Some(None),
            u => e.check(
                "active_users",
                parse_bounded(u, 0, 100_000_000, "active users").map(Some),
            ),
        };
        match (month, budget, users) {
            (Some(month), Some(budget), Some(active_users)) if e.is_empty() => Ok(MonthDraft {
                month,
                budget,
                active_users,
            }),
            _ => Err(e),
        }
    }
}

/// A host to add to a what-if scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioHostInput {
    pub name: String,
    pub plan: String,
    pub ipv4: String,
}

impl ScenarioHostInput {
    pub fn parse(&self) -> Result<(String, i64, bool), FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", text(&self.name, 64, true));
        let plan = e.check(
            "plan",
            self.plan
                .trim()
                .parse::<i64>()
                .map_err(|_| "choose a plan".to_owned()),
        );
        let ipv4 = e.check("ipv4", parse_yes_no(&self.ipv4));
        match (name, plan, ipv4) {
            (Some(n), Some(p), Some(i)) if e.is_empty() => Ok((n, p, i)),
            _ => Err(e),
        }
    }
}

/// A scenario name: required, at most 80 characters.
pub fn parse_scenario_name(s: &str) -> Result<String, String> {
    text(s, 80, true)
}
