//! Hosts in the inventory file.
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{audit, check_each, of};
use crate::model::host::{Host, HostDraft, HostInput};
use crate::model::inventory::{ObjectChange, Op};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};
use crate::server::inventory::doc::Problem;
use crate::server::inventory::lines::Lines;

pub const KIND: &str = "host";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostDoc {
    pub name: String,
    pub provider: String,
    pub plan: String,
    pub arch: String,
    pub vcpus: u32,
    pub ram_mib: u32,
    pub disk_gb: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_addr: Option<String>,
    pub ssh_host: String,
    #[serde(default = "default_port")]
    pub ssh_port: u16,
    #[serde(default = "default_user")]
    pub ssh_user: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

fn default_port() -> u16 {
    22
}

fn default_user() -> String {
    "root".into()
}

impl HostDoc {
    fn from_draft(d: &HostDraft) -> Self {
        Self {
            name: d.name.as_str().to_owned(),
            provider: d.provider.clone(),
            plan: d.plan.clone(),
            arch: d.arch.clone(),
            vcpus: d.vcpus,
            ram_mib: d.ram_mib,
            disk_gb: d.disk_gb,
            ipv4: d.ipv4.map(|a| a.to_string()),
            ipv6: d.ipv6.map(|a| a.to_string()),
            mesh_addr: d.mesh_addr.map(|a| a.to_string()),
            ssh_host: d.ssh_host.clone(),
            ssh_port: d.ssh_port,
            ssh_user: d.ssh_user.clone(),
            tags: d.tags.clone(),
            notes: d.notes.clone(),
        }
    }

    fn from_host(h: &Host) -> Self {
        Self {
            name: h.name.clone(),
            provider: h.provider.clone(),
            plan: h.plan.clone(),
            arch: h.arch.clone(),
            vcpus: h.vcpus,
            ram_mib: h.ram_mib,
            disk_gb: h.disk_gb,
            ipv4: h.ipv4.clone(),
            ipv6: h.ipv6.clone(),
            mesh_addr: h.mesh_addr.clone(),
            ssh_host: h.ssh_host.clone(),
            ssh_port: h.ssh_port,
            ssh_user: h.ssh_user.clone(),
            tags: h.tags.clone(),
            notes: h.notes.clone(),
        }
    }

    fn draft(&self, version: Option<i64>) -> Result<HostDraft, crate::model::FieldErrors> {
        HostInput {
            name: self.name.clone(),
            provider: self.provider.clone(),
            plan: self.plan.clone(),
            arch: self.arch.clone(),
            vcpus: self.vcpus.to_string(),
            ram_mib: self.ram_mib.to_string(),
            disk_gb: self.disk_gb.to_string(),
            ipv4: self.ipv4.clone().unwrap_or_default(),
            ipv6: self.ipv6.clone().unwrap_or_default(),
            mesh_addr: self.mesh_addr.clone().unwrap_or_default(),
            ssh_host: self.ssh_host.clone(),
            ssh_port: self.ssh_port.to_string(),
            ssh_user: self.ssh_user.clone(),
            tags: self.tags.join(" "),
            notes: self.notes.clone(),
            version: version.map(|v| v.to_string()).unwrap_or_default(),
        }
        .parse()
    }
}

/// Every host, by name.
pub async fn load(conn: &mut SqliteConnection) -> Result<Vec<HostDoc>, AppError> {
    Ok(db::hosts::all(conn)
        .await?
        .iter()
        .map(HostDoc::from_host)
        .collect())
}

/// The hosts of a file as the database would store them; problems go to `problems`.
pub fn check(docs: &[HostDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<HostDoc> {
    let key = ("name", |d: &HostDoc| d.name.clone());
    check_each("hosts", docs, lines, problems, key, |d| {
        d.draft(None).map(|d| HostDoc::from_draft(&d))
    })
}

/// Adds and changes the hosts of `changes`: before anything that refers to them.
pub async fn upsert(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    docs: &[HostDoc],
) -> Result<(), AppError> {
    for op in [Op::Add, Op::Change] {
        for change in of(changes, KIND, op) {
            let Some(doc) = docs.iter().find(|d| d.name == change.name) else {
                continue;
            };
            let host = if op == Op::Add {
                db::hosts::insert(conn, &valid(doc, None)?).await?
            } else {
                let current = db::hosts::get(conn, &doc.name).await?;
                db::hosts::update(conn, &doc.name, &valid(doc, Some(current.version))?)
                    .await?
                    .1
            };
            audit(conn, actor, change, Some(host.id)).await?;
        }
    }
    Ok(())
}

/// Removes the hosts of `changes`: after whatever ran on them has moved or gone.
pub async fn remove(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Remove) {
        let current = db::hosts::get(conn, &change.name).await?;
        db::hosts::delete(conn, &change.name, current.version).await?;
        audit(conn, actor, change, Some(current.id)).await?;
    }
    Ok(())
}

/// A document that passed `check` parses again; if it somehow does not, nothing is written.
fn valid(doc: &HostDoc, version: Option<i64>) -> Result<HostDraft, AppError> {
    doc.draft(version).map_err(AppError::Validation)
}
