//! Names that must follow DNS rules: host names, tags, DNS names.
use serde::{Deserialize, Serialize};
use std::fmt;

/// One DNS label: 1 to 63 of a-z, 0-9 and '-', not starting or ending with '-'.
/// Upper case is folded to lower case.
pub fn parse_label(s: &str) -> Result<String, String> {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err("this field is required".into());
    }
    if s.len() > 63 {
        return Err("use at most 63 characters".into());
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("use only letters a-z, digits and '-'".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("a name cannot start or end with '-'".into());
    }
    Ok(s)
}

/// A fully qualified or relative DNS name: labels joined by dots, at most 253 characters.
pub fn parse_dns_name(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('.');
    if s.len() > 253 {
        return Err("use at most 253 characters".into());
    }
    let labels: Result<Vec<String>, String> = s.split('.').map(parse_label).collect();
    Ok(labels?.join("."))
}

/// A host's name: one DNS label, unique in the inventory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HostName(String);

impl HostName {
    pub fn parse(s: &str) -> Result<HostName, String> {
        parse_label(s).map(HostName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn host_names_follow_dns_label_rules() {
        assert_eq!(HostName::parse("Hedwig").map(|h| h.0), Ok("hedwig".into()));
        for bad in ["", "-a", "a-", "a_b", "a.b", "é", &"x".repeat(64)] {
            assert!(HostName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn dns_names_accept_dots_and_a_trailing_root() {
        assert_eq!(
            parse_dns_name("media.social.example."),
            Ok("media.social.example".into())
        );
        assert!(parse_dns_name("a..b").is_err());
    }

    proptest! {
        #[test]
        fn label_parser_never_panics_and_accepts_only_what_it_returns(s in "\\PC{0,80}") {
            if let Ok(label) = parse_label(&s) {
                prop_assert_eq!(parse_label(&label), Ok(label.clone()));
            }
        }
    }
}
