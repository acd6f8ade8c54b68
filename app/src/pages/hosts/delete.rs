//! Deleting a host, after a confirmation page that names it (works without JavaScript).
use leptos::prelude::*;
use leptos_meta::Title;

use super::detail::use_host_name;
use crate::api::hosts::{get_delete_host, DeleteHost as DeleteHostAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};

#[component]
pub fn DeleteHost() -> impl IntoView {
    let name = use_host_name();
    let action = ServerAction::<DeleteHostAction>::new();
    let data = Resource::new(move || name.get(), get_delete_host);
    view! {
        {move || view! { <Title text=format!("Delete {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((host, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/hosts/{}", host.name);
                        view! {
                            <header class="page-header"><h1>"Delete " {host.name.clone()} "?"</h1></header>
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes " <strong>{host.name.clone()}</strong>
                                    " and its role tags from the inventory. The server itself is not touched."
                                </p>
                                <input type="hidden" name="name" value=host.name.clone()/>
                                <input type="hidden" name="version" value=host.version/>
                                <div class="form-actions">
                                    <button type="submit" class="danger">{format!("Delete {}", host.name)}</button>
                                    <a href=back>"Cancel"</a>
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
