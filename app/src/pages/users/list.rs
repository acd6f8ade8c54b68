//! The users list and the new-user form.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::{get_new_user_form, list_users, CreateUser};
use crate::components::error::ErrorBox;
use crate::components::form::{form_error, Field, FormMessage, Select};
use crate::components::time::Age;
use crate::model::user::{UserSummary, ROLE_NAMES};

#[component]
pub fn UserList() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <Title text="Users"/>
        <header class="page-header">
            <h1>"Users"</h1>
            <a class="button primary" href="/settings/users/new">"Add user"</a>
        </header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok((list, now)) => view! { <UserTable list now/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(list: Vec<UserSummary>, now: i64) -> impl IntoView {
    let count = list.len();
    view! {
        <p class="count" role="status">{format!("{count} users")}</p>
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr><th>"Name"</th><th>"Role"</th><th>"Status"</th><th>"Second factor"</th>
                    <th>"Last seen"</th><th>"Sessions"</th></tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|u| view! {
                        <tr>
                            <td><a href=format!("/settings/users/{}", u.username)>{u.username.clone()}</a></td>
                            <td><span class="badge">{u.role.as_str()}</span></td>
                            <td>{if u.disabled { "⛔ disabled" } else { "✔ enabled" }}</td>
                            <td>{if u.totp { "✔ TOTP" } else { "— none" }}</td>
                            <td>{match u.last_seen_at {
                                Some(at) => view! { <Age at now/> }.into_any(),
                                None => view! { <span>"never"</span> }.into_any(),
                            }}</td>
                            <td class="num">{u.sessions}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn NewUser() -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let data = Resource::new(|| (), |_| get_new_user_form());
    view! {
        <Title text="Add user"/>
        <header class="page-header"><h1>"Add user"</h1></header>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((input, carried)) => {
                        let error = form_error(move || action.value().get(), carried);
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <fieldset>
                                    <Field form="user" field="username" label="Username" value=input.username error
                                        autocomplete="off" help="1 to 32 letters, digits, '.', '_' or '-'."/>
                                    <Select form="user" field="role" label="Role" value=input.role options=&ROLE_NAMES error/>
                                    <Field form="user" field="password" label="Initial password" value=String::new()
                                        error input_type="password" autocomplete="new-password"
                                        help="At least 10 characters; they can change it under Account."/>
                                </fieldset>
                                <p class="help">
                                    "Viewers read everything but secrets; operators also run jobs and runbooks; "
                                    "admins also change the inventory, users, secrets and settings."
                                </p>
                                <div class="form-actions">
                                    <button type="submit" class="primary">"Add user"</button>
                                    <a href="/settings/users">"Cancel"</a>
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
