//! Who is signed in.
use leptos::prelude::*;

use crate::model::user::CurrentUser;
use crate::model::AppError;

#[server]
pub async fn get_current_user() -> Result<CurrentUser, AppError> {
    use crate::model::user::Role;
    Ok(crate::server::auth::require(Role::Viewer)?.user)
}
