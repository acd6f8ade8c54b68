//! The Tuning page's changes on a real testbed host (`make testbed`), whose `systemctl`
//! is docker-systemctl-replacement with a unit directory of its own (`make
//! systemctl-replacement`): Owlery's generated templates and decoder are installed there
//! and start a stand-in Sidekiq that prints what the decoder gave it.
use crate::common;

use app::model::job::{JobEvent, JobState};
use app::model::tuning::{InstanceInput, LiveInstance, TuningSettings, TuningSettingsInput};
use app::model::AppError;
use app::server::db::audit::Actor;
use app::server::tuning;
use common::{spawn, TestApp};

/// Stands in for Sidekiq: prints the arguments and DB_POOL the decoder gave it, then
/// waits to be stopped.
const STAND_IN: &str =
    "#!/bin/sh\necho \"stand-in $*\"\necho \"DB_POOL=${DB_POOL:-unset}\"\nexec sleep 600\n";

/// systemctl3.py as `make systemctl-replacement` installs it.
fn systemctl_py() -> String {
    std::env::var("SYSTEMCTL_PY").unwrap_or_else(|_| {
        format!(
            "{}/../.tools/systemctl/systemctl2/systemctl3.py",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

/// hedwig in the inventory (1 GiB, reachable, key pinned) with tuning settings that put
/// its units under `root` and run the stand-in as Sidekiq.
async fn hedwig(app: &TestApp, root: &str) {
    let actor = Actor::cli("test");
    let host = app::model::host::HostInput {
        name: "hedwig".into(),
        provider: "Testbed".into(),
        plan: "loopback".into(),
        ram_mib: "1024".into(),
        ssh_host: "127.0.0.1".into(),
        ..app::model::host::HostInput::blank()
    };
    app::server::hosts::create(&app.pool, &actor, &host.parse().expect("valid host"))
        .await
        .expect("host");
    common::reach_testbed(app, "hedwig", "hedwig").await;
    std::fs::write(format!("{root}/stand-in"), STAND_IN).expect("stand-in");
    let mut settings = TuningSettingsInput::from_settings(&TuningSettings::default(), 0);
    settings.systemctl = format!("/usr/bin/python3 {} --root={root}", systemctl_py());
    settings.unit_dir = format!("{root}/etc/systemd/system");
    settings.decoder = format!("{root}/usr/local/lib/owlery/mastodon-unit-decode");
    settings.user = "root".into();
    // systemctl.py reads WorkingDirectory inside its root.
    settings.working_dir = "/".into();
    settings.puma_command = format!("/bin/sh {root}/stand-in puma");
    settings.sidekiq_command = format!("/bin/sh {root}/stand-in sidekiq");
    tuning::save_settings(&app.pool, &actor, "hedwig", &settings)
        .await
        .expect("settings");
}

/// Waits for a job to end and returns its state.
async fn finished(app: &TestApp, job: i64) -> JobState {
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
    assert_eq!(state, "succeeded", "job {job}");
    JobState::Succeeded
}

async fn live(app: &TestApp) -> Vec<LiveInstance> {
    let t = tuning::load(&app.pool, "hedwig").await.expect("hedwig");
    tuning::read_live(&app.state, &t)
        .await
        .expect("the instances can be read")
}

/// Stops whatever a failed test left running under its root.
struct StopAll(String);

impl Drop for StopAll {
    fn drop(&mut self) {
        let wants = format!("{}/etc/systemd/system/multi-user.target.wants", self.0);
        for unit in std::fs::read_dir(wants).into_iter().flatten().flatten() {
            let _ = std::process::Command::new("/usr/bin/python3")
                .arg(systemctl_py())
                .arg(format!("--root={}", self.0))
                .arg("stop")
                .arg(unit.file_name())
                .output();
        }
    }
}

/// What the units printed: systemctl.py keeps one log file per unit file.
fn journal(root: &str) -> String {
    let dir = std::fs::read_dir(format!("{root}/var/log/journal")).expect("journal directory");
    dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect()
}

fn sidekiq(concurrency: &str, replaces: &str) -> InstanceInput {
    InstanceInput {
        concurrency: concurrency.into(),
        queues: "default push".into(),
        replaces: replaces.into(),
        ..InstanceInput::blank()
    }
}

#[tokio::test]
async fn a_sidekiq_instance_is_added_changed_and_removed_on_a_testbed_host() {
    let app = spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    // systemctl.py wants a root at least three levels deep.
    let root = format!("{}/hosts/hedwig", dir.path().display());
    std::fs::create_dir_all(&root).expect("root");
    let _cleanup = StopAll(root.clone());
    hedwig(&app, &root).await;
    let actor = Actor::cli("test");

    let job = tuning::install(&app.state, &actor, "hedwig")
        .await
        .expect("install");
    assert_eq!(finished(&app, job).await, JobState::Succeeded);
    let template = std::fs::read_to_string(format!("{root}/etc/systemd/system/mastodon-sidekiq@.service"))
        .expect("template installed");
    assert!(template.contains(&format!("ExecStart={root}/usr/local/lib/owlery/mastodon-unit-decode sidekiq %i -- /bin/sh {root}/stand-in sidekiq")));
    assert_eq!(live(&app).await, Vec::new());

    // 150 threads do not fit in PostgreSQL's default 97 connections: refused, nothing runs.
    let refused = tuning::apply(&app.state, &actor, "hedwig", &sidekiq("150", "")).await;
    let Err(AppError::Validation(e)) = refused else {
        panic!("an overrun was accepted: {refused:?}");
    };
    assert_eq!(
        e.get("override_budget"),
        Some("Over budget: database connections 0 → 150 / 97; memory 0 → 1750 / 1024 MiB. Lower the settings, or tick the box to run it anyway.")
    );
    assert_eq!(live(&app).await, Vec::new());

    let job = tuning::apply(&app.state, &actor, "hedwig", &sidekiq("10", ""))
        .await
        .expect("add");
    assert_eq!(finished(&app, job).await, JobState::Succeeded);
    let running = live(&app).await;
    assert_eq!(running.len(), 1, "{running:?}");
    assert_eq!(running[0].unit, "mastodon-sidekiq@c10.qdefault.qpush.service");
    assert_eq!(running[0].state, "active");
    let log = journal(&root);
    assert!(log.contains("stand-in sidekiq -c 10 -q default -q push"), "{log}");
    assert!(log.contains("DB_POOL=10"), "{log}");

    let job = tuning::apply(&app.state, &actor, "hedwig", &sidekiq("12", &running[0].unit))
        .await
        .expect("change");
    assert_eq!(finished(&app, job).await, JobState::Succeeded);
    let changed = live(&app).await;
    let units: Vec<(&str, &str)> = changed
        .iter()
        .map(|i| (i.unit.as_str(), i.state.as_str()))
        .collect();
    assert_eq!(
        units,
        vec![("mastodon-sidekiq@c12.qdefault.qpush.service", "active")]
    );

    let job = tuning::remove(&app.state, &actor, "hedwig", &changed[0].unit)
        .await
        .expect("remove");
    assert_eq!(finished(&app, job).await, JobState::Succeeded);
    assert_eq!(live(&app).await, Vec::new());
}

#[tokio::test]
async fn a_host_without_a_pinned_key_says_so_instead_of_listing_nothing() {
    let app = spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = format!("{}/hosts/hedwig", dir.path().display());
    std::fs::create_dir_all(&root).expect("root");
    hedwig(&app, &root).await;
    sqlx::query("DELETE FROM host_keys")
        .execute(&app.pool)
        .await
        .expect("unpin");
    let t = tuning::load(&app.pool, "hedwig").await.expect("hedwig");
    let reason = tuning::read_live(&app.state, &t)
        .await
        .expect_err("no key pinned");
    assert_eq!(
        reason,
        "hedwig's host key is not pinned yet; an admin must accept it on the host page"
    );
}
