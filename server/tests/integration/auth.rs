//! Signing in and out, first-run setup, and what a session cookie looks like.
use crate::common;

use app::model::user::Role;
use common::{location, peak_rss_kib, spawn, PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_opens_the_console() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    let res = app
        .client
        .post(app.url("/auth/login"))
        .form(&[("username", "alice"), ("password", PASSWORD), ("next", "/hosts")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/hosts");
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );
    let (status, body) = app.page("/hosts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("alice"), "the signed-in user is shown");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    let attempt = |user: &'static str, pw: &'static str| {
        app.client
            .post(app.url("/auth/login"))
            .form(&[("username", user), ("password", pw)])
            .send()
    };
    let wrong = attempt("alice", "not the password").await.unwrap();
    let unknown = attempt("mallory", "not the password").await.unwrap();
    assert_eq!(location(&wrong), "/login?error=invalid&username=alice&next=");
    assert_eq!(location(&unknown), "/login?error=invalid&username=mallory&next=");
    let (_, page) = app.page(&location(&wrong)).await;
    assert!(page.contains("Wrong username or password"));
    assert!(page.contains(r#"value="alice""#), "the username is kept");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let cookie_jar_copy = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(cookie_jar_copy.status(), StatusCode::OK);
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = app.client.post(app.url("/auth/logout")).send().await.unwrap();
    assert_eq!(location(&res), "/login?notice=signed-out");
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!((before, after), (1, 0));
    let res = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    sqlx::query("UPDATE sessions SET expires_at = 0")
        .execute(&app.pool)
        .await
        .unwrap();
    let res = app.client.get(app.url("/hosts")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=/hosts");
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in() {
    let app = spawn().await;
    app.add_user("bob", Role::Operator).await;
    sqlx::query("UPDATE users SET disabled = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    let res = app
        .client
        .post(app.url("/auth/login"))
        .form(&[("username", "bob"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(location(&res).starts_with("/login?error=invalid"));
}

#[tokio::test]
async fn the_setup_page_creates_the_first_admin_once_with_the_logged_token() {
    let app = spawn().await;
    // The token lives only in memory and in the log; the test gets it as the log does.
    let token = server::startup::open_setup_if_needed(&app.state)
        .await
        .unwrap()
        .unwrap();
    let token: &'static str = Box::leak(token.into_boxed_str());
    let form = |token: &'static str| {
        [
            ("token", token),
            ("username", "root-admin"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ]
    };
    let wrong = app
        .client
        .post(app.url("/auth/setup"))
        .form(&form("guess"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&wrong), "/setup?error=token&username=root-admin");
    let ok = app
        .client
        .post(app.url("/auth/setup"))
        .form(&form(token))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&ok), "/");
    assert!(ok.headers().get("set-cookie").is_some());
    let again = common::client()
        .post(app.url("/auth/setup"))
        .form(&form(token))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&again), "/setup?error=done");
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn a_post_from_another_origin_is_refused() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = common::host_form("evil");
    let res = app
        .client
        .post(app.url(<app::api::hosts::CreateHost as leptos::server_fn::ServerFn>::PATH))
        .header("origin", "http://attacker.example")
        .form(&common::as_pairs(&form))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let hosts: i64 = sqlx::query_scalar("SELECT count(*) FROM hosts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(hosts, 0);
}

#[tokio::test]
async fn a_page_allows_only_its_own_nonced_inline_script() {
    let app = spawn().await;
    let res = app.client.get(app.url("/login")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let body = res.text().await.unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    let again = app.client.get(app.url("/login")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a fresh nonce per page"
    );
}

#[tokio::test]
async fn pages_rendered_side_by_side_each_name_their_own_nonce_and_status() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let mut pages = tokio::task::JoinSet::new();
    for i in 0..48 {
        let (client, url) = (
            app.client.clone(),
            app.url(["/", "/account", "/hosts/nope"][i % 3]),
        );
        pages.spawn(async move {
            let res = client.get(&url).send().await.unwrap();
            let status = res.status();
            let csp = res
                .headers()
                .get("content-security-policy")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (url, status, csp, res.text().await.unwrap())
        });
    }
    while let Some(page) = pages.join_next().await {
        let (url, status, csp, body) = page.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next());
        assert!(
            nonce.is_some_and(|n| body.contains(&format!("nonce=\"{n}\""))),
            "{url}: {csp}"
        );
        let expected = if url.ends_with("/nope") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{url}");
    }
}

#[tokio::test]
async fn https_mode_sends_the_same_hsts_header_on_every_route() {
    let app = common::spawn_with(app::server::state::Settings {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    for path in ["/health", "/login", "/hosts", "/pkg/none.js", "/api/x"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn().await;
    for path in ["/health", "/login", "/hosts"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_the_same_message_for_unknown_users() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    for user in ["alice", "nobody"] {
        let mut last = String::new();
        for _ in 0..5 {
            let res = app
                .client
                .post(app.url("/auth/login"))
                .form(&[("username", user), ("password", "wrong password!")])
                .send()
                .await
                .unwrap();
            last = location(&res);
        }
        assert!(
            last.starts_with("/login?error=throttled&wait=15"),
            "{user}: {last}"
        );
        // Even the right password is refused while the account is locked.
        let res = app
            .client
            .post(app.url("/auth/login"))
            .form(&[("username", user), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(location(&res).starts_with("/login?error=throttled"), "{user}");
    }
    let (_, page) = app.page("/login?error=throttled&wait=15&username=alice").await;
    assert!(page.contains("Too many failed sign-ins. Try again in 15 minutes."));
}

#[tokio::test]
async fn many_failures_from_one_address_block_it_for_every_account() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    for i in 0..20 {
        let name = format!("guess{i}");
        app.client
            .post(app.url("/auth/login"))
            .form(&[("username", name.as_str()), ("password", "wrong password!")])
            .send()
            .await
            .unwrap();
    }
    let res = app
        .client
        .post(app.url("/auth/login"))
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        location(&res).starts_with("/login?error=throttled"),
        "{}",
        location(&res)
    );
}

#[tokio::test]
async fn forty_concurrent_wrong_sign_ins_do_not_each_hold_a_password_check_in_memory() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    let attempt = |user: String| {
        let client = app.client.clone();
        let url = app.url("/auth/login");
        async move {
            let res = client
                .post(url)
                .form(&[("username", user.as_str()), ("password", "not the password")])
                .send()
                .await
                .expect("an answer");
            (res.status(), location(&res))
        }
    };
    // One check first, so that the memory of one is part of the baseline.
    attempt("warm-up".into()).await;
    let before = peak_rss_kib();
    let answers = futures_util::future::join_all((0..40).map(|i| attempt(format!("intruder{i}")))).await;
    let grown_mib = (peak_rss_kib() - before) / 1024;
    // argon2id holds 19 MiB per check: forty at once would be 760 MiB.
    assert!(grown_mib <= 48, "the burst took {grown_mib} MiB more at its peak");
    for (status, to) in answers {
        assert!(
            status == StatusCode::TOO_MANY_REQUESTS || to.starts_with("/login?error="),
            "{status} {to}"
        );
    }
}

#[tokio::test]
async fn a_sign_in_that_finds_every_password_slot_busy_is_told_when_to_come_back() {
    let app = spawn().await;
    app.add_user("alice", Role::Admin).await;
    let _busy = app::server::auth::PASSWORD_SLOTS
        .acquire_many(app::server::auth::PASSWORD_SLOT_COUNT)
        .await
        .expect("the slots");
    let res = app
        .client
        .post(app.url("/auth/login"))
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers().get("retry-after").unwrap(), "5");
    assert!(
        res.headers().get("set-cookie").is_none(),
        "no session was started"
    );
    assert!(res.text().await.unwrap().contains("Try again in a few seconds"));
}
