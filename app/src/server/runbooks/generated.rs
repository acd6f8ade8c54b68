//! Files generated for runbook steps (`{{file:KIND}}`), per target host, from the
//! inventory through the generators the other pages use: nothing is written twice.
//!
//! Kinds: `mesh` (a bundle, see `bundle`), `wireguard-PEER`, `bird`, `postgresql-listen`,
//! `postgresql-hba`, `redis-listen`, `bucket-policy-anon`, `bucket-policy-user`,
//! `nginx-media`, `mastodon-env`, `mail-dns`, `mastodon-units`, `unit-files` (a bundle).
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

use crate::domain::env_merge::{self, MergeRow};
use crate::domain::{mesh::interface, unit_instance::units};
use crate::model::bucket::{Bucket, GeneratedFile};
use crate::model::mesh::ConfigFile;
use crate::model::service::{Service, ServiceKind};
use crate::model::AppError;
use crate::server::{buckets, db, mail, network};

/// The line that opens each file of a bundle: `#owlery-file MODE PATH`.
pub const BUNDLE_MARK: &str = "#owlery-file ";

/// Several files as one text the runbook scripts unpack with a `read` loop: each file
/// after its mark line. The last newline is left off (the scripts print the bundle with
/// `printf '%s\n'`), and a file whose own lines could pass for a mark is refused.
pub fn bundle(files: &[(u32, &str, &str)]) -> Result<String, AppError> {
    let mut out = String::new();
    for (mode, path, text) in files {
        if text.lines().any(|l| l.starts_with(BUNDLE_MARK)) || path.contains(char::is_whitespace) {
            return Err(AppError::Conflict(format!("{path} cannot travel in a bundle")));
        }
        out.push_str(&format!("{BUNDLE_MARK}{mode:04o} {path}\n{text}"));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out.pop();
    Ok(out)
}

fn missing(what: String) -> AppError {
    AppError::field("file", what)
}

/// The content of generated file `kind` for `target_host`; NotFound for a kind nobody
/// generates, a field error when the inventory lacks what the kind needs.
pub async fn file(conn: &mut SqliteConnection, kind: &str, target_host: &str) -> Result<String, AppError> {
    match kind {
        "mesh" => mesh_bundle(conn, target_host).await,
        "bird" => Ok(mesh_file(conn, target_host, "/etc/bird/bird.conf").await?),
        "postgresql-listen" | "postgresql-hba" | "redis-listen" => database(conn, kind, target_host).await,
        "bucket-policy-anon" | "bucket-policy-user" | "nginx-media" => {
            bucket_file(conn, kind, target_host).await
        }
        "mastodon-env" => mastodon_env(conn, target_host).await,
        "mail-dns" => mail_dns(conn, target_host).await,
        "mastodon-units" => Ok(units_on(conn, target_host).await?.join("\n")),
        "unit-files" => {
            let files = units::files(&units::Layout::mastodon());
            let list: Vec<_> = files
                .iter()
                .map(|f| (f.mode, f.path.as_str(), f.content.as_str()))
                .collect();
            bundle(&list)
        }
        _ => match kind.strip_prefix("wireguard-") {
            Some(peer) => {
                mesh_file(
                    conn,
                    target_host,
                    &format!("/etc/wireguard/{}.conf", interface(peer)),
                )
                .await
            }
            None => Err(AppError::NotFound),
        },
    }
}

/// Every real file the network page shows for the host (the IPv4 route is part of the
/// tunnel file already and has no path of its own).
async fn mesh_files(conn: &mut SqliteConnection, host: &str) -> Result<Vec<ConfigFile>, AppError> {
    let nodes = db::mesh::nodes(conn).await?;
    let links = db::mesh::links(conn).await?;
    let node = nodes
        .iter()
        .find(|n| n.host == host)
        .ok_or_else(|| missing(format!("{host} is not in the mesh: add it on the network page")))?;
    Ok(network::views::files(node, &nodes, &links)
        .into_iter()
        .flat_map(|g| g.files)
        .filter(|f| f.path.starts_with('/'))
        .collect())
}

async fn mesh_file(conn: &mut SqliteConnection, host: &str, path: &str) -> Result<String, AppError> {
    mesh_files(conn, host)
        .await?
        .into_iter()
        .find(|f| f.path == path)
        .map(|f| f.text)
        .ok_or_else(|| missing(format!("{host} has no {path} (is the tunnel in the mesh?)")))
}

async fn mesh_bundle(conn: &mut SqliteConnection, host: &str) -> Result<String, AppError> {
    let files = mesh_files(conn, host).await?;
    // Tunnel files name the key file only, but stay private like everything in there.
    let mode = |p: &str| {
        if p.starts_with("/etc/wireguard/") {
            0o600
        } else {
            0o644
        }
    };
    let list: Vec<_> = files
        .iter()
        .map(|f| (mode(&f.path), f.path.as_str(), f.text.as_str()))
        .collect();
    bundle(&list)
}

async fn services(conn: &mut SqliteConnection) -> Result<Vec<Service>, AppError> {
    db::services::all(conn).await
}

/// PostgreSQL or Redis on the target, listening where the inventory says; pg_hba lets
/// in the mesh addresses of the hosts whose services depend on PostgreSQL.
async fn database(conn: &mut SqliteConnection, kind: &str, host: &str) -> Result<String, AppError> {
    let all = services(conn).await?;
    let wanted = if kind == "redis-listen" {
        ServiceKind::Redis
    } else {
        ServiceKind::Postgresql
    };
    let svc = all
        .iter()
        .find(|s| s.host == host && s.kind == wanted)
        .ok_or_else(|| {
            missing(format!(
                "no {} service on {host} in the inventory",
                wanted.as_str()
            ))
        })?;
    let addr = svc
        .listen_addr
        .clone()
        .ok_or_else(|| missing(format!("{} has no listen address", svc.name)))?;
    let port = svc
        .port
        .unwrap_or(if wanted == ServiceKind::Redis { 6379 } else { 5432 });
    let head = format!(
        "# {} on {host}, generated by Owlery from the inventory.\n",
        svc.name
    );
    Ok(match kind {
        "postgresql-listen" => format!("{head}listen_addresses = 'localhost,{addr}'\nport = {port}\n"),
        "redis-listen" => format!("{head}bind 127.0.0.1 -::1 {addr}\nport {port}\n"),
        _ => {
            let mut clients: Vec<&str> = all
                .iter()
                .filter(|s| s.deps.contains(&svc.name) && s.host != host)
                .map(|s| s.host.as_str())
                .collect();
            clients.sort();
            clients.dedup();
            let mut out = String::from("# owlery-mesh begin\n");
            out.push_str(&format!(
                "# {}: the hosts whose services use it, by their mesh address.\n",
                svc.name
            ));
            for client in clients {
                let h = db::hosts::get(conn, client).await?;
                let Some(mesh) = h.mesh_addr else {
                    out.push_str(&format!("# {client} has no mesh address yet\n"));
                    continue;
                };
                let prefix = if mesh.contains(':') { 128 } else { 32 };
                out.push_str(&format!(
                    "host all all {mesh}/{prefix} scram-sha-256 # {client}\n"
                ));
            }
            out.push_str("# owlery-mesh end\n");
            out
        }
    })
}

/// The bucket a step on `host` means: the one on a MinIO service there, else the only
/// bucket in the inventory.
async fn the_bucket(conn: &mut SqliteConnection, host: &str) -> Result<Bucket, AppError> {
    let names: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT b.name, h.name FROM buckets b LEFT JOIN services s ON s.id = b.service_id \
         LEFT JOIN hosts h ON h.id = s.host_id ORDER BY b.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let here: Vec<&String> = names
        .iter()
        .filter(|(_, h)| h.as_deref() == Some(host))
        .map(|(n, _)| n)
        .collect();
    let name = match (here.as_slice(), names.as_slice()) {
        ([one], _) => (*one).clone(),
        ([], [(one, _)]) => one.clone(),
        ([], []) => return Err(missing("no bucket in the inventory".into())),
        _ => {
            let all: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            return Err(missing(format!(
                "more than one bucket could be meant for {host}: {}",
                all.join(", ")
            )));
        }
    };
    db::buckets::get(conn, &name).await
}

fn pick(
    files: Vec<GeneratedFile>,
    wanted: impl Fn(&GeneratedFile) -> bool,
    what: &str,
) -> Result<String, AppError> {
    files
        .into_iter()
        .find(|f| wanted(f))
        .map(|f| f.text)
        .ok_or_else(|| missing(what.to_owned()))
}

async fn bucket_file(conn: &mut SqliteConnection, kind: &str, host: &str) -> Result<String, AppError> {
    let b = the_bucket(conn, host).await?;
    let files = buckets::files(conn, &b).await?;
    match kind {
        "bucket-policy-anon" => pick(
            files,
            |f| f.file == "anonymous-policy.json",
            &format!("bucket {} allows no anonymous access", b.name),
        ),
        "nginx-media" => pick(
            files,
            |f| f.file.starts_with("nginx-"),
            &format!("bucket {} has no alias host to serve", b.name),
        ),
        _ => {
            // The user Mastodon writes with: as the env block chooses it.
            let user = b
                .users
                .iter()
                .find(|u| ["get", "put"].iter().all(|a| u.actions.iter().any(|x| x == a)))
                .or(b.users.first())
                .ok_or_else(|| missing(format!("bucket {} has no access user", b.name)))?;
            let file = format!("policy-{}.json", user.access_key);
            pick(
                files,
                |f| f.file == file,
                &format!("no policy for {}", user.access_key),
            )
        }
    }
}

/// What the inventory says Mastodon on `host` needs: PostgreSQL and Redis over the mesh,
/// the bucket's S3 block, the mail domain's SMTP block. Secrets stay named only.
pub async fn mastodon_env(conn: &mut SqliteConnection, host: &str) -> Result<String, AppError> {
    let all = services(conn).await?;
    let mut out = format!("# What the inventory says Mastodon on {host} needs (generated by Owlery).\n");
    for (kind, host_key, port_key, default_port) in [
        (ServiceKind::Postgresql, "DB_HOST", "DB_PORT", 5432),
        (ServiceKind::Redis, "REDIS_HOST", "REDIS_PORT", 6379),
    ] {
        if let Some(s) = all.iter().find(|s| s.kind == kind) {
            let addr = s.listen_addr.clone().unwrap_or_else(|| s.host.clone());
            out.push_str(&format!(
                "# {} on {}.\n{host_key}={addr}\n{port_key}={}\n",
                s.name,
                s.host,
                s.port.unwrap_or(default_port)
            ));
        }
    }
    if let Ok(b) = the_bucket(conn, host).await {
        let files = buckets::files(conn, &b).await?;
        out.push_str(&pick(files, |f| f.file == "mastodon-s3.env", "no S3 block")?);
    }
    let domains: Vec<String> = sqlx::query_scalar("SELECT domain FROM mail_domains ORDER BY domain")
        .fetch_all(&mut *conn)
        .await?;
    if let Some(domain) = domains.first() {
        let m = db::mail::get(conn, domain).await?;
        let (relay, signing) = mail::hops(conn, &m).await?;
        let files = mail::files(&m, &relay, &signing);
        out.push_str(&pick(files, |f| f.file == "mastodon-smtp.env", "no SMTP block")?);
    }
    Ok(out)
}

/// The `.env.production` merge of a run: the pasted source and target files against
/// what the inventory says the run's web host needs (see `domain::env_merge::merge`).
/// Returns the host, the rows and the problems found reading the pasted files.
pub async fn env_merge(
    conn: &mut SqliteConnection,
    run: i64,
    source: &str,
    target: &str,
) -> Result<(String, Vec<MergeRow>, Vec<String>), AppError> {
    let params: String = sqlx::query_scalar("SELECT params FROM runs WHERE id = ?")
        .bind(run)
        .fetch_one(&mut *conn)
        .await?;
    let values: BTreeMap<String, String> = serde_json::from_str(&params).unwrap_or_default();
    let host = match values.get("web").filter(|h| !h.is_empty()) {
        Some(h) => h.clone(),
        // A run of another runbook: the host Puma runs on.
        None => services(conn)
            .await?
            .into_iter()
            .find(|s| s.kind == ServiceKind::Puma)
            .map(|s| s.host)
            .ok_or_else(|| missing("no Puma service in the inventory to merge for".into()))?,
    };
    let ours = env_merge::parse(&mastodon_env(conn, &host).await?);
    let (base, theirs) = (env_merge::parse(source), env_merge::parse(target));
    let mut problems: Vec<String> = base
        .problems
        .iter()
        .map(|p| format!("source file, {p}"))
        .collect();
    problems.extend(theirs.problems.iter().map(|p| format!("target file, {p}")));
    Ok((host, env_merge::merge(&base, &ours, &theirs), problems))
}

/// The zone lines of every mail domain relayed from `host`.
async fn mail_dns(conn: &mut SqliteConnection, host: &str) -> Result<String, AppError> {
    let domains: Vec<String> = sqlx::query_scalar("SELECT domain FROM mail_domains ORDER BY domain")
        .fetch_all(&mut *conn)
        .await?;
    let mut out = String::new();
    for domain in domains {
        let m = db::mail::get(conn, &domain).await?;
        let (relay, signing) = mail::hops(conn, &m).await?;
        if relay.host != host {
            continue;
        }
        let files = mail::files(&m, &relay, &signing);
        out.push_str(&pick(files, |f| f.file.ends_with(".zone"), "no zone")?);
    }
    if out.is_empty() {
        return Err(missing(format!("no mail domain is relayed from {host}")));
    }
    Ok(out)
}

/// The systemd units of Mastodon's own processes on `host`, as the inventory names them.
async fn units_on(conn: &mut SqliteConnection, host: &str) -> Result<Vec<String>, AppError> {
    let mastodon = [ServiceKind::Puma, ServiceKind::Sidekiq, ServiceKind::Streaming];
    let list: Vec<String> = services(conn)
        .await?
        .into_iter()
        .filter(|s| s.host == host && mastodon.contains(&s.kind))
        .map(|s| s.unit)
        .collect();
    if list.is_empty() {
        return Err(missing(format!(
            "no Puma, Sidekiq or streaming service on {host}"
        )));
    }
    Ok(list)
}

#[cfg(test)]
#[path = "generated_tests.rs"]
mod tests;
