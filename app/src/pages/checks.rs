//! /checks: the config check's findings over the inventory, grouped by severity, the
//! hosts' live state they use, and a form to check a pasted `.env.production` against
//! it (the text is never kept).
mod live;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::checks::{get_checks, CheckEnv, ChecksView};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};
use crate::domain::checks::{counts, Finding, Severity};
use live::LiveState;

#[component]
pub fn ChecksPage() -> impl IntoView {
    let action = ServerAction::<CheckEnv>::new();
    let data = Resource::new(|| (), |_| get_checks());
    view! {
        <Title text="Checks"/>
        <header class="page-header">
            <h1>"Checks"</h1>
            <div class="actions"><a class="button" href="/checks">"Check again"</a></div>
        </header>
        <p class="help">
            "Rules over the inventory and the facts last gathered from hosts: what would break, why it matters and how to fix it. "
            "The same check runs on the command line: " <code>"owlery check [--env FILE]"</code> "."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ChecksView { findings, env_findings, error, hosts, live_error, now }) => {
                        let error = form_error(move || action.value().get(), error);
                        let message = move || error.get().and_then(|e| e.field_message("env"));
                        let env_shown = move || action.value().get().and_then(Result::ok).or_else(|| env_findings.clone());
                        view! {
                            <section class="card wide" aria-labelledby="inventory-title">
                                <h2 id="inventory-title">"Inventory"</h2>
                                <Findings findings clean="✓ No errors or warnings: the inventory is consistent."/>
                            </section>
                            <LiveState hosts now error=live_error/>
                            <section class="card wide" aria-labelledby="env-title">
                                <h2 id="env-title">"Check a .env.production"</h2>
                                <p class="help">
                                    "Paste Mastodon's " <code>".env.production"</code> " to lint it and check it against the inventory "
                                    "(database, Redis and mail hosts, the media bucket's addressing). It is checked and forgotten: "
                                    "never stored or logged, and secret values are not repeated."
                                </p>
                                <ActionForm action attr:class="form" attr:novalidate=true attr:autocomplete="off">
                                    <FormMessage error/>
                                    <div class="field wide" class:invalid=move || message().is_some()>
                                        <label for="check-env">".env.production"</label>
                                        <textarea id="check-env" name="env" rows="12" class="mono" spellcheck="false"
                                            aria-invalid=move || message().map(|_| "true")
                                            aria-describedby="check-env-error"></textarea>
                                        <p class="field-error" id="check-env-error">{message}</p>
                                    </div>
                                    <div class="form-actions">
                                        <button type="submit" class="primary">"Check this env"</button>
                                    </div>
                                </ActionForm>
                                {move || env_shown().map(|findings| view! {
                                    <div class="env-result" role="status">
                                        <h3>"Result for the pasted env"</h3>
                                        <Findings findings clean="✓ No errors or warnings in this env."/>
                                    </div>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn badge(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("badge bad", "✗ error"),
        Severity::Warning => ("badge warn", "⚠ warning"),
        Severity::Info => ("badge muted", "ℹ info"),
    }
}

/// Findings grouped by severity, errors first; `clean` when there is no error or warning.
#[component]
fn Findings(findings: Vec<Finding>, clean: &'static str) -> impl IntoView {
    let (errors, warnings, infos) = counts(&findings);
    let summary = format!("{errors} error(s), {warnings} warning(s), {infos} note(s)");
    let groups = Severity::ALL.map(|severity| {
        let group: Vec<Finding> = findings
            .iter()
            .filter(|f| f.severity == severity)
            .cloned()
            .collect();
        (!group.is_empty()).then(|| {
            view! {
                <ul class="findings" data-severity=severity.label()>
                    {group.into_iter().map(|f| view! { <FindingItem f/> }).collect_view()}
                </ul>
            }
        })
    });
    view! {
        <p class="count">{summary}</p>
        {(errors + warnings == 0).then(|| view! { <p class="ok-text">{clean}</p> })}
        {groups.into_iter().collect_view()}
    }
}

#[component]
fn FindingItem(f: Finding) -> impl IntoView {
    let (class, label) = badge(f.severity);
    let objects = f
        .objects
        .into_iter()
        .map(|(kind, name)| {
            let text = format!("{} {name}", kind.label());
            match kind.href(&name) {
                Some(href) => view! { <li><a href=href>{text}</a></li> }.into_any(),
                None => view! { <li>{text}</li> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <li class="finding">
            <p class="finding-head">
                <span class=class>{label}</span> " " <strong>{f.message}</strong> " " <code class="rule">{f.rule.to_string()}</code>
            </p>
            <ul class="finding-objects" aria-label="Objects">{objects}</ul>
            <p><span class="label">"Why it matters: "</span>{f.why}</p>
            <p><span class="label">"How to fix: "</span>{f.fix}</p>
        </li>
    }
}
