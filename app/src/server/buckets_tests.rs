//! Changing buckets against a migrated database: audit entries, generated files, demo.
use super::*;
use crate::server::db::test_pool;

fn draft() -> BucketDraft {
    BucketInput {
        name: "mastodon-media".into(),
        endpoint_url: "https://s3.fr-par.scw.cloud".into(),
        alias_host: "media.social.example".into(),
        ..BucketInput::blank()
    }
    .parse()
    .expect("valid")
}

#[tokio::test]
async fn users_added_and_removed_show_in_the_change_log() {
    let (pool, _dir) = test_pool().await;
    let actor = Actor::cli("test");
    create(&pool, &actor, &draft()).await.unwrap();
    let user = BucketUser {
        access_key: "mastodon".into(),
        actions: vec!["get".into(), "put".into()],
        secret_name: "s3-mastodon".into(),
    };
    add_user(&pool, &actor, "mastodon-media", &user).await.unwrap();
    remove_user(&pool, &actor, "mastodon-media", "mastodon")
        .await
        .unwrap();
    let log = db::audit::latest(&pool, 10).await.unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(
        log[1].changes,
        vec![(
            "user mastodon".into(),
            String::new(),
            "get put (secret s3-mastodon)".into()
        )]
    );
}

#[tokio::test]
async fn an_external_bucket_gets_an_env_block_naming_its_secret_but_not_its_value() {
    let (pool, _dir) = test_pool().await;
    let actor = Actor::cli("test");
    create(&pool, &actor, &draft()).await.unwrap();
    let user = BucketUser {
        access_key: "mastodon".into(),
        actions: vec!["get".into(), "put".into(), "delete".into()],
        secret_name: "s3-mastodon".into(),
    };
    add_user(&pool, &actor, "mastodon-media", &user).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let bucket = db::buckets::get(&mut conn, "mastodon-media").await.unwrap();
    let files = files(&mut conn, &bucket).await.unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "mastodon-s3.env",
            "nginx-media.social.example.conf",
            "anonymous-policy.json",
            "policy-mastodon.json"
        ]
    );
    assert!(files[0]
        .text
        .contains("S3_ENDPOINT=https://s3.fr-par.scw.cloud\n"));
    assert!(files[0]
        .text
        .contains("AWS_SECRET_ACCESS_KEY=<secret s3-mastodon in Owlery>\n"));
    assert!(files[0].text.contains("S3_HOSTNAME=media.social.example\n"));
}

#[tokio::test]
async fn the_demo_loads_the_reference_bucket_once_with_its_hand_checked_env_block() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    crate::server::demo::load(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let bucket = db::buckets::get(&mut conn, "mastodon-media").await.unwrap();
    assert_eq!(bucket.users.len(), 1, "loaded twice");
    let files = files(&mut conn, &bucket).await.unwrap();
    let expected = "\
# S3 media storage: bucket mastodon-media on MinIO service minio on hedwig.
S3_ENABLED=true
S3_BUCKET=mastodon-media
S3_REGION=us-east-1
S3_PROTOCOL=https
S3_ENDPOINT=http://[fd00:6f77::2]:9000
AWS_ACCESS_KEY_ID=mastodon
AWS_SECRET_ACCESS_KEY=<secret minio-mastodon in Owlery>
# Path-style: the bucket stays in the path, so S3_HOSTNAME and not S3_ALIAS_HOST.
# Mastodon links media as https://media.social.example/mastodon-media/<path>
S3_HOSTNAME=media.social.example
";
    assert_eq!(files[0].text, expected);
    assert!(db::mail::get(&mut conn, "social.example").await.is_ok());
}

#[tokio::test]
async fn the_demo_bucket_waits_for_its_minio_service() {
    let (pool, _dir) = test_pool().await;
    assert_eq!(load_demo(&pool, &Actor::cli("demo")).await.unwrap(), 0);
}
