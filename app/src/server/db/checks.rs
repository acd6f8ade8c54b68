//! What the config check reads besides the inventory: the facts last gathered on each
//! host, and which hosts a "read live state" job can reach.
use sqlx::SqliteConnection;

use crate::model::action::Facts;
use crate::model::AppError;

/// A host as the Checks page lists it: whether a job can reach it (an SSH identity is
/// chosen), and when facts were last gathered; `facts` None when never or when they
/// were stored in a form this version cannot read.
pub struct HostFacts {
    pub name: String,
    pub reachable: bool,
    pub gathered_at: Option<i64>,
    pub facts: Option<Facts>,
}

#[derive(sqlx::FromRow)]
struct Row {
    name: String,
    reachable: bool,
    gathered_at: Option<i64>,
    facts: Option<String>,
}

/// Every host with its last facts, by name.
pub async fn host_facts(conn: &mut SqliteConnection) -> Result<Vec<HostFacts>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.name, h.ssh_identity IS NOT NULL AS reachable, f.gathered_at, f.facts
         FROM hosts h LEFT JOIN host_facts f ON f.host_id = h.id ORDER BY h.name",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HostFacts {
            facts: r.facts.and_then(|json| serde_json::from_str(&json).ok()),
            name: r.name,
            reachable: r.reachable,
            gathered_at: r.gathered_at,
        })
        .collect())
}
