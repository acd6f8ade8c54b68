//! A host's SSH card: the identity it is reached with, its pinned host key, and for
//! admins choosing the identity, fetching the key the host offers and accepting it.
use leptos::prelude::*;

use crate::api::ssh::{get_host_ssh, AcceptHostKey, FetchHostKey, HostSsh, OfferedKey, SetHostIdentity};
use crate::components::form::{form_error, FormError, FormMessage};
use crate::components::time::Age;
use crate::model::AppError;

/// The card, below the host's page. It loads on its own (created at the top of the
/// page, beside the host's resource) and again after each of its actions.
#[component]
pub fn SshCard(host: Memo<String>) -> impl IntoView {
    let set = ServerAction::<SetHostIdentity>::new();
    let fetch = ServerAction::<FetchHostKey>::new();
    let accept = ServerAction::<AcceptHostKey>::new();
    let data = Resource::new(
        move || {
            (
                host.get(),
                set.version().get(),
                fetch.version().get(),
                accept.version().get(),
            )
        },
        |(host, ..)| get_host_ssh(host),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(card) => view! { <CardView card set fetch accept/> }.into_any(),
                    // The page itself says the host does not exist.
                    Err(AppError::NotFound) => ().into_any(),
                    Err(error) => view! {
                        <div class="sections ssh-card">
                            <section class="card wide"><h2>"SSH"</h2><p class="field-error">{error.to_string()}</p></section>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CardView(
    card: HostSsh,
    set: ServerAction<SetHostIdentity>,
    fetch: ServerAction<FetchHostKey>,
    accept: ServerAction<AcceptHostKey>,
) -> impl IntoView {
    let HostSsh {
        host,
        endpoint,
        identity,
        is_admin,
        identities,
        pinned,
        offer,
        now,
        error,
        notice,
    } = card;
    let carried = |form: &str| error.clone().filter(|(f, _)| f == form).map(|(_, e)| e);
    let set_error = form_error(move || set.value().get(), carried("identity"));
    let fetch_error = form_error(move || fetch.value().get(), carried("fetch"));
    let accept_error = form_error(move || accept.value().get(), carried("accept"));
    let fetched = move || {
        fetch
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| notice.clone())
    };
    let changed = matches!((&pinned, &offer), (Some(p), Some(o)) if p.fingerprint != o.fingerprint);
    let missing = is_admin && identity.as_ref().is_some_and(|i| !identities.contains(i));
    let identity_text = match &identity {
        Some(i) if missing => format!("{i} (missing: no identity has this name)"),
        Some(i) => i.clone(),
        None => "none: jobs cannot reach this host until an admin chooses one".into(),
    };
    let pinned_view = match pinned {
        Some(p) => view! {
            <span class="mono">{p.fingerprint}</span>
            <span class="help">{format!(" pinned by {} ", p.pinned_by)} <Age at=p.pinned_at now/></span>
        }
        .into_any(),
        None => view! { <span class="badge muted">"not pinned"</span> }.into_any(),
    };
    let chosen = identity.clone();
    let admin = is_admin.then(|| {
        let identity = chosen;
        let (h1, h2) = (host.clone(), host.clone());
        let message = move || set_error.get().and_then(|e| e.field_message("identity"));
        view! {
            <div class="ssh-actions">
                <ActionForm action=set attr:class="stack">
                    <input type="hidden" name="host" value=h1.clone()/>
                    <div class="field" class:invalid=move || message().is_some()>
                        <label for="ssh-identity">"Identity"</label>
                        <select id="ssh-identity" name="identity" aria-describedby="ssh-identity-error">
                            <option value="" selected=identity.is_none()>"(none)"</option>
                            {identities
                                .into_iter()
                                .map(|i| {
                                    let selected = identity.as_deref() == Some(i.as_str());
                                    view! { <option value=i.clone() selected=selected>{i.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                        <p class="help">"Keys are added under " <a href="/settings/ssh">"SSH identities"</a> "."</p>
                        <p class="field-error" id="ssh-identity-error">{message}</p>
                    </div>
                    <button type="submit">{format!("Use this identity for {h1}")}</button>
                </ActionForm>
                <ActionForm action=fetch attr:class="stack">
                    <FormMessage error=fetch_error/>
                    <input type="hidden" name="host" value=h2/>
                    <button type="submit">"Fetch host key"</button>
                    <p class="help">{format!("Connects to {endpoint} and shows the key it offers; nothing is pinned until you accept it.")}</p>
                </ActionForm>
            </div>
        }
    });
    view! {
        <div class="sections ssh-card">
            <section class="card wide" aria-labelledby="ssh-card-title">
                <h2 id="ssh-card-title">"SSH"</h2>
                <dl>
                    <dt>"Identity"</dt><dd class:mono=identity.is_some()>{identity_text}</dd>
                    <dt>"Host key"</dt><dd>{pinned_view}</dd>
                </dl>
                <p class="notice" role="status">{fetched}</p>
                {offer.map(|o| view! { <Offer host=host.clone() offer=o changed is_admin now accept error=accept_error/> })}
                {admin}
            </section>
        </div>
    }
}

/// A key the host offered that is not pinned: its fingerprint, a warning when it
/// replaces a pinned one, and for admins the button that pins it.
#[component]
fn Offer(
    host: String,
    offer: OfferedKey,
    changed: bool,
    is_admin: bool,
    now: i64,
    accept: ServerAction<AcceptHostKey>,
    error: FormError,
) -> impl IntoView {
    let check = view! {
        "On the host's console run " <code>"ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"</code>
        " and check that it prints this fingerprint; only then accept it."
    };
    view! {
        <div class="offer" class:changed=changed>
            {changed.then(|| view! {
                <p class="warning" role="alert">
                    <strong>"⚠ The host key changed. If you did not reinstall this host, do not accept it."</strong>
                </p>
            })}
            <p>
                {if changed { "Offered now: " } else { "Offered key: " }}
                <span class="mono">{offer.fingerprint.clone()}</span>
                <span class="help">" seen " <Age at=offer.seen_at now/></span>
            </p>
            <pre class="key-line"><code>{offer.public_line}</code></pre>
            <p class="help">{check}</p>
            {is_admin.then(|| view! {
                <ActionForm action=accept attr:class="stack">
                    <FormMessage error/>
                    <input type="hidden" name="host" value=host.clone()/>
                    <input type="hidden" name="fingerprint" value=offer.fingerprint.clone()/>
                    <button type="submit" class=if changed { "danger" } else { "primary" }>"Accept this key"</button>
                </ActionForm>
            })}
        </div>
    }
}
