//! Object-by-object comparison of two inventories, field by field, as text.
use serde::Serialize;

use crate::model::inventory::{ObjectChange, Op};

/// One object flattened to (field, value) pairs in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: &'static str,
    pub name: String,
    pub fields: Vec<(String, String)>,
}

/// Flattens each item of a section to text, keyed by `name`.
pub fn records<T: Serialize>(kind: &'static str, items: &[T], name: impl Fn(&T) -> String) -> Vec<Record> {
    items
        .iter()
        .map(|item| Record {
            kind,
            name: name(item),
            fields: flatten(item),
        })
        .collect()
}

fn flatten<T: Serialize>(item: &T) -> Vec<(String, String)> {
    match toml::Value::try_from(item) {
        Ok(toml::Value::Table(table)) => table.into_iter().map(|(k, v)| (k, render(&v))).collect(),
        Ok(other) => vec![(String::new(), render(&other))],
        // Every section type is a plain struct of strings, numbers and lists.
        Err(e) => vec![(String::new(), format!("(not representable: {e})"))],
    }
}

fn render(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join(", "),
        toml::Value::Table(table) => {
            let parts: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{k} = {}", render(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// What turns `before` into `after`: added, changed and removed objects, in the order
/// of `after` (removals last, in the order of `before`).
pub fn diff(before: &[Record], after: &[Record]) -> Vec<ObjectChange> {
    let find = |list: &[Record], r: &Record| list.iter().position(|o| o.kind == r.kind && o.name == r.name);
    let mut changes = Vec::new();
    for new in after {
        match find(before, new) {
            None => changes.push(change(new, Op::Add, field_diff(&[], &new.fields))),
            Some(i) => {
                let fields = field_diff(&before[i].fields, &new.fields);
                if !fields.is_empty() {
                    changes.push(change(new, Op::Change, fields));
                }
            }
        }
    }
    for old in before {
        if find(after, old).is_none() {
            changes.push(change(old, Op::Remove, field_diff(&old.fields, &[])));
        }
    }
    changes
}

fn change(r: &Record, op: Op, fields: Vec<(String, String, String)>) -> ObjectChange {
    ObjectChange {
        kind: r.kind.to_owned(),
        name: r.name.clone(),
        op,
        fields,
    }
}

fn field_diff(before: &[(String, String)], after: &[(String, String)]) -> Vec<(String, String, String)> {
    let value = |list: &[(String, String)], key: &str| {
        list.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut keys: Vec<&str> = after.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in before {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter_map(|k| {
            let (old, new) = (value(before, k), value(after, k));
            (old != new).then(|| (k.to_owned(), old, new))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        plan: &'static str,
        tags: Vec<&'static str>,
    }

    fn recs(items: &[Item]) -> Vec<Record> {
        records("host", items, |i| i.name.to_owned())
    }

    #[test]
    fn added_changed_and_removed_objects_are_told_apart() {
        let before = recs(&[
            Item {
                name: "iris",
                plan: "ARM64-4GB",
                tags: vec![],
            },
            Item {
                name: "hermes",
                plan: "Start1-XS",
                tags: vec!["web"],
            },
        ]);
        let after = recs(&[
            Item {
                name: "hermes",
                plan: "Start1-XS",
                tags: vec!["web", "mail"],
            },
            Item {
                name: "hedwig",
                plan: "Start1-XS",
                tags: vec![],
            },
        ]);
        let changes = diff(&before, &after);
        let summary: Vec<(&str, Op)> = changes.iter().map(|c| (c.name.as_str(), c.op)).collect();
        assert_eq!(
            summary,
            vec![("hermes", Op::Change), ("hedwig", Op::Add), ("iris", Op::Remove)]
        );
        assert_eq!(
            changes[0].fields,
            vec![("tags".into(), "web".into(), "web, mail".into())]
        );
        assert!(changes[2]
            .fields
            .contains(&("plan".into(), "ARM64-4GB".into(), String::new())));
    }

    #[test]
    fn identical_inventories_have_no_changes() {
        let items = [Item {
            name: "hermes",
            plan: "Start1-XS",
            tags: vec!["web"],
        }];
        assert!(diff(&recs(&items), &recs(&items)).is_empty());
    }
}
