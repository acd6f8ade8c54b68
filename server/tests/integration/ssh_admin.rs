//! SSH administration through HTTP: identities are generated or imported into the
//! secret store and listed by their public halves only, host keys are fetched from real
//! sshd hosts of the testbed and pinned only when an admin accepts them, and a
//! known_hosts file pins the hosts it names. Only admins change anything.
//!
//! The testbed must be up (`make unit` starts it): `end2end/testbed/testbed.sh up` and
//! `eval "$(end2end/testbed/testbed.sh env)"`.
use crate::common;

use app::api::ssh::{
    AcceptHostKey, FetchHostKey, GenerateSshIdentity, GetHostSsh, GetKnownHostsImport, GetSshIdentities,
    ImportKnownHosts, ImportSshIdentity, SetHostIdentity,
};
use app::model::user::Role;
use app::server::ssh::keys;
use common::{as_pairs, host_form, spawn, with, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

// A throwaway key made with `ssh-keygen -t ed25519 -N 'correct horse' -C fixture`.
const ENCRYPTED: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABB66H3TrG
zde6TpEM1vDSlEAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEyF7CpPBmZamALS
++B8NjGEpdWmRTdivZK9Sym+tzchAAAAkMMLFNZ74tFXKgppAF9KBXVu9qrwh9aZgj5WFi
xeaoAf6km6VgBaTd6zD4aYCtxvVefPEN8Q9zqvqGYAJYrme2ihYTwNcRY9gTmv3ujoB11n
LVUALayh+xzkIlXep4liBaAX/0D7pYukU5n8J+APB9ULWiPP/65Ry3t1GUj5fnX+kR8XLA
G7EY3WNPMZ3rtJcQ==
-----END OPENSSH PRIVATE KEY-----
";
const ENCRYPTED_PUBLIC: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEyF7CpPBmZamALS++B8NjGEpdWmRTdivZK9Sym+tzch";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run `testbed.sh up` and `eval \"$(testbed.sh env)\"` first")
    })
}

/// The address and port of a testbed host.
fn testbed_host(name: &str) -> (String, u16) {
    let hosts = env("TESTBED_HOSTS");
    let (addr, port) = hosts
        .split(',')
        .find_map(|entry| entry.strip_prefix(name)?.strip_prefix('='))
        .and_then(|addr| addr.rsplit_once(':'))
        .unwrap_or_else(|| panic!("{name} is not in TESTBED_HOSTS={hosts}"));
    (addr.to_owned(), port.parse().expect("port"))
}

fn testbed_known_hosts() -> String {
    std::fs::read_to_string(env("TESTBED_KNOWN_HOSTS")).expect("the testbed's known_hosts")
}

/// The fingerprint the testbed's known_hosts gives for a host.
fn known_fingerprint(addr: &str, port: u16) -> String {
    let line = keys::known_hosts(&testbed_known_hosts())
        .into_iter()
        .find(|k| k.patterns.iter().any(|p| keys::pattern_matches(p, addr, port)))
        .expect("a known_hosts entry")
        .public_line;
    keys::fingerprint(&line).expect("a fingerprint")
}

async fn admin() -> TestApp {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    app
}

/// Adds a host whose SSH endpoint is `addr:port`.
async fn add_host(app: &TestApp, name: &str, addr: &str, port: u16) {
    let form = with(&host_form(name), "host[ssh_host]", addr);
    let form = with(&form, "host[ssh_port]", &port.to_string());
    let res = app
        .call(app::api::hosts::CreateHost::PATH, &as_pairs(&form))
        .await;
    assert!(res.status().is_success(), "creating {name}: {}", res.status());
}

async fn generate(app: &TestApp, name: &str) -> reqwest::Response {
    app.call(
        GenerateSshIdentity::PATH,
        &[("generate[name]", name), ("generate[comment]", "ops@example.org")],
    )
    .await
}

async fn import(app: &TestApp, name: &str, key: &str, passphrase: &str) -> reqwest::Response {
    app.call(
        ImportSshIdentity::PATH,
        &[
            ("import[name]", name),
            ("import[private_key]", key),
            ("import[passphrase]", passphrase),
        ],
    )
    .await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT action, object_name, changes FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_generated_identity_is_listed_by_its_public_key_and_no_private_key_ever_leaves() {
    let app = admin().await;
    assert!(generate(&app, "deploy").await.status().is_success());
    let res = import(&app, "legacy", ENCRYPTED, "correct horse").await;
    assert!(res.status().is_success(), "{}", res.status());

    let stored = app::server::secrets::reveal(&app.pool, &app.state.master_key, "deploy")
        .await
        .unwrap();
    assert!(
        stored.expose().contains("PRIVATE KEY"),
        "the secret store holds the key"
    );
    let public = keys::import_private(stored.expose(), None).unwrap().public_line;

    let (status, page) = app.page("/settings/ssh").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("{public} ops@example.org")),
        "the public key line is shown"
    );
    assert!(page.contains(ENCRYPTED_PUBLIC), "an imported key is listed too");
    let listed = app.call(GetSshIdentities::PATH, &[]).await.text().await.unwrap();
    assert!(listed.contains(&public));
    let mut bodies = vec![("page".to_owned(), page), ("list".to_owned(), listed)];
    for path in [
        "/settings/secrets",
        "/settings/secrets/deploy",
        "/settings/ssh/known-hosts",
        "/audit",
        "/",
    ] {
        bodies.push((path.to_owned(), app.page(path).await.1));
    }
    let secret = stored.expose().lines().nth(1).unwrap().to_owned();
    for (what, body) in bodies {
        assert!(!body.contains("PRIVATE KEY"), "{what} shows private key material");
        assert!(!body.contains(&secret), "{what} shows the key's body");
    }
}

