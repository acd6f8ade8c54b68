//! One mail domain: the route its mail takes, the DNS lines and SMTP block, its history.
use leptos::prelude::*;
use leptos_meta::Title;

use super::use_domain;
use crate::api::mail::{get_mail_domain, MailPage};
use crate::components::code_block::CodeBlock;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::components::time::Age;
use crate::model::mail::MailHop;
use crate::model::user::Role;
use crate::pages::dashboard::ChangeList;

#[component]
pub fn MailDetail() -> impl IntoView {
    let domain = use_domain();
    let page = Resource::new(move || domain.get(), get_mail_domain);
    view! {
        {move || view! { <Title text=domain.get()/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <MailView page/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "opensmtpd on hermes, [fd00:6f77::1]:25", the service linked.
fn hop_view(hop: MailHop) -> impl IntoView {
    let at = match (&hop.listen_addr, hop.port) {
        (Some(addr), Some(port)) if addr.contains(':') => format!(" — [{addr}]:{port}"),
        (Some(addr), Some(port)) => format!(" — {addr}:{port}"),
        _ => String::new(),
    };
    let href = format!("/services/{}", hop.service);
    view! {
        <a href=href>{hop.service.clone()}</a>
        " on " <a href=format!("/hosts/{}", hop.host)>{hop.host.clone()}</a>
        <span class="mono">{at}</span>
    }
}

#[component]
fn MailView(page: MailPage) -> impl IntoView {
    let MailPage {
        domain: m,
        relay,
        signing,
        files,
        history,
        now,
    } = page;
    let edit = format!("/mail/{}/edit", m.domain);
    let delete = format!("/mail/{}/delete", m.domain);
    let blocks = files
        .into_iter()
        .map(|f| {
            let href = format!("/mail/{}/files/{}", m.domain, f.file);
            view! { <CodeBlock title=f.title text=f.text download=href help=f.help/> }
        })
        .collect_view();
    view! {
        <header class="page-header">
            <h1>{m.domain.clone()}</h1>
            <span class="badge">{format!("DMARC {}", m.dmarc_policy)}</span>
            <div class="actions">
                <IfRole role=Role::Admin>
                    <a class="button" href=edit.clone()>"Edit"</a>
                    <a class="button danger" href=delete.clone()>"Delete"</a>
                </IfRole>
            </div>
        </header>
        <div class="sections">
            <section class="card">
                <h2>"Route"</h2>
                <dl>
                    <dt>"Relay"</dt><dd>{hop_view(relay)}</dd>
                    <dt>"Signing"</dt><dd>{hop_view(signing)}</dd>
                    <dt>"From"</dt><dd class="mono">{m.from_address.clone()}</dd>
                    <dt>"MX host"</dt><dd class="mono">{m.mx_host.clone()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>"DKIM and DMARC"</h2>
                <dl>
                    <dt>"Selector"</dt><dd class="mono">{m.dkim_selector.clone()}</dd>
                    <dt>"Private key in"</dt>
                    <dd><a class="mono" href=format!("/settings/secrets/{}", m.dkim_secret)>{m.dkim_secret.clone()}</a></dd>
                    <dt>"DMARC policy"</dt><dd>{m.dmarc_policy.clone()}</dd>
                    <dt>"Reports to"</dt><dd class="mono">{m.dmarc_report.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"TTL"</dt><dd>{format!("{} s", m.ttl)}</dd>
                </dl>
                {(!m.notes.is_empty()).then(|| view! { <p class="notes">{m.notes.clone()}</p> })}
            </section>
            <section class="card wide">
                <h2>"Generated files"</h2>
                {blocks}
            </section>
            <section class="card wide">
                <h2>"Change history"</h2>
                <p class="help">"Added " <Age at=m.created_at now/> ", last changed " <Age at=m.updated_at now/> "."</p>
                <ChangeList entries=history now/>
            </section>
        </div>
    }
}
