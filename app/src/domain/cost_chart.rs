//! The costs chart as an SVG string: bars stacked by host, one per month, a budget line.
//!
//! Rendered on the server so it shows with JavaScript off; every bar segment carries a
//! `<title>`, which browsers show on hover, and the page repeats the figures in a table.
use std::fmt::Write;

use super::costs::Month;
use super::html::push_escaped;
use super::money::{Currency, Money};

const WIDTH: i64 = 720;
const HEIGHT: i64 = 240;
const LEFT: i64 = 64;
const RIGHT: i64 = 8;
const TOP: i64 = 12;
const BOTTOM: i64 = 28;
/// Host colours cycle through this many CSS classes (`seg-0` …).
pub const COLOURS: usize = 8;

/// What the chart shows: per month the amount of each host (in `hosts` order) and the
/// budget, all in one currency.
pub struct ChartData<'a> {
    pub currency: Currency,
    pub hosts: &'a [String],
    pub months: &'a [(Month, Vec<i64>, Option<i64>)],
}

/// The smallest of 1, 2 or 5 × 10ⁿ minor units at least `max`, so the axis reads well.
fn axis_top(max: i64) -> i64 {
    let mut step = 100;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
        if step == i64::MAX {
            return max;
        }
    }
}

pub fn svg(data: &ChartData) -> String {
    let cur = data.currency;
    let money = |m: i64| Money::new(m, cur).to_string();
    let max = data
        .months
        .iter()
        .map(|(_, v, b)| v.iter().filter(|x| **x > 0).sum::<i64>().max(b.unwrap_or(0)))
        .max()
        .unwrap_or(0);
    let top = axis_top(max.max(1));
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |m: i64| TOP + plot_h - (i128::from(m) * i128::from(plot_h) / i128::from(top)) as i64;
    let n = data.months.len().max(1) as i64;
    let slot = (WIDTH - LEFT - RIGHT) / n;
    let bar = slot * 7 / 10;
    let mut out = String::with_capacity(400 + data.months.len() * (200 + data.hosts.len() * 120));
    let _ = write!(
        out,
        "<svg class=\"cost-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"cost-chart-title\">\
         <title id=\"cost-chart-title\">Expected cost per month in {cur}, stacked by host</title>"
    );
    for tick in [0, top / 2, top] {
        let ty = y(tick);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\"/>\
             <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6,
            ty + 4,
            money(tick)
        );
    }
    let mut budget_points = Vec::new();
    for (i, (month, values, budget)) in data.months.iter().enumerate() {
        let x = LEFT + i as i64 * slot + (slot - bar) / 2;
        let total: i64 = values.iter().sum();
        let over = budget.is_some_and(|b| total > b);
        let _ = write!(
            out,
            "<g class=\"month{}\"><title>{}: {}{}</title>",
            if over { " over" } else { "" },
            month.short(),
            money(total),
            if over { " (over budget)" } else { "" }
        );
        let mut base = 0;
        for (h, value) in values.iter().enumerate() {
            if *value <= 0 {
                continue;
            }
            let (y1, y0) = (y(base + value), y(base));
            let _ = write!(
                out,
                "<rect class=\"seg-{}\" x=\"{x}\" y=\"{y1}\" width=\"{bar}\" height=\"{}\"><title>",
                h % COLOURS,
                (y0 - y1).max(1)
            );
            push_escaped(&mut out, data.hosts.get(h).map_or("?", String::as_str));
            let _ = write!(out, ", {}: {}</title></rect>", month.short(), money(*value));
            base += value;
        }
        let _ = write!(
            out,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            x + bar / 2,
            HEIGHT - BOTTOM + 16,
            month.short()
        );
        if let Some(b) = budget {
            budget_points.push(format!(
                "{},{} {},{}",
                LEFT + i as i64 * slot,
                y(*b),
                LEFT + (i as i64 + 1) * slot,
                y(*b)
            ));
        }
    }
    if !budget_points.is_empty() {
        let _ = write!(
            out,
            "<polyline class=\"budget\" points=\"{}\"><title>Monthly budget</title></polyline>",
            budget_points.join(" ")
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_a_round_amount() {
        assert_eq!(axis_top(1), 100);
        assert_eq!(axis_top(600), 1000);
        assert_eq!(axis_top(150), 200);
        assert_eq!(axis_top(401), 500);
    }

    #[test]
    fn a_two_month_chart_has_a_titled_segment_per_host_and_a_budget_line() {
        let hosts = vec!["iris".to_string(), "<b>".to_string()];
        let months = vec![
            (Month::parse("2026-02").unwrap(), vec![600, 0], Some(500)),
            (Month::parse("2026-03").unwrap(), vec![0, 400], Some(500)),
        ];
        let svg = svg(&ChartData {
            currency: Currency::EUR,
            hosts: &hosts,
            months: &months,
        });
        assert_eq!(
            svg,
            "<svg class=\"cost-chart\" viewBox=\"0 0 720 240\" role=\"img\" aria-labelledby=\"cost-chart-title\">\
             <title id=\"cost-chart-title\">Expected cost per month in EUR, stacked by host</title>\
             <line class=\"grid\" x1=\"64\" y1=\"212\" x2=\"712\" y2=\"212\"/><text class=\"axis\" x=\"58\" y=\"216\" text-anchor=\"end\">0.00 EUR</text>\
             <line class=\"grid\" x1=\"64\" y1=\"112\" x2=\"712\" y2=\"112\"/><text class=\"axis\" x=\"58\" y=\"116\" text-anchor=\"end\">5.00 EUR</text>\
             <line class=\"grid\" x1=\"64\" y1=\"12\" x2=\"712\" y2=\"12\"/><text class=\"axis\" x=\"58\" y=\"16\" text-anchor=\"end\">10.00 EUR</text>\
             <g class=\"month over\"><title>Feb 2026: 6.00 EUR (over budget)</title>\
             <rect class=\"seg-0\" x=\"113\" y=\"92\" width=\"226\" height=\"120\"><title>iris, Feb 2026: 6.00 EUR</title></rect>\
             <text class=\"axis\" x=\"226\" y=\"228\" text-anchor=\"middle\">Feb 2026</text></g>\
             <g class=\"month\"><title>Mar 2026: 4.00 EUR</title>\
             <rect class=\"seg-1\" x=\"437\" y=\"132\" width=\"226\" height=\"80\"><title>&lt;b&gt;, Mar 2026: 4.00 EUR</title></rect>\
             <text class=\"axis\" x=\"550\" y=\"228\" text-anchor=\"middle\">Mar 2026</text></g>\
             <polyline class=\"budget\" points=\"64,112 388,112 388,112 712,112\"><title>Monthly budget</title></polyline></svg>"
        );
    }
}
