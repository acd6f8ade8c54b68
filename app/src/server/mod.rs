//! Server-only code: state, database access, authentication. Compiled with `ssr` only.
pub mod auth;
pub mod buckets;
pub mod checks;
pub mod costs;
pub mod db;
pub mod demo;
pub mod error;
pub mod forms;
pub mod hosts;
pub mod inventory;
pub mod jobs;
pub mod mail;
pub mod mfa;
pub mod network;
pub mod runbooks;
pub mod secrets;
pub mod services;
pub mod ssh;
pub mod ssh_admin;
pub mod state;
pub mod streams;
pub mod totp;
pub mod tuning;
pub mod users;

pub use state::AppState;
