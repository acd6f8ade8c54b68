//! Pages of the migration wizard that the generic run page does not cover.
mod env_merge;

pub use env_merge::EnvMerge;
