//! Renders runbook texts (see `domain::markdown`) as elements whose text is escaped.
use leptos::prelude::*;

use crate::domain::markdown::{parse, Block, Inline};

/// `text` as paragraphs, lists and code; `./` links resolve against `base`.
#[component]
pub fn Markdown(
    #[prop(into)] text: String,
    #[prop(into, default = "/".to_string())] base: String,
) -> impl IntoView {
    let blocks = parse(&text, &base);
    view! { <div class="markdown">{blocks.into_iter().map(block).collect_view()}</div> }
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Paragraph(inlines) => view! { <p>{spans(inlines)}</p> }.into_any(),
        Block::List {
            ordered: false,
            items,
        } => view! { <ul>{items.into_iter().map(|i| view! { <li>{spans(i)}</li> }).collect_view()}</ul> }
            .into_any(),
        Block::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{spans(i)}</li> }).collect_view()}</ol> }
                .into_any()
        }
        Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
    }
}

fn spans(inlines: Vec<Inline>) -> impl IntoView {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(t) => t.into_any(),
            Inline::Code(c) => view! { <code>{c}</code> }.into_any(),
            Inline::Strong(s) => view! { <strong>{s}</strong> }.into_any(),
            Inline::Emphasis(e) => view! { <em>{e}</em> }.into_any(),
            Inline::Link { text, href } => view! { <a href=href>{text}</a> }.into_any(),
        })
        .collect_view()
}
