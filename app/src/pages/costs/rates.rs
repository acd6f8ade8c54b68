//! Exchange rates on the Costs page: the converted grand total, the rates, their forms.
use leptos::prelude::*;

use crate::api::cost_rates::{SetCostRate, SetReportingCurrency};
use crate::components::form::{form_error, Field, FormMessage};
use crate::components::layout::IfRole;
use crate::domain::rates::CONVERSION_RULE;
use crate::model::cost::RateInput;
use crate::model::cost_view::RatesView;
use crate::model::user::Role;
use crate::model::AppError;

/// The grand total in the reporting currency, said to be converted and with which rates;
/// or why the totals stay per currency. Nothing when there is nothing to convert.
#[component]
pub fn ConvertedTotal(rates: RatesView) -> impl IntoView {
    let RatesView {
        reporting,
        day,
        converted,
        ..
    } = rates;
    let reporting = reporting.map_or(String::new(), |c| c.to_string());
    converted.map(|c| match c {
        Ok((total, used)) => view! {
            <p class="summary converted">
                "Converted to " {reporting.clone()} ": " <strong class="money">{total.to_string()}</strong>
                " (at the rates valid on " {day.clone()} ": " {used.join("; ")} ")"
            </p>
            <p class="help">{CONVERSION_RULE}</p>
        }
        .into_any(),
        Err(why) => view! { <p class="help not-converted">{why}</p> }.into_any(),
    })
}

/// The stored rates, and for admins the forms to add one and to choose the reporting
/// currency.
#[component]
pub fn RatesCard(
    rates: RatesView,
    set_rate: ServerAction<SetCostRate>,
    set_reporting: ServerAction<SetReportingCurrency>,
    /// The rate and reporting forms' values.
    input: (RateInput, String),
    error: Option<(String, AppError)>,
) -> impl IntoView {
    let carried = |form: &str| error.clone().filter(|(f, _)| f == form).map(|(_, e)| e);
    let (rate_carried, reporting_carried) = (carried("cost-rate"), carried("cost-reporting"));
    let reporting = rates
        .reporting
        .map_or("none: totals stay per currency".to_owned(), |c| c.to_string());
    let (rate_input, reporting_input) = input;
    view! {
        <section class="card wide cost">
            <h2>"Exchange rates"</h2>
            <p>"Reporting currency: " <strong>{reporting}</strong></p>
            {if rates.rates.is_empty() {
                view! { <p class="empty">"No rates yet: totals in several currencies are shown side by side."</p> }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data rates">
                        <thead><tr><th>"Rate"</th><th>"Valid from"</th></tr></thead>
                        <tbody>
                            {rates.rates.into_iter().map(|r| view! {
                                <tr><td class="mono">{r.rate}</td><td>{r.valid_from}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
        </section>
        <IfRole role=Role::Admin>
            <div class="sections">
                <RateForm action=set_rate input=rate_input.clone() carried=rate_carried.clone()/>
                <ReportingForm action=set_reporting value=reporting_input.clone() carried=reporting_carried.clone()/>
            </div>
        </IfRole>
    }
}

#[component]
fn RateForm(action: ServerAction<SetCostRate>, input: RateInput, carried: Option<AppError>) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "rate";
    view! {
        <section class="card">
            <h2>"Set a rate"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form=F field="from" label="From currency" value=input.from error help="e.g. USD"/>
                <Field form=F field="to" label="To currency" value=input.to error/>
                <Field form=F field="rate" label="Rate" value=input.rate error numeric=true mono=true
                    help="What 1 of the first currency is worth in the second, e.g. 0.92; up to 9 decimals, kept exact."/>
                <Field form=F field="valid_from" label="Valid from" value=input.valid_from error input_type="date"
                    help="The rate holds from this day until a later rate of the same pair."/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Set rate"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReportingForm(
    action: ServerAction<SetReportingCurrency>,
    value: String,
    carried: Option<AppError>,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    view! {
        <section class="card">
            <h2>"Reporting currency"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form="reporting" field="currency" flat=true label="Convert totals into" value error
                    help="e.g. EUR; leave empty to keep totals per currency."/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Set reporting currency"</button>
                </div>
            </ActionForm>
        </section>
    }
}
