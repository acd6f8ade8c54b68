//! `RusshRemote`: runs commands over russh, refusing hosts whose key is not the pinned
//! one and keeping authenticated connections for reuse.
use super::keys;
use super::pool::{Pool, PoolKey};
use super::{Finish, Output, Remote, RunError, Target};
use russh::client::{self, Handle, Msg};
use russh::keys::{PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use russh::{Channel, ChannelMsg, Sig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;

/// TCP connect, key exchange and authentication together must finish within this.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// An unused connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a cancelled command may take to end before its channel is closed on it.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);

/// The environment variable that marks a command's processes (see `kill_marked`).
const MARK: &str = "OWLERY_RUN";

type Conn = Handle<HostKeyCheck>;

/// The real `Remote`: russh with a pool of authenticated connections, one pool key per
/// (address, port, user, pinned key, identity). Cloning shares the pool.
///
/// Each command runs as `export OWLERY_RUN=<random>; <command>` in the login shell, so
/// that a cancel can find and end its processes (see `kill_marked`).
#[derive(Clone)]
pub struct RusshRemote {
    config: Arc<client::Config>,
    pool: Arc<Pool<Conn>>,
    opened: Arc<AtomicUsize>,
}

impl Default for RusshRemote {
    fn default() -> Self {
        Self::new()
    }
}

impl RusshRemote {
    pub fn new() -> Self {
        Self::with_idle_timeout(IDLE_TIMEOUT)
    }

    /// A remote whose unused connections close after `idle_timeout`.
    pub fn with_idle_timeout(idle_timeout: Duration) -> Self {
        Self {
            config: Arc::new(tuned_config()),
            pool: Pool::new(idle_timeout),
            opened: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// How many SSH connections this remote has opened (pool misses), for tests and metrics.
    pub fn connections_opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }

    /// How many authenticated connections wait in the pool.
    pub fn idle_connections(&self) -> usize {
        self.pool.idle_count()
    }

    async fn connect(&self, target: &Target) -> Result<Conn, RunError> {
        let key = russh::keys::decode_secret_key(&target.private_key, None).map_err(|e| {
            RunError::Protocol(format!("the private key for {} cannot be used: {e}", target.host))
        })?;
        let attempt = async {
            let pinned = target.pinned_key.as_deref();
            let mut conn = handshake(&self.config, &target.addr, target.port, pinned).await?;
            let hash_alg = if key.algorithm().is_rsa() {
                conn.best_supported_rsa_hash().await.map_err(lost)?.flatten()
            } else {
                None
            };
            let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash_alg);
            let auth = conn
                .authenticate_publickey(&target.user, key)
                .await
                .map_err(lost)?;
            if auth.success() {
                Ok(conn)
            } else {
                Err(RunError::AuthFailed)
            }
        };
        let conn = timeout(CONNECT_TIMEOUT, attempt)
            .await
            .map_err(|_| too_slow())??;
        self.opened.fetch_add(1, Ordering::Relaxed);
        Ok(conn)
    }

    /// A session channel, on a pooled connection when one is alive, else on a new one.
    async fn open_channel(&self, key: &PoolKey, target: &Target) -> Result<(Conn, Channel<Msg>), RunError> {
        if let Some(conn) = self.pool.take(key, |c| !c.is_closed()) {
            // A connection can die while pooled (host rebooted, NAT expired): then the
            // open fails or hangs, and one fresh connection is tried instead.
            if let Ok(Ok(channel)) = timeout(CONNECT_TIMEOUT, conn.channel_open_session()).await {
                return Ok((conn, channel));
            }
        }
        let conn = self.connect(target).await?;
        let channel = conn.channel_open_session().await.map_err(lost)?;
        Ok((conn, channel))
    }
}

impl Remote for RusshRemote {
    async fn run(
        &self,
        target: Target,
        command: String,
        out: mpsc::Sender<Output>,
        cancel: CancellationToken,
    ) -> Result<Finish, RunError> {
        let key = PoolKey::of(&target);
        let (conn, mut channel) = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(RunError::Cancelled),
            opened = self.open_channel(&key, &target) => opened?,
        };
        let mark = format!("{:016x}", rand::random::<u64>());
        // The login shell hands the whole command to a shell that carries the mark
        // itself, so a cancel ends the command, not just the step it is on.
        let command = format!(
            "export {MARK}={mark}; exec \"${{SHELL:-/bin/sh}}\" -c {}",
            crate::domain::shell::quote(&command)
        );
        let result = execute(&mut channel, command, &out, &cancel).await;
        let reusable = match &result {
            Ok(_) => true,
            Err(RunError::Cancelled) => stop(&conn, &mut channel, &mark).await,
            Err(_) => false,
        };
        if reusable {
            self.pool.put(key, conn);
        }
        result
    }
}

/// Connects and returns the host key `addr:port` offers, without authenticating:
/// the first contact with a host, for an admin to compare and accept.
pub async fn offered_host_key(addr: &str, port: u16) -> Result<String, RunError> {
    let config = Arc::new(tuned_config());
    match timeout(CONNECT_TIMEOUT, handshake(&config, addr, port, None)).await {
        Err(_) => Err(too_slow()),
        Ok(Err(RunError::HostKeyUnknown { offered, .. })) => Ok(offered),
        Ok(Err(e)) => Err(e),
        Ok(Ok(_)) => Err(RunError::Protocol("the host key check was skipped".into())),
    }
}

/// Window and packet sizes large enough that streaming output is not held back by flow
/// control, and no Nagle delay on the small packets of a short command.
fn tuned_config() -> client::Config {
    client::Config {
        window_size: 16 << 20,
        maximum_packet_size: 65535,
        channel_buffer_size: 256,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        ..client::Config::default()
    }
}

/// TCP connect and key exchange; the host key check refuses any key but `pinned`.
async fn handshake(
    config: &Arc<client::Config>,
    addr: &str,
    port: u16,
    pinned: Option<&str>,
) -> Result<Conn, RunError> {
    let stream = TcpStream::connect((addr, port))
        .await
        .map_err(|e| RunError::Unreachable(format!("{addr}:{port}: {e}")))?;
    // Without this the first exec on a connection waits for a delayed ACK.
    let _ = stream.set_nodelay(true);
    let offered = Arc::new(Mutex::new(None));
    let check = HostKeyCheck {
        pinned: pinned.map(str::to_owned),
        offered: offered.clone(),
    };
    let result = client::connect_stream(config.clone(), stream, check).await;
    let offered = offered.lock().unwrap_or_else(|p| p.into_inner()).take();
    match (result, offered) {
        (Ok(conn), _) => Ok(conn),
        (Err(russh::Error::UnknownKey), Some(offered)) => {
            let fingerprint = keys::fingerprint(&offered).unwrap_or_default();
            Err(match pinned {
                Some(_) => RunError::HostKeyChanged { offered, fingerprint },
                None => RunError::HostKeyUnknown { offered, fingerprint },
            })
        }
        (Err(e), _) => Err(lost(e)),
    }
}

/// Accepts the server only if it offers the pinned key; remembers what it offered.
/// russh sends nothing more (no user name, no key) to a server refused here.
struct HostKeyCheck {
    pinned: Option<String>,
    offered: Arc<Mutex<Option<String>>>,
}

impl client::Handler for HostKeyCheck {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let data = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.key_data().clone(),
            PublicKeyOrCertificate::Certificate(cert) => cert.public_key().clone(),
        };
        let Ok(line) = keys::public_line(&PublicKey::from(data)) else {
            return Ok(false);
        };
        let accepted = self.pinned.as_deref().is_some_and(|p| keys::same_key(p, &line));
        *self.offered.lock().unwrap_or_else(|p| p.into_inner()) = Some(line);
        Ok(accepted)
    }
}

