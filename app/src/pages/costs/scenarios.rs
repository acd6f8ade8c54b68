//! What-if scenarios: the list, and one scenario compared with the current cluster.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::saves;
use super::scenario_hosts::{current_rows, scenario_rows};
use crate::api::cost_scenarios::{
    get_scenario, list_scenarios, AddScenarioHost, CreateScenario, DeleteScenario, RemoveScenarioHost,
    RenameScenario,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select};
use crate::components::layout::IfRole;
use crate::model::cost::{Plan, ScenarioHostInput, YES_NO};
use crate::model::cost_view::{ScenarioPage, ScenarioSummary, ScenariosPage};
use crate::model::user::Role;
use crate::model::AppError;

fn ram(mib: u64) -> String {
    if mib.is_multiple_of(1024) {
        format!("{} GiB", mib / 1024)
    } else {
        format!("{mib} MiB")
    }
}

/// The figures of one column of a comparison, as table cells.
fn summary_cells(s: &ScenarioSummary) -> [String; 6] {
    [
        s.hosts.to_string(),
        s.monthly.text(),
        s.yearly.text(),
        ram(s.ram_mib),
        s.vcpus.to_string(),
        s.ipv4.to_string(),
    ]
}

const ROWS: [&str; 6] = [
    "Hosts",
    "Per month",
    "Per year",
    "RAM",
    "vCPUs",
    "Public IPv4 addresses",
];

