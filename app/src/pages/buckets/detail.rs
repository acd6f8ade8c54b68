//! One bucket: where it lives, who may use it, the files generated for it, its history.
use leptos::prelude::*;
use leptos_meta::Title;

use super::{anonymous_label, use_bucket_name};
use crate::api::buckets::{get_bucket, BucketPage, RemoveBucketUser};
use crate::components::code_block::CodeBlock;
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::model::bucket::BucketUser;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn BucketDetail() -> impl IntoView {
    let name = use_bucket_name();
    let remove = ServerAction::<RemoveBucketUser>::new();
    // Removing a user keeps the page where it is: reload it after each removal.
    let page = Resource::new(
        move || (name.get(), remove.version().get()),
        |(n, _)| get_bucket(n),
    );
    view! {
        {move || view! { <Title text=name.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <BucketView page remove/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BucketView(page: BucketPage, remove: ServerAction<RemoveBucketUser>) -> impl IntoView {
    let BucketPage {
        bucket: b,
        files,
        history,
        error,
        now,
    } = page;
    let edit = format!("/buckets/{}/edit", b.name);
    let delete = format!("/buckets/{}/delete", b.name);
    let add_user = format!("/buckets/{}/users/new", b.name);
    let endpoint = match (&b.service, &b.endpoint_url) {
        (Some(service), _) => {
            view! { "MinIO service " <a href=format!("/services/{service}")>{service.clone()}</a> }.into_any()
        }
        (None, url) => view! { <span class="mono">{url.clone().unwrap_or_default()}</span> }.into_any(),
    };
    let error = form_error(move || remove.value().get(), error);
    let users = b.users.clone();
    let bucket_name = b.name.clone();
    let downloads = files
        .into_iter()
        .map(|f| {
            let href = format!("/buckets/{}/files/{}", b.name, f.file);
            view! { <CodeBlock title=f.title text=f.text download=href help=f.help/> }
        })
        .collect_view();
    view! {
        <header class="page-header">
            <h1>{b.name.clone()}</h1>
            <span class="badge">{format!("{}-style", b.addressing)}</span>
            <span class="badge muted">{anonymous_label(&b.anonymous)}</span>
            <div class="actions">
                <IfRole role=Role::Admin>
                    <a class="button" href=add_user.clone()>"Add access user"</a>
                    <a class="button" href=edit.clone()>"Edit"</a>
                    <a class="button danger" href=delete.clone()>"Delete"</a>
                </IfRole>
            </div>
        </header>
        <div class="sections">
            <section class="card">
                <h2>"Details"</h2>
                <dl>
                    <dt>"Endpoint"</dt><dd>{endpoint}</dd>
                    <dt>"Region"</dt><dd class="mono">{b.region.clone()}</dd>
                    <dt>"Addressing"</dt><dd>{b.addressing.clone()}</dd>
                    <dt>"Alias host"</dt><dd class="mono">{b.alias_host.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Anonymous access"</dt><dd>{b.anonymous.clone()}</dd>
                </dl>
                {(!b.notes.is_empty()).then(|| view! { <p class="notes">{b.notes.clone()}</p> })}
            </section>
            <section class="card">
                <h2>"Access users"</h2>
                <FormMessage error/>
                <UserTable bucket=bucket_name users remove/>
            </section>
            <section class="card wide">
                <h2>"Generated files"</h2>
                <p class="help">"Secret keys are only named: copy them from Settings → Secrets when installing."</p>
                {downloads}
            </section>
            <section class="card wide">
                <h2>"Change history"</h2>
                <p class="help">"Added " <Age at=b.created_at now/> ", last changed " <Age at=b.updated_at now/> "."</p>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}

#[component]
fn UserTable(
    bucket: String,
    users: Vec<BucketUser>,
    remove: ServerAction<RemoveBucketUser>,
) -> impl IntoView {
    if users.is_empty() {
        return view! { <p class="empty">"No access users yet: Mastodon needs one that can get, put and delete."</p> }
            .into_any();
    }
    let rows = users
        .into_iter()
        .map(|u| {
            let bucket = bucket.clone();
            let key = u.access_key.clone();
            view! {
                <tr>
                    <td class="mono">{u.access_key.clone()}</td>
                    <td>{u.actions.join(", ")}</td>
                    <td class="mono">{u.secret_name.clone()}</td>
                    <td>
                        <IfRole role=Role::Admin>
                            <RemoveUser bucket=bucket.clone() key=key.clone() remove/>
                        </IfRole>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"Access key"</th><th>"Actions"</th><th>"Secret key in"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The button removing one access user (a form of its own, so it works without JavaScript).
#[component]
fn RemoveUser(bucket: String, key: String, remove: ServerAction<RemoveBucketUser>) -> impl IntoView {
    let label = format!("Remove {key}");
    view! {
        <ActionForm action=remove attr:class="inline">
            <input type="hidden" name="bucket" value=bucket/>
            <input type="hidden" name="access_key" value=key/>
            <button type="submit" class="small danger">{label}</button>
        </ActionForm>
    }
}
