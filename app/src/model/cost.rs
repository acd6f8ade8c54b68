//! Costs: plans, cost periods, charges, invoices, months and scenarios as submitted and
//! as validated. What the pages show is in `cost_view`.
use serde::{Deserialize, Serialize};

use super::error::FieldErrors;
use super::host::parse_bounded;
use crate::domain::money::{Currency, Money};

mod entries;
mod rates;
pub use entries::*;
pub use rates::*;

/// The answers of a yes/no select.
pub const YES_NO: [&str; 2] = ["yes", "no"];

/// A plan of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    pub provider: String,
    pub name: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    pub price: Money,
    pub ipv4_included: bool,
    /// Taken off the price when the host has no public IPv4.
    pub ipv4_saving: Money,
    pub notes: String,
    pub version: i64,
}

impl Plan {
    /// The monthly price with or without the public IPv4.
    pub fn monthly(&self, ipv4: bool) -> Money {
        if ipv4 || !self.ipv4_included {
            self.price
        } else {
            Money::new(self.price.minor - self.ipv4_saving.minor, self.price.currency)
        }
    }

    /// "Scaleway Start1-XS".
    pub fn label(&self) -> String {
        format!("{} {}", self.provider, self.name)
    }

    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("provider", self.provider.clone()),
            ("name", self.name.clone()),
            ("vcpus", self.vcpus.to_string()),
            ("ram_mib", self.ram_mib.to_string()),
            ("disk_gb", self.disk_gb.to_string()),
            ("price", self.price.to_string()),
            ("ipv4_included", yes_no(self.ipv4_included).into()),
            ("ipv4_saving", self.ipv4_saving.to_string()),
            ("notes", self.notes.clone()),
        ]
    }
}

pub fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// A plan form: every field a string. `id` empty for a new plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub vcpus: String,
    pub ram_mib: String,
    pub disk_gb: String,
    pub price: String,
    pub currency: String,
    pub ipv4_included: String,
    pub ipv4_saving: String,
    pub notes: String,
    pub version: String,
}

/// A checked plan; `id` and `version` set for an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDraft {
    pub id: Option<i64>,
    pub provider: String,
    pub name: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    pub price: Money,
    pub ipv4_included: bool,
    pub ipv4_saving: Money,
    pub notes: String,
    pub version: Option<i64>,
}

impl PlanInput {
    pub fn blank() -> Self {
        Self {
            vcpus: "1".into(),
            ram_mib: "1024".into(),
            disk_gb: "25".into(),
            currency: "EUR".into(),
            ipv4_included: "yes".into(),
            ipv4_saving: "0".into(),
            ..Self::default()
        }
    }

    pub fn from_plan(p: &Plan) -> Self {
        Self {
            id: p.id.to_string(),
            provider: p.provider.clone(),
            name: p.name.clone(),
            vcpus: p.vcpus.to_string(),
            ram_mib: p.ram_mib.to_string(),
            disk_gb: p.disk_gb.to_string(),
            price: p.price.amount(),
            currency: p.price.currency.to_string(),
            ipv4_included: yes_no(p.ipv4_included).into(),
            ipv4_saving: p.ipv4_saving.amount(),
            notes: p.notes.clone(),
            version: p.version.to_string(),
        }
    }

    pub fn parse(&self) -> Result<PlanDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let id = e.check("id", optional_id(&self.id));
        let provider = e.check("provider", text(&self.provider, 64, true));
        let name = e.check("name", text(&self.name, 64, true));
        let vcpus = e.check("vcpus", parse_bounded(&self.vcpus, 1, 1024, "vCPUs"));
        let ram_mib = e.check("ram_mib", parse_bounded(&self.ram_mib, 64, 16 << 20, "RAM (MiB)"));
        let disk_gb = e.check("disk_gb", parse_bounded(&self.disk_gb, 1, 1 << 20, "disk (GB)"));
        let currency = e.check("currency", Currency::parse(&self.currency));
        let price = currency.and_then(|c| e.check("price", non_negative(&self.price, c)));
        let ipv4_included = e.check("ipv4_included", parse_yes_no(&self.ipv4_included));
        let saving = match (currency, self.ipv4_saving.trim()) {
            (Some(c), "") => Some(Money::new(0, c)),
            (Some(c), s) => e.check("ipv4_saving", non_negative(s, c)),
            (None, _) => None,
        };
        if let (Some(p), Some(s)) = (price, saving) {
            if s.minor > p.minor {
                e.add("ipv4_saving", "the saving cannot be more than the price");
            }
        }
        let notes = e.check("notes", text(&self.notes, 2000, false));
        let version = e.check("version", optional_id(&self.version));
        let draft = (|| {
            Some(PlanDraft {
                id: id?,
                provider: provider?,
                name: name?,
                vcpus: vcpus?,
                ram_mib: ram_mib?,
                disk_gb: disk_gb?,
                price: price?,
                ipv4_included: ipv4_included?,
                ipv4_saving: saving?,
                notes: notes?,
                version: version?,
            })
        })();
        match draft {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }
}

pub fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err("choose yes or no".into()),
    }
}

fn non_negative(s: &str, c: Currency) -> Result<Money, String> {
    let m = Money::parse(s, c)?;
    if m.minor < 0 {
        return Err("the amount cannot be negative".into());
    }
    Ok(m)
}

fn optional_id(s: &str) -> Result<Option<i64>, String> {
    match s.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| "the form is damaged; reload the page".into()),
    }
}

/// Trimmed text of at most `max` characters without control characters.
fn text(s: &str, max: usize, required: bool) -> Result<String, String> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err("this field is required".into());
    }
    if s.chars().count() > max {
        return Err(format!("use at most {max} characters"));
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("control characters are not allowed".into());
    }
    Ok(s.to_owned())
}

#[cfg(test)]
#[path = "cost_tests.rs"]
mod tests;
