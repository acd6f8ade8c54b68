//! Services through HTTP: a bad form comes back without JavaScript, a host that runs
//! services is not deleted, and the services page of a large cluster renders quickly.
use crate::common;

use app::api::hosts::{CreateHost, DeleteHost};
use app::api::services::CreateService;
use app::model::user::Role;
use common::{as_pairs, host_form, location, spawn, with};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

fn service_form(name: &str, host: &str) -> Vec<(String, String)> {
    [
        ("name", name),
        ("host", host),
        ("kind", "redis"),
        ("unit", ""),
        ("listen_addr", "fd00:6f77::3"),
        ("port", "6379"),
        ("memory_mib", "30"),
        ("deps", ""),
        ("notes", ""),
    ]
    .into_iter()
    .map(|(k, v)| (format!("service[{k}]"), v.to_owned()))
    .collect()
}

#[tokio::test]
async fn without_javascript_a_bad_service_form_comes_back_with_the_message_and_the_input() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("becblanche")))
        .await;
    let form = with(&service_form("redis", "becblanche"), "service[port]", "0");
    let form = with(&form, "service[notes]", "Kept notes");
    let res = app
        .post_plain(
            CreateService::PATH,
            "/services/new?host=becblanche",
            &as_pairs(&form),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).contains("/services/new"), "{}", location(&res));
    let (_, page) = app.page("/services/new?host=becblanche").await;
    assert!(page.contains("port must be between 1 and 65535"), "message shown");
    assert!(page.contains("Kept notes"), "other input kept");
    let res = app
        .post_plain(
            CreateService::PATH,
            "/services/new",
            &as_pairs(&service_form("redis", "becblanche")),
        )
        .await;
    assert_eq!(location(&res), "/services/redis");
    let (_, detail) = app.page("/services/redis").await;
    assert!(
        detail.contains("redis-server.service"),
        "the usual unit of the kind"
    );
    assert!(detail.contains("[fd00:6f77::3]:6379"));
}

#[tokio::test]
async fn a_host_that_runs_services_is_not_deleted_and_the_message_names_them() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateHost::PATH, &as_pairs(&host_form("becblanche")))
        .await;
    app.call(
        CreateService::PATH,
        &as_pairs(&service_form("redis", "becblanche")),
    )
    .await;
    let res = app
        .call(DeleteHost::PATH, &[("name", "becblanche"), ("version", "1")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let error: app::model::AppError = res.json().await.unwrap();
    assert_eq!(
        error.to_string(),
        "becblanche still runs redis; move them to another host or delete them first"
    );
    let (_, host) = app.page("/hosts/becblanche").await;
    assert!(
        host.contains(r#"href="/services/redis""#),
        "the host page lists it"
    );
}

/// Seeds `hosts` hosts with `per_host` services each, every service but the first of a
/// host depending on the one before, straight into the database.
async fn seed(pool: &sqlx::SqlitePool, hosts: usize, per_host: usize) {
    let mut tx = pool.begin().await.unwrap();
    for h in 0..hosts {
        let host: i64 = sqlx::query_scalar(
            "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, mesh_addr,
                 ssh_host, ssh_port, ssh_user, notes, created_at, updated_at)
             VALUES (?, 'Scaleway', 'Start1-XS', 'x86_64', 1, 1024, 25, ?, '192.0.2.1', 22, 'root', '', 0, 0)
             RETURNING id",
        )
        .bind(format!("node{h:04}"))
        .bind(format!("fd00::{h:x}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let mut previous: Option<i64> = None;
        for s in 0..per_host {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO services (name, host_id, kind, unit, listen_addr, port, needs_egress,
                     memory_mib, notes, created_at, updated_at)
                 VALUES (?, ?, 'custom', 'app@default.service', ?, ?, ?, 100, '', 0, 0) RETURNING id",
            )
            .bind(format!("svc{h:04}-{s:02}"))
            .bind(host)
            .bind(format!("fd00::{h:x}"))
            .bind(3000 + s as i64)
            .bind(s % 2 == 0)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            if let Some(dep) = previous {
                sqlx::query("INSERT INTO service_deps (service_id, depends_on) VALUES (?, ?)")
                    .bind(id)
                    .bind(dep)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            previous = Some(id);
        }
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_services_page_of_two_hundred_hosts_and_two_thousand_services_renders_quickly() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    seed(&app.pool, 200, 10).await;
    let (status, page) = app.page("/services").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2000 services on 200 hosts"));
    assert!(page.contains(r#"<a href="/services/svc0199-09">svc0199-09</a>"#));
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let (status, _) = app.page("/services").await;
        times.push(started.elapsed());
        assert_eq!(status, StatusCode::OK);
    }
    times.sort();
    let median = times[2];
    println!("/services with 2,000 services: median {median:?} of {times:?}");
    // The target (50 ms) is for the release build; a debug build is several times slower.
    let limit = if cfg!(debug_assertions) { 1000 } else { 50 };
    assert!(median < Duration::from_millis(limit), "median {median:?}");
}
