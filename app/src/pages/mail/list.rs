//! The mail domains list: filter, count, and an empty state that says what to do.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::mail::list_mail_domains;
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::model::mail::MailListItem;
use crate::model::user::Role;

#[component]
pub fn MailList() -> impl IntoView {
    let query_map = use_query_map();
    let q = Memo::new(move |_| query_map.with(|m| m.get("q").unwrap_or_default()));
    let domains = Resource::new(move || q.get(), list_mail_domains);
    view! {
        <Title text="Mail"/>
        <header class="page-header">
            <h1>"Mail domains"</h1>
            <IfRole role=Role::Admin>
                <a class="button primary" href="/mail/new">"Add mail domain"</a>
            </IfRole>
        </header>
        <Form method="GET" action="" attr:class="filter" attr:role="search">
            <label for="filter">"Filter"</label>
            <input id="filter" type="search" name="q" value=move || q.get() placeholder="domain, relay, host…"/>
            <button type="submit">"Filter"</button>
        </Form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match domains.await {
                    Ok(list) => view! { <MailTable domains=list q=q.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MailTable(domains: Vec<MailListItem>, q: String) -> impl IntoView {
    if domains.is_empty() {
        let text = if q.is_empty() {
            view! {
                "No mail domains yet — " <a href="/mail/new">"add one"</a>
                " (it needs an OpenSMTPD and a dkimproxy service) or load the reference cluster with "
                <code>"owlery demo"</code> "."
            }
            .into_any()
        } else {
            view! { "No mail domain matches " <q>{q}</q> ". " <a href="/mail">"Clear the filter"</a> }
                .into_any()
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let count = domains.len();
    let rows = domains
        .into_iter()
        .map(|m| {
            let href = format!("/mail/{}", m.domain);
            view! {
                <tr>
                    <td><a href=href>{m.domain}</a></td>
                    <td>{m.relay}</td>
                    <td class="mono">{m.dkim_selector}</td>
                    <td>{m.dmarc_policy}</td>
                    <td class="mono">{m.from_address}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="count" role="status">{format!("{count} mail domain{}", if count == 1 { "" } else { "s" })}</p>
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr><th>"Domain"</th><th>"Relay"</th><th>"DKIM selector"</th><th>"DMARC"</th><th>"From"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
