//! One secret: what it is, who changed it when, and the form that replaces its value
//! or edits its description. The value itself is never shown.
use leptos::prelude::*;
use leptos_meta::Title;

use super::form::{ValueField, F};
use super::use_secret_name;
use crate::api::secrets::{get_secret_form, SecretFormData, UpdateSecret};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormMessage};
use crate::components::time::Age;
use crate::model::secret::kind_label;
use crate::model::AppError;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn SecretDetail() -> impl IntoView {
    let name = use_secret_name();
    let action = ServerAction::<UpdateSecret>::new();
    let data = Resource::new(move || name.get(), |n| get_secret_form(Some(n)));
    view! {
        {move || view! { <Title text=name.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(SecretFormData { secret: Some(s), history, now, input, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let delete = format!("/settings/secrets/{}/delete", s.name);
                        let label = format!("Save {}", s.name);
                        view! {
                            <header class="page-header">
                                <h1>{s.name.clone()}</h1>
                                <span class="badge">{kind_label(&s.kind)}</span>
                                <div class="actions">
                                    <a class="button danger" href=delete>"Delete"</a>
                                </div>
                            </header>
                            <div class="sections">
                                <section class="card">
                                    <h2>"Details"</h2>
                                    <dl>
                                        <dt>"Kind"</dt><dd>{kind_label(&s.kind)}</dd>
                                        <dt>"Description"</dt><dd>{s.description.clone()}</dd>
                                        <dt>"Value"</dt><dd>"Stored encrypted; it cannot be shown."</dd>
                                        <dt>"Last changed"</dt>
                                        <dd><Age at=s.updated_at now/> " by " {s.updated_by.clone()}</dd>
                                        <dt>"Added"</dt><dd><Age at=s.created_at now/></dd>
                                    </dl>
                                </section>
                                <section class="card wide">
                                    <h2>"Replace the value or edit the description"</h2>
                                    <ActionForm action attr:class="form" attr:novalidate=true attr:autocomplete="off">
                                        <FormMessage error/>
                                        <input type="hidden" name="name" value=s.name.clone()/>
                                        <input type="hidden" name="secret[version]" value=input.version.clone()/>
                                        <fieldset>
                                            <legend>"Change"</legend>
                                            <Field form=F field="description" label="Description"
                                                value=input.description error/>
                                            <ValueField error help="Leave empty to keep the current value."/>
                                        </fieldset>
                                        <div class="form-actions">
                                            <button type="submit" class="primary">
                                                {label}
                                            </button>
                                            <a href="/settings/secrets">"Back to the list"</a>
                                        </div>
                                    </ActionForm>
                                </section>
                                <section class="card wide">
                                    <h2>"Change history"</h2>
                                    <ChangeList entries=history now/>
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                    Ok(_) => view! { <ErrorBox error=AppError::NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
