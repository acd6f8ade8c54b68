//! Job actions: what an operator can run on hosts, with typed parameters, the exact
//! shell command each one sends, and the facts report the `facts` action prints.
use serde::{Deserialize, Serialize};
use std::fmt;

use super::error::FieldErrors;
use super::host::parse_bounded;
use crate::domain::listen::Listener;
use crate::domain::shell::quote;

/// Every action: (id, label, which `ActionInput` fields it uses), in menu order.
pub const CATALOGUE: &[(&str, &str, &[&str])] = &[
    ("facts", "Gather facts", &[]),
    ("disk-usage", "Disk usage", &[]),
    ("systemctl", "Control a service", &["verb", "unit"]),
    ("journal", "Read a service's journal", &["unit", "lines"]),
    ("health", "Check a service's health", &["unit"]),
    ("command", "Run a command", &["command"]),
];

/// Unit types an operator may name; a name without one of these gets `.service`.
const UNIT_SUFFIXES: [&str; 5] = [".service", ".timer", ".socket", ".target", ".mount"];

/// The longest unit name systemd accepts.
const UNIT_NAME_MAX: usize = 255;

/// What the new-job form submits: every field a string, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInput {
    pub action: String,
    pub unit: String,
    pub verb: String,
    pub lines: String,
    pub command: String,
}

/// An action with checked parameters: what a job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// OS, kernel, uptime, load, memory and disks as `key=value` lines (see [`parse_facts`]).
    Facts,
    /// A `df -h` overview of the real file systems.
    DiskUsage,
    Systemctl {
        verb: SystemctlVerb,
        unit: UnitName,
    },
    /// The last `lines` (1 to 10000) journal lines of a unit.
    Journal {
        unit: UnitName,
        lines: u32,
    },
    /// Whether a unit is active and enabled, with its last 20 journal lines; fails when
    /// the unit is not active.
    Health {
        unit: UnitName,
    },
    /// An ad-hoc shell command, run exactly as the operator wrote it.
    Command {
        command: String,
    },
    /// A change from a host's Tuning page (unit templates, Puma and Sidekiq instances);
    /// started from that page only, never from the new-job form.
    Tuning(super::tuning::action::TuningAction),
}

/// What `systemctl` is asked to do with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SystemctlVerb {
    Status,
    Restart,
    Start,
    Stop,
}

/// A systemd unit name, templated instances included (`mastodon-web@2,5.service`),
/// always with its type suffix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitName(String);

impl ActionInput {
    /// Checks the fields the chosen action uses and reports every problem under its field.
    pub fn parse(&self) -> Result<Action, FieldErrors> {
        let mut e = FieldErrors::default();
        let action = match self.action.trim() {
            "facts" => Some(Action::Facts),
            "disk-usage" => Some(Action::DiskUsage),
            "systemctl" => {
                let verb = e.check("verb", SystemctlVerb::parse(&self.verb));
                let unit = e.check("unit", UnitName::parse(&self.unit));
                verb.zip(unit)
                    .map(|(verb, unit)| Action::Systemctl { verb, unit })
            }
            "journal" => {
                let unit = e.check("unit", UnitName::parse(&self.unit));
                let lines = e.check("lines", parse_bounded(&self.lines, 1, 10_000, "lines"));
                unit.zip(lines)
                    .map(|(unit, lines)| Action::Journal { unit, lines })
            }
            "health" => e
                .check("unit", UnitName::parse(&self.unit))
                .map(|unit| Action::Health { unit }),
            "command" => e
                .check("command", parse_command(&self.command))
                .map(|command| Action::Command { command }),
            "" => {
                e.add("action", "choose an action");
                None
            }
            other => {
                let ids: Vec<&str> = CATALOGUE.iter().map(|(id, _, _)| *id).collect();
                e.add(
                    "action",
                    format!("unknown action {other:?}; choose one of {}", ids.join(", ")),
                );
                None
            }
        };
        match action {
            Some(action) if e.is_empty() => Ok(action),
            _ => Err(e),
        }
    }
}

