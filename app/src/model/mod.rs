//! Types shared by the browser and the server: what crosses the wire.
pub mod action;
pub mod audit;
pub mod dashboard;
pub mod error;
pub mod host;
pub mod job;
pub mod secret;
pub mod user;

#[cfg(test)]
mod fuzz;

pub use error::{AppError, FieldErrors};
