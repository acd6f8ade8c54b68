//! The services of the reference cluster for `owlery demo`: Mastodon split over hermes
//! (web, mail), hedwig (workers, media) and becblanche (databases), the mesh on all
//! three. iris, the old host, runs nothing any more.
use sqlx::SqlitePool;

use crate::model::service::{ServiceInput, ServiceKind};
use crate::model::AppError;
use crate::server::db::{self, audit::Actor};

/// The mesh (loopback) address of each reference host, as `demo::reference_hosts` has it.
const MESH: [(&str, &str); 3] = [
    ("hermes", "fd00:6f77::1"),
    ("hedwig", "fd00:6f77::2"),
    ("becblanche", "fd00:6f77::3"),
];

fn mesh(host: &str) -> String {
    MESH.iter()
        .find(|(h, _)| *h == host)
        .map(|(_, a)| (*a).to_owned())
        .unwrap_or_default()
}

/// Every reference service, each after the ones it depends on. Names are fixed: buckets,
/// mail and network refer to them.
pub fn reference_services() -> Vec<ServiceInput> {
    let on_mesh = |name: &str, host: &str, kind: ServiceKind, deps: &str, notes: &str| ServiceInput {
        name: name.into(),
        listen_addr: mesh(host),
        deps: deps.into(),
        notes: notes.into(),
        ..ServiceInput::blank(host, kind)
    };
    let mut list = vec![
        on_mesh(
            "postgresql",
            "becblanche",
            ServiceKind::Postgresql,
            "",
            "Mastodon's database; hermes and hedwig reach it over the mesh.",
        ),
        on_mesh(
            "redis",
            "becblanche",
            ServiceKind::Redis,
            "",
            "Caches and Sidekiq's queues.",
        ),
        on_mesh(
            "minio",
            "hedwig",
            ServiceKind::Minio,
            "",
            "The media bucket, path-style; nginx on hermes serves it as media.social.example.",
        ),
        ServiceInput {
            name: "dkimproxy".into(),
            listen_addr: "127.0.0.1".into(),
            notes: "Signs outgoing mail for OpenSMTPD (dkimproxy.out).".into(),
            ..ServiceInput::blank("hermes", ServiceKind::Dkimproxy)
        },
        on_mesh(
            "opensmtpd",
            "hermes",
            ServiceKind::Opensmtpd,
            "dkimproxy",
            "Relays the instance's mail; hedwig's Sidekiq sends through it over the mesh.",
        ),
        on_mesh(
            "puma",
            "hermes",
            ServiceKind::Puma,
            "postgresql redis",
            "The web application; looks up remote users and posts, so it needs the internet.",
        ),
        on_mesh(
            "streaming",
            "hedwig",
            ServiceKind::Streaming,
            "postgresql redis",
            "Node.js streaming API.",
        ),
        // Sidekiq listens nowhere: it only takes jobs from Redis.
        ServiceInput {
            listen_addr: String::new(),
            ..on_mesh(
                "sidekiq",
                "hedwig",
                ServiceKind::Sidekiq,
                "postgresql redis minio opensmtpd",
                "Delivers to remote instances: reaches IPv4 through the NAT on hermes.",
            )
        },
        ServiceInput {
            name: "nginx".into(),
            listen_addr: "::".into(),
            deps: "puma streaming minio".into(),
            notes: "Port 80 too (redirects). Virtual hosts social.example and media.social.example; \
                    the same HSTS header on both."
                .into(),
            ..ServiceInput::blank("hermes", ServiceKind::Nginx)
        },
    ];
    for (host, _) in MESH {
        list.push(ServiceInput {
            name: format!("wireguard-{host}"),
            notes: "One wg-quick@ unit per tunnel to each other host (UDP).".into(),
            ..ServiceInput::blank(host, ServiceKind::Wireguard)
        });
        list.push(ServiceInput {
            name: format!("bird-{host}"),
            notes: "Announces the host's mesh address over OSPF through the tunnels.".into(),
            ..ServiceInput::blank(host, ServiceKind::Bird)
        });
    }
    list
}

/// Adds every reference service that is missing (services already there, under their
/// name, are left as they are). Returns how many were added.
pub async fn load_demo(pool: &SqlitePool, actor: &Actor) -> Result<usize, AppError> {
    let mut added = 0;
    for input in reference_services() {
        let draft = input.parse().map_err(AppError::Validation)?;
        match db::services::get(&mut *pool.acquire().await?, draft.name.as_str()).await {
            Ok(_) => continue,
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
        super::create(pool, actor, &draft).await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_reference_services_load_once_on_their_hosts() {
        let (pool, _dir) = db::test_pool().await;
        let actor = Actor::cli("demo");
        for host in crate::server::demo::reference_hosts() {
            let draft = host.parse().unwrap();
            crate::server::hosts::create(&pool, &actor, &draft).await.unwrap();
        }
        assert_eq!(load_demo(&pool, &actor).await.unwrap(), 15);
        assert_eq!(load_demo(&pool, &actor).await.unwrap(), 0);
        let all = db::services::list_all(&pool).await.unwrap();
        let on = |host: &str| {
            all.iter()
                .filter(|s| s.host == host)
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            on("hermes"),
            vec![
                "bird-hermes",
                "dkimproxy",
                "nginx",
                "opensmtpd",
                "puma",
                "wireguard-hermes"
            ]
        );
        assert_eq!(
            on("hedwig"),
            vec!["bird-hedwig", "minio", "sidekiq", "streaming", "wireguard-hedwig"]
        );
        assert_eq!(
            on("becblanche"),
            vec!["bird-becblanche", "postgresql", "redis", "wireguard-becblanche"]
        );
        assert!(on("iris").is_empty());
        let get = |name: &str| all.iter().find(|s| s.name == name).unwrap();
        assert_eq!(get("postgresql").listen(), "[fd00:6f77::3]:5432");
        assert_eq!(get("dkimproxy").listen(), "127.0.0.1:10027");
        assert_eq!(get("nginx").listen(), "[::]:443");
        assert_eq!(
            get("sidekiq").deps,
            vec!["minio", "opensmtpd", "postgresql", "redis"]
        );
        assert_eq!(get("sidekiq").unit, "mastodon-sidekiq@default.service");
        assert_eq!(get("wireguard-hedwig").listen(), "");
        let egress: Vec<&str> = all
            .iter()
            .filter(|s| s.needs_egress)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(egress, vec!["sidekiq", "puma"]);
    }
}
