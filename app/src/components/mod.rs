//! Building blocks the pages share.
pub mod error;
pub mod form;
pub mod layout;
pub mod time;
