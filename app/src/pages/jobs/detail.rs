//! One job: what ran where, each host's outcome, and the log, live while it runs.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::log::{JobLog, LiveJob};
use super::{bytes, duration, host_icon, job_icon};
use crate::api::jobs::{get_job, CancelJob};
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::domain::url::encode_component;
use crate::model::job::{JobHost, JobPage, JobState};
use crate::model::user::Role;
use crate::model::AppError;

#[component]
pub fn JobDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let query = use_query_map();
    let page = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_job(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let cancel = ServerAction::<CancelJob>::new();
    let tab = move || query.with_untracked(|q| q.get("host").filter(|h| !h.is_empty()));
    view! {
        {move || view! { <Title text=id.get().map_or_else(|| "Job".to_owned(), |id| format!("Job {id}"))/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let needle = query.with_untracked(|q| q.get("q").unwrap_or_default());
                        let (id, running) = (page.summary.id, page.summary.state == JobState::Running);
                        view! {
                            <JobLive page tab=tab() needle>
                                <IfRole role=Role::Operator>
                                    {running.then(|| view! {
                                        <ActionForm action=cancel attr:class="inline">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="danger">"Cancel job"</button>
                                        </ActionForm>
                                    })}
                                </IfRole>
                            </JobLive>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The live part of a job page: its state, its hosts and its log follow the job's event
/// stream while it runs. `children` is the Cancel button, shown while the job runs.
#[island]
fn JobLive(page: JobPage, tab: Option<String>, needle: String, children: Children) -> impl IntoView {
    let JobPage {
        summary,
        command,
        parallelism,
        timeout_secs,
        hosts,
        output,
        now,
    } = page;
    let id = summary.id;
    let live = LiveJob::follow(id, &output, hosts, summary.state);
    let (log, hosts, state, running) = (live.log, live.hosts, live.state, live.running());
    let took = summary
        .finished_at
        .map(|end| format!(" · took {}", duration(end - summary.created_at)));
    view! {
        <header class="page-header">
            <h1>{summary.title}</h1>
            <span class=move || format!("badge job-state {}", state.get().as_str())>
                {move || format!("{} {}", job_icon(state.get()), state.get().as_str())}
            </span>
            <div class="actions" hidden=move || !running.get()>{children()}</div>
        </header>
        <p class="job-meta">
            "Started by " <strong>{summary.created_by}</strong> " " <Age at=summary.created_at now/>
            {took}
            {format!(" · {parallelism} at a time · timeout {}", duration(timeout_secs))}
        </p>
        <div class="sections">
            <section class="card wide">
                <h2>"Command"</h2>
                <pre class="command">{command}</pre>
            </section>
            <section class="card wide">
                <h2>"Hosts"</h2>
                <div class="table-wrap">
                    <table class="data job-hosts">
                        <thead>
                            <tr>
                                <th>"Host"</th><th>"State"</th><th>"Exit"</th><th>"Detail"</th>
                                <th>"Started"</th><th>"Ended"</th><th>"Output"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || hosts.get().into_iter().map(|h| view! { <HostRow h now/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <JobLog id log hosts tab needle running/>
        </div>
    }
}

#[component]
fn HostRow(h: JobHost, now: i64) -> impl IntoView {
    let href = format!("/hosts/{}", encode_component(&h.host));
    let when = move |at: Option<i64>| match at {
        Some(at) => view! { <Age at now/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    view! {
        <tr data-host=h.host.clone() data-state=h.state.as_str()>
            <td><a href=href>{h.host.clone()}</a></td>
            <td>
                <span class=format!("badge host-state {}", h.state.as_str())>
                    {format!("{} {}", host_icon(h.state), h.state.label())}
                </span>
            </td>
            <td class="num">{h.exit_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td class="detail">{h.detail}</td>
            <td>{when(h.started_at)}</td>
            <td>{when(h.ended_at)}</td>
            <td class="num">
                {bytes(h.output_bytes)}
                {h.truncated.then(|| view! {
                    " " <span class="badge warn" title="Output beyond the limit was not kept">"truncated"</span>
                })}
            </td>
        </tr>
    }
}
