//! The query plans SQLite picks for the audit page: an index for every common filter,
//! rows in id order with no sort, and wide date ranges read by id.
use super::*;

/// The plan SQLite chooses for a page query, one line per step.
async fn plan(pool: &SqlitePool, f: &AuditFilter, cursor: Cursor) -> String {
    let by_index = dates_by_index(pool, f).await.unwrap();
    let rows: Vec<(i64, i64, i64, String)> = select("EXPLAIN QUERY PLAN ", f, by_index, cursor, 51)
        .build_query_as()
        .fetch_all(pool)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn the_common_filters_read_an_index_in_id_order() {
    let (pool, _dir) = test_pool().await;
    seed(&pool, 20).await;
    let text = |s: &str| Some(s.to_owned());
    let any = AuditFilter::default();
    for (cursor, step) in [
        (Cursor::Newest, "SCAN a"),
        (Cursor::Before(10), "SEARCH a USING INTEGER PRIMARY KEY (rowid<?)"),
        (Cursor::After(3), "SEARCH a USING INTEGER PRIMARY KEY (rowid>?)"),
    ] {
        let plan = plan(&pool, &any, cursor).await;
        assert!(
            plan.contains(step) && !plan.contains("TEMP B-TREE"),
            "{cursor:?}:\n{plan}"
        );
    }
    let cases = [
        (
            AuditFilter {
                user: text("alice"),
                ..AuditFilter::default()
            },
            "USING INDEX audit_by_actor",
        ),
        (
            AuditFilter {
                action: text("update"),
                ..AuditFilter::default()
            },
            "USING INDEX audit_by_action",
        ),
        (
            AuditFilter {
                kind: text("host"),
                ..AuditFilter::default()
            },
            "USING INDEX audit_by_kind",
        ),
        (
            AuditFilter {
                user: text("alice"),
                object: text("node"),
                ..AuditFilter::default()
            },
            "USING INDEX audit_by_actor",
        ),
    ];
    for (f, index) in cases {
        for cursor in [Cursor::Newest, Cursor::Before(10), Cursor::After(3)] {
            let plan = plan(&pool, &f, cursor).await;
            assert!(plan.contains(index), "{f:?} {cursor:?}:\n{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{f:?} {cursor:?} sorts:\n{plan}");
            assert!(
                plan.contains("USING INTEGER PRIMARY KEY"),
                "the host join is a lookup:\n{plan}"
            );
        }
    }
    let range = AuditFilter {
        since: Some(NOV_27),
        until: Some(NOV_27 + DAY),
        ..AuditFilter::default()
    };
    let plan = plan(&pool, &range, Cursor::Newest).await;
    assert!(plan.contains("USING INDEX audit_by_time"), "{plan}");
}

#[tokio::test]
async fn a_wide_date_range_is_read_in_id_order_and_a_narrow_one_through_its_index() {
    let (pool, _dir) = test_pool().await;
    let mut tx = pool.begin().await.unwrap();
    for i in 0..NARROW_RANGE + 10 {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_name, client_addr, action, object_kind, object_name)
             VALUES (?, 'alice', 'local', 'update', 'host', 'x')",
        )
        .bind(NOV_27 + i)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let range = |days: i64| AuditFilter {
        since: Some(NOV_27),
        until: Some(NOV_27 + days * DAY),
        ..AuditFilter::default()
    };
    let narrow = AuditFilter {
        until: Some(NOV_27 + 100),
        ..range(1)
    };
    let plan_wide = plan(&pool, &range(1), Cursor::Before(1500)).await;
    assert!(
        !plan_wide.contains("audit_by_time") && !plan_wide.contains("TEMP B-TREE"),
        "{plan_wide}"
    );
    let plan_narrow = plan(&pool, &narrow, Cursor::Newest).await;
    assert!(plan_narrow.contains("USING INDEX audit_by_time"), "{plan_narrow}");
    let wide = page(&pool, &range(1), Cursor::Before(1500), 50).await.unwrap();
    assert_eq!(wide.entries.first().map(|e| e.id), Some(1499));
    assert_eq!((wide.newer, wide.older), (Some(1499), Some(1450)));
    let narrow = page(&pool, &narrow, Cursor::Newest, 50).await.unwrap();
    assert_eq!(narrow.entries.first().map(|e| e.id), Some(100));
}
