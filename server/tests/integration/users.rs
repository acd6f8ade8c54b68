//! Co-admins: creating users, roles, the last admin, passwords, sessions, and the TOTP
//! second factor from enrolment to sign-in, through the real HTTP interface.
use crate::common;

use app::api::account::{ChangePassword, RevokeSession};
use app::api::totp::{EnableTotp, GetTotpEnrolment, UpdateSettings};
use app::api::users::{CreateUser, UpdateUser};
use app::model::user::Role;
use app::model::AppError;
use app::server::totp;
use common::{location, spawn, TestApp, PASSWORD};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

async fn sign_in(app: &TestApp, client: &reqwest::Client, name: &str, password: &str) -> String {
    let res = client
        .post(app.url("/auth/login"))
        .form(&[("username", name), ("password", password), ("next", "/hosts")])
        .send()
        .await
        .unwrap();
    location(&res)
}

async fn enrol(app: &TestApp) -> (String, Vec<String>) {
    enrol_as(app, &app.client).await
}

async fn enrol_as(app: &TestApp, client: &reqwest::Client) -> (String, Vec<String>) {
    let enrolment: app::api::totp::TotpEnrolment = app
        .call_as(client, GetTotpEnrolment::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        enrolment.qr_svg.starts_with("<?xml") || enrolment.qr_svg.contains("<svg"),
        "a QR code is drawn"
    );
    let code = totp::current_code(&enrolment.secret).unwrap();
    let form = [("password", PASSWORD), ("code", code.as_str())];
    let res = app.call_as(client, EnableTotp::PATH, &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let codes: Vec<String> = res.json().await.unwrap();
    (enrolment.secret, codes)
}

#[tokio::test]
async fn an_admin_adds_a_user_who_then_signs_in_with_that_role() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let form = [
        ("user[username]", "bob"),
        ("user[role]", "operator"),
        ("user[password]", "bobs long password"),
    ];
    assert_eq!(app.call(CreateUser::PATH, &form).await.status(), StatusCode::OK);
    let bob = common::client();
    assert_eq!(sign_in(&app, &bob, "bob", "bobs long password").await, "/hosts");
    let me: app::model::user::CurrentUser = bob
        .post(app.url(app::api::session::GetCurrentUser::PATH))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me.role, Role::Operator);
    let log: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE object_kind = 'user' AND action = 'create'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(log, 1);
}

