//! SSH jobs against the real OpenSSH testbed (`make testbed`): live output, every way a
//! host can fail, cancel, reconnecting viewers, and a server killed mid-job.
use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use app::api::jobs::StartJob;
use app::model::job::{HostState, JobState};
use app::model::secret::{SecretDraft, SecretValue};
use app::model::user::Role;
use app::server::db::audit::Actor;
use app::server::ssh::keys;
use common::{as_pairs, host_form, spawn, with, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

/// The testbed's hosts (name, port), its client key and known_hosts, from its env.
struct Testbed {
    hosts: Vec<(String, u16)>,
    key: String,
    known_hosts: String,
}

fn testbed() -> Testbed {
    let var = |name: &str| {
        std::env::var(name)
            .unwrap_or_else(|_| panic!("{name} is not set: start the testbed with `make testbed`"))
    };
    let hosts = var("TESTBED_HOSTS")
        .split(',')
        .filter_map(|entry| {
            let (name, addr) = entry.split_once('=')?;
            let port = addr.rsplit_once(':')?.1.parse().ok()?;
            Some((name.to_owned(), port))
        })
        .collect();
    Testbed {
        hosts,
        key: std::fs::read_to_string(var("TESTBED_KEY")).expect("testbed key"),
        known_hosts: std::fs::read_to_string(var("TESTBED_KNOWN_HOSTS")).expect("testbed known_hosts"),
    }
}

/// An app whose inventory holds the testbed hosts, reachable with the testbed key and
/// with their host keys pinned; the test client is an operator.
async fn app_with_testbed() -> (TestApp, Testbed) {
    let app = spawn().await;
    let bed = testbed();
    let actor = Actor::cli("test");
    let identity = SecretDraft {
        name: "testbed".into(),
        kind: "ssh-private-key".into(),
        description: String::new(),
        value: SecretValue::new(bed.key.clone()),
    };
    app::server::secrets::create(&app.pool, &app.state.master_key, &actor, &identity)
        .await
        .expect("identity");
    let known = keys::known_hosts(&bed.known_hosts);
    for (name, port) in &bed.hosts {
        add_host(&app, name, *port).await;
        let pinned = known
            .iter()
            .find(|k| {
                k.patterns
                    .iter()
                    .any(|p| keys::pattern_matches(p, "127.0.0.1", *port))
            })
            .expect("known_hosts entry");
        pin(&app, name, &pinned.public_line).await;
    }
    app.sign_in_as("olivia", Role::Operator).await;
    (app, bed)
}

async fn add_host(app: &TestApp, name: &str, port: u16) {
    let form = with(&host_form(name), "host[ssh_port]", &port.to_string());
    let form = with(&form, "host[tags]", "testbed");
    let actor = Actor::cli("test");
    let input: app::model::host::HostInput = serde_qs_like(&form);
    let draft = input.parse().expect("valid host");
    app::server::hosts::create(&app.pool, &actor, &draft)
        .await
        .expect("host");
    sqlx::query("UPDATE hosts SET ssh_identity = 'testbed' WHERE name = ?")
        .bind(name)
        .execute(&app.pool)
        .await
        .expect("identity");
}

/// The `HostInput` a host form describes.
fn serde_qs_like(form: &[(String, String)]) -> app::model::host::HostInput {
    let fields: serde_json::Map<String, serde_json::Value> = form
        .iter()
        .map(|(k, v)| {
            let key = k.trim_start_matches("host[").trim_end_matches(']').to_owned();
            (key, serde_json::Value::String(v.clone()))
        })
        .collect();
    serde_json::from_value(serde_json::Value::Object(fields)).expect("host input")
}

async fn pin(app: &TestApp, name: &str, public_line: &str) {
    sqlx::query(
        "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at)
         SELECT id, ?, ?, 'test', 0 FROM hosts WHERE name = ?
         ON CONFLICT (host_id) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint",
    )
    .bind(public_line)
    .bind(keys::fingerprint(public_line).expect("fingerprint"))
    .bind(name)
    .execute(&app.pool)
    .await
    .expect("pin");
}

/// Starts an ad-hoc command job and returns its id.
async fn start(app: &TestApp, targets: &str, command: &str, timeout_secs: &str) -> i64 {
    let res = app
        .call(
            StartJob::PATH,
            &[
                ("job[targets]", targets),
                ("job[action]", "command"),
                ("job[unit]", ""),
                ("job[verb]", ""),
                ("job[lines]", ""),
                ("job[command]", command),
                ("job[parallelism]", "10"),
                ("job[timeout_secs]", timeout_secs),
            ],
        )
        .await;
    let status = res.status();
    let location = common::location(&res);
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {}",
        res.text().await.unwrap_or_default()
    );
    if let Some(id) = location.strip_prefix("/jobs/").and_then(|id| id.parse().ok()) {
        return id;
    }
    sqlx::query_scalar("SELECT max(id) FROM jobs")
        .fetch_one(&app.pool)
        .await
        .expect("job id")
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
struct Sse {
    event: String,
    id: Option<i64>,
    data: serde_json::Value,
}

/// A viewer of a job's live stream.
struct Viewer {
    res: reqwest::Response,
    buffer: String,
}

impl Viewer {
    async fn open(app: &TestApp, job: i64, last_event_id: Option<i64>) -> Self {
        let mut req = app.client.get(app.url(&format!("/jobs/{job}/events")));
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = req.send().await.expect("events");
        assert_eq!(res.status(), StatusCode::OK);
        Viewer {
            res,
            buffer: String::new(),
        }
    }

    /// The next event; `None` when the server ended the stream.
    async fn next(&mut self) -> Option<Sse> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut sse = Sse {
                    event: "message".into(),
                    id: None,
                    data: serde_json::Value::Null,
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        sse.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("id:") {
                        sse.id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        sse.data = serde_json::from_str(v.trim()).expect("json data");
                    }
                }
                if block.starts_with(':') {
                    continue;
                }
                return Some(sse);
            }
            let bytes = tokio::time::timeout(Duration::from_secs(60), self.res.chunk())
                .await
                .expect("an event within a minute")
                .expect("stream")?;
            self.buffer.push_str(&String::from_utf8_lossy(&bytes));
        }
    }

    /// Everything until the job's end: output per host (stdout and stderr joined), the
    /// hosts' last states, the job's state, and the output events' ids.
    async fn until_end(&mut self) -> Outcome {
        let mut outcome = Outcome::default();
        while let Some(event) = self.next().await {
            outcome.take(event);
            if outcome.job.is_some() {
                break;
            }
        }
        outcome
    }
}