#[tokio::test]
async fn a_missing_or_wrong_passphrase_and_a_duplicate_name_are_field_errors() {
    let app = admin().await;
    let cases = [
        ("legacy", "", "passphrase", "protected by a passphrase"),
        ("legacy", "wrong", "passphrase", "does not unlock"),
    ];
    for (name, passphrase, field, message) in cases {
        let res = import(&app, name, ENCRYPTED, passphrase).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains(field) && body.contains(message), "{body}");
    }
    let res = import(&app, "junk", "ssh-ed25519 AAAA not a private key", "").await;
    assert!(res.text().await.unwrap().contains("private_key"));
    assert!(generate(&app, "deploy").await.status().is_success());
    let res = generate(&app, "deploy").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already exists"));

    // Without JavaScript the error comes back on the page, and the key does not.
    let form = [
        ("import[name]", "legacy"),
        ("import[private_key]", ENCRYPTED),
        ("import[passphrase]", "wrong"),
    ];
    let res = app
        .post_plain(ImportSshIdentity::PATH, "/settings/ssh", &form)
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, page) = app.page("/settings/ssh").await;
    assert!(page.contains("does not unlock"), "the error is carried back");
    assert!(!page.contains("PRIVATE KEY"));
    let identities: i64 = sqlx::query_scalar("SELECT count(*) FROM secrets")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(identities, 1);
}

