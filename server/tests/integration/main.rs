//! The server's integration tests, in one binary: each module starts real Owlery servers
//! on free ports with a database of their own, and the SSH modules use the testbed hosts.
//! One binary instead of one per file keeps a clean `make test` to a few GB of disk.

mod common;
mod wizard_support;

mod audit;
mod auth;
mod backup;
mod buckets;
mod check;
mod drift;
mod guard;
mod hosts;
mod jobs;
mod limits;
mod roles;
mod runbooks;
mod secrets;
mod services;
mod ssh;
mod ssh_admin;
mod tuning;
mod users;
mod wizard;
