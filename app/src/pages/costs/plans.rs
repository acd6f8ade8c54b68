//! The plan catalogue: list, add, edit, delete.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::saves;
use crate::api::costs::{get_plan_form, get_plans, DeletePlan, SavePlan};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select, TextArea};
use crate::components::layout::IfRole;
use crate::model::cost::{Plan, PlanInput, YES_NO};
use crate::model::user::Role;
use crate::model::AppError;

#[component]
pub fn PlanList() -> impl IntoView {
    let save = ServerAction::<SavePlan>::new();
    let saved = saves(save);
    let data = Resource::new(move || saved.get(), |_| get_plans());
    view! {
        <Title text="Plans"/>
        <header class="page-header">
            <h1>"Plans"</h1>
            <div class="actions"><a class="button" href="/costs">"Costs"</a></div>
        </header>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((plans, carried)) => {
                        let (input, carried) = match carried {
                            Some((input, e)) if input.id.is_empty() => (input, Some(e)),
                            _ => (PlanInput::blank(), None),
                        };
                        view! {
                            <PlanTable plans/>
                            <IfRole role=Role::Admin>
                                <NewPlan save input=input.clone() carried=carried.clone()/>
                            </IfRole>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NewPlan(save: ServerAction<SavePlan>, input: PlanInput, carried: Option<AppError>) -> impl IntoView {
    let error = form_error(move || save.value().get(), carried);
    view! {
        <section class="card wide cost">
            <h2>"Add a plan"</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="plan[id]" value=""/>
                <input type="hidden" name="plan[version]" value=""/>
                <PlanFields input error/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Add plan"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PlanTable(plans: Vec<Plan>) -> impl IntoView {
    if plans.is_empty() {
        return view! { <p class="empty">"No plans yet — add one below or load the demo with " <code>"owlery demo"</code> "."</p> }
            .into_any();
    }
    let count = plans.len();
    view! {
        <p class="count" role="status">{format!("{count} plan{}", if count == 1 { "" } else { "s" })}</p>
        <div class="table-wrap"><table class="data">
            <thead><tr>
                <th>"Provider"</th><th>"Plan"</th><th class="num">"vCPUs"</th><th class="num">"RAM"</th>
                <th class="num">"Disk"</th><th class="num">"Price / month"</th><th class="num">"Without IPv4"</th><th>"Notes"</th>
            </tr></thead>
            <tbody>
                {plans.into_iter().map(|p| {
                    let href = format!("/costs/plans/{}", p.id);
                    let without = if p.ipv4_included { p.monthly(false).to_string() } else { "no IPv4 included".into() };
                    view! {
                        <tr>
                            <td>{p.provider.clone()}</td>
                            <td><a href=href>{p.name.clone()}</a></td>
                            <td class="num">{p.vcpus}</td>
                            <td class="num">{format!("{} MiB", p.ram_mib)}</td>
                            <td class="num">{format!("{} GB", p.disk_gb)}</td>
                            <td class="num money">{p.price.to_string()}</td>
                            <td class="num money">{without}</td>
                            <td>{p.notes.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
pub fn EditPlan() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let save = ServerAction::<SavePlan>::new();
    let delete = ServerAction::<DeletePlan>::new();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id.parse::<i64>() {
                Ok(id) => get_plan_form(id).await,
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Edit plan"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((input, carried)) => {
                        let error = form_error(move || save.value().get(), carried.clone());
                        let delete_error = form_error(move || delete.value().get(), None);
                        let title = format!("{} {}", input.provider, input.name);
                        let (save_label, delete_label) = (format!("Save {title}"), format!("Delete {title}"));
                        let (id, version) = (input.id.clone(), input.version.clone());
                        let (id2, version2) = (id.clone(), version.clone());
                        view! {
                            <header class="page-header"><h1>{title}</h1></header>
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="plan[id]" value=id/>
                                <input type="hidden" name="plan[version]" value=version/>
                                <PlanFields input error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">{save_label}</button>
                                    <a href="/costs/plans">"Cancel"</a>
                                </div>
                            </ActionForm>
                            <ActionForm action=delete attr:class="form confirm">
                                <FormMessage error=delete_error/>
                                <p>"A plan still used by a host's cost history or a scenario cannot be deleted."</p>
                                <input type="hidden" name="id" value=id2/>
                                <input type="hidden" name="version" value=version2/>
                                <button type="submit" class="danger">{delete_label}</button>
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
fn PlanFields(input: PlanInput, error: FormError) -> impl IntoView {
    const F: &str = "plan";
    view! {
        <fieldset>
            <legend>"Plan"</legend>
            <Field form=F field="provider" label="Provider" value=input.provider error help="e.g. Scaleway"/>
            <Field form=F field="name" label="Plan name" value=input.name error help="e.g. Start1-XS"/>
            <Field form=F field="vcpus" label="vCPUs" value=input.vcpus error numeric=true/>
            <Field form=F field="ram_mib" label="RAM (MiB)" value=input.ram_mib error numeric=true/>
            <Field form=F field="disk_gb" label="Disk (GB)" value=input.disk_gb error numeric=true/>
        </fieldset>
        <fieldset>
            <legend>"Price"</legend>
            <Field form=F field="price" label="Monthly price" value=input.price error numeric=true help="e.g. 2.00 or 2,00"/>
            <Field form=F field="currency" label="Currency" value=input.currency error help="ISO code, e.g. EUR"/>
            <Select form=F field="ipv4_included" label="Public IPv4 included" value=input.ipv4_included options=&YES_NO error/>
            <Field form=F field="ipv4_saving" label="Saving without IPv4" value=input.ipv4_saving error numeric=true
                help="What the provider takes off the monthly price for a host without public IPv4."/>
            <TextArea form=F field="notes" label="Notes" value=input.notes error help="Volumes, backups, snapshots…"/>
        </fieldset>
    }
}
