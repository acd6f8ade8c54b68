//! The change log's filters, keyset paging and query plans, against a migrated database.
use super::*;
use crate::model::audit::AuditQuery;
use crate::server::db::test_pool;

const DAY: i64 = 86_400;
/// 2026-11-27 00:00 UTC.
const NOV_27: i64 = 1_795_737_600;

/// Appends an entry written at `at` by `actor`, about `kind` `name`.
async fn add(pool: &SqlitePool, at: i64, actor: &str, action: &str, kind: &str, name: &str) -> i64 {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_name, client_addr, action, object_kind, object_name, changes)
         VALUES (?, ?, '192.0.2.1', ?, ?, ?, '[]') RETURNING id",
    )
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(kind)
    .bind(name)
    .fetch_one(pool)
    .await
    .map(|row| sqlx::Row::get(&row, 0))
    .expect("insert audit entry")
}

/// `n` entries, one a minute, by alice (even) and bob (odd), on hosts and users.
async fn seed(pool: &SqlitePool, n: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (actor, kind) = if i % 2 == 0 {
            ("alice", "host")
        } else {
            ("bob", "user")
        };
        let action = ["create", "update", "delete"][(i % 3) as usize];
        ids.push(add(pool, NOV_27 + i * 60, actor, action, kind, &format!("node{i:03}")).await);
    }
    ids
}

async fn ids(pool: &SqlitePool, f: &AuditFilter) -> Vec<i64> {
    let entries = entries(pool, f, Cursor::Newest, 1000).await.expect("entries");
    entries.into_iter().map(|e| e.id).collect()
}

fn descending(ids: &[i64]) -> bool {
    ids.windows(2).all(|w| w[0] > w[1])
}

#[tokio::test]
async fn the_user_filter_keeps_only_that_actors_entries() {
    let (pool, _dir) = test_pool().await;
    seed(&pool, 10).await;
    let f = AuditFilter {
        user: Some("bob".into()),
        ..AuditFilter::default()
    };
    let found = entries(&pool, &f, Cursor::Newest, 100).await.unwrap();
    assert_eq!(found.len(), 5);
    assert!(found.iter().all(|e| e.actor == "bob"));
    assert!(descending(&found.iter().map(|e| e.id).collect::<Vec<_>>()));
}

#[tokio::test]
async fn the_object_filter_matches_the_kind_and_a_name_substring() {
    let (pool, _dir) = test_pool().await;
    let hedwig = add(&pool, NOV_27, "alice", "create", "host", "hedwig").await;
    let hermes = add(&pool, NOV_27, "alice", "create", "host", "Hermes").await;
    let user = add(&pool, NOV_27, "alice", "create", "user", "hermes").await;
    let by = |kind: Option<&str>, object: Option<&str>| AuditFilter {
        kind: kind.map(Into::into),
        object: object.map(Into::into),
        ..AuditFilter::default()
    };
    assert_eq!(ids(&pool, &by(Some("host"), None)).await, vec![hermes, hedwig]);
    assert_eq!(ids(&pool, &by(None, Some("herm"))).await, vec![user, hermes]);
    assert_eq!(ids(&pool, &by(Some("user"), Some("herm"))).await, vec![user]);
    assert_eq!(ids(&pool, &by(None, Some("50%"))).await, Vec::<i64>::new());
}

#[tokio::test]
async fn the_action_filter_keeps_only_that_action() {
    let (pool, _dir) = test_pool().await;
    seed(&pool, 9).await;
    let f = AuditFilter {
        action: Some("delete".into()),
        ..AuditFilter::default()
    };
    let found = entries(&pool, &f, Cursor::Newest, 100).await.unwrap();
    let names: Vec<_> = found.iter().map(|e| e.object_name.as_str()).collect();
    assert_eq!(names, vec!["node008", "node005", "node002"]);
}

#[tokio::test]
async fn the_date_range_includes_both_days_and_nothing_outside() {
    let (pool, _dir) = test_pool().await;
    let before = add(&pool, NOV_27 - 1, "alice", "update", "host", "a").await;
    let first = add(&pool, NOV_27, "alice", "update", "host", "b").await;
    let last = add(&pool, NOV_27 + 2 * DAY - 1, "alice", "update", "host", "c").await;
    let after = add(&pool, NOV_27 + 2 * DAY, "alice", "update", "host", "d").await;
    let range = AuditQuery {
        from: "2026-11-27".into(),
        to: "2026-11-28".into(),
        ..AuditQuery::default()
    };
    assert_eq!(ids(&pool, &range.parse().unwrap()).await, vec![last, first]);
    let since = AuditQuery {
        from: "2026-11-29".into(),
        ..AuditQuery::default()
    };
    assert_eq!(ids(&pool, &since.parse().unwrap()).await, vec![after]);
    let until = AuditQuery {
        to: "2026-11-26".into(),
        ..AuditQuery::default()
    };
    assert_eq!(ids(&pool, &until.parse().unwrap()).await, vec![before]);
}

