//! The whole inventory as one TOML file: exported as it is, imported only after a
//! preview of what would change, in one transaction.
pub mod diff;
pub mod doc;
pub mod lines;
pub mod sections;

use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

use self::doc::{Inventory, Problem};
use self::lines::Lines;
use crate::model::inventory::{ImportPreview, InventoryPage, ObjectChange};
use crate::model::{AppError, FieldErrors};
use crate::server::db::{self, audit::Actor};

/// Files larger than this are refused before they are read: an inventory of a few
/// hundred hosts is well under a megabyte.
pub const MAX_DOCUMENT: usize = 4 << 20;

/// Pending previews older than this are forgotten.
const PREVIEW_TTL_SECS: i64 = 24 * 3600;

/// The inventory as it is now.
pub async fn load(conn: &mut SqliteConnection) -> Result<Inventory, AppError> {
    let (mesh_nodes, mesh_links) = sections::mesh::load(conn).await?;
    Ok(Inventory {
        format: doc::FORMAT,
        hosts: sections::hosts::load(conn).await?,
        services: sections::services::load(conn).await?,
        buckets: sections::buckets::load(conn).await?,
        mail_domains: sections::mail::load(conn).await?,
        mesh_nodes,
        mesh_links,
    })
}

/// The export document.
pub async fn export(conn: &mut SqliteConnection) -> Result<String, AppError> {
    doc::write(&load(conn).await?).map_err(|e| crate::server::error::internal("writing the inventory", e))
}

/// What the inventory holds, and the imports waiting for confirmation.
pub async fn page(pool: &SqlitePool) -> Result<InventoryPage, AppError> {
    let mut conn = pool.acquire().await?;
    let now = load(&mut conn).await?;
    let pending = sqlx::query_as(
        "SELECT i.id, u.username, i.created_at FROM inventory_imports i
         JOIN users u ON u.id = i.user_id WHERE i.created_at >= ? ORDER BY i.id DESC",
    )
    .bind(db::now() - PREVIEW_TTL_SECS)
    .fetch_all(&mut *conn)
    .await?;
    Ok(InventoryPage {
        objects: vec![
            ("hosts".into(), now.hosts.len()),
            ("services".into(), now.services.len()),
            ("buckets".into(), now.buckets.len()),
            ("mail domains".into(), now.mail_domains.len()),
            ("mesh nodes".into(), now.mesh_nodes.len()),
            ("tunnels".into(), now.mesh_links.len()),
        ],
        pending,
        now: db::now(),
    })
}

/// What an import does with the objects its file does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlisted {
    /// The file is the whole inventory: what it does not list is removed.
    Remove,
    /// The file adds and changes objects; the others stay.
    Keep,
}

