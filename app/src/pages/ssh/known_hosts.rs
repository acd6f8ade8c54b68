//! Importing a known_hosts file: its keys are pinned for the hosts they name, and the
//! page reports what was pinned, what differs from a pinned key, and what matched nothing.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ssh::{
    get_known_hosts_import, ImportKnownHosts as ImportAction, KnownHostsPage, KnownHostsReport, MatchedKey,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};

#[component]
pub fn ImportKnownHosts() -> impl IntoView {
    let action = ServerAction::<ImportAction>::new();
    let data = Resource::new(|| (), |_| get_known_hosts_import());
    view! {
        <Title text="Import known_hosts"/>
        <header class="page-header">
            <h1>"Import known_hosts"</h1>
            <div class="actions"><a class="button" href="/settings/ssh">"SSH identities"</a></div>
        </header>
        <p class="help">
            "Paste a known_hosts file (e.g. your " <code>"~/.ssh/known_hosts"</code> ", or the output of "
            <code>"ssh-keyscan"</code> "). Each entry is matched to hosts by SSH address and port ("
            <code>"[addr]:port"</code> ") or by name, and pinned where no key is pinned yet. A pinned key is never replaced here."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(KnownHostsPage { report, text, error }) => {
                        let error = form_error(move || action.value().get(), error);
                        let message = move || error.get().and_then(|e| e.field_message("text"));
                        let shown = move || action.value().get().and_then(Result::ok).or_else(|| report.clone());
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true attr:autocomplete="off">
                                <FormMessage error/>
                                <div class="field wide" class:invalid=move || message().is_some()>
                                    <label for="known-hosts-text">"known_hosts lines"</label>
                                    <textarea id="known-hosts-text" name="text" rows="10" class="mono" spellcheck="false"
                                        aria-invalid=move || message().map(|_| "true")
                                        aria-describedby="known-hosts-text-error">{text}</textarea>
                                    <p class="field-error" id="known-hosts-text-error">{message}</p>
                                </div>
                                <div class="form-actions">
                                    <button type="submit" class="primary">"Import and pin"</button>
                                </div>
                            </ActionForm>
                            {move || shown().map(|report| view! { <Report report/> })}
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
fn Report(report: KnownHostsReport) -> impl IntoView {
    let KnownHostsReport {
        pinned,
        unchanged,
        conflicts,
        unmatched,
        skipped,
    } = report;
    let summary = format!(
        "Pinned {} host(s); {} already had this key; {} have another key pinned; {} entr{} matched no host; {} line(s) skipped.",
        pinned.len(),
        unchanged.len(),
        conflicts.len(),
        unmatched.len(),
        if unmatched.len() == 1 { "y" } else { "ies" },
        skipped,
    );
    let keys = |title: &'static str, list: Vec<MatchedKey>| {
        (!list.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul class="key-report">
                    {list.into_iter().map(|k| view! {
                        <li>
                            <a href=format!("/hosts/{}", k.host)>{k.host.clone()}</a> " "
                            <span class="mono">{k.fingerprint}</span>
                            {k.pinned.map(|p| view! { " (pinned: " <span class="mono">{p}</span> ")" })}
                        </li>
                    }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <section class="card wide import-report" aria-labelledby="report-title">
            <h2 id="report-title">"Import result"</h2>
            <p class="notice" role="status">{summary}</p>
            {keys("Pinned", pinned)}
            {keys("Already pinned", unchanged)}
            {(!conflicts.is_empty()).then(|| view! {
                <p class="warning">
                    "⚠ These hosts have another key pinned; it was kept. If a host was reinstalled, fetch and accept its new key on its page."
                </p>
            })}
            {keys("Another key pinned (not changed)", conflicts)}
            {(!unmatched.is_empty()).then(|| view! {
                <h3>"Matched no host"</h3>
                <ul class="key-report mono">{unmatched.into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}
