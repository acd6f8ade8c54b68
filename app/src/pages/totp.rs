//! The second factor: enrolment on the account page, and the code page at sign-in.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::totp::{DisableTotp, EnableTotp, TotpEnrolment};
use crate::components::error::ErrorBox;
use crate::components::form::{Field, FormMessage};
use crate::model::AppError;

/// The account page's second-factor card: turn it on (QR code, code, password), see
/// the recovery codes once, or turn it off. The page creates `data` (see `Account`).
#[component]
pub fn TotpSection(enabled: bool, data: Resource<Result<TotpEnrolment, AppError>>) -> impl IntoView {
    view! {
        <section class="card" id="totp">
            <h2>"Two-factor sign-in"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(e) if enabled && e.codes.is_none() => view! { <TotpOn required=e.required/> }.into_any(),
                        Ok(e) => view! { <TotpEnrol e/> }.into_any(),
                        Err(error) => view! { <ErrorBox error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="recovery" role="status">
            <p><strong>"Two-factor sign-in is on."</strong>
                " Save these recovery codes now; each works once if you lose your phone. They are not shown again."</p>
            <ul class="mono">{codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
        </div>
    }
}

#[component]
fn TotpEnrol(e: TotpEnrolment) -> impl IntoView {
    let action = ServerAction::<EnableTotp>::new();
    let carried = e.error.clone();
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => carried.clone(),
    });
    let done_codes = e.codes.clone();
    let codes = move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| done_codes.clone())
    };
    let secret = StoredValue::new(e.secret.clone());
    let qr_svg = StoredValue::new(e.qr_svg.clone());
    let required = e.required;
    view! {
        {move || match codes() {
            Some(codes) => view! { <RecoveryCodes codes/> }.into_any(),
            None => view! {
                <p class="help">
                    {if required { "Your admins require a second factor. " } else { "" }}
                    "Scan the code with an authenticator app (or type the key), then enter the code it shows."
                </p>
                <div class="qr" inner_html=qr_svg.get_value()></div>
                <p class="mono secret">{secret.get_value()}</p>
                <ActionForm action attr:class="stack" attr:novalidate=true>
                    <FormMessage error/>
                    <Field form="totp" flat=true field="code" label="Code from the app" value=String::new() error
                        numeric=true autocomplete="one-time-code"/>
                    <Field form="totp" flat=true field="password" label="Your password" value=String::new() error
                        input_type="password" autocomplete="current-password"/>
                    <button type="submit" class="primary">"Turn on two-factor sign-in"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

#[component]
fn TotpOn(required: bool) -> impl IntoView {
    let action = ServerAction::<DisableTotp>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <p>"✔ Two-factor sign-in is on: signing in asks for a code from your app."</p>
        {if required {
            view! { <p class="help">"Your admins require it for everyone, so it cannot be turned off."</p> }.into_any()
        } else {
            view! {
                <ActionForm action attr:class="stack" attr:novalidate=true>
                    <FormMessage error/>
                    <Field form="totp-off" flat=true field="password" label="Your password" value=String::new() error
                        input_type="password" autocomplete="current-password"/>
                    <button type="submit" class="danger">"Turn off two-factor sign-in"</button>
                </ActionForm>
            }.into_any()
        }}
    }
}

/// Sign-in, step two: the code from the app or a recovery code (a plain form).
#[component]
pub fn TotpLogin() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let message = match get("error").as_str() {
        "" => None,
        "throttled" => Some("Too many wrong codes. Sign in again in a few minutes."),
        "expired" => Some("This step timed out. Sign in again."),
        _ => Some("That code is not right. Try the next code from the app."),
    };
    view! {
        <Title text="Second factor"/>
        <main class="auth">
            <form method="post" action="/auth/totp" class="card">
                <h1>"Second factor"</h1>
                <p class="help">"Enter the 6-digit code from your authenticator app, or one of your recovery codes."</p>
                {message.map(|m| view! { <p class="form-message" role="alert">"⚠ " {m}</p> })}
                <div class="field">
                    <label for="code">"Code"</label>
                    <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" autofocus/>
                </div>
                <input type="hidden" name="next" value=get("next")/>
                <button type="submit" class="primary">"Verify"</button>
                <p><a href="/login">"Start over"</a></p>
            </form>
        </main>
    }
}
