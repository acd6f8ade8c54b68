//! The migration wizard (`move-to-cluster`) against the real OpenSSH testbed: the demo
//! cluster's hosts answer on the testbed, a run goes through every non-destructive step
//! (reachability, resources, generated files under a scratch directory, the media count
//! on fixture files) and skips, with a reason, what needs services the testbed lacks.
use crate::common;
use crate::wizard_support;

use app::model::runbook_run::StepState;
use app::server::db::audit::Actor;
use common::TestApp;
use reqwest::StatusCode;
use wizard_support::*;

/// What the testbed lacks, step by step: the reason a co-admin would type.
const SKIPPED: [(&str, &str); 12] = [
    (
        "mesh-keys",
        "the testbed has no WireGuard: the mesh files are only written to look at",
    ),
    (
        "mesh-up",
        "files written under a scratch directory, not installed",
    ),
    ("mesh-check", "no tunnels on the testbed"),
    ("db-role", "no PostgreSQL on the testbed"),
    (
        "db-listen",
        "would rewrite /etc/postgresql; no PostgreSQL on the testbed",
    ),
    ("db-reach", "no PostgreSQL or Redis on the testbed"),
    (
        "bucket",
        "no MinIO on the testbed: the test fills a fixture bucket",
    ),
    ("bucket-user", "no MinIO on the testbed"),
    ("test-instance", "no Mastodon on the testbed"),
    ("test-media", "no test instance on the testbed"),
    ("media-access", "the fixture bucket needs no credentials"),
    (
        "media-copy",
        "no MinIO on the testbed: the test copies the fixture files itself",
    ),
];

async fn skip_as_planned(app: &TestApp, run: i64, step: &str) {
    let reason = SKIPPED
        .iter()
        .find(|(id, _)| *id == step)
        .expect("a planned skip")
        .1;
    skip(app, run, step, reason).await;
}

/// Why `mesh-up` refuses on every target while the files went to `root`: each host says so.
fn mesh_up_refused(root: &str) -> String {
    let said = format!("the files went to {root}, not /: install them first (config_root = /)");
    let hosts: Vec<String> = ["becblanche", "hedwig", "hermes"]
        .iter()
        .map(|h| format!("{h} (exit 1, 0 passes: {said})"))
        .collect();
    format!("failed on {}", hosts.join(", "))
}

/// The media count's failure, in the script's own words.
const MEDIA_COUNT_FAILED: &str = "failed on iris (exit 1, 0 passes: media-count: mismatch, the bucket has \
     1 fewer objects and 3 fewer bytes than the source; run the copy step again, it resumes)";

