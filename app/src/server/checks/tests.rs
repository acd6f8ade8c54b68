//! The config check over the database: the demo as the article ended up, facts read
//! from hosts (nginx -T among them), and the DKIM signing key from the secret store.
use super::*;
use crate::domain::checks::Severity;
use crate::server::db::test_pool;
use crate::server::secrets::cipher::MasterKey;

/// The nginx -T lines the facts keep of hermes's configuration, HSTS on one virtual
/// host of social.example but not the other.
const NGINX_ONE_HSTS: &str = "http {\n\
    server {\n\
    listen 443 ssl;\n\
    server_name social.example;\n\
    add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n\
    location / {\n\
    }\n\
    }\n\
    server {\n\
    listen 443 ssl;\n\
    server_name media.social.example;\n\
    }\n\
    }\n";

async fn facts_on(pool: &SqlitePool, host: &str, nginx: &str) {
    let facts = Facts {
        kernel: "6.1.0".into(),
        mem_total_mib: 4096,
        nginx: nginx.into(),
        ..Facts::default()
    };
    let json = serde_json::to_string(&facts).expect("json");
    jobs::store::save_facts(pool, host, &json)
        .await
        .expect("facts saved");
}

#[tokio::test]
async fn the_demo_cluster_passes_without_errors_or_warnings() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let findings = run(&pool, None, None).await.unwrap();
    let shown: Vec<(&str, Severity, &str)> = findings
        .iter()
        .map(|f| (f.rule.as_ref(), f.severity, f.message.as_str()))
        .collect();
    assert!(
        findings.iter().all(|f| f.severity == Severity::Info),
        "{shown:#?}"
    );
}

#[tokio::test]
async fn the_demo_with_s3_alias_host_for_its_path_style_bucket_fails() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let env = "S3_ENABLED=true\nS3_BUCKET=mastodon-media\nS3_ALIAS_HOST=media.social.example\n";
    let findings = check_env(&pool, env).await.unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "s3-alias-host-path-style" && f.severity == Severity::Error),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn an_empty_paste_is_refused_at_its_field() {
    let (pool, _dir) = test_pool().await;
    let Err(AppError::Validation(e)) = check_env(&pool, "  \n").await else {
        panic!("accepted an empty env");
    };
    assert_eq!(e.get("env"), Some("paste the contents of .env.production"));
}

#[tokio::test]
async fn hsts_is_checked_from_the_nginx_the_facts_read_on_a_host_that_runs_it() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    // hedwig runs no nginx per the inventory: what it reports is not its config.
    facts_on(&pool, "hedwig", NGINX_ONE_HSTS).await;
    let quiet = run(&pool, None, None).await.unwrap();
    assert!(quiet.iter().all(|f| f.rule != "hsts-inconsistent"), "{quiet:#?}");

    facts_on(&pool, "hermes", NGINX_ONE_HSTS).await;
    let findings = run(&pool, None, None).await.unwrap();
    let hsts: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "hsts-inconsistent")
        .collect();
    assert_eq!(hsts.len(), 1, "{findings:#?}");
    assert_eq!(
        hsts[0].message,
        "The virtual hosts of social.example send different HSTS headers (social.example: \
         includesubdomains; max-age=63072000; media.social.example: none)."
    );
    // A file given on the command line replaces what the hosts reported.
    let from_file = run_files(&pool, None, None, Some("http {}\n")).await.unwrap();
    assert!(from_file.iter().all(|f| f.rule != "hsts-inconsistent"));
}

#[tokio::test]
async fn the_facts_script_keeps_the_lines_hsts_needs_from_nginx_t() {
    // A stand-in nginx that prints a configuration as `nginx -T` does.
    let bin = tempfile::tempdir().expect("tempdir");
    let config = format!(
        "# configuration file /etc/nginx/nginx.conf:\nuser www-data;\n{NGINX_ONE_HSTS}"
    )
    .replace("location / {", "location / {\n    proxy_pass http://[fd00:6f77::1]:3000;\n    proxy_set_header Authorization secret-header;");
    let script = format!("#!/bin/sh\ncat <<'EOF'\n{config}EOF\n");
    let nginx = bin.path().join("nginx");
    std::fs::write(&nginx, script).expect("stub");
    std::fs::set_permissions(&nginx, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(crate::model::action::Action::Facts.command())
        .env("PATH", path)
        .output()
        .expect("run the facts script");
    assert!(out.status.success());
    let facts = crate::model::action::parse_facts(&String::from_utf8_lossy(&out.stdout)).expect("facts");
    assert!(
        !facts.nginx.contains("proxy_"),
        "only what the HSTS rule reads: {}",
        facts.nginx
    );
    assert!(!facts.nginx.contains("www-data"));
    let mut found = Vec::new();
    crate::domain::checks::nginx::hsts(&facts.nginx, &mut found);
    assert_eq!(found.len(), 1, "{found:#?}\n{}", facts.nginx);
    assert_eq!(found[0].rule, "hsts-inconsistent");
}

#[tokio::test]
async fn a_dkim_signing_key_in_the_secret_store_is_compared_with_the_published_key() {
    use crate::domain::checks::live_tests::{TEST_RSA_PKCS1, TEST_RSA_PUBLIC};
    use crate::model::secret::{SecretDraft, SecretValue};
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let key = MasterKey::generate();
    // The demo's secret name, holding another key than the one the demo publishes.
    let draft = SecretDraft {
        name: "dkim-social-example".into(),
        kind: "other".into(),
        description: "dkimproxy's signing key".into(),
        value: SecretValue::new(TEST_RSA_PKCS1.into()),
    };
    crate::server::secrets::create(&pool, &key, &Actor::cli("test"), &draft)
        .await
        .expect("secret");
    let without_key = run(&pool, None, None).await.unwrap();
    assert!(without_key.iter().all(|f| f.rule != "dkim-key-mismatch"));
    let findings = run(&pool, Some(&key), None).await.unwrap();
    let dkim: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "dkim-key-mismatch")
        .collect();
    assert_eq!(dkim.len(), 1, "{findings:#?}");
    let shown = format!("{findings:?}");
    assert!(!shown.contains("MIIC"), "no part of the private key in findings");

    sqlx::query("UPDATE mail_domains SET dkim_public_key = ?")
        .bind(TEST_RSA_PUBLIC)
        .execute(&pool)
        .await
        .expect("publish the right key");
    let findings = run(&pool, Some(&key), None).await.unwrap();
    assert!(
        findings.iter().all(|f| !f.rule.starts_with("dkim-")),
        "{findings:#?}"
    );
}