#[tokio::test]
async fn viewers_and_operators_see_the_host_card_but_cannot_create_identities_or_pin_keys() {
    let app = admin().await;
    add_host(&app, "hedwig", "127.0.0.1", 2202).await;
    assert!(generate(&app, "deploy").await.status().is_success());
    let res = app
        .call(
            SetHostIdentity::PATH,
            &[("host", "hedwig"), ("identity", "deploy")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    for role in [Role::Viewer, Role::Operator] {
        let user = common::client();
        let name = format!("user-{role}");
        app.add_user(&name, role).await;
        user.post(app.url("/auth/login"))
            .form(&[("username", name.as_str()), ("password", common::PASSWORD)])
            .send()
            .await
            .unwrap();
        let card = app.call_as(&user, GetHostSsh::PATH, &[("host", "hedwig")]).await;
        assert_eq!(card.status(), StatusCode::OK, "{role} sees the card");
        let card = card.text().await.unwrap();
        assert!(
            card.contains("\"identity\":\"(set)\"") && card.contains("\"identities\":[]"),
            "{role} learns that an identity is set, not its secret's name: {card}"
        );
        assert!(!card.contains("deploy"), "{card}");
        let calls: [(&str, Vec<(&str, &str)>); 6] = [
            (GenerateSshIdentity::PATH, vec![("generate[name]", "sneaky")]),
            (
                ImportSshIdentity::PATH,
                vec![("import[name]", "sneaky"), ("import[private_key]", ENCRYPTED)],
            ),
            (SetHostIdentity::PATH, vec![("host", "hedwig"), ("identity", "")]),
            (FetchHostKey::PATH, vec![("host", "hedwig")]),
            (
                AcceptHostKey::PATH,
                vec![("host", "hedwig"), ("fingerprint", "SHA256:x")],
            ),
            (ImportKnownHosts::PATH, vec![("text", "hedwig ssh-ed25519 AAAA")]),
        ];
        for (path, form) in calls {
            let res = app.call_as(&user, path, &form).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role} calling {path}");
        }
        let res = user.get(app.url("/settings/ssh")).send().await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{role} on the identities page"
        );
        let res = app.call_as(&user, GetKnownHostsImport::PATH, &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let keys: i64 =
        sqlx::query_scalar("SELECT (SELECT count(*) FROM host_keys) + (SELECT count(*) FROM secrets)")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(keys, 1, "only the admin's identity exists, nothing is pinned");
}

#[tokio::test]
async fn a_fetched_host_key_is_the_testbeds_and_accepting_it_pins_it_with_an_audit_entry() {
    let app = admin().await;
    let (addr, port) = testbed_host("hedwig");
    add_host(&app, "hedwig", &addr, port).await;
    let expected = known_fingerprint(&addr, port);

    let res = app.call(FetchHostKey::PATH, &[("host", "hedwig")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text().await.unwrap().contains(&expected),
        "the notice names the fingerprint"
    );
    let (_, page) = app.page("/hosts/hedwig").await;
    assert!(page.contains(&expected) && page.contains("Accept this key") && page.contains("not pinned"));

    let res = app
        .call(
            AcceptHostKey::PATH,
            &[("host", "hedwig"), ("fingerprint", "SHA256:not-what-was-offered")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "a fingerprint other than the offer's pins nothing"
    );
    let res = app
        .call(
            AcceptHostKey::PATH,
            &[("host", "hedwig"), ("fingerprint", &expected)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let pinned: String = sqlx::query_scalar("SELECT fingerprint FROM host_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(pinned, expected);
    let (_, page) = app.page("/hosts/hedwig").await;
    assert!(page.contains("pinned by alice") && !page.contains("Accept this key"));
    let log = audit_actions(&app).await;
    assert!(
        log.iter()
            .any(|(action, object, changes)| action == "pin host key"
                && object == "hedwig"
                && changes.contains(&expected)),
        "{log:?}"
    );

    // Fetching again finds the pinned key: nothing is offered.
    let res = app.call(FetchHostKey::PATH, &[("host", "hedwig")]).await;
    assert!(res.text().await.unwrap().contains("pinned key"));
    let offers: i64 = sqlx::query_scalar("SELECT count(*) FROM host_key_offers")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(offers, 0);
}

#[tokio::test]
async fn a_changed_host_key_is_offered_with_a_warning_and_an_unreachable_host_is_explained() {
    let app = admin().await;
    let (addr, port) = testbed_host("hermes");
    add_host(&app, "hermes", &addr, port).await;
    let host_id: i64 = sqlx::query_scalar("SELECT id FROM hosts WHERE name = 'hermes'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at) VALUES (?, ?, ?, 'bob', 0)",
    )
    .bind(host_id)
    .bind(ENCRYPTED_PUBLIC)
    .bind(keys::fingerprint(ENCRYPTED_PUBLIC).unwrap())
    .execute(&app.pool)
    .await
    .unwrap();
    let res = app.call(FetchHostKey::PATH, &[("host", "hermes")]).await;
    assert!(res.text().await.unwrap().contains("other than the pinned one"));
    let (_, page) = app.page("/hosts/hermes").await;
    assert!(page.contains("The host key changed. If you did not reinstall this host, do not accept it."));
    assert!(page.contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"));

    // A port nothing listens on: a plain message, no internals.
    add_host(&app, "gone", "127.0.0.1", 9).await;
    let res = app.call(FetchHostKey::PATH, &[("host", "gone")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("could not connect to 127.0.0.1:9"));
}

#[tokio::test]
async fn a_known_hosts_import_pins_matching_hosts_and_keeps_a_different_pinned_key() {
    let app = admin().await;
    let (a_addr, a_port) = testbed_host("hermes");
    let (b_addr, b_port) = testbed_host("hedwig");
    add_host(&app, "hermes", &a_addr, a_port).await;
    add_host(&app, "hedwig", &b_addr, b_port).await;
    let hedwig: i64 = sqlx::query_scalar("SELECT id FROM hosts WHERE name = 'hedwig'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at) VALUES (?, ?, 'SHA256:old', 'bob', 0)",
    )
    .bind(hedwig)
    .bind(ENCRYPTED_PUBLIC)
    .execute(&app.pool)
    .await
    .unwrap();
    let text = format!("{}\nnowhere.example {ENCRYPTED_PUBLIC}\n", testbed_known_hosts());

    let res = app.call(ImportKnownHosts::PATH, &[("text", &text)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report: app::api::ssh::KnownHostsReport = res.json().await.unwrap();
    let hermes_fp = known_fingerprint(&a_addr, a_port);
    assert_eq!(report.pinned.len(), 1);
    assert_eq!(
        (
            report.pinned[0].host.as_str(),
            report.pinned[0].fingerprint.as_str()
        ),
        ("hermes", hermes_fp.as_str())
    );
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].host, "hedwig");
    assert!(report.unmatched.iter().any(|u| u.starts_with("nowhere.example")));

    let pinned: Vec<(String, String)> = sqlx::query_as(
        "SELECT h.name, k.fingerprint FROM host_keys k JOIN hosts h ON h.id = k.host_id ORDER BY h.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        pinned,
        vec![
            ("hedwig".into(), "SHA256:old".into()),
            ("hermes".into(), hermes_fp.clone())
        ],
        "hedwig's pinned key is not overwritten"
    );
    let log = audit_actions(&app).await;
    assert!(log
        .iter()
        .any(|(action, object, changes)| action == "pin host key"
            && object == "hermes"
            && changes.contains("known_hosts")));

    // Without JavaScript the report is shown on the page the form returns to.
    let res = app
        .post_plain(
            ImportKnownHosts::PATH,
            "/settings/ssh/known-hosts",
            &[("text", &text)],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, page) = app.page("/settings/ssh/known-hosts").await;
    assert!(
        page.contains("Import result") && page.contains("Already pinned"),
        "the report is shown"
    );
    let res = app
        .call(ImportKnownHosts::PATH, &[("text", "# only a comment\n")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