impl Action {
    /// The catalogue id, as in [`CATALOGUE`] and `ActionInput::action`.
    pub fn id(&self) -> &'static str {
        match self {
            Self::Facts => "facts",
            Self::DiskUsage => "disk-usage",
            Self::Systemctl { .. } => "systemctl",
            Self::Journal { .. } => "journal",
            Self::Health { .. } => "health",
            Self::Command { .. } => "command",
            Self::Tuning(t) => t.id(),
        }
    }

    /// A short heading for the job, e.g. "Restart puma@2.service".
    pub fn title(&self) -> String {
        match self {
            Self::Facts => "Gather facts".into(),
            Self::DiskUsage => "Disk usage".into(),
            Self::Systemctl { verb, unit } => {
                let verb = match verb {
                    SystemctlVerb::Status => "Status of",
                    SystemctlVerb::Restart => "Restart",
                    SystemctlVerb::Start => "Start",
                    SystemctlVerb::Stop => "Stop",
                };
                format!("{verb} {unit}")
            }
            Self::Journal { unit, lines } => format!("Journal of {unit}, last {lines} lines"),
            Self::Health { unit } => format!("Health of {unit}"),
            Self::Command { command } => {
                let first = command.lines().next().unwrap_or_default();
                if first.chars().count() > 60 || first.len() < command.len() {
                    format!("Run: {}…", first.chars().take(60).collect::<String>())
                } else {
                    format!("Run: {first}")
                }
            }
            Self::Tuning(t) => t.title(),
        }
    }

    /// The exact shell command sent to each host; every parameter goes through [`quote`].
    pub fn command(&self) -> String {
        match self {
            Self::Facts => FACTS_SCRIPT.join("\n"),
            Self::DiskUsage => "df -h -x tmpfs -x devtmpfs -x overlay".into(),
            Self::Systemctl {
                verb: SystemctlVerb::Status,
                unit,
            } => {
                format!("systemctl status --no-pager -- {}", quote(unit.as_str()))
            }
            Self::Systemctl { verb, unit } => {
                format!("systemctl {} -- {}", verb.as_str(), quote(unit.as_str()))
            }
            // journalctl takes no `--`; a unit name never starts with '-', so `-u` is safe.
            Self::Journal { unit, lines } => {
                format!(
                    "journalctl -u {} -n {} --no-pager",
                    quote(unit.as_str()),
                    quote(&lines.to_string())
                )
            }
            Self::Health { unit } => {
                let unit = quote(unit.as_str());
                format!(
                    "systemctl is-active -- {unit}; rc=$?\n\
                     systemctl is-enabled -- {unit}\n\
                     journalctl -u {unit} -n 20 --no-pager\n\
                     exit $rc"
                )
            }
            Self::Command { command } => command.clone(),
            Self::Tuning(t) => t.command(),
        }
    }

    /// The form that submits this action again.
    pub fn to_input(&self) -> ActionInput {
        let mut input = ActionInput {
            action: self.id().into(),
            ..ActionInput::default()
        };
        match self {
            Self::Facts | Self::DiskUsage => {}
            Self::Systemctl { verb, unit } => {
                input.verb = verb.as_str().into();
                input.unit = unit.to_string();
            }
            Self::Journal { unit, lines } => {
                input.unit = unit.to_string();
                input.lines = lines.to_string();
            }
            Self::Health { unit } => input.unit = unit.to_string(),
            Self::Command { command } => input.command = command.clone(),
            // Not a form of the new-job page: only the id is kept.
            Self::Tuning(_) => {}
        }
        input
    }
}

impl SystemctlVerb {
    pub const ALL: [SystemctlVerb; 4] = [Self::Status, Self::Restart, Self::Start, Self::Stop];

    /// The `systemctl` subcommand, also the form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Restart => "restart",
            Self::Start => "start",
            Self::Stop => "stop",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|verb| verb.as_str() == s)
            .ok_or_else(|| "choose status, restart, start or stop".into())
    }
}

impl UnitName {
    /// Accepts a unit name with or without its suffix (`puma@2` means `puma@2.service`).
    pub fn parse(s: &str) -> Result<UnitName, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("this field is required".into());
        }
        if s.chars().any(char::is_whitespace) {
            return Err("a unit name cannot contain spaces".into());
        }
        if s.contains('/') {
            return Err("a unit name cannot contain '/'".into());
        }
        if s.chars().any(char::is_control) {
            return Err("control characters are not allowed".into());
        }
        if s.starts_with('-') {
            return Err("a unit name cannot start with '-'".into());
        }
        if !s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_' | b'.' | b'\\' | b'@' | b',')
        }) {
            return Err("use only letters, digits and : - _ . \\ @ ,".into());
        }
        let name = if UNIT_SUFFIXES.iter().any(|suffix| s.ends_with(suffix)) {
            s.to_owned()
        } else {
            format!("{s}.service")
        };
        let stem = &name[..name.rfind('.').unwrap_or(name.len())];
        if stem.is_empty() || stem.starts_with('@') {
            return Err("the unit needs a name before its type or '@'".into());
        }
        if stem.matches('@').count() > 1 {
            return Err("a unit name has at most one '@'".into());
        }
        if name.len() > UNIT_NAME_MAX {
            return Err(format!("use at most {UNIT_NAME_MAX} characters"));
        }
        Ok(UnitName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UnitName {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        UnitName::parse(&s)
    }
}

impl From<UnitName> for String {
    fn from(unit: UnitName) -> String {
        unit.0
    }
}

