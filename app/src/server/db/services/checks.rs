//! The checks a draft must pass against the database: its host and dependencies exist,
//! it does not depend on itself, and no dependency leads back to it.
use sqlx::SqliteConnection;

use super::malformed;
use crate::model::service::{find_cycle, ServiceDraft};
use crate::model::{AppError, FieldErrors};

/// The host's id and the dependencies' ids of a draft, or the field errors saying which
/// do not exist, which is the service itself, and which cycle the dependencies would
/// close. `current` is the service being edited (id and name), None when creating.
pub(super) async fn resolve(
    conn: &mut SqliteConnection,
    d: &ServiceDraft,
    current: Option<(i64, &str)>,
) -> Result<(i64, Vec<i64>), AppError> {
    let mut errors = FieldErrors::default();
    let host_id: Option<i64> = sqlx::query_scalar("SELECT id FROM hosts WHERE name = ?")
        .bind(d.host.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if host_id.is_none() {
        errors.add("host", format!("there is no host named {}", d.host));
    }
    let mut ids = Vec::new();
    let mut missing = Vec::new();
    for dep in &d.deps {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM services WHERE name = ?")
            .bind(dep.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        match id {
            Some(id) if current.is_some_and(|(me, _)| me == id) => {
                errors.add("deps", format!("{} cannot depend on itself", d.name));
            }
            Some(id) => ids.push(id),
            None => missing.push(dep.as_str()),
        }
    }
    if !missing.is_empty() {
        let what = if missing.len() == 1 {
            "is no service"
        } else {
            "are no services"
        };
        errors.add("deps", format!("there {what} named {}", missing.join(", ")));
    }
    // A new service has no dependents yet, so only an edit can close a cycle.
    if let (Some((_, me)), true) = (current, errors.is_empty()) {
        let edges: Vec<(String, String)> = serde_json::from_str(
            &sqlx::query_scalar::<_, String>(
                "SELECT json_group_array(json_array(s.name, d.name))
                 FROM service_deps sd JOIN services s ON s.id = sd.service_id
                 JOIN services d ON d.id = sd.depends_on",
            )
            .fetch_one(&mut *conn)
            .await?,
        )
        .map_err(malformed)?;
        let deps: Vec<String> = d.deps.iter().map(ToString::to_string).collect();
        if let Some(cycle) = find_cycle(me, &deps, &edges) {
            // The cycle starts and ends at the edited service, which may be renamed.
            let last = cycle.len() - 1;
            let spelled: Vec<&str> = cycle
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if i == 0 || i == last {
                        d.name.as_str()
                    } else {
                        n.as_str()
                    }
                })
                .collect();
            errors.add(
                "deps",
                format!("this would make a cycle: {}", spelled.join(" → ")),
            );
        }
    }
    match host_id {
        Some(host_id) if errors.is_empty() => Ok((host_id, ids)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The refusal to delete a service others still depend on, naming them.
pub fn still_needed(name: &str, dependents: &[String]) -> AppError {
    let verb = if dependents.len() == 1 {
        "depends"
    } else {
        "depend"
    };
    AppError::Conflict(format!(
        "{name} cannot be deleted: {} {verb} on it; change or delete {} first",
        dependents.join(", "),
        if dependents.len() == 1 { "it" } else { "them" }
    ))
}
