//! Times as relative age, with the absolute UTC time on hover.
use leptos::prelude::*;

use crate::domain::time::{age, utc};

#[component]
pub fn Age(at: i64, now: i64) -> impl IntoView {
    view! { <time title=utc(at)>{age(at, now)}</time> }
}
