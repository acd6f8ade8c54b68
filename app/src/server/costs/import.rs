//! Invoices from CSV: `month,provider,number,amount,currency`, comma or semicolon separated.
use crate::model::cost::{Invoice, InvoiceInput};
use crate::model::AppError;

/// The most lines one import takes.
const MAX_LINES: usize = 5000;

/// Splits one line into fields: `sep` separates, double quotes enclose a field that holds
/// the separator ("1,50"), a doubled quote inside is a quote.
fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = out.last_mut() {
                    f.push('"');
                }
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(String::new()),
            c => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out
}

/// Reads every line; a header line (starting with "month") is skipped. Any bad line
/// refuses the whole import, naming up to five lines, so nothing is half imported.
pub fn parse(csv: &str) -> Result<Vec<Invoice>, AppError> {
    let lines: Vec<(usize, &str)> = csv
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(AppError::field("csv", "paste at least one invoice line"));
    }
    if lines.len() > MAX_LINES {
        return Err(AppError::field(
            "csv",
            format!("import at most {MAX_LINES} lines at once"),
        ));
    }
    let sep = if lines[0].1.contains(';') { ';' } else { ',' };
    let mut invoices = Vec::with_capacity(lines.len());
    let mut problems = Vec::new();
    for (n, line) in lines {
        let f = fields(line, sep);
        if n == 1 && f.first().is_some_and(|h| h.trim().eq_ignore_ascii_case("month")) {
            continue;
        }
        let [month, provider, number, amount, currency] = f.as_slice() else {
            problems.push(format!(
                "line {n}: expected 5 fields (month, provider, number, amount, currency), found {}",
                f.len()
            ));
            continue;
        };
        let input = InvoiceInput {
            month: month.clone(),
            provider: provider.clone(),
            number: number.clone(),
            amount: amount.clone(),
            currency: currency.clone(),
        };
        match input.parse() {
            Ok(i) => invoices.push(i),
            Err(e) => problems.push(format!("line {n}: {e}")),
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(5);
        let mut message = problems.into_iter().take(5).collect::<Vec<_>>().join("; ");
        if more > 0 {
            message.push_str(&format!("; and {more} more"));
        }
        return Err(AppError::field("csv", message));
    }
    Ok(invoices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_and_semicolon_files_read_alike() {
        let a = parse("month,provider,number,amount,currency\n2026-03,Scaleway,INV-1,4.00,EUR\n").unwrap();
        let b = parse("2026-03;Scaleway;INV-1;4,00;EUR").unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].amount.to_string(), "4.00 EUR");
    }

    #[test]
    fn a_quoted_amount_may_hold_the_separator() {
        let i = parse("2026-03,\"Scale, Inc\",\"INV \"\"7\"\"\",\"1,50\",EUR").unwrap();
        assert_eq!(i[0].provider, "Scale, Inc");
        assert_eq!(i[0].number, "INV \"7\"");
        assert_eq!(i[0].amount.minor, 150);
    }

    #[test]
    fn a_bad_line_refuses_the_import_and_is_named() {
        let e =
            parse("2026-03,Scaleway,INV-1,4.00,EUR\n2026-13,Scaleway,INV-2,x,EUR\nshort,line").unwrap_err();
        let message = e.field_message("csv").unwrap();
        assert!(message.starts_with("line 2: "), "{message}");
        assert!(message.contains("line 3: expected 5 fields"), "{message}");
        assert!(parse("\n\n").is_err());
    }
}