#[derive(Debug, Default)]
struct Outcome {
    output: BTreeMap<String, String>,
    hosts: BTreeMap<String, (HostState, Option<i64>)>,
    job: Option<JobState>,
    ids: Vec<i64>,
}

impl Outcome {
    fn take(&mut self, event: Sse) {
        match event.event.as_str() {
            "output" => {
                let host = event.data["host"].as_str().unwrap_or_default().to_owned();
                let text = event.data["text"].as_str().unwrap_or_default();
                self.output.entry(host).or_default().push_str(text);
                self.ids.extend(event.id);
            }
            "host" => {
                let state: HostState =
                    serde_json::from_value(event.data["state"].clone()).expect("host state");
                let host = event.data["host"].as_str().unwrap_or_default().to_owned();
                self.hosts.insert(host, (state, event.data["exit_code"].as_i64()));
            }
            "finished" => self.job = Some(serde_json::from_value(event.data).expect("job state")),
            _ => {}
        }
    }
}

const THREE: &str = "hermes hedwig becblanche";

#[tokio::test]
async fn a_job_on_three_hosts_streams_lines_while_it_still_runs() {
    let (app, _bed) = app_with_testbed().await;
    let gate = tempfile::tempdir().expect("gate dir");
    let go = gate.path().join("go");
    // Each host prints a first line, then waits until the test opens the gate.
    let command = format!(
        "echo \"first from $TESTBED_HOST\"; while [ ! -e {go} ]; do sleep 0.02; done; echo last; exit 4",
        go = go.display()
    );
    let job = start(&app, THREE, &command, "60").await;
    let mut viewer = Viewer::open(&app, job, None).await;
    let mut seen = Outcome::default();
    while seen.output.values().filter(|o| o.contains("first")).count() < 3 {
        seen.take(viewer.next().await.expect("events"));
    }
    assert!(
        seen.output.values().all(|o| !o.contains("last")),
        "{:?}",
        seen.output
    );
    assert_eq!(seen.job, None, "the job still runs");
    std::fs::write(&go, "").expect("open the gate");
    let rest = viewer.until_end().await;
    assert_eq!(rest.job, Some(JobState::Failed));
    for (host, _) in &_bed.hosts {
        assert_eq!(rest.hosts[host], (HostState::Failed, Some(4)), "{host}");
        let all = format!(
            "{}{}",
            seen.output.get(host).cloned().unwrap_or_default(),
            rest.output.get(host).cloned().unwrap_or_default()
        );
        assert_eq!(all, format!("first from {host}\nlast\n"));
    }
    let (status, page) = app.page(&format!("/jobs/{job}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("first from hermes"),
        "the stored log is on the page"
    );
}

#[tokio::test]
async fn each_way_a_host_fails_ends_in_its_own_state_while_the_others_finish() {
    let (app, bed) = app_with_testbed().await;
    // nowhere: a port nothing listens on; stranger: a key the host does not know;
    // impostor: a host whose pinned key is another host's.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let closed_port = closed.local_addr().expect("addr").port();
    drop(closed);
    add_host(&app, "nowhere", closed_port).await;
    let (hermes_port, hedwig_port) = (bed.hosts[0].1, bed.hosts[1].1);
    add_host(&app, "stranger", hermes_port).await;
    let other = keys::generate_ed25519("stranger").expect("key");
    app::server::secrets::create(
        &app.pool,
        &app.state.master_key,
        &Actor::cli("test"),
        &SecretDraft {
            name: "stranger".into(),
            kind: "ssh-private-key".into(),
            description: String::new(),
            value: SecretValue::new(other.private_openssh.to_string()),
        },
    )
    .await
    .expect("identity");
    sqlx::query("UPDATE hosts SET ssh_identity = 'stranger' WHERE name = 'stranger'")
        .execute(&app.pool)
        .await
        .expect("identity");
    let known = keys::known_hosts(&bed.known_hosts);
    let key_of = |port: u16| {
        known
            .iter()
            .find(|k| {
                k.patterns
                    .iter()
                    .any(|p| keys::pattern_matches(p, "127.0.0.1", port))
            })
            .map(|k| k.public_line.clone())
            .expect("known key")
    };
    pin(&app, "stranger", &key_of(hermes_port)).await;
    add_host(&app, "impostor", hedwig_port).await;
    pin(&app, "impostor", &other.public_line).await;

    let job = start(&app, "hermes nowhere stranger impostor", "echo ok", "30").await;
    let end = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(end.job, Some(JobState::Failed));
    assert_eq!(end.hosts["hermes"].0, HostState::Succeeded);
    assert_eq!(end.output["hermes"], "ok\n");
    assert_eq!(end.hosts["nowhere"].0, HostState::Unreachable);
    assert_eq!(end.hosts["stranger"].0, HostState::AuthFailed);
    assert_eq!(end.hosts["impostor"].0, HostState::HostKeyChanged);
    assert!(
        !end.output.contains_key("impostor"),
        "nothing ran on the impostor"
    );
    let offered: String = sqlx::query_scalar(
        "SELECT o.public_key FROM host_key_offers o JOIN hosts h ON h.id = o.host_id WHERE h.name = 'impostor'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the offered key is kept for an admin");
    assert_eq!(offered, key_of(hedwig_port));

    // Timeout on one host, the others finish.
    let job = start(
        &app,
        THREE,
        "if [ \"$TESTBED_HOST\" = hedwig ]; then sleep 120; fi; echo done",
        "10",
    )
    .await;
    let end = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(end.hosts["hedwig"].0, HostState::TimedOut);
    assert_eq!(end.hosts["hermes"].0, HostState::Succeeded);
    assert_eq!(end.hosts["becblanche"].0, HostState::Succeeded);
}

#[tokio::test]
async fn a_cancelled_job_stops_its_remote_processes() {
    let (app, _bed) = app_with_testbed().await;
    // Each host's sleep prints its pid (`exec` keeps it), and a step after it must never run.
    let after = tempfile::tempdir().expect("dir");
    let touched = after.path().join("after");
    let command = format!(
        "echo started; sh -c 'echo \"sleep pid $$\"; exec sleep 300'; touch {}",
        touched.display()
    );
    let job = start(&app, THREE, &command, "600").await;
    let mut viewer = Viewer::open(&app, job, None).await;
    let mut seen = Outcome::default();
    while seen.output.values().filter(|o| o.contains("sleep pid")).count() < 3 {
        seen.take(viewer.next().await.expect("events"));
    }
    let pids: Vec<u32> = seen
        .output
        .values()
        .filter_map(|o| o.lines().find_map(|l| l.strip_prefix("sleep pid ")))
        .map(|pid| pid.parse().expect("a pid"))
        .collect();
    assert_eq!(pids.len(), 3, "{:?}", seen.output);
    let res = app
        .call(app::api::jobs::CancelJob::PATH, &[("id", &job.to_string())])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let end = viewer.until_end().await;
    assert_eq!(end.job, Some(JobState::Cancelled));
    assert!(
        end.hosts.values().all(|(s, _)| *s == HostState::Cancelled),
        "{:?}",
        end.hosts
    );
    // The remote sleeps are gone (the testbed hosts share this machine's process table).
    // Nothing announces a stranger's exit, so its /proc entry is polled, for at most 5 s.
    let gone = |pid: &u32| !std::path::Path::new(&format!("/proc/{pid}")).exists();
    for _ in 0..100 {
        if pids.iter().all(gone) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(pids.iter().all(gone), "a cancelled sleep still runs: {pids:?}");
    assert!(!touched.exists(), "the step after the cancelled one ran");
}

#[tokio::test]
async fn a_viewer_who_reconnects_gets_exactly_the_missing_lines() {
    let (app, _bed) = app_with_testbed().await;
    let job = start(&app, THREE, "seq 1 2000", "60").await;
    let mut first = Viewer::open(&app, job, None).await;
    let whole = first.until_end().await;
    assert_eq!(whole.job, Some(JobState::Succeeded));
    let expected: String = (1..=2000).map(|n| format!("{n}\n")).collect();
    for (host, _) in &_bed.hosts {
        assert_eq!(whole.output[host], expected, "{host}");
    }
    let ids = whole.ids.clone();
    assert!(
        ids.windows(2).all(|w| w[1] == w[0] + 1),
        "ids in order, none skipped"
    );
    // A second viewer from the middle gets only what follows, once.
    let middle = ids[ids.len() / 2];
    let rest = Viewer::open(&app, job, Some(middle)).await.until_end().await;
    assert_eq!(rest.ids, ids[ids.len() / 2 + 1..].to_vec());
    assert_eq!(rest.job, Some(JobState::Succeeded));
    // And a viewer from the start sees the same log as the first.
    let again = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(again.output, whole.output);
    let log = app
        .client
        .get(app.url(&format!("/jobs/{job}/log.txt")))
        .send()
        .await
        .expect("log");
    let log = log.text().await.expect("text");
    assert_eq!(log.lines().filter(|l| l.starts_with("hermes | ")).count(), 2000);
}

#[tokio::test]
async fn a_parameter_reaches_the_remote_command_as_one_literal_argument() {
    let (app, _bed) = app_with_testbed().await;
    let evil = "; rm -rf / $(touch /tmp/pwned) `id` 'single' \"double\"\nsecond line";
    let command = format!("printf '[%s]' {}", app::domain::shell::quote(evil));
    let job = start(&app, "hermes", &command, "30").await;
    let end = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(end.output["hermes"], format!("[{evil}]"));
}

#[tokio::test]
async fn viewers_and_outsiders() {
    let (app, _bed) = app_with_testbed().await;
    let job = start(&app, "hermes", "echo hi", "30").await;
    Viewer::open(&app, job, None).await.until_end().await;
    let outsider = common::client();
    let res = outsider
        .get(app.url(&format!("/jobs/{job}/events")))
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "no session, no log");
    // A viewer may watch but not start jobs.
    app.sign_in_as("victor", Role::Viewer).await;
    let res = app
        .call(
            StartJob::PATH,
            &as_pairs(&[("job[targets]".into(), "hermes".into())]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .client
        .get(app.url(&format!("/jobs/{job}/log.txt")))
        .send()
        .await
        .expect("log");
    assert_eq!(res.status(), StatusCode::OK);
}

/// `owlery serve` as its own process on `data`, ready when this returns.
async fn serve(data: &std::path::Path) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_owlery"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .arg("--site")
        .arg(data)
        .env("OWLERY_LOG", "warn")
        .spawn()
        .expect("owlery serve");
    let client = common::client();
    for _ in 0..1200 {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

#[tokio::test]
async fn a_job_of_a_killed_server_is_interrupted_after_restart_with_its_lines_kept() {
    // The inventory is written by the test app into its data directory, then a real
    // server process is started on that same directory.
    let (app, _bed) = app_with_testbed().await;
    let data = app.data_dir().to_owned();
    let (mut server, base) = serve(&data).await;
    let client = common::client();
    let res = client
        .post(format!("{base}/auth/login"))
        .form(&[
            ("username", "olivia"),
            ("password", common::PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let marker = format!("sleep 301.{}", std::process::id());
    let res = client
        .post(format!("{base}{}", StartJob::PATH))
        .header("accept", "application/json")
        .form(&[
            ("job[targets]", "hermes"),
            ("job[action]", "command"),
            ("job[command]", &format!("echo before the crash; {marker}")),
            ("job[unit]", ""),
            ("job[verb]", ""),
            ("job[lines]", ""),
            ("job[parallelism]", "1"),
            ("job[timeout_secs]", "600"),
        ])
        .send()
        .await
        .expect("start");
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let job: i64 = sqlx::query_scalar("SELECT max(id) FROM jobs")
        .fetch_one(&app.pool)
        .await
        .expect("job");
    // Wait until the line is stored, then kill the server without warning.
    let mut events = client
        .get(format!("{base}/jobs/{job}/events"))
        .send()
        .await
        .expect("events");
    let mut seen = String::new();
    while !seen.contains("before the crash") {
        let bytes = tokio::time::timeout(Duration::from_secs(30), events.chunk())
            .await
            .unwrap_or_else(|_| panic!("no output within 30 s; so far: {seen}"))
            .expect("stream")
            .expect("more events");
        seen.push_str(&String::from_utf8_lossy(&bytes));
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    let (mut again, base) = serve(&data).await;
    let client = common::client();
    client
        .post(format!("{base}/auth/login"))
        .form(&[
            ("username", "olivia"),
            ("password", common::PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    let log = client
        .get(format!("{base}/jobs/{job}/log.txt"))
        .send()
        .await
        .expect("log");
    assert_eq!(log.text().await.expect("text"), "hermes | before the crash\n");
    let (job_state, host_state): (String, String) = sqlx::query_as(
        "SELECT j.state, h.state FROM jobs j JOIN job_hosts h ON h.job_id = j.id WHERE j.id = ?",
    )
    .bind(job)
    .fetch_one(&app.pool)
    .await
    .expect("states");
    assert_eq!(
        (job_state.as_str(), host_state.as_str()),
        ("interrupted", "interrupted")
    );
    again.kill().expect("stop");
    let _ = again.wait();
}

#[tokio::test]
async fn output_beyond_the_cap_is_cut_with_a_visible_mark() {
    let (app, _bed) = app_with_testbed().await;
    let cap = app::server::jobs::DEFAULT_OUTPUT_CAP;
    let job = start(
        &app,
        "hermes",
        &format!(
            "head -c {} /dev/zero | tr '\\\\0' x; echo; echo after",
            cap + 4096
        ),
        "60",
    )
    .await;
    let end = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(end.hosts["hermes"].0, HostState::Succeeded);
    let out = &end.output["hermes"];
    let mark = "\n[output truncated: more than 16 MiB]\n";
    assert!(out.ends_with(mark), "{}", &out[out.len().saturating_sub(80)..]);
    assert!(!out.contains("after"));
    let (bytes, truncated): (i64, i64) =
        sqlx::query_as("SELECT output_bytes, truncated FROM job_hosts WHERE job_id = ?")
            .bind(job)
            .fetch_one(&app.pool)
            .await
            .expect("host row");
    assert_eq!(
        (bytes as u64, truncated),
        (cap + mark.len() as u64, 1),
        "the cap plus the mark"
    );
}

#[tokio::test]
async fn gathered_facts_are_written_onto_the_host_page() {
    let (app, _bed) = app_with_testbed().await;
    let res = app
        .call(
            StartJob::PATH,
            &[
                ("job[targets]", "hermes"),
                ("job[action]", "facts"),
                ("job[unit]", ""),
                ("job[verb]", ""),
                ("job[lines]", ""),
                ("job[command]", ""),
                ("job[parallelism]", "1"),
                ("job[timeout_secs]", "60"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let job: i64 = sqlx::query_scalar("SELECT max(id) FROM jobs")
        .fetch_one(&app.pool)
        .await
        .expect("job");
    let end = Viewer::open(&app, job, None).await.until_end().await;
    assert_eq!(end.job, Some(JobState::Succeeded));
    // The testbed hosts share this machine's kernel.
    let kernel = std::process::Command::new("uname")
        .arg("-r")
        .output()
        .expect("uname")
        .stdout;
    let kernel = String::from_utf8_lossy(&kernel).trim().to_owned();
    let (_, page) = app.page("/hosts/hermes").await;
    assert!(
        page.contains("Facts") && page.contains(&kernel),
        "facts with the kernel {kernel} on the page"
    );
    assert!(page.contains("Gathered"), "with their age");
}

#[tokio::test]
async fn a_session_that_opens_too_many_event_streams_is_refused_until_one_closes() {
    let (app, _bed) = app_with_testbed().await;
    let gate = tempfile::tempdir().expect("gate dir");
    let go = gate.path().join("go");
    let command = format!("while [ ! -e {} ]; do sleep 0.05; done", go.display());
    let job = start(&app, "hermes", &command, "60").await;
    let mut open = Vec::new();
    for _ in 0..app::server::streams::PER_SESSION {
        open.push(Viewer::open(&app, job, None).await);
    }
    let refused = app
        .client
        .get(app.url(&format!("/jobs/{job}/events")))
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers().get("retry-after").unwrap(), "30");
    // Streams end with the job; a stream's place is free once its body has ended.
    std::fs::write(&go, "").expect("gate");
    for viewer in &mut open {
        assert_eq!(viewer.until_end().await.job, Some(JobState::Succeeded));
        assert!(
            viewer.next().await.is_none(),
            "the stream ends after the job's end"
        );
    }
    let mut again = Viewer::open(&app, job, None).await;
    assert_eq!(again.until_end().await.job, Some(JobState::Succeeded));
}
