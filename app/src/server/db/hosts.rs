//! Hosts in SQLite: list, fetch, insert, update with a version check, delete.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::host::{Host, HostDraft, HostListItem, HostQuery};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

#[derive(sqlx::FromRow)]
struct HostRow {
    id: i64,
    name: String,
    provider: String,
    plan: String,
    arch: String,
    vcpus: i64,
    ram_mib: i64,
    disk_gb: i64,
    ipv4: Option<String>,
    ipv6: Option<String>,
    mesh_addr: Option<String>,
    ssh_host: String,
    ssh_port: i64,
    ssh_user: String,
    tags: String,
    notes: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

/// The space-separated tags of a `group_concat`, sorted.
fn split_tags(tags: &str) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    tags.sort();
    tags
}

impl From<HostRow> for Host {
    fn from(r: HostRow) -> Self {
        let tags = split_tags(&r.tags);
        Host {
            id: r.id,
            name: r.name,
            provider: r.provider,
            plan: r.plan,
            arch: r.arch,
            vcpus: r.vcpus as u32,
            ram_mib: r.ram_mib as u32,
            disk_gb: r.disk_gb as u32,
            ipv4: r.ipv4,
            ipv6: r.ipv6,
            mesh_addr: r.mesh_addr,
            ssh_host: r.ssh_host,
            ssh_port: r.ssh_port as u16,
            ssh_user: r.ssh_user,
            tags,
            notes: r.notes,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT h.id, h.name, h.provider, h.plan, h.arch, h.vcpus, h.ram_mib, h.disk_gb,
    h.ipv4, h.ipv6, h.mesh_addr, h.ssh_host, h.ssh_port, h.ssh_user, h.notes, h.version,
    h.created_at, h.updated_at,
    coalesce((SELECT group_concat(t.tag, ' ') FROM host_tags t WHERE t.host_id = h.id), '') AS tags
    FROM hosts h";

/// The SQL column a sort key of the list orders by; unknown keys sort by name.
fn sort_column(key: &str) -> &'static str {
    match key {
        "provider" => "h.provider",
        "plan" => "h.plan",
        "arch" => "h.arch",
        "vcpus" => "h.vcpus",
        "ram" => "h.ram_mib",
        "disk" => "h.disk_gb",
        "ipv4" => "h.ipv4",
        _ => "h.name",
    }
}

/// A row of the list query, as SQLite's `json_array` writes it: the shown columns only,
/// tags space-separated.
type ListRow = (
    String,
    String,
    String,
    String,
    u32,
    u32,
    u32,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn list_item(r: ListRow) -> HostListItem {
    let (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ipv4, ipv6, mesh_addr, tags) = r;
    HostListItem {
        name,
        provider,
        plan,
        arch,
        vcpus,
        ram_mib,
        disk_gb,
        ipv4,
        ipv6,
        mesh_addr,
        tags: split_tags(&tags),
    }
}

/// Hosts matching the filter text (in any shown column or tag), in the requested order.
///
/// The tags are grouped in one pass over `host_tags`, not once per host, and SQLite
/// returns the whole list as one JSON value: sqlx hands each row of a result from its
/// worker thread to the caller, which for a thousand rows costs more than the query.
pub async fn list(pool: &SqlitePool, query: &HostQuery) -> Result<Vec<HostListItem>, AppError> {
    let dir = if query.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT json_group_array(json_array(h.name, h.provider, h.plan, h.arch, h.vcpus,
                 h.ram_mib, h.disk_gb, h.ipv4, h.ipv6, h.mesh_addr, coalesce(t.tags, ''))
                 ORDER BY {} {dir}, h.name)
         FROM hosts h
         LEFT JOIN (SELECT host_id, group_concat(tag, ' ') AS tags FROM host_tags GROUP BY host_id) t
             ON t.host_id = h.id
         WHERE ?1 = '' OR instr(lower(h.name || ' ' || h.provider || ' ' || h.plan || ' ' || h.arch
             || ' ' || coalesce(h.ipv4, '') || ' ' || coalesce(h.ipv6, '') || ' '
             || coalesce(h.mesh_addr, '') || ' ' || coalesce(t.tags, '')), ?1) > 0",
        sort_column(&query.sort)
    );
    // Only constants and a whitelisted column name are formatted into the SQL.
    let json: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(query.q.trim().to_lowercase())
        .fetch_one(pool)
        .await?;
    let rows: Vec<ListRow> = serde_json::from_str(&json).map_err(|e| {
        tracing::error!("the hosts list query returned malformed JSON: {e}");
        AppError::Internal
    })?;
    Ok(rows.into_iter().map(list_item).collect())
}

pub async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Host, AppError> {
    let row: HostRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE h.name = ?")))
        .bind(name)
        .fetch_one(conn)
        .await?;
    Ok(row.into())
}

/// Every host, whole, by name: one query whatever the count.
pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<Host>, AppError> {
    let rows: Vec<HostRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY h.name")))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

fn name_taken(name: &str) -> AppError {
    AppError::field("name", format!("a host named {name} already exists"))
}

async fn write_tags(conn: &mut SqliteConnection, id: i64, tags: &[String]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM host_tags WHERE host_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO host_tags (host_id, tag) VALUES (?, ?)")
            .bind(id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert(conn: &mut SqliteConnection, d: &HostDraft) -> Result<Host, AppError> {
    let now = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ipv4, ipv6,
             mesh_addr, ssh_host, ssh_port, ssh_user, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(d.name.as_str())
    .bind(&d.provider)
    .bind(&d.plan)
    .bind(&d.arch)
    .bind(d.vcpus)
    .bind(d.ram_mib)
    .bind(d.disk_gb)
    .bind(d.ipv4.map(|a| a.to_string()))
    .bind(d.ipv6.map(|a| a.to_string()))
    .bind(d.mesh_addr.map(|a| a.to_string()))
    .bind(&d.ssh_host)
    .bind(d.ssh_port)
    .bind(&d.ssh_user)
    .bind(&d.notes)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            name_taken(d.name.as_str())
        } else {
            e.into()
        }
    })?;
    write_tags(conn, id, &d.tags).await?;
    get(conn, d.name.as_str()).await
}

/// Saves an edit of the host named `current_name`, only if nobody saved since the
/// editor loaded `d.version`. Returns the host as it was and as it is now.
pub async fn update(
    conn: &mut SqliteConnection,
    current_name: &str,
    d: &HostDraft,
) -> Result<(Host, Host), AppError> {
    let before = get(conn, current_name).await?;
    if d.version != Some(before.version) {
        return Err(AppError::Conflict(format!(
            "{current_name} was changed by someone else since you opened it; \
             reload to see their version, then make your change again"
        )));
    }
    let done = sqlx::query(
        "UPDATE hosts SET name = ?, provider = ?, plan = ?, arch = ?, vcpus = ?, ram_mib = ?,
             disk_gb = ?, ipv4 = ?, ipv6 = ?, mesh_addr = ?, ssh_host = ?, ssh_port = ?,
             ssh_user = ?, notes = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(d.name.as_str())
    .bind(&d.provider)
    .bind(&d.plan)
    .bind(&d.arch)
    .bind(d.vcpus)
    .bind(d.ram_mib)
    .bind(d.disk_gb)
    .bind(d.ipv4.map(|a| a.to_string()))
    .bind(d.ipv6.map(|a| a.to_string()))
    .bind(d.mesh_addr.map(|a| a.to_string()))
    .bind(&d.ssh_host)
    .bind(d.ssh_port)
    .bind(&d.ssh_user)
    .bind(&d.notes)
    .bind(now())
    .bind(before.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            name_taken(d.name.as_str())
        } else {
            e.into()
        }
    })?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(format!(
            "{current_name} changed while saving; reload and try again"
        )));
    }
    write_tags(conn, before.id, &d.tags).await?;
    let after = get(conn, d.name.as_str()).await?;
    Ok((before, after))
}

