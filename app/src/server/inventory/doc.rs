//! The inventory file: one TOML document with a list per kind of object, and the
//! problems found reading one, each at its line and field.
use std::fmt;

use serde::{Deserialize, Serialize};

use super::lines::Lines;
use super::sections::buckets::BucketDoc;
use super::sections::hosts::HostDoc;
use super::sections::mail::MailDoc;
use super::sections::mesh::{LinkDoc, NodeDoc};
use super::sections::services::ServiceDoc;

/// The version of the file format this Owlery reads and writes.
pub const FORMAT: u32 = 1;

const HEADER: &str = "# The inventory of an Owlery console (`owlery export`).\n\
# No secret is in this file, only the names under which the secret store keeps them.\n\
# `owlery import FILE` (or Import / export in the console) shows what it would change\n\
# and applies it only when confirmed.\n\n";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub format: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<HostDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<BucketDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_domains: Vec<MailDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh_nodes: Vec<NodeDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh_links: Vec<LinkDoc>,
}

/// Something wrong in an imported file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub path: String,
    pub message: String,
}

impl Problem {
    /// A problem with the value at `path` (`hosts[2].ipv4`), located through `lines`.
    pub fn at(lines: &Lines, path: String, message: impl Into<String>) -> Self {
        Self {
            line: lines.line_of(&path),
            path,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.path.is_empty()) {
            (Some(line), false) => write!(f, "line {line}, {}: {}", self.path, self.message),
            (Some(line), true) => write!(f, "line {line}: {}", self.message),
            (None, false) => write!(f, "{}: {}", self.path, self.message),
            (None, true) => f.write_str(&self.message),
        }
    }
}

/// Reads the document's structure; values are checked afterwards, section by section.
pub fn parse(text: &str, lines: &Lines) -> Result<Inventory, Problem> {
    let inventory: Inventory = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| lines.line_at(span.start));
        Problem {
            line,
            path: line.and_then(|l| lines.path_on(l)).unwrap_or_default().to_owned(),
            message: e.message().trim().to_owned(),
        }
    })?;
    if inventory.format != FORMAT {
        return Err(Problem::at(
            lines,
            "format".into(),
            format!(
                "this Owlery reads format {FORMAT}, the file says {}",
                inventory.format
            ),
        ));
    }
    Ok(inventory)
}

/// The document as `owlery export` writes it: the same inventory gives the same text.
pub fn write(inventory: &Inventory) -> Result<String, toml::ser::Error> {
    Ok(format!("{HEADER}{}", toml::to_string(inventory)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Problem {
        parse(text, &Lines::of(text)).expect_err("refused")
    }

    #[test]
    fn a_wrong_type_is_reported_at_its_line_and_field() {
        let p = problem("format = 1\n\n[[hosts]]\nname = \"hermes\"\nvcpus = \"one\"\n");
        assert_eq!(p.line, Some(5));
        assert_eq!(p.path, "hosts[0].vcpus");
        assert!(p.message.contains("invalid type"), "{}", p.message);
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let p = problem("format = 1\n[[hosts]]\nname = \"hermes\"\ncolour = \"red\"\n");
        assert_eq!(p.line, Some(4));
        assert!(p.message.contains("unknown field `colour`"), "{}", p.message);
    }

    #[test]
    fn another_format_is_refused_with_its_number() {
        let p = problem("format = 7\n");
        assert_eq!(
            p.to_string(),
            "line 1, format: this Owlery reads format 1, the file says 7"
        );
    }

    #[test]
    fn broken_toml_is_reported_at_its_line() {
        let p = problem("format = 1\n[[hosts]\n");
        assert_eq!(p.line, Some(2));
    }
}
