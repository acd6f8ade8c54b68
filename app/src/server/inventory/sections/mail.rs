//! Mail domains in the inventory file.
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{audit, check_each, of};
use crate::model::inventory::{ObjectChange, Op};
use crate::model::mail::{MailDomain, MailDraft, MailInput};
use crate::model::{AppError, FieldErrors};
use crate::server::db::{self, audit::Actor};
use crate::server::inventory::doc::Problem;
use crate::server::inventory::lines::Lines;

pub const KIND: &str = "mail_domain";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailDoc {
    pub domain: String,
    /// The OpenSMTPD service mail leaves through.
    pub relay: String,
    /// The dkimproxy service that signs it.
    pub signing: String,
    pub dkim_selector: String,
    pub dkim_public_key: String,
    /// The secret store entry holding the DKIM private key.
    pub dkim_secret: String,
    pub dmarc_policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dmarc_report: Option<String>,
    pub from_address: String,
    pub mx_host: String,
    #[serde(default = "default_ttl")]
    pub ttl: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

fn default_ttl() -> u32 {
    3600
}

impl MailDoc {
    fn from_draft(d: &MailDraft) -> Self {
        Self {
            domain: d.domain.clone(),
            relay: d.relay.clone(),
            signing: d.signing.clone(),
            dkim_selector: d.dkim_selector.clone(),
            dkim_public_key: d.dkim_public_key.clone(),
            dkim_secret: d.dkim_secret.clone(),
            dmarc_policy: d.dmarc_policy.clone(),
            dmarc_report: d.dmarc_report.clone(),
            from_address: d.from_address.clone(),
            mx_host: d.mx_host.clone(),
            ttl: d.ttl,
            notes: d.notes.clone(),
        }
    }

    fn from_domain(m: &MailDomain) -> Self {
        Self {
            domain: m.domain.clone(),
            relay: m.relay.clone(),
            signing: m.signing.clone(),
            dkim_selector: m.dkim_selector.clone(),
            dkim_public_key: m.dkim_public_key.clone(),
            dkim_secret: m.dkim_secret.clone(),
            dmarc_policy: m.dmarc_policy.clone(),
            dmarc_report: m.dmarc_report.clone(),
            from_address: m.from_address.clone(),
            mx_host: m.mx_host.clone(),
            ttl: m.ttl,
            notes: m.notes.clone(),
        }
    }

    fn draft(&self, version: Option<i64>) -> Result<MailDraft, FieldErrors> {
        MailInput {
            domain: self.domain.clone(),
            relay: self.relay.clone(),
            signing: self.signing.clone(),
            dkim_selector: self.dkim_selector.clone(),
            dkim_public_key: self.dkim_public_key.clone(),
            dkim_secret: self.dkim_secret.clone(),
            dmarc_policy: self.dmarc_policy.clone(),
            dmarc_report: self.dmarc_report.clone().unwrap_or_default(),
            from_address: self.from_address.clone(),
            mx_host: self.mx_host.clone(),
            ttl: self.ttl.to_string(),
            notes: self.notes.clone(),
            version: version.map(|v| v.to_string()).unwrap_or_default(),
        }
        .parse()
    }
}

/// Every mail domain, by name.
pub async fn load(conn: &mut SqliteConnection) -> Result<Vec<MailDoc>, AppError> {
    let names: Vec<String> = sqlx::query_scalar("SELECT domain FROM mail_domains ORDER BY domain")
        .fetch_all(&mut *conn)
        .await?;
    let mut docs = Vec::with_capacity(names.len());
    for name in names {
        docs.push(MailDoc::from_domain(&db::mail::get(conn, &name).await?));
    }
    Ok(docs)
}

/// The mail domains of a file as the database would store them, each on its own.
pub fn check(docs: &[MailDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<MailDoc> {
    let key = ("domain", |d: &MailDoc| d.domain.clone());
    check_each("mail_domains", docs, lines, problems, key, |d| {
        d.draft(None).map(|d| MailDoc::from_draft(&d))
    })
}

/// The relay and signing services must be in the inventory the file leads to, of the
/// right kinds.
pub fn check_refs(
    file: &[MailDoc],
    kind_of: impl Fn(&str) -> Option<String>,
    lines: &Lines,
    problems: &mut Vec<Problem>,
) {
    for (i, m) in file.iter().enumerate() {
        for (field, name, kind) in [
            ("relay", &m.relay, "opensmtpd"),
            ("signing", &m.signing, "dkimproxy"),
        ] {
            match kind_of(name) {
                Some(k) if k == kind => {}
                Some(k) => problems.push(Problem::at(
                    lines,
                    format!("mail_domains[{i}].{field}"),
                    format!("{name} is a {k} service; the {field} service must be {kind}"),
                )),
                None => problems.push(Problem::at(
                    lines,
                    format!("mail_domains[{i}].{field}"),
                    format!("there is no service named {name}"),
                )),
            }
        }
    }
}

/// Adds and changes mail domains (after the services they use).
pub async fn upsert(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    docs: &[MailDoc],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Add).chain(of(changes, KIND, Op::Change)) {
        let Some(doc) = docs.iter().find(|d| d.domain == change.name) else {
            continue;
        };
        let domain = if change.op == Op::Add {
            db::mail::insert(conn, &valid(doc, None)?).await?
        } else {
            let current = db::mail::get(conn, &doc.domain).await?;
            db::mail::update(conn, &doc.domain, &valid(doc, Some(current.version))?)
                .await?
                .1
        };
        audit(conn, actor, change, Some(domain.id)).await?;
    }
    Ok(())
}

/// Removes mail domains (before the services they use).
pub async fn remove(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Remove) {
        let current = db::mail::get(conn, &change.name).await?;
        db::mail::delete(conn, &change.name, current.version).await?;
        audit(conn, actor, change, Some(current.id)).await?;
    }
    Ok(())
}

fn valid(doc: &MailDoc, version: Option<i64>) -> Result<MailDraft, AppError> {
    doc.draft(version).map_err(AppError::Validation)
}
