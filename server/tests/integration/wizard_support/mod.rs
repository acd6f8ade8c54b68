//! What the wizard's testbed test stands on: the demo cluster answering on the testbed,
//! a scratch directory with fixture media and a fixture bucket, and the calls a co-admin
//! makes on a run (start, run a step and wait for its outcome, skip with a reason).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{spawn, TestApp};
use app::api::runbooks::{ActOnStep, StartRun};
use app::model::runbook_run::StepState;
use app::model::user::Role;
use app::server::db::audit::Actor;
use app::server::runbooks::generated;
use leptos::server_fn::ServerFn;

/// The inventory host each testbed host stands in for. The testbed has three hosts, so
/// iris (the source) shares hermes's sshd; in loopback mode all of them share one disk.
pub const STAND_INS: [(&str, &str); 4] = [
    ("iris", "hermes"),
    ("hermes", "hermes"),
    ("hedwig", "hedwig"),
    ("becblanche", "becblanche"),
];

/// The demo cluster (`owlery demo`) with every host's SSH endpoint moved to the testbed,
/// its key pinned; the client is the operator "olivia".
pub async fn demo_on_testbed() -> TestApp {
    let app = spawn().await;
    app::server::demo::load(&app.pool).await.expect("demo");
    for (host, stand_in) in STAND_INS {
        crate::common::reach_testbed(&app, host, stand_in).await;
    }
    app.sign_in_as("olivia", Role::Operator).await;
    app
}

/// A scratch directory the testbed hosts see (they share this machine's disk): the
/// source's media, a fixture bucket, a stand-in for awscli, and where files are written.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix("owlery-wizard-")
            .tempdir()
            .expect("scratch dir");
        let s = Scratch { dir };
        s.put("media/accounts/avatars/1.png", "12345");
        s.put("media/media_attachments/files/2.jpg", "1234567");
        s.put("media/cache/3.gif", "123");
        s.put("bucket/accounts/avatars/1.png", "12345");
        s.put("bucket/media_attachments/files/2.jpg", "1234567");
        s.put("bucket/owlery-probe.txt", "owlery-probe\n");
        // `aws s3 ls s3://BUCKET --recursive` over the fixture bucket, in awscli's format.
        let aws = format!(
            "#!/bin/sh\n\
             case \"$*\" in\n  *' s3 ls s3://mastodon-media --recursive') ;;\n  \
             *) echo \"unexpected: aws $*\" >&2; exit 2 ;;\nesac\n\
             cd {} || exit 1\n\
             find . -type f | sort | while read -r f; do\n  \
             printf '2026-01-02 03:04:05 %10s %s\\n' \"$(wc -c < \"$f\")\" \"${{f#./}}\"\ndone\n",
            s.path("bucket")
        );
        s.put("bin/aws", &aws);
        let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
        std::fs::set_permissions(s.at("bin/aws"), executable).expect("chmod");
        s
    }

    pub fn at(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `rel` as the text a parameter holds.
    pub fn path(&self, rel: &str) -> String {
        self.at(rel).to_string_lossy().into_owned()
    }

    pub fn put(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Starts `move-to-cluster` with everything aimed at `scratch`; `extra` overrides.
pub async fn start(app: &TestApp, scratch: &Scratch, extra: &[(&str, &str)]) -> i64 {
    let mut values: BTreeMap<String, String> = [
        ("config_root", scratch.path("root")),
        ("live_dir", scratch.path("live")),
        ("media_dir", scratch.path("media")),
        ("aws_cli", scratch.path("bin/aws")),
        ("tunnel", "none".into()),
        ("s3_endpoint", "http://127.0.0.1:9".into()),
        // The testbed shares the build machine's disk; the default 5 GB would make the
        // test depend on how full it is.
        ("min_disk_gb", "1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    values.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let mut form: Vec<(String, &str)> = vec![("slug".into(), "move-to-cluster")];
    form.extend(values.iter().map(|(k, v)| (format!("values[{k}]"), v.as_str())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = app.call(StartRun::PATH, &form).await;
    let status = res.status();
    assert!(
        status.is_success() || status.is_redirection(),
        "start: {status} {}",
        res.text().await.unwrap_or_default()
    );
    sqlx::query_scalar("SELECT max(id) FROM runs")
        .fetch_one(&app.pool)
        .await
        .expect("run")
}

pub async fn act(app: &TestApp, run: i64, step: &str, action: &str, reason: &str) -> reqwest::Response {
    let run = run.to_string();
    app.call(
        ActOnStep::PATH,
        &[
            ("run", &run),
            ("step", step),
            ("action", action),
            ("reason", reason),
        ],
    )
    .await
}

/// Runs a command or check step and waits for the server to record its outcome (a
/// background task does, when the job ends): the state and the reason a user sees.
pub async fn run_step(app: &TestApp, run: i64, step: &str) -> (StepState, String) {
    let res = act(app, run, step, "run", "").await;
    let status = res.status();
    assert!(
        status.is_success() || status.is_redirection(),
        "run {step}: {status} {}",
        res.text().await.unwrap_or_default()
    );
    for _ in 0..1200 {
        let (state, reason): (String, String) =
            sqlx::query_as("SELECT state, reason FROM run_steps WHERE run_id = ? AND step_id = ?")
                .bind(run)
                .bind(step)
                .fetch_one(&app.pool)
                .await
                .expect("step");
        let state = StepState::parse(&state).expect("state");
        if state != StepState::Running {
            return (state, reason);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("step {step} still running after a minute");
}

pub async fn skip(app: &TestApp, run: i64, step: &str, reason: &str) {
    let res = act(app, run, step, "skip", reason).await;
    let status = res.status();
    assert!(
        status.is_success() || status.is_redirection(),
        "skip {step}: {status} {}",
        res.text().await.unwrap_or_default()
    );
}

/// What `host` printed in the last job of `step`, as the job's log shows it.
pub async fn output_on(app: &TestApp, run: i64, step: &str, host: &str) -> String {
    let job: i64 = sqlx::query_scalar("SELECT job_id FROM run_steps WHERE run_id = ? AND step_id = ?")
        .bind(run)
        .bind(step)
        .fetch_one(&app.pool)
        .await
        .expect("job");
    app::server::jobs::store::output_after(&app.pool, job, 0, i64::MAX)
        .await
        .expect("output")
        .into_iter()
        .filter(|c| c.host == host)
        .map(|c| c.text)
        .collect()
}

pub async fn file(app: &TestApp, kind: &str, host: &str) -> String {
    let mut conn = app.pool.acquire().await.expect("connection");
    generated::file(&mut conn, kind, host)
        .await
        .unwrap_or_else(|e| panic!("{kind} for {host}: {e:?}"))
}

/// The files of a generated bundle: (path, content) after each `#owlery-file` line.
pub fn unbundle(bundle: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in bundle.lines() {
        match line.strip_prefix(generated::BUNDLE_MARK) {
            Some(head) => files.push((
                head.split_once(' ').expect("mode path").1.to_owned(),
                String::new(),
            )),
            None => {
                let (_, text) = files.last_mut().expect("a mark first");
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    files
}

pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// The state of each step of the run, in order, up to and including `last`.
pub async fn states_until(app: &TestApp, run: i64, last: &str) -> Vec<(String, StepState)> {
    let olivia = Actor::cli("olivia");
    let page = app::server::runbooks::runs::page(&app.pool, run, &olivia)
        .await
        .expect("run page");
    let end = page.steps.iter().position(|s| s.step.id == last).expect("step");
    page.steps[..=end]
        .iter()
        .map(|s| (s.step.id.clone(), s.state))
        .collect()
}
