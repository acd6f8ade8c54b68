//! The Tuning page's forms: an instance to add or change, a removal to confirm, and the
//! host's settings. Each is an ActionForm and works without JavaScript.
use leptos::prelude::*;

use crate::api::tuning::{ApplyInstance, RemoveInstance, SaveTuningSettings};
use crate::components::form::{form_error, Field, FormError, FormMessage, Select};
use crate::domain::url::encode_component;
use crate::model::tuning::action::TuningAction;
use crate::model::tuning::{InstanceInput, TuningSettingsInput};
use crate::model::AppError;

const KINDS: [&str; 2] = ["sidekiq", "puma"];

#[component]
pub fn InstanceForm(
    host: String,
    input: InstanceInput,
    carried: Option<AppError>,
    action: ServerAction<ApplyInstance>,
) -> impl IntoView {
    const F: &str = "instance";
    let error: FormError = form_error(move || action.value().get(), carried);
    let replaces = input.replaces.clone();
    let (heading, button) = if replaces.is_empty() {
        (
            "Add an instance".to_owned(),
            format!("Start the instance on {host}"),
        )
    } else {
        (
            format!("Change {replaces}"),
            format!("Start the new instance, then stop {replaces}"),
        )
    };
    let cancel = format!("/hosts/{}/tuning", encode_component(&host));
    let override_message = move || error.get().and_then(|e| e.field_message("override_budget"));
    let overriding = input.overrides_budget();
    view! {
        <section class="card wide" aria-labelledby="tuning-form">
            <h2 id="tuning-form">{heading}</h2>
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="instance-form">
                <FormMessage error/>
                <input type="hidden" name="host" value=host.clone()/>
                <input type="hidden" name="instance[replaces]" value=replaces.clone()/>
                <Select form=F field="kind" label="Kind" value=input.kind.clone() options=&KINDS error/>
                <fieldset>
                    <legend>"Sidekiq"</legend>
                    <Field form=F field="concurrency" label="Concurrency (threads)" value=input.concurrency.clone() error numeric=true
                        help="1 to 200; empty: Mastodon's default (5)."/>
                    <Field form=F field="queues" label="Queues" value=input.queues.clone() error mono=true
                        help="In priority order, separated by spaces; name-weight for a weight, e.g. default-8 push-4 pull."/>
                    <Field form=F field="db_pool" label="DB_POOL" value=input.db_pool.clone() error numeric=true
                        help="Empty: the concurrency, one connection per thread."/>
                </fieldset>
                <fieldset>
                    <legend>"Puma"</legend>
                    <Field form=F field="workers" label="Workers" value=input.workers.clone() error numeric=true
                        help="0 to 64; 0 runs Puma in single mode."/>
                    <Field form=F field="threads" label="Threads" value=input.threads.clone() error mono=true
                        help="5, or 2-5 for a minimum and a maximum."/>
                    <Field form=F field="port" label="Port" value=input.port.clone() error numeric=true/>
                    <Field form=F field="bind" label="Bind address" value=input.bind.clone() error mono=true
                        help="e.g. the host's mesh address; empty: Mastodon's default."/>
                </fieldset>
                <Field form=F field="name" label="Name" value=input.name.clone() error mono=true
                    help="Tells two instances with the same settings apart, e.g. burst."/>
                <div class="field checkbox" class:invalid=move || override_message().is_some()>
                    <label>
                        <input type="checkbox" id="instance-override_budget" name="instance[override_budget]" value="on" checked=overriding/>
                        " Override the budget (recorded in the change log)"
                    </label>
                    <p class="field-error" id="instance-override_budget-error">{override_message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">{button}</button>
                    <a href=cancel>"Cancel"</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn RemoveConfirm(
    host: String,
    unit: String,
    systemctl: String,
    action: ServerAction<RemoveInstance>,
) -> impl IntoView {
    let command = TuningAction::Remove {
        systemctl: systemctl.split_whitespace().map(str::to_owned).collect(),
        unit: unit.clone(),
    }
    .command();
    let error: FormError = form_error(move || action.value().get(), None);
    let button = format!("Stop and disable {unit} on {host}");
    let cancel = format!("/hosts/{}/tuning", encode_component(&host));
    view! {
        <section class="card wide confirm" aria-labelledby="tuning-remove">
            <h2 id="tuning-remove">"Remove " {unit.clone()}</h2>
            <p>"This runs on " {host.clone()} ":"</p>
            <pre class="command">{command}</pre>
            <ActionForm action attr:class="form">
                <FormMessage error/>
                <input type="hidden" name="host" value=host.clone()/>
                <input type="hidden" name="unit" value=unit.clone()/>
                <div class="form-actions">
                    <button type="submit" class="danger">{button}</button>
                    <a href=cancel>"Cancel"</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn SettingsForm(
    host: String,
    input: TuningSettingsInput,
    carried: Option<AppError>,
    default_settings: bool,
    action: ServerAction<SaveTuningSettings>,
) -> impl IntoView {
    const F: &str = "settings";
    let error: FormError = form_error(move || action.value().get(), carried);
    view! {
        <section class="card wide" aria-labelledby="tuning-settings">
            <h2 id="tuning-settings">"Where the units live on " {host.clone()}</h2>
            {default_settings.then(|| view! { <p class="help">"The defaults of a Mastodon install with systemd; save to change them."</p> })}
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="settings-form">
                <FormMessage error/>
                <input type="hidden" name="host" value=host.clone()/>
                <input type="hidden" name="settings[version]" value=input.version.clone()/>
                <Field form=F field="systemctl" label="systemctl command" value=input.systemctl.clone() error mono=true
                    help="e.g. systemctl, sudo systemctl, or python3 /path/systemctl3.py --root=DIR on a host without systemd."/>
                <Field form=F field="unit_dir" label="Unit directory" value=input.unit_dir.clone() error mono=true/>
                <Field form=F field="decoder" label="Decoder path" value=input.decoder.clone() error mono=true/>
                <Field form=F field="user" label="Mastodon user" value=input.user.clone() error mono=true/>
                <Field form=F field="working_dir" label="Mastodon directory" value=input.working_dir.clone() error mono=true/>
                <Field form=F field="puma_command" label="Puma command" value=input.puma_command.clone() error mono=true/>
                <Field form=F field="sidekiq_command" label="Sidekiq command" value=input.sidekiq_command.clone() error mono=true/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Save settings"</button>
                </div>
            </ActionForm>
        </section>
    }
}
