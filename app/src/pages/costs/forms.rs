//! The Costs page's forms: budget and active users, an invoice, a CSV import.
use leptos::prelude::*;

use crate::api::costs::{AddInvoice, ImportInvoices, SetCostMonth};
use crate::components::form::{form_error, Field, FormMessage};
use crate::model::cost::{InvoiceInput, MonthInput};
use crate::model::AppError;

#[component]
pub fn BudgetForm(
    action: ServerAction<SetCostMonth>,
    carried: Option<AppError>,
    input: MonthInput,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "month";
    view! {
        <section class="card">
            <h2>"Budget and active users"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form=F field="month" label="Month" value=input.month error input_type="month"
                    help="YYYY-MM. A budget holds from this month on, until another is set."/>
                <Field form=F field="budget" label="Monthly budget" value=input.budget error numeric=true
                    help="e.g. 5.00; leave empty to keep the current one."/>
                <Field form=F field="currency" label="Budget currency" value=input.currency error/>
                <Field form=F field="active_users" label="Active users that month" value=input.active_users error numeric=true
                    help="From the instance's admin dashboard; gives the cost per user."/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Save month"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn InvoiceForm(
    action: ServerAction<AddInvoice>,
    carried: Option<AppError>,
    input: InvoiceInput,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    const F: &str = "invoice";
    view! {
        <section class="card">
            <h2>"Enter an invoice"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <Field form=F field="month" label="Invoice month" value=input.month error input_type="month"/>
                <Field form=F field="provider" label="Provider" value=input.provider error/>
                <Field form=F field="number" label="Invoice number" value=input.number error mono=true
                    help="As printed on the invoice: entering the same number again replaces it."/>
                <Field form=F field="amount" label="Amount" value=input.amount error numeric=true help="e.g. 4.00 or 4,00"/>
                <Field form=F field="currency" label="Currency" value=input.currency error/>
                <div class="form-actions">
                    <button type="submit" class="primary">"Add invoice"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Pasted CSV lines, or with JavaScript on a file read into the same box. The file
/// picker shows only once the page is live; without JavaScript the paste path remains.
#[component]
pub fn ImportForm(
    action: ServerAction<ImportInvoices>,
    carried: Option<AppError>,
    csv: String,
) -> impl IntoView {
    let error = form_error(move || action.value().get(), carried);
    let message = move || error.get().and_then(|e| e.field_message("csv"));
    view! {
        <section class="card">
            <h2>"Import invoices from CSV"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <CsvFilePicker/>
                <div class="field wide" class:invalid=move || message().is_some()>
                    <label for="invoice-csv">"CSV lines"</label>
                    <textarea id="invoice-csv" name="csv" rows="5" class="mono"
                        aria-invalid=move || message().map(|_| "true") aria-describedby="invoice-csv-error"
                        placeholder="2026-03,Scaleway,SCW-2026-03,4.00,EUR">{csv}</textarea>
                    <p class="help">
                        "Columns month, provider, number, amount, currency; comma or semicolon separated, header "
                        "optional. An invoice already known (same provider and number) is updated, not counted twice."
                    </p>
                    <p class="field-error" id="invoice-csv-error">{message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">"Import invoices"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The file picker, live in the browser only (the server renders it hidden): the chosen
/// file's text goes into the CSV box, to be checked before it is imported.
#[island]
fn CsvFilePicker() -> impl IntoView {
    // Effects run only in the browser, and hydration starts from the server's state.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let pick = move |ev: leptos::ev::Event| csv_file::read(&ev, csv_file::fill_box);
    view! {
        <div class="field wide csv-file" hidden=move || !live.get()>
            <label for="invoice-csv-file">"CSV file"</label>
            <input id="invoice-csv-file" type="file" accept=".csv,text/csv,text/plain" on:change=pick/>
            <p class="help">"Its lines are put in the box below to check before importing."</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod csv_file {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Reads the file chosen in the input `ev` came from as text; `done` gets it.
    pub fn read(ev: &web_sys::Event, done: impl FnOnce(String) + 'static) {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        let ok: Closure<dyn FnMut(JsValue)> =
            Closure::once(move |v: JsValue| done(v.as_string().unwrap_or_default()));
        let failed: Closure<dyn FnMut(JsValue)> = Closure::once(|e: JsValue| {
            leptos::logging::warn!("reading the CSV file failed: {e:?}");
        });
        let _ = file.text().then2(&ok, &failed);
        // The promise calls one of them later; a few bytes per file chosen stay behind.
        ok.forget();
        failed.forget();
    }

    /// Puts `text` in the import form's CSV box.
    pub fn fill_box(text: String) {
        let area = leptos::prelude::document()
            .get_element_by_id("invoice-csv")
            .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
        if let Some(area) = area {
            area.set_value(&text);
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod csv_file {
    /// On the server no file is ever chosen.
    pub fn read(_ev: &leptos::ev::Event, _done: impl FnOnce(String) + 'static) {}

    /// Nor is there a box to fill.
    pub fn fill_box(_text: String) {}
}
