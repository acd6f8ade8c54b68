//! The network area: the mesh overview, one node, tunnels, and the topology drawing.
mod node;
mod overview;
mod topology;
mod tunnel;

pub use node::MeshNodePage;
pub use overview::NetworkOverviewPage;
pub use topology::TopologyPage;
pub use tunnel::{DeleteTunnel, NewTunnel};

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `:name` of the current route: the host.
fn use_host_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()))
}

/// The `?peer=` of the current URL.
fn use_peer() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("peer")).filter(|p| !p.is_empty()))
}
