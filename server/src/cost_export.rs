//! The Costs page as CSV: `GET /costs.csv?from=YYYY-MM&to=YYYY-MM`, one line per month
//! and item (each billed host, the expected total, the invoiced total, the budget).
use app::domain::costs::{Month, Totals};
use app::model::cost_view::CostsPage;
use app::model::user::Role;
use app::server::auth::Session;
use app::server::{costs, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

use crate::audit_export::record;

#[derive(Deserialize)]
pub struct Range {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

const COLUMNS: [&str; 4] = ["month", "item", "currency", "amount"];

pub async fn export(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    query: Result<Query<Range>, QueryRejection>,
) -> Response {
    // The session guard has refused anonymous callers already; this holds on its own.
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    if !session.user.can(Role::Viewer) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let Ok(Query(range)) = query else {
        return (StatusCode::BAD_REQUEST, "the range is malformed").into_response();
    };
    let (default_from, default_to) = costs::last_twelve_months();
    let month = |s: &str, default: Month| match s.trim() {
        "" => Ok(default),
        s => Month::parse(s),
    };
    let (from, to) = match (month(&range.from, default_from), month(&range.to, default_to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return (StatusCode::UNPROCESSABLE_ENTITY, e).into_response(),
    };
    let page = match costs::page::costs_page(&state.db, from, to).await {
        Ok(page) => page,
        Err(e) => {
            return (
                StatusCode::from_u16(e.status_code()).unwrap_or_default(),
                e.to_string(),
            )
                .into_response()
        }
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"owlery-costs-{from}-{to}.csv\""),
            ),
        ],
        csv(&page),
    )
        .into_response()
}

/// The figures of the page, oldest month first; amounts with the currency's decimals.
pub fn csv(page: &CostsPage) -> String {
    let mut out = String::with_capacity(64 + page.months.len() * (page.hosts.len() + 3) * 32);
    record(&mut out, &COLUMNS);
    let lines = |out: &mut String, month: &Month, item: &str, t: &Totals| {
        for m in &t.0 {
            let month = month.to_string();
            record(out, &[month.as_str(), item, m.currency.as_str(), &m.amount()]);
        }
    };
    for m in &page.months {
        for (host, t) in page.hosts.iter().zip(&m.hosts) {
            lines(&mut out, &m.month, host, t);
        }
        lines(&mut out, &m.month, "expected total", &m.expected);
        if let Some(i) = &m.invoiced {
            lines(&mut out, &m.month, "invoiced", i);
        }
        if let Some(b) = m.budget {
            lines(&mut out, &m.month, "budget", &Totals(vec![b]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::money::{Currency, Money};
    use app::model::cost_view::MonthRow;

    fn eur(m: i64) -> Totals {
        Totals(vec![Money::new(m, Currency::EUR)])
    }

    #[test]
    fn each_month_lists_its_hosts_then_the_totals() {
        let month = |m: u32, host: i64, invoiced: Option<i64>| MonthRow {
            month: Month::new(2026, m),
            hosts: vec![eur(host)],
            expected: eur(host),
            invoiced: invoiced.map(eur),
            difference: None,
            budget: Some(Money::new(500, Currency::EUR)),
            over_budget: host > 500,
            active_users: None,
            per_user: None,
        };
        let page = CostsPage {
            from: Month::new(2026, 2),
            to: Month::new(2026, 3),
            hosts: vec!["iris".into()],
            all_hosts: vec!["iris".into()],
            months: vec![month(2, 600, Some(600)), month(3, 290, None)],
            total: eur(890),
            chart_svg: String::new(),
            chart_hosts: Vec::new(),
            services_month: Month::new(2026, 3),
            services: Vec::new(),
            invoices: Vec::new(),
            rates: Default::default(),
            forms: Default::default(),
            error: None,
        };
        assert_eq!(
            csv(&page),
            "month,item,currency,amount\r\n\
             2026-02,iris,EUR,6.00\r\n2026-02,expected total,EUR,6.00\r\n2026-02,invoiced,EUR,6.00\r\n\
             2026-02,budget,EUR,5.00\r\n\
             2026-03,iris,EUR,2.90\r\n2026-03,expected total,EUR,2.90\r\n2026-03,budget,EUR,5.00\r\n"
        );
    }
}
