//! The figures on the dashboard.
use serde::{Deserialize, Serialize};

use super::audit::AuditEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub now: i64,
    pub hosts: i64,
    pub services: i64,
    pub ipv6_only_hosts: i64,
    pub vcpus: i64,
    pub ram_mib: i64,
    pub disk_gb: i64,
    pub users: i64,
    /// Errors and warnings the config check finds in the inventory.
    pub check_errors: usize,
    pub check_warnings: usize,
    pub latest_changes: Vec<AuditEntry>,
}
