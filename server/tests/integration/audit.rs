//! The audit page and its CSV export through HTTP: listing, filters, keyset paging,
//! hostile values in the export, and who may see them.
use crate::common;

use app::api::hosts::{CreateHost, UpdateHost};
use app::model::user::Role;
use app::server::db::audit::{record, Actor};
use common::{as_pairs, host_form, location, spawn, with, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Writes entries straight into the log, as `actor` from 198.51.100.7.
async fn log(app: &TestApp, actor: &str, entries: &[(&str, &str, &str)], changes: &[(&str, &str, &str)]) {
    let mut tx = app.pool.begin().await.unwrap();
    let who = Actor {
        user_id: None,
        name: actor.into(),
        client_addr: "198.51.100.7".into(),
    };
    let changes: Vec<_> = changes
        .iter()
        .map(|(f, b, a)| (f.to_string(), b.to_string(), a.to_string()))
        .collect();
    for (action, kind, name) in entries {
        record(&mut tx, &who, action, (kind, None, name), &changes)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// An update of each named host.
fn many(names: &[String]) -> Vec<(&str, &str, &str)> {
    names.iter().map(|n| ("update", "host", n.as_str())).collect()
}

/// `prefix-0000`, `prefix-0001`, ...
fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

/// The number after `key=` in the first link carrying it.
fn cursor(page: &str, key: &str) -> Option<String> {
    let at = page.find(&format!("{key}="))? + key.len() + 1;
    Some(page[at..].chars().take_while(char::is_ascii_digit).collect())
}

/// The export at `path`: status, headers, and its records parsed.
async fn csv(app: &TestApp, path: &str) -> (StatusCode, HeaderMap, Vec<Vec<String>>) {
    let res = app.client.get(app.url(path)).send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, parse_csv(&res.text().await.unwrap()))
}

/// An RFC 4180 reader, independent of the writer under test.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "the CSV ends mid-record"
    );
    rows
}

