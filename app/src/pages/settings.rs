//! Settings: what admins decide for the whole console.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::totp::{get_settings, UpdateSettings};
use crate::components::error::ErrorBox;
use crate::components::form::FormMessage;

#[component]
pub fn Settings() -> impl IntoView {
    let action = ServerAction::<UpdateSettings>::new();
    let data = Resource::new(move || action.version().get(), |_| get_settings());
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("done")).map(|_| "Saved.");
    view! {
        <Title text="Settings"/>
        <header class="page-header"><h1>"Settings"</h1></header>
        <p class="notice" role="status">{saved}</p>
        <nav class="sub-nav" aria-label="Settings">
            <a href="/settings/users">"Users"</a>
            <a href="/settings/ssh">"SSH identities"</a>
            <a href="/settings/secrets">"Secrets"</a>
        </nav>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(require_totp) => view! {
                        <section class="card">
                            <h2>"Sign-in"</h2>
                            <ActionForm action attr:class="stack">
                                <FormMessage error/>
                                <label class="check">
                                    <input type="checkbox" name="require_totp" checked=require_totp/>
                                    " Require two-factor sign-in for everyone"
                                </label>
                                <p class="field-error">
                                    {move || error.get().and_then(|e| e.field_message("require_totp"))}
                                </p>
                                <p class="help">
                                    "Users without a second factor can then open only their account page until they set one up."
                                </p>
                                <button type="submit" class="primary">"Save settings"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
