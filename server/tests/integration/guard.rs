//! Every route and server function refuses callers without a session.
use crate::common;

use app::App;
use common::{location, spawn};
use leptos::server_fn::axum::server_fn_paths;
use reqwest::StatusCode;
use server::guard::is_public;
use server::startup::AXUM_ROUTES;

/// A concrete path for a route pattern: parameters become "x".
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with(':') || seg.starts_with('{') {
                "x"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_page_redirects_anonymous_visitors_to_login() {
    let app = spawn().await;
    let pages = leptos_axum::generate_route_list(App);
    assert!(pages.len() >= 8, "route list looks incomplete: {}", pages.len());
    for route in pages {
        let path = concrete(route.path());
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        if is_public(&path) {
            assert_eq!(res.status(), StatusCode::OK, "{path} should be public");
        } else {
            assert_eq!(
                res.status(),
                StatusCode::SEE_OTHER,
                "{path} answered {}",
                res.status()
            );
            assert!(
                location(&res).starts_with("/login"),
                "{path} sent to {}",
                location(&res)
            );
        }
    }
}

#[tokio::test]
async fn every_server_function_answers_401_without_a_session() {
    let app = spawn().await;
    let mut count = 0;
    for (path, method) in server_fn_paths() {
        let req = app
            .client
            .request(method.clone(), app.url(path))
            .header("accept", "application/json");
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        count += 1;
    }
    assert!(count >= 7, "only {count} server functions registered");
}

#[tokio::test]
async fn every_axum_route_is_public_only_if_listed_as_public() {
    let app = spawn().await;
    for &(method, path, public) in AXUM_ROUTES {
        let path = concrete(path);
        let req = app
            .client
            .request(method.parse().unwrap(), app.url(&path))
            .header("accept", "application/json");
        let res = req.send().await.unwrap();
        let refused = matches!(res.status(), StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER)
            && (res.status() == StatusCode::UNAUTHORIZED || location(&res).starts_with("/login"));
        assert_eq!(is_public(&path), public, "{path}: listed public={public}");
        if !public {
            assert!(
                refused,
                "{method} {path} answered {} without a session",
                res.status()
            );
        }
    }
}

#[tokio::test]
async fn health_answers_200_without_a_session() {
    let app = spawn().await;
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn an_unknown_page_also_needs_a_session() {
    let app = spawn().await;
    let res = app.client.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=/no/such/page");
}
