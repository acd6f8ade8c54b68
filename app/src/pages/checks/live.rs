//! The Checks page's live state: when facts were last gathered on each host, and the
//! button that gathers them everywhere (sockets, units, `nginx -T`) as one job.
use leptos::prelude::*;

use crate::api::checks::{LiveHost, ReadLiveState};
use crate::components::form::{form_error, FormMessage};
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::model::action::Action;
use crate::model::user::Role;
use crate::model::AppError;

#[component]
pub fn LiveState(hosts: Vec<LiveHost>, now: i64, error: Option<AppError>) -> impl IntoView {
    let action = ServerAction::<ReadLiveState>::new();
    let error = form_error(move || action.value().get(), error);
    let reachable: Vec<String> = hosts
        .iter()
        .filter(|h| h.reachable)
        .map(|h| h.name.clone())
        .collect();
    let button = match reachable.len() {
        1 => "Read live state on 1 host".to_owned(),
        n => format!("Read live state on {n} hosts"),
    };
    let targets = if reachable.is_empty() {
        "no host yet: none has an SSH identity".to_owned()
    } else {
        reachable.join(", ")
    };
    // The operator's form is rendered again whenever the role check resolves.
    let (targets, button) = (StoredValue::new(targets), StoredValue::new(button));
    let rows = hosts
        .into_iter()
        .map(|h| view! { <LiveRow h now/> })
        .collect_view();
    view! {
        <section class="card wide" aria-labelledby="live-title">
            <h2 id="live-title">"Live state"</h2>
            <p class="help">
                "Ports nothing listens on, units that are not active and HSTS across nginx's virtual hosts are checked "
                "against the facts last gathered on each host; where none were gathered, those rules stay silent. "
                "Reading the live state runs " <strong>"Gather facts"</strong> " as a job on every host with an SSH identity; "
                "the findings above use its results once it is done."
            </p>
            <div class="table-wrap">
            <table class="data live-state">
                <thead>
                    <tr>
                        <th scope="col">"Host"</th>
                        <th scope="col">"Facts gathered"</th>
                        <th scope="col">"Listening sockets"</th>
                        <th scope="col">"Active units"</th>
                        <th scope="col">"nginx -T"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
            <IfRole role=Role::Operator>
                <ActionForm action attr:class="form live-form">
                    <FormMessage error/>
                    <p>"Runs on: " <span class="mono">{move || targets.get_value()}</span></p>
                    <details>
                        <summary>"The command each host runs"</summary>
                        <pre class="command">{Action::Facts.command()}</pre>
                    </details>
                    <div class="form-actions">
                        <button type="submit" class="primary">{move || button.get_value()}</button>
                    </div>
                </ActionForm>
            </IfRole>
        </section>
    }
}

/// The count; "unknown" where the host could not tell, nothing where no facts exist.
fn count(n: Option<usize>, gathered: bool) -> String {
    match (n, gathered) {
        (_, false) => String::new(),
        (Some(n), true) => n.to_string(),
        (None, true) => "unknown".into(),
    }
}

#[component]
fn LiveRow(h: LiveHost, now: i64) -> impl IntoView {
    let gathered = h.gathered_at.is_some();
    let when = match h.gathered_at {
        Some(at) => view! { <Age at now/> }.into_any(),
        None => view! { <span class="muted">"never"</span> }.into_any(),
    };
    let sockets = count(h.sockets, gathered);
    let units = count(h.units, gathered);
    let nginx = match (gathered, h.nginx) {
        (false, _) => "",
        (true, true) => "read",
        (true, false) => "—",
    };
    let host_href = format!("/hosts/{}", h.name);
    let action = if h.reachable {
        let href = format!("/jobs/new?targets={}", h.name);
        view! { <a href=href>"Gather facts"</a> }.into_any()
    } else {
        view! { <a href=host_href.clone()>"Choose an SSH identity"</a> }.into_any()
    };
    view! {
        <tr data-host=h.name.clone()>
            <th scope="row"><a href=host_href>{h.name.clone()}</a></th>
            <td>{when}</td>
            <td class="num">{sockets}</td>
            <td class="num">{units}</td>
            <td>{nginx}</td>
            <td>{action}</td>
        </tr>
    }
}
