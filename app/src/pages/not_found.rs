//! The page for addresses that lead nowhere.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error::set_status;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found"/>
        <main class="auth">
            <section class="card">
                <h1>"Not found"</h1>
                <p>"Nothing lives at this address."</p>
                <p><a href="/">"Go to the dashboard"</a></p>
            </section>
        </main>
    }
}
