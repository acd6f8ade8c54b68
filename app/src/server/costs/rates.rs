//! Exchange rates: setting them and the reporting currency (audited), and converting the
//! Costs page's grand total.
use sqlx::SqlitePool;

use super::day_text;
use crate::domain::costs::Totals;
use crate::domain::money::Currency;
use crate::domain::rates::{convert_totals, ExchangeRate, NotConverted};
use crate::model::cost_view::{RateView, RatesView};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};

fn rate_line(r: &ExchangeRate) -> String {
    format!("{} from {}", r.text(), day_text(r.valid_from))
}

/// Sets the rate of a pair from a day on; a rate already set for that pair and day is
/// replaced. Recorded in the change log.
pub async fn set_rate(pool: &SqlitePool, actor: &Actor, r: &ExchangeRate) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::costs::rates::put(&mut tx, r).await?;
    let name = format!("{} to {}", r.from, r.to);
    let changes = vec![(
        format!("rate from {}", day_text(r.valid_from)),
        before.map_or(String::new(), |b| b.text()),
        r.text(),
    )];
    let action = if changes[0].1.is_empty() {
        "create"
    } else {
        "update"
    };
    db::audit::record(&mut tx, actor, action, ("currency rate", None, &name), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets (or, with None, clears) the currency the grand total is converted into.
pub async fn set_reporting(pool: &SqlitePool, actor: &Actor, c: Option<Currency>) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::costs::rates::reporting(&mut tx).await?;
    if before != c {
        db::costs::rates::set_reporting(&mut tx, c).await?;
        let text = |c: Option<Currency>| c.map_or(String::new(), |c| c.to_string());
        let changes = vec![("reporting currency".to_owned(), text(before), text(c))];
        db::audit::record(
            &mut tx,
            actor,
            "update",
            ("cost setting", None, "reporting currency"),
            &changes,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The stored rates and `total` converted with those valid on `day`.
pub async fn view(pool: &SqlitePool, total: &Totals, day: i64) -> Result<RatesView, AppError> {
    let rates = db::costs::rates::list(pool).await?;
    let reporting = db::costs::rates::reporting(&mut *pool.acquire().await?).await?;
    Ok(RatesView {
        reporting,
        converted: reporting.and_then(|to| converted(total, to, &rates, day)),
        rates: rates
            .iter()
            .map(|r| RateView {
                rate: r.text(),
                valid_from: day_text(r.valid_from),
            })
            .collect(),
        day: day_text(day),
    })
}

/// `total` in `to`, or why not; None when every amount is in `to` already.
fn converted(
    total: &Totals,
    to: Currency,
    rates: &[ExchangeRate],
    day: i64,
) -> Option<Result<(crate::domain::money::Money, Vec<String>), String>> {
    if total.0.iter().all(|m| m.currency == to) {
        return None;
    }
    Some(match convert_totals(total, to, rates, day) {
        Ok(c) => Ok((c.total, c.used.iter().map(rate_line).collect())),
        Err(NotConverted::Missing(list)) => {
            let codes: Vec<String> = list.iter().map(Currency::to_string).collect();
            Err(format!(
                "No rate to {to} valid on {} for {}: the totals stay per currency.",
                day_text(day),
                codes.join(", ")
            ))
        }
        Err(NotConverted::Overflow) => Err("The converted total is too large to show.".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;
    use crate::domain::rates::parse_rate;
    use crate::domain::time::parse_date;
    use crate::server::db::{audit::Actor, test_pool};

    fn day(s: &str) -> i64 {
        parse_date(s).unwrap() / 86_400
    }

    fn usd_to_eur(rate: &str, from: &str) -> ExchangeRate {
        let (num, den) = parse_rate(rate).unwrap();
        ExchangeRate {
            from: Currency::parse("USD").unwrap(),
            to: Currency::EUR,
            num,
            den,
            valid_from: day(from),
        }
    }

    #[tokio::test]
    async fn a_converted_total_names_its_rate_and_the_change_is_audited() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        set_rate(&pool, &actor, &usd_to_eur("0.90", "2026-01-01"))
            .await
            .unwrap();
        set_rate(&pool, &actor, &usd_to_eur("0.92", "2026-01-01"))
            .await
            .unwrap();
        set_reporting(&pool, &actor, Some(Currency::EUR)).await.unwrap();
        let total = Totals(vec![
            Money::new(400, Currency::EUR),
            Money::new(1000, Currency::parse("USD").unwrap()),
        ]);
        let v = view(&pool, &total, day("2026-03-31")).await.unwrap();
        assert_eq!(v.rates.len(), 1, "the same pair and day is replaced, not added");
        assert_eq!(
            v.converted,
            Some(Ok((
                Money::new(1320, Currency::EUR),
                vec!["1 USD = 0.92 EUR from 2026-01-01".to_owned()]
            )))
        );
        let log = db::audit::latest(&pool, 50).await.unwrap();
        let rates: Vec<_> = log.iter().filter(|e| e.object_kind == "currency rate").collect();
        assert_eq!(rates.len(), 2);
        assert!(log.iter().any(|e| e.object_name == "reporting currency"));
    }

    #[tokio::test]
    async fn without_a_rate_the_totals_stay_per_currency() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        set_reporting(&pool, &actor, Some(Currency::EUR)).await.unwrap();
        let total = Totals(vec![Money::new(1000, Currency::parse("USD").unwrap())]);
        let v = view(&pool, &total, day("2026-03-31")).await.unwrap();
        assert_eq!(
            v.converted,
            Some(Err(
                "No rate to EUR valid on 2026-03-31 for USD: the totals stay per currency.".into()
            ))
        );
        let only_eur = Totals(vec![Money::new(1000, Currency::EUR)]);
        assert_eq!(view(&pool, &only_eur, 0).await.unwrap().converted, None);
    }
}
