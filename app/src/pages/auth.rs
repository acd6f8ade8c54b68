//! Sign-in and first-run setup: plain HTML forms that work without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn login_message(code: &str, wait: &str) -> String {
    match code {
        "signed-out" => "You are signed out.".into(),
        "throttled" => format!("Too many failed sign-ins. Try again in {wait} minutes."),
        "internal" => "Signing in failed on the server; the details are in its log.".into(),
        _ => "Wrong username or password.".into(),
    }
}

fn setup_message(code: &str) -> &'static str {
    match code {
        "token" => "That setup token is not valid. Use the one printed in the server log.",
        "username" => "Use 1 to 32 letters, digits, '.', '_' or '-' for the username.",
        "password" => "Use a password of at least 10 characters.",
        "mismatch" => "The two passwords differ.",
        "done" => "An admin exists already. Sign in instead.",
        _ => "Creating the admin failed; the server log has the details.",
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let message = get("error");
    let notice = get("notice");
    view! {
        <Title text="Sign in"/>
        <main class="auth">
            <form method="post" action="/auth/login" class="card">
                <h1>"🦉 Owlery"</h1>
                <p class="help">"Sign in to your cluster's console."</p>
                {(!message.is_empty()).then(|| view! {
                    <p class="form-message" role="alert">"⚠ " {login_message(&message, &get("wait"))}</p>
                })}
                {(!notice.is_empty()).then(|| view! { <p class="notice">{login_message(&notice, "")}</p> })}
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" value=get("username")/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"/>
                </div>
                <input type="hidden" name="next" value=get("next")/>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <p class="help">
                "No account yet? An admin creates one. The first admin is made with "
                <code>"owlery user add NAME --role admin --password-stdin"</code>
                " or on the " <a href="/setup">"setup page"</a>
                " with the one-time token printed in the server log."
            </p>
        </main>
    }
}

#[component]
pub fn Setup() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let message = get("error");
    view! {
        <Title text="First-run setup"/>
        <main class="auth">
            <form method="post" action="/auth/setup" class="card">
                <h1>"Create the first admin"</h1>
                <p class="help">
                    "This works once, while Owlery has no users, with the token the server printed to its log at start."
                </p>
                {(!message.is_empty()).then(|| view! {
                    <p class="form-message" role="alert">"⚠ " {setup_message(&message)}</p>
                })}
                <div class="field">
                    <label for="token">"Setup token"</label>
                    <input id="token" name="token" class="mono" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" value=get("username")/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password"/>
                    <p class="help">"At least 10 characters."</p>
                </div>
                <div class="field">
                    <label for="password_confirm">"Password again"</label>
                    <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password"/>
                </div>
                <button type="submit" class="primary">"Create admin and sign in"</button>
            </form>
        </main>
    }
}
