//! One host: its details, addresses, SSH endpoint, notes and change history.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::ram;
use super::ssh_card::SshCard;
use crate::api::hosts::{get_host, HostPage};
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::domain::time::duration;
use crate::domain::url::encode_component;
use crate::model::action::Facts;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;
use crate::pages::services::HostServices;

/// The `:name` of the current route.
pub(super) fn use_host_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()))
}

#[component]
pub fn HostDetail() -> impl IntoView {
    let name = use_host_name();
    let page = Resource::new(move || name.get(), get_host);
    view! {
        // A title is a plain string rebuilt when the name changes, never a closure over a
        // signal: the server reads titles after rendering, when the page's signals may
        // already be gone (it panicked now and then under concurrent requests).
        {move || view! { <Title text=name.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <HostView page/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
        <HostServices host=name/>
        <SshCard host=name/>
    }
}

#[component]
fn HostView(page: HostPage) -> impl IntoView {
    let HostPage {
        host: h,
        history,
        facts,
        now,
    } = page;
    let edit = format!("/hosts/{}/edit", h.name);
    let delete = format!("/hosts/{}/delete", h.name);
    let run = format!("/jobs/new?targets={}", encode_component(&h.name));
    let costs = format!("/costs/hosts/{}", encode_component(&h.name));
    let mesh = format!("/network/{}", encode_component(&h.name));
    let tuning = format!("/hosts/{}/tuning", encode_component(&h.name));
    let ssh = h.ssh_endpoint();
    let opt = |o: Option<String>| o.unwrap_or_else(|| "—".into());
    view! {
        <header class="page-header">
            <h1>{h.name.clone()}</h1>
            <span class="badge">{h.arch.clone()}</span>
            {h.ipv4.is_none().then(|| view! { <span class="badge muted">"IPv6 only"</span> })}
            <div class="actions">
                <a class="button" href=costs>"Cost history"</a>
                <a class="button" href=mesh>"Mesh node"</a>
                <a class="button" href=tuning>"Tuning"</a>
                <IfRole role=Role::Operator>
                    <a class="button" href=run.clone()>"Run a job"</a>
                </IfRole>
                <IfRole role=Role::Admin>
                    <a class="button" href=edit.clone()>"Edit"</a>
                    <a class="button danger" href=delete.clone()>"Delete"</a>
                </IfRole>
            </div>
        </header>
        <div class="sections">
            <section class="card">
                <h2>"Details"</h2>
                <dl>
                    <dt>"Provider"</dt><dd>{h.provider}</dd>
                    <dt>"Plan"</dt><dd>{h.plan}</dd>
                    <dt>"CPU"</dt><dd>{format!("{} × {}", h.vcpus, h.arch)}</dd>
                    <dt>"RAM"</dt><dd>{ram(h.ram_mib)}</dd>
                    <dt>"Disk"</dt><dd>{format!("{} GB", h.disk_gb)}</dd>
                    <dt>"Role tags"</dt>
                    <dd>{h.tags.into_iter().map(|t| view! { <span class="tag">{t}</span> " " }).collect_view()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>"Network"</h2>
                <dl class="mono-values">
                    <dt>"Public IPv4"</dt><dd>{opt(h.ipv4)}</dd>
                    <dt>"IPv6"</dt><dd>{opt(h.ipv6)}</dd>
                    <dt>"Mesh address"</dt><dd>{opt(h.mesh_addr)}</dd>
                    <dt>"SSH"</dt><dd>{ssh}</dd>
                </dl>
            </section>
            {facts.map(|(facts, at)| view! { <FactsCard facts at now/> })}
            {(!h.notes.is_empty()).then(|| view! {
                <section class="card wide"><h2>"Notes"</h2><p class="notes">{h.notes.clone()}</p></section>
            })}
            <section class="card wide">
                <h2>"Change history"</h2>
                <p class="help">"Added " <Age at=h.created_at now/> ", last changed " <Age at=h.updated_at now/> "."</p>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}

/// What the last "gather facts" job found, with its age: a fact is only as good as
/// when it was read.
#[component]
fn FactsCard(facts: Facts, at: i64, now: i64) -> impl IntoView {
    let Facts {
        os,
        kernel,
        uptime_secs,
        load,
        mem_total_mib,
        mem_available_mib,
        disks,
        // Sockets, units and nginx lines are for the config check (/checks).
        ..
    } = facts;
    let used_mib = mem_total_mib.saturating_sub(mem_available_mib);
    view! {
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">"Facts"</h2>
            <p class="help">"Gathered " <Age at now/> "."</p>
            <dl>
                <dt>"OS"</dt><dd>{if os.is_empty() { "—".to_owned() } else { os }}</dd>
                <dt>"Kernel"</dt><dd class="mono">{kernel}</dd>
                <dt>"Up"</dt><dd>{duration(uptime_secs as i64)}</dd>
                <dt>"Load"</dt><dd class="mono">{format!("{:.2} {:.2} {:.2}", load[0], load[1], load[2])}</dd>
                <dt>"Memory"</dt><dd>{format!("{} of {} used", ram(used_mib as u32), ram(mem_total_mib as u32))}</dd>
                {disks.into_iter().map(|d| view! {
                    <dt class="mono">{d.mount}</dt>
                    <dd>{format!("{:.1} of {:.1} GiB used", d.used_mib as f64 / 1024.0, d.size_mib as f64 / 1024.0)}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}