/// Deletes the host if it is still at `version`; returns it as it was.
pub async fn delete(conn: &mut SqliteConnection, name: &str, version: i64) -> Result<Host, AppError> {
    let before = get(conn, name).await?;
    if before.version != version {
        return Err(AppError::Conflict(format!(
            "{name} was changed by someone else since you opened it; look at it again before deleting"
        )));
    }
    // The foreign key would refuse it too, but only as an internal error.
    let services = super::services::names_on_host(conn, before.id).await?;
    if !services.is_empty() {
        return Err(AppError::Conflict(format!(
            "{name} still runs {}; move them to another host or delete them first",
            services.join(", ")
        )));
    }
    sqlx::query("DELETE FROM hosts WHERE id = ? AND version = ?")
        .bind(before.id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(before)
}

/// Totals for the dashboard: hosts, IPv6-only hosts, vCPUs, RAM, disk.
pub async fn totals(pool: &SqlitePool) -> Result<(i64, i64, i64, i64, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE ipv4 IS NULL), coalesce(sum(vcpus), 0),
                coalesce(sum(ram_mib), 0), coalesce(sum(disk_gb), 0)
         FROM hosts",
    )
    .fetch_one(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::host::HostInput;
    use crate::server::db::test_pool;

    fn draft(name: &str) -> HostDraft {
        HostInput {
            name: name.into(),
            provider: "Scaleway".into(),
            plan: "Start1-XS".into(),
            ssh_host: "127.0.0.1".into(),
            tags: "web mail".into(),
            ..HostInput::blank()
        }
        .parse()
        .expect("valid draft")
    }

    #[tokio::test]
    async fn an_inserted_host_comes_back_with_its_tags() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        let host = insert(&mut conn, &draft("hermes")).await.unwrap();
        assert_eq!(host.tags, vec!["mail", "web"]);
        assert_eq!(host.version, 1);
    }

    #[tokio::test]
    async fn a_duplicate_name_is_a_field_error_on_name() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        insert(&mut conn, &draft("hermes")).await.unwrap();
        let err = insert(&mut conn, &draft("hermes")).await.unwrap_err();
        assert!(err.field_message("name").is_some(), "{err:?}");
    }

    #[tokio::test]
    async fn a_save_based_on_an_old_version_is_refused() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        insert(&mut conn, &draft("hermes")).await.unwrap();
        let first = HostDraft {
            version: Some(1),
            plan: "ARM64-2GB".into(),
            ..draft("hermes")
        };
        update(&mut conn, "hermes", &first).await.unwrap();
        let second = HostDraft {
            version: Some(1),
            plan: "GP1-XS".into(),
            ..draft("hermes")
        };
        let err = update(&mut conn, "hermes", &second).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
        assert_eq!(get(&mut conn, "hermes").await.unwrap().plan, "ARM64-2GB");
    }

    #[tokio::test]
    async fn the_filter_matches_tags_and_addresses() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        insert(&mut conn, &draft("hermes")).await.unwrap();
        let mut db = draft("becblanche");
        db.tags = vec!["db".into()];
        insert(&mut conn, &db).await.unwrap();
        let q = |q: &str| HostQuery {
            q: q.into(),
            ..HostQuery::default()
        };
        let names = |hs: Vec<HostListItem>| hs.into_iter().map(|h| h.name).collect::<Vec<_>>();
        assert_eq!(names(list(&pool, &q("mail")).await.unwrap()), vec!["hermes"]);
        assert_eq!(
            names(list(&pool, &q("")).await.unwrap()),
            vec!["becblanche", "hermes"]
        );
        assert!(list(&pool, &q("no-such-host")).await.unwrap().is_empty());
        let all = list(&pool, &q("")).await.unwrap();
        assert_eq!(all[0].tags, vec!["db"]);
        assert_eq!(all[1].tags, vec!["mail", "web"]);
        assert_eq!(all[1].provider, "Scaleway");
        let by_name_desc = HostQuery { desc: true, ..q("") };
        assert_eq!(
            names(list(&pool, &by_name_desc).await.unwrap()),
            vec!["hermes", "becblanche"]
        );
    }
}
