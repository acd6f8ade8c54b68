//! The Owlery server: command line, configuration, HTTP router and its guards.
pub mod auth_routes;
pub mod cli;
pub mod config;
pub mod guard;
pub mod startup;
