//! Server-only code: state, database access, authentication. Compiled with `ssr` only.
pub mod auth;
pub mod db;
pub mod demo;
pub mod error;
pub mod forms;
pub mod hosts;
pub mod state;

pub use state::AppState;
