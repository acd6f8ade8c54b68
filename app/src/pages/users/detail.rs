//! One user: role and status, password reset, sessions, change history.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::totp::ResetUserTotp;
use crate::api::users::{get_user, ResetPassword, RevokeUserSessions, UpdateUser, UserPage};
use crate::components::error::ErrorBox;
use crate::components::form::{Field, FormMessage, Select};
use crate::components::time::Age;
use crate::model::user::ROLE_NAMES;
use crate::model::AppError;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn UserDetail() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let actions = Actions {
        update: ServerAction::new(),
        reset: ServerAction::new(),
        revoke: ServerAction::new(),
        reset_totp: ServerAction::new(),
    };
    // The page reloads its data whenever one of its actions completes.
    let page = Resource::new(
        move || {
            (
                name.get(),
                actions.update.version().get(),
                actions.revoke.version().get(),
                actions.reset_totp.version().get(),
            )
        },
        |(name, ..)| get_user(name),
    );
    view! {
        {move || view! { <Title text=name.get()/> }}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <UserView page actions/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The latest error of any of this page's actions, or the one carried back without JS.
fn page_error(errors: [Signal<Option<AppError>>; 4], carried: Option<AppError>) -> Signal<Option<AppError>> {
    Signal::derive(move || errors.iter().find_map(|e| e.get()).or_else(|| carried.clone()))
}

/// The actions of a user page, made by the page so that its data follows them.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
    revoke: ServerAction<RevokeUserSessions>,
    reset_totp: ServerAction<ResetUserTotp>,
}

#[component]
fn UserView(page: UserPage, actions: Actions) -> impl IntoView {
    let UserPage {
        user: u,
        sessions,
        history,
        now,
        error: carried,
    } = page;
    let Actions {
        update,
        reset,
        revoke,
        reset_totp,
    } = actions;
    let error = page_error(
        [
            Signal::derive(move || update.value().get().and_then(Result::err)),
            Signal::derive(move || reset.value().get().and_then(Result::err)),
            Signal::derive(move || revoke.value().get().and_then(Result::err)),
            Signal::derive(move || reset_totp.value().get().and_then(Result::err)),
        ],
        carried,
    );
    let query = use_query_map();
    let done = move || {
        query.with(|q| q.get("done")).map(|d| match d.as_str() {
            "password" => "Password reset; their sessions were ended.",
            "revoked" => "Signed out everywhere.",
            "totp" => "Second factor removed; their sessions were ended.",
            _ => "Saved.",
        })
    };
    let name = u.username.clone();
    let (reset_name, revoke_name, totp_name) = (name.clone(), name.clone(), name.clone());
    let reset_label = format!("Reset password of {name}");
    let revoke_label = format!("Sign {name} out everywhere");
    let save_label = format!("Save {name}");
    view! {
        <header class="page-header">
            <h1>{u.username.clone()}</h1>
            <span class="badge">{u.role.as_str()}</span>
            {u.disabled.then(|| view! { <span class="badge muted">"⛔ disabled"</span> })}
            {u.totp.then(|| view! { <span class="badge">"✔ TOTP"</span> })}
        </header>
        <p class="notice" role="status">{done}</p>
        <FormMessage error/>
        <div class="sections">
            <section class="card">
                <h2>"Role and status"</h2>
                <ActionForm action=update attr:class="stack">
                    <input type="hidden" name="name" value=name/>
                    <Select form="user" field="role" label="Role" value=u.role.as_str().to_owned() options=&ROLE_NAMES error flat=true/>
                    <label class="check">
                        <input type="checkbox" name="disabled" checked=u.disabled/>
                        " Disabled (cannot sign in; their sessions end)"
                    </label>
                    <p class="field-error">{move || error.get().and_then(|e| e.field_message("disabled"))}</p>
                    <button type="submit" class="primary">{save_label}</button>
                </ActionForm>
            </section>
            <section class="card">
                <h2>"Reset password"</h2>
                <ActionForm action=reset attr:class="stack" attr:novalidate=true>
                    <input type="hidden" name="name" value=reset_name/>
                    <Field form="reset" flat=true field="password" label="New password" value=String::new() error
                        input_type="password" autocomplete="new-password" help="Their sessions end; tell them the new one."/>
                    <button type="submit">{reset_label}</button>
                </ActionForm>
            </section>
            {u.totp.then(|| view! {
                <section class="card">
                    <h2>"Second factor"</h2>
                    <p class="help">"If they lost their phone and their recovery codes, remove it; they can enrol again."</p>
                    <ActionForm action=reset_totp>
                        <input type="hidden" name="name" value=totp_name.clone()/>
                        <button type="submit" class="danger">{format!("Remove the second factor of {totp_name}")}</button>
                    </ActionForm>
                </section>
            })}
            <section class="card wide">
                <h2>"Sessions"</h2>
                <SessionTable sessions now/>
                <ActionForm action=revoke>
                    <input type="hidden" name="name" value=revoke_name/>
                    <button type="submit" class="danger">{revoke_label}</button>
                </ActionForm>
            </section>
            <section class="card wide">
                <h2>"Change history"</h2>
                <p class="help">"Added " <Age at=u.created_at now/> "."</p>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}

/// Sessions as a table: where from, which browser, since when, last used.
#[component]
pub fn SessionTable(sessions: Vec<crate::model::user::SessionInfo>, now: i64) -> impl IntoView {
    if sessions.is_empty() {
        return view! { <p class="empty">"No active sessions."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"From"</th><th>"Browser"</th><th>"Signed in"</th><th>"Last used"</th></tr></thead>
                <tbody>
                    {sessions.into_iter().map(|s| view! {
                        <tr>
                            <td class="mono">{s.client_addr}{s.current.then_some(" (this session)")}</td>
                            <td>{s.user_agent}</td>
                            <td><Age at=s.created_at now/></td>
                            <td><Age at=s.last_seen_at now/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
