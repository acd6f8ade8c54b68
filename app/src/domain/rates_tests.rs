use super::*;
use proptest::prelude::*;

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn rate(from: Currency, to: Currency, text: &str, valid_from: i64) -> ExchangeRate {
    let (num, den) = parse_rate(text).unwrap();
    ExchangeRate {
        from,
        to,
        num,
        den,
        valid_from,
    }
}

#[test]
fn rates_are_read_as_exact_fractions() {
    assert_eq!(parse_rate("0.92"), Ok((92, 100)));
    assert_eq!(parse_rate("1,0834"), Ok((10834, 10000)));
    assert_eq!(parse_rate(" 150 "), Ok((150, 1)));
    assert_eq!(parse_rate("0.000000001"), Ok((1, 1_000_000_000)));
    for bad in [
        "",
        "0",
        "0.00",
        "-1",
        "1e3",
        ".5",
        "1.",
        "abc",
        "1.2.3",
        "0.0000000001",
        "9999999999",
    ] {
        assert!(parse_rate(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_rate_shows_as_it_was_typed() {
    assert_eq!(
        rate(usd(), Currency::EUR, "0.9200", 0).text(),
        "1 USD = 0.9200 EUR"
    );
    assert_eq!(rate_text(150, 1), "150");
    assert_eq!(rate_text(5, 1000), "0.005");
    assert_eq!(rate_text(100, 92), "100/92");
}

#[test]
fn halves_round_to_the_even_cent() {
    assert_eq!(div_half_even(25, 10), 2);
    assert_eq!(div_half_even(35, 10), 4);
    assert_eq!(div_half_even(26, 10), 3);
    assert_eq!(div_half_even(24, 10), 2);
    assert_eq!(div_half_even(-25, 10), -2);
    assert_eq!(div_half_even(-35, 10), -4);
    assert_eq!(div_half_even(-26, 10), -3);
}

#[test]
fn conversion_rounds_half_to_even_on_the_minor_unit() {
    // 0.25 USD at 0.5 is 0.125 EUR: a tie, to the even 0.12; 0.27 USD is 0.135: to 0.14.
    assert_eq!(
        convert(Money::new(25, usd()), Currency::EUR, 5, 10),
        Some(Money::new(12, Currency::EUR))
    );
    assert_eq!(
        convert(Money::new(27, usd()), Currency::EUR, 5, 10),
        Some(Money::new(14, Currency::EUR))
    );
    // 1200 JPY at 0.0061 EUR is 7.32 EUR: the yen has no minor unit, the euro two.
    let jpy = Currency::parse("JPY").unwrap();
    assert_eq!(
        convert(Money::new(1200, jpy), Currency::EUR, 61, 10_000),
        Some(Money::new(732, Currency::EUR))
    );
    assert_eq!(
        convert(Money::new(732, Currency::EUR), jpy, 10_000, 61),
        Some(Money::new(1200, jpy))
    );
}

#[test]
fn a_total_converts_when_every_currency_has_a_rate() {
    let totals = Totals(vec![Money::new(400, Currency::EUR), Money::new(1000, usd())]);
    let rates = [
        rate(usd(), Currency::EUR, "0.90", 10),
        rate(usd(), Currency::EUR, "0.92", 20),
    ];
    let c = convert_totals(&totals, Currency::EUR, &rates, 25).unwrap();
    assert_eq!(c.total.to_string(), "13.20 EUR");
    assert_eq!(c.used, vec![rates[1]]);
    // On day 15 only the older rate holds.
    assert_eq!(
        convert_totals(&totals, Currency::EUR, &rates, 15)
            .unwrap()
            .total
            .to_string(),
        "13.00 EUR"
    );
}

#[test]
fn a_reverse_rate_is_inverted_exactly() {
    let totals = Totals(vec![Money::new(1000, usd())]);
    let rates = [rate(Currency::EUR, usd(), "1.25", 0)];
    assert_eq!(
        convert_totals(&totals, Currency::EUR, &rates, 0)
            .unwrap()
            .total
            .to_string(),
        "8.00 EUR"
    );
}

#[test]
fn a_currency_without_a_rate_keeps_the_totals_apart() {
    let gbp = Currency::parse("GBP").unwrap();
    let totals = Totals(vec![
        Money::new(400, Currency::EUR),
        Money::new(1000, gbp),
        Money::new(1, usd()),
    ]);
    let rates = [
        rate(usd(), Currency::EUR, "0.92", 0),
        rate(gbp, Currency::EUR, "1.17", 100),
    ];
    assert_eq!(
        convert_totals(&totals, Currency::EUR, &rates, 50),
        Err(NotConverted::Missing(vec![gbp]))
    );
}

fn any_currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["EUR", "USD", "GBP", "JPY", "KWD"]).prop_map(|c| Currency::parse(c).unwrap())
}

proptest! {
    /// Converting each amount then summing lands within half a minor unit per amount and
    /// per currency of summing per currency then converting (what the page does).
    #[test]
    fn converting_then_summing_matches_summing_then_converting(
        amounts in prop::collection::vec((any_currency(), -10_000_000i64..10_000_000), 0..30),
        nums in prop::collection::vec(1i64..5_000_000, 5),
    ) {
        let to = Currency::EUR;
        let codes = ["EUR", "USD", "GBP", "JPY", "KWD"];
        let rates: Vec<ExchangeRate> = codes.iter().zip(&nums).skip(1).map(|(c, n)| ExchangeRate {
            from: Currency::parse(c).unwrap(), to, num: *n, den: 1_000_000, valid_from: 0,
        }).collect();
        let mut totals = Totals::default();
        let mut one_by_one = 0i64;
        for (c, minor) in &amounts {
            let m = Money::new(*minor, *c);
            totals.add(m).unwrap();
            one_by_one += convert_totals(&Totals(vec![m]), to, &rates, 0).unwrap().total.minor;
        }
        let summed = convert_totals(&totals, to, &rates, 0).unwrap().total.minor;
        let bound = (amounts.len() + totals.0.len()) as i64;
        prop_assert!(2 * (one_by_one - summed).abs() <= bound, "{one_by_one} vs {summed}");
    }

    /// A converted amount is the exact value rounded: never more than half a minor unit off.
    #[test]
    fn a_conversion_is_off_by_at_most_half_a_minor_unit(minor in -1_000_000_000i64..1_000_000_000, num in 1i64..10_000_000) {
        let m = Money::new(minor, usd());
        let c = convert(m, Currency::EUR, num, 1_000_000).unwrap();
        let exact_times_den = i128::from(minor) * i128::from(num);
        let off = i128::from(c.minor) * 1_000_000 - exact_times_den;
        prop_assert!(2 * off.abs() <= 1_000_000);
    }
}
