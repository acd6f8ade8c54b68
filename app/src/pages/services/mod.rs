//! The services area: list by host or by kind, detail, create, edit (move), delete, and
//! the services card of a host's page.
mod delete;
mod detail;
mod form;
mod host_card;
mod list;

pub use delete::DeleteService;
pub use detail::ServiceDetail;
pub use form::{EditService, NewService};
pub use host_card::HostServices;
pub use list::ServiceList;

/// Memory as people say it: whole GiB when it divides, MiB otherwise, a dash for unknown.
fn memory(mib: Option<u32>) -> String {
    match mib {
        Some(m) if m >= 1024 && m.is_multiple_of(1024) => format!("{} GiB", m / 1024),
        Some(m) => format!("{m} MiB"),
        None => "—".into(),
    }
}
