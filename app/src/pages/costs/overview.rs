//! The Costs page: months table, chart, budget, invoices, cost per service.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::forms::{BudgetForm, ImportForm, InvoiceForm};
use super::rates::{ConvertedTotal, RatesCard};
use super::saves;
use super::tables::{head_html, rows_html};
use crate::api::cost_rates::{SetCostRate, SetReportingCurrency};
use crate::api::costs::{get_costs, AddInvoice, ImportInvoices, SetCostMonth};
use crate::components::error::ErrorBox;
use crate::components::layout::IfRole;
use crate::domain::cost_chart::COLOURS;
use crate::domain::costs::PRORATION_RULE;
use crate::domain::url::encode_component;
use crate::model::cost_view::{CostForms, CostsPage, ServiceCost};
use crate::model::user::Role;
use crate::model::AppError;

#[component]
pub fn CostsOverview() -> impl IntoView {
    let query = use_query_map();
    let range = Memo::new(move |_| {
        query.with(|q| (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default()))
    });
    let month = ServerAction::<SetCostMonth>::new();
    let invoice = ServerAction::<AddInvoice>::new();
    let import = ServerAction::<ImportInvoices>::new();
    let rate = ServerAction::<SetCostRate>::new();
    let reporting = ServerAction::<SetReportingCurrency>::new();
    // Every successful save comes back to this page: the counts make it load again.
    let all = [
        saves(month),
        saves(invoice),
        saves(import),
        saves(rate),
        saves(reporting),
    ];
    let page = Resource::new(
        move || (range.get(), all.map(|s| s.get())),
        |((from, to), ..)| get_costs(from, to),
    );
    view! {
        <Title text="Costs"/>
        <header class="page-header">
            <h1>"Costs"</h1>
            <div class="actions">
                <a class="button" href="/costs/plans">"Plans"</a>
                <a class="button" href="/costs/scenarios">"What-if scenarios"</a>
            </div>
        </header>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CostsView page month invoice import rate reporting/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CostsView(
    page: CostsPage,
    month: ServerAction<SetCostMonth>,
    invoice: ServerAction<AddInvoice>,
    import: ServerAction<ImportInvoices>,
    rate: ServerAction<SetCostRate>,
    reporting: ServerAction<SetReportingCurrency>,
) -> impl IntoView {
    let CostsPage {
        from,
        to,
        hosts,
        all_hosts,
        months,
        total,
        chart_svg,
        chart_hosts,
        services_month,
        services,
        invoices,
        rates,
        forms,
        error,
    } = page;
    let rate_input = (forms.rate.clone(), forms.reporting.clone());
    let csv = format!(
        "/costs.csv?from={}&to={}",
        encode_component(&from.to_string()),
        encode_component(&to.to_string())
    );
    let over = months.iter().filter(|m| m.over_budget).count();
    let legend = chart_hosts
        .into_iter()
        .enumerate()
        .map(|(i, h)| view! { <li><span class=format!("swatch seg-{}", i % COLOURS) aria-hidden="true"></span>{h}</li> })
        .collect_view();
    view! {
        <Form method="GET" action="" attr:class="filter" attr:aria-label="Months shown">
            <label for="costs-from">"From"</label>
            <input id="costs-from" type="month" name="from" value=from.to_string()/>
            <label for="costs-to">"To"</label>
            <input id="costs-to" type="month" name="to" value=to.to_string()/>
            <button type="submit">"Show"</button>
            <a class="button" href=csv download="">"Export CSV"</a>
        </Form>
        <section class="card wide cost">
            <h2>"Last 12 months"</h2>
            <figure class="cost-chart-figure">
                <div class="cost-chart-wrap" inner_html=chart_svg></div>
                <figcaption>
                    <ul class="legend">{legend}<li><span class="swatch budget" aria-hidden="true"></span>"Budget"</li></ul>
                </figcaption>
            </figure>
        </section>
        <section class="card wide cost">
            <h2>"Month by month"</h2>
            <p class="summary">
                "Expected from " {from.to_string()} " to " {to.to_string()} ": " <strong class="money">{total.text()}</strong>
                {(over > 0).then(|| format!(" · {over} month(s) over budget"))}
            </p>
            <ConvertedTotal rates=rates.clone()/>
            <p class="help">{PRORATION_RULE}</p>
            {hosts.is_empty().then(|| view! {
                <p class="empty">
                    "Nothing billed in these months yet — give a host a plan from its cost history below, "
                    "or load the reference cluster with " <code>"owlery demo"</code> "."
                </p>
            })}
            <div class="table-wrap"><table class="data costs">
                <thead inner_html=head_html(&hosts)></thead>
                <tbody inner_html=rows_html(&months)></tbody>
            </table></div>
        </section>
        <section class="card wide cost">
            <h2>"Cost history per host"</h2>
            {if all_hosts.is_empty() {
                view! { <p class="empty">"No hosts yet — " <a href="/hosts/new">"add one"</a> " first."</p> }.into_any()
            } else {
                view! {
                    <ul class="inline-list">
                        {all_hosts.into_iter().map(|h| {
                            let href = format!("/costs/hosts/{}", encode_component(&h));
                            view! { <li><a href=href>{h}</a></li> }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <ServiceCosts month=services_month.to_string() services/>
        <section class="card wide cost">
            <h2>"Invoices"</h2>
            {if invoices.is_empty() {
                view! { <p class="empty">"No invoice entered for these months."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr><th>"Month"</th><th>"Provider"</th><th>"Number"</th><th class="num">"Amount"</th></tr></thead>
                        <tbody>
                            {invoices.into_iter().map(|i| view! {
                                <tr><td>{i.month.to_string()}</td><td>{i.provider}</td><td class="mono">{i.number}</td>
                                <td class="num money">{i.amount.to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
        </section>
        <RatesCard rates set_rate=rate set_reporting=reporting input=rate_input error=error.clone()/>
        <IfRole role=Role::Admin>
            <AdminForms month invoice import error=error.clone() forms=forms.clone()/>
        </IfRole>
    }
}

/// The forms only admins see; a failed plain post's error goes to its own form.
#[component]
fn AdminForms(
    month: ServerAction<SetCostMonth>,
    invoice: ServerAction<AddInvoice>,
    import: ServerAction<ImportInvoices>,
    error: Option<(String, AppError)>,
    forms: CostForms,
) -> impl IntoView {
    let carried = |form: &str| error.clone().filter(|(f, _)| f == form).map(|(_, e)| e);
    let CostForms {
        month: month_input,
        invoice: invoice_input,
        csv,
        ..
    } = forms;
    view! {
        <div class="sections">
            <BudgetForm action=month carried=carried("cost-month") input=month_input/>
            <InvoiceForm action=invoice carried=carried("invoice") input=invoice_input/>
            <ImportForm action=import carried=carried("invoice-import") csv/>
        </div>
    }
}

/// Each service's share of its host's cost in the last month of the range.
#[component]
fn ServiceCosts(month: String, services: Vec<ServiceCost>) -> impl IntoView {
    view! {
        <section class="card wide cost">
            <h2>"Cost per service, " {month}</h2>
            <p class="help">
                "A host's cost is split over its services by their expected memory (memory share) when every "
                "service on it has one, else evenly (even split)."
            </p>
            {if services.is_empty() {
                view! { <p class="empty">"No services yet — add them under " <a href="/services">"Services"</a> "."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr><th>"Service"</th><th>"Host"</th><th class="num">"Memory"</th><th class="num">"Cost"</th><th>"Rule"</th></tr></thead>
                        <tbody>
                            {services.into_iter().map(|s| view! {
                                <tr><td>{s.service}</td><td>{s.host}</td>
                                <td class="num">{s.memory_mib.map_or("—".to_owned(), |m| format!("{m} MiB"))}</td>
                                <td class="num money">{s.cost.text()}</td><td>{s.rule}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
        </section>
    }
}
