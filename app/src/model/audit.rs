//! Entries of the change log, as lists and object pages show them.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object_kind: String,
    pub object_name: String,
    /// Field-by-field changes: (field, before, after).
    pub changes: Vec<(String, String, String)>,
}