/// An ad-hoc command: trimmed, line endings as the browser sends them (CRLF) made Unix.
fn parse_command(s: &str) -> Result<String, String> {
    let s = s.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() {
        return Err("write the command to run".into());
    }
    if s.chars().count() > 8000 {
        return Err("use at most 8000 characters".into());
    }
    // A NUL would cut the command short on the host; other controls are never meant.
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("control characters other than tab and newline are not allowed".into());
    }
    Ok(s.to_owned())
}

/// The facts script: POSIX sh with coreutils, grep and sed, one `key=value` per line.
/// Memory and disks are in KiB as the kernel and `df` report them; `disk=SIZE USED MOUNT`.
/// Listening TCP sockets come from `ss`, else from /proc/net/tcp{,6} (hex, decoded by
/// [`Listener::parse`]); active services from systemctl, `units_known=1` only when it
/// answered (a host without a systemd daemon has none to tell); of `nginx -T` only the
/// lines the HSTS rule reads, so no other configuration leaves the host. Every line ends
/// with status 0: the job fails only when the host does.
const FACTS_SCRIPT: [&str; 10] = [
    "for f in /etc/os-release /usr/lib/os-release; do if [ -r \"$f\" ]; then (. \"$f\"; printf 'os=%s\\n' \"${PRETTY_NAME:-$NAME}\"); break; fi; done",
    "printf 'kernel=%s\\n' \"$(uname -r)\"",
    "read -r up _ < /proc/uptime; printf 'uptime_secs=%s\\n' \"${up%%.*}\"",
    "read -r l1 l5 l15 _ < /proc/loadavg; printf 'load=%s %s %s\\n' \"$l1\" \"$l5\" \"$l15\"",
    "while read -r k v _; do case $k in MemTotal:) printf 'mem_total_kib=%s\\n' \"$v\";; MemAvailable:) printf 'mem_available_kib=%s\\n' \"$v\";; esac; done < /proc/meminfo",
    "df -P -k -x tmpfs -x devtmpfs -x overlay 2>/dev/null | tail -n +2 |",
    "while read -r fs size used avail cap mount; do printf 'disk=%s %s %s\\n' \"$size\" \"$used\" \"$mount\"; done",
    "if ss -ltnH >/dev/null 2>&1; then echo listen_known=1; ss -ltnH | while read -r _ _ _ local _; do printf 'listen=%s\\n' \"$local\"; done; elif [ -r /proc/net/tcp ]; then echo listen_known=1; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | while read -r _ local _ st _; do [ \"$st\" != 0A ] || printf 'listen=%s\\n' \"$local\"; done; fi",
    "if units=$(systemctl list-units --type=service --state=active --plain --no-legend 2>/dev/null); then echo units_known=1; printf '%s\\n' \"$units\" | while read -r unit _; do [ -z \"$unit\" ] || printf 'unit=%s\\n' \"$unit\"; done; fi",
    "if n=$(command -v nginx || command -v /usr/sbin/nginx); then \"$n\" -T 2>/dev/null | grep -E '[{}]|^[[:space:]]*(server_name|listen|ssl_certificate|add_header)[[:space:]]' | sed 's/^/nginx=/'; fi; true",
];

/// What the `facts` action found on one host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The distribution's pretty name; empty when the host has no os-release file.
    pub os: String,
    pub kernel: String,
    pub uptime_secs: u64,
    /// Load averages over 1, 5 and 15 minutes.
    pub load: [f64; 3],
    pub mem_total_mib: u64,
    pub mem_available_mib: u64,
    pub disks: Vec<Disk>,
    /// Whether the listening sockets could be read; facts gathered before Owlery read
    /// them have false, and say nothing about what listens.
    #[serde(default)]
    pub listen_known: bool,
    #[serde(default)]
    pub listening: Vec<Listener>,
    /// Whether systemctl answered; without it `active_units` says nothing.
    #[serde(default)]
    pub units_known: bool,
    #[serde(default)]
    pub active_units: Vec<String>,
    /// The server_name, listen, ssl_certificate and add_header lines of `nginx -T`, with
    /// the block braces around them; empty where nginx is missing or refused.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nginx: String,
}

/// One mounted file system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disk {
    pub mount: String,
    pub size_mib: u64,
    pub used_mib: u64,
}

