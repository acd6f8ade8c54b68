//! The master key file: 32 raw bytes, readable by its owner only.
use anyhow::{bail, Context};
use rand::RngCore;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use super::cipher::{MasterKey, KEY_LEN};

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "master.key";

/// Where the key is read from: a file named by the operator, or the data directory's.
pub fn key_path(data_dir: &Path, named: Option<&Path>) -> PathBuf {
    named.map_or_else(|| data_dir.join(KEY_FILE), Path::to_path_buf)
}

/// Reads a key file, refusing one that is missing, of the wrong length, or readable by
/// anyone but its owner.
pub fn load(path: &Path) -> anyhow::Result<MasterKey> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("reading the master key {shown}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("reading the master key {shown}"))?;
    if !meta.is_file() {
        bail!("the master key {shown} is not a regular file");
    }
    let mode = permission_bits(&meta);
    if mode & 0o077 != 0 {
        bail!("the master key {shown} is readable by others (mode {mode:o}); run `chmod 600 {shown}`");
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + 1));
    file.take(KEY_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading the master key {shown}"))?;
    MasterKey::from_bytes(&bytes).map_err(|e| {
        anyhow::anyhow!("the master key {shown} is unusable: {e} (make one with `head -c 32 /dev/urandom`)")
    })
}

/// Creates a new random key file at `path`, owner-only from the moment it exists, and
/// complete when it appears under its name. Returns None when `path` already exists.
pub fn create(path: &Path) -> anyhow::Result<Option<MasterKey>> {
    let shown = path.display();
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{KEY_FILE}.{}.tmp", std::process::id()));
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    rand::rng().fill_bytes(bytes.as_mut());
    let written = write_new_owner_only(&temp, bytes.as_ref())
        .with_context(|| format!("writing a new master key {}", temp.display()));
    let linked = written.and_then(|()| match std::fs::hard_link(&temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating the master key {shown}")),
    });
    let _ = std::fs::remove_file(&temp);
    if !linked? {
        return Ok(None);
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    MasterKey::from_bytes(bytes.as_ref())
        .map(Some)
        .map_err(anyhow::Error::msg)
}

/// Writes `bytes` to a file that must not exist yet, created with mode 0600.
fn write_new_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn permission_bits(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn permission_bits(_: &std::fs::Metadata) -> u32 {
    0o600
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::server::secrets::cipher::associated_data;
    use std::os::unix::fs::PermissionsExt;
    use tempfile::tempdir;

    fn write_with_mode(path: &Path, bytes: &[u8], mode: u32) {
        std::fs::write(path, bytes).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn error_of(result: anyhow::Result<MasterKey>) -> String {
        format!("{:#}", result.expect_err("refused"))
    }

    #[test]
    fn a_new_key_file_is_owner_only_and_reads_back_as_the_same_key() {
        let dir = tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let key = create(&path).unwrap().expect("created");
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(meta.len(), KEY_LEN as u64);
        let aad = associated_data("a", "other");
        let sealed = key.seal(b"value", &aad).unwrap();
        assert!(load(&path).unwrap().open(&sealed, &aad).is_some());
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn an_existing_key_file_is_never_overwritten() {
        let dir = tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        write_with_mode(&path, &[1u8; KEY_LEN], 0o600);
        assert!(create(&path).unwrap().is_none());
        assert_eq!(std::fs::read(&path).unwrap(), vec![1u8; KEY_LEN]);
    }

    #[test]
    fn a_named_key_file_that_is_missing_is_refused() {
        let dir = tempdir().unwrap();
        let message = error_of(load(&dir.path().join("nowhere.key")));
        assert!(message.contains("nowhere.key"), "{message}");
    }

    #[test]
    fn a_key_file_of_the_wrong_length_is_refused() {
        let dir = tempdir().unwrap();
        let path = dir.path().join("short.key");
        for len in [0, 31, 33, 64] {
            write_with_mode(&path, &vec![5u8; len], 0o600);
            let message = error_of(load(&path));
            assert!(message.contains("32 bytes"), "{len}: {message}");
        }
    }

    #[test]
    fn a_key_file_readable_by_group_or_others_is_refused() {
        let dir = tempdir().unwrap();
        let path = dir.path().join("open.key");
        for mode in [0o644, 0o640, 0o604] {
            write_with_mode(&path, &[5u8; KEY_LEN], mode);
            let message = error_of(load(&path));
            assert!(message.contains("chmod 600"), "{mode:o}: {message}");
        }
        write_with_mode(&path, &[5u8; KEY_LEN], 0o400);
        assert!(load(&path).is_ok());
    }
}
