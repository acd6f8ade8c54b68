//! Exchange rates as exact fractions, and totals converted into one reporting currency.
use serde::{Deserialize, Serialize};

use super::costs::Totals;
use super::money::{Currency, Money};

/// How the Costs page converts, as it states it.
pub const CONVERSION_RULE: &str = "Each currency's total is converted once, at the latest rate \
    valid on the last day of the months shown, and rounded to the reporting currency's minor unit, \
    half to even (0.125 → 0.12, 0.135 → 0.14). Amounts already in the reporting currency are not \
    touched, so the converted total is within half a cent per converted currency of the exact value.";

/// 1 `from` is worth `num` / `den` `to`, from day `valid_from` (days since 1970-01-01) on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRate {
    pub from: Currency,
    pub to: Currency,
    pub num: i64,
    pub den: i64,
    pub valid_from: i64,
}

/// Most decimals a rate may have: enough for any published rate.
const MAX_DECIMALS: usize = 9;

/// Reads a rate as people type it ("0.92", "1,0834", "150") into an exact fraction with
/// a power-of-ten denominator. Zero, negative and absurd rates are refused.
pub fn parse_rate(s: &str) -> Result<(i64, i64), String> {
    let s = s.trim();
    let bad = || format!("use a rate like 0.92 or 1,0834 (got {s:?})");
    let (whole, fraction) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || s.ends_with(['.', ',']) {
        return Err(bad());
    }
    if fraction.len() > MAX_DECIMALS {
        return Err(format!("use at most {MAX_DECIMALS} decimals"));
    }
    if whole.trim_start_matches('0').len() > 9 {
        return Err("that rate is too large".into());
    }
    let den = 10_i64.pow(fraction.len() as u32);
    let num = format!("{whole}{fraction}").parse::<i64>().map_err(|_| bad())?;
    if num == 0 {
        return Err("a rate must be more than zero".into());
    }
    Ok((num, den))
}

/// The rate as an exact decimal when its denominator is a power of ten ("0.9234"), else
/// as a fraction ("25/27").
pub fn rate_text(num: i64, den: i64) -> String {
    let mut places = 0;
    let mut d = den;
    while d > 1 && d % 10 == 0 {
        d /= 10;
        places += 1;
    }
    if d != 1 {
        return format!("{num}/{den}");
    }
    let (whole, fraction) = (num / den, num % den);
    if places == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{fraction:0places$}")
    }
}

impl ExchangeRate {
    /// "1 USD = 0.92 EUR".
    pub fn text(&self) -> String {
        format!("1 {} = {} {}", self.from, rate_text(self.num, self.den), self.to)
    }
}

/// `n` / `d` rounded to the nearest integer, a tie to the even one; `d` > 0.
pub fn div_half_even(n: i128, d: i128) -> i128 {
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 != 0 => q + 1,
        _ => q,
    }
}

/// `m` in `to` at `num` / `den` (1 of `m`'s currency = num/den `to`), rounded half to
/// even to `to`'s minor unit; None when it does not fit.
pub fn convert(m: Money, to: Currency, num: i64, den: i64) -> Option<Money> {
    let scale = |c: Currency| 10_i128.pow(c.minor_digits());
    let n = i128::from(m.minor)
        .checked_mul(i128::from(num))?
        .checked_mul(scale(to))?;
    let d = i128::from(den).checked_mul(scale(m.currency))?;
    (d > 0).then_some(())?;
    Some(Money::new(i64::try_from(div_half_even(n, d)).ok()?, to))
}

/// A grand total in the reporting currency and the rates it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    pub total: Money,
    pub used: Vec<ExchangeRate>,
}

/// The rate from `from` to `to` valid on `day`: the latest stored either way round (the
/// reverse one inverted exactly), as stored.
fn rate_on(
    rates: &[ExchangeRate],
    from: Currency,
    to: Currency,
    day: i64,
) -> Option<(ExchangeRate, i64, i64)> {
    rates
        .iter()
        .filter(|r| r.valid_from <= day)
        .filter(|r| (r.from, r.to) == (from, to) || (r.from, r.to) == (to, from))
        .max_by_key(|r| (r.valid_from, r.from == from))
        .map(|r| {
            if r.from == from {
                (*r, r.num, r.den)
            } else {
                (*r, r.den, r.num)
            }
        })
}

/// Why a total could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotConverted {
    /// No rate valid that day links these currencies to the reporting one.
    Missing(Vec<Currency>),
    Overflow,
}

/// `totals` in `to`, each currency converted once at its rate valid on `day`.
pub fn convert_totals(
    totals: &Totals,
    to: Currency,
    rates: &[ExchangeRate],
    day: i64,
) -> Result<Conversion, NotConverted> {
    let mut total = Money::new(0, to);
    let mut used = Vec::new();
    let mut missing = Vec::new();
    for m in &totals.0 {
        let part = if m.currency == to {
            *m
        } else if let Some((rate, num, den)) = rate_on(rates, m.currency, to, day) {
            used.push(rate);
            convert(*m, to, num, den).ok_or(NotConverted::Overflow)?
        } else {
            missing.push(m.currency);
            continue;
        };
        total = total.checked_add(part).ok_or(NotConverted::Overflow)?;
    }
    if missing.is_empty() {
        Ok(Conversion { total, used })
    } else {
        Err(NotConverted::Missing(missing))
    }
}

#[cfg(test)]
#[path = "rates_tests.rs"]
mod tests;
