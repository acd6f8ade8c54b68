//! /network: the mesh as a host × host matrix, each node's path to the internet, and the
//! hosts still outside the mesh.
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashSet;

use crate::api::network::{get_network, NetworkOverview};
use crate::components::error::ErrorBox;

#[component]
pub fn NetworkOverviewPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_network());
    view! {
        <Title text="Network"/>
        <header class="page-header">
            <h1>"Network"</h1>
            <div class="actions"><a class="button" href="/topology">"Topology"</a></div>
        </header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => view! { <Overview overview/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(overview: NetworkOverview) -> impl IntoView {
    let NetworkOverview {
        nodes,
        tunnels,
        missing,
        outside,
    } = overview;
    if nodes.is_empty() {
        return view! {
            <p class="empty">
                "No host is in the mesh yet — open one of the hosts below and add it, or load the demo."
            </p>
            <Outside outside/>
        }
        .into_any();
    }
    let status = if missing.is_empty() {
        view! { <span class="badge ok">"✓ mesh complete"</span> }.into_any()
    } else {
        let n = missing.len();
        view! { <span class="badge bad">{format!("✗ {n} tunnel{} missing", if n == 1 { "" } else { "s" })}</span> }
            .into_any()
    };
    let summary = format!("{} nodes, {} tunnels", nodes.len(), tunnels.len());
    let have: HashSet<(String, String)> = tunnels.into_iter().collect();
    let names: Vec<String> = nodes.iter().map(|n| n.host.clone()).collect();
    let cell = move |x: &str, y: &str| {
        if x == y {
            return view! { <td class="mesh-self">"—"</td> }.into_any();
        }
        let key = if x < y {
            (x.to_owned(), y.to_owned())
        } else {
            (y.to_owned(), x.to_owned())
        };
        if have.contains(&key) {
            view! { <td class="mesh-ok" title=format!("tunnel {x} – {y}")>"✓"</td> }.into_any()
        } else {
            view! { <td class="mesh-missing" title=format!("no tunnel between {x} and {y}")>"✗ missing"</td> }
                .into_any()
        }
    };
    let rows = names
        .iter()
        .map(|x| {
            let cells = names.iter().map(|y| cell(x, y)).collect_view();
            view! { <tr><th scope="row"><a href=format!("/network/{x}")>{x.clone()}</a></th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="card wide" aria-labelledby="mesh-title">
            <h2 id="mesh-title">"Mesh " {status}</h2>
            <p class="count" role="status">{summary}</p>
            <div class="table-wrap">
                <table class="data mesh-matrix">
                    <thead>
                        <tr><th></th>{names.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(!missing.is_empty()).then(|| view! {
                <ul class="problems">
                    {missing.into_iter().map(|(a, b)| view! {
                        <li class="problem">
                            {format!("No tunnel between {a} and {b}. ")}
                            <a href=format!("/network/{a}/tunnels/new?peer={b}")>"Add it"</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section class="card wide" aria-labelledby="paths-title">
            <h2 id="paths-title">"Nodes and their way to the internet"</h2>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr><th>"Host"</th><th>"Endpoint"</th><th>"Mesh address"</th><th>"Internet"</th></tr></thead>
                    <tbody>
                        {nodes.into_iter().map(|n| view! {
                            <tr>
                                <td><a href=format!("/network/{}", n.host)>{n.host.clone()}</a></td>
                                <td class="mono">{n.endpoint}</td>
                                <td class="mono">{n.mesh_addr.unwrap_or_else(|| "—".into())}</td>
                                <td>
                                    {if n.path_ok { "" } else { "⚠ " }}
                                    <span class:warning-text=!n.path_ok>{n.path}</span>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <Outside outside/>
    }
    .into_any()
}

#[component]
fn Outside(outside: Vec<String>) -> impl IntoView {
    (!outside.is_empty()).then(|| {
        view! {
            <section class="card wide" aria-labelledby="outside-title">
                <h2 id="outside-title">"Hosts not in the mesh"</h2>
                <ul class="chips">
                    {outside.into_iter().map(|h| view! {
                        <li><a class="chip" href=format!("/network/{h}")>{h.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
