//! The secret store through HTTP: values go in encrypted and never come out, only
//! admins reach it, bad input is refused per field, and every change is audited
//! without the value. Backups and the master key file are in `backup.rs`.
use crate::common;

use app::api::secrets::{
    CreateSecret, DeleteSecret, GetDeleteSecret, GetSecretForm, ListSecrets, UpdateSecret,
};
use app::model::user::Role;
use app::model::AppError;
use app::App;
use common::{as_pairs, location, spawn, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

/// A value that no response, stored form, log entry or database byte may contain.
const VALUE: &str = "zq-VALUE-9d41c7e2-must-never-leak";
const SECOND: &str = "zq-SECOND-55ab01f3-must-never-leak";

fn secret_form(name: &str, kind: &str, value: &str) -> Vec<(String, String)> {
    [
        ("name", name),
        ("kind", kind),
        ("description", "relay for notifications"),
        ("value", value),
    ]
    .into_iter()
    .map(|(k, v)| (format!("secret[{k}]"), v.to_owned()))
    .collect()
}

fn edit_form(name: &str, version: &str, value: &str) -> Vec<(String, String)> {
    vec![
        ("name".into(), name.into()),
        ("secret[description]".into(), "the new relay".into()),
        ("secret[value]".into(), value.into()),
        ("secret[version]".into(), version.into()),
    ]
}

async fn admin_with_secret(name: &str) -> TestApp {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = secret_form(name, "smtp-password", VALUE);
    let res = app.call(CreateSecret::PATH, &as_pairs(&form)).await;
    assert!(res.status().is_success(), "{}", res.status());
    app
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// Everything SQLite keeps for a database: the file, its write-ahead log, its index.
fn database_bytes(db: &std::path::Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::read(format!("{}{suffix}", db.display())).ok())
        .flatten()
        .collect()
}

#[tokio::test]
async fn a_secret_value_is_stored_only_as_ciphertext() {
    let app = admin_with_secret("smtp").await;
    let refused = secret_form("Bad_Name", "smtp-password", VALUE);
    app.post_plain(CreateSecret::PATH, "/settings/secrets/new", &as_pairs(&refused))
        .await;
    let bytes = database_bytes(&app.data_dir().join("owlery.db"));
    assert!(
        holds(&bytes, "relay for notifications"),
        "the files read are the live ones"
    );
    assert!(!holds(&bytes, VALUE), "the value is in the database files");
    let revealed = app::server::secrets::reveal(&app.pool, &app.state.master_key, "smtp").await;
    assert_eq!(revealed.map(|v| v.expose().to_owned()), Ok(VALUE.to_owned()));
}

#[tokio::test]
async fn no_page_and_no_server_function_ever_returns_a_value() {
    let app = admin_with_secret("smtp").await;
    let mut bodies = Vec::new();
    for route in leptos_axum::generate_route_list(App) {
        let path = route.path().replace("{name}", "smtp").replace(":name", "smtp");
        bodies.push((path.clone(), app.page(&path).await.1));
    }
    let calls: Vec<(&str, Vec<(String, String)>)> = vec![
        (ListSecrets::PATH, vec![]),
        (GetSecretForm::PATH, vec![]),
        (GetSecretForm::PATH, vec![("name".into(), "smtp".into())]),
        (GetDeleteSecret::PATH, vec![("name".into(), "smtp".into())]),
        (UpdateSecret::PATH, edit_form("smtp", "1", SECOND)),
        (UpdateSecret::PATH, edit_form("smtp", "1", SECOND)),
        (CreateSecret::PATH, secret_form("smtp", "smtp-password", SECOND)),
        (
            CreateSecret::PATH,
            secret_form("other", "wireguard-private-key", SECOND),
        ),
        (GetSecretForm::PATH, vec![("name".into(), "smtp".into())]),
    ];
    for (path, form) in &calls {
        let body = app.call(path, &as_pairs(form)).await.text().await.unwrap();
        bodies.push((path.to_string(), body));
    }
    let refused = secret_form("", "smtp-password", SECOND);
    let res = app
        .post_plain(CreateSecret::PATH, "/settings/secrets/new", &as_pairs(&refused))
        .await;
    bodies.push(("plain post".into(), res.text().await.unwrap()));
    let (_, carried) = app.page("/settings/secrets/new").await;
    assert!(
        carried.contains("this field is required"),
        "the refusal is carried back"
    );
    bodies.push(("carried form".into(), carried));
    for (what, body) in bodies {
        assert!(
            !body.contains(VALUE) && !body.contains(SECOND),
            "{what} shows a value"
        );
    }
}

#[tokio::test]
async fn viewers_and_operators_are_refused_every_secret_page_and_function() {
    let app = admin_with_secret("relay-k7").await;
    let (_, admin_home) = app.page("/").await;
    assert!(
        admin_home.contains(r#"href="/settings/secrets""#),
        "admins see the nav link"
    );
    for role in [Role::Viewer, Role::Operator] {
        let user = spawn_client(&app, role).await;
        for path in [
            "/settings/secrets",
            "/settings/secrets/new",
            "/settings/secrets/relay-k7",
            "/settings/secrets/relay-k7/delete",
        ] {
            let res = user.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role} on {path}");
            assert!(!res.text().await.unwrap().contains("relay for notifications"));
        }
        let home = user.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(
            !home.contains(r#"href="/settings/secrets""#),
            "{role} sees no nav link"
        );
        assert!(
            !home.contains("relay-k7"),
            "{role} sees no secret in the latest changes"
        );
        let calls = [
            (ListSecrets::PATH, vec![]),
            (GetSecretForm::PATH, vec![("name", "relay-k7")]),
            (GetDeleteSecret::PATH, vec![("name", "relay-k7")]),
            (DeleteSecret::PATH, vec![("name", "relay-k7"), ("version", "1")]),
        ];
        for (path, form) in calls {
            let res = user.post(app.url(path)).form(&form).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role} calling {path}");
        }
        let create = secret_form("sneaky", "other", "x");
        let res = user
            .post(app.url(CreateSecret::PATH))
            .form(&as_pairs(&create))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role} creating");
    }
    assert_eq!(count(&app, "secrets").await, 1);
}

