//! A Mastodon `.env.production`: read, linted on its own, and checked against the
//! inventory. Values of secrets are never repeated in a finding.
use super::{Finding, Input, ObjectKind, Severity};

/// What Mastodon refuses to start without (or starts wrong without).
pub const REQUIRED: [&str; 7] = [
    "LOCAL_DOMAIN",
    "DB_HOST",
    "REDIS_HOST",
    "SECRET_KEY_BASE",
    "OTP_SECRET",
    "VAPID_PRIVATE_KEY",
    "VAPID_PUBLIC_KEY",
];

/// The variables of an env file, in file order; a later line wins, as in dotenv.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: Vec<(String, String)>,
}

impl Env {
    /// Reads `KEY=value` lines the way dotenv does: comments and blank lines skipped,
    /// `export ` allowed, quotes removed, ` # comment` after an unquoted value dropped.
    /// Lines that are not assignments are ignored: the lint is about values, not syntax.
    pub fn parse(text: &str) -> Env {
        let mut vars: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            if line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let value = unquote(value.trim());
            vars.retain(|(k, _)| k != key);
            vars.push((key.to_owned(), value));
        }
        Env { vars }
    }

    /// The value of `key`, when set and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A number, when `key` holds one.
    pub fn number(&self, key: &str) -> Option<u32> {
        self.get(key)?.parse().ok()
    }

    /// `KEY=value` as a finding may show it: secret values masked.
    pub fn shown(&self, key: &str) -> String {
        match self.get(key) {
            Some(_) if is_secret(key) => format!("{key}=(hidden)"),
            Some(v) => format!("{key}={v}"),
            None => format!("{key} (not set)"),
        }
    }

    fn enabled(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// Whether a variable holds a secret: its value is never echoed back.
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    k.contains("SECRET") || k.contains("KEY") || k.contains("PASSWORD") || k.contains("TOKEN")
}

fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_owned();
        }
    }
    match v.find(" #") {
        Some(at) => v[..at].trim_end().to_owned(),
        None => v.to_owned(),
    }
}

/// The env on its own: required keys, a complete S3 block, no ambiguous media host.
pub fn lint(env: &Env, out: &mut Vec<Finding>) {
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|k| env.get(k).is_none()).collect();
    if !missing.is_empty() {
        out.push(
            Finding::new(
                "env-missing-key",
                Severity::Error,
                format!("The env does not set {}.", missing.join(", ")),
            )
            .on(ObjectKind::Env, ".env.production")
            .why("Mastodon refuses to boot without its secrets, or falls back to localhost for the database and Redis, which is not where they run on a split cluster.")
            .fix(format!(
                "Add {} to .env.production (generate secrets with `RAILS_ENV=production bundle exec rake secret` and VAPID keys with `rake mastodon:webpush:generate_vapid_key`).",
                missing.join(", ")
            )),
        );
    }
    if env.enabled("S3_ENABLED") {
        let needed = [
            "S3_BUCKET",
            "S3_ENDPOINT",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
        ];
        let missing: Vec<&str> = needed.into_iter().filter(|k| env.get(k).is_none()).collect();
        if !missing.is_empty() {
            out.push(
                Finding::new(
                    "env-s3-incomplete",
                    Severity::Error,
                    format!("S3_ENABLED=true but {} not set.", missing.join(", ")),
                )
                .on(ObjectKind::Env, ".env.production")
                .why("Uploads fail with a server error as soon as someone attaches an image, while the rest of the site looks fine.")
                .fix(format!(
                    "Set {} (the bucket's page in Owlery generates the whole S3 block).",
                    missing.join(", ")
                )),
            );
        }
    }
    if env.get("S3_ALIAS_HOST").is_some() && env.get("S3_HOSTNAME").is_some() {
        out.push(
            Finding::new(
                "env-s3-both-hosts",
                Severity::Warning,
                format!(
                    "Both {} and {} are set.",
                    env.shown("S3_ALIAS_HOST"),
                    env.shown("S3_HOSTNAME")
                ),
            )
            .on(ObjectKind::Env, ".env.production")
            .why("S3_ALIAS_HOST wins and drops the bucket from media links; which one was meant depends on the bucket's addressing, and the next person to read the file cannot tell.")
            .fix("Keep S3_HOSTNAME for a path-style bucket, S3_ALIAS_HOST for a virtual-host one, and delete the other."),
        );
    }
}

/// DB_HOST, REDIS_HOST and SMTP_SERVER must name where the inventory runs those services.
pub fn against_inventory(env: &Env, input: &Input, out: &mut Vec<Finding>) {
    for (key, kind, label, restart) in [
        (
            "DB_HOST",
            "postgresql",
            "PostgreSQL",
            "Puma, Sidekiq and streaming",
        ),
        ("REDIS_HOST", "redis", "Redis", "Puma, Sidekiq and streaming"),
        ("SMTP_SERVER", "", "the mail relay", "Puma and Sidekiq"),
    ] {
        let targets: Vec<&super::CheckService> = if kind.is_empty() {
            input
                .mail
                .iter()
                .filter_map(|m| input.service(&m.relay))
                .collect()
        } else {
            input.services_of(kind).collect()
        };
        let Some(value) = env.get(key) else { continue };
        if targets.is_empty() {
            continue;
        }
        let value = value.trim_start_matches('[').trim_end_matches(']');
        if targets
            .iter()
            .any(|s| addresses(input, s).iter().any(|a| a == value))
        {
            continue;
        }
        let expected: Vec<String> = targets
            .iter()
            .map(|s| {
                let at = s.listen_addr.clone().unwrap_or_else(|| s.host.clone());
                format!("{at} ({} on {})", s.name, s.host)
            })
            .collect();
        let mut finding = Finding::new(
            match key {
                "DB_HOST" => "env-db-host",
                "REDIS_HOST" => "env-redis-host",
                _ => "env-smtp-server",
            },
            Severity::Error,
            format!("{} points at no {label} of the inventory.", env.shown(key)),
        )
        .on(ObjectKind::Env, ".env.production")
        .why(format!(
            "{restart} connect to whatever {key} names: a stale address keeps them on the old host (or failing) after a move, which the article's migration had to get right."
        ))
        .fix(format!("Set {key} to {} and restart {restart}.", expected.join(" or ")));
        for s in targets {
            finding = finding.on(ObjectKind::Service, &s.name);
        }
        out.push(finding);
    }
}

/// The addresses a client may use for `s`: its listen address and its host's names.
/// A service on a wildcard or loopback address also answers on localhost.
fn addresses(input: &Input, s: &super::CheckService) -> Vec<String> {
    let mut all = vec![s.host.clone()];
    let listen = s.listen_addr.as_deref().unwrap_or("");
    if !listen.is_empty() {
        all.push(listen.to_owned());
    }
    if ["", "::", "0.0.0.0", "127.0.0.1", "::1"].contains(&listen) {
        all.extend(["localhost", "127.0.0.1", "::1"].map(String::from));
    }
    if let Some(h) = input.host(&s.host) {
        all.extend([&h.ipv4, &h.ipv6, &h.mesh_addr].into_iter().flatten().cloned());
    }
    all
}
