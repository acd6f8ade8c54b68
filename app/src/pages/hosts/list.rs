//! The hosts list: filter, sort, count, and an empty state that says what to do.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::ram;
use crate::api::hosts::list_hosts;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::domain::html::push_escaped;
use crate::domain::url::encode_component;
use crate::model::host::{HostListItem, HostQuery};
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
fn HostTable(hosts: Vec<HostListItem>, query: HostQuery) -> impl IntoView {
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
                encode_component(&query.q),
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
                // One string for all rows: a thousand rows would otherwise be some twenty
                // thousand nodes to render on the server and walk again when hydrating.
                <tbody inner_html=rows_html(&hosts)></tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The `<tr>` of each host, every value escaped. What each cell shows: the name linked
/// to the host page, the public IPv4 or an "IPv6 only" badge, the tags as spans.
fn rows_html(hosts: &[HostListItem]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(hosts.len() * 400);
    for h in hosts {
        out.push_str("<tr><td><a href=\"/hosts/");
        push_escaped(&mut out, &h.name);
        out.push_str("\">");
        push_escaped(&mut out, &h.name);
        out.push_str("</a></td><td>");
        push_escaped(&mut out, &h.provider);
        out.push_str("</td><td>");
        push_escaped(&mut out, &h.plan);
        out.push_str("</td><td>");
        push_escaped(&mut out, &h.arch);
        let _ = write!(
            out,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} GB</td><td class=\"mono\">",
            h.vcpus,
            ram(h.ram_mib),
            h.disk_gb
        );
        match &h.ipv4 {
            Some(a) => {
                out.push_str("<span>");
                push_escaped(&mut out, a);
                out.push_str("</span>");
            }
            None => out.push_str("<span class=\"badge muted\">IPv6 only</span>"),
        }
        out.push_str("</td><td class=\"mono\">");
        push_escaped(&mut out, h.ipv6.as_deref().unwrap_or_default());
        out.push_str("</td><td class=\"mono\">");
        push_escaped(&mut out, h.mesh_addr.as_deref().unwrap_or_default());
        out.push_str("</td><td>");
        for t in &h.tags {
            out.push_str("<span class=\"tag\">");
            push_escaped(&mut out, t);
            out.push_str("</span> ");
        }
        out.push_str("</td></tr>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    #[test]
    fn plain_text_is_copied_as_it_is() {
        assert_eq!(escaped(""), "");
        assert_eq!(
            escaped("node0001 2001:db8::1 Start1-XS é ✓"),
            "node0001 2001:db8::1 Start1-XS é ✓"
        );
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escaped(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escaped("&amp;"), "&amp;amp;");
        assert_eq!(escaped("ü<"), "ü&lt;");
    }

    fn host(name: &str, ipv4: Option<&str>, tags: &[&str]) -> HostListItem {
        HostListItem {
            name: name.into(),
            provider: "Scaleway".into(),
            plan: "Start1-XS".into(),
            arch: "x86_64".into(),
            vcpus: 2,
            ram_mib: 2048,
            disk_gb: 25,
            ipv4: ipv4.map(Into::into),
            ipv6: Some("2001:db8::1".into()),
            mesh_addr: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_row_links_the_host_and_shows_every_column() {
        let html = rows_html(&[host("hermes", Some("192.0.2.1"), &["mail", "web"])]);
        assert_eq!(
            html,
            "<tr><td><a href=\"/hosts/hermes\">hermes</a></td><td>Scaleway</td><td>Start1-XS</td>\
             <td>x86_64</td><td class=\"num\">2</td><td class=\"num\">2 GiB</td>\
             <td class=\"num\">25 GB</td><td class=\"mono\"><span>192.0.2.1</span></td>\
             <td class=\"mono\">2001:db8::1</td><td class=\"mono\"></td>\
             <td><span class=\"tag\">mail</span> <span class=\"tag\">web</span> </td></tr>"
        );
    }

    #[test]
    fn a_host_without_ipv4_gets_the_badge_and_values_are_escaped() {
        let mut h = host("iris", None, &["<b>"]);
        h.plan = "A&B".into();
        let html = rows_html(&[h]);
        assert!(
            html.contains(r#"<span class="badge muted">IPv6 only</span>"#),
            "{html}"
        );
        assert!(html.contains("<td>A&amp;B</td>"), "{html}");
        assert!(html.contains(r#"<span class="tag">&lt;b&gt;</span>"#), "{html}");
    }
}
