//! The mail area: list, detail with DNS lines and SMTP block, create, edit, delete.
mod delete;
mod detail;
mod form;
mod list;

pub use delete::DeleteMailDomain;
pub use detail::MailDetail;
pub use form::{EditMailDomain, NewMailDomain};
pub use list::MailList;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:domain` of the current route.
fn use_domain() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("domain").unwrap_or_default()))
}
