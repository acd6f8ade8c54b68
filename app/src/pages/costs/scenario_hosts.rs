//! The host tables of a scenario page: plan, IPv4, price, and per host what can be done.
use leptos::prelude::*;

use crate::api::cost_scenarios::RemoveScenarioHost;
use crate::components::layout::IfRole;
use crate::model::cost::yes_no;
use crate::model::cost_view::ScenarioHost;
use crate::model::user::Role;

#[component]
fn RemoveHost(action: ServerAction<RemoveScenarioHost>, id: i64, host: i64, label: String) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="host" value=host/>
            <button type="submit" class="link danger">{label}</button>
        </ActionForm>
    }
}

/// A scenario's hosts, each with its remove button and, when the current cluster has it
/// on another plan, a link to draft the runbook that moves it.
pub fn scenario_rows(
    hosts: Vec<(ScenarioHost, Option<String>)>,
    id: i64,
    action: ServerAction<RemoveScenarioHost>,
) -> impl IntoView {
    hosts
        .into_iter()
        .map(|(h, draft)| {
            let label = format!("Remove {}", h.name);
            let host = h.id;
            let draft = draft.map(|href| {
                let title = format!("Draft a runbook moving {} to {}", h.name, h.plan.name);
                view! {
                    <IfRole role=Role::Operator>
                        <a class="button small" href=href.clone() title=title.clone()>"Draft a runbook"</a>
                    </IfRole>
                }
            });
            view! {
                <tr>
                    <td>{h.name.clone()}</td><td>{h.plan.label()}</td><td>{yes_no(h.ipv4)}</td>
                    <td class="num money">{h.plan.monthly(h.ipv4).to_string()}</td>
                    <td>
                        <div class="scenario-actions">
                            {draft}
                            <IfRole role=Role::Admin>
                                <RemoveHost action id host label=label.clone()/>
                            </IfRole>
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view()
}

/// The current cluster's hosts, to read only.
pub fn current_rows(hosts: Vec<ScenarioHost>) -> impl IntoView {
    hosts
        .into_iter()
        .map(|h| {
            view! {
                <tr>
                    <td>{h.name.clone()}</td><td>{h.plan.label()}</td><td>{yes_no(h.ipv4)}</td>
                    <td class="num money">{h.plan.monthly(h.ipv4).to_string()}</td><td></td>
                </tr>
            }
        })
        .collect_view()
}
