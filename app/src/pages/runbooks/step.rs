//! What a step says, wherever it is shown: why it exists, its instructions, what passes
//! a check, and the written way back from a point of no return.
use leptos::prelude::*;

use crate::components::markdown::Markdown;
use crate::model::runbook::{Step, StepKind};

/// `base` resolves the `./` links of the texts: a run page passes `/runs/<id>/`.
#[component]
pub fn StepText(step: Step, #[prop(into, default = "/".to_string())] base: String) -> impl IntoView {
    let pass = (step.kind == StepKind::Check).then(|| {
        let pattern = step
            .pass_pattern
            .clone()
            .map(|p| format!(" and its output matches {p}"))
            .unwrap_or_default();
        format!(
            "Passes when the script exits {} on every host{pattern}.",
            step.pass_exit()
        )
    });
    view! {
        <div class="why"><strong>"Why"</strong><Markdown text=step.why.clone() base=base.clone()/></div>
        {(!step.instructions.is_empty()).then(|| view! {
            <div class="instructions"><Markdown text=step.instructions.clone() base=base.clone()/></div>
        })}
        {pass.map(|p| view! { <p class="help">{p}</p> })}
        {step.point_of_no_return.then(|| view! {
            <div class="point-of-no-return" role="note">
                <p><strong>"⚠ Point of no return."</strong></p>
                <strong>"Rollback"</strong>
                <Markdown text=step.rollback.clone() base=base.clone()/>
            </div>
        })}
    }
}

/// The kind as a badge.
#[component]
pub fn KindBadge(kind: StepKind) -> impl IntoView {
    view! { <span class=format!("badge step-kind {}", kind.as_str())>{kind.as_str()}</span> }
}
