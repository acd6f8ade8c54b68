//! Server functions of the audit page: the change log, filtered and paged.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::{AuditEntry, AuditQuery};
use crate::model::AppError;

/// Entries per page of the audit log.
pub const PAGE_SIZE: i64 = 50;

/// One page of the audit log, the cursors of its neighbours, and the values the
/// filter fields suggest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// `after=` of the newer page, when there is one.
    pub newer: Option<i64>,
    /// `before=` of the older page, when there is one.
    pub older: Option<i64>,
    pub users: Vec<String>,
    pub kinds: Vec<String>,
    pub actions: Vec<String>,
    pub now: i64,
}

#[server]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::model::user::Role;
    use crate::server::db::audit::{self, Column, Cursor};
    use crate::server::{auth, db, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let mut filter = query
        .parse()
        .map_err(|e| auth::with_status(AppError::Validation(e)))?;
    let admin = session.user.can(Role::Admin);
    filter.without_secrets = !admin;
    let cursor = match (query.before, query.after) {
        (Some(id), _) => Cursor::Before(id),
        (None, Some(id)) => Cursor::After(id),
        (None, None) => Cursor::Newest,
    };
    let pool = app_state()?.db;
    let page = audit::page(&pool, &filter, cursor, PAGE_SIZE).await?;
    Ok(AuditPage {
        entries: page.entries,
        newer: page.newer,
        older: page.older,
        users: audit::distinct(&pool, Column::Actor).await?,
        kinds: audit::distinct(&pool, Column::Kind)
            .await?
            .into_iter()
            .filter(|k| admin || k != crate::server::secrets::AUDIT_KIND)
            .collect(),
        actions: audit::distinct(&pool, Column::Action).await?,
        now: db::now(),
    })
}
