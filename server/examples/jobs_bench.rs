//! SSH jobs against the testbed, measured: fan-out of `true` on 20 hosts (Owlery cold and
//! warm, a bare russh client, OpenSSH with xargs), throughput of `seq 1 1000000` to ten
//! Server-Sent Events subscribers of the release server, and the latency of one line
//! from the remote shell to a subscriber. Prints a Markdown table (`make bench` runs it).
//!
//! ```text
//! end2end/testbed/testbed.sh up 20 && eval "$(end2end/testbed/testbed.sh env)"
//! cargo run --release -p server --example jobs_bench
//! ```
//! Knobs: `BENCH_SSH_HOSTS` (20), `BENCH_SSH_RUNS` (5), `BENCH_SSH_LINES` (1000000),
//! `BENCH_SSH_SUBSCRIBERS` (10), `OWLERY_BIN` (target/release/owlery).
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, ensure, Context};
use app::api::jobs::{JobInput, StartJob};
use app::model::action::ActionInput;
use app::model::host::HostInput;
use app::model::job::{Chunk, HostState, JobEvent, JobState};
use app::model::secret::{SecretDraft, SecretValue};
use app::model::user::Role;
use app::server::db::audit::Actor;
use app::server::jobs::{self, Jobs};
use app::server::secrets::cipher::MasterKey;
use app::server::ssh::{keys, RusshRemote};
use app::server::{auth, db, AppState};
use leptos::server_fn::ServerFn;
use russh::client;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::ChannelMsg;
use sqlx::SqlitePool;
use tokio::sync::broadcast::error::RecvError;

const PASSWORD: &str = "bench password 1234";

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The testbed, from the environment `testbed.sh env` prints.
struct Testbed {
    /// (name, port), all on 127.0.0.1.
    hosts: Vec<(String, u16)>,
    key: String,
    known_hosts: String,
    ssh_config: String,
}

fn testbed(count: usize) -> anyhow::Result<Testbed> {
    let var = |name: &str| {
        std::env::var(name)
            .map_err(|_| anyhow!("{name} is not set: eval \"$(end2end/testbed/testbed.sh env)\" first"))
    };
    let hosts: Vec<(String, u16)> = var("TESTBED_HOSTS")?
        .split(',')
        .filter_map(|entry| {
            let (name, addr) = entry.split_once('=')?;
            let port = addr.rsplit_once(':')?.1.parse().ok()?;
            Some((name.to_owned(), port))
        })
        .collect();
    ensure!(
        hosts.len() >= count,
        "the testbed has {} hosts, the bench needs {count}: testbed.sh up {count}",
        hosts.len()
    );
    Ok(Testbed {
        hosts: hosts.into_iter().take(count).collect(),
        key: std::fs::read_to_string(var("TESTBED_KEY")?).context("testbed key")?,
        known_hosts: std::fs::read_to_string(var("TESTBED_KNOWN_HOSTS")?).context("known_hosts")?,
        ssh_config: var("TESTBED_SSH_CONFIG")?,
    })
}

