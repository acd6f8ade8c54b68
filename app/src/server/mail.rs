//! Changing mail domains (each change and its audit entry in one transaction), the
//! files generated for a domain, and the reference domain of `owlery demo`.
use sqlx::{SqliteConnection, SqlitePool};
use std::net::IpAddr;

use super::db::{self, audit::Actor};
use crate::domain::mail::{self, MailFacts, Relay, RelayHost, EXAMPLE_DKIM_PUBLIC_KEY};
use crate::model::bucket::GeneratedFile;
use crate::model::mail::{MailDomain, MailDraft, MailHop, MailInput};
use crate::model::AppError;

const KIND: &str = "mail_domain";

pub async fn create(pool: &SqlitePool, actor: &Actor, draft: &MailDraft) -> Result<MailDomain, AppError> {
    let mut tx = db::begin(pool).await?;
    let m = db::mail::insert(&mut tx, draft).await?;
    let object = (KIND, Some(m.id), m.domain.as_str());
    db::audit::record_fields(&mut tx, actor, object, None, Some(&m.fields())).await?;
    tx.commit().await?;
    Ok(m)
}

pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    current: &str,
    draft: &MailDraft,
) -> Result<MailDomain, AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, after) = db::mail::update(&mut tx, current, draft).await?;
    let object = (KIND, Some(after.id), after.domain.as_str());
    db::audit::record_fields(
        &mut tx,
        actor,
        object,
        Some(&before.fields()),
        Some(&after.fields()),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(
    pool: &SqlitePool,
    actor: &Actor,
    domain: &str,
    version: i64,
) -> Result<MailDomain, AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::mail::delete(&mut tx, domain, version).await?;
    let object = (KIND, Some(before.id), before.domain.as_str());
    db::audit::record_fields(&mut tx, actor, object, Some(&before.fields()), None).await?;
    tx.commit().await?;
    Ok(before)
}

fn ip(s: &Option<String>) -> Option<IpAddr> {
    s.as_deref().and_then(|s| s.parse().ok())
}

/// The relay and signing hops of a domain, as its page shows them.
pub async fn hops(conn: &mut SqliteConnection, m: &MailDomain) -> Result<(MailHop, MailHop), AppError> {
    let relay = db::mail::hop(conn, &m.relay).await?;
    let signing = db::mail::hop(conn, &m.signing).await?;
    Ok((relay, signing))
}

/// The DNS zone lines and Mastodon's SMTP block for a domain.
pub fn files(m: &MailDomain, relay: &MailHop, signing: &MailHop) -> Vec<GeneratedFile> {
    let relay_host = RelayHost {
        name: &relay.host,
        ipv4: ip(&relay.host_ipv4),
        ipv6: ip(&relay.host_ipv6),
        egress: relay.egress.as_ref().map(|(name, v4)| (name.as_str(), ip(v4))),
    };
    let (sending, notes) = mail::sending_addresses(&relay_host);
    let relay_label = relay.label();
    let facts = MailFacts {
        domain: &m.domain,
        mx_host: &m.mx_host,
        ttl: m.ttl,
        selector: &m.dkim_selector,
        public_key: &m.dkim_public_key,
        dmarc_policy: &m.dmarc_policy,
        dmarc_report: m.dmarc_report.as_deref(),
        relay_label: &relay_label,
        relay_public: relay_host.ipv4.into_iter().chain(relay_host.ipv6).collect(),
        sending,
        notes,
    };
    // Sidekiq reaches the relay where it listens; a relay listening everywhere (or
    // nowhere recorded) is reached on its host's mesh address.
    let addr = relay
        .listen_addr
        .clone()
        .filter(|a| a != "0.0.0.0" && a != "::")
        .or_else(|| relay.host_mesh.clone())
        .unwrap_or_else(|| relay.host.clone());
    let signing_label = signing.label();
    let smtp = Relay {
        label: &relay_label,
        signing_label: &signing_label,
        addr: &addr,
        port: relay.port.unwrap_or(25),
    };
    vec![
        GeneratedFile {
            file: format!("{}.zone", m.domain),
            title: format!("DNS records for {}", m.domain),
            help: "Zone-file lines for the domain's DNS provider.".into(),
            text: mail::dns_records(&facts),
        },
        GeneratedFile {
            file: "mastodon-smtp.env".into(),
            title: ".env.production: SMTP settings".into(),
            help: "Merge into Mastodon's .env.production on every Puma and Sidekiq host.".into(),
            text: mail::smtp_env(&smtp, &m.from_address),
        },
    ]
}

/// The reference domain social.example, relayed by `opensmtpd` and signed by
/// `dkimproxy` (skipped while either service is missing). Returns how many were added.
pub async fn load_demo(pool: &SqlitePool, actor: &Actor) -> Result<usize, AppError> {
    let input = MailInput {
        domain: "social.example".into(),
        dkim_selector: "owl2026".into(),
        dkim_public_key: EXAMPLE_DKIM_PUBLIC_KEY.into(),
        dkim_secret: "dkim-social-example".into(),
        dmarc_report: "dmarc@social.example".into(),
        from_address: "notifications@social.example".into(),
        mx_host: "mail.social.example".into(),
        notes: "Moved from iris with the rest: OpenSMTPD relays, dkimproxy signs.".into(),
        ..MailInput::blank()
    };
    let draft = input.parse().map_err(AppError::Validation)?;
    match db::mail::get(&mut *pool.acquire().await?, &draft.domain).await {
        Ok(_) => return Ok(0),
        Err(AppError::NotFound) => {}
        Err(e) => return Err(e),
    }
    let has = |list: Vec<(String, String)>, name: &str| list.iter().any(|(s, _)| s == name);
    if !has(db::mail::services_of_kind(pool, "opensmtpd").await?, &draft.relay)
        || !has(
            db::mail::services_of_kind(pool, "dkimproxy").await?,
            &draft.signing,
        )
    {
        return Ok(0);
    }
    create(pool, actor, &draft).await?;
    Ok(1)
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
