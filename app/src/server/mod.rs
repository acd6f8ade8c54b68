//! Server-only code: state, database access, authentication. Compiled with `ssr` only.
pub mod auth;
pub mod db;
pub mod demo;
pub mod error;
pub mod forms;
pub mod hosts;
pub mod jobs;
pub mod mfa;
pub mod secrets;
pub mod ssh;
pub mod ssh_admin;
pub mod state;
pub mod totp;
pub mod users;

pub use state::AppState;
