//! The services list: grouped by host (or by kind with `?by=kind`), filtered by text and
//! kind, with a count and an empty state that says what to do.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::memory;
use crate::api::services::list_services;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::domain::html::push_escaped;
use crate::domain::url::encode_component;
use crate::model::service::{ServiceKind, ServiceListItem, ServiceQuery};
use crate::model::user::Role;

/// How the list is grouped: by the host services run on, or by what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Host,
    Kind,
}

#[component]
pub fn ServiceList() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| ServiceQuery {
            q: q.get("q").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
        })
    });
    let by = Memo::new(move |_| match query_map.with(|q| q.get("by")).as_deref() {
        Some("kind") => By::Kind,
        _ => By::Host,
    });
    let services = Resource::new(move || query.get(), list_services);
    let kind_options = move || {
        let chosen = query.get().kind;
        ServiceKind::ALL
            .iter()
            .map(|k| view! { <option value=k.as_str() selected=chosen == k.as_str()>{k.label()}</option> })
            .collect_view()
    };
    view! {
        <Title text="Services"/>
        <header class="page-header">
            <h1>"Services"</h1>
            <IfRole role=Role::Admin>
                <a class="button primary" href="/services/new">"Add service"</a>
            </IfRole>
        </header>
        <Form method="GET" action="" attr:class="filter" attr:role="search">
            <label for="filter">"Filter"</label>
            <input id="filter" type="search" name="q" value=move || query.get().q
                placeholder="name, host, unit, address…"/>
            <label for="kind-filter">"Kind"</label>
            <select id="kind-filter" name="kind">
                <option value="" selected=move || query.get().kind.is_empty()>"All kinds"</option>
                {kind_options}
            </select>
            <input type="hidden" name="by" value=move || if by.get() == By::Kind { "kind" } else { "host" }/>
            <button type="submit">"Filter"</button>
        </Form>
        <nav class="group-switch" aria-label="Group services">
            "Group by "
            {move || {
                let q = query.get();
                let link = |b: By, text: &'static str| {
                    let href = format!(
                        "?q={}&kind={}&by={}",
                        encode_component(&q.q),
                        encode_component(&q.kind),
                        if b == By::Kind { "kind" } else { "host" }
                    );
                    view! { <a href=href aria-current=(by.get() == b).then_some("page")>{text}</a> }
                };
                view! { {link(By::Host, "host")} " · " {link(By::Kind, "kind")} }
            }}
        </nav>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match services.await {
                    Ok(list) => {
                        view! { <ServiceGroups services=list query=query.get_untracked() by=by.get_untracked()/> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServiceGroups(services: Vec<ServiceListItem>, query: ServiceQuery, by: By) -> impl IntoView {
    if services.is_empty() {
        let text = if query.q.is_empty() && query.kind.is_empty() {
            view! {
                "No services yet — " <a href="/services/new">"add one"</a> " or load the reference cluster with "
                <code>"owlery demo"</code> "."
            }
            .into_any()
        } else {
            view! { "No service matches this filter. " <a href="/services">"Clear the filter"</a> }.into_any()
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let count = services.len();
    let mut hosts: Vec<&str> = services.iter().map(|s| s.host.as_str()).collect();
    hosts.dedup();
    let summary = format!(
        "{count} service{} on {} host{}",
        if count == 1 { "" } else { "s" },
        hosts.len(),
        if hosts.len() == 1 { "" } else { "s" }
    );
    let groups = groups(services, by)
        .into_iter()
        .map(|(key, members)| view! { <ServiceGroup key members by/> })
        .collect_view();
    view! {
        <p class="count" role="status">{summary}</p>
        {groups}
    }
    .into_any()
}

/// The services split by host (as listed: host, then name) or by kind in the kinds'
/// order, names sorted within each kind.
fn groups(mut services: Vec<ServiceListItem>, by: By) -> Vec<(String, Vec<ServiceListItem>)> {
    if by == By::Kind {
        services.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
    }
    let mut out: Vec<(String, Vec<ServiceListItem>)> = Vec::new();
    for s in services {
        let key = match by {
            By::Host => s.host.clone(),
            By::Kind => s.kind.as_str().to_owned(),
        };
        match out.last_mut() {
            Some((k, members)) if *k == key => members.push(s),
            _ => out.push((key, vec![s])),
        }
    }
    out
}

#[component]
fn ServiceGroup(key: String, members: Vec<ServiceListItem>, by: By) -> impl IntoView {
    let n = members.len();
    let total: u32 = members.iter().filter_map(|s| s.memory_mib).sum();
    let heading = match by {
        By::Host => view! { <a href=format!("/hosts/{key}")>{key.clone()}</a> }.into_any(),
        By::Kind => ServiceKind::parse(&key)
            .map(|k| k.label())
            .unwrap_or("Custom")
            .into_any(),
    };
    let id = format!("group-{key}");
    let labelled_by = id.clone();
    view! {
        <section class="service-group" aria-labelledby=labelled_by>
            <h2 id=id>
                {heading}
                <span class="help">
                    {format!(" {n} service{}, {} expected", if n == 1 { "" } else { "s" }, memory(Some(total).filter(|t| *t > 0)))}
                </span>
            </h2>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th>"Name"</th>
                            <th>{if by == By::Host { "Kind" } else { "Host" }}</th>
                            <th>"Unit"</th><th>"Listens on"</th><th>"Internet"</th><th>"Memory"</th>
                            <th>"Depends on"</th>
                        </tr>
                    </thead>
                    // One string for all rows: thousands of services would otherwise be
                    // tens of thousands of nodes to render and to walk again when hydrating.
                    <tbody inner_html=rows_html(&members, by)></tbody>
                </table>
            </div>
        </section>
    }
}

fn link(out: &mut String, area: &str, name: &str) {
    out.push_str("<a href=\"/");
    out.push_str(area);
    out.push('/');
    push_escaped(out, &encode_component(name));
    out.push_str("\">");
    push_escaped(out, name);
    out.push_str("</a>");
}

/// The `<tr>` of each service, every value escaped: the name linked to its page, the
/// kind (or the host, linked, when grouped by kind), unit, address, whether it needs the
/// internet, its memory and its dependencies linked.
fn rows_html(services: &[ServiceListItem], by: By) -> String {
    let mut out = String::with_capacity(services.len() * 400);
    for s in services {
        out.push_str("<tr><td>");
        link(&mut out, "services", &s.name);
        out.push_str("</td><td>");
        match by {
            By::Host => push_escaped(&mut out, s.kind.label()),
            By::Kind => link(&mut out, "hosts", &s.host),
        }
        out.push_str("</td><td class=\"mono\">");
        push_escaped(&mut out, &s.unit);
        out.push_str("</td><td class=\"mono\">");
        push_escaped(&mut out, &s.listen);
        out.push_str("</td><td>");
        if s.needs_egress {
            out.push_str("<span class=\"badge\">↗ outbound</span>");
        }
        out.push_str("</td><td class=\"num\">");
        push_escaped(&mut out, &memory(s.memory_mib));
        out.push_str("</td><td>");
        for (i, d) in s.deps.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            link(&mut out, "services", d);
        }
        out.push_str("</td></tr>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::service::Service;

    fn service(name: &str, host: &str, kind: ServiceKind, deps: &[&str]) -> ServiceListItem {
        Service {
            id: 1,
            name: name.into(),
            host: host.into(),
            kind,
            unit: kind.default_unit().into(),
            listen_addr: Some("fd00:6f77::1".into()),
            port: kind.default_port(),
            needs_egress: kind.default_needs_egress(),
            memory_mib: kind.default_memory_mib(),
            notes: String::new(),
            deps: deps.iter().map(|d| d.to_string()).collect(),
            version: 1,
            created_at: 0,
            updated_at: 0,
        }
        .into()
    }

    #[test]
    fn a_row_links_the_service_and_its_dependencies() {
        let html = rows_html(
            &[service(
                "puma",
                "hermes",
                ServiceKind::Puma,
                &["postgresql", "redis"],
            )],
            By::Host,
        );
        assert_eq!(
            html,
            "<tr><td><a href=\"/services/puma\">puma</a></td><td>Puma</td>\
             <td class=\"mono\">mastodon-puma@default.service</td><td class=\"mono\">[fd00:6f77::1]:3000</td>\
             <td><span class=\"badge\">↗ outbound</span></td><td class=\"num\">300 MiB</td>\
             <td><a href=\"/services/postgresql\">postgresql</a>, <a href=\"/services/redis\">redis</a></td></tr>"
        );
    }

    #[test]
    fn grouped_by_kind_a_row_links_the_host_and_values_are_escaped() {
        let mut s = service("custom-1", "hedwig", ServiceKind::Custom, &[]);
        s.unit = "a<b>.service".into();
        let html = rows_html(&[s], By::Kind);
        assert!(
            html.contains("<td><a href=\"/hosts/hedwig\">hedwig</a></td>"),
            "{html}"
        );
        assert!(html.contains("a&lt;b&gt;.service"), "{html}");
        assert!(html.contains("<td class=\"num\">—</td>"), "{html}");
    }

    #[test]
    fn services_group_by_host_as_listed_and_by_kind_in_kind_order() {
        let list = vec![
            service("postgresql", "becblanche", ServiceKind::Postgresql, &[]),
            service("redis", "becblanche", ServiceKind::Redis, &[]),
            service("sidekiq", "hedwig", ServiceKind::Sidekiq, &[]),
            service("puma", "hermes", ServiceKind::Puma, &[]),
        ];
        let keys = |g: Vec<(String, Vec<ServiceListItem>)>| {
            g.into_iter()
                .map(|(k, m)| (k, m.into_iter().map(|s| s.name).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(groups(list.clone(), By::Host)),
            vec![
                (
                    "becblanche".to_string(),
                    vec!["postgresql".to_string(), "redis".to_string()]
                ),
                ("hedwig".to_string(), vec!["sidekiq".to_string()]),
                ("hermes".to_string(), vec!["puma".to_string()]),
            ]
        );
        let by_kind: Vec<String> = groups(list, By::Kind).into_iter().map(|(k, _)| k).collect();
        assert_eq!(by_kind, vec!["puma", "sidekiq", "postgresql", "redis"]);
    }
}
