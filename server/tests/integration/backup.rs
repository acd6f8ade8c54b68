//! `owlery backup` while the server runs, and `owlery serve` refusing a bad master key
//! file: the command line against a real server and real files.
use crate::common;

use app::api::secrets::CreateSecret;
use app::model::user::Role;
use clap::Parser;
use common::spawn;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use server::cli::{run, Cli};

const VALUE: &str = "zq-VALUE-9d41c7e2-must-never-leak";

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

fn path_str(p: &std::path::Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[tokio::test]
async fn a_backup_taken_while_the_server_runs_holds_the_secret_row() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = [
        ("secret[name]", "smtp"),
        ("secret[kind]", "smtp-password"),
        ("secret[value]", VALUE),
    ];
    let created = app.call(CreateSecret::PATH, &form).await;
    assert!(created.status().is_success(), "{}", created.status());
    let out = app.data_dir().join("backup.db");
    let args = [
        "owlery",
        "backup",
        "--out",
        path_str(&out),
        "--data",
        path_str(app.data_dir()),
    ];
    run(Cli::try_parse_from(args).unwrap()).await.expect("backup");
    let (status, _) = app.page("/settings/secrets").await;
    assert_eq!(status, StatusCode::OK, "the server goes on serving");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let copy = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", out.display()))
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM secrets")
        .fetch_all(&copy)
        .await
        .unwrap();
    assert_eq!(names, vec!["smtp"]);
    copy.close().await;
    assert!(!holds(&std::fs::read(&out).unwrap(), VALUE));
    let again = run(Cli::try_parse_from(args).unwrap()).await.unwrap_err();
    assert!(format!("{again:#}").contains("already exists"), "{again:#}");
}

#[tokio::test]
async fn serve_refuses_a_named_master_key_file_that_is_missing_short_or_open_to_others() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let short = dir.path().join("short.key");
    std::fs::write(&short, [1u8; 16]).unwrap();
    let open = dir.path().join("open.key");
    std::fs::write(&open, [1u8; 32]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&short, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let missing = dir.path().join("missing.key");
    for (key, says) in [
        (&missing, "missing.key"),
        (&short, "32 bytes"),
        (&open, "chmod 600"),
    ] {
        let args = [
            "owlery",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--data",
            path_str(&data),
            "--master-key-file",
            path_str(key),
        ];
        let started = run(Cli::try_parse_from(args).unwrap());
        let refused = tokio::time::timeout(std::time::Duration::from_secs(20), started)
            .await
            .expect("serve stops at once")
            .unwrap_err();
        assert!(format!("{refused:#}").contains(says), "{refused:#}");
    }
    assert!(
        !data.join("master.key").exists(),
        "no key is made when one is named"
    );
}
