//! Server functions of SSH administration: identities (private keys kept in the secret
//! store, only their public halves ever leave the server), each host's identity and
//! pinned host key, and importing a known_hosts file. Every change is for admins.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::secret::SecretValue;
use crate::model::AppError;

/// An identity as listed: a secret of kind `ssh-private-key`, shown by its public half.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshIdentity {
    pub name: String,
    /// `algo base64 comment`, ready for `authorized_keys`.
    pub public_line: String,
    pub fingerprint: String,
    /// Hosts that are reached with it.
    pub hosts: Vec<String>,
    pub updated_at: i64,
    pub updated_by: String,
}

/// The "Generate an ed25519 key" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenerateInput {
    pub name: String,
    pub comment: String,
}

/// The "Import a private key" form. Key and passphrase never serialize on the server,
/// so they cannot ride back in a response or a kept form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportInput {
    pub name: String,
    pub private_key: SecretValue,
    pub passphrase: SecretValue,
}

/// The identities page: the list, and what a failed plain post of either form left.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentitiesPage {
    pub identities: Vec<SshIdentity>,
    pub now: i64,
    pub generate: GenerateInput,
    pub generate_error: Option<AppError>,
    pub import_name: String,
    pub import_error: Option<AppError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedKey {
    pub public_line: String,
    pub fingerprint: String,
    pub pinned_by: String,
    pub pinned_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedKey {
    pub public_line: String,
    pub fingerprint: String,
    pub seen_at: i64,
}

/// A host's SSH card: its identity, pinned key and pending offer. `identities` (the
/// choices for the select) is filled for admins only, as secret names are theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostSsh {
    pub host: String,
    pub endpoint: String,
    pub identity: Option<String>,
    pub is_admin: bool,
    pub identities: Vec<String>,
    pub pinned: Option<PinnedKey>,
    pub offer: Option<OfferedKey>,
    pub now: i64,
    /// What a plain post of one of the card's forms left: (form, error) or a notice.
    pub error: Option<(String, AppError)>,
    pub notice: Option<String>,
}

/// One known_hosts key as matched to a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedKey {
    pub host: String,
    pub fingerprint: String,
    /// The fingerprint pinned before, for a host whose pinned key differs.
    pub pinned: Option<String>,
}

/// What a known_hosts import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownHostsReport {
    pub pinned: Vec<MatchedKey>,
    pub unchanged: Vec<MatchedKey>,
    /// Hosts whose pinned key differs from the file's: left as they were.
    pub conflicts: Vec<MatchedKey>,
    /// Entries naming no host of the inventory: patterns and fingerprint.
    pub unmatched: Vec<String>,
    /// Lines that are not usable entries (hashed, markers, malformed).
    pub skipped: usize,
}

/// The known_hosts page: a report kept after a plain post, or its error and text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KnownHostsPage {
    pub report: Option<KnownHostsReport>,
    pub text: String,
    pub error: Option<AppError>,
}

#[server]
pub async fn get_ssh_identities() -> Result<IdentitiesPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, ssh_admin, state::app_state};
    auth::require(Role::Admin)?;
    let state = app_state()?;
    let (generate, generate_error) = match forms::take::<GenerateInput>("ssh-generate").await {
        Some((input, e)) => (input, Some(e)),
        None => (GenerateInput::default(), None),
    };
    let (import_name, import_error) = match forms::take::<String>("ssh-import").await {
        Some((name, e)) => (name, Some(e)),
        None => (String::new(), None),
    };
    Ok(IdentitiesPage {
        identities: ssh_admin::list_identities(&state.db, &state.master_key).await?,
        now: db::now(),
        generate,
        generate_error,
        import_name,
        import_error,
    })
}

#[server]
pub async fn generate_ssh_identity(generate: GenerateInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match ssh_admin::generate(&state.db, &state.master_key, &(&session).into(), &generate).await {
        Ok(()) => forms::redirect("/settings/ssh"),
        Err(e) => Err(forms::failed("ssh-generate", &generate, e).await),
    }
}

#[server]
pub async fn import_ssh_identity(import: ImportInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match ssh_admin::import(&state.db, &state.master_key, &(&session).into(), &import).await {
        Ok(()) => forms::redirect("/settings/ssh"),
        Err(e) => Err(forms::failed("ssh-import", &import.name, e).await),
    }
}

#[server]
pub async fn get_host_ssh(host: String) -> Result<HostSsh, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let is_admin = session.user.can(Role::Admin);
    let mut card = ssh_admin::host_ssh(&app_state()?.db, &host, is_admin).await?;
    if let Some((on, e)) = forms::take::<(String, String)>("host-ssh").await {
        card.error = (on.0 == host).then_some((on.1, e));
    }
    if let Some((on, notice)) = forms::take_once::<(String, String)>("host-ssh-fetched").await {
        card.notice = (on == host).then_some(notice);
    }
    Ok(card)
}

/// Names the identity `host` is reached with; an empty `identity` names none.
#[server]
pub async fn set_host_identity(host: String, identity: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Admin)?;
    match ssh_admin::set_identity(&app_state()?.db, &(&session).into(), &host, &identity).await {
        Ok(()) => forms::redirect(&format!("/hosts/{host}")),
        Err(e) => Err(forms::failed("host-ssh", &(host, "identity".to_owned()), e).await),
    }
}

/// Connects to `host`, keeps the key it offers for review, and says what it found.
#[server]
pub async fn fetch_host_key(host: String) -> Result<String, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    auth::require(Role::Admin)?;
    match ssh_admin::fetch_offer(&app_state()?.db, &host).await {
        Ok(notice) => {
            forms::show_once("host-ssh-fetched", &(host, notice.clone())).await;
            Ok(notice)
        }
        Err(e) => Err(forms::failed("host-ssh", &(host, "fetch".to_owned()), e).await),
    }
}

/// Pins the key `host` offered last, if its fingerprint is still the one the admin saw.
#[server]
pub async fn accept_host_key(host: String, fingerprint: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Admin)?;
    let actor = (&session).into();
    match ssh_admin::accept_offer(&app_state()?.db, &actor, &host, &fingerprint).await {
        Ok(()) => forms::redirect(&format!("/hosts/{host}")),
        Err(e) => Err(forms::failed("host-ssh", &(host, "accept".to_owned()), e).await),
    }
}

#[server]
pub async fn get_known_hosts_import() -> Result<KnownHostsPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms};
    auth::require(Role::Admin)?;
    let report = forms::take_once::<KnownHostsReport>("known-hosts-done").await;
    let (text, error) = match forms::take::<String>("known-hosts").await {
        Some((text, e)) => (text, Some(e)),
        None => (String::new(), None),
    };
    Ok(KnownHostsPage { report, text, error })
}

#[server]
pub async fn import_known_hosts(text: String) -> Result<KnownHostsReport, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, ssh_admin, state::app_state};
    let session = auth::require(Role::Admin)?;
    let actor = (&session).into();
    match ssh_admin::import_known_hosts(&app_state()?.db, &actor, &text).await {
        Ok(report) => {
            forms::show_once("known-hosts-done", &report).await;
            Ok(report)
        }
        Err(e) => {
            // A paste too large to accept is too large to keep for the form, too.
            let kept = if text.len() <= ssh_admin::MAX_KNOWN_HOSTS_BYTES {
                text
            } else {
                String::new()
            };
            Err(forms::failed("known-hosts", &kept, e).await)
        }
    }
}
