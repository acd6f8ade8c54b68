//! /runs/:id/env-merge: paste the source's and the target's `.env.production`, see the
//! three-way table with the inventory's values (secrets masked), download the merged
//! file. A plain form: the table comes back through the session once, the file only as
//! the download's POST response, so secret values never reach a page.
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::env_merge::{get_env_merge, EnvMergeView, MergeEnv};
use crate::components::error::ErrorBox;
use crate::model::AppError;

#[component]
pub fn EnvMerge() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let page = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_env_merge(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {move || view! { <Title text=id.get().map_or_else(|| "Merge .env.production".to_owned(), |id| format!("Run {id}: merge .env.production"))/> }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let run = page.run;
                        view! {
                            <header class="page-header">
                                <h1>"Merge .env.production"</h1>
                                <div class="actions"><a class="button" href=format!("/runs/{run}")>{format!("Back to run {run}")}</a></div>
                            </header>
                            <p class="help">{format!("{}. ", page.title)}
                                "The inventory gives the addresses of PostgreSQL, Redis, the bucket and the mail relay; \
                                 the source keeps the instance's identity and secrets; a setting only the target has is kept. \
                                 Secret values are never shown here, only whether they are set and match the source's."</p>
                            <form method="post" action=MergeEnv::PATH class="env-merge">
                                <input type="hidden" name="run" value=run.to_string()/>
                                <div class="field">
                                    <label for="env-source">"The source's .env.production"</label>
                                    <textarea id="env-source" name="source" rows="12" class="mono" spellcheck="false"></textarea>
                                    <p class="help">"The production file on the host Mastodon runs on today."</p>
                                </div>
                                <div class="field">
                                    <label for="env-target">"The target's current file"</label>
                                    <textarea id="env-target" name="target" rows="12" class="mono" spellcheck="false"></textarea>
                                    <p class="help">"The test instance's .env.production on the web host (empty if there is none)."</p>
                                </div>
                                <div class="form-actions">
                                    <button type="submit">"Show the three-way table"</button>
                                    <button type="submit" class="primary" formaction=format!("/runs/{run}/env-merge/download") data-native="">
                                        "Download the merged file"
                                    </button>
                                </div>
                                <p class="help">"Nothing is stored. The table needs the files pasted again before a download."</p>
                            </form>
                            {page.table.map(|table| view! { <MergeTable table/> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MergeTable(table: EnvMergeView) -> impl IntoView {
    let conflicts = table.rows.iter().filter(|r| r.conflict).count();
    view! {
        <section class="env-merge-table">
            <h2>{format!("Merged for {}", table.host)}</h2>
            <p class="count" role="status">{format!(
                "{} settings, {} to check",
                table.rows.len(),
                conflicts
            )}</p>
            {(!table.problems.is_empty()).then(|| view! {
                <ul class="problems">{table.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            })}
            <div class="table-wrap">
                <table class="data env-merge">
                    <thead><tr>
                        <th>"Key"</th><th>"Source"</th><th>"Inventory"</th><th>"Target"</th><th>"Merged"</th><th>"State"</th>
                    </tr></thead>
                    <tbody>
                        {table.rows.into_iter().map(|r| view! {
                            <tr class:conflict=r.conflict data-key=r.key.clone()>
                                <td class="mono">{r.key.clone()}{r.secret.then(|| view! { " " <span class="badge">"secret"</span> })}</td>
                                <td class="mono">{r.source}</td>
                                <td class="mono">{r.inventory}</td>
                                <td class="mono">{r.target}</td>
                                <td class="mono">{r.merged}</td>
                                <td>{if r.conflict {
                                    view! { <span class="badge warning">"⚠ check"</span> }.into_any()
                                } else {
                                    view! { <span class="badge ok">"✓ ok"</span> }.into_any()
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
