//! Account: the signed-in user's password, sessions and second factor.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::account::{get_account, AccountPage, ChangePassword, RevokeSession};
use crate::api::totp::{get_totp_enrolment, TotpEnrolment};
use crate::components::error::ErrorBox;
use crate::components::form::{Field, FormMessage};
use crate::components::time::Age;
use crate::model::AppError;
use crate::pages::totp::TotpSection;

#[component]
pub fn Account() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let revoke = ServerAction::<RevokeSession>::new();
    // The page reloads its data whenever one of its actions completes.
    let page = Resource::new(
        move || (change.version().get(), revoke.version().get()),
        |_| get_account(),
    );
    // Created here, not inside the card: hydration matches resources to the server's
    // values by creation order, and a resource created after an `.await` gets its number
    // whenever that future happens to resolve.
    let enrolment = Resource::new(|| (), |_| get_totp_enrolment());
    view! {
        <Title text="Account"/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <AccountView page change revoke enrolment/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountView(
    page: AccountPage,
    change: ServerAction<ChangePassword>,
    revoke: ServerAction<RevokeSession>,
    enrolment: Resource<Result<TotpEnrolment, AppError>>,
) -> impl IntoView {
    let AccountPage {
        user,
        sessions,
        totp,
        now,
        error: carried,
    } = page;
    let error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
            .or_else(|| carried.clone())
    });
    let query = use_query_map();
    let done = move || {
        query.with(|q| q.get("done")).map(|d| match d.as_str() {
            "password" => "Password changed; your other sessions were ended.",
            "revoked" => "Session ended.",
            _ => "Saved.",
        })
    };
    view! {
        <header class="page-header">
            <h1>{user.username.clone()}</h1>
            <span class="badge">{user.role.as_str()}</span>
        </header>
        <p class="notice" role="status">{done}</p>
        <FormMessage error/>
        <div class="sections">
            <section class="card">
                <h2>"Change password"</h2>
                <ActionForm action=change attr:class="stack" attr:novalidate=true>
                    <Field form="pw" flat=true field="current" label="Current password" value=String::new() error
                        input_type="password" autocomplete="current-password"/>
                    <Field form="pw" flat=true field="new" label="New password" value=String::new() error
                        input_type="password" autocomplete="new-password" help="At least 10 characters."/>
                    <Field form="pw" flat=true field="confirm" label="New password again" value=String::new() error
                        input_type="password" autocomplete="new-password"/>
                    <button type="submit" class="primary">"Change my password"</button>
                </ActionForm>
            </section>
            <TotpSection enabled=totp data=enrolment/>
            <section class="card wide">
                <h2>"Your sessions"</h2>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"From"</th><th>"Browser"</th><th>"Signed in"</th><th>"Last used"</th><th></th></tr></thead>
                        <tbody>
                            {sessions.into_iter().map(|s| view! {
                                <tr>
                                    <td class="mono">{s.client_addr}</td>
                                    <td>{s.user_agent}</td>
                                    <td><Age at=s.created_at now/></td>
                                    <td><Age at=s.last_seen_at now/></td>
                                    <td>{if s.current {
                                        view! { <span class="badge">"this session"</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="id" value=s.id/>
                                                <button type="submit" class="link">"Revoke"</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
