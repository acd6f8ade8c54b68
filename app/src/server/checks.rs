//! The config check on the server: the inventory, the mesh and the facts gathered from
//! hosts, read into the rules' input; a pasted env checked without being kept.
use sqlx::SqlitePool;
use std::collections::HashMap;

use crate::domain::checks::{self, CheckBucket, CheckHost, CheckMail, CheckService, Env, Finding, Input};
use crate::model::AppError;
use crate::server::{db, inventory, jobs};

/// A `.env.production` is a few kilobytes; anything far larger is not one.
pub const MAX_ENV_BYTES: usize = 64 * 1024;

/// The rules' input from the database: the inventory, the mesh, and per host the memory
/// the last "gather facts" job found.
pub async fn input(pool: &SqlitePool) -> Result<Input, AppError> {
    let mut conn = pool.acquire().await?;
    let inv = inventory::load(&mut conn).await?;
    let nodes = db::mesh::nodes(&mut conn).await?;
    let links = db::mesh::links(&mut conn).await?;
    let mem_totals: HashMap<String, u64> = jobs::store::mem_totals(&mut conn).await?.into_iter().collect();
    let hosts = inv
        .hosts
        .iter()
        .map(|h| CheckHost {
            name: h.name.clone(),
            ram_mib: h.ram_mib,
            ipv4: h.ipv4.clone(),
            ipv6: h.ipv6.clone(),
            mesh_addr: h.mesh_addr.clone(),
            mem_total_mib: mem_totals.get(&h.name).copied().filter(|m| *m > 0),
        })
        .collect();
    let services = inv
        .services
        .iter()
        .map(|s| CheckService {
            name: s.name.clone(),
            host: s.host.clone(),
            kind: s.kind.clone(),
            unit: s.unit.clone(),
            listen_addr: s.listen_addr.clone(),
            needs_egress: s.needs_egress,
            memory_mib: s.memory_mib,
            deps: s.depends_on.clone(),
            notes: s.notes.clone(),
        })
        .collect();
    let buckets = inv
        .buckets
        .iter()
        .map(|b| CheckBucket {
            name: b.name.clone(),
            addressing: b.addressing.clone(),
            alias_host: b.alias_host.clone(),
            endpoint_url: b.endpoint_url.clone(),
        })
        .collect();
    let mail = inv
        .mail_domains
        .iter()
        .map(|m| CheckMail {
            domain: m.domain.clone(),
            relay: m.relay.clone(),
            dkim_public_key: m.dkim_public_key.clone(),
        })
        .collect();
    Ok(Input {
        hosts,
        services,
        buckets,
        mail,
        nodes,
        links,
        env: None,
        nginx: None,
    })
}

/// The findings of the inventory (and the facts), with an env file if one is given.
pub async fn run(pool: &SqlitePool, env: Option<&str>) -> Result<Vec<Finding>, AppError> {
    run_files(pool, env, None).await
}

/// [`run`], with the output of `nginx -T` too when given (`owlery check --nginx FILE`).
pub async fn run_files(
    pool: &SqlitePool,
    env: Option<&str>,
    nginx: Option<&str>,
) -> Result<Vec<Finding>, AppError> {
    let mut input = input(pool).await?;
    input.env = env.map(Env::parse);
    input.nginx = nginx.map(str::to_owned);
    Ok(checks::run(&input))
}

/// What a pasted env adds to the inventory's findings. The text is read here and
/// dropped: it is never stored, logged or sent back, and findings mask secret values.
pub async fn check_env(pool: &SqlitePool, text: &str) -> Result<Vec<Finding>, AppError> {
    if text.trim().is_empty() {
        return Err(invalid("paste the contents of .env.production"));
    }
    if text.len() > MAX_ENV_BYTES {
        return Err(invalid(
            "this is larger than any .env.production (64 KiB at most)",
        ));
    }
    let mut input = input(pool).await?;
    let base = checks::run(&input);
    input.env = Some(Env::parse(text));
    Ok(checks::run(&input)
        .into_iter()
        .filter(|f| !base.contains(f))
        .collect())
}

fn invalid(message: &str) -> AppError {
    AppError::field("env", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checks::Severity;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn the_demo_cluster_passes_without_errors_or_warnings() {
        let (pool, _dir) = test_pool().await;
        crate::server::demo::load(&pool).await.unwrap();
        let findings = run(&pool, None).await.unwrap();
        let shown: Vec<(&str, Severity, &str)> = findings
            .iter()
            .map(|f| (f.rule.as_ref(), f.severity, f.message.as_str()))
            .collect();
        assert!(
            findings.iter().all(|f| f.severity == Severity::Info),
            "{shown:#?}"
        );
    }

    #[tokio::test]
    async fn the_demo_with_s3_alias_host_for_its_path_style_bucket_fails() {
        let (pool, _dir) = test_pool().await;
        crate::server::demo::load(&pool).await.unwrap();
        let env = "S3_ENABLED=true\nS3_BUCKET=mastodon-media\nS3_ALIAS_HOST=media.social.example\n";
        let findings = check_env(&pool, env).await.unwrap();
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "s3-alias-host-path-style" && f.severity == Severity::Error),
            "{findings:#?}"
        );
    }

    #[tokio::test]
    async fn an_empty_paste_is_refused_at_its_field() {
        let (pool, _dir) = test_pool().await;
        let Err(AppError::Validation(e)) = check_env(&pool, "  \n").await else {
            panic!("accepted an empty env");
        };
        assert_eq!(e.get("env"), Some("paste the contents of .env.production"));
    }
}
