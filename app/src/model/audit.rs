//! Entries of the change log, as lists and object pages show them, and the audit
//! page's filters.
use serde::{Deserialize, Serialize};

use crate::domain::url::encode_component;

use super::error::FieldErrors;
use crate::domain::time::parse_date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    /// Where the change came from: the client's address, or "local" for the CLI.
    #[serde(default)]
    pub client_addr: String,
    pub action: String,
    pub object_kind: String,
    pub object_name: String,
    /// Field-by-field changes: (field, before, after).
    pub changes: Vec<(String, String, String)>,
    /// The object's name today, when it still exists and has a page (hosts, services);
    /// it differs from `object_name` after a rename.
    #[serde(default)]
    pub current_name: Option<String>,
}

impl AuditEntry {
    /// The page of the object as it is now, when it still exists.
    pub fn href(&self) -> Option<String> {
        match (self.object_kind.as_str(), &self.current_name) {
            ("host", Some(name)) => Some(format!("/hosts/{}", encode_component(name))),
            ("service", Some(name)) => Some(format!("/services/{}", encode_component(name))),
            _ => None,
        }
    }

    /// Each field change as people read it: "plan: A → B", "name = x", "ipv4 was y".
    pub fn change_texts(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|(_, before, after)| !(before.is_empty() && after.is_empty()))
            .map(
                |(field, before, after)| match (before.is_empty(), after.is_empty()) {
                    (true, _) => format!("{field} = {after}"),
                    (_, true) => format!("{field} was {before}"),
                    _ => format!("{field}: {before} → {after}"),
                },
            )
            .collect()
    }
}

/// The audit page's filters as the address bar carries them: text, unvalidated.
/// Empty means "any". `before`/`after` are the keyset cursors of the paging links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub user: String,
    pub kind: String,
    pub object: String,
    pub action: String,
    pub from: String,
    pub to: String,
    /// Entries older than this id (the "Older" link).
    pub before: Option<i64>,
    /// Entries newer than this id (the "Newer" link).
    pub after: Option<i64>,
}

/// Validated filters, as the database query takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact actor name.
    pub user: Option<String>,
    /// Exact object kind ("host").
    pub kind: Option<String>,
    /// Substring of the object name, lower-cased (ASCII, as SQLite's `lower`).
    pub object: Option<String>,
    /// Exact action ("create", "update", "delete").
    pub action: Option<String>,
    /// First second included.
    pub since: Option<i64>,
    /// First second no longer included (the day after `to`).
    pub until: Option<i64>,
    /// Leave out entries about secrets: only admins see even their names.
    pub without_secrets: bool,
}

impl AuditQuery {
    pub fn parse(&self) -> Result<AuditFilter, FieldErrors> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut errors = FieldErrors::default();
        let mut date = |field: &str, s: &str| match text(s) {
            Some(s) => errors.check(field, parse_date(&s)),
            None => None,
        };
        let since = date("from", &self.from);
        let until = date("to", &self.to).map(|day| day + 86_400);
        if let (Some(since), Some(until)) = (since, until) {
            if until <= since {
                errors.add("to", "the end date is before the start date");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditFilter {
            user: text(&self.user),
            kind: text(&self.kind),
            object: text(&self.object).map(|s| s.to_ascii_lowercase()),
            action: text(&self.action),
            since,
            until,
            without_secrets: false,
        })
    }

    /// The filters (not the cursor) as a query string, for paging and export links.
    pub fn filter_params(&self) -> String {
        [
            ("user", &self.user),
            ("kind", &self.kind),
            ("object", &self.object),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }

    pub fn is_filtered(&self) -> bool {
        !self.filter_params().is_empty()
    }

    /// A link to this query's page with `cursor` ("before=12") after the filters.
    pub fn link(&self, cursor: &str) -> String {
        match self.filter_params() {
            p if p.is_empty() => format!("?{cursor}"),
            p => format!("?{p}&{cursor}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> AuditQuery {
        AuditQuery {
            from: from.into(),
            to: to.into(),
            ..AuditQuery::default()
        }
    }

    #[test]
    fn an_empty_query_filters_nothing() {
        assert_eq!(AuditQuery::default().parse(), Ok(AuditFilter::default()));
    }

    #[test]
    fn the_date_range_covers_the_whole_last_day() {
        let f = query("2026-11-26", "2026-11-27").parse().unwrap();
        assert_eq!(f.since, Some(1_795_651_200));
        assert_eq!(f.until, Some(1_795_737_600 + 86_400));
    }

    #[test]
    fn bad_dates_are_reported_on_their_field() {
        let e = query("yesterday", "2026-11-27").parse().unwrap_err();
        assert!(e.get("from").is_some() && e.get("to").is_none());
        let e = query("2026-11-27", "2026-11-26").parse().unwrap_err();
        assert_eq!(e.get("to"), Some("the end date is before the start date"));
    }

    #[test]
    fn texts_are_trimmed_and_the_object_is_lower_cased() {
        let q = AuditQuery {
            user: " alice ".into(),
            object: " HedWig".into(),
            ..AuditQuery::default()
        };
        let f = q.parse().unwrap();
        assert_eq!(f.user.as_deref(), Some("alice"));
        assert_eq!(f.object.as_deref(), Some("hedwig"));
    }

    #[test]
    fn links_carry_the_filters_encoded_and_not_the_old_cursor() {
        let q = AuditQuery {
            user: "alice".into(),
            object: "a&b c".into(),
            before: Some(7),
            ..AuditQuery::default()
        };
        assert_eq!(q.link("before=5"), "?user=alice&object=a%26b%20c&before=5");
        assert_eq!(AuditQuery::default().link("after=9"), "?after=9");
    }
}
