//! The dashboard's figures.
use leptos::prelude::*;

use crate::model::dashboard::Dashboard;
use crate::model::AppError;

#[server]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, secrets, state::app_state};
    let session = auth::require(Role::Viewer)?;
    let state = app_state()?;
    let (hosts, ipv6_only_hosts, vcpus, ram_mib, disk_gb) = db::hosts::totals(&state.db).await?;
    let (check_errors, check_warnings, _) = crate::domain::checks::counts(
        &crate::server::checks::run(&state.db, Some(&state.master_key), None).await?,
    );
    Ok(Dashboard {
        now: db::now(),
        hosts,
        services: db::services::count(&state.db).await?,
        ipv6_only_hosts,
        vcpus,
        ram_mib,
        disk_gb,
        users: db::users::count(&state.db).await?,
        check_errors,
        check_warnings,
        latest_changes: secrets::log_visible_to(&session.user, db::audit::latest(&state.db, 10).await?),
    })
}
