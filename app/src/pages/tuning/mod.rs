//! A host's Tuning page: its Puma and Sidekiq instances read live, the budgets, and the
//! forms that add, change or remove an instance and install the unit templates.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::tuning::{
    get_tuning, ApplyInstance, InstallUnitTemplates, RemoveInstance, SaveTuningSettings, TuningData,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, FormMessage};
use crate::components::layout::IfRole;
use crate::domain::url::encode_component;
use crate::model::tuning::{InstanceInput, LiveInstance, TuningPage as Page};
use crate::model::user::Role;

mod forms;

use forms::{InstanceForm, RemoveConfirm, SettingsForm};

/// The actions of the page, made once at its top so the forms inside Suspense share them.
#[derive(Clone, Copy)]
struct Actions {
    apply: ServerAction<ApplyInstance>,
    remove: ServerAction<RemoveInstance>,
    install: ServerAction<InstallUnitTemplates>,
    save: ServerAction<SaveTuningSettings>,
}

#[component]
pub fn HostTuning() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let actions = Actions {
        apply: ServerAction::new(),
        remove: ServerAction::new(),
        install: ServerAction::new(),
        save: ServerAction::new(),
    };
    // Saved settings redirect to this same page: read it again rather than show the old.
    let data = Resource::new(
        move || (name.get(), actions.save.version().get()),
        |(name, _)| get_tuning(name),
    );
    view! {
        {move || view! { <Title text=format!("Tuning {}", name.get())/> }}
        <Suspense fallback=|| view! { <p>"Reading the host's units…"</p> }>
            {move || Suspend::new(async move {
                let change = query.with(|q| q.get("change"));
                let remove = query.with(|q| q.get("remove"));
                match data.await {
                    Ok(data) => view! { <TuningView data actions change remove/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TuningView(
    data: TuningData,
    actions: Actions,
    change: Option<String>,
    remove: Option<String>,
) -> impl IntoView {
    let TuningData {
        page,
        instance,
        settings_error,
        action_error,
    } = data;
    let Page {
        host,
        settings,
        default_settings,
        live,
        budgets,
        limits_note,
    } = page;
    let back = format!("/hosts/{}", encode_component(&host));
    let live_list = live.clone().unwrap_or_default();
    let changing = change.and_then(|u| live_list.iter().find(|i| i.unit == u).cloned());
    let removing = remove.and_then(|u| live_list.iter().find(|i| i.unit == u).cloned());
    let form_input = match (&instance, &changing) {
        (Some((input, _)), _) => input.clone(),
        (
            None,
            Some(LiveInstance {
                unit,
                settings: Ok(s),
                ..
            }),
        ) => InstanceInput::for_change(unit, s),
        (None, Some(LiveInstance { unit, .. })) => InstanceInput {
            replaces: unit.clone(),
            ..InstanceInput::blank()
        },
        (None, None) => InstanceInput::blank(),
    };
    let carried = instance.map(|(_, e)| e);
    // An install refused (with JavaScript; a removal shows in its confirmation), or
    // either carried back after a plain form post.
    let install = actions.install;
    let refused = form_error(move || install.value().get(), action_error);
    let (install_host, form_host, settings_host) = (host.clone(), host.clone(), host.clone());
    let systemctl = settings.systemctl.clone();
    view! {
        <header class="page-header">
            <h1>"Tuning " {host.clone()}</h1>
            <div class="actions">
                <a class="button" href=back>"Back to " {host.clone()}</a>
                <IfRole role=Role::Operator>
                    <InstallButton host=install_host.clone() action=actions.install/>
                </IfRole>
            </div>
        </header>
        <FormMessage error=refused/>
        <div class="sections tuning">
            <section class="card wide" aria-labelledby="tuning-instances">
                <h2 id="tuning-instances">"Puma and Sidekiq on " {host.clone()}</h2>
                {match live {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">
                            "No mastodon-puma@ or mastodon-sidekiq@ instance here yet. Install the unit templates, then add one below."
                        </p>
                    }.into_any(),
                    Ok(list) => view! { <Instances list/> }.into_any(),
                    Err(reason) => view! {
                        <p class="form-message" role="alert">"⚠ Cannot read the instances: " {reason}</p>
                    }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="tuning-budgets">
                <h2 id="tuning-budgets">"Budgets"</h2>
                <dl class="budgets">
                    <dt>"Database connections"</dt>
                    <dd class="mono" data-budget="connections">{budgets.connections.text("")}</dd>
                    <dt>"Memory on " {host.clone()}</dt>
                    <dd class="mono" data-budget="memory">{budgets.memory_mib.text(" MiB")}</dd>
                </dl>
                <p class="help">
                    "Connections: Puma workers × threads + each Sidekiq's DB_POOL + the streaming pool, against PostgreSQL's max_connections less 3. Memory: each process estimated by its kind, against the RAM last gathered (else the plan's). "
                    {limits_note}
                </p>
            </section>
            {removing.map(|i| view! { <RemoveConfirm host=host.clone() unit=i.unit systemctl=systemctl.clone() action=actions.remove/> })}
            <IfRole role=Role::Operator>
                <InstanceForm host=form_host.clone() input=form_input.clone() carried=carried.clone() action=actions.apply/>
            </IfRole>
            <IfRole role=Role::Admin>
                <SettingsForm
                    host=settings_host.clone()
                    input=settings_error.clone().map_or_else(|| settings.clone(), |(i, _)| i)
                    carried=settings_error.clone().map(|(_, e)| e)
                    default_settings
                    action=actions.save
                />
            </IfRole>
        </div>
    }
}

/// Writes the decoder and both templates on the host: a job, like every change.
#[component]
fn InstallButton(host: String, action: ServerAction<InstallUnitTemplates>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="host" value=host/>
            <button type="submit" title="Writes the decoder and the Puma and Sidekiq templates, then reloads systemd">
                "Install unit templates"
            </button>
        </ActionForm>
    }
}

/// The settings of an instance in words: the flags and environment the decoder gives.
fn describe(i: &LiveInstance) -> String {
    match &i.settings {
        Ok(s) => {
            let launch = s.to_flags_and_env();
            let mut parts: Vec<String> = launch.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if !launch.flags.is_empty() {
                parts.push(launch.flags.join(" "));
            }
            if parts.is_empty() {
                "Mastodon's defaults".into()
            } else {
                parts.join(" ")
            }
        }
        Err(reason) => format!("refused by the decoder: {reason}"),
    }
}

#[component]
fn Instances(list: Vec<LiveInstance>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr><th>"Unit"</th><th>"Kind"</th><th>"State"</th><th>"Settings"</th><th></th></tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|i| {
                            let state_class = match i.state.as_str() {
                                "active" => "badge ok",
                                "activating" | "reloading" | "deactivating" => "badge warn",
                                "failed" => "badge bad",
                                _ => "badge muted",
                            };
                            let icon = match i.state.as_str() {
                                "active" => "● ",
                                "failed" => "✕ ",
                                _ => "○ ",
                            };
                            let change = format!("?change={}", encode_component(&i.unit));
                            let remove = format!("?remove={}", encode_component(&i.unit));
                            let refused = i.settings.is_err();
                            let text = describe(&i);
                            view! {
                                <tr data-unit=i.unit.clone()>
                                    <td class="mono">{i.unit.clone()}</td>
                                    <td>{i.kind.as_str()}</td>
                                    <td><span class=state_class>{icon}{i.state.clone()}</span></td>
                                    <td class="mono" class:field-error=refused>{text}</td>
                                    <td class="row-actions">
                                        <IfRole role=Role::Operator>
                                            <a href=change.clone()>"Change"</a>
                                            " "
                                            <a href=remove.clone() class="danger">"Remove…"</a>
                                        </IfRole>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
