//! The months table as one HTML string: ten years of fifty hosts is 6,000 cells, too
//! many to build as nodes on the server and walk again when hydrating.
use std::fmt::Write;

use crate::domain::costs::Totals;
use crate::domain::html::push_escaped;
use crate::domain::url::encode_component;
use crate::model::cost_view::MonthRow;

fn totals(out: &mut String, t: &Totals) {
    push_escaped(out, &t.text());
}

/// The header row: month, a column per host (linked to its cost history), the figures.
pub fn head_html(hosts: &[String]) -> String {
    let mut out = String::from("<tr><th scope=\"col\">Month</th>");
    for h in hosts {
        out.push_str("<th scope=\"col\" class=\"num\"><a href=\"/costs/hosts/");
        push_escaped(&mut out, &encode_component(h));
        out.push_str("\">");
        push_escaped(&mut out, h);
        out.push_str("</a></th>");
    }
    out.push_str(
        "<th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Invoiced</th>\
         <th scope=\"col\" class=\"num\">Difference</th><th scope=\"col\" class=\"num\">Budget</th>\
         <th scope=\"col\" class=\"num\">Active users</th><th scope=\"col\" class=\"num\">Per user</th></tr>",
    );
    out
}

/// One `<tr>` per month, newest first; a month over budget is marked in words too.
pub fn rows_html(months: &[MonthRow]) -> String {
    let mut out =
        String::with_capacity(months.len() * (200 + months.first().map_or(0, |m| m.hosts.len()) * 40));
    for m in months.iter().rev() {
        let _ = write!(
            out,
            "<tr{} data-month=\"{}\"><th scope=\"row\">{}",
            if m.over_budget { " class=\"over\"" } else { "" },
            m.month,
            m.month
        );
        if m.over_budget {
            out.push_str(" <span class=\"badge warn\">⚠ over budget</span>");
        }
        out.push_str("</th>");
        for h in &m.hosts {
            out.push_str("<td class=\"num\">");
            if h.0.is_empty() {
                // Not billed that month: a dash, not an amount without a currency.
                out.push('—');
            } else {
                totals(&mut out, h);
            }
            out.push_str("</td>");
        }
        out.push_str("<td class=\"num expected\">");
        totals(&mut out, &m.expected);
        out.push_str("</td><td class=\"num\">");
        match &m.invoiced {
            Some(t) => totals(&mut out, t),
            None => out.push('—'),
        }
        out.push_str("</td><td class=\"num\">");
        match &m.difference {
            Some(t) => totals(&mut out, t),
            None => out.push('—'),
        }
        out.push_str("</td><td class=\"num\">");
        match &m.budget {
            Some(b) => push_escaped(&mut out, &b.to_string()),
            None => out.push('—'),
        }
        out.push_str("</td><td class=\"num\">");
        match m.active_users {
            Some(u) => {
                let _ = write!(out, "{u}");
            }
            None => out.push('—'),
        }
        out.push_str("</td><td class=\"num\">");
        match &m.per_user {
            Some(t) => totals(&mut out, t),
            None => out.push('—'),
        }
        out.push_str("</td></tr>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::costs::Month;
    use crate::domain::money::{Currency, Money};

    fn eur(m: i64) -> Totals {
        Totals(vec![Money::new(m, Currency::EUR)])
    }

    #[test]
    fn the_header_links_each_host_to_its_cost_history() {
        assert_eq!(
            head_html(&["a b".into()]),
            "<tr><th scope=\"col\">Month</th><th scope=\"col\" class=\"num\"><a href=\"/costs/hosts/a%20b\">a b</a></th>\
             <th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Invoiced</th>\
             <th scope=\"col\" class=\"num\">Difference</th><th scope=\"col\" class=\"num\">Budget</th>\
             <th scope=\"col\" class=\"num\">Active users</th><th scope=\"col\" class=\"num\">Per user</th></tr>"
        );
    }

    #[test]
    fn a_month_over_budget_says_so_and_missing_figures_show_a_dash() {
        let row = MonthRow {
            month: Month::new(2026, 2),
            hosts: vec![eur(600)],
            expected: eur(600),
            invoiced: Some(eur(612)),
            difference: Some(eur(12)),
            budget: Some(Money::new(500, Currency::EUR)),
            over_budget: true,
            active_users: None,
            per_user: None,
        };
        assert_eq!(
            rows_html(&[row]),
            "<tr class=\"over\" data-month=\"2026-02\"><th scope=\"row\">2026-02 <span class=\"badge warn\">⚠ over budget</span></th>\
             <td class=\"num\">6.00 EUR</td><td class=\"num expected\">6.00 EUR</td><td class=\"num\">6.12 EUR</td>\
             <td class=\"num\">0.12 EUR</td><td class=\"num\">5.00 EUR</td><td class=\"num\">—</td><td class=\"num\">—</td></tr>"
        );
    }
}
