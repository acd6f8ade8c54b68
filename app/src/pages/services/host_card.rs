//! The services card of a host's page: what runs there, and a link to add one.
use leptos::prelude::*;

use super::memory;
use crate::api::services::list_host_services;
use crate::components::layout::IfRole;
use crate::domain::url::encode_component;
use crate::model::service::Service;
use crate::model::user::Role;
use crate::model::AppError;

/// The card, below the host's details. It loads on its own; created at the top of the
/// host page beside the host's resource.
#[component]
pub fn HostServices(host: Memo<String>) -> impl IntoView {
    let data = Resource::new(move || host.get(), list_host_services);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(services) => view! { <Card host=host.get_untracked() services/> }.into_any(),
                    // The page itself says the host does not exist.
                    Err(AppError::NotFound) => ().into_any(),
                    Err(error) => view! {
                        <div class="sections host-services">
                            <section class="card wide"><h2>"Services"</h2><p class="field-error">{error.to_string()}</p></section>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(host: String, services: Vec<Service>) -> impl IntoView {
    let add = format!("/services/new?host={}", encode_component(&host));
    let total: u32 = services.iter().filter_map(|s| s.memory_mib).sum();
    let body = if services.is_empty() {
        view! { <p class="empty">"No services on this host."</p> }.into_any()
    } else {
        view! {
            <p class="help">{format!("{} expected in memory.", memory(Some(total)))}</p>
            <ul class="host-service-list">
                {services
                    .into_iter()
                    .map(|s| {
                        let listen = s.listen();
                        view! {
                            <li>
                                <a href=format!("/services/{}", encode_component(&s.name))>{s.name.clone()}</a>
                                " " <span class="badge">{s.kind.label()}</span>
                                {(!listen.is_empty()).then(|| view! { " " <span class="mono">{listen}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="sections host-services">
            <section class="card wide" aria-labelledby="host-services-title">
                <h2 id="host-services-title">"Services"</h2>
                {body}
                <IfRole role=Role::Admin>
                    <p><a href=add.clone()>"Add a service"</a></p>
                </IfRole>
            </section>
        </div>
    }
}
