//! Server functions of the network area: the mesh, its nodes and tunnels, the topology.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::topology::Problem;
use crate::model::audit::AuditEntry;
use crate::model::mesh::{ConfigFile, MeshNode, NodeInput, TunnelInput};
use crate::model::AppError;

/// A mesh node as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSummary {
    pub host: String,
    pub endpoint: String,
    pub mesh_addr: Option<String>,
    /// The host's path to the internet, in words; `path_ok` false when it has no IPv4.
    pub path: String,
    pub path_ok: bool,
}

/// /network: the nodes, which pairs have a tunnel, which do not, and who is outside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkOverview {
    pub nodes: Vec<NodeSummary>,
    /// Every tunnel as its two ends, sorted.
    pub tunnels: Vec<(String, String)>,
    pub missing: Vec<(String, String)>,
    /// Hosts not in the mesh.
    pub outside: Vec<String>,
}

/// One tunnel seen from one of its ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelRow {
    pub peer: String,
    pub interface: String,
    pub addrs: String,
    pub peer_addrs: String,
    pub port: u16,
    pub peer_port: u16,
}

/// Generated files under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileGroup {
    pub title: String,
    pub help: String,
    pub files: Vec<ConfigFile>,
}

/// /network/:name: the node (None: not in the mesh yet), its tunnels and its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodePage {
    pub host: String,
    pub node: Option<MeshNode>,
    pub path: String,
    pub path_ok: bool,
    pub tunnels: Vec<TunnelRow>,
    /// Mesh nodes this one has no tunnel to.
    pub missing_peers: Vec<String>,
    /// Other mesh nodes: the hosts it may go out through.
    pub egress_choices: Vec<String>,
    pub files: Vec<FileGroup>,
    /// The node form: stored values, or a failed plain-form submission and its error.
    pub input: NodeInput,
    pub error: Option<AppError>,
    /// The error of a failed "Generate key" plain-form post.
    pub key_error: Option<AppError>,
    pub history: Vec<AuditEntry>,
    pub now: i64,
}

/// The add-tunnel form: the peers still without a tunnel, and proposed addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelFormData {
    pub host: String,
    pub peers: Vec<String>,
    pub input: TunnelInput,
    pub error: Option<AppError>,
}

/// The delete-tunnel confirmation: the tunnel named, or the host's tunnels to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteTunnelData {
    pub host: String,
    pub tunnel: Option<TunnelRow>,
    pub tunnels: Vec<TunnelRow>,
    pub error: Option<AppError>,
}

/// /topology: the drawing as SVG text, and the problems found while drawing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopologyView {
    pub svg: String,
    pub problems: Vec<Problem>,
    pub hosts: usize,
    pub services: usize,
}

#[server]
pub async fn get_network() -> Result<NetworkOverview, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, network, state::app_state};
    auth::require(Role::Viewer)?;
    network::views::overview(&app_state()?.db).await
}

#[server]
pub async fn get_mesh_node(host: String) -> Result<NodePage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let carried = forms::take::<NodeInput>("mesh-node").await;
    let key_error = forms::take::<String>("mesh-key").await.map(|(_, e)| e);
    let is_admin = session.user.can(Role::Admin);
    let mut page = network::views::node_page(&app_state()?.db, &host, is_admin, carried).await?;
    page.key_error = key_error;
    Ok(page)
}

#[server]
pub async fn save_mesh_node(host: String, node: NodeInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let saved = match node.parse() {
        Ok(draft) => {
            network::save_node(&state.db, &state.master_key, &(&session).into(), &host, &draft).await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(_) => forms::redirect(&format!("/network/{host}")),
        Err(e) => Err(forms::failed("mesh-node", &node, e).await),
    }
}

#[server]
pub async fn generate_mesh_key(host: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match network::generate_key(&state.db, &state.master_key, &(&session).into(), &host, version).await {
        Ok(_) => forms::redirect(&format!("/network/{host}")),
        Err(e) => Err(forms::failed("mesh-key", &host, e).await),
    }
}

#[server]
pub async fn get_tunnel_form(host: String, peer: Option<String>) -> Result<TunnelFormData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    auth::require(Role::Admin)?;
    let carried = forms::take::<TunnelInput>("tunnel").await;
    network::views::tunnel_form(&app_state()?.db, &host, peer, carried).await
}

#[server]
pub async fn create_tunnel(tunnel: TunnelInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    let created = match tunnel.parse() {
        Ok(draft) => network::create_tunnel(&state.db, &(&session).into(), &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(()) => forms::redirect(&format!("/network/{}", tunnel.host.trim())),
        Err(e) => Err(forms::failed("tunnel", &tunnel, e).await),
    }
}

#[server]
pub async fn get_delete_tunnel(host: String, peer: Option<String>) -> Result<DeleteTunnelData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-tunnel").await.map(|(_, e)| e);
    network::views::delete_tunnel(&app_state()?.db, &host, peer, error).await
}

#[server]
pub async fn delete_tunnel(host: String, peer: String) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, network, state::app_state};
    let session = auth::require(Role::Admin)?;
    let state = app_state()?;
    match network::delete_tunnel(&state.db, &(&session).into(), &host, &peer).await {
        Ok(()) => forms::redirect(&format!("/network/{host}")),
        Err(e) => Err(forms::failed("delete-tunnel", &peer, e).await),
    }
}

#[server]
pub async fn get_topology() -> Result<TopologyView, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, network, state::app_state};
    auth::require(Role::Viewer)?;
    network::views::topology(&app_state()?.db).await
}
