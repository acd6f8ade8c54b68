//! Mastodon's `.env.production`: reading dotenv files and merging three of them (the
//! source host's, what the inventory says, the target's), with secret values masked.
use serde::{Deserialize, Serialize};

/// One `KEY=value` line as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// A file as dotenv reads it: the settings in file order (a key set twice keeps its
/// last value, as dotenv does, at the place of its first line), and what looked wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvFile {
    pub entries: Vec<Entry>,
    pub problems: Vec<String>,
}

impl EnvFile {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.value.as_str())
    }
}

fn is_key(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Reads a dotenv file: `KEY=value`, `export KEY=value`, blank lines and `#` comments;
/// values bare (a ` #` starts a comment), in single quotes (literal) or in double quotes
/// (`\n`, `\"`, `\\` and `\$` unescaped). A quote left open is a problem, not a guess.
pub fn parse(text: &str) -> EnvFile {
    let mut file = EnvFile::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed).trim_start();
        let Some((key, rest)) = body.split_once('=') else {
            file.problems
                .push(format!("line {line}: not KEY=value, left out"));
            continue;
        };
        let key = key.trim_end();
        if !is_key(key) {
            file.problems
                .push(format!("line {line}: {key:?} is not a variable name, left out"));
            continue;
        }
        let value = match value(rest.trim_start()) {
            Ok(v) => v,
            Err(why) => {
                file.problems.push(format!("line {line}: {key}: {why}, left out"));
                continue;
            }
        };
        match file.entries.iter_mut().find(|e| e.key == key) {
            Some(first) => {
                file.problems.push(format!(
                    "line {line}: {key} is set again (first on line {}); the last value counts",
                    first.line
                ));
                first.value = value;
            }
            None => file.entries.push(Entry {
                key: key.to_owned(),
                value,
                line,
            }),
        }
    }
    file
}

