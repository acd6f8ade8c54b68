//! The kinds of service Owlery knows, each with its usual unit, port and memory.
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a service is. The kind gives the form its defaults; `Custom` has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    Puma,
    Sidekiq,
    Streaming,
    Nginx,
    Postgresql,
    Redis,
    Minio,
    Opensmtpd,
    Dkimproxy,
    Wireguard,
    Bird,
    Custom,
}

/// The usual setup of a kind: (id, label, unit, port, memory in MiB, needs egress).
/// Puma and Sidekiq run as templated units; the instance string will encode their
/// options (a later issue), `default` stands for "no options" until then. The
/// WireGuard tunnels are one `wg-quick@` unit each; `wg-quick.target` holds them all.
type KindDefaults = (
    &'static str,
    &'static str,
    &'static str,
    Option<u16>,
    Option<u32>,
    bool,
);

impl ServiceKind {
    pub const ALL: [ServiceKind; 12] = [
        Self::Puma,
        Self::Sidekiq,
        Self::Streaming,
        Self::Nginx,
        Self::Postgresql,
        Self::Redis,
        Self::Minio,
        Self::Opensmtpd,
        Self::Dkimproxy,
        Self::Wireguard,
        Self::Bird,
        Self::Custom,
    ];

    fn defaults(self) -> KindDefaults {
        match self {
            Self::Puma => (
                "puma",
                "Puma",
                "mastodon-puma@default.service",
                Some(3000),
                Some(300),
                true,
            ),
            Self::Sidekiq => (
                "sidekiq",
                "Sidekiq",
                "mastodon-sidekiq@default.service",
                None,
                Some(350),
                true,
            ),
            Self::Streaming => (
                "streaming",
                "Streaming API",
                "mastodon-streaming.service",
                Some(4000),
                Some(90),
                false,
            ),
            Self::Nginx => ("nginx", "nginx", "nginx.service", Some(443), Some(20), false),
            Self::Postgresql => (
                "postgresql",
                "PostgreSQL",
                "postgresql.service",
                Some(5432),
                Some(200),
                false,
            ),
            Self::Redis => (
                "redis",
                "Redis",
                "redis-server.service",
                Some(6379),
                Some(30),
                false,
            ),
            Self::Minio => ("minio", "MinIO", "minio.service", Some(9000), Some(150), false),
            Self::Opensmtpd => (
                "opensmtpd",
                "OpenSMTPD",
                "opensmtpd.service",
                Some(25),
                Some(10),
                false,
            ),
            Self::Dkimproxy => (
                "dkimproxy",
                "dkimproxy",
                "dkimproxy.service",
                Some(10027),
                Some(25),
                false,
            ),
            Self::Wireguard => ("wireguard", "WireGuard", "wg-quick.target", None, Some(5), false),
            Self::Bird => ("bird", "BIRD", "bird.service", None, Some(5), false),
            Self::Custom => ("custom", "Custom", "", None, None, false),
        }
    }

    /// The id stored in the database and used in forms and addresses (`?kind=puma`).
    pub fn as_str(self) -> &'static str {
        self.defaults().0
    }

    pub fn label(self) -> &'static str {
        self.defaults().1
    }

    /// The systemd unit this kind usually runs as; empty for `Custom`.
    pub fn default_unit(self) -> &'static str {
        self.defaults().2
    }

    pub fn default_port(self) -> Option<u16> {
        self.defaults().3
    }

    pub fn default_memory_mib(self) -> Option<u32> {
        self.defaults().4
    }

    /// Whether this kind usually reaches out to the internet (remote instances, profiles).
    pub fn default_needs_egress(self) -> bool {
        self.defaults().5
    }

    pub fn parse(s: &str) -> Result<ServiceKind, String> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let ids: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
            format!("choose one of {}", ids.join(", "))
        })
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
