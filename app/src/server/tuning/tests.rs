//! The Tuning page's server side on the reference cluster; the runs on real hosts are in
//! server/tests/integration/tuning.rs (testbed).
use super::*;
use crate::model::audit::AuditEntry;
use crate::server::db::test_pool;

#[tokio::test]
async fn the_reference_cluster_has_room_for_a_second_sidekiq_but_not_for_150_threads() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let nothing = budgets_for(&pool, "hedwig", None, Change::Nothing).await.unwrap();
    // Puma 2×5 + Sidekiq 5 + streaming 10 of PostgreSQL's 100 less 3 for superusers.
    assert_eq!(
        nothing.connections,
        crate::model::tuning::Budget {
            before: 25,
            after: 25,
            limit: 97
        }
    );
    let live = vec![LiveInstance {
        unit: "mastodon-sidekiq@default.service".into(),
        kind: crate::domain::unit_instance::Kind::Sidekiq,
        instance: "default".into(),
        state: "active".into(),
        settings: crate::domain::unit_instance::parse(crate::domain::unit_instance::Kind::Sidekiq, "default")
            .map_err(|e| e.to_string()),
    }];
    let small = InstanceInput {
        concurrency: "10".into(),
        ..InstanceInput::blank()
    }
    .parse()
    .unwrap();
    let b = budgets_for(&pool, "hedwig", Some(&live), Change::Add(&small))
        .await
        .unwrap();
    assert_eq!((b.connections.before, b.connections.after), (25, 35));
    assert!(!b.exceeded(), "{}", b.text());
    let big = InstanceInput {
        concurrency: "150".into(),
        ..InstanceInput::blank()
    }
    .parse()
    .unwrap();
    let b = budgets_for(&pool, "hedwig", Some(&live), Change::Add(&big))
        .await
        .unwrap();
    assert_eq!(b.connections.after, 175);
    assert!(b.connections.exceeded());
}

#[tokio::test]
async fn host_settings_are_saved_audited_and_guarded_against_concurrent_edits() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let actor = Actor::cli("test");
    assert_eq!(load(&pool, "hedwig").await.unwrap().version, 0);
    let mut input = TuningSettingsInput::from_settings(&TuningSettings::default(), 0);
    input.systemctl = "sudo systemctl".into();
    save_settings(&pool, &actor, "hedwig", &input).await.unwrap();
    let t = load(&pool, "hedwig").await.unwrap();
    assert_eq!(
        (t.settings.systemctl.join(" "), t.version),
        ("sudo systemctl".into(), 1)
    );

    // A second save from the same (now stale) form is refused and changes nothing.
    input.systemctl = "systemctl".into();
    let stale = save_settings(&pool, &actor, "hedwig", &input).await;
    assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
    assert_eq!(
        load(&pool, "hedwig").await.unwrap().settings.systemctl,
        vec!["sudo", "systemctl"]
    );

    let history: Vec<AuditEntry> = db::audit::for_object(&pool, "host", t.host.id, 10).await.unwrap();
    let change = history.iter().find(|e| e.action == "update").expect("audited");
    assert_eq!(
        change.changes,
        vec![(
            "systemctl".to_owned(),
            "systemctl".to_owned(),
            "sudo systemctl".to_owned()
        )]
    );
}

#[tokio::test]
async fn bad_settings_are_refused_under_their_field_and_nothing_is_written() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let mut input = TuningSettingsInput::from_settings(&TuningSettings::default(), 0);
    input.unit_dir = "relative/dir".into();
    let Err(AppError::Validation(e)) = save_settings(&pool, &Actor::cli("test"), "hedwig", &input).await
    else {
        panic!("accepted a relative unit directory");
    };
    assert!(e.get("unit_dir").is_some());
    assert_eq!(load(&pool, "hedwig").await.unwrap().version, 0);
}