/// Runs `command` on `channel` and forwards its output until the channel closes.
async fn execute(
    channel: &mut Channel<Msg>,
    command: String,
    out: &mpsc::Sender<Output>,
    cancel: &CancellationToken,
) -> Result<Finish, RunError> {
    channel.exec(true, command).await.map_err(lost)?;
    let mut finish = None;
    let mut receiver_gone = false;
    loop {
        let msg = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(RunError::Cancelled),
            msg = channel.wait() => msg,
        };
        let output = match msg {
            Some(ChannelMsg::Data { data }) => Output::Stdout(data),
            Some(ChannelMsg::ExtendedData { data, ext: 1 }) => Output::Stderr(data),
            Some(ChannelMsg::ExitStatus { exit_status }) => {
                finish = Some(Finish::Exited(exit_status));
                continue;
            }
            Some(ChannelMsg::ExitSignal { signal_name, .. }) => {
                finish = Some(Finish::Signalled(signal_text(&signal_name)));
                continue;
            }
            Some(ChannelMsg::Failure) => {
                return Err(RunError::Protocol("the host refused to run the command".into()))
            }
            // The exit status comes before the close, so nothing is left to read.
            Some(ChannelMsg::Close) | None => break,
            Some(_) => continue,
        };
        // Output nobody reads is still drained, so the command can run to its end.
        if !receiver_gone {
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(RunError::Cancelled),
                sent = out.send(output) => receiver_gone = sent.is_err(),
            }
        }
    }
    finish.ok_or_else(|| RunError::Protocol("the connection closed before the command ended".into()))
}

