//! Runbooks: ordered steps with typed parameters, as stored and exchanged (TOML, see
//! docs/RUNBOOKS.md), and the checks every runbook passes before it is saved.
use serde::{Deserialize, Serialize};

use crate::domain::runbook_script;

/// A runbook as its TOML file describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Shipped with Owlery: read-only, "Copy" makes an editable one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub builtin: bool,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// What a parameter's value names, and so how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    Text,
    Host,
    Role,
    Bucket,
    Domain,
    Secret,
    Choice,
    Number,
}

impl ParamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Host => "host",
            Self::Role => "role",
            Self::Bucket => "bucket",
            Self::Domain => "domain",
            Self::Secret => "secret",
            Self::Choice => "choice",
            Self::Number => "number",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    pub label: String,
    pub kind: ParamKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub help: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Instructions and a checkbox.
    Manual,
    /// A script run as an SSH job on the step's hosts.
    Command,
    /// A script whose exit code (and output) decides pass or fail.
    Check,
    /// A co-admin other than the run's starter says go.
    Approval,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Command => "command",
            Self::Check => "check",
            Self::Approval => "approval",
        }
    }

    /// Command and check steps run a script on hosts.
    pub fn runs_script(self) -> bool {
        matches!(self, Self::Command | Self::Check)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub kind: StepKind,
    pub why: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    /// Names of host or role parameters: the step runs on the union of their hosts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub script: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_exit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_pattern: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub point_of_no_return: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rollback: String,
}

impl Step {
    /// The exit code a check passes with.
    pub fn pass_exit(&self) -> i64 {
        self.pass_exit.unwrap_or(0)
    }
}

/// A problem in a runbook: where (`steps[2].script`) and what; the TOML reader adds
/// the line.
pub type Problem = (String, String);

const MAX_TIMEOUT_SECS: u64 = 86_400;

/// `[a-z][a-z0-9_]*` for parameters, `[a-z][a-z0-9-]*` for steps and slugs.
fn is_name(s: &str, extra: char, max: usize) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == extra)
        && s.len() <= max
}

/// A DNS-label-like slug: what a runbook's URL and file name are made of.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if is_name(slug, '-', 63) && !slug.ends_with('-') {
        Ok(())
    } else {
        Err("use lowercase letters, digits and '-', starting with a letter (at most 63)".into())
    }
}

impl Runbook {
    /// Every structural problem at once; an empty list means the runbook may be saved.
    /// Regular expressions are checked by the server, which has the regex engine.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        let mut add = |path: String, msg: &str| out.push((path, msg.to_owned()));
        if let Err(m) = check_slug(&self.slug) {
            add("slug".into(), &m);
        }
        if self.title.trim().is_empty() {
            add("title".into(), "a runbook needs a title");
        }
        let mut names: Vec<&str> = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            let at = |field: &str| format!("params[{i}].{field}");
            if !is_name(&p.name, '_', 40) {
                add(at("name"), "use [a-z][a-z0-9_]*, at most 40 characters");
            } else if runbook_script::RESERVED.contains(&p.name.as_str()) {
                add(at("name"), "this name is reserved for placeholders");
            } else if names.contains(&p.name.as_str()) {
                add(at("name"), "another parameter has this name");
            }
            names.push(&p.name);
            if p.label.trim().is_empty() {
                add(at("label"), "a parameter needs a label");
            }
            match p.kind {
                ParamKind::Choice if p.choices.is_empty() => add(at("choices"), "a choice needs choices"),
                ParamKind::Choice => {
                    if let Some(d) = p.default.as_ref().filter(|d| !p.choices.contains(d)) {
                        add(at("default"), &format!("{d:?} is not one of the choices"));
                    }
                }
                _ if !p.choices.is_empty() => add(at("choices"), "only a choice has choices"),
                _ => {}
            }
            if p.kind != ParamKind::Number && (p.min.is_some() || p.max.is_some()) {
                add(at("min"), "only a number has bounds");
            }
            if let (Some(min), Some(max)) = (p.min, p.max) {
                if min > max {
                    add(at("max"), "max is below min");
                }
            }
            if p.kind == ParamKind::Number {
                if let Some(d) = &p.default {
                    if let Err(m) = number_in(d, p.min, p.max) {
                        add(at("default"), &m);
                    }
                }
            }
            if p.kind != ParamKind::Text && p.pattern.is_some() {
                add(at("pattern"), "only a text has a pattern");
            }
        }
        let mut ids: Vec<&str> = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            let at = |field: &str| format!("steps[{i}].{field}");
            if !is_name(&s.id, '-', 40) {
                add(at("id"), "use [a-z][a-z0-9-]*, at most 40 characters");
            } else if ids.contains(&s.id.as_str()) {
                add(at("id"), "another step has this id");
            }
            ids.push(&s.id);
            if s.title.trim().is_empty() {
                add(at("title"), "a step needs a title");
            }
            if s.why.trim().is_empty() {
                add(at("why"), "every step says why it exists");
            }
            let needs_text = matches!(s.kind, StepKind::Manual | StepKind::Approval);
            if needs_text && s.instructions.trim().is_empty() {
                add(at("instructions"), "manual and approval steps need instructions");
            }
            if s.kind.runs_script() {
                if s.script.trim().is_empty() {
                    add(at("script"), "command and check steps need a script");
                }
                if s.on.is_empty() {
                    add(at("on"), "name the host or role parameters the script runs on");
                }
                for name in &s.on {
                    match self.params.iter().find(|p| &p.name == name) {
                        Some(p) if matches!(p.kind, ParamKind::Host | ParamKind::Role) => {}
                        Some(_) => add(at("on"), &format!("{name} is not a host or role parameter")),
                        None => add(at("on"), &format!("no parameter named {name}")),
                    }
                }
            } else {
                if !s.script.is_empty() || !s.on.is_empty() {
                    add(at("script"), "only command and check steps run a script");
                }
            }
            if s.timeout_secs.is_some_and(|t| t == 0 || t > MAX_TIMEOUT_SECS) {
                add(at("timeout_secs"), "use 1 to 86400 seconds");
            }
            if s.kind != StepKind::Check && (s.pass_exit.is_some() || s.pass_pattern.is_some()) {
                add(at("pass_exit"), "only a check has pass_exit and pass_pattern");
            }
            if s.point_of_no_return && s.rollback.trim().is_empty() {
                add(
                    at("rollback"),
                    "a point of no return needs a written rollback path",
                );
            }
            if s.point_of_no_return && !matches!(s.kind, StepKind::Approval | StepKind::Command) {
                add(
                    at("point_of_no_return"),
                    "only approval and command steps can be one",
                );
            }
        }
        out
    }

    /// Problems in the scripts' placeholders, each with the script line it is on.
    pub fn script_problems(&self) -> Vec<(usize, usize, String)> {
        let hosts: Vec<(&str, bool)> = self
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.kind == ParamKind::Host))
            .collect();
        let mut out = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            for (line, msg) in runbook_script::check(&s.script, &hosts) {
                out.push((i, line, msg));
            }
        }
        out
    }
}

/// A number parameter's value within its bounds.
pub fn number_in(value: &str, min: Option<i64>, max: Option<i64>) -> Result<i64, String> {
    let n: i64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a whole number", value.trim()))?;
    match (min, max) {
        (Some(min), _) if n < min => Err(format!("use at least {min}")),
        (_, Some(max)) if n > max => Err(format!("use at most {max}")),
        _ => Ok(n),
    }
}

#[cfg(all(test, feature = "ssr"))]
#[path = "runbook_tests.rs"]
mod tests;
