//! S3 buckets in the inventory file, with their access users.
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{audit, check_each, of};
use crate::model::bucket::{Bucket, BucketDraft, BucketInput, BucketUser, BucketUserInput, Endpoint};
use crate::model::inventory::{ObjectChange, Op};
use crate::model::{AppError, FieldErrors};
use crate::server::db::{self, audit::Actor};
use crate::server::inventory::doc::Problem;
use crate::server::inventory::lines::Lines;

pub const KIND: &str = "bucket";

const ACTIONS: [&str; 4] = ["get", "put", "delete", "list"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketDoc {
    pub name: String,
    /// The MinIO service it lives on, or else
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// the external provider's endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    pub region: String,
    pub addressing: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_host: Option<String>,
    pub anonymous: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDoc {
    pub access_key: String,
    pub actions: Vec<String>,
    /// The secret store entry holding the secret key (the key itself is never here).
    pub secret_name: String,
}

impl BucketDoc {
    fn from_bucket(b: &Bucket) -> Self {
        Self {
            name: b.name.clone(),
            service: b.service.clone(),
            endpoint_url: b.endpoint_url.clone(),
            region: b.region.clone(),
            addressing: b.addressing.clone(),
            alias_host: b.alias_host.clone(),
            anonymous: b.anonymous.clone(),
            notes: b.notes.clone(),
            users: b.users.iter().map(UserDoc::from_user).collect(),
        }
    }

    fn from_draft(d: &BucketDraft, users: &[BucketUser]) -> Self {
        let (service, endpoint_url) = match &d.endpoint {
            Endpoint::Service(s) => (Some(s.clone()), None),
            Endpoint::Url(u) => (None, Some(u.clone())),
        };
        Self {
            name: d.name.as_str().to_owned(),
            service,
            endpoint_url,
            region: d.region.clone(),
            addressing: d.addressing.clone(),
            alias_host: d.alias_host.clone(),
            anonymous: d.anonymous.clone(),
            notes: d.notes.clone(),
            users: users.iter().map(UserDoc::from_user).collect(),
        }
    }

    fn draft(&self, version: Option<i64>) -> Result<BucketDraft, FieldErrors> {
        BucketInput {
            name: self.name.clone(),
            service: self.service.clone().unwrap_or_default(),
            endpoint_url: self.endpoint_url.clone().unwrap_or_default(),
            region: self.region.clone(),
            addressing: self.addressing.clone(),
            alias_host: self.alias_host.clone().unwrap_or_default(),
            anonymous: self.anonymous.clone(),
            notes: self.notes.clone(),
            version: version.map(|v| v.to_string()).unwrap_or_default(),
        }
        .parse()
    }
}

impl UserDoc {
    fn from_user(u: &BucketUser) -> Self {
        Self {
            access_key: u.access_key.clone(),
            actions: u.actions.clone(),
            secret_name: u.secret_name.clone(),
        }
    }

    fn user(&self) -> Result<BucketUser, FieldErrors> {
        if let Some(bad) = self.actions.iter().find(|a| !ACTIONS.contains(&a.as_str())) {
            return Err(FieldErrors::single(
                "actions",
                format!("{bad:?} is not an action; use {}", ACTIONS.join(", ")),
            ));
        }
        let ticked = |a: &str| {
            if self.actions.iter().any(|x| x == a) {
                "on".into()
            } else {
                String::new()
            }
        };
        BucketUserInput {
            access_key: self.access_key.clone(),
            secret_name: self.secret_name.clone(),
            get: ticked("get"),
            put: ticked("put"),
            delete: ticked("delete"),
            list: ticked("list"),
        }
        .parse()
    }
}

/// Every bucket, by name.
pub async fn load(conn: &mut SqliteConnection) -> Result<Vec<BucketDoc>, AppError> {
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM buckets ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    let mut docs = Vec::with_capacity(names.len());
    for name in names {
        docs.push(BucketDoc::from_bucket(&db::buckets::get(conn, &name).await?));
    }
    Ok(docs)
}

/// The buckets of a file as the database would store them, each on its own.
pub fn check(docs: &[BucketDoc], lines: &Lines, problems: &mut Vec<Problem>) -> Vec<BucketDoc> {
    let key = ("name", |d: &BucketDoc| d.name.clone());
    check_each("buckets", docs, lines, problems, key, |doc| {
        let mut errors = FieldErrors::default();
        let mut users: Vec<BucketUser> = Vec::new();
        for (j, u) in doc.users.iter().enumerate() {
            match u.user() {
                Ok(user) if users.iter().any(|o| o.access_key == user.access_key) => {
                    errors.add(&format!("users[{j}].access_key"), "this user is listed twice")
                }
                Ok(user) => users.push(user),
                Err(e) => {
                    e.0.into_iter()
                        .for_each(|e| errors.add(&format!("users[{j}].{}", e.field), e.message))
                }
            }
        }
        match doc.draft(None) {
            Ok(draft) if errors.is_empty() => Ok(BucketDoc::from_draft(&draft, &users)),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.0.extend(e.0);
                Err(errors)
            }
        }
    })
}

/// A bucket on a service needs that service, a MinIO one, in the inventory it leads to.
pub fn check_refs(file: &[BucketDoc], minio: &[&str], lines: &Lines, problems: &mut Vec<Problem>) {
    for (i, b) in file.iter().enumerate() {
        if let Some(service) = b.service.as_deref().filter(|s| !minio.contains(s)) {
            problems.push(Problem::at(
                lines,
                format!("buckets[{i}].service"),
                format!("there is no MinIO service named {service}"),
            ));
        }
    }
}

/// Adds and changes buckets (after the services they live on).
pub async fn upsert(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    docs: &[BucketDoc],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Add).chain(of(changes, KIND, Op::Change)) {
        let Some(doc) = docs.iter().find(|d| d.name == change.name) else {
            continue;
        };
        let bucket = if change.op == Op::Add {
            db::buckets::insert(conn, &valid(doc, None)?).await?
        } else {
            let current = db::buckets::get(conn, &doc.name).await?;
            for user in &current.users {
                db::buckets::remove_user(conn, current.id, &user.access_key).await?;
            }
            let current = db::buckets::get(conn, &doc.name).await?;
            db::buckets::update(conn, &doc.name, &valid(doc, Some(current.version))?)
                .await?
                .1
        };
        for user in &doc.users {
            db::buckets::add_user(conn, bucket.id, &user.user().map_err(AppError::Validation)?).await?;
        }
        audit(conn, actor, change, Some(bucket.id)).await?;
    }
    Ok(())
}

/// Removes buckets (before the services they live on).
pub async fn remove(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
) -> Result<(), AppError> {
    for change in of(changes, KIND, Op::Remove) {
        let current = db::buckets::get(conn, &change.name).await?;
        db::buckets::delete(conn, &change.name, current.version).await?;
        audit(conn, actor, change, Some(current.id)).await?;
    }
    Ok(())
}

fn valid(doc: &BucketDoc, version: Option<i64>) -> Result<BucketDraft, AppError> {
    doc.draft(version).map_err(AppError::Validation)
}
