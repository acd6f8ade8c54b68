//! Deleting a runbook, after a confirmation page that names it (works without JavaScript).
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_slug;
use crate::api::runbooks::{get_delete_runbook, DeleteRunbook as DeleteRunbookAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};

#[component]
pub fn DeleteRunbook() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<DeleteRunbookAction>::new();
    let data = Resource::new(move || slug.get(), get_delete_runbook);
    view! {
        {move || view! { <Title text=format!("Delete {}", slug.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((r, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/runbooks/{}", r.slug);
                        view! {
                            <header class="page-header"><h1>"Delete " {r.title.clone()} "?"</h1></header>
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes the runbook " <strong>{r.slug.clone()}</strong>
                                    ". Runs started from it keep their own copy and stay readable."
                                </p>
                                <input type="hidden" name="slug" value=r.slug.clone()/>
                                <input type="hidden" name="version" value=r.version/>
                                <div class="form-actions">
                                    <button type="submit" class="danger">{format!("Delete {}", r.slug)}</button>
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
