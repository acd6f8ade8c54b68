//! Pure logic used on both sides of the wire.
pub mod names;
pub mod time;
pub mod url;
