//! The Owlery server: command line, configuration, HTTP router and its guards.
pub mod audit_export;
pub mod auth_routes;
pub mod backup;
pub mod cli;
pub mod config;
pub mod guard;
pub mod job_routes;
pub mod startup;
