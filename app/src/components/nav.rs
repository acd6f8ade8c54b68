//! How an island talks to `/nav.js`: it asks for the page to be fetched again, and it
//! hears when the page is about to be swapped for another, to stop its streams and polls.

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::document;
    use wasm_bindgen::prelude::*;

    /// Has nav.js fetch this page again and swap it in, keeping the scroll position.
    pub fn refresh() {
        if let Ok(event) = web_sys::Event::new("owlery:refresh") {
            let _ = document().dispatch_event(&event);
        }
    }

    /// Runs `stop` once, when nav.js is about to swap the page for another.
    pub fn on_leave(stop: impl FnOnce() + 'static) {
        let stop = Closure::once_into_js(stop);
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = document().add_event_listener_with_callback_and_add_event_listener_options(
            "owlery:leave",
            stop.unchecked_ref(),
            &once,
        );
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    /// On the server there is no page to fetch again.
    pub fn refresh() {}

    /// Nor one to leave.
    pub fn on_leave(_stop: impl FnOnce() + 'static) {}
}

pub use browser::{on_leave, refresh};
