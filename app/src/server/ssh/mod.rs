//! Reaching hosts over SSH: keys, pinned host keys, and running one command with its
//! output streamed back. `Remote` is the seam the job runner uses; `RusshRemote` is the
//! real thing (russh), tested against the OpenSSH testbed.
pub mod client;
pub mod keys;
mod pool;

use bytes::Bytes;
use tokio::sync::mpsc;

pub use client::{offered_host_key, RusshRemote};
/// Re-exported so callers outside `app` need no tokio-util of their own.
pub use tokio_util::sync::CancellationToken;

/// Where and as whom one command runs.
#[derive(Clone)]
pub struct Target {
    /// The host's name in the inventory (for logs and errors).
    pub host: String,
    pub addr: String,
    pub port: u16,
    pub user: String,
    /// The pinned public key, as an OpenSSH line (`ssh-ed25519 AAAA…`); `None` refuses
    /// the connection with `RunError::HostKeyUnknown` before authenticating.
    pub pinned_key: Option<String>,
    /// The identity's private key in OpenSSH format, unencrypted (it comes out of the
    /// secret store and lives only in memory).
    pub private_key: zeroize::Zeroizing<String>,
}

/// One piece of output as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout(Bytes),
    Stderr(Bytes),
}

/// How a command that ran ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    Exited(u32),
    Signalled(String),
}

/// Why a command did not run to its end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("authentication refused")]
    AuthFailed,
    /// The host offered a key other than the pinned one; nothing was sent.
    #[error("host key changed (offered {fingerprint})")]
    HostKeyChanged { offered: String, fingerprint: String },
    /// No key is pinned for the host yet; nothing was sent.
    #[error("host key not yet accepted (offered {fingerprint})")]
    HostKeyUnknown { offered: String, fingerprint: String },
    /// The cancel token fired: the remote process was signalled and the channel closed.
    #[error("cancelled")]
    Cancelled,
    #[error("ssh: {0}")]
    Protocol(String),
}

/// Runs one command on one host.
pub trait Remote: Send + Sync + 'static {
    /// Runs `command` on `target`, sending output to `out` as it arrives, in order.
    /// When `cancel` fires, signals the remote process (TERM), closes the channel and
    /// returns `RunError::Cancelled`.
    fn run(
        &self,
        target: Target,
        command: String,
        out: mpsc::Sender<Output>,
        cancel: CancellationToken,
    ) -> impl std::future::Future<Output = Result<Finish, RunError>> + Send;
}
