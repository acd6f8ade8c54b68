//! Deleting a mail domain's record, after a confirmation page that names it.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_domain;
use crate::api::mail::{get_delete_mail_domain, DeleteMailDomain as DeleteAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};

#[component]
pub fn DeleteMailDomain() -> impl IntoView {
    let domain = use_domain();
    let action = ServerAction::<DeleteAction>::new();
    let data = Resource::new(move || domain.get(), get_delete_mail_domain);
    view! {
        {move || view! { <Title text=format!("Delete {}", domain.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((m, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/mail/{}", m.domain);
                        view! {
                            <header class="page-header"><h1>"Delete " {m.domain.clone()} "?"</h1></header>
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes the mail domain " <strong>{m.domain.clone()}</strong>
                                    " from the inventory. DNS records and the relay's configuration are not touched."
                                </p>
                                <input type="hidden" name="domain" value=m.domain.clone()/>
                                <input type="hidden" name="version" value=m.version/>
                                <div class="form-actions">
                                    <button type="submit" class="danger">{format!("Delete {}", m.domain)}</button>
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
