//! Creating and editing a service: the same fields, two actions. Moving a service is
//! choosing another host in the edit form.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::detail::use_service_name;
use crate::api::services::{get_service_form, CreateService, ServiceFormData, UpdateService};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, TextArea};
use crate::domain::url::encode_component;
use crate::model::service::{ServiceInput, ServiceKind};

const F: &str = "service";

#[component]
pub fn NewService() -> impl IntoView {
    let action = ServerAction::<CreateService>::new();
    let query = use_query_map();
    let preset = Memo::new(move |_| query.with(|q| (q.get("host"), q.get("kind"))));
    let data = Resource::new(
        move || preset.get(),
        |(host, kind)| get_service_form(None, host, kind),
    );
    view! {
        <Title text="Add service"/>
        <header class="page-header"><h1>"Add service"</h1></header>
        <KindPresets preset/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ServiceFormData { input, hosts, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let cancel = match preset.get_untracked().0 {
                            Some(host) => format!("/hosts/{host}"),
                            None => "/services".to_owned(),
                        };
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <ServiceFields input hosts error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add service"
                                    </button>
                                    <a href=cancel>"Cancel"</a>
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditService() -> impl IntoView {
    let name = use_service_name();
    let action = ServerAction::<UpdateService>::new();
    let data = Resource::new(move || name.get(), |n| get_service_form(Some(n), None, None));
    view! {
        {move || view! { <Title text=format!("Edit {}", name.get())/> }}
        <header class="page-header"><h1>"Edit " {move || name.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ServiceFormData { input, hosts, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let original = name.get_untracked();
                        let cancel = format!("/services/{original}");
                        let label = format!("Save {original}");
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="original" value=original/>
                                <input type="hidden" name="service[version]" value=input.version.clone()/>
                                <ServiceFields input hosts error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        {label}
                                    </button>
                                    <a href=cancel>"Cancel"</a>
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Links that refill the form with a kind's usual unit, port and memory: plain links,
/// so choosing a starting point works without JavaScript too.
#[component]
fn KindPresets(preset: Memo<(Option<String>, Option<String>)>) -> impl IntoView {
    move || {
        let (host, kind) = preset.get();
        let host = host
            .map(|h| format!("host={}&", encode_component(&h)))
            .unwrap_or_default();
        let links = ServiceKind::ALL
            .iter()
            .filter(|k| **k != ServiceKind::Custom)
            .map(|k| {
                let href = format!("/services/new?{host}kind={}", k.as_str());
                let current = (kind.as_deref() == Some(k.as_str())).then_some("page");
                view! { " " <a href=href aria-current=current>{k.label()}</a> }
            })
            .collect_view();
        view! { <p class="kind-presets">"Start from the usual setup of:" {links}</p> }
    }
}

/// A choice among options known only at run time: (value, label) pairs. A value that is
/// not among them (a host deleted meanwhile) stays selectable, so nothing is changed
/// silently; saving it names the problem.
#[component]
fn Choice(
    field: &'static str,
    label: &'static str,
    value: String,
    options: Vec<(String, String)>,
    error: FormError,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message(field));
    let id = format!("{F}-{field}");
    let error_id = format!("{id}-error");
    let mut options = options;
    if !value.is_empty() && !options.iter().any(|(v, _)| *v == value) {
        options.insert(0, (value.clone(), format!("{value} (unknown)")));
    }
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=format!("{F}[{field}]") aria-describedby=error_id.clone()
                aria-invalid=move || message().map(|_| "true")>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == value;
                        view! { <option value=v selected=selected>{l}</option> }
                    })
                    .collect_view()}
            </select>
            {(!help.is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

#[component]
fn ServiceFields(input: ServiceInput, hosts: Vec<String>, error: FormError) -> impl IntoView {
    let hosts: Vec<(String, String)> = hosts.into_iter().map(|h| (h.clone(), h)).collect();
    let kinds: Vec<(String, String)> = ServiceKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    let egress_message = move || error.get().and_then(|e| e.field_message("needs_egress"));
    let egress = !input.needs_egress.trim().is_empty() && input.needs_egress != "off";
    view! {
        <fieldset>
            <legend>"What and where"</legend>
            <Field form=F field="name" label="Name" value=input.name error
                help="A DNS label unique in the cluster, e.g. puma, sidekiq or wireguard-hermes."/>
            <Choice field="host" label="Host" value=input.host options=hosts error
                help="Choosing another host moves the service."/>
            <Choice field="kind" label="Kind" value=input.kind options=kinds error/>
            <Field form=F field="unit" label="systemd unit" value=input.unit error mono=true
                help="e.g. mastodon-sidekiq@default.service. Empty: the usual unit of the kind."/>
        </fieldset>
        <fieldset>
            <legend>"Network and resources"</legend>
            <Field form=F field="listen_addr" label="Listen address" value=input.listen_addr error mono=true
                help="An address of the host, often its mesh address; :: for every address."/>
            <Field form=F field="port" label="Port" value=input.port error numeric=true
                help="Empty when it listens on no TCP port. A port without an address means every address."/>
            <Field form=F field="memory_mib" label="Memory (MiB)" value=input.memory_mib error numeric=true
                help="Expected resident memory, for the host's budget."/>
            <div class="field checkbox" class:invalid=move || egress_message().is_some()>
                <label>
                    <input type="checkbox" name="service[needs_egress]" value="on" checked=egress/>
                    " Needs outbound internet"
                </label>
                <p class="help">"Sidekiq delivers to remote instances, Puma fetches remote profiles."</p>
                <p class="field-error">{egress_message}</p>
            </div>
        </fieldset>
        <fieldset>
            <legend>"Dependencies and notes"</legend>
            <Field form=F field="deps" label="Depends on" value=input.deps error mono=true
                help="Names of services it needs, separated by spaces, e.g. postgresql redis."/>
            <TextArea form=F field="notes" label="Notes" value=input.notes error/>
        </fieldset>
    }
}