#[tokio::test]
async fn the_wizard_runs_its_non_destructive_steps_on_testbed_hosts() {
    let app = demo_on_testbed().await;
    let scratch = Scratch::new();
    let run = start(&app, &scratch, &[]).await;
    let passed = (StepState::Passed, String::new());

    // Reachability and resources: the source's media is found, every target has room.
    assert_eq!(run_step(&app, run, "reach-source").await, passed);
    assert_eq!(
        output_on(&app, run, "reach-source", "iris").await,
        format!(
            "host hermes, {}\nmedia: 3 files under {}\nreachable\n",
            std::env::consts::ARCH,
            scratch.path("media")
        )
    );
    for (step, host) in [
        ("check-database", "becblanche"),
        ("check-workers", "hedwig"),
        ("check-web", "hermes"),
    ] {
        assert_eq!(run_step(&app, run, step).await, passed, "{step}");
        let out = output_on(&app, run, step, host).await;
        assert!(
            out.starts_with(&format!("host={host} arch={} cpus=", std::env::consts::ARCH)),
            "{step}: {out}"
        );
        assert!(out.ends_with("\nresources=yes\n"), "{step}: {out}");
    }

    // The mesh files: each host writes its own bundle under the scratch root.
    skip_as_planned(&app, run, "mesh-keys").await;
    assert_eq!(run_step(&app, run, "mesh-files").await, passed);
    let root = scratch.path("root");
    let wrote = |paths: &[&str]| {
        paths
            .iter()
            .map(|p| format!("wrote {root}{p}\n"))
            .collect::<String>()
    };
    let mesh = [
        "/etc/systemd/network/50-lo-mesh.netdev",
        "/etc/systemd/network/50-lo-mesh.network",
        "/etc/bird/bird.conf",
    ];
    let egress = [
        "/etc/sysctl.d/90-owlery-egress.conf",
        "/etc/nftables.d/owlery-egress.nft",
    ];
    let tunnels = |a: &str, b: &str| {
        [
            format!("/etc/wireguard/wg-{a}.conf"),
            format!("/etc/wireguard/wg-{b}.conf"),
        ]
    };
    for (host, peers, gateway) in [
        ("hermes", ("becblanche", "hedwig"), true),
        ("hedwig", ("becblanche", "hermes"), false),
        ("becblanche", ("hedwig", "hermes"), false),
    ] {
        let [t1, t2] = tunnels(peers.0, peers.1);
        let mut paths = vec![t1.as_str(), t2.as_str()];
        paths.extend(mesh);
        if gateway {
            paths.extend(egress);
        }
        assert_eq!(
            output_on(&app, run, "mesh-files", host).await,
            wrote(&paths),
            "{host}"
        );
    }
    // The testbed's hosts share one disk, so only files one host alone writes can be
    // compared there: the NAT gateway's. That each host got its own bundle shows in the
    // exact command the run page lists for it.
    let hermes = unbundle(&file(&app, "mesh", "hermes").await);
    for path in egress {
        let expected = &hermes.iter().find(|(p, _)| p == path).expect("egress file").1;
        assert_eq!(&scratch.read(&format!("root{path}")), expected, "{path}");
    }
    assert_eq!(
        scratch.read("root/etc/sysctl.d/90-owlery-egress.conf"),
        "# /etc/sysctl.d/90-owlery-egress.conf on hermes (generated by Owlery); then: sysctl --system\n\
         net.ipv4.ip_forward = 1\n"
    );
    let page = app::server::runbooks::runs::page(&app.pool, run, &Actor::cli("olivia"))
        .await
        .expect("run page");
    let step = page
        .steps
        .iter()
        .find(|s| s.step.id == "mesh-files")
        .expect("mesh-files");
    for (host, command) in &step.commands {
        let bundle = app::domain::shell::quote(&file(&app, "mesh", host).await);
        assert!(
            command.contains(&format!("bundle={bundle}\n")),
            "{host}'s own bundle"
        );
    }
    assert_eq!(step.commands.len(), 3);
    assert_eq!(mode_of(&scratch.at("root/etc/wireguard/wg-hedwig.conf")), 0o600);
    assert_eq!(mode_of(&scratch.at("root/etc/bird/bird.conf")), 0o644);

    // Restarting services refuses while the files went elsewhere: nothing is touched.
    let (state, reason) = run_step(&app, run, "mesh-up").await;
    assert_eq!(
        (state, reason.as_str()),
        (StepState::Failed, mesh_up_refused(&root).as_str())
    );
    assert_eq!(
        output_on(&app, run, "mesh-up", "hedwig").await,
        format!("the files went to {root}, not /: install them first (config_root = /)\n")
    );
    for step in [
        "mesh-up",
        "mesh-check",
        "db-role",
        "db-listen",
        "db-reach",
        "bucket",
        "bucket-user",
    ] {
        skip_as_planned(&app, run, step).await;
    }

    // The media virtual host and the inventory's settings, exactly as generated.
    assert_eq!(run_step(&app, run, "media-vhost").await, passed);
    let site = "etc/nginx/sites-available/media.social.example";
    assert_eq!(
        output_on(&app, run, "media-vhost", "hermes").await,
        format!("wrote {root}/{site}\n")
    );
    assert_eq!(
        scratch.read(&format!("root/{site}")),
        file(&app, "nginx-media", "hermes").await
    );
    let link = std::fs::read_link(scratch.at("root/etc/nginx/sites-enabled/media.social.example"));
    assert_eq!(
        link.expect("enabled").to_string_lossy(),
        "../sites-available/media.social.example"
    );

    assert_eq!(run_step(&app, run, "env-files").await, passed);
    let env_file = format!("{}/.env.owlery", scratch.path("live"));
    let mut envs = Vec::new();
    for host in ["hermes", "hedwig"] {
        let env = file(&app, "mastodon-env", host).await;
        assert_eq!(
            output_on(&app, run, "env-files", host).await,
            format!("wrote {env_file}:\n{env}")
        );
        envs.push(env);
    }
    assert!(
        envs.contains(&scratch.read("live/.env.owlery")),
        "one host's file, whole"
    );
    assert_eq!(mode_of(&scratch.at("live/.env.owlery")), 0o600);
    for step in ["test-instance", "test-media", "media-access", "media-copy"] {
        skip_as_planned(&app, run, step).await;
    }

    // The media count: a file missing from the bucket fails the check with the numbers;
    // once it is there, the retry passes.
    let (state, reason) = run_step(&app, run, "media-count").await;
    assert_eq!((state, reason.as_str()), (StepState::Failed, MEDIA_COUNT_FAILED));
    let out = output_on(&app, run, "media-count", "iris").await;
    assert_eq!(
        out,
        "source objects=3 bytes=15\nbucket objects=2 bytes=12\n\
         media-count: mismatch, the bucket has 1 fewer objects and 3 fewer bytes than the source; run the copy step again, it resumes\n"
    );
    assert_eq!(
        app::domain::media_count::compare(&out)
            .expect("counts")
            .to_string(),
        "source 3 objects, 15 bytes; bucket 2 objects, 12 bytes: the bucket has 1 fewer objects \
         and 3 fewer bytes; run the copy again (it resumes)"
    );
    scratch.put("bucket/cache/3.gif", "123");
    assert_eq!(run_step(&app, run, "media-count").await, passed);
    assert_eq!(
        output_on(&app, run, "media-count", "iris").await,
        "source objects=3 bytes=15\nbucket objects=3 bytes=15\nmedia-count: match\n"
    );

    // What every co-admin sees: each step's state, the reasons, and where the run stands.
    let skipped = |id: &str| (id.to_owned(), StepState::Skipped);
    let ran = |id: &str| (id.to_owned(), StepState::Passed);
    assert_eq!(
        states_until(&app, run, "media-count").await,
        vec![
            ran("reach-source"),
            ran("check-database"),
            ran("check-workers"),
            ran("check-web"),
            skipped("mesh-keys"),
            ran("mesh-files"),
            skipped("mesh-up"),
            skipped("mesh-check"),
            skipped("db-role"),
            skipped("db-listen"),
            skipped("db-reach"),
            skipped("bucket"),
            skipped("bucket-user"),
            ran("media-vhost"),
            ran("env-files"),
            skipped("test-instance"),
            skipped("test-media"),
            skipped("media-access"),
            skipped("media-copy"),
            ran("media-count"),
        ]
    );
    let page = app::server::runbooks::runs::page(&app.pool, run, &Actor::cli("olivia"))
        .await
        .expect("page");
    assert!(
        page.current().is_some_and(|s| s.step.id == "env-merge"),
        "the merge comes next"
    );
    assert!(!page.summary.done);
    let count = page
        .steps
        .iter()
        .find(|s| s.step.id == "media-count")
        .expect("media-count");
    assert_eq!(count.attempts, 2);
    // The run's change log keeps every skip with its reason and every failure.
    let mut history = app::server::db::audit::for_object(&app.pool, "run", run, 500)
        .await
        .expect("history");
    history.reverse();
    let logged = |action: &str| -> Vec<(String, String)> {
        history
            .iter()
            .filter(|e| e.action == action)
            .map(|e| match e.changes.as_slice() {
                [(_, _, step), (_, _, reason)] => (step.clone(), reason.clone()),
                [(_, step, reason)] => (step.clone(), reason.clone()),
                other => panic!("{action}: {other:?}"),
            })
            .collect()
    };
    let planned: Vec<(String, String)> = SKIPPED
        .iter()
        .map(|(s, r)| ((*s).to_owned(), (*r).to_owned()))
        .collect();
    assert_eq!(logged("skip-step"), planned);
    assert_eq!(
        logged("step-failed"),
        vec![
            ("mesh-up".to_owned(), mesh_up_refused(&root)),
            ("media-count".to_owned(), MEDIA_COUNT_FAILED.to_owned()),
        ]
    );
    let (status, html) = app.page(&format!("/runs/{run}")).await;
    assert_eq!(status, StatusCode::OK);
    for (_, reason) in SKIPPED {
        assert!(
            html.contains(reason),
            "the page shows why a step was skipped: {reason}"
        );
    }
}

