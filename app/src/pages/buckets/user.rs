//! Adding an access user to a bucket: its access key, the secret holding its secret
//! key, and what it may do.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_bucket_name;
use crate::api::buckets::{get_bucket_user_form, AddBucketUser};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage};
use crate::model::bucket::BucketUserInput;

#[component]
pub fn NewBucketUser() -> impl IntoView {
    let name = use_bucket_name();
    let action = ServerAction::<AddBucketUser>::new();
    let data = Resource::new(move || name.get(), get_bucket_user_form);
    view! {
        {move || view! { <Title text=format!("Add an access user to {}", name.get())/> }}
        <header class="page-header"><h1>"Add an access user to " {move || name.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((bucket, input, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/buckets/{}", bucket.name);
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="bucket" value=bucket.name.clone()/>
                                <UserFields input error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add user"
                                    </button>
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

#[component]
fn UserFields(input: BucketUserInput, error: FormError) -> impl IntoView {
    const F: &str = "user";
    let message = move || error.get().and_then(|e| e.field_message("actions"));
    let boxes = [
        ("get", "get objects", input.get.clone()),
        ("put", "put objects", input.put.clone()),
        ("delete", "delete objects", input.delete.clone()),
        ("list", "list the bucket", input.list.clone()),
    ]
    .into_iter()
    .map(|(field, label, value)| {
        let id = format!("user-{field}");
        let for_id = id.clone();
        view! {
            <label class="check" for=for_id>
                <input type="checkbox" id=id name=format!("user[{field}]") value="on" checked=!value.is_empty()/>
                " " {label}
            </label>
        }
    })
    .collect_view();
    view! {
        <fieldset>
            <legend>"Access user"</legend>
            <Field form=F field="access_key" label="Access key" value=input.access_key error mono=true
                help="The user name MinIO knows, e.g. mastodon."/>
            <Field form=F field="secret_name" label="Secret key in the secret store" value=input.secret_name error mono=true
                help="The name of the secret holding its secret key (Settings → Secrets); the value is never shown here."/>
        </fieldset>
        <fieldset class:invalid=move || message().is_some() aria-describedby="user-actions-error">
            <legend>"Allowed actions"</legend>
            {boxes}
            <p class="field-error" id="user-actions-error">{message}</p>
        </fieldset>
    }
}
