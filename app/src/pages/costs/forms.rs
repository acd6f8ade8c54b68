//! The Costs page's forms: budget and active users, an invoice, a CSV import.
use leptos::prelude::*;

use crate::api::costs::{AddInvoice, ImportInvoices, SetCostMonth};
use crate::components::form::{form_error, Field, FormMessage};
use crate::model::AppError;

#[component]
pub fn BudgetForm(
    action: ServerAction<SetCostMonth>,
    carried: Option<AppError>,
    this_month: String,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "month";
    view! {
        <section class="card">
            <h2>"Budget and active users"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form=F field="month" label="Month" value=this_month error input_type="month"
                    help="YYYY-MM. A budget holds from this month on, until another is set."/>
                <Field form=F field="budget" label="Monthly budget" value=String::new() error numeric=true
                    help="e.g. 5.00; leave empty to keep the current one."/>
                <Field form=F field="currency" label="Budget currency" value="EUR".to_owned() error/>
                <Field form=F field="active_users" label="Active users that month" value=String::new() error numeric=true
                    help="From the instance's admin dashboard; gives the cost per user."/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Save month"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn InvoiceForm(
    action: ServerAction<AddInvoice>,
    carried: Option<AppError>,
    this_month: String,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "invoice";
    view! {
        <section class="card">
            <h2>"Enter an invoice"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form=F field="month" label="Invoice month" value=this_month error input_type="month"/>
                <Field form=F field="provider" label="Provider" value="Scaleway".to_owned() error/>
                <Field form=F field="number" label="Invoice number" value=String::new() error mono=true
                    help="As printed on the invoice: entering the same number again replaces it."/>
                <Field form=F field="amount" label="Amount" value=String::new() error numeric=true help="e.g. 4.00 or 4,00"/>
                <Field form=F field="currency" label="Currency" value="EUR".to_owned() error/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Add invoice"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ImportForm(action: ServerAction<ImportInvoices>, carried: Option<AppError>) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    let message = move || error.get().and_then(|e| e.field_message("csv"));
    view! {
        <section class="card">
            <h2>"Import invoices from CSV"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <div class="field wide" class:invalid=move || message().is_some()>
                    <label for="invoice-csv">"CSV lines"</label>
                    <textarea id="invoice-csv" name="csv" rows="5" class="mono"
                        aria-invalid=move || message().map(|_| "true") aria-describedby="invoice-csv-error"
                        placeholder="2026-03,Scaleway,SCW-2026-03,4.00,EUR"></textarea>
                    <p class="help">
                        "Columns month, provider, number, amount, currency; comma or semicolon separated, header "
                        "optional. An invoice already known (same provider and number) is updated, not counted twice."
                    </p>
                    <p class="field-error" id="invoice-csv-error">{message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Import invoices"</button>
                </div>
            </ActionForm>
        </section>
    }
}
