//! Creating and editing a bucket: the same fields, two actions.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_bucket_name;
use crate::api::buckets::{get_bucket_form, BucketFormData, CreateBucket, UpdateBucket};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select, TextArea};
use crate::model::bucket::{BucketInput, ADDRESSING, ANONYMOUS};

#[component]
pub fn NewBucket() -> impl IntoView {
    let action = ServerAction::<CreateBucket>::new();
    let data = Resource::new(|| (), |_| get_bucket_form(None));
    view! {
        <Title text="Add bucket"/>
        <header class="page-header"><h1>"Add bucket"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(BucketFormData { input, error, services }) => {
                        let error = form_error(move || action.value().get(), error);
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <BucketFields input services error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add bucket"
                                    </button>
                                    <a href="/buckets">"Cancel"</a>
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

#[component]
pub fn EditBucket() -> impl IntoView {
    let name = use_bucket_name();
    let action = ServerAction::<UpdateBucket>::new();
    let data = Resource::new(move || name.get(), |n| get_bucket_form(Some(n)));
    view! {
        {move || view! { <Title text=format!("Edit {}", name.get())/> }}
        <header class="page-header"><h1>"Edit " {move || name.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(BucketFormData { input, error, services }) => {
                        let error = form_error(move || action.value().get(), error);
                        let original = name.get_untracked();
                        let cancel = format!("/buckets/{original}");
                        let label = format!("Save {original}");
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="original" value=original/>
                                <input type="hidden" name="bucket[version]" value=input.version.clone()/>
                                <BucketFields input services error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        {label}
                                    </button>
                                    <a href=cancel>"Cancel"</a>
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

#[component]
fn BucketFields(input: BucketInput, services: Vec<(String, String)>, error: FormError) -> impl IntoView {
    const F: &str = "bucket";
    view! {
        <fieldset>
            <legend>"Bucket"</legend>
            <Field form=F field="name" label="Name" value=input.name error mono=true
                help="3-63 lowercase letters, digits, '.' and '-'; starts and ends with a letter or digit."/>
            <Select form=F field="anonymous" label="Anonymous access" value=input.anonymous options=&ANONYMOUS error/>
            <p class="help">"download: anyone may read objects (media); upload: anyone may write; public: read, write and list."</p>
        </fieldset>
        <fieldset>
            <legend>"Endpoint"</legend>
            <ServiceSelect value=input.service services error/>
            <Field form=F field="endpoint_url" label="External endpoint URL" value=input.endpoint_url error mono=true
                help="Only for a bucket at a provider, e.g. https://s3.fr-par.scw.cloud; leave empty for MinIO."/>
            <Field form=F field="region" label="Region" value=input.region error mono=true
                help="MinIO's default is us-east-1."/>
            <Select form=F field="addressing" label="Addressing" value=input.addressing options=&ADDRESSING error/>
            <p class="help">
                "path: the bucket is in the URL path (MinIO's default) and Mastodon gets S3_HOSTNAME; "
                "virtual-host: the host name carries the bucket and Mastodon gets S3_ALIAS_HOST."
            </p>
            <Field form=F field="alias_host" label="Public alias host" value=input.alias_host error mono=true
                help="The host nginx serves the media on, e.g. media.social.example; empty links the endpoint."/>
        </fieldset>
        <fieldset>
            <legend>"Notes"</legend>
            <TextArea form=F field="notes" label="Notes" value=input.notes error/>
        </fieldset>
    }
}

/// The MinIO service the bucket lives on, or none for an external endpoint.
#[component]
fn ServiceSelect(value: String, services: Vec<(String, String)>, error: FormError) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("service"));
    let empty = services.is_empty();
    let options = services
        .into_iter()
        .map(|(service, host)| {
            let selected = value == service;
            let label = format!("{service} on {host}");
            view! { <option value=service selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for="bucket-service">"MinIO service"</label>
            <select id="bucket-service" name="bucket[service]" aria-describedby="bucket-service-error">
                <option value="">"— none: external endpoint —"</option>
                {options}
            </select>
            {empty.then(|| view! { <p class="help">"No MinIO service in the inventory yet: use an external endpoint."</p> })}
            <p class="field-error" id="bucket-service-error">{message}</p>
        </div>
    }
}
