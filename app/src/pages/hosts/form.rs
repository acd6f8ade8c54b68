//! Creating and editing a host: the same fields, two actions.
use leptos::prelude::*;
use leptos_meta::Title;

use super::detail::use_host_name;
use crate::api::hosts::{get_host_form, CreateHost, HostFormData, UpdateHost};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select, TextArea};
use crate::model::host::{HostInput, ARCHITECTURES};

#[component]
pub fn NewHost() -> impl IntoView {
    let action = ServerAction::<CreateHost>::new();
    let data = Resource::new(|| (), |_| get_host_form(None));
    view! {
        <Title text="Add host"/>
        <header class="page-header"><h1>"Add host"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(HostFormData { input, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <HostFields input error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add host"
                                    </button>
                                    <a href="/hosts">"Cancel"</a>
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
pub fn EditHost() -> impl IntoView {
    let name = use_host_name();
    let action = ServerAction::<UpdateHost>::new();
    let data = Resource::new(move || name.get(), |n| get_host_form(Some(n)));
    view! {
        {move || view! { <Title text=format!("Edit {}", name.get())/> }}
        <header class="page-header"><h1>"Edit " {move || name.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(HostFormData { input, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let original = name.get_untracked();
                        let cancel = format!("/hosts/{original}");
                        let label = format!("Save {original}");
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="original" value=original/>
                                <input type="hidden" name="host[version]" value=input.version.clone()/>
                                <HostFields input error/>
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

#[component]
fn HostFields(input: HostInput, error: FormError) -> impl IntoView {
    const F: &str = "host";
    view! {
        <fieldset>
            <legend>"Identity"</legend>
            <Field form=F field="name" label="Name" value=input.name error
                help="A DNS label: letters, digits and '-', unique in the inventory."/>
            <Field form=F field="provider" label="Provider" value=input.provider error help="e.g. Scaleway"/>
            <Field form=F field="plan" label="Plan" value=input.plan error help="e.g. Start1-XS"/>
        </fieldset>
        <fieldset>
            <legend>"Hardware"</legend>
            <Select form=F field="arch" label="CPU architecture" value=input.arch options=&ARCHITECTURES error/>
            <Field form=F field="vcpus" label="vCPUs" value=input.vcpus error numeric=true/>
            <Field form=F field="ram_mib" label="RAM (MiB)" value=input.ram_mib error numeric=true help="1 GiB = 1024 MiB"/>
            <Field form=F field="disk_gb" label="Disk (GB)" value=input.disk_gb error numeric=true/>
        </fieldset>
        <fieldset>
            <legend>"Addresses"</legend>
            <Field form=F field="ipv4" label="Public IPv4" value=input.ipv4 error mono=true
                help="Leave empty for an IPv6-only host."/>
            <Field form=F field="ipv6" label="IPv6" value=input.ipv6 error mono=true/>
            <Field form=F field="mesh_addr" label="Mesh address" value=input.mesh_addr error mono=true
                help="The loopback address other hosts reach this one by over the mesh."/>
        </fieldset>
        <fieldset>
            <legend>"SSH"</legend>
            <Field form=F field="ssh_host" label="SSH address" value=input.ssh_host error mono=true
                help="IP address or DNS name Owlery connects to."/>
            <Field form=F field="ssh_port" label="SSH port" value=input.ssh_port error numeric=true/>
            <Field form=F field="ssh_user" label="SSH user" value=input.ssh_user error mono=true/>
        </fieldset>
        <fieldset>
            <legend>"Roles and notes"</legend>
            <Field form=F field="tags" label="Role tags" value=input.tags error
                help="Separated by spaces, e.g. web mail db workers."/>
            <TextArea form=F field="notes" label="Notes" value=input.notes error/>
        </fieldset>
    }
}
