//! The secret store: each change sealed under the master key and audited in one
//! transaction; values are revealed to server code only, never to a browser.
pub mod cipher;
pub mod key_file;

use sqlx::SqlitePool;
use std::path::Path;

use self::cipher::{associated_data, MasterKey};
use super::db::{self, audit::Actor};
use crate::model::audit::AuditEntry;
use crate::model::secret::{Secret, SecretDraft, SecretInput, SecretValue};
use crate::model::user::{CurrentUser, Role};
use crate::model::AppError;

/// The `object_kind` of secrets in the change log.
pub const AUDIT_KIND: &str = "secret";
const KIND: &str = AUDIT_KIND;

/// How the change log speaks of a value: that it was set or changed, never what it is.
const VALUE_SET: (&str, &str, &str) = ("value", "", "(set)");
const VALUE_CHANGED: (&str, &str, &str) = ("value", "", "(changed)");
const VALUE_GONE: (&str, &str, &str) = ("value", "(set)", "");

fn change((field, before, after): (&str, &str, &str)) -> (String, String, String) {
    (field.into(), before.into(), after.into())
}

/// (field, before, after) for each of the listed fields that differs.
fn diff(before: (&str, &str), after: (&str, &str)) -> Vec<(String, String, String)> {
    [("kind", before.0, after.0), ("description", before.1, after.1)]
        .into_iter()
        .filter(|(_, b, a)| a != b)
        .map(change)
        .collect()
}

pub async fn create(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    new: &SecretDraft,
) -> Result<Secret, AppError> {
    let sealed = key.seal(
        new.value.expose().as_bytes(),
        &associated_data(&new.name, &new.kind),
    )?;
    let mut tx = db::begin(pool).await?;
    let fields = (new.name.as_str(), new.kind.as_str(), new.description.as_str());
    let secret = db::secrets::insert(&mut tx, fields, &sealed, &actor.name).await?;
    let mut changes = diff(("", ""), (&secret.kind, &secret.description));
    changes.push(change(VALUE_SET));
    let object = (KIND, Some(secret.id), secret.name.as_str());
    db::audit::record(&mut tx, actor, "create", object, &changes).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Saves an edit of the secret `name`, checked against its kind; a new value is sealed
/// afresh (new nonce), an empty one keeps the stored value.
pub async fn update(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    name: &str,
    input: &SecretInput,
) -> Result<Secret, AppError> {
    let mut tx = db::begin(pool).await?;
    let current = db::secrets::get(&mut tx, name).await?;
    let edit = input.parse_change(&current.kind).map_err(AppError::Validation)?;
    let sealed = match &edit.value {
        Some(value) => Some(key.seal(
            value.expose().as_bytes(),
            &associated_data(&current.name, &current.kind),
        )?),
        None => None,
    };
    let (before, after) = db::secrets::update(
        &mut tx,
        name,
        edit.version,
        &edit.description,
        sealed.as_ref(),
        &actor.name,
    )
    .await?;
    let mut changes = diff(
        (&before.kind, &before.description),
        (&after.kind, &after.description),
    );
    if sealed.is_some() {
        changes.push(change(VALUE_CHANGED));
    }
    if !changes.is_empty() {
        let object = (KIND, Some(after.id), after.name.as_str());
        db::audit::record(&mut tx, actor, "update", object, &changes).await?;
    }
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(pool: &SqlitePool, actor: &Actor, name: &str, version: i64) -> Result<Secret, AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::secrets::delete(&mut tx, name, version).await?;
    let mut changes = diff((&before.kind, &before.description), ("", ""));
    changes.push(change(VALUE_GONE));
    let object = (KIND, Some(before.id), before.name.as_str());
    db::audit::record(&mut tx, actor, "delete", object, &changes).await?;
    tx.commit().await?;
    Ok(before)
}

/// The value of the secret `name`, for server code that must use it (a job connecting
/// with a key, a mail test). Never return it from a server function.
pub async fn reveal(pool: &SqlitePool, key: &MasterKey, name: &str) -> Result<SecretValue, AppError> {
    let (secret, sealed) = db::secrets::sealed(&mut *pool.acquire().await?, name).await?;
    let plain = key
        .open(&sealed, &associated_data(&secret.name, &secret.kind))
        .ok_or_else(|| super::error::internal("a secret did not open", &secret.name))?;
    let text = std::str::from_utf8(&plain).map_err(|e| super::error::internal("a secret is not UTF-8", e))?;
    Ok(SecretValue::new(text.to_owned()))
}

/// The change-log entries `user` may see: those of secrets are for admins only, since
/// their names and descriptions tell what the cluster holds.
pub fn log_visible_to(user: &CurrentUser, entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    if user.can(Role::Admin) {
        return entries;
    }
    entries
        .into_iter()
        .filter(|e| e.object_kind != AUDIT_KIND)
        .collect()
}

/// The master key for serving: the named file, else the data directory's, created on
/// first run. Refuses a key that does not open the stored secrets, and refuses to make
/// a new one when secrets already exist (their key must be restored instead).
pub async fn master_key_for(
    data_dir: &Path,
    named: Option<&Path>,
    pool: &SqlitePool,
) -> anyhow::Result<MasterKey> {
    use anyhow::{anyhow, bail};
    let path = key_file::key_path(data_dir, named);
    let stored = db::secrets::count(pool)
        .await
        .map_err(|e| anyhow!("counting secrets: {e}"))?;
    let key = if named.is_some() || path.exists() {
        key_file::load(&path)?
    } else if stored > 0 {
        bail!(
            "the database holds {stored} sealed values (secrets, second factors) but their master key {} is missing; \
             restore it from your backup",
            path.display()
        );
    } else {
        match key_file::create(&path)? {
            Some(key) => {
                tracing::info!(
                    "created the master key {}; back it up apart from the database",
                    path.display()
                );
                key
            }
            None => key_file::load(&path)?,
        }
    };
    let sample = db::secrets::any_sealed(pool)
        .await
        .map_err(|e| anyhow!("reading secrets: {e}"))?;
    if let Some((name, kind, sealed)) = sample {
        let fits = key.open(&sealed, &associated_data(&name, &kind)).is_some();
        if !fits {
            bail!(
                "the master key {} does not open the secrets in this database; \
                 use the key file that belongs to it",
                path.display()
            );
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests;
