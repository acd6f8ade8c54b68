//! Runs, newest first: the active ones on top, each with its progress.
use leptos::prelude::*;
use leptos_meta::Title;

use super::Progress;
use crate::api::runbooks::list_runs;
use crate::components::error::ErrorBox;
use crate::components::time::Age;
use crate::domain::url::encode_component;

#[component]
pub fn RunList() -> impl IntoView {
    let runs = Resource::new(|| (), |_| list_runs());
    view! {
        <Title text="Runs"/>
        <header class="page-header">
            <h1>"Runs"</h1>
            <div class="actions"><a class="button" href="/runbooks">"Runbooks"</a></div>
        </header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match runs.await {
                    Ok((list, _)) if list.is_empty() => view! {
                        <p class="empty">"No runs yet — " <a href="/runbooks">"start one from a runbook"</a> "."</p>
                    }.into_any(),
                    Ok((list, now)) => {
                        view! {
                            <p class="count" role="status">{format!("{} run{}", list.len(), if list.len() == 1 { "" } else { "s" })}</p>
                            <div class="table-wrap">
                                <table class="data runs">
                                    <thead><tr><th>"Run"</th><th>"Runbook"</th><th>"Progress"</th><th>"Started by"</th><th>"Started"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|r| view! {
                                            <tr data-run=r.id>
                                                <td><a href=format!("/runs/{}", r.id)>{format!("Run {}", r.id)}</a></td>
                                                <td><a href=format!("/runbooks/{}", encode_component(&r.runbook))>{r.title.clone()}</a></td>
                                                <td><Progress summary=r.clone()/></td>
                                                <td>{r.started_by.clone()}</td>
                                                <td><Age at=r.created_at now/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