#[tokio::test]
async fn the_audit_page_shows_who_changed_what_from_where_newest_first() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("hermes"))).await;
    let mut edit = with(
        &with(&host_form("hermes"), "host[version]", "1"),
        "host[plan]",
        "ARM64-2GB",
    );
    edit.push(("original".into(), "hermes".into()));
    assert!(app
        .call(UpdateHost::PATH, &as_pairs(&edit))
        .await
        .status()
        .is_success());
    let (status, page) = app.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2 entries, newest first"), "{page}");
    assert!(page.contains("<td>alice") && page.contains(r#"<td class="mono">127.0.0.1"#));
    assert!(page.contains(r#"href="/hosts/hermes""#), "the host is linked");
    assert!(page.contains("plan: Start1-XS → ARM64-2GB"));
    let (update, create) = (page.find("<td>update"), page.find("<td>create"));
    assert!(
        matches!((update, create), (Some(u), Some(c)) if u < c),
        "newest first"
    );
    assert!(
        page.contains(r#"<a href="/audit" aria-current="page">Audit"#),
        "nav link"
    );
}

#[tokio::test]
async fn the_audit_page_filters_by_user_object_action_and_date() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    log(&app, "bob", &[("create", "host", "bob-box")], &[]).await;
    log(&app, "carol", &[("delete", "user", "carol-account")], &[]).await;
    let shows = |page: &str, bob: bool, carol: bool| {
        assert_eq!(page.contains("bob-box"), bob, "{page}");
        assert_eq!(page.contains("carol-account"), carol, "{page}");
    };
    shows(&app.page("/audit").await.1, true, true);
    shows(&app.page("/audit?user=bob").await.1, true, false);
    shows(&app.page("/audit?kind=user").await.1, false, true);
    shows(&app.page("/audit?object=BOB").await.1, true, false);
    shows(&app.page("/audit?action=delete").await.1, false, true);
    shows(&app.page("/audit?user=bob&action=delete").await.1, false, false);
    shows(
        &app.page("/audit?from=2000-01-01&to=2999-12-31").await.1,
        true,
        true,
    );
    let (status, future) = app.page("/audit?from=2999-01-01").await;
    assert_eq!(status, StatusCode::OK);
    shows(&future, false, false);
    assert!(future.contains("No entry matches these filters"));
    assert!(
        future.contains(r#"value="2999-01-01""#),
        "the form keeps the filter"
    );
}

#[tokio::test]
async fn a_malformed_date_is_reported_next_to_its_field() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let (status, page) = app.page("/audit?from=yesterday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"aria-invalid="true" aria-describedby="audit-from-error""#));
    assert!(
        page.contains(r#"class="field-error">use a date like 2026-11-27"#),
        "{page}"
    );
}

#[tokio::test]
async fn older_and_newer_links_page_through_the_log_keeping_the_filters() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let (bobs, carols) = (names("bob", 60), names("carol", 60));
    for (b, c) in bobs.iter().zip(&carols) {
        log(&app, "bob", &many(std::slice::from_ref(b)), &[]).await;
        log(&app, "carol", &many(std::slice::from_ref(c)), &[]).await;
    }
    let (_, first) = app.page("/audit?user=bob").await;
    // Rows only: the page also carries its data as JSON for hydration.
    let rows = |page: &str| page.matches("<span>bob-").count();
    assert_eq!(rows(&first), 50, "a page holds 50 entries");
    assert!(first.contains("bob-0059") && !first.contains("carol-"));
    assert!(!first.contains("← Newer"));
    assert!(
        first.contains("?user=bob&amp;before="),
        "the link keeps the filter"
    );
    let before = cursor(&first, "before").expect("an older link");
    let (status, second) = app.page(&format!("/audit?user=bob&before={before}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&second), 10);
    assert!(second.contains("bob-0000") && !second.contains("bob-0010") && !second.contains("carol-"));
    assert!(!second.contains("Older →"));
    let after = cursor(&second, "after").expect("a newer link");
    let (_, back) = app.page(&format!("/audit?user=bob&after={after}")).await;
    assert_eq!(rows(&back), 50);
    assert!(back.contains("bob-0059") && back.contains("bob-0010") && !back.contains("bob-0009"));
}

#[tokio::test]
async fn the_csv_export_quotes_hostile_values_and_neutralises_formulas() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let formula = r#"=HYPERLINK("http://evil.example","click")"#;
    let notes = "line one\nline, \"two\"";
    log(
        &app,
        "mallory",
        &[("update", "host", formula)],
        &[("notes", "", notes)],
    )
    .await;
    log(&app, "@admin", &[("create", "host", "-2+3")], &[]).await;
    let (status, headers, rows) = csv(&app, "/audit.csv").await;
    assert_eq!(status, StatusCode::OK);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/csv"));
    assert!(header("content-disposition").starts_with("attachment; filename=\"owlery-audit-"));
    assert_eq!(
        rows[0],
        [
            "id",
            "time_utc",
            "user",
            "from",
            "action",
            "object_kind",
            "object_name",
            "changes"
        ]
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1][2], "'@admin");
    assert_eq!(rows[1][6], "'-2+3");
    assert_eq!(rows[2][2], "mallory");
    assert_eq!(rows[2][3], "198.51.100.7");
    assert_eq!(rows[2][6], format!("'{formula}"));
    assert_eq!(rows[2][7], format!("notes = {notes}"));
    assert!(
        rows[2][1].ends_with('Z') && rows[2][1].len() == 20,
        "{}",
        rows[2][1]
    );
}

#[tokio::test]
async fn the_csv_export_honours_the_filters_across_its_chunks() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let (bobs, carols) = (names("bob", 1100), names("carol", 30));
    log(&app, "bob", &many(&bobs), &[]).await;
    log(&app, "carol", &many(&carols), &[]).await;
    let (status, _, rows) = csv(&app, "/audit.csv?user=bob&action=update").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(ids.len(), 1100, "every matching entry, once");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, none repeated");
    assert!(rows[1..].iter().all(|r| r[2] == "bob"));
    let (_, _, none) = csv(&app, "/audit.csv?from=2999-01-01").await;
    assert_eq!(none.len(), 1, "only the header");
    let bad = app
        .client
        .get(app.url("/audit.csv?to=soon"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_from_the_page_and_the_export() {
    let app = spawn().await;
    log(&app, "bob", &[("create", "host", "bob-box")], &[]).await;
    for path in ["/audit", "/audit.csv", "/audit.csv?user=bob"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&res).starts_with("/login?next=/audit"), "{path}");
        assert!(!res.text().await.unwrap().contains("bob-box"));
    }
}

#[tokio::test]
async fn a_viewer_reads_the_audit_page_and_downloads_the_export() {
    let app = spawn().await;
    app.sign_in_as("vera", Role::Viewer).await;
    log(&app, "bob", &[("create", "host", "bob-box")], &[]).await;
    let (status, page) = app.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("bob-box"));
    let (status, _, rows) = csv(&app, "/audit.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows.len(), 2);
}
