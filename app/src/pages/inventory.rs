//! Import / export: the whole inventory as one TOML file, and imports shown as a diff
//! before they are applied.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::inventory::{
    get_import, get_inventory, ApplyImport, DiscardImport, InventoryData, PreviewImport,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::model::inventory::{ImportPreview, ObjectChange, Op};
use crate::model::user::Role;

#[component]
pub fn Inventory() -> impl IntoView {
    let action = ServerAction::<PreviewImport>::new();
    let data = Resource::new(|| (), |_| get_inventory());
    let query = use_query_map();
    let applied = move || query.with(|q| q.get("applied"));
    view! {
        <Title text="Import / export"/>
        <header class="page-header"><h1>"Import / export"</h1></header>
        {move || {
            applied()
                .map(|n| {
                    view! {
                        <p class="notice" role="status">
                            {format!("Import applied: {n} change(s). Each one is in the change log.")}
                        </p>
                    }
                })
        }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(InventoryData { page, input, error: carried }) => {
                        let error = form_error(move || action.value().get(), carried);
                        let counts = page
                            .objects
                            .iter()
                            .map(|(kind, n)| view! { <li>{format!("{n} {kind}")}</li> })
                            .collect_view();
                        let now = page.now;
                        let pending = page.pending;
                        let pending_list = move || {
                            pending
                                .iter()
                                .map(|(id, by, at)| {
                                    view! {
                                        <li>
                                            <a href=format!("/inventory/imports/{id}")>{format!("Import #{id}")}</a>
                                            " by " {by.clone()} ", " <Age at=*at now/>
                                        </li>
                                    }
                                })
                                .collect_view()
                        };
                        let document = input.document;
                        let remove_unlisted = input.remove_unlisted.is_some();
                        view! {
                            <div class="cards">
                                <section class="card">
                                    <h2>"Export"</h2>
                                    <p>
                                        "One TOML file with every object of the inventory. Secrets are not in it, \
                                         only the names the secret store keeps them under."
                                    </p>
                                    <ul>{counts}</ul>
                                    <a class="button" href="/inventory/export.toml" download="owlery-inventory.toml">
                                        "Export inventory"
                                    </a>
                                </section>
                                <IfRole role=Role::Admin>
                                    <section class="card">
                                        <h2>"Imports waiting for confirmation"</h2>
                                        <ul>{pending_list.clone()}</ul>
                                    </section>
                                </IfRole>
                            </div>
                            <IfRole role=Role::Admin>
                                <section class="card wide">
                                    <h2>"Import"</h2>
                                    <p>
                                        "You see every change first; nothing is written until you apply them, \
                                         all in one transaction."
                                    </p>
                                    <ImportForm action error document=document.clone() remove_unlisted/>
                                </section>
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

/// The import form: the file's problems are listed under it, each with its line.
#[component]
fn ImportForm(
    action: ServerAction<PreviewImport>,
    error: FormError,
    document: String,
    remove_unlisted: bool,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("document"));
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <div class="field wide" class:invalid=move || message().is_some()>
                <label for="import-document">"Inventory file (TOML)"</label>
                <textarea id="import-document" name="import[document]" rows="16"
                    class="mono" spellcheck="false"
                    aria-invalid=move || message().map(|_| "true")
                    aria-describedby="import-document-error">
                    {document}
                </textarea>
                <p class="help">"Paste the content of an exported file."</p>
                <p class="field-error pre-line" id="import-document-error">{message}</p>
            </div>
            <div class="field wide">
                <label>
                    <input type="checkbox" name="import[remove_unlisted]" value="on" checked=remove_unlisted/>
                    " The file is the whole inventory: remove what it does not list"
                </label>
                <p class="help">"Unticked, the file only adds and changes objects."</p>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary">
                    "Preview import"
                </button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)));
    let apply = ServerAction::<ApplyImport>::new();
    let discard = ServerAction::<DiscardImport>::new();
    let data = Resource::new(move || id.get(), get_import);
    view! {
        {move || view! { <Title text=format!("Import #{}", id.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((preview, carried)) => {
                        let error = form_error(move || apply.value().get(), carried);
                        preview_view(preview, error, apply, discard).into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn preview_view(
    p: ImportPreview,
    error: FormError,
    apply: ServerAction<ApplyImport>,
    discard: ServerAction<DiscardImport>,
) -> impl IntoView {
    let summary = format!(
        "{} added, {} changed, {} removed",
        p.count(Op::Add),
        p.count(Op::Change),
        p.count(Op::Remove)
    );
    let total = p.changes.len();
    let rows = p.changes.into_iter().map(change_row).collect_view();
    view! {
        <header class="page-header">
            <h1>{format!("Import #{}", p.id)}</h1>
            <p class="subtitle">"Previewed by " {p.created_by} ", " <Age at=p.created_at now=p.now/></p>
        </header>
        <p class="import-summary">{summary}</p>
        <p class="help">
            {if p.removes_unlisted {
                "The file is taken as the whole inventory: objects it does not list are removed."
            } else {
                "Objects the file does not list are kept."
            }}
        </p>
        {(total == 0).then(|| view! { <p>"The file matches the inventory: there is nothing to apply."</p> })}
        <table class="data import-diff">
            <thead><tr><th>"Change"</th><th>"Object"</th><th>"Fields"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="form-actions">
            <ActionForm action=apply attr:class="inline">
                <FormMessage error/>
                <input type="hidden" name="id" value=p.id/>
                <button type="submit" class="primary" disabled=total == 0>
                    {format!("Apply {total} change(s)")}
                </button>
            </ActionForm>
            <ActionForm action=discard attr:class="inline">
                <input type="hidden" name="id" value=p.id/>
                <button type="submit">"Discard"</button>
            </ActionForm>
            <a href="/inventory">"Back"</a>
        </div>
    }
}

fn change_row(c: ObjectChange) -> impl IntoView {
    let fields = c
        .fields
        .into_iter()
        .map(|(field, before, after)| {
            let arrow = (!before.is_empty() && !after.is_empty()).then_some(" → ");
            view! {
                <li>
                    <code>{field}</code> ": "
                    {(!before.is_empty()).then(|| view! { <del>{before}</del> })}
                    {arrow}
                    {(!after.is_empty()).then(|| view! { <ins>{after}</ins> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <tr class=format!("op-{}", c.op.label())>
            <td><span class="badge">{c.op.label()}</span></td>
            <td>{c.kind} " " <strong>{c.name}</strong></td>
            <td><ul class="fields">{fields}</ul></td>
        </tr>
    }
}
