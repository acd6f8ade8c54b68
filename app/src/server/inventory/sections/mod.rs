//! One module per kind of object in the inventory file: its shape in the file, how it is
//! read from the database, checked, and written back.
pub mod buckets;
pub mod hosts;
pub mod mail;
pub mod mesh;
pub mod services;

use sqlx::SqliteConnection;

use super::doc::Problem;
use super::lines::Lines;
use crate::model::inventory::{ObjectChange, Op};
use crate::model::{AppError, FieldErrors};
use crate::server::db::{self, audit::Actor};

/// The change log entry of one imported change, like the one its form would write.
pub async fn audit(
    conn: &mut SqliteConnection,
    actor: &Actor,
    change: &ObjectChange,
    id: Option<i64>,
) -> Result<(), AppError> {
    let action = match change.op {
        Op::Add => "create",
        Op::Change => "update",
        Op::Remove => "delete",
    };
    db::audit::record(
        conn,
        actor,
        action,
        (&change.kind, id, &change.name),
        &change.fields,
    )
    .await
}

/// The changes of one kind and operation.
pub fn of<'a>(
    changes: &'a [ObjectChange],
    kind: &'a str,
    op: Op,
) -> impl Iterator<Item = &'a ObjectChange> + 'a {
    changes.iter().filter(move |c| c.kind == kind && c.op == op)
}

/// Checks each item of the file's list `section` on its own. `normal` gives the item as
/// the database would store it, or its problems by field; `key` names it, and a name
/// seen twice is a problem at the second one's `key_field`.
pub fn check_each<D>(
    section: &str,
    docs: &[D],
    lines: &Lines,
    problems: &mut Vec<Problem>,
    (key_field, key): (&str, impl Fn(&D) -> String),
    normal: impl Fn(&D) -> Result<D, FieldErrors>,
) -> Vec<D> {
    let mut checked: Vec<D> = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        match normal(doc) {
            Ok(doc) => {
                if let Some(first) = checked.iter().position(|d| key(d) == key(&doc)) {
                    problems.push(Problem::at(
                        lines,
                        format!("{section}[{i}].{key_field}"),
                        format!("{} is already listed as {section}[{first}]", key(&doc)),
                    ));
                }
                checked.push(doc);
            }
            Err(errors) => problems.extend(
                errors
                    .0
                    .into_iter()
                    .map(|e| Problem::at(lines, format!("{section}[{i}].{}", e.field), e.message)),
            ),
        }
    }
    checked
}
