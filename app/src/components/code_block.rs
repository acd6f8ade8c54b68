//! A generated file shown for copying: a titled `<pre>`, a Copy button and a Download link.
//!
//! With JavaScript off the text is plain selectable text and the Download link (a GET
//! route served by axum) still works; the Copy button appears only once the page is
//! live, so nobody is offered a button that does nothing.
use leptos::prelude::*;

/// `title` names the file (e.g. `.env.production (S3)`); `download` is the URL of the
/// same text as an attachment, when there is one.
#[component]
pub fn CodeBlock(
    title: String,
    text: String,
    #[prop(optional, into)] download: Option<String>,
    /// A short note under the title: what the file is for, where it goes.
    #[prop(optional, into)]
    help: Option<String>,
) -> impl IntoView {
    view! {
        <figure class="code-block">
            <figcaption>
                <span class="code-title">{title.clone()}</span>
                <span class="code-actions">
                    <CopyButton label=title text=text.clone()/>
                    {download.map(|href| view! { <a class="button small" href=href download="">"Download"</a> })}
                </span>
            </figcaption>
            {help.map(|h| view! { <p class="help">{h}</p> })}
            <pre class="command"><code>{text}</code></pre>
        </figure>
    }
}

/// The Copy button, live in the browser only: the server renders it hidden, so nobody
/// is offered a button that does nothing.
#[island]
fn CopyButton(label: String, text: String) -> impl IntoView {
    // Effects run only in the browser, and hydration starts from the server's state.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let copied = RwSignal::new(false);
    let to_copy = StoredValue::new(text);
    let copy = move |_| {
        copied.set(false);
        clipboard::write(&to_copy.get_value(), move || copied.set(true));
    };
    view! {
        <button type="button" class="small" hidden=move || !live.get() aria-label=format!("Copy {label}") on:click=copy>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
        <span class="visually-hidden" aria-live="polite">{move || copied.get().then_some("Copied to the clipboard")}</span>
    }
}

#[cfg(feature = "hydrate")]
mod clipboard {
    use wasm_bindgen::prelude::*;

    /// Puts `text` on the clipboard; `done` runs once the browser confirms it.
    pub fn write(text: &str, done: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(text);
        let ok: Closure<dyn FnMut(JsValue)> = Closure::once(move |_: JsValue| done());
        let failed: Closure<dyn FnMut(JsValue)> = Closure::once(|e: JsValue| {
            leptos::logging::warn!("copying to the clipboard failed: {e:?}");
        });
        let _ = promise.then2(&ok, &failed);
        // The promise calls one of them later; a few bytes per click stay behind.
        ok.forget();
        failed.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
mod clipboard {
    /// On the server there is no clipboard; the button is never clicked there.
    pub fn write(_text: &str, _done: impl FnOnce() + 'static) {}
}
