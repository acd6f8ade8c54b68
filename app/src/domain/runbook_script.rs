//! Runbook scripts: finding `{{placeholders}}`, checking them against the parameters,
//! and expanding each into exactly one single-quoted shell word (never spliced raw).
use super::shell::quote;

/// Names a parameter may not take: they mean something else in a placeholder.
pub const RESERVED: [&str; 2] = ["target", "file"];

/// A host's inventory field a placeholder can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostField {
    Mesh,
    Ipv4,
    Ipv6,
    Ssh,
}

impl HostField {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "mesh" => Some(Self::Mesh),
            "ipv4" => Some(Self::Ipv4),
            "ipv6" => Some(Self::Ipv6),
            "ssh" => Some(Self::Ssh),
            _ => None,
        }
    }
}

/// What one placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// A parameter's value (a host parameter's host name).
    Param(String),
    /// A field of the host a host parameter names.
    ParamHost(String, HostField),
    /// The host the script runs on right now (its name, or a field).
    Target(Option<HostField>),
    /// A generated file for the target host, as one word.
    File(String),
}

/// Messages each with the 1-based script line they are about.
pub type LineMessages = Vec<(usize, String)>;

/// Each placeholder with its 1-based line in the script, or the problems found.
pub fn placeholders(script: &str) -> Result<Vec<(usize, Placeholder)>, LineMessages> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in script.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                problems.push((i + 1, "'{{' without a closing '}}'".to_owned()));
                break;
            };
            let inner = after[..end].trim();
            match parse_one(inner) {
                Ok(p) => found.push((i + 1, p)),
                Err(m) => problems.push((i + 1, m)),
            }
            rest = &after[end + 2..];
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn parse_one(inner: &str) -> Result<Placeholder, String> {
    if let Some(kind) = inner.strip_prefix("file:") {
        let ok = !kind.is_empty()
            && kind
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' || c == '.');
        return if ok {
            Ok(Placeholder::File(kind.to_owned()))
        } else {
            Err(format!(
                "unknown placeholder {{{{{inner}}}}}: a file kind is [a-z0-9-_.]+"
            ))
        };
    }
    let (name, field) = match inner.split_once('.') {
        Some((name, field)) => match HostField::parse(field) {
            Some(f) => (name, Some(f)),
            None => {
                return Err(format!(
                    "unknown placeholder {{{{{inner}}}}}: a host field is mesh, ipv4, ipv6 or ssh"
                ))
            }
        },
        None => (inner, None),
    };
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!("unknown placeholder {{{{{inner}}}}}"));
    }
    Ok(match (name, field) {
        ("target", f) => Placeholder::Target(f),
        (name, Some(f)) => Placeholder::ParamHost(name.to_owned(), f),
        (name, None) => Placeholder::Param(name.to_owned()),
    })
}

/// Problems of a script against the runbook's parameters (name, is a host parameter),
/// each with its script line.
pub fn check(script: &str, params: &[(&str, bool)]) -> Vec<(usize, String)> {
    let found = match placeholders(script) {
        Ok(found) => found,
        Err(problems) => return problems,
    };
    let mut problems = Vec::new();
    for (line, p) in found {
        let (name, wants_host) = match &p {
            Placeholder::Param(name) => (name, false),
            Placeholder::ParamHost(name, _) => (name, true),
            _ => continue,
        };
        match params.iter().find(|(n, _)| n == name) {
            None => problems.push((
                line,
                format!("unknown placeholder {{{{{name}}}}}: no such parameter"),
            )),
            Some((_, false)) if wants_host => problems.push((
                line,
                format!("{name} is not a host parameter, so it has no host fields"),
            )),
            Some(_) => {}
        }
    }
    problems
}

/// The script with each placeholder replaced by its value as one quoted shell word.
/// `resolve` gives a placeholder's raw value; its error names what is missing.
pub fn expand(
    script: &str,
    mut resolve: impl FnMut(&Placeholder) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("'{{' without a closing '}}'")?;
        let placeholder = parse_one(after[..end].trim())?;
        let value = resolve(&placeholder)?;
        if value.contains('\0') {
            return Err("a value holds a NUL byte, which no shell argument can carry".into());
        }
        out.push_str(&quote(&value));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
#[path = "runbook_script_tests.rs"]
mod tests;