/// Reads what the `facts` action printed. Unknown keys and stray lines are ignored so an
/// older parser copes with a newer script; kernel, uptime, load and memory are required.
pub fn parse_facts(stdout: &str) -> Result<Facts, String> {
    let mut facts = Facts::default();
    let (mut kernel, mut uptime, mut load, mut total, mut available) = (false, false, false, false, false);
    let mut listen_garbled = false;
    for line in stdout.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let bad = || format!("cannot read {key} from {value:?}");
        match key {
            "os" => facts.os = value.trim().to_owned(),
            "kernel" => {
                facts.kernel = value.trim().to_owned();
                kernel = !facts.kernel.is_empty();
            }
            "uptime_secs" => {
                facts.uptime_secs = value.trim().parse().map_err(|_| bad())?;
                uptime = true;
            }
            "load" => {
                let numbers: Vec<f64> = value
                    .split_whitespace()
                    .map(|n| n.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0))
                    .collect::<Option<_>>()
                    .ok_or_else(bad)?;
                facts.load = numbers.try_into().map_err(|_| bad())?;
                load = true;
            }
            "mem_total_kib" => {
                facts.mem_total_mib = kib_to_mib(value).ok_or_else(bad)?;
                total = true;
            }
            "mem_available_kib" => {
                facts.mem_available_mib = kib_to_mib(value).ok_or_else(bad)?;
                available = true;
            }
            "disk" => {
                let mut parts = value.splitn(3, ' ');
                let (size, used, mount) = (parts.next(), parts.next(), parts.next());
                let disk = match (size.and_then(kib_to_mib), used.and_then(kib_to_mib), mount) {
                    (Some(size_mib), Some(used_mib), Some(mount)) if !mount.is_empty() => Disk {
                        mount: mount.to_owned(),
                        size_mib,
                        used_mib,
                    },
                    _ => return Err(bad()),
                };
                facts.disks.push(disk);
            }
            "listen_known" => facts.listen_known = value.trim() == "1",
            // A line this parser cannot read makes the whole list unknown rather than
            // the facts unreadable: an absent socket would be reported as drift.
            "listen" => match Listener::parse(value) {
                Some(listener) => facts.listening.push(listener),
                None => listen_garbled = true,
            },
            "units_known" => facts.units_known = value.trim() == "1",
            "unit" if !value.trim().is_empty() => facts.active_units.push(value.trim().to_owned()),
            "nginx" => {
                facts.nginx.push_str(value);
                facts.nginx.push('\n');
            }
            _ => {}
        }
    }
    let missing: Vec<&str> = [
        (kernel, "kernel"),
        (uptime, "uptime_secs"),
        (load, "load"),
        (total, "mem_total_kib"),
        (available, "mem_available_kib"),
    ]
    .into_iter()
    .filter(|(found, _)| !found)
    .map(|(_, key)| key)
    .collect();
    if missing.is_empty() {
        // ss lists a socket per address family and reuse-port worker; one is enough.
        facts.listening.sort();
        facts.listening.dedup();
        facts.listen_known &= !listen_garbled;
        Ok(facts)
    } else {
        Err(format!("the facts output has no {}", missing.join(", ")))
    }
}

