//! Hosts through HTTP: create, refuse bad input per field, keep input without JavaScript,
//! refuse stale edits, delete, and leave an audit entry for each change.
use crate::common;

use app::api::hosts::{CreateHost, DeleteHost, UpdateHost};
use app::model::user::Role;
use common::{as_pairs, host_form, location, spawn, with};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

async fn count(app: &common::TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_creates_a_host_and_sees_it_listed() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let res = app.call(CreateHost::PATH, &as_pairs(&host_form("hedwig"))).await;
    assert!(res.status().is_success(), "{}", res.status());
    let (_, list) = app.page("/hosts").await;
    assert!(list.contains(r#"href="/hosts/hedwig""#));
    assert!(
        list.contains("IPv6 only"),
        "a host without IPv4 is marked IPv6-only"
    );
    let (status, detail) = app.page("/hosts/hedwig").await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("root@127.0.0.1:2202"));
    assert_eq!(count(&app, "audit_log").await, 1);
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let cases = [
        ("host[name]", "Not_A_Label", "name"),
        ("host[ssh_port]", "0", "ssh_port"),
        ("host[ssh_port]", "70000", "ssh_port"),
        ("host[ipv4]", "192.0.2.300", "ipv4"),
        ("host[ipv6]", "2001:db8::zz", "ipv6"),
        ("host[provider]", "", "provider"),
    ];
    for (key, value, field) in cases {
        let form = with(&host_form("hermes"), key, value);
        let res = app.call(CreateHost::PATH, &as_pairs(&form)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{key}={value}");
        let error: app::model::AppError = res.json().await.unwrap();
        assert!(error.field_message(field).is_some(), "{key}={value}: {error:?}");
    }
    assert_eq!(count(&app, "hosts").await, 0);
    assert_eq!(count(&app, "audit_log").await, 0);
}

#[tokio::test]
async fn a_duplicate_name_is_reported_on_the_name_field() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    let res = app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    let error: app::model::AppError = res.json().await.unwrap();
    assert_eq!(
        error.field_message("name").as_deref(),
        Some("a host named hermes already exists")
    );
}

#[tokio::test]
async fn without_javascript_a_bad_form_comes_back_with_the_message_and_the_input() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = with(
        &with(&host_form("hermes"), "host[ssh_port]", "70000"),
        "host[plan]",
        "Kept-Plan",
    );
    let res = app
        .post_plain(CreateHost::PATH, "/hosts/new", &as_pairs(&form))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(
        location(&res).starts_with(&app.url("/hosts/new")),
        "{}",
        location(&res)
    );
    let (_, page) = app.page("/hosts/new").await;
    assert!(page.contains("port must be between 1 and 65535"), "message shown");
    assert!(page.contains(r#"value="Kept-Plan""#), "other input kept");
    assert!(
        page.contains(r#"value="70000""#),
        "the bad value is shown for correction"
    );
    let (_, again) = app.page("/hosts/new").await;
    assert!(
        !again.contains("port must be between"),
        "the message is shown once"
    );
    assert_eq!(count(&app, "hosts").await, 0);
}

#[tokio::test]
async fn without_javascript_a_good_form_redirects_to_the_new_host() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let res = app
        .post_plain(CreateHost::PATH, "/hosts/new", &as_pairs(&host_form("hermes")))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/hosts/hermes");
}

#[tokio::test]
async fn the_second_of_two_concurrent_edits_is_refused_with_a_conflict() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    let edit = |plan: &str| {
        let mut form = with(
            &with(&host_form("hermes"), "host[version]", "1"),
            "host[plan]",
            plan,
        );
        form.push(("original".into(), "hermes".into()));
        form
    };
    let first = app.call(UpdateHost::PATH, &as_pairs(&edit("ARM64-2GB"))).await;
    assert!(first.status().is_success());
    let second = app.call(UpdateHost::PATH, &as_pairs(&edit("GP1-XS"))).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let (_, page) = app.page("/hosts/hermes").await;
    assert!(page.contains("ARM64-2GB") && !page.contains("GP1-XS"));
}

#[tokio::test]
async fn deleting_needs_the_current_version_and_is_audited() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    let (status, confirm) = app.page("/hosts/hermes/delete").await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Delete hermes"));
    let stale = app
        .call(DeleteHost::PATH, &[("name", "hermes"), ("version", "9")])
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let res = app
        .call(DeleteHost::PATH, &[("name", "hermes"), ("version", "1")])
        .await;
    assert!(res.status().is_success());
    assert_eq!(count(&app, "hosts").await, 0);
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(actions, vec!["create", "delete"]);
}

#[tokio::test]
async fn a_viewer_can_read_hosts_but_not_change_them() {
    let app = spawn().await;
    app.sign_in_as("vera", Role::Viewer).await;
    let res = app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.page("/hosts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&app, "hosts").await, 0);
}

#[tokio::test]
async fn a_missing_host_page_answers_404() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let (status, body) = app.page("/hosts/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Not found"));
}
