//! The exchange-rate form and the reporting currency, as submitted and as checked.
use serde::{Deserialize, Serialize};

use crate::domain::money::Currency;
use crate::domain::rates::{parse_rate, ExchangeRate};
use crate::domain::time::parse_date;
use crate::model::error::FieldErrors;

/// "1 `from` = `rate` `to` from `valid_from`".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateInput {
    pub from: String,
    pub to: String,
    pub rate: String,
    pub valid_from: String,
}

impl RateInput {
    pub fn parse(&self) -> Result<ExchangeRate, FieldErrors> {
        let mut e = FieldErrors::default();
        let from = e.check("from", Currency::parse(&self.from));
        let to = e.check("to", Currency::parse(&self.to));
        if let (Some(f), Some(t)) = (from, to) {
            if f == t {
                e.add("to", "choose a currency other than the one converted from");
            }
        }
        let rate = e.check("rate", parse_rate(&self.rate));
        let day = e.check("valid_from", parse_date(&self.valid_from).map(|s| s / 86_400));
        match (from, to, rate, day) {
            (Some(from), Some(to), Some((num, den)), Some(valid_from)) if e.is_empty() => Ok(ExchangeRate {
                from,
                to,
                num,
                den,
                valid_from,
            }),
            _ => Err(e),
        }
    }
}

/// The reporting currency: a code, or empty for "no converted total".
pub fn parse_reporting(s: &str) -> Result<Option<Currency>, FieldErrors> {
    match s.trim() {
        "" => Ok(None),
        s => Currency::parse(s)
            .map(Some)
            .map_err(|m| FieldErrors::single("currency", m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(from: &str, to: &str, rate: &str, day: &str) -> RateInput {
        RateInput {
            from: from.into(),
            to: to.into(),
            rate: rate.into(),
            valid_from: day.into(),
        }
    }

    #[test]
    fn a_rate_form_becomes_an_exact_rate_from_a_day() {
        let r = input("usd", "EUR", "0,92", "2026-01-01").parse().unwrap();
        assert_eq!(r.text(), "1 USD = 0.92 EUR");
        assert_eq!(r.valid_from, parse_date("2026-01-01").unwrap() / 86_400);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let e = input("EUR", "eur", "0", "2026-02-30").parse().unwrap_err();
        assert_eq!(
            e.get("to"),
            Some("choose a currency other than the one converted from")
        );
        assert_eq!(e.get("rate"), Some("a rate must be more than zero"));
        assert!(e.get("valid_from").is_some());
        assert!(e.get("from").is_none());
    }

    #[test]
    fn an_empty_reporting_currency_means_no_conversion() {
        assert_eq!(parse_reporting(" "), Ok(None));
        assert_eq!(
            parse_reporting("chf").map(|c| c.map(|c| c.to_string())),
            Ok(Some("CHF".into()))
        );
        assert!(parse_reporting("euro").is_err());
    }
}
