//! Deleting a service, after a confirmation page that names it; a service others depend
//! on is not offered for deletion, and the page says which ones.
use leptos::prelude::*;
use leptos_meta::Title;

use super::detail::use_service_name;
use crate::api::services::{get_delete_service, DeleteService as DeleteServiceAction, DeleteServiceData};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};
use crate::domain::url::encode_component;

#[component]
pub fn DeleteService() -> impl IntoView {
    let name = use_service_name();
    let action = ServerAction::<DeleteServiceAction>::new();
    let data = Resource::new(move || name.get(), get_delete_service);
    view! {
        {move || view! { <Title text=format!("Delete {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(DeleteServiceData { service: s, dependents, error: carried }) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/services/{}", s.name);
                        let blocked = !dependents.is_empty();
                        view! {
                            <header class="page-header"><h1>"Delete " {s.name.clone()} "?"</h1></header>
                            {blocked.then(|| view! {
                                <div class="form-message" role="alert">
                                    <p>
                                        "⚠ " <strong>{s.name.clone()}</strong>
                                        " cannot be deleted while other services depend on it: "
                                        {dependents
                                            .iter()
                                            .enumerate()
                                            .map(|(i, d)| view! {
                                                {(i > 0).then_some(", ")}
                                                <a href=format!("/services/{}/edit", encode_component(d))>{d.clone()}</a>
                                            })
                                            .collect_view()}
                                        ". Remove " {s.name.clone()} " from their dependencies first."
                                    </p>
                                </div>
                            })}
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes " <strong>{s.name.clone()}</strong> " (" {s.kind.label()} " on "
                                    {s.host.clone()} ") and its dependencies from the inventory. "
                                    "Nothing on the host is stopped or touched."
                                </p>
                                <input type="hidden" name="name" value=s.name.clone()/>
                                <input type="hidden" name="version" value=s.version/>
                                <div class="form-actions">
                                    {(!blocked).then(|| view! {
                                        <button type="submit" class="danger">{format!("Delete {}", s.name)}</button>
                                    })}
                                    <a href=back>{if blocked { "Back" } else { "Cancel" }}</a>
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