/// Ends a cancelled command: TERM through its channel, TERM to its marked processes,
/// then the channel closes. True when the connection is fit for reuse.
async fn stop(conn: &Conn, channel: &mut Channel<Msg>, mark: &str) -> bool {
    let _ = channel.signal(Sig::TERM).await;
    // The channel is drained meanwhile: unread output would stall the whole connection.
    let drained = timeout(STOP_TIMEOUT, async {
        while let Some(msg) = channel.wait().await {
            if matches!(msg, ChannelMsg::Close) {
                return true;
            }
        }
        false
    });
    let (closed, ()) = tokio::join!(drained, kill_marked(conn, mark));
    let closed = closed.unwrap_or(false);
    if !closed {
        let _ = channel.close().await;
    }
    closed
}

/// Ends the processes of a cancelled command, found by the mark in their environment.
///
/// OpenSSH refuses signal requests on root sessions (they have no privilege-separated
/// child) and lets a command without a terminal outlive its closed channel, so the
/// signal alone is not enough; this kills them from a second channel.
async fn kill_marked(conn: &Conn, mark: &str) {
    let script = format!(
        "grep -lsxz '{MARK}={mark}' /proc/[0-9]*/environ \
         | sed -n 's|^/proc/\\([0-9]*\\)/environ$|\\1|p' | xargs -r kill -TERM 2>/dev/null; true"
    );
    let kill = async {
        let mut channel = conn.channel_open_session().await?;
        channel.exec(false, script).await?;
        while let Some(msg) = channel.wait().await {
            if matches!(msg, ChannelMsg::Close) {
                break;
            }
        }
        Ok::<_, russh::Error>(())
    };
    match timeout(STOP_TIMEOUT, kill).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("could not end a cancelled command's processes: {e}"),
        Err(_) => tracing::warn!("ending a cancelled command's processes took too long"),
    }
}

/// The signal's name as `kill -l` prints it (`TERM`, `KILL`).
fn signal_text(sig: &Sig) -> String {
    let name = match sig {
        Sig::ABRT => "ABRT",
        Sig::ALRM => "ALRM",
        Sig::FPE => "FPE",
        Sig::HUP => "HUP",
        Sig::ILL => "ILL",
        Sig::INT => "INT",
        Sig::KILL => "KILL",
        Sig::PIPE => "PIPE",
        Sig::QUIT => "QUIT",
        Sig::SEGV => "SEGV",
        Sig::TERM => "TERM",
        Sig::USR1 => "USR1",
        Sig::Custom(name) => name,
    };
    name.to_owned()
}

/// A russh failure after the TCP connection was up.
fn lost(e: russh::Error) -> RunError {
    match e {
        russh::Error::IO(e) => RunError::Unreachable(e.to_string()),
        russh::Error::Disconnect
        | russh::Error::HUP
        | russh::Error::ConnectionTimeout
        | russh::Error::KeepaliveTimeout
        | russh::Error::InactivityTimeout => RunError::Unreachable(e.to_string()),
        e => RunError::Protocol(e.to_string()),
    }
}

fn too_slow() -> RunError {
    RunError::Unreachable(format!("no SSH answer within {} s", CONNECT_TIMEOUT.as_secs()))
}
