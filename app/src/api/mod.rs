//! Server functions, thin: check the caller, call `server::*`, map errors.
pub mod dashboard;
pub mod hosts;
pub mod session;
