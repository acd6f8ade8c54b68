//! What importing an inventory file would change, as its preview shows it.
use serde::{Deserialize, Serialize};

/// What happens to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Add,
    Change,
    Remove,
}

impl Op {
    pub fn label(self) -> &'static str {
        match self {
            Op::Add => "added",
            Op::Change => "changed",
            Op::Remove => "removed",
        }
    }
}

/// One object the import adds, changes or removes, with the fields that differ
/// (field, before, after; empty when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectChange {
    pub kind: String,
    pub name: String,
    pub op: Op,
    pub fields: Vec<(String, String, String)>,
}

/// A previewed import waiting for confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub id: i64,
    pub created_by: String,
    pub created_at: i64,
    /// Objects the file does not list are removed (else kept).
    pub removes_unlisted: bool,
    pub changes: Vec<ObjectChange>,
    pub now: i64,
}

impl ImportPreview {
    pub fn count(&self, op: Op) -> usize {
        self.changes.iter().filter(|c| c.op == op).count()
    }
}

/// The inventory page: counts of what an export holds and the imports waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryPage {
    pub objects: Vec<(String, usize)>,
    pub pending: Vec<(i64, String, i64)>,
    pub now: i64,
}
