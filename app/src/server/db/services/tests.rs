//! The services queries against a migrated database.
use super::*;
use crate::model::host::HostInput;
use crate::model::service::ServiceInput;
use crate::server::db::test_pool;

async fn host(conn: &mut SqliteConnection, name: &str) {
    let draft = HostInput {
        name: name.into(),
        provider: "Scaleway".into(),
        plan: "Start1-XS".into(),
        ssh_host: "192.0.2.1".into(),
        ..HostInput::blank()
    }
    .parse()
    .expect("valid host");
    crate::server::db::hosts::insert(conn, &draft).await.unwrap();
}

fn input(name: &str, host: &str, kind: ServiceKind, deps: &str) -> ServiceInput {
    ServiceInput {
        name: name.into(),
        deps: deps.into(),
        ..ServiceInput::blank(host, kind)
    }
}

fn draft(name: &str, host: &str, kind: ServiceKind, deps: &str) -> ServiceDraft {
    input(name, host, kind, deps).parse().expect("valid service")
}

fn edit(name: &str, host: &str, kind: ServiceKind, deps: &str, version: i64) -> ServiceDraft {
    ServiceDraft {
        version: Some(version),
        ..draft(name, host, kind, deps)
    }
}

#[tokio::test]
async fn a_service_comes_back_with_its_host_and_dependencies() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    host(&mut conn, "becblanche").await;
    host(&mut conn, "hermes").await;
    insert(&mut conn, &draft("redis", "becblanche", ServiceKind::Redis, ""))
        .await
        .unwrap();
    insert(
        &mut conn,
        &draft("postgresql", "becblanche", ServiceKind::Postgresql, ""),
    )
    .await
    .unwrap();
    let puma = insert(
        &mut conn,
        &draft("puma", "hermes", ServiceKind::Puma, "redis postgresql"),
    )
    .await
    .unwrap();
    assert_eq!(puma.host, "hermes");
    assert_eq!(puma.deps, vec!["postgresql", "redis"]);
    assert_eq!(puma.unit, "mastodon-puma@default.service");
    assert!(puma.needs_egress);
    let all = list_all(&pool).await.unwrap();
    let names: Vec<(&str, &str)> = all.iter().map(|s| (s.host.as_str(), s.name.as_str())).collect();
    assert_eq!(
        names,
        vec![
            ("becblanche", "postgresql"),
            ("becblanche", "redis"),
            ("hermes", "puma")
        ]
    );
    assert_eq!(all[2], puma);
    assert_eq!(on_host(&pool, "hermes").await.unwrap(), vec![puma.clone()]);
    assert_eq!(dependents(&mut conn, all[1].id).await.unwrap(), vec!["puma"]);
    assert_eq!(count(&pool).await.unwrap(), 3);
}

#[tokio::test]
async fn a_missing_host_and_missing_dependencies_are_field_errors() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    let err = insert(
        &mut conn,
        &draft("puma", "hermes", ServiceKind::Puma, "redis minio"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_message("host").as_deref(),
        Some("there is no host named hermes")
    );
    assert_eq!(
        err.field_message("deps").as_deref(),
        Some("there are no services named minio, redis")
    );
    assert_eq!(count(&pool).await.unwrap(), 0);
}

#[tokio::test]
async fn an_edit_that_closes_a_cycle_is_refused_with_the_cycle_spelled_out() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    host(&mut conn, "hermes").await;
    insert(
        &mut conn,
        &draft("postgresql", "hermes", ServiceKind::Postgresql, ""),
    )
    .await
    .unwrap();
    insert(
        &mut conn,
        &draft("puma", "hermes", ServiceKind::Puma, "postgresql"),
    )
    .await
    .unwrap();
    insert(&mut conn, &draft("nginx", "hermes", ServiceKind::Nginx, "puma"))
        .await
        .unwrap();
    let closing = edit("postgresql", "hermes", ServiceKind::Postgresql, "nginx", 1);
    let err = update(&mut conn, "postgresql", &closing).await.unwrap_err();
    assert_eq!(
        err.field_message("deps").as_deref(),
        Some("this would make a cycle: postgresql → nginx → puma → postgresql")
    );
    // Renamed in the same edit, the cycle is spelled with the new name.
    let renamed = edit("pg", "hermes", ServiceKind::Postgresql, "nginx", 1);
    let err = update(&mut conn, "postgresql", &renamed).await.unwrap_err();
    assert_eq!(
        err.field_message("deps").as_deref(),
        Some("this would make a cycle: pg → nginx → puma → pg")
    );
    // Naming itself by its current name while renaming is still itself.
    let itself = edit("pg", "hermes", ServiceKind::Postgresql, "postgresql", 1);
    let err = update(&mut conn, "postgresql", &itself).await.unwrap_err();
    assert_eq!(
        err.field_message("deps").as_deref(),
        Some("pg cannot depend on itself")
    );
    assert!(get(&mut conn, "postgresql").await.unwrap().deps.is_empty());
}

#[tokio::test]
async fn a_move_changes_the_host_and_keeps_the_dependencies() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    host(&mut conn, "hermes").await;
    host(&mut conn, "hedwig").await;
    insert(&mut conn, &draft("redis", "hermes", ServiceKind::Redis, ""))
        .await
        .unwrap();
    insert(
        &mut conn,
        &draft("sidekiq", "hermes", ServiceKind::Sidekiq, "redis"),
    )
    .await
    .unwrap();
    let (before, after) = update(
        &mut conn,
        "sidekiq",
        &edit("sidekiq", "hedwig", ServiceKind::Sidekiq, "redis", 1),
    )
    .await
    .unwrap();
    assert_eq!((before.host.as_str(), after.host.as_str()), ("hermes", "hedwig"));
    assert_eq!(after.deps, vec!["redis"]);
    assert_eq!(after.version, 2);
    let stale = edit("sidekiq", "hermes", ServiceKind::Sidekiq, "redis", 1);
    assert!(matches!(
        update(&mut conn, "sidekiq", &stale).await,
        Err(AppError::Conflict(_))
    ));
}

#[tokio::test]
async fn a_duplicate_name_is_a_field_error_on_name() {
    let (pool, _dir) = test_pool().await;
    let mut conn = pool.acquire().await.unwrap();
    host(&mut conn, "hermes").await;
    insert(&mut conn, &draft("nginx", "hermes", ServiceKind::Nginx, ""))
        .await
        .unwrap();
    let err = insert(&mut conn, &draft("nginx", "hermes", ServiceKind::Nginx, ""))
        .await
        .unwrap_err();
    assert_eq!(
        err.field_message("name").as_deref(),
        Some("a service named nginx already exists")
    );
}
