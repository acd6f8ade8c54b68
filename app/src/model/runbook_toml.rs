//! Reading and writing runbook TOML files, with every problem at its line and field.
use regex::Regex;

use super::runbook::Runbook;
use crate::server::inventory::lines::Lines;

/// A problem in a runbook file: line (1-based), field path, message.
pub type LineProblem = (usize, String, String);

/// Parses and checks a runbook file; every problem found is reported at once.
pub fn parse_toml(text: &str) -> Result<Runbook, Vec<LineProblem>> {
    let lines = Lines::of(text);
    let runbook: Runbook = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map_or(1, |s| lines.line_at(s.start));
            let path = lines.path_on(line).unwrap_or_default().to_owned();
            return Err(vec![(line, path, e.message().trim().to_owned())]);
        }
    };
    let at = |path: &str| lines.line_of(path).unwrap_or(1);
    let mut problems: Vec<LineProblem> = runbook
        .problems()
        .into_iter()
        .map(|(path, msg)| (at(&path), path, msg))
        .collect();
    for (step, script_line, msg) in runbook.script_problems() {
        let path = format!("steps[{step}].script");
        let key_line = at(&path);
        // A multi-line string starts on the line after its opening quotes.
        let opens_block = text
            .lines()
            .nth(key_line.saturating_sub(1))
            .is_some_and(|l| l.trim_end().ends_with("\"\"\"") || l.trim_end().ends_with("'''"));
        let line = key_line + script_line - usize::from(!opens_block);
        problems.push((line, path, msg));
    }
    for (i, p) in runbook.params.iter().enumerate() {
        if let Some(Err(e)) = p.pattern.as_deref().map(Regex::new) {
            let path = format!("params[{i}].pattern");
            problems.push((at(&path), path, format!("not a regular expression: {e}")));
        }
    }
    for (i, s) in runbook.steps.iter().enumerate() {
        if let Some(Err(e)) = s.pass_pattern.as_deref().map(Regex::new) {
            let path = format!("steps[{i}].pass_pattern");
            problems.push((at(&path), path, format!("not a regular expression: {e}")));
        }
    }
    if problems.is_empty() {
        Ok(runbook)
    } else {
        problems.sort();
        Err(problems)
    }
}

/// The runbook as a TOML file.
pub fn to_toml(runbook: &Runbook) -> Result<String, String> {
    toml::to_string_pretty(runbook).map_err(|e| e.to_string())
}

/// Problems as one message, a line each: what the import and edit forms show.
pub fn describe(problems: &[LineProblem]) -> String {
    problems
        .iter()
        .map(|(line, path, msg)| match path.is_empty() {
            true => format!("line {line}: {msg}"),
            false => format!("line {line} ({path}): {msg}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
