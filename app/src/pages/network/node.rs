//! /network/:name: a host's node (key, endpoint, ports, egress), its tunnels, its
//! generated files, and for admins the forms that change them.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_host_name;
use crate::api::network::{get_mesh_node, FileGroup, GenerateMeshKey, NodePage, SaveMeshNode, TunnelRow};
use crate::components::code_block::CodeBlock;
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage};
use crate::components::layout::IfRole;
use crate::model::mesh::MeshNode;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn MeshNodePage() -> impl IntoView {
    let name = use_host_name();
    let save = ServerAction::<SaveMeshNode>::new();
    let generate = ServerAction::<GenerateMeshKey>::new();
    let page = Resource::new(move || name.get(), get_mesh_node);
    view! {
        {move || view! { <Title text=format!("{} · network", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <NodeView page save generate/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NodeView(
    page: NodePage,
    save: ServerAction<SaveMeshNode>,
    generate: ServerAction<GenerateMeshKey>,
) -> impl IntoView {
    let NodePage {
        host,
        node,
        path,
        path_ok,
        tunnels,
        missing_peers,
        egress_choices,
        files,
        input,
        error,
        key_error,
        history,
        now,
    } = page;
    let save_error = form_error(move || save.value().get(), error);
    let key_error = form_error(move || generate.value().get(), key_error);
    let in_mesh = node.is_some();
    let version = node.as_ref().map(|n| n.version).unwrap_or_default();
    let label = if in_mesh {
        format!("Save {host}'s node")
    } else {
        format!("Add {host} to the mesh")
    };
    let (h1, h2, h3) = (host.clone(), host.clone(), host.clone());
    view! {
        <header class="page-header">
            <h1>{host.clone()}</h1>
            {if in_mesh {
                view! { <span class="badge">"mesh node"</span> }.into_any()
            } else {
                view! { <span class="badge muted">"not in the mesh"</span> }.into_any()
            }}
            <div class="actions">
                <a class="button" href=format!("/hosts/{host}")>"Host"</a>
                <a class="button" href="/network">"Network"</a>
            </div>
        </header>
        <div class="sections">
            {node.map(|n| view! { <NodeDetails node=n path path_ok/> })}
            {in_mesh.then(|| view! { <Tunnels host=h1 tunnels missing_peers/> })}
            <IfRole role=Role::Admin>
                <section class="card wide" aria-labelledby="node-form-title">
                    <h2 id="node-form-title">{if in_mesh { "Edit the node" } else { "Add to the mesh" }}</h2>
                    <NodeForm host=h2.clone() input=input.clone() choices=egress_choices.clone() error=save_error save label=label.clone()/>
                    {in_mesh.then(|| {
                        let h3 = h3.clone();
                        view! {
                        <ActionForm action=generate attr:class="stack">
                            <FormMessage error=key_error/>
                            <input type="hidden" name="host" value=h3.clone()/>
                            <input type="hidden" name="version" value=version/>
                            <button type="submit">{format!("Generate a new key pair for {h3}")}</button>
                            <p class="help">
                                "The private key goes to the secret store as wg-" {h3.clone()}
                                "; the tunnels stop working until the new key is installed on every end."
                            </p>
                        </ActionForm>
                        }
                    })}
                </section>
            </IfRole>
            {files.into_iter().map(|g| view! { <Files group=g/> }).collect_view()}
            <section class="card wide">
                <h2>"Change history"</h2>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}

#[component]
fn NodeDetails(node: MeshNode, path: String, path_ok: bool) -> impl IntoView {
    let opt = |o: Option<String>, none: &str| o.unwrap_or_else(|| none.to_owned());
    view! {
        <section class="card wide">
            <h2>"Node"</h2>
            <dl class="mono-values">
                <dt>"Public key"</dt><dd>{node.public_key}</dd>
                <dt>"Private key"</dt><dd>{opt(node.wg_secret, "none stored in Owlery")}</dd>
                <dt>"Endpoint"</dt><dd>{node.endpoint}</dd>
                <dt>"First listen port"</dt><dd>{node.listen_port}</dd>
                <dt>"Mesh address"</dt><dd>{opt(node.mesh_addr, "none: set it on the host page")}</dd>
                <dt>"IPv4 egress via"</dt><dd>{opt(node.egress_via, "—")}</dd>
                <dt>"Internet"</dt>
                <dd class:warning-text=!path_ok>{if path_ok { "" } else { "⚠ " }}{path}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Tunnels(host: String, tunnels: Vec<TunnelRow>, missing_peers: Vec<String>) -> impl IntoView {
    let count = tunnels.len();
    let rows = tunnels
        .into_iter()
        .map(|t| {
            let delete = format!("/network/{host}/tunnels/delete?peer={}", t.peer);
            let label = format!("Delete tunnel to {}", t.peer);
            view! {
                <tr>
                    <td><a href=format!("/network/{}", t.peer)>{t.peer.clone()}</a></td>
                    <td class="mono">{t.interface}</td>
                    <td class="mono">{t.addrs}</td>
                    <td class="mono">{t.peer_addrs}</td>
                    <td class="num">{t.port}</td>
                    <td class="num">{t.peer_port}</td>
                    <td><IfRole role=Role::Admin><a href=delete.clone() aria-label=label.clone()>"Delete"</a></IfRole></td>
                </tr>
            }
        })
        .collect_view();
    let add = missing_peers
        .into_iter()
        .map(|p| {
            let href = format!("/network/{host}/tunnels/new?peer={p}");
            view! { <li class="problem">{format!("No tunnel to {p}. ")}<IfRole role=Role::Admin><a href=href.clone()>{format!("Add tunnel to {p}")}</a></IfRole></li> }
        })
        .collect_view();
    view! {
        <section class="card wide" aria-labelledby="tunnels-title">
            <h2 id="tunnels-title">"Tunnels"</h2>
            <p class="count">{format!("{count} tunnel{}", if count == 1 { "" } else { "s" })}</p>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th>"Peer"</th><th>"Interface"</th><th>"Addresses here"</th><th>"Peer's addresses"</th>
                        <th>"Port here"</th><th>"Peer's port"</th><th></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <ul class="problems">{add}</ul>
        </section>
    }
}

#[component]
fn NodeForm(
    host: String,
    input: crate::model::mesh::NodeInput,
    choices: Vec<String>,
    error: FormError,
    save: ServerAction<SaveMeshNode>,
    label: String,
) -> impl IntoView {
    const F: &str = "node";
    let via_message = move || error.get().and_then(|e| e.field_message("egress_via"));
    let current = input.egress_via.clone();
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="host" value=host/>
            <input type="hidden" name="node[version]" value=input.version.clone()/>
            <Field form=F field="endpoint" label="Endpoint" value=input.endpoint error mono=true
                help="The address the other hosts dial: IPv4 or IPv6, often the provider's private network."/>
            <Field form=F field="listen_port" label="First listen port" value=input.listen_port error numeric=true
                help="Each tunnel takes the lowest free port from here on."/>
            <div class="field" class:invalid=move || via_message().is_some()>
                <label for="node-egress_via">"IPv4 egress via"</label>
                <select id="node-egress_via" name="node[egress_via]" aria-describedby="node-egress_via-error">
                    <option value="" selected=current.is_empty()>"(own IPv4, or none)"</option>
                    {choices.into_iter().map(|c| {
                        let selected = c == current;
                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="help">"For a host without public IPv4: the host whose NAT it goes out through."</p>
                <p class="field-error" id="node-egress_via-error">{via_message}</p>
            </div>
            <Field form=F field="public_key" label="Public key" value=input.public_key error mono=true
                help="base64, as `wg pubkey` prints it. Leave empty on a new node to have Owlery generate a key pair."/>
            <Field form=F field="wg_secret" label="Private key secret" value=input.wg_secret error mono=true
                help="The name of the secret holding the private key (kind WireGuard private key), if imported."/>
            <div class="form-actions">
                <button type="submit" class="primary">{label}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn Files(group: FileGroup) -> impl IntoView {
    let FileGroup { title, help, files } = group;
    view! {
        <section class="card wide generated">
            <h2>{title}</h2>
            <p class="help">{help}</p>
            {files.into_iter().map(|f| view! { <CodeBlock title=f.path text=f.text/> }).collect_view()}
        </section>
    }
}
