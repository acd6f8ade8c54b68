//! Each host's tuning settings: how to reach systemd and where the units live.
use sqlx::SqliteConnection;

use super::now;
use crate::domain::unit_instance::units::Layout;
use crate::model::tuning::TuningSettings;
use crate::model::AppError;

#[derive(sqlx::FromRow)]
struct TuningRow {
    systemctl: String,
    unit_dir: String,
    decoder: String,
    run_as: String,
    working_dir: String,
    puma_command: String,
    sidekiq_command: String,
    version: i64,
}

impl From<TuningRow> for (TuningSettings, i64) {
    fn from(r: TuningRow) -> Self {
        let settings = TuningSettings {
            // Stored as the words joined by single spaces; no word holds a space.
            systemctl: r.systemctl.split_whitespace().map(str::to_owned).collect(),
            layout: Layout {
                unit_dir: r.unit_dir,
                decoder: r.decoder,
                user: r.run_as,
                working_dir: r.working_dir,
                puma_command: r.puma_command,
                sidekiq_command: r.sidekiq_command,
            },
        };
        (settings, r.version)
    }
}

/// The host's own settings and their version; `None` when it uses the defaults.
pub async fn get(
    conn: &mut SqliteConnection,
    host_id: i64,
) -> Result<Option<(TuningSettings, i64)>, AppError> {
    let row: Option<TuningRow> = sqlx::query_as(
        "SELECT systemctl, unit_dir, decoder, run_as, working_dir, puma_command, sidekiq_command, version
         FROM host_tuning WHERE host_id = ?",
    )
    .bind(host_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Into::into))
}

/// Writes the settings if they are still at `version` (0: the host had none yet).
/// Another admin's save in between is a conflict, not an overwrite.
pub async fn save(
    conn: &mut SqliteConnection,
    host_id: i64,
    s: &TuningSettings,
    version: i64,
) -> Result<(), AppError> {
    let l = &s.layout;
    let systemctl = s.systemctl.join(" ");
    let done = if version == 0 {
        sqlx::query(
            "INSERT INTO host_tuning (host_id, systemctl, unit_dir, decoder, run_as, working_dir,
                 puma_command, sidekiq_command, version, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (host_id) DO NOTHING",
        )
        .bind(host_id)
    } else {
        sqlx::query(
            "UPDATE host_tuning SET systemctl = ?, unit_dir = ?, decoder = ?, run_as = ?, working_dir = ?,
                 puma_command = ?, sidekiq_command = ?, version = version + 1, updated_at = ?
             WHERE host_id = ? AND version = ?",
        )
    };
    let query = done
        .bind(systemctl)
        .bind(&l.unit_dir)
        .bind(&l.decoder)
        .bind(&l.user)
        .bind(&l.working_dir)
        .bind(&l.puma_command)
        .bind(&l.sidekiq_command)
        .bind(now());
    let query = if version == 0 {
        query
    } else {
        query.bind(host_id).bind(version)
    };
    if query.execute(conn).await?.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Someone else changed these settings meanwhile; reload the page and try again.".into(),
        ));
    }
    Ok(())
}
