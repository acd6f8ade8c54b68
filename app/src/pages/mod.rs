//! One module per area of the console.
pub mod auth;
pub mod dashboard;
pub mod hosts;
pub mod not_found;
