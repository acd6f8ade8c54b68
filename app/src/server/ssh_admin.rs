//! SSH administration: identities kept in the secret store (only their public halves
//! are listed), the identity each host is reached with, and host keys fetched, offered
//! and pinned. Every change is audited in the transaction that makes it.
mod known_hosts;

pub use known_hosts::{import_known_hosts, MAX_KNOWN_HOSTS_BYTES};

use russh::keys::{HashAlg, PrivateKey};
use sqlx::SqlitePool;
use std::time::Duration;
use zeroize::Zeroizing;

use super::db::{self, audit::Actor, host_keys};
use super::error::internal;
use super::secrets::{self, cipher::MasterKey};
use super::ssh::keys::{self, KeyError, KeyPair};
use crate::api::ssh::{GenerateInput, HostSsh, ImportInput, SshIdentity};
use crate::model::secret::{parse_secret_name, SecretInput, SecretValue, MAX_VALUE_BYTES};
use crate::model::{AppError, FieldErrors};

/// The secret kind an identity is stored as.
pub const IDENTITY_KIND: &str = "ssh-private-key";
/// The audit action of pinning a host key (by an admin's accept or a known_hosts import).
pub const PIN_ACTION: &str = "pin host key";
const HOST_KIND: &str = "host";
/// How long fetching a host key may take before the host counts as unreachable.
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);

/// Every identity with its public key line, fingerprint and the hosts using it. The
/// private keys are opened here to derive their public halves and go no further.
pub async fn list_identities(pool: &SqlitePool, key: &MasterKey) -> Result<Vec<SshIdentity>, AppError> {
    let users = host_keys::identity_users(pool).await?;
    let mut identities = Vec::new();
    for s in db::secrets::list(pool)
        .await?
        .into_iter()
        .filter(|s| s.kind == IDENTITY_KIND)
    {
        let value = secrets::reveal(pool, key, &s.name).await?;
        let (public_line, fingerprint) = public_half(value.expose()).unwrap_or_else(|e| {
            tracing::warn!(identity = %s.name, error = %e, "an SSH identity is not a usable key");
            (
                "(not a usable OpenSSH private key: replace it)".into(),
                String::new(),
            )
        });
        let hosts = users
            .iter()
            .filter(|(identity, _)| *identity == s.name)
            .map(|(_, host)| host.clone())
            .collect();
        identities.push(SshIdentity {
            name: s.name,
            public_line,
            fingerprint,
            hosts,
            updated_at: s.updated_at,
            updated_by: s.updated_by,
        });
    }
    Ok(identities)
}

/// The public line (with the key's comment, as `authorized_keys` takes it) and the
/// fingerprint of a private key; the public half of an OpenSSH key is never encrypted.
fn public_half(private: &str) -> Result<(String, String), KeyError> {
    let key = PrivateKey::from_openssh(private.trim()).map_err(|e| KeyError::Invalid(e.to_string()))?;
    let line = keys::public_line(key.public_key())?;
    let comment = key.comment().as_str_lossy().trim();
    let line = if comment.is_empty() || comment.contains(char::is_control) {
        line
    } else {
        format!("{line} {comment}")
    };
    Ok((line, key.fingerprint(HashAlg::Sha256).to_string()))
}

fn parse_comment(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.chars().count() > 100 {
        return Err("use at most 100 characters".into());
    }
    if s.contains(char::is_control) {
        return Err("use one line of plain text".into());
    }
    Ok(s.to_owned())
}

/// Generates an ed25519 identity and seals it in the secret store under `input.name`.
pub async fn generate(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    input: &GenerateInput,
) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    let name = e.check("name", parse_secret_name(&input.name));
    let comment = e.check("comment", parse_comment(&input.comment));
    let (Some(name), Some(comment)) = (name, comment) else {
        return Err(AppError::Validation(e));
    };
    let comment = if comment.is_empty() {
        format!("{name}@owlery")
    } else {
        comment
    };
    let pair =
        keys::generate_ed25519(&comment).map_err(|e| internal("generating an ed25519 key failed", e))?;
    store(pool, key, actor, &name, "ed25519 key generated in Owlery", &pair).await
}