#[tokio::test]
async fn keyset_pages_neither_repeat_nor_skip_an_entry() {
    let (pool, _dir) = test_pool().await;
    let mut all = seed(&pool, 125).await;
    all.reverse();
    let any = AuditFilter::default();
    let first = page(&pool, &any, Cursor::Newest, 50).await.unwrap();
    assert_eq!(first.newer, None, "the first page has nothing newer");
    let (mut seen, mut pages, mut cursor) = (Vec::new(), vec![first.clone()], first.older);
    seen.extend(first.entries.iter().map(|e| e.id));
    while let Some(before) = cursor {
        let p = page(&pool, &any, Cursor::Before(before), 50).await.unwrap();
        assert!(p.newer.is_some(), "an older page links back");
        seen.extend(p.entries.iter().map(|e| e.id));
        cursor = p.older;
        pages.push(p);
    }
    assert_eq!(seen, all, "older pages, in order, hold every entry once");
    assert_eq!(
        pages.iter().map(|p| p.entries.len()).collect::<Vec<_>>(),
        vec![50, 50, 25]
    );
    // And back: the newer links from the last page give the same pages.
    let mut back = pages.pop().unwrap();
    while let Some(after) = back.newer {
        back = page(&pool, &any, Cursor::After(after), 50).await.unwrap();
        let expected = pages.pop().expect("no more newer pages than older ones");
        assert_eq!(back.entries, expected.entries);
        assert_eq!((back.newer, back.older), (expected.newer, expected.older));
    }
    assert!(pages.is_empty(), "walking back reached the first page");
}

#[tokio::test]
async fn paging_keeps_the_filters_on_every_page() {
    let (pool, _dir) = test_pool().await;
    seed(&pool, 230).await;
    let alice = AuditFilter {
        user: Some("alice".into()),
        ..AuditFilter::default()
    };
    let mut seen = Vec::new();
    let mut cursor = Cursor::Newest;
    loop {
        let p = page(&pool, &alice, cursor, 50).await.unwrap();
        assert!(p.entries.iter().all(|e| e.actor == "alice"));
        seen.extend(p.entries.iter().map(|e| e.id));
        match p.older {
            Some(before) => cursor = Cursor::Before(before),
            None => break,
        }
    }
    assert_eq!(seen.len(), 115);
    assert!(descending(&seen));
    assert_eq!(seen, ids(&pool, &alice).await);
}

#[tokio::test]
async fn an_empty_log_or_a_cursor_past_the_end_has_no_neighbours() {
    let (pool, _dir) = test_pool().await;
    let any = AuditFilter::default();
    let empty = page(&pool, &any, Cursor::Newest, 50).await.unwrap();
    assert_eq!((empty.entries.len(), empty.newer, empty.older), (0, None, None));
    let ids = seed(&pool, 3).await;
    let past = page(&pool, &any, Cursor::Before(ids[0]), 50).await.unwrap();
    assert!(past.entries.is_empty() && past.older.is_none());
    let back = past.newer.expect("the entries above the cursor are newer");
    let newer = page(&pool, &any, Cursor::After(back), 50).await.unwrap();
    assert_eq!(newer.entries.len(), 3);
}

#[tokio::test]
async fn an_entry_links_to_its_host_by_its_current_name_while_it_exists() {
    let (pool, _dir) = test_pool().await;
    let host: i64 = sqlx::query_scalar(
        "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ssh_host, ssh_port,
             ssh_user, created_at, updated_at)
         VALUES ('hermes', 'p', 'p', 'x86_64', 1, 1, 1, 'h', 22, 'root', ?1, ?1) RETURNING id",
    )
    .bind(NOV_27)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_name, client_addr, action, object_kind, object_id, object_name)
         VALUES (?, 'alice', 'local', 'create', 'host', ?, 'hermes')",
    )
    .bind(NOV_27)
    .bind(host)
    .execute(&pool)
    .await
    .unwrap();
    let href = || async { latest(&pool, 1).await.unwrap()[0].href() };
    assert_eq!(href().await.as_deref(), Some("/hosts/hermes"));
    sqlx::query("UPDATE hosts SET name = 'hedwig'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(href().await.as_deref(), Some("/hosts/hedwig"));
    sqlx::query("DELETE FROM hosts").execute(&pool).await.unwrap();
    assert_eq!(href().await, None);
}

#[tokio::test]
async fn distinct_values_are_listed_once_each_in_order() {
    let (pool, _dir) = test_pool().await;
    seed(&pool, 12).await;
    add(&pool, NOV_27, "cli:demo", "create", "host", "x").await;
    assert_eq!(
        distinct(&pool, Column::Actor).await.unwrap(),
        vec!["alice", "bob", "cli:demo"]
    );
    assert_eq!(distinct(&pool, Column::Kind).await.unwrap(), vec!["host", "user"]);
    assert_eq!(
        distinct(&pool, Column::Action).await.unwrap(),
        vec!["create", "delete", "update"]
    );
}

mod plans;
