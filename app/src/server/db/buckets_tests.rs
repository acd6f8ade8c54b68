//! Bucket queries against the migrated schema.
use super::*;
use crate::model::bucket::BucketInput;
use crate::server::db::test_pool;

fn draft(name: &str) -> BucketDraft {
    BucketInput {
        name: name.into(),
        endpoint_url: "https://s3.fr-par.scw.cloud".into(),
        ..BucketInput::blank()
    }
    .parse()
    .expect("valid")
}

#[tokio::test]
async fn a_bucket_comes_back_with_its_users_and_shows_in_the_list() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    let bucket = insert(&mut conn, &draft("mastodon-media")).await.unwrap();
    let user = BucketUser {
        access_key: "mastodon".into(),
        actions: vec!["get".into(), "put".into()],
        secret_name: "s3-mastodon".into(),
    };
    add_user(&mut conn, bucket.id, &user).await.unwrap();
    let again = get(&mut conn, "mastodon-media").await.unwrap();
    assert_eq!(again.users, vec![user.clone()]);
    assert_eq!(again.version, 2);
    let err = add_user(&mut conn, bucket.id, &user).await.unwrap_err();
    assert!(err.field_message("access_key").is_some());
    let listed = list(&pool, "scw").await.unwrap();
    assert_eq!(listed[0].users, 1);
    assert_eq!(listed[0].endpoint, "https://s3.fr-par.scw.cloud");
    remove_user(&mut conn, bucket.id, "mastodon").await.unwrap();
    assert!(get(&mut conn, "mastodon-media").await.unwrap().users.is_empty());
}

#[tokio::test]
async fn a_duplicate_name_and_an_unknown_service_are_field_errors() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    insert(&mut conn, &draft("media")).await.unwrap();
    let err = insert(&mut conn, &draft("media")).await.unwrap_err();
    assert!(err.field_message("name").is_some(), "{err:?}");
    let on_minio = BucketDraft {
        endpoint: Endpoint::Service("minio".into()),
        ..draft("other")
    };
    let err = insert(&mut conn, &on_minio).await.unwrap_err();
    assert!(err.field_message("service").is_some(), "{err:?}");
}

#[tokio::test]
async fn a_stale_edit_is_refused() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    insert(&mut conn, &draft("media")).await.unwrap();
    let edit = BucketDraft {
        version: Some(1),
        region: "fr-par".into(),
        ..draft("media")
    };
    update(&mut conn, "media", &edit).await.unwrap();
    let err = update(&mut conn, "media", &edit).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
}
