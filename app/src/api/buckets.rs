//! Server functions of the buckets area.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::bucket::{Bucket, BucketInput, BucketListItem, BucketUserInput, GeneratedFile};
use crate::model::AppError;

/// A bucket page: the bucket, its generated files and its change history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketPage {
    pub bucket: Bucket,
    pub files: Vec<GeneratedFile>,
    pub history: Vec<AuditEntry>,
    /// The error of a failed plain-form removal of an access user.
    pub error: Option<AppError>,
    pub now: i64,
}

/// What a bucket form starts from: the input, a failed plain-form post's error, and
/// the MinIO services to choose from as (service, host).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketFormData {
    pub input: BucketInput,
    pub error: Option<AppError>,
    pub services: Vec<(String, String)>,
}

#[server]
pub async fn list_buckets(q: String) -> Result<Vec<BucketListItem>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    db::buckets::list(&app_state()?.db, &q).await
}

#[server]
pub async fn get_bucket(name: String) -> Result<BucketPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, db, forms, state::app_state};
    auth::require(Role::Viewer)?;
    let error = forms::take::<String>("remove-bucket-user").await.map(|(_, e)| e);
    let pool = app_state()?.db;
    let mut conn = pool.acquire().await?;
    let bucket = db::buckets::get(&mut conn, &name).await?;
    let files = buckets::files(&mut conn, &bucket).await?;
    drop(conn);
    let history = db::audit::for_object(&pool, "bucket", bucket.id, 50).await?;
    Ok(BucketPage {
        bucket,
        files,
        history,
        error,
        now: db::now(),
    })
}

/// The form for a new bucket (`name` None) or an edit; a failed plain-form post wins.
#[server]
pub async fn get_bucket_form(name: Option<String>) -> Result<BucketFormData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let pool = app_state()?.db;
    let services = db::buckets::minio_services(&pool).await?;
    if let Some((input, error)) = forms::take::<BucketInput>("bucket").await {
        let error = Some(error);
        return Ok(BucketFormData {
            input,
            error,
            services,
        });
    }
    let input = match name {
        Some(name) => BucketInput::from_bucket(&db::buckets::get(&mut *pool.acquire().await?, &name).await?),
        None => BucketInput::blank(),
    };
    Ok(BucketFormData {
        input,
        error: None,
        services,
    })
}

#[server]
pub async fn create_bucket(bucket: BucketInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let created = match bucket.parse() {
        Ok(draft) => buckets::create(&app_state()?.db, &(&session).into(), &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(b) => forms::redirect(&format!("/buckets/{}", b.name)),
        Err(e) => Err(forms::failed("bucket", &bucket, e).await),
    }
}

#[server]
pub async fn update_bucket(original: String, bucket: BucketInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let updated = match bucket.parse() {
        Ok(draft) => buckets::update(&app_state()?.db, &(&session).into(), &original, &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match updated {
        Ok(b) => forms::redirect(&format!("/buckets/{}", b.name)),
        Err(e) => Err(forms::failed("bucket", &bucket, e).await),
    }
}

#[server]
pub async fn delete_bucket(name: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match buckets::delete(&app_state()?.db, &(&session).into(), &name, version).await {
        Ok(_) => forms::redirect("/buckets"),
        Err(e) => Err(forms::failed("delete-bucket", &name, e).await),
    }
}

/// The delete confirmation: the bucket, and the error of a failed plain-form delete.
#[server]
pub async fn get_delete_bucket(name: String) -> Result<(Bucket, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-bucket").await.map(|(_, e)| e);
    let bucket = db::buckets::get(&mut *app_state()?.db.acquire().await?, &name).await?;
    Ok((bucket, error))
}

/// The form adding an access user: the bucket, the input, and a failed post's error.
#[server]
pub async fn get_bucket_user_form(
    name: String,
) -> Result<(Bucket, BucketUserInput, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let (input, error) = match forms::take::<BucketUserInput>("bucket-user").await {
        Some((input, error)) => (input, Some(error)),
        None => (BucketUserInput::default(), None),
    };
    let bucket = db::buckets::get(&mut *app_state()?.db.acquire().await?, &name).await?;
    Ok((bucket, input, error))
}

#[server]
pub async fn add_bucket_user(bucket: String, user: BucketUserInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let added = match user.parse() {
        Ok(u) => buckets::add_user(&app_state()?.db, &(&session).into(), &bucket, &u).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match added {
        Ok(()) => forms::redirect(&format!("/buckets/{bucket}")),
        Err(e) => Err(forms::failed("bucket-user", &user, e).await),
    }
}

#[server]
pub async fn remove_bucket_user(bucket: String, access_key: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, buckets, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match buckets::remove_user(&app_state()?.db, &(&session).into(), &bucket, &access_key).await {
        Ok(()) => forms::redirect(&format!("/buckets/{bucket}")),
        Err(e) => Err(forms::failed("remove-bucket-user", &access_key, e).await),
    }
}
