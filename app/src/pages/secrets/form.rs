//! Adding a secret, and the value field the add and replace forms share.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::secrets::{get_secret_form, CreateSecret, SecretFormData};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select};
use crate::model::secret::SECRET_KINDS;

/// The form name: fields are posted as `secret[name]`, `secret[value]`, ...
pub(super) const F: &str = "secret";

#[component]
pub fn NewSecret() -> impl IntoView {
    let action = ServerAction::<CreateSecret>::new();
    let data = Resource::new(|| (), |_| get_secret_form(None));
    view! {
        <Title text="Add secret"/>
        <header class="page-header"><h1>"Add secret"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(SecretFormData { input, error, .. }) => {
                        let error = form_error(move || action.value().get(), error);
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true attr:autocomplete="off">
                                <FormMessage error/>
                                <fieldset>
                                    <legend>"Secret"</legend>
                                    <Field form=F field="name" label="Name" value=input.name error mono=true
                                        help="A DNS label: letters, digits and '-'. It cannot be changed later."/>
                                    <Select form=F field="kind" label="Kind" value=input.kind
                                        options=&SECRET_KINDS error/>
                                    <Field form=F field="description" label="Description" value=input.description
                                        error help="What it is for, e.g. backups to the media bucket."/>
                                    <ValueField error
                                        help="Stored encrypted. Nobody can read it back here: keep the original where it belongs."/>
                                </fieldset>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add secret"
                                    </button>
                                    <a href="/settings/secrets">"Cancel"</a>
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

/// The value's text area. Unlike the shared `TextArea` it is always rendered empty (a
/// value never comes back from the server), and asks the browser not to spell-check it
/// (spell-check services may send the text away), nor to remember or capitalise it.
#[component]
pub(super) fn ValueField(error: FormError, help: &'static str) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("value"));
    view! {
        <div class="field wide" class:invalid=move || message().is_some()>
            <label for="secret-value">"Value"</label>
            <textarea
                id="secret-value"
                name="secret[value]"
                rows="6"
                class="mono"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                aria-invalid=move || message().map(|_| "true")
                aria-describedby="secret-value-error"
            ></textarea>
            <p class="help">{help}</p>
            <p class="field-error" id="secret-value-error">{message}</p>
        </div>
    }
}
