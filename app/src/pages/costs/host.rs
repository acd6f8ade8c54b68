//! A host's cost history: its periods and one-off charges, and the forms to add them.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::saves;
use crate::api::costs::{get_host_costs, AddHostCharge, ChangeHostPlan};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormMessage, Select};
use crate::components::layout::IfRole;
use crate::model::cost::{yes_no, ChargeInput, PeriodInput, Plan, YES_NO};
use crate::model::cost_view::HostCostPage;
use crate::model::user::Role;
use crate::model::AppError;

#[component]
pub fn HostCosts() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let change = ServerAction::<ChangeHostPlan>::new();
    let charge = ServerAction::<AddHostCharge>::new();
    let (changes, charges) = (saves(change), saves(charge));
    let page = Resource::new(
        move || (name.get(), changes.get(), charges.get()),
        |(name, ..)| get_host_costs(name),
    );
    view! {
        {move || view! { <Title text=format!("Costs of {}", name.get())/> }}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <HostCostView page change charge/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HostCostView(
    page: HostCostPage,
    change: ServerAction<ChangeHostPlan>,
    charge: ServerAction<AddHostCharge>,
) -> impl IntoView {
    let HostCostPage {
        host,
        periods,
        charges,
        plans,
        period,
        charge: charge_input,
        error,
    } = page;
    let carried = |form: &str| error.clone().filter(|(f, _)| f == form).map(|(_, e)| e);
    let (period_error, charge_error) = (carried("period"), carried("charge"));
    let host_link = format!("/hosts/{host}");
    view! {
        <header class="page-header">
            <h1>"Costs of " {host.clone()}</h1>
            <div class="actions">
                <a class="button" href=host_link>"Host"</a>
                <a class="button" href="/costs">"All costs"</a>
            </div>
        </header>
        <section class="card wide cost">
            <h2>"Plan history"</h2>
            <p class="help">"Each change starts a new period; earlier periods stay as they were."</p>
            {if periods.is_empty() {
                view! { <p class="empty">"No plan yet: this host costs nothing until it is given one below."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data periods">
                        <thead><tr><th>"From"</th><th>"Until"</th><th>"Plan"</th><th>"Public IPv4"</th>
                            <th class="num">"Per month"</th><th class="num">"Extras"</th></tr></thead>
                        <tbody>
                            {periods.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.start}</td><td>{p.end}</td>
                                    <td>{p.plan.unwrap_or_else(|| "not billed".into())}</td>
                                    <td>{yes_no(p.ipv4)}</td>
                                    <td class="num money">{p.monthly.map_or("—".into(), |m| m.to_string())}</td>
                                    <td class="num money">{p.extras.map_or(String::new(), |m| format!("{m} {}", p.extras_note))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
        </section>
        <section class="card wide cost">
            <h2>"One-off charges"</h2>
            {if charges.is_empty() {
                view! { <p class="empty">"No one-off charges."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {charges.into_iter().map(|c| view! {
                            <li>{c.day} ": " <span class="money">{c.amount.to_string()}</span> " — " {c.note}</li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <IfRole role=Role::Admin>
            <div class="sections">
                <ChangePlanForm action=change plans=plans.clone() input=period.clone() carried=period_error.clone()/>
                <ChargeForm action=charge input=charge_input.clone() carried=charge_error.clone()/>
            </div>
        </IfRole>
    }
}

#[component]
fn ChangePlanForm(
    action: ServerAction<ChangeHostPlan>,
    plans: Vec<Plan>,
    input: PeriodInput,
    carried: Option<AppError>,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    let plan_message = move || error.get().and_then(|e| e.field_message("plan"));
    const F: &str = "period";
    let label = format!("Change plan of {}", input.host);
    let chosen = input.plan.clone();
    view! {
        <section class="card">
            <h2>"Change plan from a date"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="period[host]" value=input.host/>
                <Field form=F field="start" label="From" value=input.start error input_type="date"
                    help="The first day billed on the new plan; defaults to the 1st of next month."/>
                <div class="field" class:invalid=move || plan_message().is_some()>
                    <label for="period-plan">"New plan"</label>
                    <select id="period-plan" name="period[plan]">
                        {plans.into_iter().map(|p| {
                            let text = format!("{} ({}/month)", p.label(), p.price);
                            let id = p.id.to_string();
                            view! { <option selected=id == chosen value=id>{text}</option> }
                        }).collect_view()}
                        <option value="none" selected=input.plan == "none">"No longer billed"</option>
                    </select>
                    <p class="help">"Missing a plan? Add it under " <a href="/costs/plans">"Plans"</a> "."</p>
                    <p class="field-error">{plan_message}</p>
                </div>
                <Select form=F field="ipv4" label="Public IPv4" value=input.ipv4 options=&YES_NO error/>
                <Field form=F field="extras" label="Extras per month" value=input.extras error numeric=true
                    help="Volumes, backups, snapshots, in the plan's currency; empty for none."/>
                <Field form=F field="extras_note" label="Extras note" value=input.extras_note error/>
                <div class="form-actions">
                    <button type="submit" class="primary">{label}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChargeForm(
    action: ServerAction<AddHostCharge>,
    input: ChargeInput,
    carried: Option<AppError>,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "charge";
    view! {
        <section class="card">
            <h2>"Add a one-off charge"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="charge[host]" value=input.host/>
                <Field form=F field="day" label="Date" value=input.day error input_type="date"/>
                <Field form=F field="amount" label="Amount" value=input.amount error numeric=true
                    help="Negative for a credit."/>
                <Field form=F field="currency" label="Currency" value=input.currency error/>
                <Field form=F field="note" label="What for" value=input.note error help="e.g. snapshot restore"/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Add charge"</button>
                </div>
            </ActionForm>
        </section>
    }
}
