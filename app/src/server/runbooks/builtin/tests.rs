use std::collections::BTreeMap;

use super::builtin;
use crate::domain::runbook_script::{placeholders, Placeholder};
use crate::model::runbook::{Runbook, StepKind};
use crate::model::runbook_toml::{describe, parse_toml};
use crate::server::db::test_pool;
use crate::server::runbooks::{exec, generated, params};

fn all() -> Vec<Runbook> {
    builtin()
        .into_iter()
        .map(|text| parse_toml(text).unwrap_or_else(|p| panic!("a built-in does not read: {}", describe(&p))))
        .collect()
}

/// Every parameter at its default (a runbook whose required parameters all have one).
fn defaults(r: &Runbook) -> BTreeMap<String, String> {
    r.params
        .iter()
        .filter_map(|p| Some((p.name.clone(), p.default.clone()?)))
        .collect()
}

#[test]
fn every_built_in_reads_validates_and_is_marked_built_in() {
    let runbooks = all();
    let slugs: Vec<&str> = runbooks.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(
        slugs,
        vec!["move-to-cluster", "add-sidekiq", "rotate-dkim", "move-host-plan"]
    );
    for r in &runbooks {
        assert!(r.builtin, "{} is not marked built in", r.slug);
        for s in &r.steps {
            assert!(!s.why.trim().is_empty(), "{}/{} says not why", r.slug, s.id);
        }
    }
}

#[test]
fn the_wizard_follows_the_articles_order_with_a_rollback_at_each_point_of_no_return() {
    let wizard = all().remove(0);
    let ids: Vec<&str> = wizard.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "reach-source",
            "check-database",
            "check-workers",
            "check-web",
            "mesh-keys",
            "mesh-files",
            "mesh-up",
            "mesh-check",
            "db-role",
            "db-listen",
            "db-reach",
            "bucket",
            "bucket-user",
            "media-vhost",
            "env-files",
            "test-instance",
            "test-media",
            "media-access",
            "media-copy",
            "media-count",
            "env-merge",
            "approve",
            "maintenance",
            "media-final",
            "db-dump",
            "db-restore",
            "start-cluster",
            "dns-records",
            "dns-cutover",
            "verify-web",
            "verify-egress",
            "keep-source",
        ]
    );
    let points: Vec<&str> = wizard
        .steps
        .iter()
        .filter(|s| s.point_of_no_return)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(points, vec!["approve", "start-cluster"]);
    let approval = wizard
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Approval)
        .unwrap();
    assert!(approval.rollback.contains("systemctl start mastodon-web"));
}

#[tokio::test]
async fn every_script_step_builds_its_exact_command_on_the_demo_cluster() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for r in all()
        .iter()
        .filter(|r| r.params.iter().all(|p| !p.required || p.default.is_some()))
    {
        let values = params::validate(&mut conn, &r.params, &defaults(r))
            .await
            .unwrap_or_else(|e| panic!("{}: defaults refused: {e:?}", r.slug));
        for step in r.steps.iter().filter(|s| s.kind.runs_script()) {
            let commands = exec::commands(&mut conn, r, &values, step)
                .await
                .unwrap_or_else(|e| panic!("{}/{}: {e}", r.slug, step.id));
            assert!(!commands.is_empty(), "{}/{} runs nowhere", r.slug, step.id);
        }
    }
}

#[tokio::test]
async fn every_generated_file_a_built_in_names_exists_for_the_demo_cluster() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let mut kinds: Vec<(String, String)> = Vec::new();
    for r in all() {
        let values = defaults(&r);
        for s in &r.steps {
            let found = placeholders(&s.script).unwrap();
            for (_, p) in found {
                let Placeholder::File(kind) = p else { continue };
                for on in &s.on {
                    if let Some(host) = values.get(on) {
                        kinds.push((kind.clone(), host.clone()));
                    }
                }
            }
        }
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 15, "{kinds:?}");
    for (kind, host) in kinds {
        let text = generated::file(&mut conn, &kind, &host)
            .await
            .unwrap_or_else(|e| panic!("{kind} for {host}: {e:?}"));
        assert!(!text.trim().is_empty(), "{kind} for {host} is empty");
    }
}

