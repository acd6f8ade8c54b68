//! Monthly cost roll-ups: calendar months, proration of plan periods, totals per currency.
use serde::{Deserialize, Serialize};
use std::fmt;

use super::money::{Currency, Money};
use super::time::{civil_from_days, days_from_civil};

/// How a month's expected bill is computed, as the Costs page states it.
pub const PRORATION_RULE: &str = "A plan counts in full for every whole month it is active. \
    A period that starts or ends within a month counts for its days only: monthly price × days \
    active ÷ days in that month, rounded to the cent (half up) once per host and month. \
    One-off charges count in full in the month of their date.";

/// A calendar month, counted from year 0 so that months compare and step as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month(pub i64);

impl Month {
    pub fn new(year: i64, month: u32) -> Self {
        Month(year * 12 + i64::from(month.clamp(1, 12)) - 1)
    }

    pub fn year(self) -> i64 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn number(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The month a day (days since 1970-01-01) falls in.
    pub fn of_day(day: i64) -> Self {
        let (y, m, _) = civil_from_days(day);
        Month::new(y, m)
    }

    /// "2026-03"; anything else is refused.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("use a month like 2026-03 (got {s:?})");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2)) {
            return Err(bad());
        }
        match (y.parse::<i64>(), m.parse::<u32>()) {
            (Ok(y), Ok(m)) if (1..=12).contains(&m) => Ok(Month::new(y, m)),
            _ => Err(bad()),
        }
    }

    /// The first day of the month, in days since 1970-01-01.
    pub fn first_day(self) -> i64 {
        days_from_civil(self.year(), self.number(), 1)
    }

    pub fn next(self) -> Self {
        Month(self.0 + 1)
    }

    pub fn days(self) -> i64 {
        self.next().first_day() - self.first_day()
    }

    /// "Mar 2026", for chart labels.
    pub fn short(self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {}", NAMES[self.number() as usize - 1], self.year())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.number())
    }
}

/// A host's monthly rate during a period: plan price (less the IPv4 saving when the host
/// has none) plus extras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub monthly: Money,
}

/// From `start` (a day) until the next period of the same host; `rate` None: not billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: i64,
    pub rate: Option<Rate>,
}

/// What a roll-up needs of one host: its periods sorted by start, its one-off charges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostLedger {
    pub name: String,
    pub periods: Vec<Period>,
    pub charges: Vec<(i64, Money)>,
}

/// Amounts in several currencies, one entry per currency, sorted by currency code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals(pub Vec<Money>);

impl Totals {
    /// Adds an amount to the entry of its currency; None when the sum overflows.
    pub fn add(&mut self, m: Money) -> Option<()> {
        match self.0.binary_search_by(|e| e.currency.cmp(&m.currency)) {
            Ok(i) => self.0[i] = self.0[i].checked_add(m)?,
            Err(i) => self.0.insert(i, m),
        }
        Some(())
    }

    pub fn add_all(&mut self, other: &Totals) -> Option<()> {
        other.0.iter().try_for_each(|m| self.add(*m))
    }

    pub fn get(&self, c: Currency) -> i64 {
        self.0.iter().find(|m| m.currency == c).map_or(0, |m| m.minor)
    }

    /// "4.00 EUR + 3.00 USD", or "0.00" when empty.
    pub fn text(&self) -> String {
        if self.0.is_empty() {
            return "0.00".into();
        }
        self.0
            .iter()
            .map(Money::to_string)
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// One month of a roll-up: each host's expected bill (in the order of the ledgers) and
/// their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCosts {
    pub month: Month,
    pub hosts: Vec<Totals>,
    pub total: Totals,
}

/// `n` / `d` rounded half up (away from zero for negatives); `d` > 0.
fn div_round(n: i128, d: i128) -> i128 {
    if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    }
}

/// The expected bill of every host for every month from `from` to `to` (inclusive).
/// The work is one pass over each host's periods and charges plus one step per month and
/// host, so ten years of fifty hosts is 6,000 cells. None if an amount overflows.
pub fn roll_up(ledgers: &[HostLedger], from: Month, to: Month) -> Option<Vec<MonthCosts>> {
    let count = usize::try_from(to.0 - from.0 + 1).unwrap_or(0);
    let mut per_host: Vec<Vec<Totals>> = Vec::with_capacity(ledgers.len());
    for ledger in ledgers {
        per_host.push(host_months(ledger, from, count)?);
    }
    let mut months = Vec::with_capacity(count);
    for i in 0..count {
        let hosts: Vec<Totals> = per_host.iter_mut().map(|h| std::mem::take(&mut h[i])).collect();
        let mut total = Totals::default();
        for h in &hosts {
            total.add_all(h)?;
        }
        months.push(MonthCosts {
            month: Month(from.0 + i as i64),
            hosts,
            total,
        });
    }
    Some(months)
}

/// One host's bill for `count` months from `from`. Within a month the price × days of its
/// periods are summed exactly and divided once, so splitting a period changes nothing.
fn host_months(ledger: &HostLedger, from: Month, count: usize) -> Option<Vec<Totals>> {
    let range_start = from.first_day();
    let range_end = Month(from.0 + count as i64).first_day();
    // Per month: (currency, Σ price × days).
    let mut sums: Vec<Vec<(Currency, i128)>> = vec![Vec::new(); count];
    for (i, p) in ledger.periods.iter().enumerate() {
        let Some(rate) = p.rate else { continue };
        let end = ledger
            .periods
            .get(i + 1)
            .map_or(range_end, |n| n.start.min(range_end));
        let mut day = p.start.max(range_start);
        while day < end {
            let month = Month::of_day(day);
            let until = month.next().first_day().min(end);
            let slot = &mut sums[(month.0 - from.0) as usize];
            let weight = i128::from(rate.monthly.minor) * i128::from(until - day);
            match slot.iter_mut().find(|(c, _)| *c == rate.monthly.currency) {
                Some((_, n)) => *n += weight,
                None => slot.push((rate.monthly.currency, weight)),
            }
            day = until;
        }
    }
    let mut out = Vec::with_capacity(count);
    for (i, slot) in sums.into_iter().enumerate() {
        let days = i128::from(Month(from.0 + i as i64).days());
        let mut totals = Totals::default();
        for (currency, n) in slot {
            totals.add(Money::new(i64::try_from(div_round(n, days)).ok()?, currency))?;
        }
        out.push(totals);
    }
    for (day, amount) in &ledger.charges {
        if (range_start..range_end).contains(day) {
            out[(Month::of_day(*day).0 - from.0) as usize].add(*amount)?;
        }
    }
    Some(out)
}

/// Splits `total` over parts in proportion to `weights` (largest remainder, so the parts
/// add up exactly); all weights zero or none known: evenly.
pub fn split(total: i64, weights: &[u64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let weights: Vec<u128> = if sum == 0 {
        vec![1; weights.len()]
    } else {
        weights.iter().map(|w| u128::from(*w)).collect()
    };
    let sum: u128 = weights.iter().sum();
    let abs = u128::from(total.unsigned_abs());
    let mut parts: Vec<(usize, u128, u128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (i, abs * w / sum, abs * w % sum))
        .collect();
    let mut left = abs - parts.iter().map(|p| p.1).sum::<u128>();
    parts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for p in parts.iter_mut() {
        if left == 0 {
            break;
        }
        p.1 += 1;
        left -= 1;
    }
    parts.sort_by_key(|p| p.0);
    let sign = if total < 0 { -1 } else { 1 };
    parts.into_iter().map(|p| sign * p.1 as i64).collect()
}

#[cfg(test)]
#[path = "costs_tests.rs"]
mod tests;
