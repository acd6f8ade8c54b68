//! Tests of the cost roll-ups: hand-checked months and properties over random periods.
use super::*;
use crate::domain::time::parse_date;
use proptest::prelude::*;

fn day(s: &str) -> i64 {
    parse_date(s).expect("date") / 86_400
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn period(start: &str, minor: Option<i64>) -> Period {
    Period {
        start: day(start),
        rate: minor.map(|m| Rate { monthly: eur(m) }),
    }
}

fn ledger(periods: Vec<Period>) -> HostLedger {
    HostLedger {
        name: "h".into(),
        periods,
        charges: Vec::new(),
    }
}

fn bills(l: &HostLedger, from: &str, to: &str) -> Vec<i64> {
    let months = roll_up(
        std::slice::from_ref(l),
        Month::parse(from).unwrap(),
        Month::parse(to).unwrap(),
    )
    .unwrap();
    months.iter().map(|m| m.total.get(Currency::EUR)).collect()
}

#[test]
fn months_parse_print_and_know_their_length() {
    let m = Month::parse("2028-02").unwrap();
    assert_eq!(m.to_string(), "2028-02");
    assert_eq!(m.days(), 29, "2028 is a leap year");
    assert_eq!(Month::parse("2026-02").unwrap().days(), 28);
    assert_eq!(Month::parse("2026-12").unwrap().next().to_string(), "2027-01");
    assert_eq!(Month::of_day(day("2026-03-31")).to_string(), "2026-03");
    assert_eq!(Month::parse("2026-03").unwrap().short(), "Mar 2026");
    for bad in ["2026-13", "2026-3", "26-03", "2026/03", ""] {
        assert!(Month::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_period_starting_mid_month_is_prorated_by_days() {
    // 6.00 EUR from 16 March: 16 of 31 days = 3.0967… -> 3.10 EUR.
    let l = ledger(vec![period("2026-03-16", Some(600))]);
    assert_eq!(bills(&l, "2026-02", "2026-04"), vec![0, 310, 600]);
}

#[test]
fn a_plan_change_on_the_first_gives_whole_months_on_each_side() {
    let l = ledger(vec![
        period("2025-01-01", Some(600)),
        period("2026-03-01", Some(200)),
    ]);
    assert_eq!(bills(&l, "2026-02", "2026-03"), vec![600, 200]);
}

#[test]
fn a_plan_change_on_the_31st_splits_the_month() {
    // 30 days at 6.00 and 1 day at 2.00 over 31: (18000 + 200) / 31 = 587.1 -> 5.87 EUR.
    let l = ledger(vec![
        period("2025-01-01", Some(600)),
        period("2026-03-31", Some(200)),
    ]);
    assert_eq!(bills(&l, "2026-03", "2026-04"), vec![587, 200]);
}

#[test]
fn proration_in_a_leap_february_uses_29_days() {
    // 3.00 EUR for 15 of 29 days: 1.5517… -> 1.55 EUR.
    let l = ledger(vec![period("2028-02-15", Some(300))]);
    assert_eq!(bills(&l, "2028-02", "2028-03"), vec![155, 300]);
}

#[test]
fn a_host_no_longer_billed_costs_nothing_after_its_end() {
    let l = ledger(vec![period("2025-01-01", Some(600)), period("2026-03-16", None)]);
    // 15 of 31 days of 6.00: 2.9032… -> 2.90 EUR.
    assert_eq!(bills(&l, "2026-03", "2026-04"), vec![290, 0]);
}

#[test]
fn one_off_charges_count_in_their_month_in_full() {
    let mut l = ledger(vec![period("2026-01-01", Some(200))]);
    l.charges.push((day("2026-02-10"), eur(150)));
    l.charges.push((day("2026-03-10"), eur(-50)));
    assert_eq!(bills(&l, "2026-02", "2026-03"), vec![350, 150]);
}

#[test]
fn currencies_are_totalled_separately() {
    let usd = Currency::parse("USD").unwrap();
    let mut other = ledger(vec![Period {
        start: day("2026-01-01"),
        rate: Some(Rate {
            monthly: Money::new(500, usd),
        }),
    }]);
    other.name = "other".into();
    let months = roll_up(
        &[ledger(vec![period("2026-01-01", Some(200))]), other],
        Month::parse("2026-01").unwrap(),
        Month::parse("2026-01").unwrap(),
    )
    .unwrap();
    assert_eq!(months[0].total.text(), "2.00 EUR + 5.00 USD");
}

#[test]
fn split_follows_the_weights_and_keeps_the_total() {
    assert_eq!(split(200, &[512, 512]), vec![100, 100]);
    assert_eq!(split(100, &[1, 1, 1]), vec![34, 33, 33]);
    assert_eq!(split(100, &[0, 0]), vec![50, 50], "no weights: evenly");
    assert_eq!(split(-100, &[3, 1]), vec![-75, -25]);
    assert_eq!(split(5, &[]), Vec::<i64>::new());
}

/// Random periods for a few hosts between 2023 and 2029, sorted by start, some unbilled.
fn any_ledgers() -> impl Strategy<Value = Vec<HostLedger>> {
    let period = (0i64..2500, proptest::option::weighted(0.85, 0i64..100_000));
    let host = proptest::collection::vec(period, 0..6).prop_map(|mut ps| {
        ps.sort_by_key(|p| p.0);
        ps.dedup_by_key(|p| p.0);
        let base = day("2023-01-01");
        ledger(
            ps.into_iter()
                .map(|(d, m)| Period {
                    start: base + d,
                    rate: m.map(|m| Rate { monthly: eur(m) }),
                })
                .collect(),
        )
    });
    proptest::collection::vec(host, 1..5)
}

proptest! {
    #[test]
    fn the_month_total_is_the_sum_of_its_hosts(ledgers in any_ledgers()) {
        let months = roll_up(&ledgers, Month::parse("2023-01").unwrap(), Month::parse("2029-12").unwrap()).unwrap();
        for m in months {
            let sum: i64 = m.hosts.iter().map(|h| h.get(Currency::EUR)).sum();
            prop_assert_eq!(m.total.get(Currency::EUR), sum);
        }
    }

    #[test]
    fn splitting_a_period_at_any_date_keeps_every_month(ledgers in any_ledgers(), host in 0usize..5, at in 1i64..2500) {
        let host = host % ledgers.len();
        let mut split_ledgers = ledgers.clone();
        let periods = &mut split_ledgers[host].periods;
        let cut = day("2023-01-01") + at;
        // The period running at `cut` continues unchanged as a new period from `cut`.
        if let Some(i) = periods.iter().rposition(|p| p.start < cut) {
            if periods.get(i + 1).is_none_or(|n| n.start > cut) {
                let copy = Period { start: cut, ..periods[i] };
                periods.insert(i + 1, copy);
            }
        }
        let (from, to) = (Month::parse("2023-01").unwrap(), Month::parse("2029-12").unwrap());
        prop_assert_eq!(roll_up(&ledgers, from, to), roll_up(&split_ledgers, from, to));
    }

    #[test]
    fn a_whole_month_costs_its_monthly_price(start in 0i64..2000, minor in 0i64..1_000_000) {
        let first = Month::of_day(day("2023-01-01") + start).next();
        let l = ledger(vec![Period { start: first.first_day(), rate: Some(Rate { monthly: eur(minor) }) }]);
        let months = roll_up(&[l], first, Month(first.0 + 2)).unwrap();
        for m in months {
            prop_assert_eq!(m.total.get(Currency::EUR), minor);
        }
    }

    #[test]
    fn split_parts_always_add_up(total in -1_000_000i64..1_000_000, weights in proptest::collection::vec(0u64..10_000, 1..8)) {
        prop_assert_eq!(split(total, &weights).iter().sum::<i64>(), total);
    }
}
