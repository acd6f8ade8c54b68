//! Form fields: label above, help under, the error next to the field that caused it.
use leptos::prelude::*;

use crate::model::AppError;

/// The error of the last submission: from the action (JavaScript on) or carried back
/// in the session after a plain form post (JavaScript off).
pub type FormError = Signal<Option<AppError>>;

/// The error to show: the last result of the form's action (JavaScript on), else the
/// one carried back in the session after a plain form post (JavaScript off).
pub fn form_error<T>(
    value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    carried: Option<AppError>,
) -> FormError {
    Signal::derive(move || match value() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => carried.clone(),
    })
}

fn field_message(error: FormError, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.get().and_then(|e| e.field_message(field))
}

/// One text input. `form` and `field` make its id and its name: `form[field]` for a
/// server function taking a struct named `form`, or just `field` with `flat` for one
/// taking plain arguments.
#[component]
pub fn Field(
    form: &'static str,
    field: &'static str,
    label: &'static str,
    value: String,
    error: FormError,
    #[prop(optional)] flat: bool,
    #[prop(optional)] help: &'static str,
    #[prop(optional)] mono: bool,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let message = field_message(error, field);
    let id = format!("{form}-{field}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=if flat { field.to_owned() } else { format!("{form}[{field}]") }
                type=input_type.unwrap_or("text")
                value=value
                class:mono=mono
                inputmode=numeric.then_some("numeric")
                autocomplete=autocomplete
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=error_id.clone()
            />
            {(!help.is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// A multi-line text field.
#[component]
pub fn TextArea(
    form: &'static str,
    field: &'static str,
    label: &'static str,
    value: String,
    error: FormError,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    let message = field_message(error, field);
    let id = format!("{form}-{field}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field wide" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=format!("{form}[{field}]")
                rows="4"
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=error_id.clone()
            >
                {value}
            </textarea>
            {(!help.is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// A choice among fixed options.
#[component]
pub fn Select(
    form: &'static str,
    field: &'static str,
    label: &'static str,
    value: String,
    options: &'static [&'static str],
    error: FormError,
    #[prop(optional)] flat: bool,
) -> impl IntoView {
    let message = field_message(error, field);
    let id = format!("{form}-{field}");
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=if flat { field.to_owned() } else { format!("{form}[{field}]") }>
                {options
                    .iter()
                    .map(|o| view! { <option value=*o selected=value == *o>{*o}</option> })
                    .collect_view()}
            </select>
            <p class="field-error">{message}</p>
        </div>
    }
}

/// The form-level message: conflicts, failures, and a summary of field errors.
#[component]
pub fn FormMessage(error: FormError) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="form-message" role="alert">
                    "⚠ "
                    {e.to_string()}
                </p>
            }
        })
    }
}
