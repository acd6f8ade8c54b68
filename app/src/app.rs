//! The HTML shell and the route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::Console;
use crate::pages::account::Account;
use crate::pages::audit::AuditLog;
use crate::pages::auth::{Login, Setup};
use crate::pages::buckets::{BucketDetail, BucketList, DeleteBucket, EditBucket, NewBucket, NewBucketUser};
use crate::pages::checks::ChecksPage;
use crate::pages::costs::{CostsOverview, EditPlan, HostCosts, PlanList, ScenarioDetail, ScenarioList};
use crate::pages::dashboard::Dashboard;
use crate::pages::hosts::{DeleteHost, EditHost, HostDetail, HostList, NewHost};
use crate::pages::inventory::{ImportPreviewPage, Inventory};
use crate::pages::jobs::{JobDetail, JobList, NewJob};
use crate::pages::mail::{DeleteMailDomain, EditMailDomain, MailDetail, MailList, NewMailDomain};
use crate::pages::network::{DeleteTunnel, MeshNodePage, NetworkOverviewPage, NewTunnel, TopologyPage};
use crate::pages::not_found::NotFound;
use crate::pages::runbooks::{
    DeleteRunbook, EnvMerge, RunDetail, RunList, RunbookDetail, RunbookList, StartRun,
};
use crate::pages::secrets::{DeleteSecret, NewSecret, SecretDetail, SecretList};
use crate::pages::services::{DeleteService, EditService, NewService, ServiceDetail, ServiceList};
use crate::pages::settings::Settings;
use crate::pages::ssh::{ImportKnownHosts, SshIdentities};
use crate::pages::totp::TotpLogin;
use crate::pages::tuning::HostTuning;
use crate::pages::users::{NewUser, UserDetail, UserList};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <script src="/nav.js" defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every page renders completely on the server before it is sent (`SsrMode::Async`), so
/// the console works with JavaScript off and the status code is known. Only the islands
/// (live logs, run progress, the job form's preview, copy buttons, the CSV file picker)
/// run in the browser; `/nav.js` turns links and form posts into fetches that swap the
/// page's body, so a submit updates the page without a full reload.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/owlery.css"/>
        <Title formatter=|title| format!("{title} · Owlery")/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=Login ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=Setup ssr=SsrMode::Async/>
                <Route path=path!("/login/totp") view=TotpLogin ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=Console ssr=SsrMode::Async>
                    <Route path=path!("") view=Dashboard ssr=SsrMode::Async/>
                    <Route path=path!("hosts") view=HostList ssr=SsrMode::Async/>
                    <Route path=path!("hosts/new") view=NewHost ssr=SsrMode::Async/>
                    <Route path=path!("hosts/:name") view=HostDetail ssr=SsrMode::Async/>
                    <Route path=path!("hosts/:name/edit") view=EditHost ssr=SsrMode::Async/>
                    <Route path=path!("hosts/:name/delete") view=DeleteHost ssr=SsrMode::Async/>
                    <Route path=path!("hosts/:name/tuning") view=HostTuning ssr=SsrMode::Async/>
                    <Route path=path!("services") view=ServiceList ssr=SsrMode::Async/>
                    <Route path=path!("services/new") view=NewService ssr=SsrMode::Async/>
                    <Route path=path!("services/:name") view=ServiceDetail ssr=SsrMode::Async/>
                    <Route path=path!("services/:name/edit") view=EditService ssr=SsrMode::Async/>
                    <Route path=path!("services/:name/delete") view=DeleteService ssr=SsrMode::Async/>
                    <Route path=path!("buckets") view=BucketList ssr=SsrMode::Async/>
                    <Route path=path!("buckets/new") view=NewBucket ssr=SsrMode::Async/>
                    <Route path=path!("buckets/:bucket") view=BucketDetail ssr=SsrMode::Async/>
                    <Route path=path!("buckets/:bucket/edit") view=EditBucket ssr=SsrMode::Async/>
                    <Route path=path!("buckets/:bucket/delete") view=DeleteBucket ssr=SsrMode::Async/>
                    <Route path=path!("buckets/:bucket/users/new") view=NewBucketUser ssr=SsrMode::Async/>
                    <Route path=path!("mail") view=MailList ssr=SsrMode::Async/>
                    <Route path=path!("mail/new") view=NewMailDomain ssr=SsrMode::Async/>
                    <Route path=path!("mail/:domain") view=MailDetail ssr=SsrMode::Async/>
                    <Route path=path!("mail/:domain/edit") view=EditMailDomain ssr=SsrMode::Async/>
                    <Route path=path!("mail/:domain/delete") view=DeleteMailDomain ssr=SsrMode::Async/>
                    <Route path=path!("network") view=NetworkOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("network/:name") view=MeshNodePage ssr=SsrMode::Async/>
                    <Route path=path!("network/:name/tunnels/new") view=NewTunnel ssr=SsrMode::Async/>
                    <Route path=path!("network/:name/tunnels/delete") view=DeleteTunnel ssr=SsrMode::Async/>
                    <Route path=path!("topology") view=TopologyPage ssr=SsrMode::Async/>
                    <Route path=path!("checks") view=ChecksPage ssr=SsrMode::Async/>
                    <Route path=path!("jobs") view=JobList ssr=SsrMode::Async/>
                    <Route path=path!("jobs/new") view=NewJob ssr=SsrMode::Async/>
                    <Route path=path!("jobs/:id") view=JobDetail ssr=SsrMode::Async/>
                    <Route path=path!("runbooks") view=RunbookList ssr=SsrMode::Async/>
                    <Route path=path!("runbooks/:slug") view=RunbookDetail ssr=SsrMode::Async/>
                    <Route path=path!("runbooks/:slug/start") view=StartRun ssr=SsrMode::Async/>
                    <Route path=path!("runbooks/:slug/delete") view=DeleteRunbook ssr=SsrMode::Async/>
                    <Route path=path!("runs") view=RunList ssr=SsrMode::Async/>
                    <Route path=path!("runs/:id") view=RunDetail ssr=SsrMode::Async/>
                    <Route path=path!("runs/:id/env-merge") view=EnvMerge ssr=SsrMode::Async/>
                    <Route path=path!("audit") view=AuditLog ssr=SsrMode::Async/>
                    <Route path=path!("costs") view=CostsOverview ssr=SsrMode::Async/>
                    <Route path=path!("costs/plans") view=PlanList ssr=SsrMode::Async/>
                    <Route path=path!("costs/plans/:id") view=EditPlan ssr=SsrMode::Async/>
                    <Route path=path!("costs/hosts/:name") view=HostCosts ssr=SsrMode::Async/>
                    <Route path=path!("costs/scenarios") view=ScenarioList ssr=SsrMode::Async/>
                    <Route path=path!("costs/scenarios/:id") view=ScenarioDetail ssr=SsrMode::Async/>
                    <Route path=path!("inventory") view=Inventory ssr=SsrMode::Async/>
                    <Route path=path!("inventory/imports/:id") view=ImportPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("settings/secrets") view=SecretList ssr=SsrMode::Async/>
                    <Route path=path!("settings/secrets/new") view=NewSecret ssr=SsrMode::Async/>
                    <Route path=path!("settings/secrets/:name") view=SecretDetail ssr=SsrMode::Async/>
                    <Route path=path!("settings/secrets/:name/delete") view=DeleteSecret ssr=SsrMode::Async/>
                    <Route path=path!("settings") view=Settings ssr=SsrMode::Async/>
                    <Route path=path!("settings/ssh") view=SshIdentities ssr=SsrMode::Async/>
                    <Route path=path!("settings/ssh/known-hosts") view=ImportKnownHosts ssr=SsrMode::Async/>
                    <Route path=path!("settings/users") view=UserList ssr=SsrMode::Async/>
                    <Route path=path!("settings/users/new") view=NewUser ssr=SsrMode::Async/>
                    <Route path=path!("settings/users/:name") view=UserDetail ssr=SsrMode::Async/>
                    <Route path=path!("account") view=Account ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