/// What a step's hosts lack shows in its log; later steps wait.
#[tokio::test]
async fn a_missing_media_directory_and_a_too_small_target_fail_their_checks_saying_why() {
    let app = demo_on_testbed().await;
    let scratch = Scratch::new();
    let nowhere = scratch.path("no-such-dir");
    let run = start(
        &app,
        &scratch,
        &[("media_dir", &nowhere), ("min_ram_mib", "1048576")],
    )
    .await;
    let (state, reason) = run_step(&app, run, "reach-source").await;
    assert_eq!(
        (state, reason.as_str()),
        (
            StepState::Failed,
            format!("failed on iris (exit 1, 0 passes: no media directory {nowhere})").as_str()
        )
    );
    assert_eq!(
        output_on(&app, run, "reach-source", "iris").await,
        format!(
            "host hermes, {}\nno media directory {nowhere}\n",
            std::env::consts::ARCH
        )
    );
    let early = act(&app, run, "check-database", "run", "").await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "the source comes first");

    std::fs::create_dir_all(&nowhere).expect("media dir");
    assert_eq!(
        run_step(&app, run, "reach-source").await,
        (StepState::Passed, String::new())
    );
    let (state, reason) = run_step(&app, run, "check-database").await;
    assert_eq!(
        (state, reason.as_str()),
        (
            StepState::Failed,
            "failed on becblanche (exit 1, 0 passes: resources=no)"
        )
    );
    let out = output_on(&app, run, "check-database", "becblanche").await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[1].starts_with("too little memory: "), "{out}");
    assert!(lines[1].ends_with(" MiB, 1048576 MiB needed"), "{out}");
    assert_eq!(lines[2], "resources=no");
}