/// The value after `=`, quotes removed.
fn value(rest: &str) -> Result<String, String> {
    let mut chars = rest.chars();
    let (closed_at, out) = match chars.next() {
        Some('\'') => match rest[1..].find('\'') {
            Some(end) => (end + 2, rest[1..end + 1].to_owned()),
            None => return Err("the single quote is never closed".into()),
        },
        Some('"') => {
            let mut out = String::new();
            let mut escaped = false;
            let mut end = None;
            for (i, c) in rest.char_indices().skip(1) {
                match (escaped, c) {
                    (true, 'n') => out.push('\n'),
                    (true, c) => {
                        if !matches!(c, '"' | '\\' | '$') {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    (false, '\\') => {
                        escaped = true;
                        continue;
                    }
                    (false, '"') => {
                        end = Some(i + 1);
                        break;
                    }
                    (false, c) => out.push(c),
                }
                escaped = false;
            }
            match end {
                Some(end) => (end, out),
                None => return Err("the double quote is never closed".into()),
            }
        }
        _ => {
            let bare = match rest.find(" #").or_else(|| rest.find("\t#")) {
                Some(at) => &rest[..at],
                None => rest,
            };
            return Ok(bare.trim_end().to_owned());
        }
    };
    let after = rest[closed_at..].trim_start();
    if after.is_empty() || after.starts_with('#') {
        Ok(out)
    } else {
        Err(format!("{after:?} follows the closing quote"))
    }
}

/// Writes a value so `parse` (and dotenv) reads it back unchanged: bare when it is a
/// plain word, else in single quotes, else in double quotes with escapes.
pub fn quote(value: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,:/@%+=[]<>*".contains(c);
    if value.chars().all(plain) && !value.is_empty() {
        value.to_owned()
    } else if !value.contains(['\'', '\n']) {
        format!("'{value}'")
    } else {
        let mut out = String::from("\"");
        for c in value.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '"' | '\\' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// Keys whose values are secrets: they are never rendered, only compared.
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    let words: Vec<&str> = k.split('_').collect();
    let has = |w: &str| words.contains(&w);
    let public = has("PUBLIC");
    k.contains("SECRET")
        || k.contains("PASSWORD")
        || has("PASS")
        || has("TOKEN")
        || has("SALT")
        || has("PRIVATE")
        || (words.last() == Some(&"KEY") && !public)
        // URLs of databases carry a password in their user part.
        || (words.last() == Some(&"URL") && (has("DATABASE") || has("REDIS")))
}

/// Which file a merged value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Base,
    Ours,
    Theirs,
}

/// One key of the merge: its value in each file, the merged value and whether a human
/// must look at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRow {
    pub key: String,
    pub base: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
    pub merged: Option<String>,
    pub from: Option<Side>,
    pub conflict: bool,
    pub secret: bool,
}

/// A generated value that only names where the real one is (`<secret x in Owlery>`):
/// it says the inventory manages the key but cannot give its value.
fn placeholder(v: &str) -> bool {
    v.starts_with('<') && v.ends_with('>')
}

/// Settings that exclude each other: when the inventory sets one, the other is dropped.
/// Path-style buckets need S3_HOSTNAME; S3_ALIAS_HOST left over from a test instance
/// makes Mastodon drop the bucket from its media links (the article's first mistake).
const EXCLUSIVE: [(&str, &str); 1] = [("S3_HOSTNAME", "S3_ALIAS_HOST")];

fn excluded_by(ours: &EnvFile, key: &str) -> bool {
    EXCLUSIVE
        .iter()
        .any(|(a, b)| (key == *a && ours.get(b).is_some()) || (key == *b && ours.get(a).is_some()))
}

/// Merges per key, in the order base, ours, theirs first name them:
/// - the inventory (ours) gives the value of every key it sets; the row is a conflict
///   when the target holds a third value, neither the source's nor the inventory's;
/// - where ours only names a secret, the target's value is taken (the test instance
///   ran with it), else the source's; with neither the row is a conflict;
/// - any other key keeps the source's value (the instance being moved, with its
///   identity and secrets); a target value that differs is a conflict;
/// - a key only the target sets is kept;
/// - a key the inventory's setting excludes (see EXCLUSIVE) is dropped, as a conflict.
pub fn merge(base: &EnvFile, ours: &EnvFile, theirs: &EnvFile) -> Vec<MergeRow> {
    let mut keys: Vec<&str> = Vec::new();
    for e in base.entries.iter().chain(&ours.entries).chain(&theirs.entries) {
        if !keys.contains(&e.key.as_str()) {
            keys.push(&e.key);
        }
    }
    keys.into_iter()
        .map(|key| {
            let (b, o, t) = (base.get(key), ours.get(key), theirs.get(key));
            let (merged, from, conflict) = match (b, o, t) {
                _ if excluded_by(ours, key) => (None, Side::Ours, true),
                (_, Some(o), t) if !placeholder(o) => {
                    (Some(o), Side::Ours, t.is_some_and(|t| t != o && Some(t) != b))
                }
                (_, Some(_), Some(t)) => (Some(t), Side::Theirs, false),
                (Some(b), Some(_), None) => (Some(b), Side::Base, false),
                (None, Some(o), None) => (Some(o), Side::Ours, true),
                (Some(b), None, t) => (Some(b), Side::Base, t.is_some_and(|t| t != b)),
                (None, None, t) => (t, Side::Theirs, false),
            };
            MergeRow {
                key: key.to_owned(),
                base: b.map(str::to_owned),
                ours: o.map(str::to_owned),
                theirs: t.map(str::to_owned),
                merged: merged.map(str::to_owned),
                from: merged.map(|_| from),
                conflict,
                secret: is_secret(key),
            }
        })
        .collect()
}

/// The merged file, one `KEY=value` per row, conflicts marked with a comment above.
pub fn render(rows: &[MergeRow]) -> String {
    let mut out = String::from("# .env.production merged by Owlery: source, inventory and target.\n");
    for r in rows {
        let Some(v) = &r.merged else {
            if r.conflict {
                out.push_str(&format!(
                    "# CHECK: {} left out, the inventory's settings exclude it\n",
                    r.key
                ));
            }
            continue;
        };
        if r.conflict {
            out.push_str(&format!("# CHECK: {} differs between the files\n", r.key));
        }
        out.push_str(&format!("{}={}\n", r.key, quote(v)));
    }
    out
}

/// What a page may show of a row, as (source, inventory, target, merged): the values,
/// or for a secret only whether it is set and whether it matches the source's.
pub fn masked(row: &MergeRow) -> [String; 4] {
    let show = |value: &Option<String>, is_base: bool| match (value, row.secret) {
        (None, _) => "unset".to_owned(),
        (Some(v), false) => v.clone(),
        (Some(v), true) if placeholder(v) => v.clone(),
        (Some(_), true) if is_base => "set".to_owned(),
        (Some(v), true) => match &row.base {
            None => "set".to_owned(),
            Some(b) if b == v => "set, same".to_owned(),
            Some(_) => "set, differs".to_owned(),
        },
    };
    [
        show(&row.base, true),
        show(&row.ours, false),
        show(&row.theirs, false),
        show(&row.merged, false),
    ]
}

#[cfg(test)]
#[path = "env_merge_tests.rs"]
mod tests;