/// Imports a pasted OpenSSH private key (decrypted with its passphrase, if it has one)
/// and seals it, unencrypted, in the secret store under `input.name`.
pub async fn import(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    input: &ImportInput,
) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    let name = e.check("name", parse_secret_name(&input.name));
    let text = Zeroizing::new(input.private_key.expose().replace("\r\n", "\n"));
    let pair = if text.trim().is_empty() {
        e.add(
            "private_key",
            "paste the private key, from its -----BEGIN line to its -----END line",
        );
        None
    } else if text.len() > MAX_VALUE_BYTES {
        e.add("private_key", "this is far too long for a private key");
        None
    } else {
        let passphrase = Zeroizing::new(input.passphrase.expose().to_owned());
        // Decrypting runs bcrypt rounds: off the async workers.
        let opened = tokio::task::spawn_blocking(move || {
            let passphrase = Some(passphrase.as_str()).filter(|p| !p.is_empty());
            keys::import_private(&text, passphrase)
        })
        .await
        .map_err(|e| internal("importing a private key failed", e))?;
        match opened {
            Ok(pair) => Some(pair),
            Err(k @ (KeyError::PassphraseNeeded | KeyError::WrongPassphrase)) => {
                e.add("passphrase", k.to_string());
                None
            }
            Err(k) => {
                e.add("private_key", k.to_string());
                None
            }
        }
    };
    match (name, pair) {
        (Some(name), Some(pair)) => store(pool, key, actor, &name, "imported SSH key", &pair).await,
        _ => Err(AppError::Validation(e)),
    }
}

/// Seals a key pair's private key as a secret of kind `ssh-private-key` (audited there).
async fn store(
    pool: &SqlitePool,
    key: &MasterKey,
    actor: &Actor,
    name: &str,
    description: &str,
    pair: &KeyPair,
) -> Result<(), AppError> {
    let draft = SecretInput {
        name: name.to_owned(),
        kind: IDENTITY_KIND.into(),
        description: description.into(),
        value: SecretValue::new(pair.private_openssh.as_str().to_owned()),
        version: String::new(),
    }
    .parse_new()
    .map_err(|errors| {
        // Only the name can be wrong here; a key that parsed is a valid value.
        match errors.get("name") {
            Some(message) => AppError::field("name", message),
            None => internal("a parsed key was refused by the secret store", errors),
        }
    })?;
    secrets::create(pool, key, actor, &draft).await?;
    Ok(())
}

/// Where SSH reaches a host, as `addr:port` (`[v6]:port`).
fn endpoint(addr: &str, port: i64) -> String {
    if addr.contains(':') {
        format!("[{addr}]:{port}")
    } else {
        format!("{addr}:{port}")
    }
}

/// A host's SSH card; the identities to choose from are listed for admins only.
pub async fn host_ssh(pool: &SqlitePool, name: &str, is_admin: bool) -> Result<HostSsh, AppError> {
    let mut conn = pool.acquire().await?;
    let host = host_keys::host(&mut conn, name).await?;
    let pinned = host_keys::pinned(&mut conn, host.id).await?;
    let offer = host_keys::offer(&mut conn, host.id).await?;
    drop(conn);
    let identities = if is_admin {
        db::secrets::list(pool)
            .await?
            .into_iter()
            .filter(|s| s.kind == IDENTITY_KIND)
            .map(|s| s.name)
            .collect()
    } else {
        Vec::new()
    };
    Ok(HostSsh {
        endpoint: endpoint(&host.ssh_host, host.ssh_port),
        host: host.name,
        // Secret names are for admins; others only learn whether one is set.
        identity: if is_admin {
            host.ssh_identity
        } else {
            host.ssh_identity.map(|_| "(set)".to_owned())
        },
        is_admin,
        identities,
        pinned,
        offer,
        now: db::now(),
        error: None,
        notice: None,
    })
}

