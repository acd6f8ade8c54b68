//! Server functions of the migration wizard's `.env.production` merge (/runs/:id/env-merge).
//! The merged file itself, secrets included, is only ever a download: the axum route
//! `POST /runs/{id}/env-merge/download` (server crate), never a page.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::AppError;

/// One key of the merge as a page may show it: secret values only as "set, same" etc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRow {
    pub key: String,
    pub source: String,
    pub inventory: String,
    pub target: String,
    pub merged: String,
    pub conflict: bool,
    pub secret: bool,
}

/// The three-way table and what was wrong in the pasted files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvMergeView {
    pub host: String,
    pub rows: Vec<EnvRow>,
    pub problems: Vec<String>,
}

/// The merge page: its run, and the table of the last plain-form submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvMergePage {
    pub run: i64,
    pub title: String,
    pub table: Option<EnvMergeView>,
}

/// The flash slot of the table shown after a plain form post.
#[cfg(feature = "ssr")]
const FORM: &str = "env-merge";

#[server]
pub async fn get_env_merge(run: i64) -> Result<EnvMergePage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state};
    auth::require(Role::Operator)?;
    let state = app_state()?;
    let title: String = sqlx::query_scalar("SELECT title FROM runs WHERE id = ?")
        .bind(run)
        .fetch_one(&state.db)
        .await?;
    let table = forms::take_once::<EnvMergeView>(FORM).await;
    Ok(EnvMergePage { run, title, table })
}

/// The three-way table of the pasted files against the inventory, secrets masked.
#[server]
pub async fn merge_env(run: i64, source: String, target: String) -> Result<EnvMergeView, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, runbooks::generated, state::app_state};
    auth::require(Role::Operator)?;
    let state = app_state()?;
    let mut conn = state.db.acquire().await?;
    let (host, rows, problems) = generated::env_merge(&mut conn, run, &source, &target).await?;
    let rows = rows
        .iter()
        .map(|r| {
            let [source, inventory, target, merged] = crate::domain::env_merge::masked(r);
            EnvRow {
                key: r.key.clone(),
                source,
                inventory,
                target,
                merged,
                conflict: r.conflict,
                secret: r.secret,
            }
        })
        .collect();
    let view = EnvMergeView { host, rows, problems };
    forms::show_once(FORM, &view).await;
    Ok(view)
}
