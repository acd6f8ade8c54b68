//! The first page after sign-in: the cluster in figures, and what changed lately.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::dashboard::get_dashboard;
use crate::components::error::ErrorBox;
use crate::components::time::Age;
use crate::model::audit::AuditEntry;
use crate::model::dashboard::Dashboard as Figures;

#[component]
pub fn Dashboard() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Title text="Dashboard"/>
        <header class="page-header"><h1>"Dashboard"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Overview d/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(d: Figures) -> impl IntoView {
    let empty = d.hosts == 0;
    let check_errors = d.check_errors > 0;
    view! {
        <section class="cards" aria-label="Cluster figures">
            <a class="card stat" href="/hosts"><span class="figure">{d.hosts}</span>" hosts"</a>
            <a class="card stat" href="/services"><span class="figure">{d.services}</span>" services"</a>
            <div class="card stat"><span class="figure">{d.ipv6_only_hosts}</span>" IPv6-only"</div>
            <div class="card stat"><span class="figure">{d.vcpus}</span>" vCPUs"</div>
            <div class="card stat">
                <span class="figure">{format!("{:.1}", d.ram_mib as f64 / 1024.0)}</span>" GiB RAM"
            </div>
            <div class="card stat"><span class="figure">{d.disk_gb}</span>" GB disk"</div>
            <div class="card stat"><span class="figure">{d.users}</span>" co-admins"</div>
            <a class="card stat" href="/checks" class:has-errors=check_errors>
                <span class="figure">{d.check_errors}</span>" check errors, "{d.check_warnings}" warnings"
            </a>
        </section>
        {empty.then(|| view! {
            <p class="empty">
                "No hosts yet — " <a href="/hosts/new">"add one"</a> " or load the reference cluster with "
                <code>"owlery demo"</code> "."
            </p>
        })}
        <section>
            <h2>"Latest changes"</h2>
            <ChangeList entries=d.latest_changes now=d.now/>
        </section>
    }
}

/// A change log: who did what to which object, field by field.
#[component]
pub fn ChangeList(entries: Vec<AuditEntry>, now: i64) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No changes recorded yet."</p> }.into_any();
    }
    view! {
        <ol class="changes">
            {entries
                .into_iter()
                .map(|e| {
                    let href = e.href();
                    let summary = e
                        .changes
                        .iter()
                        .filter(|(_, before, after)| !(before.is_empty() && after.is_empty()))
                        .map(|(field, before, after)| match (before.is_empty(), after.is_empty()) {
                            (true, _) => format!("{field} = {after}"),
                            (_, true) => format!("{field} was {before}"),
                            _ => format!("{field}: {before} → {after}"),
                        })
                        .take(if e.action == "update" { 6 } else { 0 })
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <li>
                            <Age at=e.at now/>
                            " · " <strong>{e.actor}</strong> " " {e.action} " " {e.object_kind} " "
                            {match href {
                                Some(href) => view! { <a href=href>{e.object_name.clone()}</a> }.into_any(),
                                None => view! { <span>{e.object_name.clone()}</span> }.into_any(),
                            }}
                            {(!summary.is_empty()).then(|| view! { <span class="diff mono">{summary}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
