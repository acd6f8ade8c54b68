//! The console frame: left navigation, the signed-in user, and the page.
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

use crate::api::session::get_current_user;
use crate::model::user::{CurrentUser, Role};
use crate::model::AppError;

/// The signed-in user, loaded once per page by the frame and shared with every page.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<CurrentUser, AppError>>);

/// Shows `children` only to users whose role is at least `role`. The server enforces
/// the same rule; this only spares people buttons they cannot use.
#[component]
pub fn IfRole(role: Role, children: ChildrenFn) -> impl IntoView {
    let UserResource(user) = expect_context::<UserResource>();
    let children = StoredValue::new(children);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let allowed = user.await.is_ok_and(|u| u.can(role));
                allowed.then(|| children.read_value()())
            })}
        </Suspense>
    }
}

#[component]
pub fn Console() -> impl IntoView {
    let user = Resource::new(|| (), |_| get_current_user());
    provide_context(UserResource(user));
    view! {
        <div class="console">
            <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="Show navigation"/>
            <label for="nav-toggle" class="nav-button">"☰ Menu"</label>
            <nav class="sidebar" aria-label="Main">
                <a href="/" class="brand">"🦉 Owlery"</a>
                <ul>
                    <li><A href="/" exact=true>"Dashboard"</A></li>
                    <li><A href="/hosts">"Hosts"</A></li>
                    <li><A href="/services">"Services"</A></li>
                    <li><A href="/buckets">"Buckets"</A></li>
                    <li><A href="/mail">"Mail"</A></li>
                    <li><A href="/network">"Network"</A></li>
                    <li><A href="/topology">"Topology"</A></li>
                    <li><A href="/checks">"Checks"</A></li>
                    <li><A href="/costs">"Costs"</A></li>
                    <li><A href="/jobs">"Jobs"</A></li>
                    <li><A href="/runbooks">"Runbooks"</A></li>
                    <li><A href="/audit">"Audit"</A></li>
                    <li><A href="/inventory">"Import / export"</A></li>
                    <IfRole role=Role::Admin>
                        <li><A href="/settings" exact=true>"Settings"</A></li>
                        <li class="sub"><A href="/settings/users">"Users"</A></li>
                        <li class="sub"><A href="/settings/ssh">"SSH identities"</A></li>
                        <li class="sub"><A href="/settings/secrets">"Secrets"</A></li>
                    </IfRole>
                </ul>
                <div class="whoami">
                    <Suspense>
                        {move || Suspend::new(async move {
                            user.await.ok().map(|u| view! {
                                <p>
                                    <a class="username" href="/account">{u.username}</a>
                                    <span class="badge">{u.role.as_str()}</span>
                                </p>
                            })
                        })}
                    </Suspense>
                    <form method="post" action="/auth/logout">
                        <button type="submit" class="link">"Sign out"</button>
                    </form>
                </div>
            </nav>
            <main class="content">
                <Outlet/>
            </main>
        </div>
    }
}
