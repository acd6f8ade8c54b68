//! The audit page: the whole change log, filtered, paged by entry id, exportable as CSV.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::audit::{list_audit, AuditPage};
use crate::components::error::{set_status, ErrorBox};
use crate::components::time::Age;
use crate::model::audit::{AuditEntry, AuditQuery};
use crate::model::{AppError, FieldErrors};

/// More field changes than this are folded away under a summary.
const SHOWN_CHANGES: usize = 3;

#[component]
pub fn AuditLog() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| {
            let text = |key: &str| q.get(key).unwrap_or_default();
            let id = |key: &str| q.get(key).and_then(|v| v.trim().parse().ok());
            AuditQuery {
                user: text("user"),
                kind: text("kind"),
                object: text("object"),
                action: text("action"),
                from: text("from"),
                to: text("to"),
                before: id("before"),
                after: id("after"),
            }
        })
    });
    let errors = Memo::new(move |_| query.with(|q| q.parse().err()).unwrap_or_default());
    let page = Resource::new(move || query.get(), list_audit);
    let export = move || {
        query.with(|q| match q.filter_params() {
            p if p.is_empty() => "/audit.csv".to_owned(),
            p => format!("/audit.csv?{p}"),
        })
    };
    view! {
        <Title text="Audit"/>
        <header class="page-header">
            <h1>"Audit"</h1>
            <div class="actions">
                // `download` keeps the router from handling the link as a page.
                <a class="button" href=export download="" rel="external">"Download CSV"</a>
            </div>
        </header>
        <AuditFilters query errors/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <AuditTable page query=query.get_untracked()/> }.into_any(),
                    Err(AppError::Validation(_)) => {
                        set_status(422);
                        view! { <p class="form-message" role="alert">"Please correct the marked filters."</p> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The filters: a GET form, so it works without JavaScript and its result is a link.
#[component]
fn AuditFilters(query: Memo<AuditQuery>, errors: Memo<FieldErrors>) -> impl IntoView {
    let value =
        move |pick: fn(&AuditQuery) -> &String| Signal::derive(move || query.with(|q| pick(q).clone()));
    view! {
        <Form method="GET" action="" attr:class="filter audit-filter" attr:role="search">
            <FilterField name="user" label="User" value=value(|q| &q.user) errors list="audit-users"/>
            <FilterField name="kind" label="Object kind" value=value(|q| &q.kind) errors list="audit-kinds"/>
            <FilterField name="object" label="Object name" value=value(|q| &q.object) errors
                placeholder="part of a name"/>
            <FilterField name="action" label="Action" value=value(|q| &q.action) errors list="audit-actions"/>
            <FilterField name="from" label="From (UTC)" value=value(|q| &q.from) errors input_type="date"
                placeholder="YYYY-MM-DD"/>
            <FilterField name="to" label="To (UTC)" value=value(|q| &q.to) errors input_type="date"
                placeholder="YYYY-MM-DD"/>
            <div class="filter-actions">
                <button type="submit">"Filter"</button>
                {move || query.with(AuditQuery::is_filtered).then(|| view! { <a href="/audit">"Clear"</a> })}
            </div>
        </Form>
    }
}

/// One labelled filter input, its error under it.
#[component]
fn FilterField(
    name: &'static str,
    label: &'static str,
    value: Signal<String>,
    errors: Memo<FieldErrors>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = format!("audit-{name}");
    let error_id = format!("{id}-error");
    let message = move || errors.with(|e| e.get(name).map(str::to_owned));
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            // The attribute for the first paint, the property after client-side navigation.
            <input id=id name=name type=input_type.unwrap_or("text") value=value prop:value=value
                list=list placeholder=placeholder
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=error_id.clone()/>
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

#[component]
fn AuditTable(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let AuditPage {
        entries,
        newer,
        older,
        users,
        kinds,
        actions,
        now,
    } = page;
    let suggestions = view! {
        <Suggestions id="audit-users" values=users/>
        <Suggestions id="audit-kinds" values=kinds/>
        <Suggestions id="audit-actions" values=actions/>
    };
    let pager = view! { <Pager query=query.clone() newer older/> };
    if entries.is_empty() {
        let text = if query.is_filtered() {
            view! { "No entry matches these filters. " <a href="/audit">"Clear the filters"</a> }.into_any()
        } else if newer.is_some() {
            view! { "No older entries. " <a href="/audit">"Back to the newest"</a> }.into_any()
        } else {
            view! {
                "No changes recorded yet. Every change made here — adding a host, editing a user — "
                "will be listed, with who made it and from where."
            }
            .into_any()
        };
        return view! { {suggestions} <p class="empty">{text}</p> {pager} }.into_any();
    }
    let count = entries.len();
    view! {
        {suggestions}
        <p class="count" role="status">
            {format!("{count} entr{}, newest first", if count == 1 { "y" } else { "ies" })}
        </p>
        <div class="table-wrap">
            <table class="data audit">
                <thead>
                    <tr>
                        <th>"Time"</th><th>"User"</th><th>"From"</th><th>"Action"</th>
                        <th>"Kind"</th><th>"Object"</th><th>"Changes"</th>
                    </tr>
                </thead>
                <tbody>{entries.into_iter().map(|e| view! { <AuditRow e now/> }).collect_view()}</tbody>
            </table>
        </div>
        {pager}
    }
    .into_any()
}

#[component]
fn AuditRow(e: AuditEntry, now: i64) -> impl IntoView {
    let href = e.href();
    let renamed = e.current_name.clone().filter(|current| *current != e.object_name);
    let changes = e.change_texts();
    let list = |lines: Vec<String>| {
        view! { <ul class="diff">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
    };
    let changes = match changes.len() {
        0 => None,
        n if n <= SHOWN_CHANGES => Some(list(changes).into_any()),
        n => Some(
            view! { <details><summary>{format!("{n} fields")}</summary>{list(changes)}</details> }.into_any(),
        ),
    };
    view! {
        <tr>
            <td><Age at=e.at now/></td>
            <td>{e.actor}</td>
            <td class="mono">{e.client_addr}</td>
            <td>{e.action}</td>
            <td>{e.object_kind}</td>
            <td>
                {match href {
                    Some(href) => view! { <a href=href>{e.object_name}</a> }.into_any(),
                    None => view! { <span>{e.object_name}</span> }.into_any(),
                }}
                {renamed.map(|now| view! { <span class="help">{format!(" (now {now})")}</span> })}
            </td>
            <td class="changes-cell">{changes}</td>
        </tr>
    }
}

/// Keyset paging links; each keeps the filters.
#[component]
fn Pager(query: AuditQuery, newer: Option<i64>, older: Option<i64>) -> impl IntoView {
    if newer.is_none() && older.is_none() {
        return ().into_any();
    }
    let newest = match query.filter_params() {
        p if p.is_empty() => "/audit".to_owned(),
        p => format!("/audit?{p}"),
    };
    view! {
        <nav class="pager" aria-label="Pages">
            {newer.map(|id| view! {
                <a href=newest>"⇤ Newest"</a>
                <a rel="prev" href=query.link(&format!("after={id}"))>"← Newer"</a>
            })}
            {older.map(|id| view! { <a rel="next" href=query.link(&format!("before={id}"))>"Older →"</a> })}
        </nav>
    }
    .into_any()
}

/// Values a filter field suggests (the browser shows them as the user types).
#[component]
fn Suggestions(id: &'static str, values: Vec<String>) -> impl IntoView {
    view! { <datalist id=id>{values.into_iter().map(|v| view! { <option value=v></option> }).collect_view()}</datalist> }
}
