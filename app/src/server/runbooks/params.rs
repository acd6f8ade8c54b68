//! A run's parameter values, each checked by its kind against the inventory.
use std::collections::BTreeMap;

use sqlx::SqliteConnection;

use crate::domain::names::parse_dns_name;
use crate::model::runbook::{number_in, Param, ParamKind};
use crate::model::{AppError, FieldErrors};

/// The most a text value may hold.
const MAX_TEXT: usize = 4000;

/// What the inventory offers for a kind: host names, role tags, buckets, secret names.
pub async fn options(conn: &mut SqliteConnection, kind: ParamKind) -> Result<Vec<String>, AppError> {
    let sql = match kind {
        ParamKind::Host => "SELECT name FROM hosts ORDER BY name",
        ParamKind::Role => "SELECT DISTINCT tag FROM host_tags ORDER BY tag",
        ParamKind::Bucket => "SELECT name FROM buckets ORDER BY name",
        ParamKind::Secret => "SELECT name FROM secrets ORDER BY name",
        _ => return Ok(Vec::new()),
    };
    Ok(sqlx::query_scalar(sql).fetch_all(conn).await?)
}

async fn exists(conn: &mut SqliteConnection, kind: ParamKind, value: &str) -> Result<bool, AppError> {
    let sql = match kind {
        ParamKind::Host => "SELECT count(*) FROM hosts WHERE name = ?",
        ParamKind::Role => "SELECT count(*) FROM host_tags WHERE tag = ?",
        ParamKind::Bucket => "SELECT count(*) FROM buckets WHERE name = ?",
        ParamKind::Secret => "SELECT count(*) FROM secrets WHERE name = ?",
        _ => return Ok(true),
    };
    let n: i64 = sqlx::query_scalar(sql).bind(value).fetch_one(conn).await?;
    Ok(n > 0)
}

/// The value of one parameter in words of its own kind; the inventory is asked after.
fn check_shape(p: &Param, value: &str) -> Result<String, String> {
    match p.kind {
        ParamKind::Text => {
            if value.chars().count() > MAX_TEXT {
                return Err(format!("use at most {MAX_TEXT} characters"));
            }
            if value.contains('\0') {
                return Err("a NUL character cannot reach a command".into());
            }
            if let Some(pattern) = &p.pattern {
                let re =
                    regex::Regex::new(pattern).map_err(|_| "the runbook's pattern is broken".to_owned())?;
                if !re.is_match(value) {
                    return Err(format!("must match {pattern}"));
                }
            }
            Ok(value.to_owned())
        }
        ParamKind::Domain => parse_dns_name(value.trim()).map_err(|m| format!("not a domain name: {m}")),
        ParamKind::Choice => p
            .choices
            .iter()
            .find(|c| c.as_str() == value.trim())
            .cloned()
            .ok_or_else(|| format!("choose one of {}", p.choices.join(", "))),
        ParamKind::Number => number_in(value, p.min, p.max).map(|n| n.to_string()),
        ParamKind::Host | ParamKind::Role | ParamKind::Bucket | ParamKind::Secret => {
            Ok(value.trim().to_owned())
        }
    }
}

fn missing_message(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Host => "no host by this name in the inventory",
        ParamKind::Role => "no host carries this role tag",
        ParamKind::Bucket => "no bucket by this name in the inventory",
        ParamKind::Secret => "no stored secret by this name",
        _ => "unknown",
    }
}

/// Every value checked; all problems at once, each under its parameter's name. A
/// parameter left out of `values` takes its default.
pub async fn validate(
    conn: &mut SqliteConnection,
    params: &[Param],
    values: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut errors = FieldErrors::default();
    let mut out = BTreeMap::new();
    for p in params {
        let raw = values
            .get(&p.name)
            .cloned()
            .or_else(|| p.default.clone())
            .unwrap_or_default();
        if raw.trim().is_empty() {
            if p.required {
                errors.add(&p.name, "this field is required");
            }
            out.insert(p.name.clone(), String::new());
            continue;
        }
        let value = match check_shape(p, &raw) {
            Ok(v) => v,
            Err(m) => {
                errors.add(&p.name, m);
                continue;
            }
        };
        if !exists(&mut *conn, p.kind, &value).await? {
            errors.add(&p.name, format!("{value}: {}", missing_message(p.kind)));
            continue;
        }
        out.insert(p.name.clone(), value);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
