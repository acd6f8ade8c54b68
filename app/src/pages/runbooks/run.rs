//! One run: a progress bar and the step list, each step with why it exists, its exact
//! command before it runs, its buttons, and the current step's live log. Every viewer
//! sees others' actions: the page polls a version number every 2 s while the run is
//! active and reloads its data when it moved (the log itself streams over SSE).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::step::{KindBadge, StepText};
use super::Progress;
use crate::api::runbooks::{get_run, get_run_version, ActOnStep};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::layout::IfRole;
use crate::components::nav;
use crate::components::time::Age;
use crate::domain::url::encode_component;
use crate::model::job::JobPage;
use crate::model::runbook::StepKind;
use crate::model::runbook_run::{RunPage, RunStep, StepState};
use crate::model::user::Role;
use crate::model::AppError;
use crate::pages::jobs::log::{JobLog, LiveJob};

#[component]
pub fn RunDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let page = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_run(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let act = ServerAction::<ActOnStep>::new();
    view! {
        {move || view! { <Title text=id.get().map_or_else(|| "Run".to_owned(), |id| format!("Run {id}"))/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((page, carried)) => {
                        let error = form_error(move || act.value().get(), carried);
                        let (run, version, done) = (page.summary.id, page.summary.version, page.summary.done);
                        view! {
                            {(!done).then(|| view! { <RunWatch run version/> })}
                            <RunView page act error/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// In the browser, while the run is active: every 2 s asks for the run's version and,
/// when it moved (someone acted, a job ended), has nav.js fetch the page again.
#[island]
fn RunWatch(run: i64, version: i64) -> impl IntoView {
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if get_run_version(run).await.is_ok_and(|now| now != version) {
                        nav::refresh();
                    }
                });
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            nav::on_leave(move || handle.clear());
        }
    });
}

#[component]
fn RunView(page: RunPage, act: ServerAction<ActOnStep>, error: FormError) -> impl IntoView {
    let RunPage {
        summary,
        params,
        steps,
        job,
        viewer_started,
        now,
    } = page;
    let run = summary.id;
    let running = steps.iter().any(|s| s.state == StepState::Running);
    let runbook_href = format!("/runbooks/{}", encode_component(&summary.runbook));
    view! {
        <header class="page-header">
            <h1>{summary.title.clone()}</h1>
            <span class=format!("badge run-state {}", if summary.done { "done" } else { "active" })>
                {if summary.done { "✓ done" } else { "◌ in progress" }}
            </span>
            <div class="actions"><a class="button" href=runbook_href>"Runbook"</a></div>
        </header>
        <p class="job-meta">
            {format!("Run {run} · started by ")} <strong>{summary.started_by.clone()}</strong> " " <Age at=summary.created_at now/>
            {running.then(|| view! { " · " <a href="" class="refresh">"Refresh"</a> })}
        </p>
        <Progress summary=summary.clone()/>
        <FormMessage error/>
        <div class="sections">
            <section class="card wide">
                <h2>"Parameters"</h2>
                <dl class="mono-values">
                    {params.into_iter().map(|(p, v)| view! {
                        <dt>{p.label}</dt><dd data-param=p.name>{if v.is_empty() { "—".to_owned() } else { v }}</dd>
                    }).collect_view()}
                </dl>
            </section>
            <section class="card wide">
                <h2>"Steps"</h2>
                <ol class="run-steps">
                    {steps.into_iter().map(|s| {
                        let log = job.clone().filter(|_| s.current);
                        view! { <StepItem run s log act viewer_started now/> }
                    }).collect_view()}
                </ol>
            </section>
        </div>
    }
}

#[component]
fn StepItem(
    run: i64,
    s: RunStep,
    log: Option<JobPage>,
    act: ServerAction<ActOnStep>,
    viewer_started: bool,
    now: i64,
) -> impl IntoView {
    let who = s.actor.clone().map(|a| match s.state {
        StepState::Approved => format!("approved by {a}"),
        StepState::Running => format!("started by {a}"),
        _ => format!("by {a}"),
    });
    let job_link = s
        .job_id
        .map(|j| view! { " · " <a href=format!("/jobs/{j}")>{format!("job {j}")}</a> });
    let attempts = (s.attempts > 1).then(|| format!(" · attempt {}", s.attempts));
    view! {
        <li id=format!("step-{}", s.step.id) class=format!("run-step {}", s.state.as_str()) class:current=s.current
            data-step=s.step.id.clone() data-state=s.state.as_str()>
            <h3>
                <span class=format!("badge step-state {}", s.state.as_str())>
                    {format!("{} {}", s.state.icon(), s.state.as_str())}
                </span>
                " " {s.step.title.clone()} " " <KindBadge kind=s.step.kind/>
            </h3>
            <p class="step-meta">
                {who} {s.acted_at.map(|at| view! { " " <Age at now/> })} {job_link} {attempts}
            </p>
            {(!s.reason.is_empty()).then(|| view! { <p class="step-reason">{s.reason.clone()}</p> })}
            <StepText step=s.step.clone() base=format!("/runs/{run}/")/>
            <Commands s=s.clone()/>
            <Actions run s=s.clone() act viewer_started/>
            {log.map(|page| view! { <StepLog page/> })}
        </li>
    }
}

/// The exact command per host, as it will run (or ran).
#[component]
fn Commands(s: RunStep) -> impl IntoView {
    if !s.step.kind.runs_script() {
        return ().into_any();
    }
    if let Some(problem) = s.command_error {
        return view! { <p class="form-message" role="alert">"⚠ " {problem}</p> }.into_any();
    }
    view! {
        <div class="step-commands">
            {s.commands.into_iter().map(|(host, command)| view! {
                <p class="help">"On " <strong>{host.clone()}</strong> ":"</p>
                <pre class="command" data-host=host>{command}</pre>
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn Actions(run: i64, s: RunStep, act: ServerAction<ActOnStep>, viewer_started: bool) -> impl IntoView {
    if s.state.is_settled() {
        return ().into_any();
    }
    if !s.current {
        return view! { <p class="help waiting">"Waits until every earlier step passed or was skipped."</p> }
            .into_any();
    }
    let open = matches!(s.state, StepState::Pending | StepState::Failed);
    let id = s.step.id.clone();
    let hosts: Vec<String> = s.commands.iter().map(|(h, _)| h.clone()).collect();
    let primary = match (s.step.kind, s.state) {
        (StepKind::Command | StepKind::Check, StepState::Failed) => {
            Some(("run", format!("Retry on {}", hosts.join(", "))))
        }
        (StepKind::Command | StepKind::Check, StepState::Pending) => {
            Some(("run", format!("Run on {}", hosts.join(", "))))
        }
        (StepKind::Manual, StepState::Pending) => Some(("done", "Mark done".to_owned())),
        (StepKind::Approval, StepState::Pending) => Some(("approve", "Approve".to_owned())),
        _ => None,
    };
    let refuse_own = s.step.kind == StepKind::Approval && viewer_started;
    let skippable = open && s.step.kind != StepKind::Approval;
    let skip_id = id.clone();
    view! {
        <IfRole role=Role::Operator>
            <div class="step-actions">
                {primary.clone().map(|(action, label)| {
                    let id = id.clone();
                    view! {
                    <ActionForm action=act attr:class="inline">
                        <input type="hidden" name="run" value=run/>
                        <input type="hidden" name="step" value=id/>
                        <input type="hidden" name="action" value=action/>
                        <button type="submit" class="primary" disabled=refuse_own>{label}</button>
                    </ActionForm>
                    }
                })}
                {refuse_own.then(|| view! {
                    <p class="help own-approval">"You started this run, so another co-admin must approve this step."</p>
                })}
                {skippable.then(|| {
                    let skip_id = skip_id.clone();
                    view! {
                    <ActionForm action=act attr:class="inline skip">
                        <input type="hidden" name="run" value=run/>
                        <input type="hidden" name="step" value=skip_id.clone()/>
                        <input type="hidden" name="action" value="skip"/>
                        <label for=format!("skip-{skip_id}") class="visually-hidden">"Reason for skipping"</label>
                        <input id=format!("skip-{skip_id}") type="text" name="reason" placeholder="Why skip it?"/>
                        <button type="submit">"Skip with reason"</button>
                    </ActionForm>
                    }
                })}
            </div>
        </IfRole>
    }
    .into_any()
}

/// The current step's job log, live while it runs (the jobs page's log view).
#[island]
fn StepLog(page: JobPage) -> impl IntoView {
    let id = page.summary.id;
    let live = LiveJob::follow(id, &page.output, page.hosts, page.summary.state);
    let (log, hosts, running) = (live.log, live.hosts, live.running());
    view! { <JobLog id log hosts tab=None needle=String::new() running/> }
}
