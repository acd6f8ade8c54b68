//! Deleting a bucket's record, after a confirmation page that names it.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_bucket_name;
use crate::api::buckets::{get_delete_bucket, DeleteBucket as DeleteBucketAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};

#[component]
pub fn DeleteBucket() -> impl IntoView {
    let name = use_bucket_name();
    let action = ServerAction::<DeleteBucketAction>::new();
    let data = Resource::new(move || name.get(), get_delete_bucket);
    view! {
        {move || view! { <Title text=format!("Delete {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((bucket, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        let back = format!("/buckets/{}", bucket.name);
                        let users = bucket.users.len();
                        view! {
                            <header class="page-header"><h1>"Delete " {bucket.name.clone()} "?"</h1></header>
                            <ActionForm action attr:class="form confirm">
                                <FormMessage error/>
                                <p>
                                    "This removes " <strong>{bucket.name.clone()}</strong>
                                    {format!(" and its {users} access user(s) from the inventory. ")}
                                    "The bucket and its objects on the S3 endpoint are not touched."
                                </p>
                                <input type="hidden" name="name" value=bucket.name.clone()/>
                                <input type="hidden" name="version" value=bucket.version/>
                                <div class="form-actions">
                                    <button type="submit" class="danger">{format!("Delete {}", bucket.name)}</button>
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
