//! Owlery: the web console for co-admins of a small self-hosted cluster.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

mod app;
pub use app::{shell, App};
#[cfg(feature = "hydrate")]
use leptos::prelude::{document, set_timeout};

/// The browser entry point. Pages are rendered on the server only; the live parts are
/// islands, which the loader hydrates right after this returns.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The loader hydrates the islands in microtasks once this returns; a timeout runs
    // after them. The mark tells tests (and curious admins) that the page is live.
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
