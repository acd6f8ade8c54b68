//! The Tuning page's types: where a host keeps its templated units, the Puma and Sidekiq
//! instances running there, and the budgets a change is checked against.
use serde::{Deserialize, Serialize};

use super::error::FieldErrors;
use super::host::parse_unix_user;
use crate::domain::unit_instance::units::Layout;
use crate::domain::unit_instance::{Kind, Settings};

pub mod action;
mod instance;

pub use instance::InstanceInput;

/// Where the units live on one host and how to reach systemd there. Hosts without
/// settings of their own use [`TuningSettings::default`], a Mastodon install with systemd.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TuningSettings {
    /// The systemctl command as words: `systemctl`, `sudo systemctl`, or on the test
    /// hosts `python3 /path/systemctl3.py --root=/tmp/x/hedwig`. Each word is quoted.
    pub systemctl: Vec<String>,
    pub layout: Layout,
}

impl Default for TuningSettings {
    fn default() -> Self {
        TuningSettings {
            systemctl: vec!["systemctl".into()],
            layout: Layout::mastodon(),
        }
    }
}

impl TuningSettings {
    /// Every setting as text, in form order: what the change log compares.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let l = &self.layout;
        vec![
            ("systemctl", self.systemctl.join(" ")),
            ("unit_dir", l.unit_dir.clone()),
            ("decoder", l.decoder.clone()),
            ("user", l.user.clone()),
            ("working_dir", l.working_dir.clone()),
            ("puma_command", l.puma_command.clone()),
            ("sidekiq_command", l.sidekiq_command.clone()),
        ]
    }
}

/// The settings form: every field a string, as typed; `version` guards concurrent edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TuningSettingsInput {
    pub systemctl: String,
    pub unit_dir: String,
    pub decoder: String,
    pub user: String,
    pub working_dir: String,
    pub puma_command: String,
    pub sidekiq_command: String,
    #[serde(default)]
    pub version: String,
}

impl TuningSettingsInput {
    pub fn from_settings(s: &TuningSettings, version: i64) -> Self {
        let l = &s.layout;
        TuningSettingsInput {
            systemctl: s.systemctl.join(" "),
            unit_dir: l.unit_dir.clone(),
            decoder: l.decoder.clone(),
            user: l.user.clone(),
            working_dir: l.working_dir.clone(),
            puma_command: l.puma_command.clone(),
            sidekiq_command: l.sidekiq_command.clone(),
            version: version.to_string(),
        }
    }

    /// Checks every field and reports each problem under its own name.
    pub fn parse(&self) -> Result<TuningSettings, FieldErrors> {
        let mut e = FieldErrors::default();
        let systemctl = e.check("systemctl", parse_words(&self.systemctl));
        let unit_dir = e.check("unit_dir", parse_path(&self.unit_dir));
        let decoder = e.check("decoder", parse_path(&self.decoder));
        let user = e.check("user", parse_unix_user(&self.user));
        let working_dir = e.check("working_dir", parse_path(&self.working_dir));
        let puma_command = e.check("puma_command", parse_command(&self.puma_command));
        let sidekiq_command = e.check("sidekiq_command", parse_command(&self.sidekiq_command));
        match (
            systemctl,
            unit_dir,
            decoder,
            user,
            working_dir,
            puma_command,
            sidekiq_command,
        ) {
            (
                Some(systemctl),
                Some(unit_dir),
                Some(decoder),
                Some(user),
                Some(working_dir),
                Some(p),
                Some(s),
            ) if e.is_empty() => Ok(TuningSettings {
                systemctl,
                layout: Layout {
                    unit_dir: unit_dir.trim_end_matches('/').to_owned(),
                    decoder,
                    user,
                    working_dir,
                    puma_command: p,
                    sidekiq_command: s,
                },
            }),
            _ => Err(e),
        }
    }
}

/// A line the unit file or a shell takes as it is must not carry a line break, and a
/// unit file reads `%` and `\` as its own specifiers and escapes.
fn plain_line(s: &str) -> Result<&str, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("this field is required".into());
    }
    if s.chars().any(char::is_control) {
        return Err("one line, without control characters".into());
    }
    if s.contains('%') || s.contains('\\') {
        return Err("% and \\ mean something else in a unit file; leave them out".into());
    }
    if s.chars().count() > 500 {
        return Err("use at most 500 characters".into());
    }
    Ok(s)
}

fn parse_words(s: &str) -> Result<Vec<String>, String> {
    let words: Vec<String> = plain_line(s)?.split_whitespace().map(str::to_owned).collect();
    // Options after the program are fine (`--root=DIR`); a first word that is one is not.
    if words.first().is_none_or(|w| w.starts_with('-')) {
        return Err("start with the program, e.g. systemctl or sudo systemctl".into());
    }
    Ok(words)
}

/// An absolute path without spaces (systemd would split it) or `..`.
fn parse_path(s: &str) -> Result<String, String> {
    let s = plain_line(s)?;
    if !s.starts_with('/') {
        return Err("an absolute path, starting with /".into());
    }
    if s.chars().any(char::is_whitespace) || s.split('/').any(|part| part == "..") {
        return Err("a path without spaces or ..".into());
    }
    Ok(s.to_owned())
}

/// The command a unit template runs, written into ExecStart as it is.
fn parse_command(s: &str) -> Result<String, String> {
    let s = plain_line(s)?;
    if !s.starts_with('/') {
        return Err("start with the program's absolute path, as ExecStart needs".into());
    }
    Ok(s.to_owned())
}

/// One Puma or Sidekiq instance found on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInstance {
    /// `mastodon-sidekiq@c10.service`.
    pub unit: String,
    pub kind: Kind,
    /// The instance string, between `@` and `.service`.
    pub instance: String,
    /// What `systemctl is-active` answered: active, inactive, failed, activating...
    pub state: String,
    /// The decoded settings, or why the decoder refuses the string.
    pub settings: Result<Settings, String>,
}

/// A budget as the page shows it: `before -> after / limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub before: u64,
    pub after: u64,
    pub limit: u64,
}

impl Budget {
    /// Over the limit and growing: a change that shrinks an overrun is never refused.
    pub fn exceeded(&self) -> bool {
        self.after > self.limit && self.after > self.before
    }

    pub fn text(&self, unit: &str) -> String {
        if self.before == self.after {
            format!("{} / {}{unit}", self.after, self.limit)
        } else {
            format!("{} → {} / {}{unit}", self.before, self.after, self.limit)
        }
    }
}

/// The database connections across the cluster and the memory of one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budgets {
    pub connections: Budget,
    pub memory_mib: Budget,
}

impl Budgets {
    pub fn exceeded(&self) -> bool {
        self.connections.exceeded() || self.memory_mib.exceeded()
    }

    /// "database connections 12 → 162 / 97; memory 600 → 1800 / 1024 MiB".
    pub fn text(&self) -> String {
        format!(
            "database connections {}; memory {}",
            self.connections.text(""),
            self.memory_mib.text(" MiB")
        )
    }
}

/// Everything the Tuning page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuningPage {
    pub host: String,
    pub settings: TuningSettingsInput,
    /// The host has no settings of its own: the defaults apply.
    pub default_settings: bool,
    /// The instances read live, or why they could not be read.
    pub live: Result<Vec<LiveInstance>, String>,
    /// The budgets as they stand (before equals after).
    pub budgets: Budgets,
    /// Where PostgreSQL's limit comes from, and the host's RAM.
    pub limits_note: String,
}

#[cfg(test)]
mod tests;
