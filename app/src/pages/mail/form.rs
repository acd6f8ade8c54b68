//! Creating and editing a mail domain: the same fields, two actions.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_domain;
use crate::api::mail::{get_mail_form, CreateMailDomain, MailFormData, UpdateMailDomain};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage, Select, TextArea};
use crate::model::mail::{MailInput, DMARC_POLICIES};

#[component]
pub fn NewMailDomain() -> impl IntoView {
    let action = ServerAction::<CreateMailDomain>::new();
    let data = Resource::new(|| (), |_| get_mail_form(None));
    view! {
        <Title text="Add mail domain"/>
        <header class="page-header"><h1>"Add mail domain"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let error = form_error(move || action.value().get(), data.error.clone());
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <MailFields data error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add mail domain"
                                    </button>
                                    <a href="/mail">"Cancel"</a>
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

#[component]
pub fn EditMailDomain() -> impl IntoView {
    let domain = use_domain();
    let action = ServerAction::<UpdateMailDomain>::new();
    let data = Resource::new(move || domain.get(), |d| get_mail_form(Some(d)));
    view! {
        {move || view! { <Title text=format!("Edit {}", domain.get())/> }}
        <header class="page-header"><h1>"Edit " {move || domain.get()}</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let error = form_error(move || action.value().get(), data.error.clone());
                        let original = domain.get_untracked();
                        let cancel = format!("/mail/{original}");
                        let label = format!("Save {original}");
                        let version = data.input.version.clone();
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="original" value=original/>
                                <input type="hidden" name="mail[version]" value=version/>
                                <MailFields data error/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        {label}
                                    </button>
                                    <a href=cancel>"Cancel"</a>
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

#[component]
fn MailFields(data: MailFormData, error: FormError) -> impl IntoView {
    const F: &str = "mail";
    let MailFormData {
        input,
        relays,
        signers,
        ..
    } = data;
    let MailInput {
        domain,
        relay,
        signing,
        dkim_selector,
        dkim_public_key,
        dkim_secret,
        dmarc_policy,
        dmarc_report,
        from_address,
        mx_host,
        ttl,
        notes,
        ..
    } = input;
    view! {
        <fieldset>
            <legend>"Domain"</legend>
            <Field form=F field="domain" label="Domain" value=domain error mono=true help="e.g. social.example"/>
            <Field form=F field="from_address" label="From address" value=from_address error mono=true
                help="What Mastodon sends from, e.g. notifications@social.example."/>
            <Field form=F field="mx_host" label="MX host" value=mx_host error mono=true
                help="The host that receives mail for the domain, e.g. mail.social.example."/>
            <Field form=F field="ttl" label="TTL (seconds)" value=ttl error numeric=true/>
        </fieldset>
        <fieldset>
            <legend>"Services"</legend>
            <ServiceChoice field="relay" label="Relay (OpenSMTPD)" value=relay services=relays error/>
            <ServiceChoice field="signing" label="Signing (dkimproxy)" value=signing services=signers error/>
        </fieldset>
        <fieldset>
            <legend>"DKIM and DMARC"</legend>
            <Field form=F field="dkim_selector" label="DKIM selector" value=dkim_selector error mono=true
                help="e.g. owl2026: the record goes to owl2026._domainkey.<domain>."/>
            <TextArea form=F field="dkim_public_key" label="DKIM public key" value=dkim_public_key error
                help="Base64, a PEM block, or the whole v=DKIM1 record."/>
            <Field form=F field="dkim_secret" label="Private key in the secret store" value=dkim_secret error mono=true
                help="The name of the secret holding the private key (Settings → Secrets)."/>
            <Select form=F field="dmarc_policy" label="DMARC policy" value=dmarc_policy options=&DMARC_POLICIES error/>
            <Field form=F field="dmarc_report" label="DMARC reports to" value=dmarc_report error mono=true
                help="Optional, e.g. dmarc@social.example."/>
        </fieldset>
        <fieldset>
            <legend>"Notes"</legend>
            <TextArea form=F field="notes" label="Notes" value=notes error/>
        </fieldset>
    }
}

/// A service of one kind, picked by name; typed by hand when none exists yet.
#[component]
fn ServiceChoice(
    field: &'static str,
    label: &'static str,
    value: String,
    services: Vec<(String, String)>,
    error: FormError,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message(field));
    let id = format!("mail-{field}");
    let error_id = format!("{id}-error");
    let options = services
        .into_iter()
        .map(|(service, host)| {
            let selected = value == service;
            let text = format!("{service} on {host}");
            view! { <option value=service selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=format!("mail[{field}]") aria-describedby=error_id.clone()>
                <option value="">"— choose —"</option>
                {options}
            </select>
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}
