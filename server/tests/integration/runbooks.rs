//! Runbook runs against the real OpenSSH testbed (`make testbed`): a run with manual,
//! command, check and approval steps to its end, a failing check retried, approval by
//! the starter refused, hostile values as literal arguments, and a restart mid-run.
use crate::common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::api::runbooks::{ActOnStep, ImportRunbook, StartRun};
use app::model::runbook_run::{StepAction, StepState};
use app::model::user::Role;
use app::server::db::audit::Actor;
use app::server::AppState;
use common::{host_form, spawn, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::{Client, StatusCode};

/// A run through every kind of step. `gate` is a file the check looks for: the test
/// creates it between two attempts.
const RUNBOOK: &str = r#"slug = "testbed-tour"
title = "Testbed tour"
summary = "Every kind of step on the testbed."

[[params]]
name = "host"
label = "Host"
kind = "host"

[[params]]
name = "gate"
label = "Gate file"
kind = "text"

[[params]]
name = "word"
label = "A word"
kind = "text"

[[steps]]
id = "read"
title = "Read the plan"
kind = "manual"
why = "Everyone knows what happens."
instructions = "Read it."

[[steps]]
id = "echo"
title = "Say the word"
kind = "command"
why = "The word reaches the host as one argument."
on = ["host"]
script = "printf '[%s]\\n' {{word}} on {{target}}"

[[steps]]
id = "gate"
title = "The gate is open"
kind = "check"
why = "Nothing goes on until it is."
on = ["host"]
script = "cat {{gate}}"
pass_pattern = "^open"

[[steps]]
id = "go"
title = "Go ahead"
kind = "approval"
why = "A second pair of eyes."
instructions = "Approve when the gate is open."
point_of_no_return = true
rollback = "Close the gate again."

[[steps]]
id = "end"
title = "Finish"
kind = "command"
why = "The end."
on = ["host"]
script = "echo finished on $TESTBED_HOST"
"#;

fn testbed_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: start the testbed with `make testbed`"))
}

/// The testbed's hosts as inventory hosts reachable with its key, keys pinned; the
/// test client is the operator "olivia", who imports and starts the runbook.
async fn app_with_testbed() -> TestApp {
    let app = spawn().await;
    let actor = Actor::cli("test");
    for entry in testbed_env("TESTBED_HOSTS").split(',') {
        let (name, _) = entry.split_once('=').expect("name=addr");
        let fields: serde_json::Map<String, serde_json::Value> = host_form(name)
            .iter()
            .map(|(k, v)| {
                let key = k.trim_start_matches("host[").trim_end_matches(']').to_owned();
                (key, serde_json::Value::String(v.clone()))
            })
            .collect();
        let input: app::model::host::HostInput =
            serde_json::from_value(serde_json::Value::Object(fields)).expect("host input");
        app::server::hosts::create(&app.pool, &actor, &input.parse().expect("valid host"))
            .await
            .expect("host");
        common::reach_testbed(&app, name, name).await;
    }
    app.sign_in_as("olivia", Role::Admin).await;
    app
}

fn ok(status: StatusCode, what: &str) {
    assert!(status.is_success() || status.is_redirection(), "{what}: {status}");
}