fn kib_to_mib(s: &str) -> Option<u64> {
    s.trim().parse::<u64>().ok().map(|kib| kib / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::process::Command as Process;

    fn unit(s: &str) -> UnitName {
        UnitName::parse(s).expect("valid unit")
    }

    fn input(action: &str) -> ActionInput {
        ActionInput {
            action: action.into(),
            ..ActionInput::default()
        }
    }

    /// Runs a command in `/bin/sh` with `systemctl` and `journalctl` replaced by functions
    /// that print each argument they get in brackets; `is-active` answers "inactive" (3).
    fn run_with_stubs(command: &str) -> (String, Option<i32>) {
        let stubs =
            "systemctl() { printf '[%s]' systemctl \"$@\"; echo; [ \"$1\" != is-active ] || return 3; }\n\
                     journalctl() { printf '[%s]' journalctl \"$@\"; echo; }\n";
        let out = Process::new("/bin/sh")
            .arg("-c")
            .arg(format!("{stubs}{command}"))
            .output()
            .expect("run /bin/sh");
        (String::from_utf8(out.stdout).expect("utf-8"), out.status.code())
    }

    #[test]
    fn templated_units_with_commas_are_accepted() {
        for name in [
            "mastodon-sidekiq@default,push,pull,mailers,scheduler,ingress,10.service",
            "mastodon-web@2,5.service",
            "mastodon-streaming.service",
            "certbot.timer",
            "postgresql@15-main.service",
            "srv-media\\x2dcache.mount",
            "multi-user.target",
            "docker.socket",
        ] {
            assert_eq!(unit(name).as_str(), name);
        }
    }

    #[test]
    fn a_unit_without_a_type_becomes_a_service() {
        assert_eq!(unit("puma@2").as_str(), "puma@2.service");
        assert_eq!(unit(" nginx ").as_str(), "nginx.service");
        assert_eq!(unit("mastodon-web@2.5").as_str(), "mastodon-web@2.5.service");
    }

    #[test]
    fn unit_names_that_could_escape_or_mislead_are_refused() {
        let long = format!("{}.service", "a".repeat(250));
        for bad in [
            "",
            "foo; rm -rf /",
            "foo;rm",
            "../x",
            "-x",
            "--help",
            "a b",
            "a\tb",
            "a\nb",
            "a\u{0}b",
            "$(id)",
            "`id`",
            "a'b",
            "a\"b",
            "a|b",
            "a&b",
            "a>b",
            "*",
            "nginx*",
            "ünit",
            ".service",
            "@2.service",
            "a@b@c.service",
            &long,
        ] {
            assert!(UnitName::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(
            UnitName::parse(&"a".repeat(247)).is_ok(),
            "255 characters with .service"
        );
    }

    #[test]
    fn unit_names_are_checked_when_deserialized() {
        let ok: UnitName = serde_json::from_str("\"puma@2\"").expect("valid");
        assert_eq!(ok.as_str(), "puma@2.service");
        assert!(serde_json::from_str::<UnitName>("\"a; rm -rf /\"").is_err());
    }

    #[test]
    fn each_action_sends_exactly_this_command() {
        let web = unit("mastodon-web@2,5");
        let cases = [
            (Action::DiskUsage, "df -h -x tmpfs -x devtmpfs -x overlay"),
            (
                Action::Systemctl {
                    verb: SystemctlVerb::Status,
                    unit: web.clone(),
                },
                "systemctl status --no-pager -- mastodon-web@2,5.service",
            ),
            (
                Action::Systemctl {
                    verb: SystemctlVerb::Restart,
                    unit: unit("puma@2"),
                },
                "systemctl restart -- puma@2.service",
            ),
            (
                Action::Systemctl {
                    verb: SystemctlVerb::Start,
                    unit: unit("certbot.timer"),
                },
                "systemctl start -- certbot.timer",
            ),
            (
                Action::Systemctl {
                    verb: SystemctlVerb::Stop,
                    unit: unit("srv-media\\x2dcache.mount"),
                },
                "systemctl stop -- 'srv-media\\x2dcache.mount'",
            ),
            (
                Action::Journal {
                    unit: web.clone(),
                    lines: 200,
                },
                "journalctl -u mastodon-web@2,5.service -n 200 --no-pager",
            ),
            (
                Action::Health { unit: web },
                "systemctl is-active -- mastodon-web@2,5.service; rc=$?\n\
                 systemctl is-enabled -- mastodon-web@2,5.service\n\
                 journalctl -u mastodon-web@2,5.service -n 20 --no-pager\n\
                 exit $rc",
            ),
            (
                Action::Command {
                    command: "cd /srv && ls -la | head".into(),
                },
                "cd /srv && ls -la | head",
            ),
        ];
        for (action, expected) in cases {
            assert_eq!(action.command(), expected, "{}", action.id());
        }
    }

    #[test]
    fn the_facts_command_is_exactly_this_script() {
        let expected = r#"for f in /etc/os-release /usr/lib/os-release; do if [ -r "$f" ]; then (. "$f"; printf 'os=%s\n' "${PRETTY_NAME:-$NAME}"); break; fi; done
printf 'kernel=%s\n' "$(uname -r)"
read -r up _ < /proc/uptime; printf 'uptime_secs=%s\n' "${up%%.*}"
read -r l1 l5 l15 _ < /proc/loadavg; printf 'load=%s %s %s\n' "$l1" "$l5" "$l15"
while read -r k v _; do case $k in MemTotal:) printf 'mem_total_kib=%s\n' "$v";; MemAvailable:) printf 'mem_available_kib=%s\n' "$v";; esac; done < /proc/meminfo
df -P -k -x tmpfs -x devtmpfs -x overlay 2>/dev/null | tail -n +2 |
while read -r fs size used avail cap mount; do printf 'disk=%s %s %s\n' "$size" "$used" "$mount"; done
if ss -ltnH >/dev/null 2>&1; then echo listen_known=1; ss -ltnH | while read -r _ _ _ local _; do printf 'listen=%s\n' "$local"; done; elif [ -r /proc/net/tcp ]; then echo listen_known=1; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | while read -r _ local _ st _; do [ "$st" != 0A ] || printf 'listen=%s\n' "$local"; done; fi
if units=$(systemctl list-units --type=service --state=active --plain --no-legend 2>/dev/null); then echo units_known=1; printf '%s\n' "$units" | while read -r unit _; do [ -z "$unit" ] || printf 'unit=%s\n' "$unit"; done; fi
if n=$(command -v nginx || command -v /usr/sbin/nginx); then "$n" -T 2>/dev/null | grep -E '[{}]|^[[:space:]]*(server_name|listen|ssl_certificate|add_header)[[:space:]]' | sed 's/^/nginx=/'; fi; true"#;
        assert_eq!(Action::Facts.command(), expected);
    }

    #[test]
    fn titles_name_the_verb_and_the_unit() {
        let restart = Action::Systemctl {
            verb: SystemctlVerb::Restart,
            unit: unit("puma@2"),
        };
        assert_eq!(restart.title(), "Restart puma@2.service");
        let status = Action::Systemctl {
            verb: SystemctlVerb::Status,
            unit: unit("nginx"),
        };
        assert_eq!(status.title(), "Status of nginx.service");
        let journal = Action::Journal {
            unit: unit("nginx"),
            lines: 50,
        };
        assert_eq!(journal.title(), "Journal of nginx.service, last 50 lines");
        assert_eq!(
            Action::Health { unit: unit("nginx") }.title(),
            "Health of nginx.service"
        );
        assert_eq!(Action::Facts.title(), "Gather facts");
        assert_eq!(Action::DiskUsage.title(), "Disk usage");
        assert_eq!(
            Action::Command {
                command: "uptime".into()
            }
            .title(),
            "Run: uptime"
        );
        let script = Action::Command {
            command: "apt-get update\napt-get -y upgrade".into(),
        };
        assert_eq!(script.title(), "Run: apt-get update…");
        let long = Action::Command {
            command: "x".repeat(80),
        };
        assert_eq!(long.title(), format!("Run: {}…", "x".repeat(60)));
    }

    #[test]
    fn every_catalogue_entry_parses_and_round_trips_through_its_form() {
        let filled = ActionInput {
            action: String::new(),
            unit: "mastodon-sidekiq@default,push,pull,mailers,scheduler,ingress,10".into(),
            verb: "restart".into(),
            lines: "100".into(),
            command: "uptime".into(),
        };
        for (id, label, fields) in CATALOGUE {
            assert!(!label.is_empty());
            let action = ActionInput {
                action: (*id).into(),
                ..filled.clone()
            }
            .parse()
            .unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(action.id(), *id);
            let form = action.to_input();
            assert_eq!(form.parse(), Ok(action.clone()));
            // The form carries exactly the fields the catalogue lists for the action.
            for (field, value) in [
                ("unit", &form.unit),
                ("verb", &form.verb),
                ("lines", &form.lines),
                ("command", &form.command),
            ] {
                assert_eq!(!value.is_empty(), fields.contains(&field), "{id}.{field}");
            }
        }
    }

    #[test]
    fn every_systemctl_verb_round_trips() {
        for verb in SystemctlVerb::ALL {
            assert_eq!(SystemctlVerb::parse(verb.as_str()), Ok(verb));
        }
        assert!(SystemctlVerb::parse("reboot").is_err());
    }

    #[test]
    fn bad_fields_are_reported_under_their_names() {
        let errors = input("").parse().expect_err("no action");
        assert!(errors.get("action").is_some());
        let errors = input("reboot-everything").parse().expect_err("unknown action");
        assert!(errors.get("action").expect("action error").contains("facts"));

        let bad = ActionInput {
            unit: "foo; rm -rf /".into(),
            verb: "kill".into(),
            ..input("systemctl")
        };
        let errors = bad.parse().expect_err("bad systemctl");
        assert!(
            errors.get("unit").is_some() && errors.get("verb").is_some(),
            "{errors}"
        );

        for lines in ["", "0", "10001", "ten", "-5"] {
            let bad = ActionInput {
                unit: "nginx".into(),
                lines: lines.into(),
                ..input("journal")
            };
            assert!(
                bad.parse().expect_err(lines).get("lines").is_some(),
                "{lines:?} accepted"
            );
        }
        let ok = ActionInput {
            unit: "nginx".into(),
            lines: "10000".into(),
            ..input("journal")
        };
        assert!(ok.parse().is_ok());

        assert!(input("health")
            .parse()
            .expect_err("no unit")
            .get("unit")
            .is_some());
        for command in ["", "  \r\n ", "echo a\u{0}b", "echo \u{1b}[2J"] {
            let bad = ActionInput {
                command: command.into(),
                ..input("command")
            };
            assert!(
                bad.parse().expect_err(command).get("command").is_some(),
                "{command:?} accepted"
            );
        }
    }

    #[test]
    fn fields_the_action_does_not_use_are_ignored() {
        let facts = ActionInput {
            unit: "$(reboot)".into(),
            command: "reboot".into(),
            ..input("facts")
        };
        assert_eq!(facts.parse(), Ok(Action::Facts));
    }

    #[test]
    fn an_ad_hoc_command_runs_as_written_with_unix_line_endings() {
        let form = ActionInput {
            command: "  cd /srv;\r\necho \"$(hostname)\" `id -u`  ".into(),
            ..input("command")
        };
        let action = form.parse().expect("valid");
        assert_eq!(action.command(), "cd /srv;\necho \"$(hostname)\" `id -u`");
    }

    #[test]
    fn the_unit_reaches_systemctl_and_journalctl_as_one_argument() {
        let web = unit("mastodon-sidekiq@default,push,pull,mailers,scheduler,ingress,10");
        let name = web.as_str();
        let restart = Action::Systemctl {
            verb: SystemctlVerb::Restart,
            unit: web.clone(),
        };
        assert_eq!(
            run_with_stubs(&restart.command()),
            (format!("[systemctl][restart][--][{name}]\n"), Some(0))
        );
        let journal = Action::Journal {
            unit: web.clone(),
            lines: 7,
        };
        assert_eq!(
            run_with_stubs(&journal.command()),
            (format!("[journalctl][-u][{name}][-n][7][--no-pager]\n"), Some(0))
        );
    }

    #[test]
    fn health_reports_all_three_checks_and_fails_when_the_unit_is_not_active() {
        let health = Action::Health {
            unit: unit("mastodon-web@2,5"),
        };
        let u = "mastodon-web@2,5.service";
        let expected = format!(
            "[systemctl][is-active][--][{u}]\n[systemctl][is-enabled][--][{u}]\n\
             [journalctl][-u][{u}][-n][20][--no-pager]\n"
        );
        assert_eq!(run_with_stubs(&health.command()), (expected, Some(3)));
    }

    #[test]
    fn facts_script_runs_on_this_machine_and_parses() {
        let out = Process::new("/bin/sh")
            .arg("-c")
            .arg(Action::Facts.command())
            .output()
            .expect("run /bin/sh");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        let facts = parse_facts(&stdout).unwrap_or_else(|e| panic!("{e}\n{stdout}"));

        let uname = Process::new("uname").arg("-r").output().expect("run uname");
        assert_eq!(facts.kernel, String::from_utf8_lossy(&uname.stdout).trim());
        if std::path::Path::new("/etc/os-release").exists() {
            assert!(!facts.os.is_empty(), "{stdout}");
        }
        assert!(facts.uptime_secs > 0);
        assert!(facts.mem_total_mib > 0);
        assert!(facts.mem_available_mib <= facts.mem_total_mib);
        for disk in &facts.disks {
            assert!(disk.mount.starts_with('/'), "{disk:?}");
            assert!(disk.used_mib <= disk.size_mib, "{disk:?}");
        }
    }

    /// The script's sockets while `listener` is open: through ss, or through /proc/net
    /// when `without_ss` (a PATH holding only cat, as on a host without iproute2).
    fn listening_while_open(without_ss: bool) -> (u16, Facts) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let mut sh = Process::new("/bin/sh");
        sh.arg("-c").arg(Action::Facts.command());
        let bin = tempfile::tempdir().expect("tempdir");
        if without_ss {
            std::os::unix::fs::symlink("/bin/cat", bin.path().join("cat")).expect("link cat");
            sh.env("PATH", bin.path());
        }
        let out = sh.output().expect("run /bin/sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // Without PATH there is no uname nor df: those facts are filled in after.
        let text =
            format!("{stdout}kernel=k\nuptime_secs=1\nload=0 0 0\nmem_total_kib=1\nmem_available_kib=1\n");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (
            port,
            parse_facts(&text).unwrap_or_else(|e| panic!("{e}\n{stdout}")),
        )
    }

    #[test]
    fn the_facts_list_a_socket_this_test_listens_on_with_ss_and_without() {
        for without_ss in [false, true] {
            let (port, facts) = listening_while_open(without_ss);
            assert!(facts.listen_known, "without ss: {without_ss}");
            let wanted = Listener {
                addr: Some([127, 0, 0, 1].into()),
                port,
            };
            assert!(
                facts.listening.contains(&wanted),
                "without ss: {without_ss}: {:?}",
                facts.listening
            );
        }
    }

    #[test]
    fn sockets_units_and_nginx_lines_are_read_and_older_facts_still_load() {
        let text = format!(
            "{SAMPLE}listen_known=1\nlisten=0.0.0.0:22\nlisten=[::]:22\nlisten=0100007F:0BB8\nlisten=0.0.0.0:22\n\
             units_known=1\nunit=ssh.service\nunit=mastodon-puma@w2.t5.service\n\
             nginx=http {{\nnginx=    add_header Strict-Transport-Security \"max-age=63072000\" always;\nnginx=}}\n"
        );
        let facts = parse_facts(&text).expect("valid");
        let shown: Vec<String> = facts.listening.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["0.0.0.0:22", "127.0.0.1:3000", "[::]:22"]);
        assert!(facts.listen_known && facts.units_known);
        assert_eq!(facts.active_units, ["ssh.service", "mastodon-puma@w2.t5.service"]);
        assert_eq!(
            facts.nginx,
            "http {\n    add_header Strict-Transport-Security \"max-age=63072000\" always;\n}\n"
        );
        // Stored before Owlery read sockets and units: nothing known, nothing claimed.
        let old = r#"{"os":"","kernel":"k","uptime_secs":1,"load":[0.0,0.0,0.0],"mem_total_mib":1,"mem_available_mib":1,"disks":[]}"#;
        let old: Facts = serde_json::from_str(old).expect("older facts still read");
        assert!(!old.listen_known && !old.units_known && old.listening.is_empty());
    }

    #[test]
    fn a_socket_line_that_cannot_be_read_makes_the_sockets_unknown_not_the_facts() {
        let facts = parse_facts(&format!(
            "{SAMPLE}listen_known=1\nlisten=0.0.0.0:22\nlisten=what:ever\n"
        ))
        .expect("the rest of the facts still read");
        assert!(!facts.listen_known);
        assert_eq!(facts.mem_available_mib, 1024);
    }

    const SAMPLE: &str = "os=Debian GNU/Linux 12 (bookworm)\n\
                          kernel=6.1.0-18-amd64\n\
                          uptime_secs=864000\n\
                          load=0.52 0.48 0.40\n\
                          mem_total_kib=4026368\n\
                          mem_available_kib=1048576\n\
                          disk=41022688 20511344 /\n\
                          disk=1046528 0 /srv/media cache\n";

    #[test]
    fn sample_facts_are_read_into_mib() {
        let facts = parse_facts(SAMPLE).expect("valid sample");
        assert_eq!(
            facts,
            Facts {
                os: "Debian GNU/Linux 12 (bookworm)".into(),
                kernel: "6.1.0-18-amd64".into(),
                uptime_secs: 864_000,
                load: [0.52, 0.48, 0.40],
                mem_total_mib: 3932,
                mem_available_mib: 1024,
                disks: vec![
                    Disk {
                        mount: "/".into(),
                        size_mib: 40061,
                        used_mib: 20030
                    },
                    Disk {
                        mount: "/srv/media cache".into(),
                        size_mib: 1022,
                        used_mib: 0
                    },
                ],
                ..Facts::default()
            }
        );
    }

    #[test]
    fn a_host_without_os_release_or_disks_still_has_facts() {
        let text: String = SAMPLE
            .lines()
            .filter(|l| !l.starts_with("os=") && !l.starts_with("disk="))
            .collect::<Vec<_>>()
            .join("\n");
        let facts = parse_facts(&text).expect("valid without os and disks");
        assert_eq!(facts.os, "");
        assert!(facts.disks.is_empty());
        assert_eq!(facts.kernel, "6.1.0-18-amd64");
    }

    #[test]
    fn unknown_keys_and_stray_lines_are_ignored() {
        let text = format!("Welcome to hermes!\ncpu_model=EPYC\n\n{SAMPLE}");
        assert_eq!(parse_facts(&text), parse_facts(SAMPLE));
    }

    #[test]
    fn missing_or_garbled_facts_are_errors() {
        assert!(parse_facts("").expect_err("empty").contains("kernel"));
        let without_load: String = SAMPLE
            .lines()
            .filter(|l| !l.starts_with("load="))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(parse_facts(&without_load).expect_err("no load").contains("load"));
        for (good, bad) in [
            ("uptime_secs=864000", "uptime_secs=soon"),
            ("load=0.52 0.48 0.40", "load=0.52 0.48"),
            ("load=0.52 0.48 0.40", "load=NaN 1 1"),
            ("mem_total_kib=4026368", "mem_total_kib=-1"),
            ("disk=1046528 0 /srv/media cache", "disk=1046528 0"),
            ("disk=1046528 0 /srv/media cache", "disk=big 0 /srv"),
        ] {
            let text = SAMPLE.replace(good, bad);
            assert!(parse_facts(&text).is_err(), "{bad:?} accepted");
        }
    }

    fn valid_unit() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9_][a-zA-Z0-9_:.\\\\-]{0,20}(@[a-zA-Z0-9_:.,\\\\-]{0,30})?(\\.service|\\.timer|\\.mount)?"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever is typed as a unit, an accepted name reaches the tool unchanged as
        /// one argument, and a refused one never makes a command.
        #[test]
        fn a_unit_never_escapes_its_argument(s in prop_oneof![valid_unit(), "\\PC{0,30}", "[a-z@;|&$`'\" ()/\n-]{1,20}"]) {
            let form = ActionInput { unit: s.clone(), lines: "5".into(), ..input("journal") };
            match form.parse() {
                Ok(action) => {
                    let name = UnitName::parse(&s).expect("parsed above").to_string();
                    let expected = format!("[journalctl][-u][{name}][-n][5][--no-pager]\n");
                    prop_assert_eq!(run_with_stubs(&action.command()), (expected, Some(0)));
                }
                Err(errors) => prop_assert!(errors.get("unit").is_some()),
            }
        }

        #[test]
        fn every_generated_valid_unit_is_accepted(s in valid_unit()) {
            let parsed = UnitName::parse(&s).map_err(TestCaseError::fail)?;
            prop_assert!(parsed.as_str().starts_with(&s));
        }
    }
}
