//! The buckets area: list, detail with generated files, create, edit, delete, users.
mod delete;
mod detail;
mod form;
mod list;
mod user;

pub use delete::DeleteBucket;
pub use detail::BucketDetail;
pub use form::{EditBucket, NewBucket};
pub use list::BucketList;
pub use user::NewBucketUser;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:bucket` of the current route.
fn use_bucket_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("bucket").unwrap_or_default()))
}

/// How anonymous access reads in a badge.
fn anonymous_label(anonymous: &str) -> &'static str {
    match anonymous {
        "download" => "anonymous: download",
        "upload" => "anonymous: upload",
        "public" => "anonymous: public",
        _ => "private",
    }
}
