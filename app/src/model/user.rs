//! Who is signed in and what their role lets them do.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Roles are ordered: each one may do everything the one before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Operator,
    Admin,
}

/// Role names in order, for choosers.
pub const ROLE_NAMES: [&str; 3] = ["viewer", "operator", "admin"];

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| format!("role must be one of viewer, operator, admin (got {s:?})"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in user as the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// Admins require a second factor and this user has none yet: until they enrol,
    /// only their account page opens.
    #[serde(default)]
    pub must_enrol_totp: bool,
}

impl CurrentUser {
    pub fn can(&self, needed: Role) -> bool {
        self.role >= needed
    }
}

/// A user as the users page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub totp: bool,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
    pub sessions: i64,
}

/// A session as its owner (or an admin) sees it; the token never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
    pub user_agent: String,
    pub current: bool,
}

/// The new-user form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserInput {
    pub username: String,
    pub role: String,
    #[serde(default)]
    pub password: String,
}

/// Usernames: what `owlery user add` and the setup page accept.
pub fn parse_username(s: &str) -> Result<String, String> {
    let s = s.trim();
    let valid = !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        Ok(s.to_owned())
    } else {
        Err("use 1 to 32 letters, digits, '.', '_' or '-'".into())
    }
}

/// Passwords: long enough to resist guessing, short enough to hash quickly.
pub fn check_password(s: &str) -> Result<(), String> {
    match s.chars().count() {
        0..=9 => Err("use at least 10 characters".into()),
        10..=256 => Ok(()),
        _ => Err("use at most 256 characters".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_from_viewer_to_admin() {
        assert!(Role::Admin > Role::Operator && Role::Operator > Role::Viewer);
        assert_eq!(Role::parse("operator"), Ok(Role::Operator));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn usernames_refuse_spaces_and_empty() {
        assert_eq!(parse_username(" alice "), Ok("alice".into()));
        assert!(parse_username("").is_err());
        assert!(parse_username("a b").is_err());
        assert!(parse_username(&"x".repeat(33)).is_err());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
    }
}
