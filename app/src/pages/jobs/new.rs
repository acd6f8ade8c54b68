//! The new-job form: targets, an action from the catalogue with its parameters, and,
//! with JavaScript, the exact command and the hosts it will run on before it starts.
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::jobs::{get_new_job_form, JobInput, JobTargetHost, NewJobForm, StartJob};
use crate::components::error::ErrorBox;
use crate::components::form::{FormError, FormMessage};
use crate::model::action::{ActionInput, SystemctlVerb, CATALOGUE};

/// Beyond this many hosts the form stops offering each one as a chip.
const HOST_CHIPS: usize = 40;

#[component]
pub fn NewJob() -> impl IntoView {
    let query = use_query_map();
    let targets = Memo::new(move |_| query.with(|q| q.get("targets")));
    let data = Resource::new(move || targets.get(), get_new_job_form);
    // Without JavaScript, "Show the command" reloads the form with what was typed.
    let typed = Memo::new(move |_| {
        query.with(|q| {
            let get = |field: &str| q.get(&format!("job[{field}]")).unwrap_or_default();
            q.get("job[action]").map(|_| JobInput {
                targets: get("targets"),
                action: ActionInput {
                    action: get("action"),
                    unit: get("unit"),
                    verb: get("verb"),
                    lines: get("lines"),
                    command: get("command"),
                },
                parallelism: get("parallelism"),
                timeout_secs: get("timeout_secs"),
            })
        })
    });
    view! {
        <Title text="New job"/>
        <header class="page-header"><h1>"New job"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(mut form) => {
                        if let (None, Some(typed)) = (&form.error, typed.get_untracked()) {
                            form.input = typed;
                        }
                        view! { <JobForm form/> }.into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form is an island: with JavaScript it shows only the chosen action's fields and
/// previews the command and its hosts at every keystroke. It posts as a plain form (an
/// error comes back with the page, on the field that caused it).
#[island]
fn JobForm(form: NewJobForm) -> impl IntoView {
    let NewJobForm { input, hosts, error } = form;
    let error: FormError = Signal::derive(move || error.clone());
    let targets = RwSignal::new(input.targets);
    let act = RwSignal::new(input.action.action);
    let unit = RwSignal::new(input.action.unit);
    // What the browser submits when nothing was chosen: the first verb, a screenful.
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    let verb = RwSignal::new(or(input.action.verb, "status"));
    let lines = RwSignal::new(or(input.action.lines, "100"));
    let command = RwSignal::new(input.action.command);
    let parallelism = RwSignal::new(input.parallelism);
    let timeout = RwSignal::new(input.timeout_secs);
    // Without JavaScript every parameter field shows; with it, only the action's.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let parsed = Memo::new(move |_| {
        ActionInput {
            action: act.get(),
            unit: unit.get(),
            verb: verb.get(),
            lines: lines.get(),
            command: command.get(),
        }
        .parse()
    });
    let tags = all_tags(&hosts);
    let hosts = StoredValue::new(hosts);
    let chosen = Memo::new(move |_| targets.with(|t| hosts.with_value(|hs| resolve_targets(t, hs))));
    let hidden =
        move |field: &'static str| Signal::derive(move || live.get() && act.with(|a| !uses(a, field)));
    let add_target = move |word: String| {
        targets.update(|t| {
            if !t.split([' ', ',']).any(|w| w == word) {
                if !t.trim().is_empty() && !t.ends_with([' ', ',']) {
                    t.push(' ');
                }
                t.push_str(&word);
            }
        })
    };
    let chip = move |word: String| {
        let label = word.clone();
        view! {
            <button type="button" class="chip" on:click=move |_| add_target(word.clone())>{label}</button>
        }
    };
    let host_chips = hosts.with_value(|hs| {
        (hs.len() <= HOST_CHIPS).then(|| hs.iter().map(|h| chip(h.name.clone())).collect_view())
    });
    let host_count = hosts.with_value(Vec::len);
    let tag_chips = tags.into_iter().map(|t| chip(format!("tag:{t}"))).collect_view();
    let submit_label = move || {
        let on = chosen.with(|(names, _)| match names.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(format!("{} hosts", many.len())),
        });
        match (live.get(), parsed.get(), on) {
            (true, Ok(a), Some(on)) => format!("Run “{}” on {on}", a.title()),
            _ => "Start job".to_owned(),
        }
    };
    view! {
        <form method="post" action=StartJob::PATH class="form job-form" novalidate>
            <FormMessage error/>
            <fieldset>
                <legend>"Where"</legend>
                <InputField field="targets" label="Targets" value=targets error mono=true wide=true
                    help="Host names and tags as tag:NAME, separated by spaces or commas."/>
                <div class="field wide target-hints">
                    <p class="help">
                        {format!("{host_count} host{} known. ", if host_count == 1 { "" } else { "s" })}
                        "Tags and hosts (with JavaScript, a click adds one):"
                    </p>
                    <div class="chips">{tag_chips} {host_chips}</div>
                    <p class="help targets-resolved" aria-live="polite">
                        {move || chosen.with(|(names, unknown)| {
                            let mut text = match names.len() {
                                0 => "No host chosen yet.".to_owned(),
                                n => format!("Runs on {n} host{}: {}.", if n == 1 { "" } else { "s" }, names.join(", ")),
                            };
                            if !unknown.is_empty() {
                                text.push_str(&format!(" Unknown: {}.", unknown.join(", ")));
                            }
                            text
                        })}
                    </p>
                </div>
            </fieldset>
            <fieldset>
                <legend>"What"</legend>
                <div class="field" class:invalid=move || message(error, "action").is_some()>
                    <label for="job-action">"Action"</label>
                    <select id="job-action" name="job[action]" on:change=move |ev| act.set(event_target_value(&ev))>
                        {CATALOGUE.iter().map(|(id, label, _)| {
                            view! { <option value=*id selected=act.get_untracked() == *id>{*label}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error">{move || message(error, "action")}</p>
                </div>
                <div class="field" class:invalid=move || message(error, "verb").is_some() hidden=hidden("verb")>
                    <label for="job-verb">"Verb " <UsedBy field="verb" live/></label>
                    <select id="job-verb" name="job[verb]" on:change=move |ev| verb.set(event_target_value(&ev))>
                        {SystemctlVerb::ALL.iter().map(|v| {
                            let v = v.as_str();
                            view! { <option value=v selected=verb.get_untracked() == v>{v}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error">{move || message(error, "verb")}</p>
                </div>
                <InputField field="unit" label="Unit" value=unit error mono=true hidden=hidden("unit") live
                    help="e.g. nginx or puma@2.service; .service is added when no type is given."/>
                <InputField field="lines" label="Lines" value=lines error numeric=true hidden=hidden("lines") live
                    help="How many of the last journal lines, 1 to 10000."/>
                <div class="field wide" class:invalid=move || message(error, "command").is_some()
                    hidden=hidden("command")>
                    <label for="job-command">"Command " <UsedBy field="command" live/></label>
                    <textarea id="job-command" name="job[command]" rows="3" class="mono"
                        aria-describedby="job-command-error"
                        prop:value=command on:input=move |ev| command.set(event_target_value(&ev))>
                        {command.get_untracked()}
                    </textarea>
                    <p class="help">"Run by the host's shell exactly as written."</p>
                    <p class="field-error" id="job-command-error">{move || message(error, "command")}</p>
                </div>
            </fieldset>
            <fieldset>
                <legend>"How"</legend>
                <InputField field="parallelism" label="Parallelism" value=parallelism error numeric=true
                    help="How many hosts run at the same time."/>
                <InputField field="timeout_secs" label="Timeout (seconds)" value=timeout error numeric=true
                    help="A host still running after this is stopped and marked timed out."/>
            </fieldset>
            <section class="card command-preview" aria-live="polite">
                <h2>"The command each host runs"</h2>
                {move || match parsed.get() {
                    Ok(a) => view! { <pre class="command">{a.command()}</pre> }.into_any(),
                    Err(e) => view! {
                        <p class="help">"Complete the action's fields to see the command (" {e.to_string()} ")."</p>
                    }
                    .into_any(),
                }}
                {move || (!live.get()).then(|| view! {
                    <p class="help">
                        "Without JavaScript this shows the command for the values the form was loaded with; "
                        "“Show the command” updates it for what you typed, without starting anything."
                    </p>
                })}
            </section>
            <div class="form-actions">
                // First, so Enter previews rather than starts; gone once the page is live,
                // where the preview follows every keystroke (and a live form posts anyway).
                {move || (!live.get()).then(|| view! {
                    <button type="submit" formmethod="get" formaction="/jobs/new">"Show the command"</button>
                })}
                <button type="submit" class="primary">{submit_label}</button>
                <a href="/jobs">"Cancel"</a>
            </div>
        </form>
    }
}

/// One text input named `job[field]` bound to `value`; its error under it.
#[component]
fn InputField(
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: FormError,
    #[prop(optional)] help: &'static str,
    #[prop(optional)] mono: bool,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] wide: bool,
    #[prop(optional, into)] hidden: Signal<bool>,
    /// Set for an action parameter: the label then says which actions use it.
    #[prop(optional)]
    live: Option<RwSignal<bool>>,
) -> impl IntoView {
    let id = format!("job-{field}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:wide=wide class:invalid=move || message(error, field).is_some() hidden=hidden>
            <label for=id.clone()>
                {label}
                {live.map(|live| view! { " " <UsedBy field live/> })}
            </label>
            <input id=id name=format!("job[{field}]") type="text" class:mono=mono
                inputmode=numeric.then_some("numeric")
                value=value.get_untracked() prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || message(error, field).map(|_| "true")
                aria-describedby=error_id.clone()/>
            {(!help.is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <p class="field-error" id=error_id>{move || message(error, field)}</p>
        </div>
    }
}

/// "(for: Control a service, …)" while every parameter field shows (JavaScript off).
#[component]
fn UsedBy(field: &'static str, live: RwSignal<bool>) -> impl IntoView {
    let actions: Vec<&str> = CATALOGUE
        .iter()
        .filter(|(_, _, fields)| fields.contains(&field))
        .map(|(_, label, _)| *label)
        .collect();
    let text = format!("(for: {})", actions.join(", "));
    move || (!live.get()).then(|| view! { <span class="used-by">{text.clone()}</span> })
}

fn message(error: FormError, field: &str) -> Option<String> {
    error.get().and_then(|e| e.field_message(field))
}

/// Whether the action `id` takes the parameter `field`.
fn uses(id: &str, field: &str) -> bool {
    CATALOGUE
        .iter()
        .any(|(i, _, fields)| *i == id && fields.contains(&field))
}

fn all_tags(hosts: &[JobTargetHost]) -> Vec<String> {
    let mut tags: Vec<String> = hosts.iter().flat_map(|h| h.tags.iter().cloned()).collect();
    tags.sort();
    tags.dedup();
    tags
}

/// The hosts `targets` names (sorted, once each) and the words that name none, as the
/// server resolves them when the job starts.
fn resolve_targets(targets: &str, hosts: &[JobTargetHost]) -> (Vec<String>, Vec<String>) {
    let mut chosen = Vec::new();
    let mut unknown = Vec::new();
    for word in targets
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let before = chosen.len();
        let matched = hosts.iter().filter(|h| match word.strip_prefix("tag:") {
            Some(tag) => h.tags.iter().any(|t| t == tag),
            None => h.name == word,
        });
        chosen.extend(matched.map(|h| h.name.clone()));
        if chosen.len() == before {
            unknown.push(word.to_owned());
        }
    }
    chosen.sort();
    chosen.dedup();
    (chosen, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str, tags: &[&str]) -> JobTargetHost {
        JobTargetHost {
            name: name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn targets_resolve_names_and_tags_once_each_and_report_the_unknown() {
        let hosts = [
            host("hermes", &["mail", "web"]),
            host("hades", &["db"]),
            host("iris", &["web"]),
        ];
        let (chosen, unknown) = resolve_targets("hermes, tag:web  nope,tag:none", &hosts);
        assert_eq!(chosen, ["hermes", "iris"]);
        assert_eq!(unknown, ["nope", "tag:none"]);
        assert_eq!(resolve_targets("  ", &hosts), (vec![], vec![]));
        assert_eq!(all_tags(&hosts), ["db", "mail", "web"]);
    }

    #[test]
    fn only_the_actions_parameters_are_used() {
        assert!(uses("journal", "lines"));
        assert!(!uses("facts", "unit"));
        assert!(!uses("nope", "unit"));
    }
}
