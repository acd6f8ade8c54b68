//! /topology: the cluster drawn on the server as SVG (hosts, services, tunnels,
//! dependencies), and the problems found as a plain list under it.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::network::{get_topology, TopologyView};
use crate::components::error::ErrorBox;
use crate::domain::topology::ProblemKind;

#[component]
pub fn TopologyPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_topology());
    view! {
        <Title text="Topology"/>
        <header class="page-header">
            <h1>"Topology"</h1>
            <div class="actions"><a class="button" href="/network">"Network"</a></div>
        </header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Drawing view/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn kind_label(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::MissingLink => "missing tunnel",
        ProblemKind::Unreachable => "unreachable",
        ProblemKind::Egress => "no way out",
        ProblemKind::Addressing => "addressing",
    }
}

#[component]
fn Drawing(view: TopologyView) -> impl IntoView {
    let TopologyView {
        svg,
        problems,
        hosts,
        services,
    } = view;
    let summary = format!("{hosts} hosts, {services} services");
    let problems_view = if problems.is_empty() {
        view! { <p class="ok-text">"✓ No problems: the mesh is complete and every dependency is reachable."</p> }
            .into_any()
    } else {
        view! {
            <ul class="problems">
                {problems.into_iter().map(|p| view! {
                    <li class="problem"><span class="badge bad">{kind_label(p.kind)}</span> " " {p.text}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="count">{summary}</p>
        // The drawing is one string built on the server: set as HTML, it costs the
        // browser's app no view tree, and reads the same with JavaScript off.
        <div class="topology-wrap" inner_html=svg></div>
        <section class="card wide" aria-labelledby="problems-title">
            <h2 id="problems-title">"Problems"</h2>
            {problems_view}
        </section>
    }
}
