//! Money as an integer count of a currency's minor unit, never a float.
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code: three uppercase ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    /// Accepts "eur" as well as "EUR"; anything but three letters is refused.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        match s.as_bytes() {
            [a, b, c] if s.bytes().all(|b| b.is_ascii_alphabetic()) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(format!("use a three-letter currency code like EUR (got {s:?})")),
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters get in through `parse`.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal point (ISO 4217); two for every code not listed.
    pub fn minor_digits(&self) -> u32 {
        match self.as_str() {
            "JPY" | "KRW" | "ISK" | "CLP" | "VND" | "XOF" | "XAF" | "UGX" | "PYG" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount: `minor` units (cents) of `currency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// The sum, or None when the currencies differ or the sum overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money::new(self.minor.checked_add(other.minor)?, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money::new(self.minor.checked_sub(other.minor)?, self.currency))
    }

    /// Reads an amount as people type it: "2", "2.00", "1,50", "-3.5". More decimals
    /// than the currency has are refused rather than rounded.
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, String> {
        let s = amount.trim();
        let bad = || format!("use an amount like 2.00 or 1,50 (got {s:?})");
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, fraction) = match digits.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || digits.ends_with(['.', ',']) {
            return Err(bad());
        }
        let places = currency.minor_digits();
        if fraction.len() > places as usize {
            return Err(match places {
                0 => format!("{currency} has no minor unit: use a whole amount"),
                n => format!("{currency} has {n} decimals at most"),
            });
        }
        let too_big = || "that amount is too large".to_owned();
        let scale = 10_i64.pow(places);
        let whole: i64 = whole.parse().map_err(|_| too_big())?;
        let padded = format!("{fraction:0<width$}", width = places as usize);
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| bad())?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(too_big)?;
        Ok(Money::new(if negative { -minor } else { minor }, currency))
    }

    /// "6.00", "-0.50", "1200" (JPY): the amount with the currency's decimals.
    pub fn amount(&self) -> String {
        let places = self.currency.minor_digits();
        if places == 0 {
            return self.minor.to_string();
        }
        let scale = 10_u64.pow(places);
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = places as usize
        )
    }
}

impl fmt::Display for Money {
    /// "6.00 EUR", as the UI shows money everywhere.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str) -> Result<i64, String> {
        Money::parse(s, Currency::EUR).map(|m| m.minor)
    }

    #[test]
    fn amounts_parse_with_a_point_or_a_comma() {
        assert_eq!(eur("2"), Ok(200));
        assert_eq!(eur("2.00"), Ok(200));
        assert_eq!(eur("1,50"), Ok(150));
        assert_eq!(eur("1.5"), Ok(150));
        assert_eq!(eur(" 0.07 "), Ok(7));
        assert_eq!(eur("-3.25"), Ok(-325));
    }

    #[test]
    fn more_decimals_than_the_currency_has_are_refused() {
        assert_eq!(eur("1.005"), Err("EUR has 2 decimals at most".into()));
        let yen = Currency::parse("jpy").unwrap();
        assert_eq!(Money::parse("1200", yen).map(|m| m.minor), Ok(1200));
        assert!(Money::parse("1200.5", yen).is_err());
        let dinar = Currency::parse("KWD").unwrap();
        assert_eq!(Money::parse("1.005", dinar).map(|m| m.minor), Ok(1005));
    }

    #[test]
    fn garbage_and_overflow_are_refused() {
        for bad in [
            "",
            "-",
            "1.",
            ".5",
            "1.2.3",
            "1e3",
            "abc",
            "1 000",
            "+1",
            "99999999999999999999",
        ] {
            assert!(eur(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn money_shows_its_decimals_and_currency() {
        assert_eq!(Money::new(600, Currency::EUR).to_string(), "6.00 EUR");
        assert_eq!(Money::new(-50, Currency::EUR).to_string(), "-0.50 EUR");
        assert_eq!(
            Money::new(1200, Currency::parse("JPY").unwrap()).to_string(),
            "1200 JPY"
        );
    }

    #[test]
    fn sums_refuse_mixed_currencies_and_overflow() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(Money::new(1, Currency::EUR).checked_add(Money::new(1, usd)), None);
        assert_eq!(
            Money::new(i64::MAX, Currency::EUR).checked_add(Money::new(1, Currency::EUR)),
            None
        );
        assert_eq!(
            Money::new(300, Currency::EUR).checked_sub(Money::new(100, Currency::EUR)),
            Some(Money::new(200, Currency::EUR))
        );
    }

    #[test]
    fn currency_codes_are_three_letters() {
        assert_eq!(Currency::parse("eur").map(|c| c.to_string()), Ok("EUR".into()));
        for bad in ["", "EU", "EURO", "E1R", "€"] {
            assert!(Currency::parse(bad).is_err(), "{bad:?}");
        }
    }
}
