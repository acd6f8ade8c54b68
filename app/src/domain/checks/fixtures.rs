//! The reference cluster as the rules see it, and the env that goes with it: every rule
//! test starts from here and breaks one thing.
use super::*;
use crate::domain::listen::Listener;
use crate::domain::mail::EXAMPLE_DKIM_PUBLIC_KEY;

fn host(name: &str, ipv4: Option<&str>, ipv6: &str, mesh: &str) -> CheckHost {
    CheckHost {
        name: name.into(),
        ram_mib: 1024,
        ipv4: ipv4.map(Into::into),
        ipv6: Some(ipv6.into()),
        mesh_addr: Some(mesh.into()),
        mem_total_mib: None,
        live: None,
    }
}

pub fn service(
    name: &str,
    host: &str,
    kind: &str,
    unit: &str,
    listen: &str,
    mib: u32,
    deps: &str,
) -> CheckService {
    CheckService {
        name: name.into(),
        host: host.into(),
        kind: kind.into(),
        unit: unit.into(),
        listen_addr: (!listen.is_empty()).then(|| listen.into()),
        port: None,
        needs_egress: matches!(kind, "puma" | "sidekiq"),
        memory_mib: Some(mib),
        deps: deps.split_whitespace().map(Into::into).collect(),
        notes: String::new(),
    }
}

pub fn reference() -> Input {
    let (nodes, links) = crate::domain::mesh::tests::reference_mesh();
    let (m1, m2, m3) = ("fd00:6f77::1", "fd00:6f77::2", "fd00:6f77::3");
    Input {
        hosts: vec![
            host("hermes", Some("192.0.2.20"), "2001:db8:20::20", m1),
            host("hedwig", None, "2001:db8:20::21", m2),
            host("becblanche", None, "2001:db8:20::22", m3),
        ],
        services: vec![
            service(
                "postgresql",
                "becblanche",
                "postgresql",
                "postgresql.service",
                m3,
                200,
                "",
            ),
            service("redis", "becblanche", "redis", "redis-server.service", m3, 30, ""),
            service("minio", "hedwig", "minio", "minio.service", m2, 150, ""),
            service(
                "dkimproxy",
                "hermes",
                "dkimproxy",
                "dkimproxy.service",
                "127.0.0.1",
                25,
                "",
            ),
            service(
                "opensmtpd",
                "hermes",
                "opensmtpd",
                "opensmtpd.service",
                m1,
                10,
                "dkimproxy",
            ),
            service(
                "puma",
                "hermes",
                "puma",
                "mastodon-puma@default.service",
                m1,
                300,
                "postgresql redis",
            ),
            service(
                "streaming",
                "hedwig",
                "streaming",
                "mastodon-streaming.service",
                m2,
                90,
                "postgresql redis",
            ),
            service(
                "sidekiq",
                "hedwig",
                "sidekiq",
                "mastodon-sidekiq@default.service",
                "",
                350,
                "postgresql redis minio opensmtpd",
            ),
            service(
                "nginx",
                "hermes",
                "nginx",
                "nginx.service",
                "::",
                20,
                "puma streaming minio",
            ),
        ],
        buckets: vec![CheckBucket {
            name: "mastodon-media".into(),
            addressing: "path".into(),
            alias_host: Some("media.social.example".into()),
            endpoint_url: None,
        }],
        mail: vec![CheckMail {
            domain: "social.example".into(),
            relay: "opensmtpd".into(),
            dkim_public_key: EXAMPLE_DKIM_PUBLIC_KEY.into(),
            dkim_secret: "dkim-social-example".into(),
            signing_key: None,
        }],
        nodes,
        links,
        env: None,
        nginx: None,
    }
}

/// The ports the reference services listen on (Sidekiq listens on none).
const PORTS: [(&str, u16); 8] = [
    ("postgresql", 5432),
    ("redis", 6379),
    ("minio", 9000),
    ("dkimproxy", 10027),
    ("opensmtpd", 25),
    ("puma", 3000),
    ("streaming", 4000),
    ("nginx", 443),
];

/// The reference cluster with its ports recorded and facts gathered `age_secs` ago
/// that show every service running where the inventory says: no drift.
pub fn live(age_secs: i64) -> Input {
    let mut input = reference();
    for s in &mut input.services {
        s.port = PORTS.iter().find(|(n, _)| *n == s.name).map(|(_, p)| *p);
    }
    for h in &mut input.hosts {
        let here: Vec<&CheckService> = input.services.iter().filter(|s| s.host == h.name).collect();
        let mut listening: Vec<Listener> = here
            .iter()
            .filter_map(|s| {
                let addr = s.listen_addr.as_deref()?.parse().ok();
                Some(Listener { addr, port: s.port? })
            })
            .collect();
        listening.push(Listener::parse("0.0.0.0:22").expect("ssh"));
        let mut units: Vec<String> = here.iter().map(|s| s.unit.clone()).collect();
        units.push("ssh.service".into());
        h.live = Some(LiveFacts {
            age_secs,
            listening: Some(listening),
            active_units: Some(units),
        });
    }
    input
}

/// The production env as the article ended up with it (secrets are placeholders).
pub const CLEAN_ENV: &str = "\
# Generated by Mastodon's setup, then the S3 block from Owlery
LOCAL_DOMAIN=social.example
DB_HOST=fd00:6f77::3
DB_PORT=5432
REDIS_HOST=fd00:6f77::3
SECRET_KEY_BASE=s3cr3t-base-do-not-show
OTP_SECRET=otp-do-not-show
VAPID_PRIVATE_KEY=vapid-private-do-not-show
VAPID_PUBLIC_KEY=vapid-public
S3_ENABLED=true
S3_BUCKET=mastodon-media
S3_ENDPOINT=http://[fd00:6f77::2]:9000
S3_HOSTNAME=media.social.example
AWS_ACCESS_KEY_ID=mastodon
AWS_SECRET_ACCESS_KEY=minio-secret-do-not-show
SMTP_SERVER=fd00:6f77::1
SMTP_PORT=25
";

pub fn with_env(mut input: Input, text: &str) -> Input {
    input.env = Some(Env::parse(text));
    input
}

/// The clean env with `key` set to `value` (or removed when `value` is None).
pub fn env_with(key: &str, value: Option<&str>) -> String {
    let mut lines: Vec<String> = CLEAN_ENV
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}=")))
        .map(String::from)
        .collect();
    if let Some(v) = value {
        lines.push(format!("{key}={v}"));
    }
    lines.join("\n")
}

pub fn rules(findings: &[Finding]) -> Vec<(&str, Severity)> {
    findings.iter().map(|f| (f.rule.as_ref(), f.severity)).collect()
}

/// The findings that are not the informational connection budget.
pub fn problems(input: &Input) -> Vec<Finding> {
    run(input)
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect()
}
