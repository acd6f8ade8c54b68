//! Services in the inventory file: placed on a host, depending on other services.
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{audit, check_each, of};
use crate::model::inventory::{ObjectChange, Op};
use crate::model::service::{find_cycle, Service, ServiceDraft, ServiceInput};
use crate::model::{AppError, FieldErrors};
use crate::server::db::{self, audit::Actor};
use crate::server::inventory::doc::Problem;
use crate::server::inventory::lines::Lines;

pub const KIND: &str = "service";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDoc {
    pub name: String,
    pub host: String,
    pub kind: String,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen_addr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub needs_egress: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl ServiceDoc {
    fn from_draft(d: &ServiceDraft) -> Self {
        Self {
            name: d.name.to_string(),
            host: d.host.to_string(),
            kind: d.kind.as_str().to_owned(),
            unit: d.unit.to_string(),
            listen_addr: d.listen_addr.map(|a| a.to_string()),
            port: d.port,
            needs_egress: d.needs_egress,
            memory_mib: d.memory_mib,
            depends_on: d.deps.iter().map(ToString::to_string).collect(),
            notes: d.notes.clone(),
        }
    }

    fn from_service(s: &Service) -> Self {
        Self {
            name: s.name.clone(),
            host: s.host.clone(),
            kind: s.kind.as_str().to_owned(),
            unit: s.unit.clone(),
            listen_addr: s.listen_addr.clone(),
            port: s.port,
            needs_egress: s.needs_egress,
            memory_mib: s.memory_mib,
            depends_on: s.deps.clone(),
            notes: s.notes.clone(),
        }
    }

    fn draft(&self, version: Option<i64>, with_deps: bool) -> Result<ServiceDraft, FieldErrors> {
        ServiceInput {
            name: self.name.clone(),
            host: self.host.clone(),
            kind: self.kind.clone(),
            unit: self.unit.clone(),
            listen_addr: self.listen_addr.clone().unwrap_or_default(),
            port: self.port.map(|p| p.to_string()).unwrap_or_default(),
            needs_egress: if self.needs_egress {
                "on".into()
            } else {
                String::new()
            },
            memory_mib: self.memory_mib.map(|m| m.to_string()).unwrap_or_default(),
            deps: if with_deps {
                self.depends_on.join(" ")
            } else {
                String::new()
            },
            notes: self.notes.clone(),
            version: version.map(|v| v.to_string()).unwrap_or_default(),
        }
        .parse()
    }
}

/// Every service, by host and name.
pub async fn load(conn: &mut SqliteConnection) -> Result<Vec<ServiceDoc>, AppError> {
    let mut docs: Vec<ServiceDoc> = db::services::all(conn)
        .await?
        .iter()
        .map(ServiceDoc::from_service)
        .collect();
    docs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(docs)
}

/// The services of a file as the database would store them, each on its own.
pub fn check(docs: &[ServiceDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<ServiceDoc> {
    let key = ("name", |d: &ServiceDoc| d.name.clone());
    check_each("services", docs, lines, problems, key, |d| {
        d.draft(None, true)
            .map(|d| ServiceDoc::from_draft(&d))
            .map_err(|errors| {
                // The form calls the dependencies `deps`; the file calls them `depends_on`.
                let renamed = errors.0.into_iter().map(|mut e| {
                    if e.field == "deps" {
                        e.field = "depends_on".into();
                    }
                    e
                });
                FieldErrors(renamed.collect())
            })
    })
}

/// The file's services refer to hosts and services of the inventory they lead to
/// (`hosts`, `all`), and their dependencies close no cycle.
pub fn check_refs(
    file: &[ServiceDoc],
    hosts: &[String],
    all: &[ServiceDoc],
    lines: &Lines,
    problems: &mut Vec<Problem>,
) {
    let edges: Vec<(String, String)> = all
        .iter()
        .flat_map(|s| s.depends_on.iter().map(|d| (s.name.clone(), d.clone())))
        .collect();
    for (i, s) in file.iter().enumerate() {
        if !hosts.contains(&s.host) {
            problems.push(Problem::at(
                lines,
                format!("services[{i}].host"),
                format!("there is no host named {}", s.host),
            ));
        }
        let missing: Vec<&str> = s
            .depends_on
            .iter()
            .filter(|d| !all.iter().any(|o| &o.name == *d))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            problems.push(Problem::at(
                lines,
                format!("services[{i}].depends_on"),
                format!("there is no service named {}", missing.join(", ")),
            ));
        } else if let Some(cycle) = find_cycle(&s.name, &s.depends_on, &edges) {
            problems.push(Problem::at(
                lines,
                format!("services[{i}].depends_on"),
                format!("this makes a cycle: {}", cycle.join(" → ")),
            ));
        }
    }
}

/// Adds and changes services: first each without its dependencies (which may be among
/// the services still to add), then the dependencies of all of them.
pub async fn upsert(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    docs: &[ServiceDoc],
) -> Result<(), AppError> {
    let touched: Vec<(&ObjectChange, &ServiceDoc)> = of(changes, KIND, Op::Add)
        .chain(of(changes, KIND, Op::Change))
        .filter_map(|c| docs.iter().find(|d| d.name == c.name).map(|d| (c, d)))
        .collect();
    for (change, doc) in &touched {
        if change.op == Op::Add {
            db::services::insert(conn, &valid(doc, None, false)?).await?;
        } else {
            let current = db::services::get(conn, &doc.name).await?;
            db::services::update(conn, &doc.name, &valid(doc, Some(current.version), false)?).await?;
        }
    }
    for (change, doc) in touched {
        let current = db::services::get(conn, &doc.name).await?;
        let (_, after) =
            db::services::update(conn, &doc.name, &valid(doc, Some(current.version), true)?).await?;
        audit(conn, actor, change, Some(after.id)).await?;
    }
    Ok(())
}

/// Removes services: after those that stay no longer depend on them, and before their
/// hosts go.
pub async fn remove(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Remove) {
        // Services removed together may depend on each other: drop their links first.
        let current = db::services::get(conn, &change.name).await?;
        sqlx::query("DELETE FROM service_deps WHERE service_id = ?")
            .bind(current.id)
            .execute(&mut *conn)
            .await?;
    }
    for change in of(changes, KIND, Op::Remove) {
        let current = db::services::get(conn, &change.name).await?;
        db::services::delete(conn, &change.name, current.version).await?;
        audit(conn, actor, change, Some(current.id)).await?;
    }
    Ok(())
}

fn valid(doc: &ServiceDoc, version: Option<i64>, with_deps: bool) -> Result<ServiceDraft, AppError> {
    doc.draft(version, with_deps).map_err(AppError::Validation)
}