async fn spawn_client(app: &TestApp, role: Role) -> reqwest::Client {
    let client = common::client();
    let name = format!("user-{role}");
    app.add_user(&name, role).await;
    let res = client
        .post(app.url("/auth/login"))
        .form(&[("username", name.as_str()), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    client
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let cases = [
        ("", "smtp-password", VALUE, "name"),
        ("Not_A_Label", "smtp-password", VALUE, "name"),
        ("smtp", "root-password", VALUE, "kind"),
        ("smtp", "smtp-password", "", "value"),
        ("wg", "wireguard-private-key", VALUE, "value"),
    ];
    for (name, kind, value, field) in cases {
        let res = app
            .call(CreateSecret::PATH, &as_pairs(&secret_form(name, kind, value)))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error: AppError = res.json().await.unwrap();
        assert!(error.field_message(field).is_some(), "{field}: {error:?}");
    }
    app.call(
        CreateSecret::PATH,
        &as_pairs(&secret_form("smtp", "other", VALUE)),
    )
    .await;
    let again = app
        .call(
            CreateSecret::PATH,
            &as_pairs(&secret_form("smtp", "other", VALUE)),
        )
        .await;
    let error: AppError = again.json().await.unwrap();
    assert_eq!(
        error.field_message("name").as_deref(),
        Some("a secret named smtp already exists")
    );
    assert_eq!(count(&app, "secrets").await, 1);
    assert_eq!(count(&app, "audit_log").await, 1);
}

#[tokio::test]
async fn without_javascript_a_refused_secret_comes_back_without_its_value() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = secret_form("Bad_Name", "smtp-password", VALUE);
    let res = app
        .post_plain(CreateSecret::PATH, "/settings/secrets/new", &as_pairs(&form))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).starts_with(&app.url("/settings/secrets/new")));
    let flash: Vec<Option<String>> = sqlx::query_scalar("SELECT flash FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let flash = flash.into_iter().flatten().collect::<String>();
    assert!(
        flash.contains("relay for notifications"),
        "the rest of the form is kept"
    );
    assert!(!flash.contains(VALUE), "the value is not kept in the session");
    let (_, page) = app.page("/settings/secrets/new").await;
    assert!(
        page.contains("use only letters a-z, digits and"),
        "the message is shown"
    );
    assert!(page.contains(r#"value="relay for notifications""#));
    assert!(!page.contains(VALUE));
    assert_eq!(count(&app, "secrets").await, 0);
}

#[tokio::test]
async fn each_change_is_audited_without_the_value() {
    let app = admin_with_secret("smtp").await;
    let replaced = app
        .call(UpdateSecret::PATH, &as_pairs(&edit_form("smtp", "1", SECOND)))
        .await;
    assert!(replaced.status().is_success(), "{}", replaced.status());
    let stale = app
        .call(UpdateSecret::PATH, &as_pairs(&edit_form("smtp", "1", "x")))
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let kept = app::server::secrets::reveal(&app.pool, &app.state.master_key, "smtp").await;
    assert_eq!(kept.map(|v| v.expose().to_owned()), Ok(SECOND.to_owned()));
    let deleted = app
        .call(DeleteSecret::PATH, &[("name", "smtp"), ("version", "2")])
        .await;
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let log: Vec<(String, String)> =
        sqlx::query_as("SELECT action, changes FROM audit_log WHERE object_kind = 'secret' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let actions: Vec<&str> = log.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert!(log[0].1.contains(r#"["value","","(set)"]"#), "{}", log[0].1);
    assert!(log[1].1.contains(r#"["value","","(changed)"]"#), "{}", log[1].1);
    assert!(log[2].1.contains(r#"["value","(set)",""]"#), "{}", log[2].1);
    for (_, changes) in &log {
        assert!(!changes.contains(VALUE) && !changes.contains(SECOND), "{changes}");
    }
    assert_eq!(count(&app, "secrets").await, 0);
}

#[tokio::test]
async fn only_admins_see_secret_entries_in_the_audit_log_and_its_export() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = secret_form("smtp-relay-password", "smtp-password", VALUE);
    assert!(app
        .call(CreateSecret::PATH, &as_pairs(&form))
        .await
        .status()
        .is_success());
    let (_, admin_page) = app.page("/audit").await;
    assert!(admin_page.contains("smtp-relay-password"), "admins see the entry");

    let viewer = common::client();
    app.add_user("vera", Role::Viewer).await;
    viewer
        .post(app.url("/auth/login"))
        .form(&[("username", "vera"), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    for path in ["/audit", "/audit?kind=secret", "/audit.csv", "/"] {
        let body = viewer
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains("smtp-relay-password"),
            "{path} shows a secret's name to a viewer"
        );
    }
}
