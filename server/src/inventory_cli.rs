//! `owlery export` and `owlery import FILE`.
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context};
use app::model::inventory::ObjectChange;
use app::server::db::audit::Actor;
use app::server::inventory;
use sqlx::SqlitePool;

pub async fn export(pool: &SqlitePool, out: Option<&Path>) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    let text = inventory::export(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("exporting: {e}"))?;
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing {}", path.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("writing to standard output"),
    }
}

pub async fn import(pool: &SqlitePool, file: &Path, yes: bool, keep_unlisted: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let confirm = |changes: &[ObjectChange]| {
        print_changes(changes);
        yes || ask(changes.len())
    };
    let unlisted = if keep_unlisted {
        inventory::Unlisted::Keep
    } else {
        inventory::Unlisted::Remove
    };
    let outcome = inventory::import(pool, &Actor::cli("import"), &text, unlisted, confirm)
        .await
        .map_err(|e| anyhow::anyhow!("importing: {e}"))?;
    match outcome {
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            bail!(
                "nothing was imported: {} problem(s) in {}",
                problems.len(),
                file.display()
            )
        }
        Ok((changes, _)) if changes.is_empty() => {
            println!("the inventory already matches {}", file.display());
            Ok(())
        }
        Ok((changes, true)) => {
            println!("applied {} change(s)", changes.len());
            Ok(())
        }
        Ok((_, false)) => {
            println!("nothing was applied (run with --yes to apply without asking)");
            Ok(())
        }
    }
}

fn print_changes(changes: &[ObjectChange]) {
    for c in changes {
        println!("{} {} {}", c.op.label(), c.kind, c.name);
        for (field, before, after) in &c.fields {
            println!("    {field}: {before:?} -> {after:?}");
        }
    }
}

/// Asks on a terminal; anything but "y" (or no terminal) means no.
fn ask(count: usize) -> bool {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return false;
    }
    print!("apply these {count} change(s)? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).is_ok() && answer.trim().eq_ignore_ascii_case("y")
}
