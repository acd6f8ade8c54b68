//! Types shared by the browser and the server: what crosses the wire.
pub mod action;
pub mod audit;
pub mod bucket;
pub mod cost;
pub mod cost_view;
pub mod dashboard;
pub mod error;
pub mod host;
pub mod inventory;
pub mod job;
pub mod mail;
pub mod mesh;
pub mod runbook;
pub mod runbook_run;
#[cfg(feature = "ssr")]
pub mod runbook_toml;
pub mod secret;
pub mod service;
pub mod tuning;
pub mod user;

#[cfg(test)]
mod fuzz;

pub use error::{AppError, FieldErrors};
