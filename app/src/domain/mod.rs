//! Pure logic used on both sides of the wire.
pub mod ansi;
pub mod html;
pub mod names;
pub mod shell;
pub mod time;
pub mod url;
