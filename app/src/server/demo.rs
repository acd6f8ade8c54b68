//! `owlery demo`: the reference cluster of the article, loaded idempotently.
use sqlx::SqlitePool;

use super::db::{self, audit::Actor};
use crate::model::host::HostInput;
use crate::model::AppError;

/// The hosts before and after the move: iris alone, then hermes, hedwig and becblanche.
/// Addresses come from documentation ranges so they can never reach a real system.
pub fn reference_hosts() -> Vec<HostInput> {
    let host = |name: &str, plan: &str, arch: &str, cpu: &str, ram: &str, disk: &str| HostInput {
        name: name.into(),
        provider: "Scaleway".into(),
        plan: plan.into(),
        arch: arch.into(),
        vcpus: cpu.into(),
        ram_mib: ram.into(),
        disk_gb: disk.into(),
        ..HostInput::blank()
    };
    vec![
        HostInput {
            ipv4: "192.0.2.10".into(),
            ipv6: "2001:db8:10::10".into(),
            ssh_host: "192.0.2.10".into(),
            tags: "mastodon legacy".into(),
            notes: "The single host the instance started on: everything ran here, media on local disk.".into(),
            ..host("iris", "ARM64-4GB", "aarch64", "6", "4096", "100")
        },
        HostInput {
            ipv4: "192.0.2.20".into(),
            ipv6: "2001:db8:20::20".into(),
            mesh_addr: "fd00:6f77::1".into(),
            ssh_host: "192.0.2.20".into(),
            tags: "web mail nat-gateway".into(),
            notes: "Puma, nginx (site and media virtual hosts), OpenSMTPD with dkimproxy. NAT gateway for hedwig.".into(),
            ..host("hermes", "Start1-XS", "x86_64", "1", "1024", "25")
        },
        HostInput {
            ipv6: "2001:db8:20::21".into(),
            mesh_addr: "fd00:6f77::2".into(),
            ssh_host: "2001:db8:20::21".into(),
            tags: "workers media".into(),
            notes: "IPv6 only; reaches IPv4 through hermes. Sidekiq, streaming API, MinIO media bucket.".into(),
            ..host("hedwig", "Start1-XS", "x86_64", "1", "1024", "25")
        },
        HostInput {
            ipv6: "2001:db8:20::22".into(),
            mesh_addr: "fd00:6f77::3".into(),
            ssh_host: "2001:db8:20::22".into(),
            tags: "db".into(),
            notes: "IPv6 only. PostgreSQL and Redis, listening on the mesh address.".into(),
            ..host("becblanche", "Start1-XS", "x86_64", "1", "1024", "25")
        },
    ]
}

/// Adds every reference host that is missing; hosts already there are left as they are.
/// Returns how many were added.
pub async fn load(pool: &SqlitePool) -> Result<usize, AppError> {
    let actor = Actor::cli("demo");
    let mut added = 0;
    for input in reference_hosts() {
        let draft = input.parse().map_err(AppError::Validation)?;
        let mut conn = pool.acquire().await?;
        match db::hosts::get(&mut conn, draft.name.as_str()).await {
            Ok(_) => continue,
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
        drop(conn);
        super::hosts::create(pool, &actor, &draft).await?;
        added += 1;
    }
    super::services::load_demo(pool, &actor).await?;
    super::costs::demo::load(pool).await?;
    // Buckets and mail need the services above; each skips what is still missing.
    super::buckets::load_demo(pool, &actor).await?;
    super::mail::load_demo(pool, &actor).await?;
    super::network::demo::load(pool).await?;
    super::runbooks::load_builtins(pool).await?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::host::HostQuery;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn loading_the_demo_twice_gives_the_same_four_hosts() {
        let (pool, _dir) = test_pool().await;
        assert_eq!(load(&pool).await.unwrap(), 4);
        assert_eq!(load(&pool).await.unwrap(), 0);
        let hosts = db::hosts::list(&pool, &HostQuery::default()).await.unwrap();
        let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, vec!["becblanche", "hedwig", "hermes", "iris"]);
        let ipv6_only: Vec<&str> = hosts
            .iter()
            .filter(|h| h.ipv4.is_none())
            .map(|h| h.name.as_str())
            .collect();
        assert_eq!(ipv6_only, vec!["becblanche", "hedwig"]);
    }
}
