//! The jobs history: newest first, filtered by state and host, paged by job id.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{duration, job_icon};
use crate::api::jobs::list_jobs;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::domain::time::utc;
use crate::domain::url::encode_component;
use crate::model::job::{JobState, JobSummary};
use crate::model::user::Role;

/// Jobs per page, as the server lists them: a full page means there may be older ones.
const PAGE_SIZE: usize = 50;
/// Hosts named in a row before the rest are counted.
const SHOWN_HOSTS: usize = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct JobQuery {
    state: String,
    host: String,
    before: Option<i64>,
}

impl JobQuery {
    fn is_filtered(&self) -> bool {
        !self.state.is_empty() || !self.host.is_empty()
    }

    /// `/jobs` with the filters and the given page parameter.
    fn link(&self, before: Option<i64>) -> String {
        let mut params = Vec::new();
        if !self.state.is_empty() {
            params.push(format!("state={}", encode_component(&self.state)));
        }
        if !self.host.is_empty() {
            params.push(format!("host={}", encode_component(&self.host)));
        }
        if let Some(id) = before {
            params.push(format!("before={id}"));
        }
        match params.is_empty() {
            true => "/jobs".to_owned(),
            false => format!("/jobs?{}", params.join("&")),
        }
    }
}

#[component]
pub fn JobList() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| JobQuery {
            state: q.get("state").unwrap_or_default(),
            host: q.get("host").unwrap_or_default(),
            before: q.get("before").and_then(|b| b.trim().parse().ok()),
        })
    });
    let jobs = Resource::new(
        move || query.get(),
        |q| {
            let some = |s: String| (!s.is_empty()).then_some(s);
            list_jobs(some(q.state), some(q.host), q.before)
        },
    );
    let state_options = move || {
        let current = query.with(|q| q.state.clone());
        JobState::ALL
            .into_iter()
            .map(|s| view! { <option value=s.as_str() selected=current == s.as_str()>{s.as_str()}</option> })
            .collect_view()
    };
    view! {
        <Title text="Jobs"/>
        <header class="page-header">
            <h1>"Jobs"</h1>
            <IfRole role=Role::Operator>
                <a class="button primary" href="/jobs/new">"New job"</a>
            </IfRole>
        </header>
        <Form method="GET" action="" attr:class="filter" attr:role="search">
            <label for="jobs-state">"State"</label>
            <select id="jobs-state" name="state">
                <option value="" selected=move || query.with(|q| q.state.is_empty())>"any"</option>
                {state_options}
            </select>
            <label for="jobs-host">"Host"</label>
            <input id="jobs-host" type="search" name="host" placeholder="host name"
                value=move || query.with(|q| q.host.clone()) prop:value=move || query.with(|q| q.host.clone())/>
            <button type="submit">"Filter"</button>
            {move || query.with(JobQuery::is_filtered).then(|| view! { <a href="/jobs">"Clear"</a> })}
        </Form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) => view! { <JobTable jobs=list query=query.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobTable(jobs: Vec<JobSummary>, query: JobQuery) -> impl IntoView {
    let older = (jobs.len() >= PAGE_SIZE)
        .then(|| jobs.last().map(|j| j.id))
        .flatten();
    let pager = (query.before.is_some() || older.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {query.before.is_some().then(|| view! { <a href=query.link(None)>"⇤ Newest"</a> })}
                {older.map(|id| view! { <a rel="next" href=query.link(Some(id))>"Older →"</a> })}
            </nav>
        }
    });
    if jobs.is_empty() {
        let text = if query.is_filtered() {
            view! { "No job matches these filters. " <a href="/jobs">"Clear the filters"</a> }.into_any()
        } else if query.before.is_some() {
            view! { "No older jobs. " <a href="/jobs">"Back to the newest"</a> }.into_any()
        } else {
            view! {
                "No jobs yet. Start one from " <a href="/jobs/new">"New job"</a>
                " or from a host's page: gather facts, read a journal, restart a service."
            }
            .into_any()
        };
        return view! { <p class="empty">{text}</p> {pager} }.into_any();
    }
    let count = jobs.len();
    view! {
        <p class="count" role="status">
            {format!("{count} job{}, newest first", if count == 1 { "" } else { "s" })}
        </p>
        <div class="table-wrap">
            <table class="data jobs">
                <thead>
                    <tr>
                        <th>"Job"</th><th>"State"</th><th>"Hosts"</th><th>"By"</th>
                        <th>"Started (UTC)"</th><th>"Duration"</th>
                    </tr>
                </thead>
                <tbody>{jobs.into_iter().map(|job| view! { <JobRow job/> }).collect_view()}</tbody>
            </table>
        </div>
        {pager}
    }
    .into_any()
}

#[component]
fn JobRow(job: JobSummary) -> impl IntoView {
    let hosts = match job.hosts.len() {
        n if n > SHOWN_HOSTS => format!("{} +{}", job.hosts[..SHOWN_HOSTS].join(", "), n - SHOWN_HOSTS),
        _ => job.hosts.join(", "),
    };
    let took = match job.finished_at {
        Some(end) => duration(end - job.created_at),
        None => "—".into(),
    };
    view! {
        <tr data-job=job.id>
            <td><a href=format!("/jobs/{}", job.id)>{format!("#{} ", job.id)}{job.title}</a></td>
            <td>
                <span class=format!("badge job-state {}", job.state.as_str())>
                    {format!("{} {}", job_icon(job.state), job.state.as_str())}
                </span>
            </td>
            <td title=job.hosts.join(", ")>{hosts}</td>
            <td>{job.created_by}</td>
            <td><time>{utc(job.created_at).trim_end_matches(" UTC").to_owned()}</time></td>
            <td class="num">{took}</td>
        </tr>
    }
}
