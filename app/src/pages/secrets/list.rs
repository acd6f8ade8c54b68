//! The list of secrets: name, kind, description, and who changed each last and when.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::secrets::list_secrets;
use crate::components::error::ErrorBox;
use crate::components::time::Age;
use crate::model::secret::{kind_label, Secret};

#[component]
pub fn SecretList() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_secrets());
    view! {
        <Title text="Secrets"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((secrets, now)) => view! { <SecretTable secrets now/> }.into_any(),
                    Err(error) => view! {
                        <header class="page-header"><h1>"Secrets"</h1></header>
                        <ErrorBox error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SecretTable(secrets: Vec<Secret>, now: i64) -> impl IntoView {
    let count = secrets.len();
    let body = if secrets.is_empty() {
        view! {
            <p class="empty">
                "No secrets yet — " <a href="/settings/secrets/new">"add one"</a>
                ": an SSH key, an S3 secret key, a WireGuard key or an SMTP password."
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="count" role="status">{format!("{count} secret{}", if count == 1 { "" } else { "s" })}</p>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr><th>"Name"</th><th>"Kind"</th><th>"Description"</th><th>"Last changed"</th><th>"By"</th></tr>
                    </thead>
                    <tbody>
                        {secrets.into_iter().map(|s| view! { <SecretRow s now/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <header class="page-header">
            <h1>"Secrets"</h1>
            <a class="button primary" href="/settings/secrets/new">"Add secret"</a>
        </header>
        <p class="help">
            "Keys and passwords Owlery uses for its jobs, stored encrypted under the master key. "
            "A value can be replaced, never shown again."
        </p>
        {body}
    }
}

#[component]
fn SecretRow(s: Secret, now: i64) -> impl IntoView {
    view! {
        <tr>
            <td class="mono"><a href=format!("/settings/secrets/{}", s.name)>{s.name.clone()}</a></td>
            <td>{kind_label(&s.kind)}</td>
            <td>{s.description}</td>
            <td><Age at=s.updated_at now/></td>
            <td>{s.updated_by}</td>
        </tr>
    }
}
