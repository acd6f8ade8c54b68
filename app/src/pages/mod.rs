//! One module per area of the console.
pub mod account;
pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod hosts;
pub mod jobs;
pub mod not_found;
pub mod secrets;
pub mod settings;
pub mod ssh;
pub mod totp;
pub mod users;