/// The testbed hosts in the inventory of `pool`, with the testbed key as their identity and
/// their host keys pinned; a user `bench` (operator) for the HTTP side.
async fn seed(pool: &SqlitePool, master_key: &MasterKey, bed: &Testbed) -> anyhow::Result<()> {
    let actor = Actor::cli("bench");
    let identity = SecretDraft {
        name: "testbed".into(),
        kind: "ssh-private-key".into(),
        description: String::new(),
        value: SecretValue::new(bed.key.clone()),
    };
    app::server::secrets::create(pool, master_key, &actor, &identity)
        .await
        .map_err(|e| anyhow!("identity: {e}"))?;
    let known = keys::known_hosts(&bed.known_hosts);
    for (name, port) in &bed.hosts {
        let input = HostInput {
            name: name.clone(),
            provider: "Testbed".into(),
            plan: "loopback".into(),
            ipv6: "2001:db8::21".into(),
            mesh_addr: "fd00:6f77::2".into(),
            ssh_host: "127.0.0.1".into(),
            ssh_port: port.to_string(),
            tags: "testbed".into(),
            ..HostInput::blank()
        };
        let draft = input.parse().map_err(|e| anyhow!("host {name}: {e:?}"))?;
        app::server::hosts::create(pool, &actor, &draft)
            .await
            .map_err(|e| anyhow!("host {name}: {e}"))?;
        let pinned = known
            .iter()
            .find(|k| {
                k.patterns
                    .iter()
                    .any(|p| keys::pattern_matches(p, "127.0.0.1", *port))
            })
            .with_context(|| format!("no known_hosts entry for {name}"))?;
        sqlx::query("UPDATE hosts SET ssh_identity = 'testbed' WHERE name = ?")
            .bind(name)
            .execute(pool)
            .await?;
        sqlx::query(
            "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at)
             SELECT id, ?, ?, 'bench', 0 FROM hosts WHERE name = ?",
        )
        .bind(&pinned.public_line)
        .bind(keys::fingerprint(&pinned.public_line).map_err(|e| anyhow!("fingerprint: {e}"))?)
        .bind(name)
        .execute(pool)
        .await?;
    }
    let hash = auth::hash_password(PASSWORD.into())
        .await
        .map_err(|e| anyhow!("hash: {e}"))?;
    db::users::create(pool, "bench", &hash, Role::Operator)
        .await
        .map_err(|e| anyhow!("user: {e}"))?;
    Ok(())
}

