//! Drift between the inventory and the hosts as the facts last saw them: a recorded port
//! nothing listens on, a unit that is not active. Silent where no facts were gathered;
//! every finding says how old its facts are.
use std::net::IpAddr;

use super::{CheckHost, CheckService, Finding, Input, ObjectKind, Severity};
use crate::domain::listen::Listener;
use crate::domain::time::age;

/// Facts older than a day may no longer be true: what they show is a warning then.
pub const STALE_SECS: i64 = 86_400;

/// What the last "gather facts" job found on a host, as the drift rules need it. None
/// in a field means the host could not tell (no `ss` nor /proc, no systemd).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveFacts {
    pub age_secs: i64,
    pub listening: Option<Vec<Listener>>,
    pub active_units: Option<Vec<String>>,
}

impl LiveFacts {
    fn when(&self) -> String {
        format!("when facts were gathered {}", age(0, self.age_secs))
    }

    fn severity(&self) -> Severity {
        if self.age_secs > STALE_SECS {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

const GATHER_AGAIN: &str = "then read the live state again on the Checks page to confirm";

/// Each service's host and its facts, for services on hosts with facts.
fn with_facts(input: &Input) -> impl Iterator<Item = (&CheckService, &CheckHost, &LiveFacts)> {
    input.services.iter().filter_map(|s| {
        let host = input.host(&s.host)?;
        Some((s, host, host.live.as_ref()?))
    })
}

/// A service with a recorded port nothing listens on (connection refused for whatever
/// depends on it), or that listens only on other addresses than the recorded one.
pub fn ports(input: &Input, out: &mut Vec<Finding>) {
    for (s, host, live) in with_facts(input) {
        let (Some(port), Some(listening)) = (s.port, live.listening.as_ref()) else {
            continue;
        };
        let recorded: Option<IpAddr> = s.listen_addr.as_deref().and_then(|a| a.parse().ok());
        let on_port: Vec<&Listener> = listening.iter().filter(|l| l.port == port).collect();
        if on_port.is_empty() {
            out.push(
                Finding::new(
                    "service-port-not-listening",
                    live.severity(),
                    format!("{} should listen on port {port} on {}, but nothing listened there {}.", s.name, host.name, live.when()),
                )
                .on(ObjectKind::Service, &s.name)
                .on(ObjectKind::Host, &host.name)
                .why("Whatever connects to it gets \"connection refused\": the service is down or crashed at boot, or it listens on another port and the inventory (and every config generated from it) is wrong.")
                .fix(format!(
                    "Start it (`systemctl start {}`, its log in `journalctl -u {}`) or correct the port on the service's page; {GATHER_AGAIN}.",
                    s.unit, s.unit
                )),
            );
        } else if !on_port.iter().any(|l| l.serves(recorded)) {
            let seen: Vec<String> = on_port.iter().map(ToString::to_string).collect();
            let wanted = s.listen_addr.as_deref().unwrap_or_default();
            out.push(
                Finding::new(
                    "service-listen-address-differs",
                    Severity::Warning,
                    format!(
                        "{} on {} listens on {}, not on {wanted} as recorded ({}).",
                        s.name, host.name, seen.join(", "), live.when()
                    ),
                )
                .on(ObjectKind::Service, &s.name)
                .on(ObjectKind::Host, &host.name)
                .why("Other hosts reach it at the recorded address over the mesh: a socket bound elsewhere (often 127.0.0.1 after a package update) refuses them while it looks healthy locally.")
                .fix(format!("Make it listen on {wanted} (its own config file), or record the address it really uses; {GATHER_AGAIN}.")),
            );
        }
    }
}

/// systemctl's name of a unit: without a type it is a service.
fn unit_name(unit: &str) -> String {
    if unit.contains('.') {
        unit.to_owned()
    } else {
        format!("{unit}.service")
    }
}

/// A service whose unit systemd did not list as active.
pub fn units(input: &Input, out: &mut Vec<Finding>) {
    for (s, host, live) in with_facts(input) {
        let Some(active) = live.active_units.as_ref() else {
            continue;
        };
        let unit = unit_name(&s.unit);
        // Only services are listed; a timer or socket unit is another question.
        if s.unit.trim().is_empty() || !unit.ends_with(".service") || active.contains(&unit) {
            continue;
        }
        out.push(
            Finding::new(
                "service-unit-inactive",
                live.severity(),
                format!("{unit} ({}) was not active on {} {}.", s.name, host.name, live.when()),
            )
            .on(ObjectKind::Service, &s.name)
            .on(ObjectKind::Host, &host.name)
            .why("The inventory says it runs there: what depends on it fails, and every other check assumes it runs. A unit that stopped once stays stopped after a reboot too unless it is enabled.")
            .fix(format!(
                "Start it with `systemctl enable --now {unit}` and see why it stopped with `journalctl -u {unit}`; if it moved or was retired, update the inventory; {GATHER_AGAIN}."
            )),
        );
    }
}
