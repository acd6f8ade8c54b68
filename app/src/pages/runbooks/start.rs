//! Starting a run: a form made from the runbook's parameters. Values come from a failed
//! plain-form post, else the query string (`?host=hermes&plan=Start1-XS`), else defaults.
use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::use_slug;
use crate::api::runbooks::{get_start_form, StartForm, StartRun as StartRunAction};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::markdown::Markdown;
use crate::model::runbook::{Param, ParamKind};

#[component]
pub fn StartRun() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let action = ServerAction::<StartRunAction>::new();
    let data = Resource::new(move || slug.get(), get_start_form);
    view! {
        {move || view! { <Title text=format!("Start {}", slug.get())/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(StartForm { runbook, options, values, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let prefill: BTreeMap<String, String> = query.with_untracked(|q| {
                            runbook.params.iter().filter_map(|p| q.get(&p.name).map(|v| (p.name.clone(), v))).collect()
                        });
                        let values = values.unwrap_or(prefill);
                        let label = format!("Start {}", runbook.title);
                        let back = format!("/runbooks/{}", runbook.slug);
                        view! {
                            <header class="page-header"><h1>{label.clone()}</h1></header>
                            <div class="summary"><Markdown text=runbook.summary.clone()/></div>
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="slug" value=runbook.slug.clone()/>
                                {runbook.params.iter().cloned().map(|p| {
                                    let value = values.get(&p.name).cloned().or_else(|| p.default.clone()).unwrap_or_default();
                                    let offered = options.get(&p.name).cloned().unwrap_or_default();
                                    view! { <ParamField p value offered error/> }
                                }).collect_view()}
                                <div class="form-actions">
                                    <button type="submit" class="primary">{label}</button>
                                    <a href=back>"Cancel"</a>
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One parameter's input: a chooser for what the inventory holds, else a text field.
#[component]
fn ParamField(p: Param, value: String, offered: Vec<String>, error: FormError) -> impl IntoView {
    let field = p.name.clone();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(&field)));
    let id = format!("param-{}", p.name);
    let name = format!("values[{}]", p.name);
    let error_id = format!("{id}-error");
    let choices = match p.kind {
        ParamKind::Choice => Some(p.choices.clone()),
        ParamKind::Host | ParamKind::Role | ParamKind::Bucket | ParamKind::Secret => Some(offered),
        _ => None,
    };
    let input = match choices {
        Some(mut choices) => {
            // A value the inventory no longer holds stays visible, so its error makes sense.
            if !value.is_empty() && !choices.contains(&value) {
                choices.insert(0, value.clone());
            }
            let blank = (!p.required || value.is_empty()).then(|| view! { <option value="">"—"</option> });
            view! {
                <select id=id.clone() name=name aria-describedby=error_id.clone()>
                    {blank}
                    {choices.into_iter().map(|c| {
                        let selected = c == value;
                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        None => {
            let numeric = p.kind == ParamKind::Number;
            view! {
                <input id=id.clone() name=name type="text" value=value class:mono=!numeric
                    inputmode=numeric.then_some("numeric") aria-describedby=error_id.clone()
                    aria-invalid=move || message.get().map(|_| "true")/>
            }
            .into_any()
        }
    };
    let bounds = match (p.min, p.max) {
        (Some(a), Some(b)) => format!(" ({a} to {b})"),
        (Some(a), None) => format!(" (at least {a})"),
        (None, Some(b)) => format!(" (at most {b})"),
        _ => String::new(),
    };
    let help = format!("{}{}", p.help, bounds);
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id>{p.label.clone()}{(!p.required).then_some(" (optional)")}</label>
            {input}
            {(!help.trim().is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}