/// Runs `script` in a local `sh`: (exit code, stdout).
fn sh(script: &str) -> (i32, String) {
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("run /bin/sh");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), stdout)
}

#[tokio::test]
async fn the_wizards_file_and_count_steps_work_in_a_real_shell_on_fixture_files() {
    let (pool, _db) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_str().unwrap().to_owned();
    let wizard = all().remove(0);
    std::fs::create_dir_all(format!("{dir}/media/accounts")).unwrap();
    std::fs::create_dir_all(format!("{dir}/bucket/accounts")).unwrap();
    std::fs::write(format!("{dir}/media/accounts/a.png"), "12345").unwrap();
    std::fs::write(format!("{dir}/media/b.jpg"), "123").unwrap();
    std::fs::write(format!("{dir}/bucket/accounts/a.png"), "12345").unwrap();
    std::fs::write(format!("{dir}/bucket/owlery-probe.txt"), "owlery-probe\n").unwrap();
    // Stands in for `aws s3 ls --recursive`: the fixture bucket in awscli's format.
    let aws = format!(
        "#!/bin/sh\ncd {dir}/bucket || exit 1\nfind . -type f | sort | while read -r f; do \
         printf '2026-01-02 03:04:05 %s %s\\n' \"$(wc -c < \"$f\")\" \"${{f#./}}\"; done\n"
    );
    std::fs::write(format!("{dir}/aws"), aws).unwrap();
    sh(&format!("chmod 755 {dir}/aws"));
    let mut values = defaults(&wizard);
    for (k, v) in [
        ("config_root", dir.clone()),
        ("media_dir", format!("{dir}/media")),
        ("aws_cli", format!("{dir}/aws")),
        ("tunnel", "none".into()),
        ("s3_endpoint", "http://127.0.0.1:9".into()),
    ] {
        values.insert(k.into(), v);
    }
    let values = params::validate(&mut conn, &wizard.params, &values)
        .await
        .unwrap();
    let step = |id: &str| wizard.steps.iter().find(|s| s.id == id).unwrap().clone();

    let mesh = exec::commands(&mut conn, &wizard, &values, &step("mesh-files"))
        .await
        .unwrap();
    let (_, hedwig) = mesh.iter().find(|(h, _)| h == "hedwig").unwrap();
    let (code, out) = sh(hedwig);
    assert_eq!(code, 0, "{out}");
    let written = std::fs::read_to_string(format!("{dir}/etc/wireguard/wg-hermes.conf")).unwrap();
    let expected = generated::file(&mut conn, "wireguard-hermes", "hedwig")
        .await
        .unwrap();
    assert_eq!(written, expected);
    let bird = std::fs::read_to_string(format!("{dir}/etc/bird/bird.conf")).unwrap();
    assert_eq!(bird, generated::file(&mut conn, "bird", "hedwig").await.unwrap());
    let (_, mode) = sh(&format!("stat -c %a {dir}/etc/wireguard/wg-hermes.conf"));
    assert_eq!(mode.trim(), "600");

    let count = exec::commands(&mut conn, &wizard, &values, &step("media-count"))
        .await
        .unwrap();
    let (code, out) = sh(&count[0].1);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.ends_with("media-count: mismatch, the bucket has 1 fewer objects and 3 fewer bytes than the source; run the copy step again, it resumes\n"),
        "{out}"
    );
    let missing = crate::domain::media_count::compare(&out).unwrap();
    assert_eq!(
        missing.to_string(),
        "source 2 objects, 8 bytes; bucket 1 objects, 5 bytes: the bucket has 1 fewer objects \
         and 3 fewer bytes; run the copy again (it resumes)"
    );
    std::fs::write(format!("{dir}/bucket/b.jpg"), "123").unwrap();
    let (code, out) = sh(&count[0].1);
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "source objects=2 bytes=8\nbucket objects=2 bytes=8\nmedia-count: match\n"
        )
    );
}
