//! Runbooks: importing, editing, copying and deleting them (each change audited), the
//! built-ins loaded at startup, and runs (see `runs` and `exec`).
pub mod builtin;
pub mod db;
pub mod exec;
pub mod generated;
pub mod params;
pub mod runs;

use sqlx::SqlitePool;

use super::db::{self as core_db, audit::Actor};
use crate::model::runbook::Runbook;
use crate::model::runbook_toml::{describe, parse_toml};
use crate::model::AppError;

const KIND: &str = "runbook";

/// A runbook file read and checked, or its problems as a message on the `source` field.
pub fn read(source: &str) -> Result<Runbook, AppError> {
    parse_toml(source).map_err(|problems| AppError::field("source", describe(&problems)))
}

/// Reads a stored runbook's file; a stored file always parsed when it was saved.
pub fn parse_stored(source: &str) -> Result<Runbook, AppError> {
    parse_toml(source).map_err(|p| super::error::internal("a stored runbook no longer reads", describe(&p)))
}

fn builtin_refused() -> AppError {
    AppError::Conflict("Built-in runbooks are read-only; copy it to change it.".into())
}

/// Imports a runbook file as a new, editable runbook.
pub async fn import(pool: &SqlitePool, actor: &Actor, source: &str) -> Result<Runbook, AppError> {
    let mut runbook = read(source)?;
    if runbook.builtin {
        return Err(AppError::field(
            "source",
            "only runbooks shipped with Owlery are built in; remove `builtin = true`",
        ));
    }
    runbook.builtin = false;
    let mut tx = core_db::begin(pool).await?;
    let id = db::insert(&mut tx, &runbook, source, false).await?;
    let changes = [("source".to_owned(), String::new(), source.to_owned())];
    core_db::audit::record(
        &mut tx,
        actor,
        "import",
        (KIND, Some(id), &runbook.slug),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(runbook)
}

/// Replaces an editable runbook's file (its slug may change with it).
pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    slug: &str,
    source: &str,
    version: i64,
) -> Result<Runbook, AppError> {
    let runbook = read(source)?;
    if runbook.builtin {
        return Err(AppError::field(
            "source",
            "an edited runbook is not built in; remove `builtin = true`",
        ));
    }
    let mut tx = core_db::begin(pool).await?;
    if db::get(&mut tx, slug).await?.builtin {
        return Err(builtin_refused());
    }
    let before = db::update(&mut tx, slug, &runbook, source, version).await?;
    let changes = [("source".to_owned(), before.source, source.to_owned())];
    core_db::audit::record(
        &mut tx,
        actor,
        "update",
        (KIND, Some(before.id), &runbook.slug),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(runbook)
}

/// An editable copy under a free slug (`NAME-copy`, `NAME-copy-2`, ...).
pub async fn copy(pool: &SqlitePool, actor: &Actor, slug: &str) -> Result<Runbook, AppError> {
    let mut tx = core_db::begin(pool).await?;
    let original = db::get(&mut tx, slug).await?;
    let mut runbook = parse_stored(&original.source)?;
    let base: String = format!("{}-copy", runbook.slug.chars().take(50).collect::<String>());
    let mut n = 1;
    runbook.slug = base.clone();
    while db::get(&mut tx, &runbook.slug).await.is_ok() {
        n += 1;
        runbook.slug = format!("{base}-{n}");
    }
    runbook.builtin = false;
    runbook.title = format!("{} (copy)", runbook.title);
    let source = crate::model::runbook_toml::to_toml(&runbook)
        .map_err(|e| super::error::internal("writing a runbook copy", e))?;
    let id = db::insert(&mut tx, &runbook, &source, false).await?;
    let changes = [("copied from".to_owned(), String::new(), slug.to_owned())];
    core_db::audit::record(&mut tx, actor, "copy", (KIND, Some(id), &runbook.slug), &changes).await?;
    tx.commit().await?;
    Ok(runbook)
}

/// Deletes an editable runbook; its runs keep their own copy of it.
pub async fn delete(pool: &SqlitePool, actor: &Actor, slug: &str, version: i64) -> Result<(), AppError> {
    let mut tx = core_db::begin(pool).await?;
    if db::get(&mut tx, slug).await?.builtin {
        return Err(builtin_refused());
    }
    let before = db::delete(&mut tx, slug, version).await?;
    let changes = [("source".to_owned(), before.source, String::new())];
    core_db::audit::record(&mut tx, actor, "delete", (KIND, Some(before.id), slug), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// At server start (after interrupted jobs were marked): the current built-ins, and
/// every run resumed where it was.
pub async fn startup(pool: &SqlitePool) -> Result<(), AppError> {
    let loaded = load_builtins(pool).await?;
    let resumed = exec::recover(pool).await?;
    tracing::info!(loaded, resumed, "runbooks ready");
    Ok(())
}

/// Writes the shipped runbooks (new or changed ones only), so `owlery serve` and
/// `owlery demo` always offer the current built-ins. A shipped file that does not read
/// is logged and left out rather than stopping the server. Returns how many changed.
pub async fn load_builtins(pool: &SqlitePool) -> Result<usize, AppError> {
    let mut changed = 0;
    for source in builtin::builtin() {
        // Already stored as it is: nothing to read (every start but the first after an
        // upgrade; reading compiles the file's regular expressions).
        if db::builtin_is_stored(pool, source).await? {
            continue;
        }
        let runbook = match parse_toml(source) {
            Ok(r) => r,
            Err(problems) => {
                tracing::error!(problems = %describe(&problems), "a built-in runbook does not read; left out");
                continue;
            }
        };
        let mut tx = core_db::begin(pool).await?;
        if db::upsert_builtin(&mut tx, &runbook, source).await? {
            let actor = Actor::cli("builtin");
            let id = db::get(&mut tx, &runbook.slug).await?.id;
            core_db::audit::record(&mut tx, &actor, "load", (KIND, Some(id), &runbook.slug), &[]).await?;
            changed += 1;
        }
        tx.commit().await?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests;
