//! `owlery backup`: a consistent copy of the database, taken while the server runs.
use anyhow::{bail, Context};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

/// Copies the database `db` into the new file `out` and returns its size. `VACUUM INTO`
/// reads one snapshot in a read transaction, so the server keeps serving and writing,
/// and the copy holds whole transactions only. `out` is created owner-only before SQLite
/// writes into it (it holds sessions and sealed secrets), and an existing file is
/// never overwritten.
pub async fn backup(db: &Path, out: &Path) -> anyhow::Result<u64> {
    if !db.is_file() {
        bail!("no database at {}", db.display());
    }
    let target = out
        .to_str()
        .with_context(|| format!("the backup path {} is not valid UTF-8", out.display()))?;
    create_empty_owner_only(out)?;
    let copied = vacuum_into(db, target).await;
    if copied.is_err() {
        let _ = std::fs::remove_file(out);
    }
    copied?;
    let size = std::fs::metadata(out)
        .with_context(|| format!("reading {}", out.display()))?
        .len();
    Ok(size)
}

fn create_empty_owner_only(out: &Path) -> anyhow::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(out) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            bail!("{} already exists; choose a new file name", out.display())
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", out.display())),
    }
}

async fn vacuum_into(db: &Path, target: &str) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .with_context(|| format!("opening database {}", db.display()))?;
    // SQLite writes into an existing file only when it is empty, as this one is.
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .with_context(|| format!("copying the database into {target}"))?;
    conn.close().await.context("closing the database")?;
    Ok(())
}
