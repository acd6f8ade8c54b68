//! The buckets list: filter, count, and an empty state that says what to do.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::anonymous_label;
use crate::api::buckets::list_buckets;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::model::bucket::BucketListItem;
use crate::model::user::Role;

#[component]
pub fn BucketList() -> impl IntoView {
    let query_map = use_query_map();
    let q = Memo::new(move |_| query_map.with(|m| m.get("q").unwrap_or_default()));
    let buckets = Resource::new(move || q.get(), list_buckets);
    view! {
        <Title text="Buckets"/>
        <header class="page-header">
            <h1>"Buckets"</h1>
            <IfRole role=Role::Admin>
                <a class="button primary" href="/buckets/new">"Add bucket"</a>
            </IfRole>
        </header>
        <Form method="GET" action="" attr:class="filter" attr:role="search">
            <label for="filter">"Filter"</label>
            <input id="filter" type="search" name="q" value=move || q.get() placeholder="name, endpoint, host…"/>
            <button type="submit">"Filter"</button>
        </Form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match buckets.await {
                    Ok(list) => view! { <BucketTable buckets=list q=q.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BucketTable(buckets: Vec<BucketListItem>, q: String) -> impl IntoView {
    if buckets.is_empty() {
        let text = if q.is_empty() {
            view! {
                "No buckets yet — " <a href="/buckets/new">"add one"</a> " or load the reference cluster with "
                <code>"owlery demo"</code> "."
            }
            .into_any()
        } else {
            view! { "No bucket matches " <q>{q}</q> ". " <a href="/buckets">"Clear the filter"</a> }
                .into_any()
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let count = buckets.len();
    let rows = buckets
        .into_iter()
        .map(|b| {
            let href = format!("/buckets/{}", b.name);
            view! {
                <tr>
                    <td><a href=href>{b.name}</a></td>
                    <td class="mono">{b.endpoint}</td>
                    <td>{b.addressing}</td>
                    <td class="mono">{b.alias_host.unwrap_or_else(|| "—".into())}</td>
                    <td><span class="badge">{anonymous_label(&b.anonymous)}</span></td>
                    <td class="num">{b.users}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="count" role="status">{format!("{count} bucket{}", if count == 1 { "" } else { "s" })}</p>
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"Name"</th><th>"Endpoint"</th><th>"Addressing"</th><th>"Alias host"</th>
                        <th>"Anonymous access"</th><th>"Users"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
