//! Buckets and mail through HTTP: create a bucket, add a user, download its generated
//! files with the session and role checks, and keep a bad submission without JavaScript.
use crate::common;

use app::api::buckets::{AddBucketUser, CreateBucket};
use app::model::user::Role;
use common::{location, spawn};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

const BUCKET: [(&str, &str); 6] = [
    ("bucket[name]", "mastodon-media"),
    ("bucket[endpoint_url]", "https://s3.fr-par.scw.cloud"),
    ("bucket[region]", "fr-par"),
    ("bucket[addressing]", "path"),
    ("bucket[alias_host]", "media.social.example"),
    ("bucket[anonymous]", "download"),
];

#[tokio::test]
async fn an_admin_creates_a_bucket_and_downloads_its_env_block_and_policies() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let res = app.call(CreateBucket::PATH, &BUCKET).await;
    assert!(res.status().is_success(), "{}", res.status());
    let user = [
        ("bucket", "mastodon-media"),
        ("user[access_key]", "mastodon"),
        ("user[secret_name]", "s3-mastodon"),
        ("user[get]", "on"),
        ("user[put]", "on"),
    ];
    let res = app.call(AddBucketUser::PATH, &user).await;
    assert!(res.status().is_success(), "{}", res.status());

    let res = app
        .client
        .get(app.url("/buckets/mastodon-media/files/mastodon-s3.env"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"mastodon-s3.env\""
    );
    let env = res.text().await.unwrap();
    assert!(env.contains("\nS3_HOSTNAME=media.social.example\n"), "{env}");
    assert!(env.contains("\nAWS_SECRET_ACCESS_KEY=<secret s3-mastodon in Owlery>\n"));

    let res = app
        .client
        .get(app.url("/buckets/mastodon-media/files/policy-mastodon.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/json");
    let policy: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        policy["Statement"][0]["Action"],
        serde_json::json!(["s3:GetObject", "s3:PutObject"])
    );

    let (status, page) = app.page("/buckets/mastodon-media").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("S3_HOSTNAME=media.social.example"));
    assert!(page.contains(r#"href="/buckets/mastodon-media/files/mastodon-s3.env""#));
}

#[tokio::test]
async fn downloads_need_a_session_and_an_existing_file() {
    let app = spawn().await;
    let anonymous = common::client()
        .get(app.url("/buckets/mastodon-media/files/mastodon-s3.env"))
        .send()
        .await
        .unwrap();
    assert!(
        location(&anonymous).starts_with("/login"),
        "{}",
        anonymous.status()
    );
    app.sign_in_as("alice", Role::Admin).await;
    app.call(CreateBucket::PATH, &BUCKET).await;
    for path in [
        "/buckets/mastodon-media/files/no-such-file",
        "/buckets/no-such-bucket/files/mastodon-s3.env",
        "/mail/no.such.example/files/mastodon-smtp.env",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_bad_bucket_name_posted_without_javascript_comes_back_with_the_input_kept() {
    let app = spawn().await;
    app.sign_in_as("alice", Role::Admin).await;
    let mut form = BUCKET.to_vec();
    form[0] = ("bucket[name]", "Media_Files");
    let res = app.post_plain(CreateBucket::PATH, "/buckets/new", &form).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, page) = app.page("/buckets/new").await;
    assert!(page.contains("use only lowercase letters"), "the error is shown");
    assert!(page.contains(r#"value="Media_Files""#), "the name is kept");
    assert!(
        page.contains(r#"value="media.social.example""#),
        "the other fields are kept"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM buckets")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_demo_mail_domain_shows_its_dns_lines_and_downloads_its_zone() {
    let app = spawn().await;
    app::server::demo::load(&app.pool).await.unwrap();
    app.sign_in_as("vera", Role::Viewer).await;
    let (status, page) = app.page("/mail/social.example").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("_dmarc.social.example. 3600 IN TXT"),
        "the DNS lines are shown"
    );
    assert!(
        page.contains("SMTP_SERVER=fd00:6f77::1"),
        "the SMTP block is shown"
    );
    let res = app
        .client
        .get(app.url("/mail/social.example/files/social.example.zone"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let zone = res.text().await.unwrap();
    assert!(zone.contains("social.example. 3600 IN TXT \"v=spf1 ip4:192.0.2.20 ip6:2001:db8:20::20 -all\"\n"));
    assert!(zone.contains("owl2026._domainkey.social.example. 3600 IN TXT \"v=DKIM1; k=rsa; p="));
    let (status, _) = app.page("/mail/social.example/edit").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer cannot edit");
}
