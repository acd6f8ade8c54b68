//! `owlery check` as an operator runs it: the real binary on a data directory.
use std::path::Path;
use std::process::{Command, Output};

fn owlery(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_owlery"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("OWLERY_LOG", "warn")
        .output()
        .expect("owlery runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_reference_cluster_passes_and_the_articles_first_mistake_fails() {
    let dir = tempfile::tempdir().unwrap();
    let demo = owlery(&["demo"], dir.path());
    assert!(demo.status.success(), "{}", text(&demo));

    let clean = owlery(&["check"], dir.path());
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    assert!(
        text(&clean).starts_with("0 error(s), 0 warning(s)"),
        "{}",
        text(&clean)
    );

    let env = dir.path().join("env.production");
    std::fs::write(
        &env,
        "LOCAL_DOMAIN=social.example\nDB_HOST=fd00:6f77::3\nREDIS_HOST=fd00:6f77::3\n\
         SECRET_KEY_BASE=never-printed-1\nOTP_SECRET=never-printed-2\nVAPID_PRIVATE_KEY=never-printed-3\n\
         VAPID_PUBLIC_KEY=pub\nS3_ENABLED=true\nS3_BUCKET=mastodon-media\nS3_ENDPOINT=http://[fd00:6f77::2]:9000\n\
         AWS_ACCESS_KEY_ID=mastodon\nAWS_SECRET_ACCESS_KEY=never-printed-4\nS3_ALIAS_HOST=media.social.example\n",
    )
    .unwrap();
    let broken = owlery(&["check", "--env", env.to_str().unwrap()], dir.path());
    let shown = text(&broken);
    assert_eq!(broken.status.code(), Some(1), "{shown}");
    assert!(shown.contains("== ERROR =="), "{shown}");
    assert!(
        shown.contains(
            "[s3-alias-host-path-style] Bucket mastodon-media is path-style, but the env sets \
             S3_ALIAS_HOST=media.social.example."
        ),
        "{shown}"
    );
    assert!(
        shown.contains("fix:     Replace S3_ALIAS_HOST with S3_HOSTNAME=media.social.example"),
        "{shown}"
    );
    assert!(shown.contains("owlery: 1 error found"), "{shown}");
    assert!(!shown.contains("never-printed"), "{shown}");
}

#[test]
fn an_env_file_that_cannot_be_read_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = owlery(&["check", "--env", "/nonexistent/.env.production"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("reading /nonexistent/.env.production"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_nginx_configuration_with_hsts_on_one_virtual_host_only_fails() {
    let dir = tempfile::tempdir().unwrap();
    let nginx = dir.path().join("nginx-T.txt");
    std::fs::write(
        &nginx,
        "http {\n  server {\n    listen 443 ssl;\n    server_name social.example;\n    \
         add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n  }\n  \
         server {\n    listen 443 ssl;\n    server_name media.social.example;\n  }\n}\n",
    )
    .unwrap();
    let out = owlery(&["check", "--nginx", nginx.to_str().unwrap()], dir.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("[hsts-inconsistent] The virtual hosts of social.example send different HSTS headers"),
        "{shown}"
    );
    assert!(
        shown.contains("objects: virtual host social.example, virtual host media.social.example"),
        "{shown}"
    );
}