#[tokio::test]
async fn the_last_admin_cannot_demote_themselves() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let res = app
        .call(UpdateUser::PATH, &[("name", "alice"), ("role", "viewer")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: AppError = res.json().await.unwrap();
    assert!(error.field_message("role").unwrap().contains("last admin"));
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_at_once() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app.add_user("bob", Role::Viewer).await;
    let bob = common::client();
    sign_in(&app, &bob, "bob", PASSWORD).await;
    assert_eq!(
        bob.get(app.url("/hosts")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let res = app
        .call(
            UpdateUser::PATH,
            &[("name", "bob"), ("role", "viewer"), ("disabled", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        bob.get(app.url("/hosts")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn changing_ones_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let other = common::client();
    sign_in(&app, &other, "alice", PASSWORD).await;
    let wrong = [
        ("current", "not my password"),
        ("new", "a new long password"),
        ("confirm", "a new long password"),
    ];
    let error: AppError = app.call(ChangePassword::PATH, &wrong).await.json().await.unwrap();
    assert!(error.field_message("current").is_some());
    let right = [
        ("current", PASSWORD),
        ("new", "a new long password"),
        ("confirm", "a new long password"),
    ];
    assert_eq!(
        app.call(ChangePassword::PATH, &right).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        other.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.client.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in(&app, &common::client(), "alice", "a new long password").await,
        "/hosts"
    );
}

#[tokio::test]
async fn a_user_revokes_another_of_their_sessions() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let other = common::client();
    sign_in(&app, &other, "alice", PASSWORD).await;
    let id: i64 = sqlx::query_scalar("SELECT rowid FROM sessions ORDER BY rowid DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = app
        .call(RevokeSession::PATH, &[("id", id.to_string().as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        other.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn with_totp_on_signing_in_needs_a_code_and_a_recovery_code_works_once() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let (secret, codes) = enrol(&app).await;
    assert_eq!(codes.len(), 10);

    // The secret is sealed: the database file does not contain it.
    let db = std::fs::read(app.data_dir().join("owlery.db")).unwrap_or_default();
    let wal = std::fs::read(app.data_dir().join("owlery.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "TOTP secret stored in clear"
        );
    }

    let client = common::client();
    let step_two = sign_in(&app, &client, "alice", PASSWORD).await;
    assert_eq!(step_two, "/login/totp?next=/hosts");
    assert_eq!(
        client.get(app.url("/hosts")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "password alone opens nothing"
    );
    let wrong = client
        .post(app.url("/auth/totp"))
        .form(&[("code", "000000"), ("next", "/hosts")])
        .send()
        .await
        .unwrap();
    assert!(location(&wrong).starts_with("/login/totp?error=invalid"));
    let code = totp::current_code(&secret).unwrap();
    let right = client
        .post(app.url("/auth/totp"))
        .form(&[("code", code.as_str()), ("next", "/hosts")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&right), "/hosts");
    assert_eq!(
        client.get(app.url("/hosts")).send().await.unwrap().status(),
        StatusCode::OK
    );

    for (attempt, expected) in [(1, "/hosts"), (2, "/login/totp?error=invalid")] {
        let client = common::client();
        sign_in(&app, &client, "alice", PASSWORD).await;
        let res = client
            .post(app.url("/auth/totp"))
            .form(&[("code", codes[0].as_str()), ("next", "/hosts")])
            .send()
            .await
            .unwrap();
        assert!(
            location(&res).starts_with(expected),
            "recovery code use {attempt}: {}",
            location(&res)
        );
    }
}

#[tokio::test]
async fn when_admins_require_totp_a_user_without_it_reaches_only_their_account() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    enrol(&app).await;
    assert_eq!(
        app.call(UpdateSettings::PATH, &[("require_totp", "on")])
            .await
            .status(),
        StatusCode::OK
    );
    app.add_user("bob", Role::Viewer).await;
    let bob = common::client();
    sign_in(&app, &bob, "bob", PASSWORD).await;
    let res = bob.get(app.url("/hosts")).send().await.unwrap();
    assert_eq!(location(&res), "/account?require=totp#totp");
    assert_eq!(
        bob.get(app.url("/account")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let refused = app.call_as(&bob, app::api::hosts::ListHosts::PATH, &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    enrol_as(&app, &bob).await;
    assert_eq!(
        bob.get(app.url("/hosts")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

/// The enrolment secret the account page shows as text.
async fn shown_secret(app: &TestApp) -> String {
    let (_, page) = app.page("/account").await;
    page.split("class=\"mono secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn without_javascript_a_failed_enrolment_keeps_the_same_secret() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let secret = shown_secret(&app).await;
    let form = [("password", PASSWORD), ("code", "000000")];
    let res = app.post_plain(EnableTotp::PATH, "/account", &form).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let flash: Option<String> = sqlx::query_scalar("SELECT flash FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (_, again) = app.page(&location(&res).replace(&app.url(""), "")).await;
    assert!(again.contains("does not match"), "the error is shown");
    assert!(
        again.contains(&secret),
        "the same secret is offered again; flash was {flash:?}"
    );
}

/// A server function, its form, and the audit action it must record.
type Step<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

/// Calls a server function and checks that exactly one audit entry, with `action`, was added.
async fn assert_one_entry(app: &TestApp, path: &str, form: &[(&str, &str)], action: &str) {
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = app.call(path, form).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let last: (i64, String) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM audit_log), action FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(last, (before + 1, action.to_owned()), "{path}");
}

#[tokio::test]
async fn every_kind_of_change_to_users_and_settings_leaves_one_audit_entry() {
    use app::api::totp::{DisableTotp, ResetUserTotp};
    use app::api::users::{ResetPassword, RevokeUserSessions};
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let refused = app.call(UpdateSettings::PATH, &[("require_totp", "on")]).await;
    let error: AppError = refused.json().await.unwrap();
    assert!(
        error.field_message("require_totp").is_some(),
        "an admin without a second factor cannot require it"
    );
    let new_password = "alices new password";
    let steps: [Step; 6] = [
        (
            CreateUser::PATH,
            vec![
                ("user[username]", "bob"),
                ("user[role]", "viewer"),
                ("user[password]", "bobs long password"),
            ],
            "create",
        ),
        (
            UpdateUser::PATH,
            vec![("name", "bob"), ("role", "operator")],
            "update",
        ),
        (
            ResetPassword::PATH,
            vec![("name", "bob"), ("password", "another long password")],
            "reset-password",
        ),
        (RevokeUserSessions::PATH, vec![("name", "bob")], "revoke-sessions"),
        (ResetUserTotp::PATH, vec![("name", "bob")], "reset-totp"),
        (
            ChangePassword::PATH,
            vec![
                ("current", PASSWORD),
                ("new", new_password),
                ("confirm", new_password),
            ],
            "change-password",
        ),
    ];
    for (path, form, action) in steps {
        assert_one_entry(&app, path, &form, action).await;
    }
    let enrolment: app::api::totp::TotpEnrolment =
        app.call(GetTotpEnrolment::PATH, &[]).await.json().await.unwrap();
    let code = totp::current_code(&enrolment.secret).unwrap();
    let on = [("password", new_password), ("code", code.as_str())];
    assert_one_entry(&app, EnableTotp::PATH, &on, "enable-totp").await;
    assert_one_entry(&app, UpdateSettings::PATH, &[("require_totp", "on")], "update").await;
    assert_one_entry(&app, UpdateSettings::PATH, &[], "update").await;
    assert_one_entry(
        &app,
        DisableTotp::PATH,
        &[("password", new_password)],
        "disable-totp",
    )
    .await;
    let leaked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE changes LIKE '%long password%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(leaked, 0, "no password appears in the audit log");
}

#[tokio::test]
async fn without_javascript_the_recovery_codes_are_shown_once_after_enrolment() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Viewer).await;
    let secret = shown_secret(&app).await;
    let wrong = [("password", PASSWORD), ("code", "000000")];
    let res = app.post_plain(EnableTotp::PATH, "/account", &wrong).await;
    let (_, after_error) = app.page(&location(&res).replace(&app.url(""), "")).await;
    assert!(after_error.contains("does not match"));
    let code = totp::current_code(&secret).unwrap();
    let right = [("password", PASSWORD), ("code", code.as_str())];
    let referer = location(&res).replace(&app.url(""), "");
    let res = app.post_plain(EnableTotp::PATH, &referer, &right).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (_, shown) = app.page(&location(&res).replace(&app.url(""), "")).await;
    assert!(
        shown.contains("Save these recovery codes now"),
        "codes shown: {}",
        shown.contains("Two-factor sign-in is on")
    );
    let (_, again) = app.page("/account").await;
    assert!(!again.contains("Save these recovery codes now"), "shown once");
}
