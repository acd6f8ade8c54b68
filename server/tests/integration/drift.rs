//! Drift against the real OpenSSH testbed (`make testbed`): "read live state" gathers
//! facts on a testbed host, and the config check sees which recorded ports really
//! listen there. The testbed hosts share this machine's network in loopback mode, so a
//! socket this test opens is one the host has.
use crate::common;

use app::domain::checks::{Finding, Severity};
use app::model::host::HostInput;
use app::model::job::{JobEvent, JobState};
use app::model::service::ServiceInput;
use app::server::db::audit::Actor;
use common::{spawn, TestApp};

/// An inventory holding hermes (reachable, host key pinned) and two services on it:
/// `probe` on `listening`, `ghost` on `silent`.
async fn hermes_with_services(app: &TestApp, listening: u16, silent: u16) {
    let actor = Actor::cli("test");
    let host = HostInput {
        name: "hermes".into(),
        provider: "Testbed".into(),
        plan: "loopback".into(),
        ssh_host: "127.0.0.1".into(),
        ..HostInput::blank()
    };
    let draft = host.parse().expect("valid host");
    app::server::hosts::create(&app.pool, &actor, &draft)
        .await
        .expect("host");
    common::reach_testbed(app, "hermes", "hermes").await;
    for (name, port) in [("probe", listening), ("ghost", silent)] {
        let service = ServiceInput {
            name: name.into(),
            host: "hermes".into(),
            kind: "custom".into(),
            unit: format!("{name}.service"),
            listen_addr: "127.0.0.1".into(),
            port: port.to_string(),
            ..ServiceInput::default()
        };
        let draft = service.parse().expect("valid service");
        app::server::services::create(&app.pool, &actor, &draft)
            .await
            .expect("service");
    }
}

/// Runs "read live state" and waits for its job to end.
async fn read_live_state(app: &TestApp) -> JobState {
    let job = app::server::checks::read_live_state(&app.state, &Actor::cli("test"))
        .await
        .expect("job started");
    if let Some(mut events) = app.state.jobs.subscribe(job) {
        while let Ok(event) = events.recv().await {
            if let JobEvent::Finished(state) = *event {
                return state;
            }
        }
    }
    let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE id = ?")
        .bind(job)
        .fetch_one(&app.pool)
        .await
        .expect("job");
    assert_eq!(state, "succeeded");
    JobState::Succeeded
}

fn about<'a>(findings: &'a [Finding], service: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.objects.iter().any(|(_, name)| name == service))
        .filter(|f| f.rule.starts_with("service-"))
        .collect()
}

#[tokio::test]
async fn a_recorded_port_that_listens_passes_and_one_nothing_listens_on_fails() {
    let app = spawn().await;
    let open = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let listening = open.local_addr().expect("address").port();
    // A port that was free a moment ago, and that nothing in this test opens.
    let silent = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("address").port()
    };
    hermes_with_services(&app, listening, silent).await;

    let before = app::server::checks::run(&app.pool, None, None)
        .await
        .expect("checks");
    assert!(
        about(&before, "ghost").is_empty(),
        "no facts, no drift claimed: {before:#?}"
    );

    assert_eq!(read_live_state(&app).await, JobState::Succeeded);
    let findings = app::server::checks::run(&app.pool, None, None)
        .await
        .expect("checks");
    assert_eq!(about(&findings, "probe"), Vec::<&Finding>::new());
    let ghost = about(&findings, "ghost");
    assert_eq!(ghost.len(), 1, "{findings:#?}");
    assert_eq!(ghost[0].rule, "service-port-not-listening");
    assert_eq!(ghost[0].severity, Severity::Error);
    assert_eq!(
        ghost[0].message,
        format!("ghost should listen on port {silent} on hermes, but nothing listened there when facts were gathered just now.")
    );

    // The page lists when hermes's facts were gathered, and what they could tell.
    let hosts = app::server::checks::live_hosts(&app.pool).await.expect("hosts");
    assert_eq!(hosts.len(), 1);
    assert!(hosts[0].reachable && hosts[0].gathered_at.is_some());
    assert!(hosts[0].sockets.is_some_and(|n| n >= 2), "{:?}", hosts[0]);
    drop(open);
}

#[tokio::test]
async fn reading_live_state_without_any_reachable_host_says_what_to_do() {
    let app = spawn().await;
    let err = app::server::checks::read_live_state(&app.state, &Actor::cli("test"))
        .await
        .expect_err("nothing to read");
    assert_eq!(
        err.to_string(),
        "No host has an SSH identity yet: choose one on a host's page (SSH card), then read the live state."
    );
}
