//! The Owlery server: command line, configuration, HTTP router and its guards.
pub mod audit_export;
pub mod auth_routes;
pub mod backup;
pub mod body_limit;
pub mod check_cli;
pub mod cli;
pub mod config;
pub mod cost_export;
pub mod env_merge_route;
pub mod file_routes;
pub mod guard;
pub mod inventory_cli;
pub mod inventory_routes;
pub mod job_routes;
pub mod memory;
pub mod runbook_routes;
pub mod startup;