#[component]
pub fn ScenarioList() -> impl IntoView {
    let create = ServerAction::<CreateScenario>::new();
    let data = Resource::new(|| (), |_| list_scenarios());
    view! {
        <Title text="What-if scenarios"/>
        <header class="page-header">
            <h1>"What-if scenarios"</h1>
            <div class="actions"><a class="button" href="/costs">"Costs"</a></div>
        </header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ScenarioTable page create/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ScenarioTable(page: ScenariosPage, create: ServerAction<CreateScenario>) -> impl IntoView {
    let ScenariosPage {
        current,
        scenarios,
        new: (new_name, new_copy),
        error,
    } = page;
    let error = form_error(move || create.value().get(), error);
    let head = scenarios
        .iter()
        .map(|s| {
            let href = format!("/costs/scenarios/{}", s.id);
            view! { <th scope="col"><a href=href>{s.name.clone()}</a></th> }
        })
        .collect_view();
    let columns: Vec<[String; 6]> = scenarios.iter().map(|s| summary_cells(&s.summary)).collect();
    let now = summary_cells(&current);
    let body = ROWS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let cells = columns
                .iter()
                .map(|c| view! { <td class="num">{c[i].clone()}</td> })
                .collect_view();
            view! { <tr><th scope="row">{*label}</th><td class="num">{now[i].clone()}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        {scenarios.is_empty().then(|| view! {
            <p class="empty">"No scenarios yet — start one from the current cluster below."</p>
        })}
        <div class="table-wrap"><table class="data compare">
            <thead><tr><th></th><th scope="col">"Current cluster"</th>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table></div>
        <IfRole role=Role::Admin>
            <NewScenario create name=new_name.clone() copy=new_copy.clone() error/>
        </IfRole>
    }
}

#[component]
fn NewScenario(
    create: ServerAction<CreateScenario>,
    name: String,
    copy: String,
    error: FormError,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"New scenario"</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form="scenario" field="name" flat=true label="Scenario name" value=name error/>
                <Select form="scenario" field="copy" flat=true label="Copy the current cluster" value=copy
                    options=&YES_NO error/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Create scenario"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ScenarioDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let add = ServerAction::<AddScenarioHost>::new();
    let remove = ServerAction::<RemoveScenarioHost>::new();
    let rename = ServerAction::<RenameScenario>::new();
    let delete = ServerAction::<DeleteScenario>::new();
    let (adds, removes, renames) = (saves(add), saves(remove), saves(rename));
    let data = Resource::new(
        move || (id.get(), adds.get(), removes.get(), renames.get()),
        |(id, ..)| async move {
            match id.parse::<i64>() {
                Ok(id) => get_scenario(id).await,
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Scenario"/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ScenarioView page add remove rename delete/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ScenarioView(
    page: ScenarioPage,
    add: ServerAction<AddScenarioHost>,
    remove: ServerAction<RemoveScenarioHost>,
    rename: ServerAction<RenameScenario>,
    delete: ServerAction<DeleteScenario>,
) -> impl IntoView {
    let drafts: Vec<Option<String>> = page.hosts.iter().map(|h| page.runbook_draft(h)).collect();
    let ScenarioPage {
        id,
        name,
        version,
        hosts,
        summary,
        current_hosts,
        current,
        plans,
        host_input,
        rename: new_name,
        error,
    } = page;
    let remove_error = form_error(
        move || remove.value().get(),
        error
            .clone()
            .filter(|(f, _)| f == "scenario-remove")
            .map(|(_, e)| e),
    );
    let (now, then) = (summary_cells(&current), summary_cells(&summary));
    let compare = ROWS
        .iter()
        .enumerate()
        .map(|(i, label)| view! { <tr><th scope="row">{*label}</th><td class="num">{now[i].clone()}</td><td class="num">{then[i].clone()}</td></tr> })
        .collect_view();
    view! {
        <header class="page-header"><h1>{name.clone()}</h1></header>
        <section class="card wide cost">
            <h2>"Compared with the current cluster"</h2>
            <div class="table-wrap"><table class="data compare">
                <thead><tr><th></th><th scope="col">"Current cluster"</th><th scope="col">{name.clone()}</th></tr></thead>
                <tbody>{compare}</tbody>
            </table></div>
        </section>
        <div class="sections">
            <section class="card">
                <h2>"Current cluster"</h2>
                <table class="data"><thead><tr><th>"Host"</th><th>"Plan"</th><th>"IPv4"</th><th class="num">"Per month"</th><th></th></tr></thead>
                <tbody>{current_rows(current_hosts)}</tbody></table>
            </section>
            <section class="card">
                <h2>"Hosts in this scenario"</h2>
                <FormMessage error=remove_error/>
                <table class="data"><thead><tr><th>"Host"</th><th>"Plan"</th><th>"IPv4"</th><th class="num">"Per month"</th><th></th></tr></thead>
                <tbody>{scenario_rows(hosts.into_iter().zip(drafts).collect(), id, remove)}</tbody></table>
            </section>
        </div>
        <IfRole role=Role::Admin>
            <ScenarioForms id version name=name.clone() plans=plans.clone() add rename delete error=error.clone()
                input=(host_input.clone(), new_name.clone())/>
        </IfRole>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn ScenarioForms(
    id: i64,
    version: i64,
    name: String,
    plans: Vec<Plan>,
    add: ServerAction<AddScenarioHost>,
    rename: ServerAction<RenameScenario>,
    delete: ServerAction<DeleteScenario>,
    error: Option<(String, AppError)>,
    /// The add-host and rename forms' values.
    input: (ScenarioHostInput, String),
) -> impl IntoView {
    let carried = |form: &str| error.clone().filter(|(f, _)| f == form).map(|(_, e)| e);
    let (host_input, new_name) = input;
    let chosen = host_input.plan.clone();
    let add_error = form_error(move || add.value().get(), carried("scenario-host"));
    let rename_error = form_error(move || rename.value().get(), carried("scenario-rename"));
    let delete_error = form_error(move || delete.value().get(), carried("scenario-delete"));
    let plan_message = move || add_error.get().and_then(|e| e.field_message("plan"));
    let delete_label = format!("Delete scenario {name}");
    view! {
            <div class="sections">
                <section class="card">
                    <h2>"Add a host"</h2>
                    <ActionForm action=add attr:class="form" attr:novalidate=true>
                        <FormMessage error=add_error/>
                        <input type="hidden" name="id" value=id/>
                        <Field form="host" field="name" label="Host name" value=host_input.name error=add_error/>
                        <div class="field" class:invalid=move || plan_message().is_some()>
                            <label for="host-plan">"Plan"</label>
                            <select id="host-plan" name="host[plan]">
                                {plans.iter().map(|p| {
                                    let text = format!("{} ({}/month)", p.label(), p.price);
                                    let id = p.id.to_string();
                                    view! { <option selected=id == chosen value=id>{text}</option> }
                                }).collect_view()}
                            </select>
                            <p class="field-error">{plan_message}</p>
                        </div>
                        <Select form="host" field="ipv4" label="Public IPv4" value=host_input.ipv4 options=&YES_NO error=add_error/>
                        <div class="form-actions">
                            <button type="submit" class="primary">"Add host to scenario"</button>
                        </div>
                    </ActionForm>
                </section>
                <section class="card">
                    <h2>"Rename or delete"</h2>
                    <ActionForm action=rename attr:class="form" attr:novalidate=true>
                        <FormMessage error=rename_error/>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <Field form="rename" field="name" flat=true label="New name" value=new_name error=rename_error/>
                        <div class="form-actions"><button type="submit">"Rename scenario"</button></div>
                    </ActionForm>
                    <ActionForm action=delete attr:class="form confirm">
                        <FormMessage error=delete_error/>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="danger">{delete_label}</button>
                    </ActionForm>
                </section>
            </div>
    }
}
