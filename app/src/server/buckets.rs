//! Changing buckets (each change and its audit entry in one transaction), the files
//! generated for a bucket, and the reference bucket of `owlery demo`.
use sqlx::{SqliteConnection, SqlitePool};

use super::db::{self, audit::Actor};
use crate::domain::s3::{self, AccessUser, BucketFacts};
use crate::model::bucket::{Bucket, BucketDraft, BucketInput, BucketUser, GeneratedFile};
use crate::model::host::{blank_fields, diff_fields};
use crate::model::AppError;

const KIND: &str = "bucket";

pub async fn create(pool: &SqlitePool, actor: &Actor, draft: &BucketDraft) -> Result<Bucket, AppError> {
    let mut tx = db::begin(pool).await?;
    let bucket = db::buckets::insert(&mut tx, draft).await?;
    let object = (KIND, Some(bucket.id), bucket.name.as_str());
    db::audit::record_fields(&mut tx, actor, object, None, Some(&bucket.fields())).await?;
    tx.commit().await?;
    Ok(bucket)
}

pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    current: &str,
    draft: &BucketDraft,
) -> Result<Bucket, AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, after) = db::buckets::update(&mut tx, current, draft).await?;
    let object = (KIND, Some(after.id), after.name.as_str());
    db::audit::record_fields(
        &mut tx,
        actor,
        object,
        Some(&before.fields()),
        Some(&after.fields()),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(pool: &SqlitePool, actor: &Actor, name: &str, version: i64) -> Result<Bucket, AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::buckets::delete(&mut tx, name, version).await?;
    let mut changes = diff_fields(&before.fields(), &blank_fields(&before.fields()));
    changes.extend(
        before
            .users
            .iter()
            .map(|u| (user_field(u), user_text(u), String::new())),
    );
    db::audit::record(
        &mut tx,
        actor,
        "delete",
        (KIND, Some(before.id), &before.name),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

fn user_field(u: &BucketUser) -> String {
    format!("user {}", u.access_key)
}

fn user_text(u: &BucketUser) -> String {
    format!("{} (secret {})", u.actions.join(" "), u.secret_name)
}

pub async fn add_user(
    pool: &SqlitePool,
    actor: &Actor,
    bucket: &str,
    user: &BucketUser,
) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let b = db::buckets::get(&mut tx, bucket).await?;
    db::buckets::add_user(&mut tx, b.id, user).await?;
    let changes = [(user_field(user), String::new(), user_text(user))];
    db::audit::record(&mut tx, actor, "update", (KIND, Some(b.id), &b.name), &changes).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_user(
    pool: &SqlitePool,
    actor: &Actor,
    bucket: &str,
    access_key: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let b = db::buckets::get(&mut tx, bucket).await?;
    let user = b
        .users
        .iter()
        .find(|u| u.access_key == access_key)
        .ok_or(AppError::NotFound)?;
    db::buckets::remove_user(&mut tx, b.id, access_key).await?;
    let changes = [(user_field(user), user_text(user), String::new())];
    db::audit::record(&mut tx, actor, "update", (KIND, Some(b.id), &b.name), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Every file Owlery writes for the bucket: Mastodon's env block, the nginx proxy, the
/// anonymous policy and one policy per access user (only those that apply).
pub async fn files(conn: &mut SqliteConnection, b: &Bucket) -> Result<Vec<GeneratedFile>, AppError> {
    let (endpoint, label) = match (&b.service, &b.endpoint_url) {
        (Some(service), _) => db::buckets::service_endpoint(conn, service).await?,
        (None, Some(url)) => (
            url.clone(),
            format!("the external endpoint {}", s3::url_authority(url)),
        ),
        (None, None) => return Err(AppError::Internal),
    };
    let facts = BucketFacts {
        name: &b.name,
        region: &b.region,
        endpoint: &endpoint,
        endpoint_label: &label,
        addressing: &b.addressing,
        alias_host: b.alias_host.as_deref(),
        anonymous: &b.anonymous,
    };
    // Mastodon needs a user that reads and writes; the first such user is the one.
    let writer = b
        .users
        .iter()
        .find(|u| ["get", "put"].iter().all(|a| u.actions.iter().any(|x| x == a)))
        .or(b.users.first())
        .map(|u| AccessUser {
            access_key: &u.access_key,
            secret_name: &u.secret_name,
            actions: &u.actions,
        });
    let mut files = vec![GeneratedFile {
        file: "mastodon-s3.env".into(),
        title: ".env.production: S3 settings".into(),
        help: "Merge into Mastodon's .env.production on every Puma and Sidekiq host, then fill in the secret key."
            .into(),
        text: s3::mastodon_env(&facts, writer.as_ref()),
    }];
    if let (Some(text), Some(alias)) = (s3::nginx_proxy(&facts), &b.alias_host) {
        files.push(GeneratedFile {
            file: format!("nginx-{alias}.conf"),
            title: format!("nginx: {alias}"),
            help: "The virtual host that serves the media, on the host running nginx.".into(),
            text,
        });
    }
    if let Some(text) = s3::anonymous_policy(&b.name, &b.anonymous) {
        files.push(GeneratedFile {
            file: "anonymous-policy.json".into(),
            title: format!("Anonymous policy ({})", b.anonymous),
            help: format!("mc anonymous set-json anonymous-policy.json ALIAS/{}", b.name),
            text,
        });
    }
    for u in &b.users {
        files.push(GeneratedFile {
            file: format!("policy-{}.json", u.access_key),
            title: format!("Policy of {}", u.access_key),
            help: format!(
                "mc admin policy create ALIAS {name}-{key} policy-{key}.json, then attach it to {key}",
                name = b.name,
                key = u.access_key
            ),
            text: s3::user_policy(&b.name, &u.actions),
        });
    }
    Ok(files)
}

/// The reference bucket: on the MinIO service `minio` (skipped while it is missing),
/// path-style, served on media.social.example, download-only, with the `mastodon` user.
/// Returns how many objects were added.
pub async fn load_demo(pool: &SqlitePool, actor: &Actor) -> Result<usize, AppError> {
    let input = BucketInput {
        name: "mastodon-media".into(),
        service: "minio".into(),
        alias_host: "media.social.example".into(),
        notes: "Mastodon's media, moved from iris's disk with awscli over an ssh tunnel.".into(),
        ..BucketInput::blank()
    };
    let draft = input.parse().map_err(AppError::Validation)?;
    let mut conn = pool.acquire().await?;
    match db::buckets::get(&mut conn, draft.name.as_str()).await {
        Ok(_) => return Ok(0),
        Err(AppError::NotFound) => {}
        Err(e) => return Err(e),
    }
    if !db::buckets::minio_services(pool)
        .await?
        .iter()
        .any(|(s, _)| s == "minio")
    {
        return Ok(0);
    }
    drop(conn);
    create(pool, actor, &draft).await?;
    let user = BucketUser {
        access_key: "mastodon".into(),
        actions: vec!["get".into(), "put".into(), "delete".into()],
        secret_name: "minio-mastodon".into(),
    };
    add_user(pool, actor, draft.name.as_str(), &user).await?;
    Ok(1)
}

#[cfg(test)]
#[path = "buckets_tests.rs"]
mod tests;
