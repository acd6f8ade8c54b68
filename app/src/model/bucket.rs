//! S3 buckets and their access users: as stored, as submitted and as validated.
use serde::{Deserialize, Serialize};

use super::error::FieldErrors;
use crate::domain::names::parse_dns_name;
use crate::domain::s3::BucketName;

pub const ADDRESSING: [&str; 2] = ["path", "virtual-host"];
pub const ANONYMOUS: [&str; 4] = ["none", "download", "upload", "public"];
/// What an access user may do, as the form's checkboxes name it.
pub const USER_ACTIONS: [&str; 4] = ["get", "put", "delete", "list"];

/// A bucket as stored, with where its endpoint is and who may use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub id: i64,
    pub name: String,
    /// The MinIO service it lives on, or None for an external endpoint.
    pub service: Option<String>,
    pub endpoint_url: Option<String>,
    pub region: String,
    pub addressing: String,
    pub alias_host: Option<String>,
    pub anonymous: String,
    pub notes: String,
    pub users: Vec<BucketUser>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An S3 user allowed into a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketUser {
    pub access_key: String,
    pub actions: Vec<String>,
    pub secret_name: String,
}

/// A row of the buckets list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketListItem {
    pub name: String,
    /// "minio (hedwig)" or the external URL.
    pub endpoint: String,
    pub addressing: String,
    pub alias_host: Option<String>,
    pub anonymous: String,
    pub users: u32,
}

/// A bucket form as the browser submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketInput {
    pub name: String,
    /// A MinIO service's name; empty for an external endpoint.
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub endpoint_url: String,
    pub region: String,
    pub addressing: String,
    #[serde(default)]
    pub alias_host: String,
    pub anonymous: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub version: String,
}

/// Where a bucket's S3 API is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Service(String),
    Url(String),
}

/// A bucket whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketDraft {
    pub name: BucketName,
    pub endpoint: Endpoint,
    pub region: String,
    pub addressing: String,
    pub alias_host: Option<String>,
    pub anonymous: String,
    pub notes: String,
    pub version: Option<i64>,
}

impl BucketInput {
    pub fn blank() -> Self {
        Self {
            region: "us-east-1".into(),
            addressing: "path".into(),
            anonymous: "download".into(),
            ..Self::default()
        }
    }

    pub fn from_bucket(b: &Bucket) -> Self {
        Self {
            name: b.name.clone(),
            service: b.service.clone().unwrap_or_default(),
            endpoint_url: b.endpoint_url.clone().unwrap_or_default(),
            region: b.region.clone(),
            addressing: b.addressing.clone(),
            alias_host: b.alias_host.clone().unwrap_or_default(),
            anonymous: b.anonymous.clone(),
            notes: b.notes.clone(),
            version: b.version.to_string(),
        }
    }

    /// Checks every field and reports all problems at once, each under its field name.
    pub fn parse(&self) -> Result<BucketDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", BucketName::parse(&self.name));
        let endpoint = match (self.service.trim(), self.endpoint_url.trim()) {
            ("", "") => {
                e.add(
                    "service",
                    "choose a MinIO service, or give an external endpoint URL",
                );
                None
            }
            (service, "") => Some(Endpoint::Service(service.to_owned())),
            ("", url) => e
                .check("endpoint_url", parse_endpoint_url(url))
                .map(Endpoint::Url),
            _ => {
                e.add(
                    "endpoint_url",
                    "leave this empty when the bucket is on a MinIO service",
                );
                None
            }
        };
        let region = e.check("region", parse_region(&self.region));
        let addressing = e.check("addressing", one_of(&self.addressing, &ADDRESSING));
        let alias_host = e.check("alias_host", optional_dns_name(&self.alias_host));
        let anonymous = e.check("anonymous", one_of(&self.anonymous, &ANONYMOUS));
        let notes = e.check("notes", notes(&self.notes));
        let version = e.check("version", parse_version(&self.version));
        let draft = (|| {
            Some(BucketDraft {
                name: name?,
                endpoint: endpoint?,
                region: region?,
                addressing: addressing?,
                alias_host: alias_host?,
                anonymous: anonymous?,
                notes: notes?,
                version: version?,
            })
        })();
        match draft {
            Some(draft) if e.is_empty() => Ok(draft),
            _ => Err(e),
        }
    }
}

