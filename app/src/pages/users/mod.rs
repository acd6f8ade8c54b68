//! Settings → Users: the co-admins, their roles, sessions and history (admins only).
mod detail;
mod list;

pub use detail::UserDetail;
pub use list::{NewUser, UserList};
