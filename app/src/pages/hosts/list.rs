//! The hosts list: filter, sort, count, and an empty state that says what to do.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::ram;
use crate::api::hosts::list_hosts;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::model::host::{Host, HostQuery};
use crate::model::user::Role;

const COLUMNS: [(&str, &str); 8] = [
    ("name", "Name"),
    ("provider", "Provider"),
    ("plan", "Plan"),
    ("arch", "Arch"),
    ("vcpus", "vCPUs"),
    ("ram", "RAM"),
    ("disk", "Disk"),
    ("ipv4", "Public IPv4"),
];

/// Query-string encoding of a value: enough for filter texts in links.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn HostList() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| HostQuery {
            q: q.get("q").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_else(|| "name".into()),
            desc: q.get("desc").is_some_and(|d| d == "1"),
        })
    });
    let hosts = Resource::new(move || query.get(), list_hosts);
    view! {
        <Title text="Hosts"/>
        <header class="page-header">
            <h1>"Hosts"</h1>
            <IfRole role=Role::Admin>
                <a class="button primary" href="/hosts/new">"Add host"</a>
            </IfRole>
        </header>
        <Form method="GET" action="" attr:class="filter" attr:role="search">
            <label for="filter">"Filter"</label>
            <input id="filter" type="search" name="q" value=move || query.get().q
                placeholder="name, plan, address, tag…"/>
            <input type="hidden" name="sort" value=move || query.get().sort/>
            <input type="hidden" name="desc" value=move || if query.get().desc { "1" } else { "0" }/>
            <button type="submit">"Filter"</button>
        </Form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match hosts.await {
                    Ok(list) => view! { <HostTable hosts=list query=query.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HostTable(hosts: Vec<Host>, query: HostQuery) -> impl IntoView {
    if hosts.is_empty() {
        let text = if query.q.is_empty() {
            view! {
                "No hosts yet — " <a href="/hosts/new">"add one"</a> " or load the reference cluster with "
                <code>"owlery demo"</code> "."
            }
            .into_any()
        } else {
            view! { "No host matches " <q>{query.q.clone()}</q> ". " <a href="/hosts">"Clear the filter"</a> }
                .into_any()
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let count = hosts.len();
    let header = COLUMNS
        .iter()
        .map(|(key, label)| {
            let active = query.sort == *key;
            let desc = active && !query.desc;
            let href = format!(
                "?q={}&sort={key}&desc={}",
                encode(&query.q),
                if desc { 1 } else { 0 }
            );
            let sort = match (active, query.desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            let arrow = match sort {
                "ascending" => " ▲",
                "descending" => " ▼",
                _ => "",
            };
            view! { <th aria-sort=sort><a href=href>{*label}{arrow}</a></th> }
        })
        .collect_view();
    view! {
        <p class="count" role="status">{format!("{count} host{}", if count == 1 { "" } else { "s" })}</p>
        <div class="table-wrap">
            <table class="data">
                <thead><tr>{header}<th>"IPv6"</th><th>"Mesh"</th><th>"Tags"</th></tr></thead>
                <tbody>
                    {hosts.into_iter().map(|h| view! { <HostRow h/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn HostRow(h: Host) -> impl IntoView {
    view! {
        <tr>
            <td><a href=format!("/hosts/{}", h.name)>{h.name.clone()}</a></td>
            <td>{h.provider}</td>
            <td>{h.plan}</td>
            <td>{h.arch}</td>
            <td class="num">{h.vcpus}</td>
            <td class="num">{ram(h.ram_mib)}</td>
            <td class="num">{format!("{} GB", h.disk_gb)}</td>
            <td class="mono">
                {match h.ipv4 {
                    Some(a) => view! { <span>{a}</span> }.into_any(),
                    None => view! { <span class="badge muted">"IPv6 only"</span> }.into_any(),
                }}
            </td>
            <td class="mono">{h.ipv6.unwrap_or_default()}</td>
            <td class="mono">{h.mesh_addr.unwrap_or_default()}</td>
            <td>{h.tags.into_iter().map(|t| view! { <span class="tag">{t}</span> " " }).collect_view()}</td>
        </tr>
    }
}