/// Imports the runbook and starts a run with `word`; returns the run id and its gate.
async fn start(app: &TestApp, word: &str) -> (i64, std::path::PathBuf) {
    let res = app.call(ImportRunbook::PATH, &[("source", RUNBOOK)]).await;
    let status = res.status();
    ok(status, &res.text().await.unwrap_or_default());
    let gate = std::env::temp_dir().join(format!(
        "owlery-runbook-gate-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    let gate_text = gate.to_string_lossy().into_owned();
    let res = app
        .call(
            StartRun::PATH,
            &[
                ("slug", "testbed-tour"),
                ("values[host]", "hermes"),
                ("values[gate]", &gate_text),
                ("values[word]", word),
            ],
        )
        .await;
    ok(res.status(), "start");
    let run = sqlx::query_scalar("SELECT max(id) FROM runs")
        .fetch_one(&app.pool)
        .await
        .expect("run");
    (run, gate)
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
}

async fn act(app: &TestApp, client: &Client, run: i64, step: &str, action: &str) -> reqwest::Response {
    let run = run.to_string();
    app.call_as(
        client,
        ActOnStep::PATH,
        &[("run", &run), ("step", step), ("action", action), ("reason", "")],
    )
    .await
}

/// Waits until the step has left "running" and returns its state and reason. The step
/// is recorded by a background task when its job ends, so the test watches the table.
async fn settled(pool: &sqlx::SqlitePool, run: i64, step: &str) -> (StepState, String) {
    for _ in 0..1200 {
        let (state, reason): (String, String) =
            sqlx::query_as("SELECT state, reason FROM run_steps WHERE run_id = ? AND step_id = ?")
                .bind(run)
                .bind(step)
                .fetch_one(pool)
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

async fn job_output(pool: &sqlx::SqlitePool, run: i64, step: &str) -> String {
    let job: i64 = sqlx::query_scalar("SELECT job_id FROM run_steps WHERE run_id = ? AND step_id = ?")
        .bind(run)
        .bind(step)
        .fetch_one(pool)
        .await
        .expect("job");
    app::server::jobs::store::output_after(pool, job, 0, i64::MAX)
        .await
        .expect("output")
        .into_iter()
        .map(|c| c.text)
        .collect()
}

/// A second co-admin, signed in on their own client.
async fn second_user(app: &TestApp) -> Client {
    app.add_user("bruno", Role::Operator).await;
    let client = common::client();
    let res = client
        .post(app.url("/auth/login"))
        .form(&[
            ("username", "bruno"),
            ("password", common::PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    client
}

#[tokio::test]
async fn a_run_goes_to_its_end_with_a_failed_check_retried_and_a_second_users_approval() {
    let app = app_with_testbed().await;
    let hostile = "'; rm -rf / # $(id) `id` \n\"x\"";
    let (run, gate) = start(&app, hostile).await;
    let me = app.client.clone();
    let early = act(&app, &me, run, "echo", "run").await;
    assert_eq!(
        early.status(),
        StatusCode::CONFLICT,
        "the manual step comes first"
    );
    ok(act(&app, &me, run, "read", "done").await.status(), "done");
    ok(act(&app, &me, run, "echo", "run").await.status(), "run echo");
    assert_eq!(settled(&app.pool, run, "echo").await.0, StepState::Passed);
    assert_eq!(
        job_output(&app.pool, run, "echo").await,
        format!("[{hostile}]\n[on]\n[hermes]\n")
    );

    ok(act(&app, &me, run, "gate", "run").await.status(), "run check");
    let (state, reason) = settled(&app.pool, run, "gate").await;
    assert_eq!(state, StepState::Failed);
    assert_eq!(
        reason,
        format!(
            "failed on hermes (exit 1, 0 passes: cat: {}: No such file or directory)",
            gate.display()
        ),
        "the reason quotes what the script said last"
    );
    assert_eq!(
        act(&app, &me, run, "go", "approve").await.status(),
        StatusCode::CONFLICT
    );
    std::fs::write(&gate, "closed\n").expect("gate");
    ok(act(&app, &me, run, "gate", "run").await.status(), "retry");
    let (state, reason) = settled(&app.pool, run, "gate").await;
    assert_eq!(
        (state, reason.as_str()),
        (
            StepState::Failed,
            "failed on hermes (output does not match ^open)"
        )
    );
    std::fs::write(&gate, "open\n").expect("gate");
    ok(act(&app, &me, run, "gate", "run").await.status(), "retry");
    assert_eq!(settled(&app.pool, run, "gate").await.0, StepState::Passed);

    let own = act(&app, &me, run, "go", "approve").await;
    assert_eq!(own.status(), StatusCode::CONFLICT);
    assert!(own
        .text()
        .await
        .unwrap_or_default()
        .contains("another co-admin must approve"));
    let bruno = second_user(&app).await;
    ok(act(&app, &bruno, run, "go", "approve").await.status(), "approve");
    ok(act(&app, &me, run, "end", "run").await.status(), "run end");
    assert_eq!(settled(&app.pool, run, "end").await.0, StepState::Passed);
    assert_eq!(job_output(&app.pool, run, "end").await, "finished on hermes\n");

    let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT step_id, state, actor, attempts FROM run_steps WHERE run_id = ? ORDER BY position",
    )
    .bind(run)
    .fetch_all(&app.pool)
    .await
    .expect("steps");
    let rows: Vec<(&str, &str, Option<&str>, i64)> = rows
        .iter()
        .map(|(s, st, a, n)| (s.as_str(), st.as_str(), a.as_deref(), *n))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("read", "passed", Some("olivia"), 0),
            ("echo", "passed", Some("owlery"), 1),
            ("gate", "passed", Some("owlery"), 3),
            ("go", "approved", Some("bruno"), 0),
            ("end", "passed", Some("owlery"), 1),
        ]
    );
    let state: String = sqlx::query_scalar("SELECT state FROM runs WHERE id = ?")
        .bind(run)
        .fetch_one(&app.pool)
        .await
        .expect("run");
    assert_eq!(state, "done");
    let (status, html) = app.page(&format!("/runs/{run}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("done · 5 of 5 steps"),
        "the page shows the progress"
    );
    let _ = std::fs::remove_file(gate);
}

/// The same database under a new server state, as after a restart.
fn restarted(app: &TestApp) -> AppState {
    AppState {
        jobs: Arc::new(app::server::jobs::Jobs::new(
            app::server::ssh::RusshRemote::default(),
            app::server::jobs::DEFAULT_OUTPUT_CAP,
        )),
        ..app.state.clone()
    }
}

#[tokio::test]
async fn after_a_restart_the_run_continues_where_it_was() {
    let app = app_with_testbed().await;
    let (run, gate) = start(&app, "restart").await;
    std::fs::write(&gate, "open\n").expect("gate");
    let me = app.client.clone();
    ok(act(&app, &me, run, "read", "done").await.status(), "done");
    // The word step hangs until the server "stops" under it.
    sqlx::query("UPDATE runs SET source = replace(source, 'printf ''[%s]\\\\n'' {{word}}', 'sleep 30; echo {{word}}') WHERE id = ?")
        .bind(run)
        .execute(&app.pool)
        .await
        .expect("slow step");
    ok(act(&app, &me, run, "echo", "run").await.status(), "run echo");
    let job: i64 = sqlx::query_scalar("SELECT job_id FROM run_steps WHERE run_id = ? AND step_id = 'echo'")
        .bind(run)
        .fetch_one(&app.pool)
        .await
        .expect("job");

    // The server stops: what it ran is interrupted; a new one starts on the same database.
    app::server::jobs::store::mark_interrupted(&app.pool)
        .await
        .expect("interrupted");
    let state = restarted(&app);
    app::server::runbooks::startup(&state.db).await.expect("startup");
    let (step, reason) = settled(&state.db, run, "echo").await;
    assert_eq!(
        (step, reason.as_str()),
        (
            StepState::Failed,
            "the server stopped while this step ran; retry it"
        )
    );
    // The old server's job ends now; the step has moved on and stays as recorded.
    app.state.jobs.cancel(job);
    sqlx::query(
        "UPDATE runs SET source = replace(source, 'sleep 30; echo {{word}}', 'echo {{word}}') WHERE id = ?",
    )
    .bind(run)
    .execute(&app.pool)
    .await
    .expect("fast step");
    let olivia = Actor {
        user_id: Some(1),
        name: "olivia".into(),
        client_addr: "test".into(),
    };
    let runs = app::server::runbooks::runs::act;
    runs(&state, &olivia, run, "echo", StepAction::Run, "")
        .await
        .expect("retry");
    assert_eq!(settled(&state.db, run, "echo").await.0, StepState::Passed);
    runs(&state, &olivia, run, "gate", StepAction::Run, "")
        .await
        .expect("check");
    assert_eq!(settled(&state.db, run, "gate").await.0, StepState::Passed);
    let page = app::server::runbooks::runs::page(&state.db, run, &olivia)
        .await
        .expect("page");
    let states: BTreeMap<String, StepState> =
        page.steps.iter().map(|s| (s.step.id.clone(), s.state)).collect();
    assert_eq!(
        states["read"],
        StepState::Passed,
        "what was done before stays done"
    );
    assert_eq!(page.steps[1].attempts, 2);
    assert!(page.current().is_some_and(|s| s.step.id == "go"));
    let _ = std::fs::remove_file(gate);
}
