//! Building blocks the pages share.
pub mod code_block;
pub mod error;
pub mod form;
pub mod layout;
pub mod markdown;
pub mod nav;
pub mod time;
