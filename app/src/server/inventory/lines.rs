//! Where each value of a TOML document sits: `hosts[2].ipv4` -> line 14, so that a
//! problem in an imported file is reported at its line and field.
use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

/// Lines (1-based) of every key in a document, by path (`hosts[2].ipv4`, `hosts[2]`).
#[derive(Debug, Default)]
pub struct Lines {
    by_path: HashMap<String, usize>,
    starts: Vec<usize>,
}

impl Lines {
    /// Maps a document that is known to parse; a document that does not parse maps to
    /// nothing and its parse error carries its own position.
    pub fn of(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut lines = Lines {
            by_path: HashMap::new(),
            starts,
        };
        if let Ok(root) = DeTable::parse(text) {
            lines.walk_table("", root.get_ref());
        }
        lines
    }

    /// The line of a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The line of `path`, or of the nearest enclosing item that has one.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(line) = self.by_path.get(path) {
                return Some(*line);
            }
            path = &path[..path.rfind(['.', '['])?];
        }
    }

    /// The path of the key written on `line`, if one starts there.
    pub fn path_on(&self, line: usize) -> Option<&str> {
        self.by_path
            .iter()
            .filter(|(_, l)| **l == line)
            .map(|(p, _)| p.as_str())
            .max_by_key(|p| p.len())
    }

    fn walk_table(&mut self, prefix: &str, table: &DeTable<'_>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            let line = self.line_at(key.span().start);
            self.by_path.insert(path.clone(), line);
            self.walk_value(&path, value.get_ref(), value.span().start);
        }
    }

    fn walk_value(&mut self, path: &str, value: &DeValue<'_>, start: usize) {
        match value {
            DeValue::Table(table) => self.walk_table(path, table),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    // An array of tables starts where its `[[header]]` is; the span of
                    // the item is the best position we have for it.
                    let line = self.line_at(item.span().start.max(start));
                    self.by_path.entry(item_path.clone()).or_insert(line);
                    self.walk_value(&item_path, item.get_ref(), item.span().start);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "format = 1\n\n[[hosts]]\nname = \"hermes\"\nipv4 = \"192.0.2.20\"\n\n[[hosts]]\nname = \"hedwig\"\ntags = [\"workers\", \"media\"]\n";

    #[test]
    fn each_key_is_found_at_its_line() {
        let lines = Lines::of(DOC);
        assert_eq!(lines.line_of("format"), Some(1));
        assert_eq!(lines.line_of("hosts[0].name"), Some(4));
        assert_eq!(lines.line_of("hosts[0].ipv4"), Some(5));
        assert_eq!(lines.line_of("hosts[1].tags"), Some(9));
    }

    #[test]
    fn a_missing_field_falls_back_to_its_item() {
        let lines = Lines::of(DOC);
        assert_eq!(lines.line_of("hosts[1].ipv6"), lines.line_of("hosts[1]"));
        assert!(lines.line_of("hosts[1]").is_some_and(|l| (7..=8).contains(&l)));
    }

    #[test]
    fn offsets_map_to_lines() {
        let lines = Lines::of(DOC);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(DOC.find("hedwig").unwrap()), 8);
        assert_eq!(lines.path_on(5), Some("hosts[0].ipv4"));
    }
}
