//! SSH identities: the keys Owlery signs in to hosts with, listed by their public
//! halves, and the forms that generate or import one. No private key reaches a page.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ssh::{
    get_ssh_identities, GenerateSshIdentity, IdentitiesPage, ImportSshIdentity, SshIdentity,
};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormError, FormMessage};
use crate::components::time::Age;

#[component]
pub fn SshIdentities() -> impl IntoView {
    let generate = ServerAction::<GenerateSshIdentity>::new();
    let import = ServerAction::<ImportSshIdentity>::new();
    let data = Resource::new(|| (), |_| get_ssh_identities());
    view! {
        <Title text="SSH identities"/>
        <header class="page-header">
            <h1>"SSH identities"</h1>
            <div class="actions"><a class="button" href="/settings/ssh/known-hosts">"Import known_hosts"</a></div>
        </header>
        <p class="help">
            "The keys Owlery signs in to hosts with. Private keys are sealed in the secret store and never shown; "
            "add a public key to a host's " <code>"~/.ssh/authorized_keys"</code> " to let Owlery in."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <IdentitiesView page generate import/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IdentitiesView(
    page: IdentitiesPage,
    generate: ServerAction<GenerateSshIdentity>,
    import: ServerAction<ImportSshIdentity>,
) -> impl IntoView {
    let IdentitiesPage {
        identities,
        now,
        generate: typed,
        generate_error,
        import_name,
        import_error,
    } = page;
    let generate_error = form_error(move || generate.value().get(), generate_error);
    let import_error = form_error(move || import.value().get(), import_error);
    let count = identities.len();
    let list = if identities.is_empty() {
        view! { <p class="empty">"No SSH identities yet: generate one below, or import the key your hosts already trust."</p> }
            .into_any()
    } else {
        view! {
            <p class="count" role="status">{format!("{count} identit{}", if count == 1 { "y" } else { "ies" })}</p>
            <ul class="identities">
                {identities.into_iter().map(|i| view! { <IdentityItem i now/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        <div class="sections">
            <section class="card" aria-labelledby="generate-title">
                <h2 id="generate-title">"Generate an ed25519 key"</h2>
                <ActionForm action=generate attr:class="form" attr:novalidate=true attr:autocomplete="off">
                    <FormMessage error=generate_error/>
                    <Field form="generate" field="name" label="Name" value=typed.name error=generate_error mono=true
                        help="A DNS label: letters, digits and '-'. Hosts refer to the key by it."/>
                    <Field form="generate" field="comment" label="Comment" value=typed.comment error=generate_error
                        help="Written after the public key, e.g. owlery@example.org; defaults to NAME@owlery."/>
                    <div class="form-actions">
                        <button type="submit" class="primary">"Generate key"</button>
                    </div>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="import-title">
                <h2 id="import-title">"Import a private key"</h2>
                <ActionForm action=import attr:class="form" attr:novalidate=true attr:autocomplete="off">
                    <FormMessage error=import_error/>
                    <Field form="import" field="name" label="Name" value=import_name error=import_error mono=true
                        help="A DNS label: letters, digits and '-'."/>
                    <PrivateKeyField error=import_error/>
                    <Field form="import" field="passphrase" label="Passphrase" value=String::new() error=import_error
                        input_type="password" autocomplete="off"
                        help="Only for an encrypted key. Owlery keeps it decrypted, sealed under its master key."/>
                    <div class="form-actions">
                        <button type="submit" class="primary">"Import key"</button>
                    </div>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn IdentityItem(i: SshIdentity, now: i64) -> impl IntoView {
    let used = if i.hosts.is_empty() {
        view! { <span class="help">"no host yet"</span> }.into_any()
    } else {
        i.hosts
            .into_iter()
            .map(|h| view! { <a class="mono" href=format!("/hosts/{h}")>{h.clone()}</a> " " })
            .collect_view()
            .into_any()
    };
    view! {
        <li class="card" id=format!("identity-{}", i.name)>
            <h3 class="mono">{i.name.clone()}</h3>
            <pre class="key-line"><code>{i.public_line}</code></pre>
            <dl>
                <dt>"Fingerprint"</dt><dd class="mono">{i.fingerprint}</dd>
                <dt>"Used by"</dt><dd>{used}</dd>
                <dt>"Last changed"</dt><dd><Age at=i.updated_at now/> " by " {i.updated_by}</dd>
            </dl>
        </li>
    }
}

/// The pasted private key: always rendered empty (a key never comes back from the
/// server), never spell-checked (spell-check services may send the text away).
#[component]
fn PrivateKeyField(error: FormError) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("private_key"));
    view! {
        <div class="field wide" class:invalid=move || message().is_some()>
            <label for="import-private_key">"Private key"</label>
            <textarea
                id="import-private_key"
                name="import[private_key]"
                rows="8"
                class="mono"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                aria-invalid=move || message().map(|_| "true")
                aria-describedby="import-private_key-error"
            ></textarea>
            <p class="help">"The whole OpenSSH private key, from its -----BEGIN line to its -----END line."</p>
            <p class="field-error" id="import-private_key-error">{message}</p>
        </div>
    }
}
