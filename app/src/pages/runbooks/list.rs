//! The runbooks list, and importing a runbook file.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::runbooks::{get_runbooks, ImportRunbook, RunbookItem};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::layout::IfRole;
use crate::domain::url::encode_component;
use crate::model::user::Role;

#[component]
pub fn RunbookList() -> impl IntoView {
    let query = use_query_map();
    let needle = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let import = ServerAction::<ImportRunbook>::new();
    let data = Resource::new(|| (), |_| get_runbooks());
    view! {
        <Title text="Runbooks"/>
        <header class="page-header">
            <h1>"Runbooks"</h1>
            <div class="actions"><a class="button" href="/runs">"Runs"</a></div>
        </header>
        <form method="get" action="" class="filter" role="search">
            <label for="filter">"Filter"</label>
            <input id="filter" type="search" name="q" value=move || needle.get() placeholder="title or slug…"/>
            <button type="submit">"Filter"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let error = form_error(move || import.value().get(), page.error);
                        let q = needle.get_untracked().to_lowercase();
                        let items: Vec<RunbookItem> = page
                            .items
                            .into_iter()
                            .filter(|r| q.is_empty() || r.title.to_lowercase().contains(&q) || r.slug.contains(&q))
                            .collect();
                        view! {
                            <RunbookTable items/>
                            <IfRole role=Role::Admin>
                                <ImportForm import source=page.import.clone() error/>
                            </IfRole>
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
fn RunbookTable(items: Vec<RunbookItem>) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <p class="empty">"No runbooks yet — import a runbook file below, or load the built-ins with " <code>"owlery demo"</code> "."</p>
        }
        .into_any();
    }
    let count = items.len();
    view! {
        <p class="count" role="status">{format!("{count} runbook{}", if count == 1 { "" } else { "s" })}</p>
        <div class="table-wrap">
            <table class="data runbooks">
                <thead><tr><th>"Title"</th><th>"Slug"</th><th>"Summary"</th><th></th></tr></thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let href = format!("/runbooks/{}", encode_component(&r.slug));
                        let start = format!("{href}/start");
                        view! {
                            <tr data-slug=r.slug.clone()>
                                <td>
                                    <a href=href>{r.title}</a>
                                    {r.builtin.then(|| view! { " " <span class="badge muted">"built in"</span> })}
                                </td>
                                <td class="mono">{r.slug.clone()}</td>
                                <td class="summary">{r.summary}</td>
                                <td><IfRole role=Role::Operator><a class="button small" href=start.clone()>"Start"</a></IfRole></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ImportForm(import: ServerAction<ImportRunbook>, source: String, error: FormError) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("source"));
    view! {
        <section class="card wide">
            <h2>"Import a runbook"</h2>
            <ActionForm action=import attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <div class="field wide" class:invalid=move || message().is_some()>
                    <label for="import-source">"Runbook file (TOML)"</label>
                    <textarea id="import-source" name="source" rows="12" class="mono"
                        aria-invalid=move || message().map(|_| "true") aria-describedby="import-source-error">
                        {source}
                    </textarea>
                    <p class="help">"Paste a runbook file; docs/RUNBOOKS.md describes the format. Problems are reported by line."</p>
                    <p class="field-error lines" id="import-source-error">{message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">"Import runbook"</button>
                </div>
            </ActionForm>
        </section>
    }
}
