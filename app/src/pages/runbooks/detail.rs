//! One runbook: its parameters and steps, export, copy, and (for editable ones) its
//! TOML file in an editor with problems reported by line.
use leptos::prelude::*;
use leptos_meta::Title;

use super::step::{KindBadge, StepText};
use super::{use_slug, Progress};
use crate::api::runbooks::{get_runbook, CopyRunbook, RunbookPage, UpdateRunbook};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::layout::IfRole;
use crate::components::markdown::Markdown;
use crate::components::time::Age;
use crate::domain::url::encode_component;
use crate::model::runbook::Param;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn RunbookDetail() -> impl IntoView {
    let slug = use_slug();
    let page = Resource::new(move || slug.get(), get_runbook);
    let save = ServerAction::<UpdateRunbook>::new();
    let copy = ServerAction::<CopyRunbook>::new();
    view! {
        {move || view! { <Title text=slug.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <RunbookView page save copy/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RunbookView(
    page: RunbookPage,
    save: ServerAction<UpdateRunbook>,
    copy: ServerAction<CopyRunbook>,
) -> impl IntoView {
    let RunbookPage {
        runbook: r,
        version,
        source,
        runs,
        history,
        error,
        now,
    } = page;
    let base = format!("/runbooks/{}", encode_component(&r.slug));
    let edit_error = form_error(move || save.value().get(), error);
    let copy_error = form_error(move || copy.value().get(), None);
    let slug = r.slug.clone();
    let copy_slug = r.slug.clone();
    let delete_href = format!("{base}/delete");
    let start_href = format!("{base}/start");
    let export_href = format!("{base}/export.toml");
    let builtin = r.builtin;
    view! {
        <header class="page-header">
            <h1>{r.title.clone()}</h1>
            {builtin.then(|| view! { <span class="badge muted">"built in"</span> })}
            <div class="actions">
                <IfRole role=Role::Operator>
                    <a class="button primary" href=start_href.clone()>"Start a run"</a>
                </IfRole>
                <a class="button" href=export_href rel="external" download="">"Export TOML"</a>
                <IfRole role=Role::Admin>
                    {
                        let slug = copy_slug.clone();
                        view! {
                            <ActionForm action=copy attr:class="inline">
                                <input type="hidden" name="slug" value=slug/>
                                <button type="submit">"Copy"</button>
                            </ActionForm>
                        }
                    }
                    {(!builtin).then(|| view! { <a class="button danger" href=delete_href.clone()>"Delete"</a> })}
                </IfRole>
            </div>
        </header>
        <FormMessage error=copy_error/>
        <div class="summary"><Markdown text=r.summary.clone()/></div>
        <div class="sections">
            <section class="card wide">
                <h2>"Parameters"</h2>
                <ParamTable params=r.params.clone()/>
            </section>
            <section class="card wide">
                <h2>"Steps"</h2>
                <ol class="runbook-steps">
                    {r.steps.into_iter().map(|s| view! {
                        <li id=format!("step-{}", s.id) data-step=s.id.clone()>
                            <h3>{s.title.clone()} " " <KindBadge kind=s.kind/></h3>
                            {(!s.on.is_empty()).then(|| view! { <p class="help">"Runs on: " {s.on.join(", ")}</p> })}
                            {(!s.script.is_empty()).then(|| view! { <pre class="command">{s.script.clone()}</pre> })}
                            <StepText step=s.clone()/>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <section class="card wide">
                <h2>"Runs"</h2>
                {if runs.is_empty() {
                    view! { <p class="empty">"Not run yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="run-list">
                            {runs.into_iter().map(|run| view! {
                                <li>
                                    <a href=format!("/runs/{}", run.id)>{format!("Run {}", run.id)}</a>
                                    " by " {run.started_by.clone()} " " <Age at=run.created_at now/> " · "
                                    <Progress summary=run/>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            {(!builtin).then(|| view! {
                <IfRole role=Role::Admin>
                    <EditForm save original=slug.clone() source=source.clone() version error=edit_error/>
                </IfRole>
            })}
            <section class="card wide">
                <h2>"Change history"</h2>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}

#[component]
fn ParamTable(params: Vec<Param>) -> impl IntoView {
    if params.is_empty() {
        return view! { <p class="empty">"No parameters."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"Name"</th><th>"Label"</th><th>"Kind"</th><th>"Default"</th><th>"Help"</th></tr></thead>
                <tbody>
                    {params.into_iter().map(|p| view! {
                        <tr>
                            <td class="mono">{p.name}</td>
                            <td>{p.label}{(!p.required).then_some(" (optional)")}</td>
                            <td>{p.kind.as_str()}</td>
                            <td class="mono">{p.default.unwrap_or_default()}</td>
                            <td>{p.help}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn EditForm(
    save: ServerAction<UpdateRunbook>,
    original: String,
    source: String,
    version: i64,
    error: FormError,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("source"));
    view! {
        <section class="card wide">
            <h2>"Edit the runbook file"</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="original" value=original/>
                <input type="hidden" name="version" value=version/>
                <div class="field wide" class:invalid=move || message().is_some()>
                    <label for="edit-source">"Runbook file (TOML)"</label>
                    <textarea id="edit-source" name="source" rows="24" class="mono"
                        aria-invalid=move || message().map(|_| "true") aria-describedby="edit-source-error">
                        {source}
                    </textarea>
                    <p class="field-error lines" id="edit-source-error">{message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">"Save runbook"</button>
                </div>
            </ActionForm>
        </section>
    }
}