fn command_input(targets: &str, command: &str, parallelism: usize) -> JobInput {
    JobInput {
        targets: targets.into(),
        action: ActionInput {
            action: "command".into(),
            command: command.into(),
            ..ActionInput::default()
        },
        parallelism: parallelism.to_string(),
        timeout_secs: "600".into(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn runs_text(v: &[Duration]) -> String {
    v.iter()
        .map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------
// 1. Fan-out

/// One Owlery job of `true` on every host, from `jobs::start` to its end stored; checks
/// every host exited 0.
async fn owlery_fanout(state: &AppState, targets: &str, hosts: usize) -> anyhow::Result<Duration> {
    let actor = Actor::cli("bench");
    let input = command_input(targets, "true", hosts);
    let started = Instant::now();
    let id = jobs::start(state, &actor, &input)
        .await
        .map_err(|e| anyhow!("start: {e}"))?;
    if let Some(mut events) = state.jobs.subscribe(id) {
        loop {
            match events.recv().await {
                Ok(event) if matches!(event.as_ref(), JobEvent::Finished(_)) => break,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
        }
    }
    let elapsed = started.elapsed();
    let (summary, ..) = jobs::store::summary(&state.db, id)
        .await
        .map_err(|e| anyhow!("summary: {e}"))?;
    let states = jobs::store::hosts(&state.db, id)
        .await
        .map_err(|e| anyhow!("hosts: {e}"))?;
    ensure!(
        summary.state == JobState::Succeeded
            && states.len() == hosts
            && states
                .iter()
                .all(|h| h.state == HostState::Succeeded && h.exit_code == Some(0)),
        "job {id} ended {:?}: {:?}",
        summary.state,
        states
            .iter()
            .map(|h| (&h.host, h.state, &h.detail))
            .collect::<Vec<_>>()
    );
    Ok(elapsed)
}

/// Accepts any host key: the least a client can do.
struct AcceptAny;

impl client::Handler for AcceptAny {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A bare russh client: connect, authenticate, exec `true`, wait for its exit status.
async fn bare_one(config: Arc<client::Config>, key: Arc<PrivateKey>, port: u16) -> anyhow::Result<u32> {
    let mut conn = client::connect(config, ("127.0.0.1", port), AcceptAny).await?;
    let auth = conn
        .authenticate_publickey("root", PrivateKeyWithHashAlg::new(key, None))
        .await?;
    ensure!(auth.success(), "authentication refused on port {port}");
    let mut channel = conn.channel_open_session().await?;
    channel.exec(true, "true").await?;
    while let Some(msg) = channel.wait().await {
        if let ChannelMsg::ExitStatus { exit_status } = msg {
            return Ok(exit_status);
        }
    }
    bail!("no exit status from port {port}")
}

async fn bare_fanout(bed: &Testbed, key: &Arc<PrivateKey>) -> anyhow::Result<Duration> {
    let config = Arc::new(client::Config {
        nodelay: true,
        ..client::Config::default()
    });
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for (_, port) in &bed.hosts {
        set.spawn(bare_one(config.clone(), key.clone(), *port));
    }
    while let Some(done) = set.join_next().await {
        let status = done??;
        ensure!(status == 0, "exit status {status}");
    }
    Ok(started.elapsed())
}

async fn openssh_fanout(bed: &Testbed) -> anyhow::Result<Duration> {
    let names: Vec<&str> = bed.hosts.iter().map(|(n, _)| n.as_str()).collect();
    let script = format!(
        "printf '%s\\n' {} | xargs -P{} -I{{}} ssh -F '{}' {{}} true",
        names.join(" "),
        names.len(),
        bed.ssh_config
    );
    let started = Instant::now();
    let status = tokio::process::Command::new("sh")
        .args(["-c", &script])
        .status()
        .await?;
    let elapsed = started.elapsed();
    ensure!(status.success(), "openssh fan-out failed: {status}");
    Ok(elapsed)
}

struct Fanout {
    cold: Vec<Duration>,
    warm: Vec<Duration>,
    bare: Vec<Duration>,
    openssh: Vec<Duration>,
}

async fn fanout(state: &AppState, bed: &Testbed, runs: usize) -> anyhow::Result<Fanout> {
    let targets = "tag:testbed";
    let hosts = bed.hosts.len();
    let key = Arc::new(russh::keys::decode_secret_key(&bed.key, None)?);
    let fresh = || {
        let mut state = state.clone();
        state.jobs = Arc::new(Jobs::new(RusshRemote::default(), jobs::DEFAULT_OUTPUT_CAP));
        state
    };
    // One untimed round of each first, so that no method pays for the first contact of
    // this process or of the hosts (page cache, sshd's first fork).
    owlery_fanout(&fresh(), targets, hosts).await?;
    bare_fanout(bed, &key).await?;
    openssh_fanout(bed).await?;
    let mut out = Fanout {
        cold: Vec::new(),
        warm: Vec::new(),
        bare: Vec::new(),
        openssh: Vec::new(),
    };
    let settle = || tokio::time::sleep(Duration::from_millis(300));
    // Cold: each job with a new remote, so every host is a new SSH connection.
    for _ in 0..runs {
        settle().await;
        out.cold.push(owlery_fanout(&fresh(), targets, hosts).await?);
    }
    // Warm: one remote; its first job fills the pool, the next ones reuse it.
    let warm = fresh();
    owlery_fanout(&warm, targets, hosts).await?;
    for _ in 0..runs {
        settle().await;
        out.warm.push(owlery_fanout(&warm, targets, hosts).await?);
    }
    for _ in 0..runs {
        settle().await;
        out.bare.push(bare_fanout(bed, &key).await?);
    }
    for _ in 0..runs {
        settle().await;
        out.openssh.push(openssh_fanout(bed).await?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// 2 and 3. The release server: throughput and latency over Server-Sent Events

struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// (VmRSS, VmHWM) in KiB.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

async fn serve(bin: &Path, data: &Path, site: &Path) -> anyhow::Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let child = std::process::Command::new(bin)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .arg("--site")
        .arg(site)
        .env("OWLERY_LOG", "warn")
        .spawn()
        .with_context(|| format!("{} serve", bin.display()))?;
    let server = Server { child, base };
    let probe = reqwest::Client::new();
    for _ in 0..200 {
        if probe
            .get(format!("{}/health", server.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    bail!("the server did not start")
}

async fn sign_in(base: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let res = client
        .post(format!("{base}/auth/login"))
        .form(&[("username", "bench"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await?;
    ensure!(res.status().is_redirection(), "login: {}", res.status());
    Ok(client)
}

/// Starts a command job over HTTP the way a page does; returns its id.
async fn start_http(client: &reqwest::Client, base: &str, host: &str, command: &str) -> anyhow::Result<i64> {
    let res = client
        .post(format!("{base}{}", StartJob::PATH))
        .header("accept", "application/json")
        .form(&[
            ("job[targets]", host),
            ("job[action]", "command"),
            ("job[unit]", ""),
            ("job[verb]", ""),
            ("job[lines]", ""),
            ("job[command]", command),
            ("job[parallelism]", "1"),
            ("job[timeout_secs]", "600"),
        ])
        .send()
        .await?;
    let location = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let status = res.status();
    location
        .strip_prefix("/jobs/")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| anyhow!("start job: {status}, location {location:?}"))
}

/// One event of a Server-Sent Events stream.
struct Sse {
    event: String,
    data: String,
}

/// A subscriber of `/jobs/{id}/events`, reading events as they come.
struct Subscriber {
    res: reqwest::Response,
    buffer: Vec<u8>,
    start: usize,
}

impl Subscriber {
    async fn open(client: &reqwest::Client, base: &str, job: i64) -> anyhow::Result<Self> {
        let res = client.get(format!("{base}/jobs/{job}/events")).send().await?;
        ensure!(res.status().is_success(), "events: {}", res.status());
        Ok(Self {
            res,
            buffer: Vec::new(),
            start: 0,
        })
    }

    /// The next event; `None` at the end of the stream.
    async fn next(&mut self) -> anyhow::Result<Option<Sse>> {
        loop {
            let pending = &self.buffer[self.start..];
            if let Some(end) = pending.windows(2).position(|w| w == b"\n\n") {
                let block = std::str::from_utf8(&pending[..end])?;
                self.start += end + 2;
                if block.starts_with(':') {
                    continue;
                }
                let mut sse = Sse {
                    event: "message".into(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        sse.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        sse.data.push_str(v.trim_start());
                    }
                }
                return Ok(Some(sse));
            }
            self.buffer.drain(..self.start);
            self.start = 0;
            let more = tokio::time::timeout(Duration::from_secs(120), self.res.chunk())
                .await
                .context("no event within two minutes")??;
            match more {
                Some(bytes) => self.buffer.extend_from_slice(&bytes),
                None => return Ok(None),
            }
        }
    }
}

/// What one subscriber of `seq 1 N` saw.
struct SeqSeen {
    lines: u64,
    in_order: bool,
    last_line_at: Option<Instant>,
}

/// Reads the job's stream to its end, checking the output is 1, 2, ... in order.
async fn read_seq(mut sub: Subscriber, lines: u64) -> anyhow::Result<SeqSeen> {
    let mut seen = SeqSeen {
        lines: 0,
        in_order: true,
        last_line_at: None,
    };
    let mut partial = String::new();
    let mut last_seq = 0;
    while let Some(event) = sub.next().await? {
        match event.event.as_str() {
            "output" => {
                let chunk: Chunk = serde_json::from_str(&event.data)?;
                if chunk.seq <= last_seq {
                    seen.in_order = false;
                }
                last_seq = chunk.seq;
                partial.push_str(&chunk.text);
                let complete = partial.rfind('\n').map_or(0, |i| i + 1);
                for line in partial[..complete].lines() {
                    seen.lines += 1;
                    if line.parse::<u64>().ok() != Some(seen.lines) {
                        seen.in_order = false;
                    }
                }
                partial.drain(..complete);
                if seen.lines >= lines && seen.last_line_at.is_none() {
                    seen.last_line_at = Some(Instant::now());
                }
            }
            "finished" => break,
            _ => {}
        }
    }
    if !partial.is_empty() {
        seen.in_order = false;
    }
    Ok(seen)
}

struct Throughput {
    lines: u64,
    subscribers: usize,
    elapsed: Duration,
    all_received: usize,
    stored_lines: usize,
    idle_rss: u64,
    peak_rss: u64,
    hwm: u64,
}

async fn throughput(server: &Server, lines: u64, subscribers: usize) -> anyhow::Result<Throughput> {
    let client = sign_in(&server.base).await?;
    let (idle_rss, _) = server.memory();
    // The server's RSS, sampled every 5 ms while the job runs.
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        let path = format!("/proc/{}/status", server.pid());
        tokio::spawn(async move {
            let mut peak = 0u64;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                let status = std::fs::read_to_string(&path).unwrap_or_default();
                let rss = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                    .unwrap_or(0);
                peak = peak.max(rss);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            peak
        })
    };
    let started = Instant::now();
    let job = start_http(&client, &server.base, "hermes", &format!("seq 1 {lines}")).await?;
    let mut readers = Vec::new();
    for _ in 0..subscribers {
        let sub = Subscriber::open(&client, &server.base, job).await?;
        readers.push(tokio::spawn(read_seq(sub, lines)));
    }
    let mut seen = Vec::new();
    for reader in readers {
        seen.push(reader.await??);
    }
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak_rss = sampler.await?;
    let (_, hwm) = server.memory();
    let last = seen
        .iter()
        .map(|s| s.last_line_at)
        .collect::<Option<Vec<_>>>()
        .and_then(|v| v.into_iter().max());
    let all_received = seen.iter().filter(|s| s.lines == lines && s.in_order).count();
    for (i, s) in seen.iter().enumerate() {
        eprintln!(
            "subscriber {i}: {} lines, in order: {}, last line after {:?}",
            s.lines,
            s.in_order,
            s.last_line_at.map(|t| t - started)
        );
    }
    let elapsed = last.map(|t| t - started).unwrap_or_else(|| started.elapsed());
    // What was stored: the job's log as text, one line per output line.
    let log = client
        .get(format!("{}/jobs/{job}/log.txt", server.base))
        .send()
        .await?
        .text()
        .await?;
    let stored_lines = log.lines().filter(|l| l.starts_with("hermes | ")).count();
    Ok(Throughput {
        lines,
        subscribers,
        elapsed,
        all_received,
        stored_lines,
        idle_rss,
        peak_rss,
        hwm,
    })
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Remote `date +%s%N` every 10 ms; each line's age when it reaches a subscriber.
async fn latency(server: &Server, count: usize) -> anyhow::Result<Vec<Duration>> {
    let client = sign_in(&server.base).await?;
    // The pause lets the subscriber reach the live stream before the first line.
    let command = format!("sleep 0.5; for i in $(seq {count}); do date +%s%N; sleep 0.01; done");
    let job = start_http(&client, &server.base, "hermes", &command).await?;
    let mut sub = Subscriber::open(&client, &server.base, job).await?;
    let mut ages = Vec::new();
    let mut partial = String::new();
    while let Some(event) = sub.next().await? {
        match event.event.as_str() {
            "output" => {
                let arrived = now_ns();
                let chunk: Chunk = serde_json::from_str(&event.data)?;
                partial.push_str(&chunk.text);
                let complete = partial.rfind('\n').map_or(0, |i| i + 1);
                for line in partial[..complete].lines() {
                    let sent: i128 = line.trim().parse().with_context(|| format!("line {line:?}"))?;
                    ages.push(Duration::from_nanos((arrived - sent).max(0) as u64));
                }
                partial.drain(..complete);
            }
            "finished" => break,
            _ => {}
        }
    }
    ensure!(ages.len() == count, "{} of {count} lines arrived", ages.len());
    ages.sort();
    Ok(ages)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p / 100.0).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

// ---------------------------------------------------------------------------------------

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let hosts = knob("BENCH_SSH_HOSTS", 20);
    let runs = knob("BENCH_SSH_RUNS", 5).max(1);
    let lines = knob("BENCH_SSH_LINES", 1_000_000) as u64;
    let subscribers = knob("BENCH_SSH_SUBSCRIBERS", 10).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = std::env::var_os("OWLERY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/owlery"));
    ensure!(
        bin.exists(),
        "{} is missing: cargo leptos build --release",
        bin.display()
    );
    let bed = testbed(hosts)?;

    let dir = tempfile::Builder::new().prefix("owlery-jobs-bench").tempdir()?;
    let data = dir.path().to_owned();
    let site = if root.join("target/site").is_dir() {
        root.join("target/site")
    } else {
        data.clone()
    };

    // Seeding and the fan-out run in this process on the data directory; the pool is
    // closed before the release server opens the same directory.
    let pool = db::open(&data.join("owlery.db")).await?;
    let master_key = app::server::secrets::master_key_for(&data, None, &pool).await?;
    seed(&pool, &master_key, &bed).await?;
    let state = AppState {
        leptos_options: server::config::leptos_options(&data, "127.0.0.1:0".parse()?),
        db: pool.clone(),
        settings: Arc::default(),
        setup: Default::default(),
        master_key: Arc::new(master_key),
        jobs: Arc::new(Jobs::new(RusshRemote::default(), jobs::DEFAULT_OUTPUT_CAP)),
        streams: Default::default(),
    };
    eprintln!("fan-out: `true` on {hosts} hosts, {runs} runs each");
    let fan = fanout(&state, &bed, runs).await?;
    eprintln!("  owlery cold: {} ms", runs_text(&fan.cold));
    eprintln!("  owlery warm: {} ms", runs_text(&fan.warm));
    eprintln!("  bare russh:  {} ms", runs_text(&fan.bare));
    eprintln!("  openssh:     {} ms", runs_text(&fan.openssh));
    drop(state);
    pool.close().await;

    let server = serve(&bin, &data, &site).await?;
    eprintln!("throughput: seq 1 {lines} to {subscribers} subscribers");
    let put = throughput(&server, lines, subscribers).await?;
    eprintln!("latency: 200 lines");
    let ages = latency(&server, 200).await?;
    let (_, hwm_end) = server.memory();
    drop(server);

    let (cold, warm, bare, openssh) = (
        median(fan.cold.clone()),
        median(fan.warm.clone()),
        median(fan.bare.clone()),
        median(fan.openssh.clone()),
    );
    let ratio = cold.as_secs_f64() / bare.as_secs_f64();
    let rate = put.lines as f64 / put.elapsed.as_secs_f64();
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    let (p50, p99) = (percentile(&ages, 50.0), percentile(&ages, 99.0));
    let met = |ok: bool| if ok { "met" } else { "NOT MET" };
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| fan-out `true` on {hosts} hosts: Owlery, cold pool (median of {runs}) | {} | within 1.5x of bare russh: {:.2}x, {} |",
        ms(cold),
        ratio,
        met(ratio <= 1.5)
    );
    println!(
        "| fan-out: Owlery, warm pool (median of {runs}) | {} | |",
        ms(warm)
    );
    println!(
        "| fan-out: bare russh client, connect+auth+exec (median of {runs}) | {} | |",
        ms(bare)
    );
    println!(
        "| fan-out: OpenSSH `xargs -P{hosts} ssh` (median of {runs}) | {} | Owlery faster: {} |",
        ms(openssh),
        met(cold < openssh)
    );
    println!(
        "| `seq 1 {}` to {} SSE subscribers of the release server, job start to last line at the last subscriber | {:.3} s, {:.2}M lines/s | 1M lines/s: {} |",
        put.lines,
        put.subscribers,
        put.elapsed.as_secs_f64(),
        rate / 1e6,
        met(rate >= 1e6)
    );
    println!(
        "| subscribers with every line, in order / lines stored | {}/{} / {} | all |",
        put.all_received, put.subscribers, put.stored_lines
    );
    println!(
        "| server RSS: idle / peak sampled during the job / VmHWM | {} / {} / {} | < 64 MiB: {} |",
        mib(put.idle_rss),
        mib(put.peak_rss),
        mib(put.hwm),
        met(put.hwm < 64 * 1024)
    );
    println!(
        "| remote `date` to an SSE subscriber, p50 / p99 ({} lines) | {} / {} | p99 < 50 ms: {} |",
        ages.len(),
        ms(p50),
        ms(p99),
        met(p99 < Duration::from_millis(50))
    );
    println!(
        "| server VmHWM at the end (after the log export) | {} | |",
        mib(hwm_end)
    );
    ensure!(
        put.all_received == put.subscribers && put.stored_lines as u64 == put.lines,
        "lines were lost"
    );
    Ok(())
}