/// Reads and checks a file against the inventory as it is: the changes that make the
/// inventory what the file says, and the inventory they lead to; or every problem found.
pub fn plan(
    text: &str,
    current: &Inventory,
    unlisted: Unlisted,
) -> Result<(Vec<ObjectChange>, Inventory), Vec<Problem>> {
    if text.len() > MAX_DOCUMENT {
        return Err(vec![Problem {
            line: None,
            path: String::new(),
            message: format!("the file is larger than {} MiB", MAX_DOCUMENT >> 20),
        }]);
    }
    let lines = Lines::of(text);
    let file = doc::parse(text, &lines).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let checked = Inventory {
        format: doc::FORMAT,
        hosts: sections::hosts::check(&file.hosts, &lines, &mut problems),
        services: sections::services::check(&file.services, &lines, &mut problems),
        buckets: sections::buckets::check(&file.buckets, &lines, &mut problems),
        mail_domains: sections::mail::check(&file.mail_domains, &lines, &mut problems),
        mesh_nodes: sections::mesh::check_nodes(&file.mesh_nodes, &lines, &mut problems),
        mesh_links: sections::mesh::check_links(&file.mesh_links, &lines, &mut problems),
    };
    let target = match unlisted {
        Unlisted::Remove => checked.clone(),
        Unlisted::Keep => Inventory {
            format: doc::FORMAT,
            hosts: merge(&current.hosts, checked.hosts.clone(), |h| h.name.clone()),
            services: merge(&current.services, checked.services.clone(), |s| s.name.clone()),
            buckets: merge(&current.buckets, checked.buckets.clone(), |b| b.name.clone()),
            mail_domains: merge(&current.mail_domains, checked.mail_domains.clone(), |m| {
                m.domain.clone()
            }),
            mesh_nodes: merge(&current.mesh_nodes, checked.mesh_nodes.clone(), |n| {
                n.host.clone()
            }),
            mesh_links: merge(
                &current.mesh_links,
                checked.mesh_links.clone(),
                sections::mesh::LinkDoc::name,
            ),
        },
    };
    if problems.is_empty() {
        check_refs(&checked, &target, &lines, &mut problems);
    }
    if problems.is_empty() {
        Ok((changes(current, &target), target))
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// The file's references must resolve in the inventory it leads to.
fn check_refs(file: &Inventory, target: &Inventory, lines: &Lines, problems: &mut Vec<Problem>) {
    let hosts: Vec<String> = target.hosts.iter().map(|h| h.name.clone()).collect();
    sections::services::check_refs(&file.services, &hosts, &target.services, lines, problems);
    let kind_of = |name: &str| {
        target
            .services
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.kind.clone())
    };
    let minio: Vec<&str> = target
        .services
        .iter()
        .filter(|s| s.kind == "minio")
        .map(|s| s.name.as_str())
        .collect();
    sections::buckets::check_refs(&file.buckets, &minio, lines, problems);
    sections::mail::check_refs(&file.mail_domains, kind_of, lines, problems);
    sections::mesh::check_refs(
        (&file.mesh_nodes, &file.mesh_links),
        (&target.mesh_nodes, &target.mesh_links),
        &hosts,
        lines,
        problems,
    );
}

/// `current` with the items of `file` put in place of those with the same key, and
/// the new ones added.
fn merge<T: Clone>(current: &[T], file: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut merged: Vec<T> = current
        .iter()
        .filter(|c| !file.iter().any(|f| key(f) == key(c)))
        .cloned()
        .collect();
    merged.extend(file);
    merged.sort_by_key(&key);
    merged
}

/// What turns `current` into `new`, object by object, kind after kind.
fn changes(current: &Inventory, new: &Inventory) -> Vec<ObjectChange> {
    diff::diff(&records(current), &records(new))
}

fn records(inv: &Inventory) -> Vec<diff::Record> {
    use sections::{buckets, hosts, mail, mesh, services};
    [
        diff::records(hosts::KIND, &inv.hosts, |h| h.name.clone()),
        diff::records(services::KIND, &inv.services, |s| s.name.clone()),
        diff::records(buckets::KIND, &inv.buckets, |b| b.name.clone()),
        diff::records(mail::KIND, &inv.mail_domains, |m| m.domain.clone()),
        diff::records(mesh::NODE, &inv.mesh_nodes, |n| n.host.clone()),
        diff::records(mesh::LINK, &inv.mesh_links, mesh::LinkDoc::name),
    ]
    .concat()
}

/// Writes `changes` (computed against the inventory as it is inside `conn`'s
/// transaction), in the order references need: referenced objects are created before
/// and removed after the objects that refer to them.
async fn write(
    conn: &mut SqliteConnection,
    actor: &Actor,
    changes: &[ObjectChange],
    current: &Inventory,
    new: &Inventory,
) -> Result<(), AppError> {
    sections::buckets::remove(conn, actor, changes).await?;
    sections::mail::remove(conn, actor, changes).await?;
    sections::mesh::remove(conn, actor, changes, &current.mesh_links).await?;
    sections::hosts::upsert(conn, actor, changes, &new.hosts).await?;
    sections::services::upsert(conn, actor, changes, &new.services).await?;
    sections::buckets::upsert(conn, actor, changes, &new.buckets).await?;
    sections::mail::upsert(conn, actor, changes, &new.mail_domains).await?;
    sections::mesh::upsert(conn, actor, changes, &new.mesh_nodes, &new.mesh_links).await?;
    sections::services::remove(conn, actor, changes).await?;
    sections::hosts::remove(conn, actor, changes).await?;
    Ok(())
}

/// The problems of a refused file, as the error shown under its field.
pub fn refused(problems: &[Problem]) -> AppError {
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    AppError::Validation(FieldErrors::single(
        "document",
        format!(
            "nothing was imported; fix the file and try again:\n{}",
            text.join("\n")
        ),
    ))
}

fn digest(changes: &[ObjectChange]) -> Result<String, AppError> {
    let json =
        serde_json::to_vec(changes).map_err(|e| crate::server::error::internal("encoding changes", e))?;
    Ok(hex(&Sha256::digest(json)))
}

/// Checks a file and keeps it for review; returns the preview's id.
pub async fn preview(
    pool: &SqlitePool,
    user_id: i64,
    text: &str,
    unlisted: Unlisted,
) -> Result<i64, AppError> {
    let mut tx = db::begin(pool).await?;
    let (changes, _) = plan(text, &load(&mut tx).await?, unlisted).map_err(|p| refused(&p))?;
    let now = db::now();
    sqlx::query("DELETE FROM inventory_imports WHERE created_at < ?")
        .bind(now - PREVIEW_TTL_SECS)
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inventory_imports (user_id, document, remove_unlisted, changes_digest, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(user_id)
    .bind(text)
    .bind(unlisted == Unlisted::Remove)
    .bind(digest(&changes)?)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

struct Pending {
    document: String,
    unlisted: Unlisted,
    changes_digest: String,
    created_by: String,
    created_at: i64,
}

async fn pending(conn: &mut SqliteConnection, id: i64) -> Result<Pending, AppError> {
    let row: Option<(String, bool, String, String, i64)> = sqlx::query_as(
        "SELECT i.document, i.remove_unlisted, i.changes_digest, u.username, i.created_at
         FROM inventory_imports i JOIN users u ON u.id = i.user_id WHERE i.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let (document, remove, changes_digest, created_by, created_at) = row.ok_or(AppError::NotFound)?;
    Ok(Pending {
        document,
        unlisted: if remove { Unlisted::Remove } else { Unlisted::Keep },
        changes_digest,
        created_by,
        created_at,
    })
}

/// What the kept file would change if applied now.
pub async fn get_preview(pool: &SqlitePool, id: i64) -> Result<ImportPreview, AppError> {
    let mut conn = pool.acquire().await?;
    let p = pending(&mut conn, id).await?;
    let (changes, _) = plan(&p.document, &load(&mut conn).await?, p.unlisted).map_err(|e| refused(&e))?;
    Ok(ImportPreview {
        id,
        created_by: p.created_by,
        created_at: p.created_at,
        removes_unlisted: p.unlisted == Unlisted::Remove,
        changes,
        now: db::now(),
    })
}

/// Applies a previewed file, only if it still makes exactly the changes the preview
/// showed. Returns them.
pub async fn apply(pool: &SqlitePool, actor: &Actor, id: i64) -> Result<Vec<ObjectChange>, AppError> {
    let mut tx = db::begin(pool).await?;
    let p = pending(&mut tx, id).await?;
    let current = load(&mut tx).await?;
    let (changes, target) = plan(&p.document, &current, p.unlisted).map_err(|e| refused(&e))?;
    if digest(&changes)? != p.changes_digest {
        return Err(AppError::Conflict(
            "the inventory changed since this preview was made, so the file would now change something \
             else; discard it and import the file again to see what it would change now"
                .into(),
        ));
    }
    write(&mut tx, actor, &changes, &current, &target).await?;
    sqlx::query("DELETE FROM inventory_imports WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(changes)
}

/// Forgets a preview without applying it.
pub async fn discard(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM inventory_imports WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// `owlery import`: checks the file, asks `confirm` with the changes, applies them in
/// one transaction if it agrees. Returns the changes and whether they were applied.
pub async fn import(
    pool: &SqlitePool,
    actor: &Actor,
    text: &str,
    unlisted: Unlisted,
    confirm: impl FnOnce(&[ObjectChange]) -> bool,
) -> Result<Result<(Vec<ObjectChange>, bool), Vec<Problem>>, AppError> {
    let mut tx = db::begin(pool).await?;
    let current = load(&mut tx).await?;
    let (changes, target) = match plan(text, &current, unlisted) {
        Ok(planned) => planned,
        Err(problems) => return Ok(Err(problems)),
    };
    if changes.is_empty() || !confirm(&changes) {
        return Ok(Ok((changes, false)));
    }
    write(&mut tx, actor, &changes, &current, &target).await?;
    tx.commit().await?;
    Ok(Ok((changes, true)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
