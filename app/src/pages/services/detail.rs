//! One service: where and how it runs, what it depends on, what depends on it, and its
//! change history.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::memory;
use crate::api::services::{get_service, ServicePage};
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::domain::url::encode_component;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;

/// The `:name` of the current route.
pub(super) fn use_service_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()))
}

#[component]
pub fn ServiceDetail() -> impl IntoView {
    let name = use_service_name();
    let page = Resource::new(move || name.get(), get_service);
    view! {
        {move || view! { <Title text=name.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ServiceView page/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Service names as links, or what to say when there are none.
fn links(names: Vec<String>, none: &'static str) -> AnyView {
    if names.is_empty() {
        return view! { <p class="help">{none}</p> }.into_any();
    }
    view! {
        <ul class="service-links">
            {names
                .into_iter()
                .map(|n| {
                    let href = format!("/services/{}", encode_component(&n));
                    view! { <li><a href=href>{n}</a></li> }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ServiceView(page: ServicePage) -> impl IntoView {
    let ServicePage {
        service: s,
        dependents,
        history,
        now,
    } = page;
    let edit = format!("/services/{}/edit", s.name);
    let delete = format!("/services/{}/delete", s.name);
    let host_href = format!("/hosts/{}", encode_component(&s.host));
    let listen = match s.listen() {
        l if l.is_empty() => "nowhere (no address or port)".to_owned(),
        l if s.listen_addr.is_none() => format!("{l} (every address)"),
        l => l,
    };
    view! {
        <header class="page-header">
            <h1>{s.name.clone()}</h1>
            <span class="badge">{s.kind.label()}</span>
            {s.needs_egress.then(|| view! { <span class="badge">"↗ needs outbound internet"</span> })}
            <div class="actions">
                <IfRole role=Role::Admin>
                    <a class="button" href=edit.clone()>"Edit or move"</a>
                    <a class="button danger" href=delete.clone()>"Delete"</a>
                </IfRole>
            </div>
        </header>
        <div class="sections">
            <section class="card">
                <h2>"Details"</h2>
                <dl>
                    <dt>"Host"</dt><dd><a href=host_href>{s.host.clone()}</a></dd>
                    <dt>"Kind"</dt><dd>{s.kind.label()}</dd>
                    <dt>"Unit"</dt><dd class="mono">{s.unit.clone()}</dd>
                    <dt>"Listens on"</dt><dd class="mono">{listen}</dd>
                    <dt>"Outbound internet"</dt>
                    <dd>{if s.needs_egress { "needed" } else { "not needed" }}</dd>
                    <dt>"Memory"</dt><dd>{memory(s.memory_mib)}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="relations-title">
                <h2 id="relations-title">"Relations"</h2>
                <h3>"Depends on"</h3>
                {links(s.deps.clone(), "Nothing: it needs no other service.")}
                <h3>"Depended on by"</h3>
                {links(dependents, "Nothing depends on it.")}
            </section>
            {(!s.notes.is_empty()).then(|| view! {
                <section class="card wide"><h2>"Notes"</h2><p class="notes">{s.notes.clone()}</p></section>
            })}
            <section class="card wide">
                <h2>"Change history"</h2>
                <p class="help">"Added " <Age at=s.created_at now/> ", last changed " <Age at=s.updated_at now/> "."</p>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}
