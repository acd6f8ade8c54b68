//! Adding a tunnel (peer and proposed addresses; ports are allocated on saving) and
//! deleting one after a confirmation that names both ends. Both work without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use super::{use_host_name, use_peer};
use crate::api::network::{
    get_delete_tunnel, get_tunnel_form, CreateTunnel, DeleteTunnel as DeleteTunnelAction, DeleteTunnelData,
    TunnelFormData,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormMessage};

#[component]
pub fn NewTunnel() -> impl IntoView {
    let name = use_host_name();
    let peer = use_peer();
    let action = ServerAction::<CreateTunnel>::new();
    let data = Resource::new(move || (name.get(), peer.get()), |(n, p)| get_tunnel_form(n, p));
    view! {
        {move || view! { <Title text=format!("New tunnel from {}", name.get())/> }}
        <header class="page-header"><h1>"New tunnel from " {move || name.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(form) => view! { <TunnelForm form action/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TunnelForm(form: TunnelFormData, action: ServerAction<CreateTunnel>) -> impl IntoView {
    let TunnelFormData {
        host,
        peers,
        input,
        error,
    } = form;
    let back = format!("/network/{host}");
    if peers.is_empty() {
        return view! {
            <p class="empty">
                {format!("{host} is not in the mesh, or already has a tunnel to every other node. ")}
                <a href=back>"Back to " {host.clone()}</a>
            </p>
        }
        .into_any();
    }
    let error = form_error(move || action.value().get(), error);
    let peer_message = move || error.get().and_then(|e| e.field_message("peer"));
    let chosen = input.peer.clone();
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="tunnel[host]" value=host.clone()/>
            <div class="field" class:invalid=move || peer_message().is_some()>
                <label for="tunnel-peer">"Peer"</label>
                <select id="tunnel-peer" name="tunnel[peer]" aria-describedby="tunnel-peer-error">
                    {peers.into_iter().map(|p| {
                        let selected = p == chosen;
                        view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="help">"The addresses below were proposed for the first peer chosen; any free ones will do."</p>
                <p class="field-error" id="tunnel-peer-error">{peer_message}</p>
            </div>
            <Field form="tunnel" field="addr_host" label="Addresses on this host" value=input.addr_host error mono=true
                help="With prefix, IPv6 and optionally IPv4: fd00:77::6/127, 10.77.0.4/31. IPv4 is needed where one end goes out through the other."/>
            <Field form="tunnel" field="addr_peer" label="Addresses on the peer" value=input.addr_peer error mono=true
                help="In the same subnets as this host's."/>
            <p class="help">"Each end listens on the lowest free port from its node's first listen port on."</p>
            <div class="form-actions">
                <button type="submit" class="primary">"Add tunnel"</button>
                <a href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn DeleteTunnel() -> impl IntoView {
    let name = use_host_name();
    let peer = use_peer();
    let action = ServerAction::<DeleteTunnelAction>::new();
    let data = Resource::new(move || (name.get(), peer.get()), |(n, p)| get_delete_tunnel(n, p));
    view! {
        {move || view! { <Title text=format!("Delete a tunnel of {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Confirm data action/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Confirm(data: DeleteTunnelData, action: ServerAction<DeleteTunnelAction>) -> impl IntoView {
    let DeleteTunnelData {
        host,
        tunnel,
        tunnels,
        error,
    } = data;
    let back = format!("/network/{host}");
    let Some(t) = tunnel else {
        // No tunnel named: offer the host's tunnels to choose from.
        return view! {
            <header class="page-header"><h1>"Delete a tunnel of " {host.clone()}</h1></header>
            {if tunnels.is_empty() {
                view! { <p class="empty">{format!("{host} has no tunnels.")}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {tunnels.into_iter().map(|t| view! {
                            <li><a href=format!("/network/{host}/tunnels/delete?peer={}", t.peer)>{format!("{host} – {}", t.peer)}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=back>"Back to " {host.clone()}</a></p>
        }
        .into_any();
    };
    let error = form_error(move || action.value().get(), error);
    view! {
        <header class="page-header"><h1>{format!("Delete the tunnel between {host} and {}?", t.peer)}</h1></header>
        <ActionForm action attr:class="form confirm">
            <FormMessage error/>
            <p>
                "This removes the tunnel " <strong>{format!("{host} – {}", t.peer)}</strong>
                {format!(" ({} on {host}, {} here) from the inventory; the generated files no longer contain it. ", t.interface, t.addrs)}
                "The hosts themselves are not touched: stop " <code>{format!("wg-quick@{}", t.interface)}</code> " there."
            </p>
            <input type="hidden" name="host" value=host.clone()/>
            <input type="hidden" name="peer" value=t.peer.clone()/>
            <div class="form-actions">
                <button type="submit" class="danger">{format!("Delete tunnel {host} – {}", t.peer)}</button>
                <a href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
    .into_any()
}