/// Names the identity `host` is reached with (empty: none), audited as a host change.
pub async fn set_identity(
    pool: &SqlitePool,
    actor: &Actor,
    host: &str,
    identity: &str,
) -> Result<(), AppError> {
    let identity = Some(identity.trim()).filter(|i| !i.is_empty());
    let mut tx = db::begin(pool).await?;
    let h = host_keys::host(&mut tx, host).await?;
    if let Some(name) = identity {
        let secret = db::secrets::get(&mut tx, name).await.map_err(|e| match e {
            AppError::NotFound => AppError::field("identity", format!("there is no identity named {name}")),
            other => other,
        })?;
        if secret.kind != IDENTITY_KIND {
            return Err(AppError::field(
                "identity",
                format!("{name} is not an SSH private key"),
            ));
        }
    }
    if h.ssh_identity.as_deref() == identity {
        return Ok(());
    }
    host_keys::set_identity(&mut tx, h.id, identity).await?;
    let changes = [(
        "ssh_identity".to_owned(),
        h.ssh_identity.clone().unwrap_or_default(),
        identity.unwrap_or_default().to_owned(),
    )];
    db::audit::record(
        &mut tx,
        actor,
        "update",
        (HOST_KIND, Some(h.id), &h.name),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps a key a host offered that is not the pinned one, for an admin to review (the
/// job runner calls this when a host's key is unknown or changed).
pub async fn record_offer(
    pool: &SqlitePool,
    host_id: i64,
    public_line: &str,
    fingerprint: &str,
) -> Result<(), AppError> {
    host_keys::set_offer(&mut *pool.acquire().await?, host_id, public_line, fingerprint).await
}

/// Connects to `host`, and keeps the key it offers unless it is the pinned one. Returns
/// what was found, in words.
pub async fn fetch_offer(pool: &SqlitePool, host: &str) -> Result<String, AppError> {
    use super::ssh::{client, RunError};
    let h = host_keys::host(&mut *pool.acquire().await?, host).await?;
    let at = endpoint(&h.ssh_host, h.ssh_port);
    let port = u16::try_from(h.ssh_port).map_err(|e| internal("a host has an impossible SSH port", e))?;
    let offered = match tokio::time::timeout(FETCH_TIMEOUT, client::offered_host_key(&h.ssh_host, port)).await
    {
        Ok(Ok(line)) => line,
        Ok(Err(e)) => {
            tracing::warn!(host = %h.name, error = %e, "fetching a host key failed");
            return Err(AppError::Conflict(match e {
                RunError::Unreachable(_) => format!(
                    "could not connect to {at}; check the host's SSH address and port, and that sshd runs"
                ),
                _ => format!("{at} did not complete an SSH handshake; the details are in the server log"),
            }));
        }
        Err(_) => {
            tracing::warn!(host = %h.name, "fetching a host key timed out");
            return Err(AppError::Conflict(format!(
                "{at} did not answer within {}s",
                FETCH_TIMEOUT.as_secs()
            )));
        }
    };
    let line = offered.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let fingerprint =
        keys::fingerprint(&line).map_err(|e| internal("a host offered an unreadable key", e))?;
    let mut tx = db::begin(pool).await?;
    let notice = match host_keys::pinned(&mut tx, h.id).await? {
        Some(p) if keys::same_key(&p.public_line, &line) => {
            host_keys::clear_offer(&mut tx, h.id).await?;
            format!("{} offers its pinned key {fingerprint}.", h.name)
        }
        Some(_) => {
            host_keys::set_offer(&mut tx, h.id, &line, &fingerprint).await?;
            format!(
                "{} offers a key other than the pinned one: {fingerprint}.",
                h.name
            )
        }
        None => {
            host_keys::set_offer(&mut tx, h.id, &line, &fingerprint).await?;
            format!(
                "{} offers {fingerprint}. Compare it with the host's own before you accept it.",
                h.name
            )
        }
    };
    tx.commit().await?;
    Ok(notice)
}

/// Pins the key `host` offered last, if its fingerprint is still `fingerprint` (the one
/// the admin saw). The key comes from the stored offer, never from the request.
pub async fn accept_offer(
    pool: &SqlitePool,
    actor: &Actor,
    host: &str,
    fingerprint: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let h = host_keys::host(&mut tx, host).await?;
    let offer = host_keys::offer(&mut tx, h.id).await?.ok_or_else(|| {
        AppError::Conflict(format!(
            "{host} has no offered key to accept; fetch its host key first"
        ))
    })?;
    if offer.fingerprint != fingerprint.trim() {
        return Err(AppError::Conflict(format!(
            "{host} offered another key since this page was loaded ({}); compare that one, then accept it",
            offer.fingerprint
        )));
    }
    let before = host_keys::pinned(&mut tx, h.id).await?;
    host_keys::pin(
        &mut tx,
        h.id,
        (&offer.public_line, &offer.fingerprint),
        &actor.name,
    )
    .await?;
    host_keys::clear_offer(&mut tx, h.id).await?;
    let changes = [(
        "host key".to_owned(),
        before.map(|p| p.fingerprint).unwrap_or_default(),
        offer.fingerprint.clone(),
    )];
    db::audit::record(
        &mut tx,
        actor,
        PIN_ACTION,
        (HOST_KIND, Some(h.id), &h.name),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
