//! Secrets: what Owlery keeps for its jobs, as listed, as submitted and as validated.
//! A value travels one way only, from the browser to the server.
mod value;

use serde::{Deserialize, Serialize};

use super::error::FieldErrors;
use crate::domain::names::parse_label;
use value::parse_value;
pub use value::{SecretValue, MAX_VALUE_BYTES};

/// Kinds of secret, as stored and as the form's select offers them.
pub const SECRET_KINDS: [&str; 5] = [
    "ssh-private-key",
    "s3-secret-key",
    "wireguard-private-key",
    "smtp-password",
    "other",
];

/// How a kind reads in lists and headings.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "ssh-private-key" => "SSH private key",
        "s3-secret-key" => "S3 secret key",
        "wireguard-private-key" => "WireGuard private key",
        "smtp-password" => "SMTP password",
        _ => "Other",
    }
}

/// A secret as lists and pages show it: everything but its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: String,
}

/// A secret form as the browser submits it. The edit form sends only `description`,
/// `value` and `version`; the others default to empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretInput {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub value: SecretValue,
    /// The version the editor started from; empty when creating.
    pub version: String,
}

/// A validated new secret.
#[derive(Debug)]
pub struct SecretDraft {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub value: SecretValue,
}

/// A validated edit: a new description, and a new value unless the field was left empty.
#[derive(Debug)]
pub struct SecretChange {
    pub version: i64,
    pub description: String,
    pub value: Option<SecretValue>,
}

impl SecretInput {
    /// The form a new secret starts from.
    pub fn blank() -> Self {
        Self {
            kind: SECRET_KINDS[0].into(),
            ..Self::default()
        }
    }

    /// The form an edit starts from: the description, never the value.
    pub fn from_secret(s: &Secret) -> Self {
        Self {
            name: s.name.clone(),
            kind: s.kind.clone(),
            description: s.description.clone(),
            value: SecretValue::default(),
            version: s.version.to_string(),
        }
    }

    /// The same submission with the value blanked: what may be kept or shown again.
    pub fn without_value(&self) -> Self {
        Self {
            value: SecretValue::default(),
            ..self.clone()
        }
    }

    /// Checks a new secret; every problem is reported under its field name.
    pub fn parse_new(&self) -> Result<SecretDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", parse_secret_name(&self.name));
        let kind = e.check("kind", parse_kind(&self.kind));
        let description = e.check("description", parse_description(&self.description));
        let value = e.check(
            "value",
            parse_value(kind.as_deref().unwrap_or("other"), &self.value),
        );
        match (name, kind, description, value) {
            (Some(name), Some(kind), Some(description), Some(value)) => Ok(SecretDraft {
                name,
                kind,
                description,
                value,
            }),
            _ => Err(e),
        }
    }

    /// Checks an edit of a secret of `kind`; an empty value keeps the stored one.
    pub fn parse_change(&self, kind: &str) -> Result<SecretChange, FieldErrors> {
        let mut e = FieldErrors::default();
        let description = e.check("description", parse_description(&self.description));
        let value = if self.value.expose().trim().is_empty() {
            Some(None)
        } else {
            e.check("value", parse_value(kind, &self.value)).map(Some)
        };
        let version = e.check(
            "version",
            self.version
                .trim()
                .parse::<i64>()
                .map_err(|_| "the form is damaged; reload the page".to_owned()),
        );
        match (description, value, version) {
            (Some(description), Some(value), Some(version)) => Ok(SecretChange {
                version,
                description,
                value,
            }),
            _ => Err(e),
        }
    }
}

/// A secret's name: one DNS label; "new" is taken by the page that creates one.
pub fn parse_secret_name(s: &str) -> Result<String, String> {
    let name = parse_label(s)?;
    if name == "new" {
        return Err("\"new\" is reserved; choose another name".into());
    }
    Ok(name)
}

fn parse_kind(s: &str) -> Result<String, String> {
    SECRET_KINDS
        .iter()
        .find(|k| **k == s.trim())
        .map(|k| (*k).to_owned())
        .ok_or_else(|| format!("choose one of {}", SECRET_KINDS.join(", ")))
}

fn parse_description(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.chars().count() > 200 {
        return Err("use at most 200 characters".into());
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: &str, value: &str) -> SecretInput {
        SecretInput {
            name: name.into(),
            kind: kind.into(),
            description: "backups of the media bucket".into(),
            value: SecretValue::new(value.into()),
            version: String::new(),
        }
    }

    #[test]
    fn a_complete_form_parses_into_a_new_secret() {
        let new = input("S3-Backup", "s3-secret-key", "abc/DEF+123\r\n")
            .parse_new()
            .expect("valid");
        assert_eq!(new.name, "s3-backup");
        assert_eq!(new.value.expose(), "abc/DEF+123");
    }

    #[test]
    fn every_bad_field_is_reported_under_its_own_name() {
        let errors = input("", "root-password", "").parse_new().expect_err("invalid");
        for field in ["name", "kind", "value"] {
            assert!(errors.get(field).is_some(), "no message for {field}: {errors}");
        }
        assert!(parse_secret_name("new").is_err());
    }

    #[test]
    fn an_edit_with_an_empty_value_keeps_the_stored_one() {
        let edit = SecretInput {
            version: "3".into(),
            ..input("", "", " ")
        };
        let change = edit.parse_change("smtp-password").expect("valid");
        assert!(change.value.is_none());
        assert_eq!(change.version, 3);
    }
}
