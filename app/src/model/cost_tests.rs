//! Tests of the cost forms' parsing.
use super::*;
use crate::domain::time::parse_date;

fn plan_input() -> PlanInput {
    PlanInput {
        provider: "Scaleway".into(),
        name: "Start1-XS".into(),
        price: "2,00".into(),
        ipv4_saving: "1".into(),
        ..PlanInput::blank()
    }
}

#[test]
fn a_plan_form_parses_prices_into_minor_units() {
    let d = plan_input().parse().expect("valid");
    assert_eq!(d.price, Money::new(200, Currency::EUR));
    assert_eq!(d.ipv4_saving, Money::new(100, Currency::EUR));
    assert!(d.ipv4_included);
    assert_eq!(d.id, None);
}

#[test]
fn a_plan_form_reports_each_bad_field() {
    let input = PlanInput {
        name: " ".into(),
        price: "2.005".into(),
        currency: "EURO".into(),
        ipv4_included: "maybe".into(),
        ..plan_input()
    };
    let e = input.parse().expect_err("invalid");
    for field in ["name", "currency", "ipv4_included"] {
        assert!(e.get(field).is_some(), "{field}: {e}");
    }
    let e = PlanInput {
        price: "2.005".into(),
        ..plan_input()
    }
    .parse()
    .expect_err("too many decimals");
    assert_eq!(e.get("price"), Some("EUR has 2 decimals at most"));
}

#[test]
fn an_ipv4_saving_above_the_price_is_refused() {
    let e = PlanInput {
        ipv4_saving: "3".into(),
        ..plan_input()
    }
    .parse()
    .expect_err("saving too large");
    assert!(e.get("ipv4_saving").is_some());
}

#[test]
fn a_plan_without_ipv4_costs_less_by_the_saving() {
    let d = plan_input().parse().unwrap();
    let plan = Plan {
        id: 1,
        provider: d.provider,
        name: d.name,
        vcpus: 1,
        ram_mib: 1024,
        disk_gb: 25,
        price: d.price,
        ipv4_included: true,
        ipv4_saving: d.ipv4_saving,
        notes: String::new(),
        version: 1,
    };
    assert_eq!(plan.monthly(true).to_string(), "2.00 EUR");
    assert_eq!(plan.monthly(false).to_string(), "1.00 EUR");
}

#[test]
fn a_period_starts_on_a_day_and_may_end_billing() {
    let input = PeriodInput {
        host: "iris".into(),
        start: "2026-03-16".into(),
        plan: "none".into(),
        ipv4: "no".into(),
        ..PeriodInput::default()
    };
    let d = input.parse().expect("valid");
    assert_eq!(d.plan_id, None);
    assert_eq!(d.start_day * 86_400, parse_date("2026-03-16").unwrap());
    let bad = PeriodInput {
        start: "2026-02-30".into(),
        plan: "".into(),
        ..input
    };
    let e = bad.parse().expect_err("invalid");
    assert!(e.get("start").is_some() && e.get("plan").is_some(), "{e}");
}

#[test]
fn an_invoice_needs_a_month_a_number_and_an_amount() {
    let input = InvoiceInput {
        month: "2026-03".into(),
        provider: "Scaleway".into(),
        number: "INV-1".into(),
        amount: "4.12".into(),
        currency: "eur".into(),
    };
    assert_eq!(input.parse().unwrap().amount, Money::new(412, Currency::EUR));
    let e = InvoiceInput {
        month: "March".into(),
        number: "".into(),
        ..input
    }
    .parse()
    .expect_err("invalid");
    assert!(e.get("month").is_some() && e.get("number").is_some(), "{e}");
}

#[test]
fn a_month_may_set_a_budget_users_or_both() {
    let d = MonthInput {
        month: "2026-04".into(),
        budget: "5".into(),
        currency: "EUR".into(),
        active_users: "".into(),
    }
    .parse()
    .unwrap();
    assert_eq!(d.budget, Some(Money::new(500, Currency::EUR)));
    assert_eq!(d.active_users, None);
    let e = MonthInput {
        month: "2026-04".into(),
        budget: "-5".into(),
        currency: "EUR".into(),
        active_users: "many".into(),
    }
    .parse()
    .expect_err("invalid");
    assert!(
        e.get("budget").is_some() && e.get("active_users").is_some(),
        "{e}"
    );
}
