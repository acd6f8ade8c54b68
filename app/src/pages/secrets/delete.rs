//! Deleting a secret, after a confirmation page that names it (works without JavaScript).
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_secret_name;
use crate::api::secrets::{get_delete_secret, DeleteSecret as DeleteSecretAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};
use crate::model::secret::kind_label;

#[component]
pub fn DeleteSecret() -> impl IntoView {
    let name = use_secret_name();
    let action = ServerAction::<DeleteSecretAction>::new();
    let data = Resource::new(move || name.get(), get_delete_secret);
    view! {
        {move || view! { <Title text=format!("Delete {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((secret, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/settings/secrets/{}", secret.name);
                        view! {
                            <header class="page-header"><h1>"Delete " {secret.name.clone()} "?"</h1></header>
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes the " {kind_label(&secret.kind)} " "
                                    <strong>{secret.name.clone()}</strong>
                                    " for good: jobs that use it will fail, and the value cannot be "
                                    "recovered except from a backup of the database together with its master key."
                                </p>
                                <input type="hidden" name="name" value=secret.name.clone()/>
                                <input type="hidden" name="version" value=secret.version/>
                                <div class="form-actions">
                                    <button type="submit" class="danger">{format!("Delete {}", secret.name)}</button>
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
