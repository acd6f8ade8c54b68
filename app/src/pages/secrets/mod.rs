//! The secret store's pages, for admins only: list, add, replace a value, delete.
//! No page ever receives a value: they show names, kinds and history.
mod delete;
mod detail;
mod form;
mod list;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub use delete::DeleteSecret;
pub use detail::SecretDetail;
pub use form::NewSecret;
pub use list::SecretList;

/// The `:name` of the current route.
fn use_secret_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()))
}
