//! What the Tuning page sends to a host: the exact commands that install the unit
//! templates and add, change or remove an instance, and the read of what runs there.
//!
//! Every value reaches the shell through [`quote`]; the systemctl setting is split into
//! words and each word quoted, so `sudo systemctl` and the test hosts'
//! `python3 systemctl3.py --root=DIR` work while nothing in them is ever interpreted.
use serde::{Deserialize, Serialize};

use super::LiveInstance;
use crate::domain::shell::quote;
use crate::domain::unit_instance::{parse_unit, units, Kind};

/// How long a started instance must stay up before it counts as running: the decoder
/// refuses a bad string (exit code 2) and a missing program fails well within it.
pub const SETTLE_SECS: u32 = 3;

/// A file the install writes, with its mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallFile {
    pub path: String,
    pub content: String,
    pub mode: u32,
}

impl From<units::GeneratedFile> for InstallFile {
    fn from(f: units::GeneratedFile) -> Self {
        InstallFile {
            path: f.path,
            content: f.content,
            mode: f.mode,
        }
    }
}

/// One change on one host, with everything its command needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TuningAction {
    /// Writes the decoder and both templates (only when they differ), then reloads systemd.
    Install {
        systemctl: Vec<String>,
        files: Vec<InstallFile>,
    },
    /// Starts a new instance, checks it stays active, enables it.
    Add { systemctl: Vec<String>, unit: String },
    /// Starts the new instance and, once it is active, stops and disables the old one.
    Change {
        systemctl: Vec<String>,
        old: String,
        new: String,
    },
    /// Stops and disables an instance.
    Remove { systemctl: Vec<String>, unit: String },
}

/// The systemctl words, each quoted.
fn sc(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// Starts `unit` and waits [`SETTLE_SECS`]; when it did not stay active it is stopped
/// again and the script ends with `failed` said on stderr.
fn start_checked(s: &str, unit: &str, failed: &str) -> String {
    let u = quote(unit);
    format!(
        "{s} start -- {u}\n\
         sleep {SETTLE_SECS}\n\
         if ! {s} is-active -- {u}; then\n\
         \techo {} >&2\n\
         \t{s} stop -- {u} || true\n\
         \texit 1\n\
         fi\n\
         {s} enable -- {u}\n",
        quote(failed)
    )
}

impl TuningAction {
    pub fn id(&self) -> &'static str {
        match self {
            Self::Install { .. } => "tuning-install",
            Self::Add { .. } => "tuning-add",
            Self::Change { .. } => "tuning-change",
            Self::Remove { .. } => "tuning-remove",
        }
    }

    pub fn title(&self) -> String {
        match self {
            Self::Install { .. } => "Install unit templates".into(),
            Self::Add { unit, .. } => format!("Add {unit}"),
            Self::Change { old, new, .. } => format!("Change {old} to {new}"),
            Self::Remove { unit, .. } => format!("Remove {unit}"),
        }
    }

    /// The exact script sent to the host; it stops at the first command that fails.
    pub fn command(&self) -> String {
        let mut c = String::from("set -e\n");
        match self {
            Self::Install { systemctl, files } => {
                c.push_str("umask 022\n");
                for f in files {
                    let dir = f
                        .path
                        .rsplit_once('/')
                        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
                    let (path, new) = (quote(&f.path), quote(&format!("{}.owlery-new", f.path)));
                    c.push_str(&format!(
                        "mkdir -p -- {}\n\
                         printf '%s' {} > {new}\n\
                         chmod {:o} -- {new}\n\
                         if cmp -s -- {new} {path}; then rm -f -- {new}; echo {}; \
                         else mv -f -- {new} {path}; echo {}; fi\n",
                        quote(dir),
                        quote(&f.content),
                        f.mode,
                        quote(&format!("unchanged {}", f.path)),
                        quote(&format!("installed {}", f.path)),
                    ));
                }
                c.push_str(&format!("{} daemon-reload\n", sc(systemctl)));
            }
            Self::Add { systemctl, unit } => {
                let failed = format!("{unit} did not stay active; its journal says why");
                c.push_str(&start_checked(&sc(systemctl), unit, &failed));
            }
            Self::Change { systemctl, old, new } => {
                let s = sc(systemctl);
                let failed = format!("{new} did not stay active; {old} keeps running");
                c.push_str(&start_checked(&s, new, &failed));
                c.push_str(&format!("{s} stop -- {o}\n{s} disable -- {o}\n", o = quote(old)));
            }
            Self::Remove { systemctl, unit } => {
                let s = sc(systemctl);
                c.push_str(&format!("{s} stop -- {u}\n{s} disable -- {u}\n", u = quote(unit)));
            }
        }
        c
    }
}

/// Reads the Puma and Sidekiq instances of a host: the units systemd has loaded and the
/// ones enabled in `unit_dir` (systemd without a daemon lists only unit files), each
/// with what `is-active` answers, one `UNIT STATE` per line.
pub fn list_command(systemctl: &[String], unit_dir: &str) -> String {
    let s = sc(systemctl);
    let wants = quote(&format!(
        "{}/multi-user.target.wants",
        unit_dir.trim_end_matches('/')
    ));
    let patterns: Vec<String> = Kind::ALL
        .iter()
        .map(|k| quote(&format!("{}*", k.unit_prefix())))
        .collect();
    format!(
        "{s} --version >/dev/null || exit 1\n\
         {{ {s} list-units --all --plain --no-legend {} 2>/dev/null | awk '{{print $1}}'; \
         ls -1 -- {wants} 2>/dev/null; }} | sort -u | while read -r u; do\n\
         \tcase $u in *'*'*) continue ;; mastodon-puma@?*.service | mastodon-sidekiq@?*.service) ;; *) continue ;; esac\n\
         \tprintf '%s %s\\n' \"$u\" \"$({s} is-active -- \"$u\" 2>/dev/null)\"\n\
         done\n",
        patterns.join(" ")
    )
}

/// What [`list_command`] printed, as instances with their decoded settings.
pub fn parse_listing(stdout: &str) -> Vec<LiveInstance> {
    let mut out: Vec<LiveInstance> = stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let unit = words.next()?;
            let state = words.next().unwrap_or("unknown");
            let (kind, settings) = parse_unit(unit)?;
            let instance = unit
                .strip_prefix(kind.unit_prefix())?
                .strip_suffix(".service")?
                .to_owned();
            Some(LiveInstance {
                unit: unit.to_owned(),
                kind,
                instance,
                state: state.to_owned(),
                settings: settings.map_err(|e| e.to_string()),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.kind.as_str(), &a.unit).cmp(&(b.kind.as_str(), &b.unit)));
    out.dedup_by(|a, b| a.unit == b.unit);
    out
}
