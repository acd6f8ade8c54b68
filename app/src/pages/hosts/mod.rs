//! The hosts area: list, detail, create, edit, delete.
mod delete;
mod detail;
mod form;
mod list;
pub mod ssh_card;

pub use delete::DeleteHost;
pub use detail::HostDetail;
pub use form::{EditHost, NewHost};
pub use list::HostList;

/// RAM as people say it: whole GiB when it divides, MiB otherwise.
fn ram(mib: u32) -> String {
    if mib.is_multiple_of(1024) {
        format!("{} GiB", mib / 1024)
    } else {
        format!("{mib} MiB")
    }
}