/// An access user form: the access key, the secret holding its secret key, and one
/// checkbox per action (present and non-empty when ticked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketUserInput {
    pub access_key: String,
    pub secret_name: String,
    #[serde(default)]
    pub get: String,
    #[serde(default)]
    pub put: String,
    #[serde(default)]
    pub delete: String,
    #[serde(default)]
    pub list: String,
}

impl BucketUserInput {
    pub fn parse(&self) -> Result<BucketUser, FieldErrors> {
        let mut e = FieldErrors::default();
        let access_key = e.check("access_key", parse_access_key(&self.access_key));
        let secret_name = e.check("secret_name", parse_secret_name(&self.secret_name));
        let ticked = [&self.get, &self.put, &self.delete, &self.list];
        let actions: Vec<String> = USER_ACTIONS
            .iter()
            .zip(ticked)
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(a, _)| (*a).to_owned())
            .collect();
        if actions.is_empty() {
            e.add("actions", "tick at least one action");
        }
        match (access_key, secret_name) {
            (Some(access_key), Some(secret_name)) if e.is_empty() => Ok(BucketUser {
                access_key,
                actions,
                secret_name,
            }),
            _ => Err(e),
        }
    }
}

/// An external S3 endpoint: `https://host[:port]`, or `http://` for a private network.
pub fn parse_endpoint_url(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("use a URL starting with https:// (or http://)")?;
    let valid = !rest.is_empty()
        && rest.len() <= 253
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if valid {
        Ok(s.to_ascii_lowercase())
    } else {
        Err("use only a scheme, a host and a port, like https://s3.fr-par.scw.cloud".into())
    }
}

fn parse_region(s: &str) -> Result<String, String> {
    let s = s.trim();
    let valid = (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(s.to_owned())
    } else {
        Err("use a region like us-east-1 or fr-par (MinIO's default is us-east-1)".into())
    }
}

fn parse_access_key(s: &str) -> Result<String, String> {
    let s = s.trim();
    let valid = (3..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@=+,".contains(&b));
    if valid {
        Ok(s.to_owned())
    } else {
        Err("use 3 to 128 letters, digits or . _ - @ = + ,".into())
    }
}

/// The name of an entry in the secret store (its value is never asked for here).
pub fn parse_secret_name(s: &str) -> Result<String, String> {
    let s = s.trim();
    let valid = (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if valid {
        Ok(s.to_owned())
    } else {
        Err("name the secret as it is in Settings → Secrets (letters, digits, . _ -)".into())
    }
}

pub fn one_of(s: &str, options: &[&str]) -> Result<String, String> {
    let s = s.trim();
    options
        .iter()
        .find(|o| **o == s)
        .map(|o| (*o).to_owned())
        .ok_or_else(|| format!("choose one of {}", options.join(", ")))
}

pub fn optional_dns_name(s: &str) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    parse_dns_name(s).map(Some)
}

pub fn notes(s: &str) -> Result<String, String> {
    if s.chars().count() > 4000 {
        Err("use at most 4000 characters".into())
    } else {
        Ok(s.trim().to_owned())
    }
}

pub fn parse_version(s: &str) -> Result<Option<i64>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| "the form is damaged; reload the page".into())
}

impl Bucket {
    /// Every editable field as text, in form order: what the change log compares.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("name", self.name.clone()),
            ("service", opt(&self.service)),
            ("endpoint_url", opt(&self.endpoint_url)),
            ("region", self.region.clone()),
            ("addressing", self.addressing.clone()),
            ("alias_host", opt(&self.alias_host)),
            ("anonymous", self.anonymous.clone()),
            ("notes", self.notes.clone()),
        ]
    }
}

/// A file Owlery writes for an object, shown for copying and served for download at
/// `/<area>/<object>/files/<file>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedFile {
    /// The download's file name, also its last URL segment.
    pub file: String,
    pub title: String,
    pub help: String,
    pub text: String,
}

impl GeneratedFile {
    pub fn content_type(&self) -> &'static str {
        if self.file.ends_with(".json") {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        }
    }
}

#[cfg(test)]
#[path = "bucket_tests.rs"]
mod tests;
