//! Changing services: each change and its audit entry in one transaction. A move to
//! another host is an edit like any other and shows as `host: hermes → hedwig`.
use sqlx::SqlitePool;

use super::db::{self, audit::Actor};
use crate::model::service::{Service, ServiceDraft};
use crate::model::AppError;

mod demo;
pub use demo::{load_demo, reference_services};

/// The `object_kind` of services in the change log.
pub const KIND: &str = "service";

pub async fn create(pool: &SqlitePool, actor: &Actor, draft: &ServiceDraft) -> Result<Service, AppError> {
    let mut tx = db::begin(pool).await?;
    let service = db::services::insert(&mut tx, draft).await?;
    let object = (KIND, Some(service.id), service.name.as_str());
    db::audit::record_fields(&mut tx, actor, object, None, Some(&service.fields())).await?;
    tx.commit().await?;
    Ok(service)
}

pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    current_name: &str,
    draft: &ServiceDraft,
) -> Result<Service, AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, after) = db::services::update(&mut tx, current_name, draft).await?;
    let object = (KIND, Some(after.id), after.name.as_str());
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

pub async fn delete(pool: &SqlitePool, actor: &Actor, name: &str, version: i64) -> Result<Service, AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::services::delete(&mut tx, name, version).await?;
    let object = (KIND, Some(before.id), before.name.as_str());
    db::audit::record_fields(&mut tx, actor, object, Some(&before.fields()), None).await?;
    tx.commit().await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::host::HostInput;
    use crate::model::service::{ServiceInput, ServiceKind};
    use crate::server::db::test_pool;

    async fn host(pool: &SqlitePool, name: &str) {
        let draft = HostInput {
            name: name.into(),
            provider: "Scaleway".into(),
            plan: "Start1-XS".into(),
            ssh_host: "192.0.2.1".into(),
            ..HostInput::blank()
        }
        .parse()
        .expect("valid host");
        crate::server::hosts::create(pool, &Actor::cli("test"), &draft)
            .await
            .unwrap();
    }

    fn draft(name: &str, host: &str, kind: ServiceKind, deps: &str) -> ServiceDraft {
        ServiceInput {
            name: name.into(),
            deps: deps.into(),
            ..ServiceInput::blank(host, kind)
        }
        .parse()
        .expect("valid service")
    }

    #[tokio::test]
    async fn moving_a_service_is_audited_as_a_host_change() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        host(&pool, "hermes").await;
        host(&pool, "hedwig").await;
        create(
            &pool,
            &actor,
            &draft("streaming", "hermes", ServiceKind::Streaming, ""),
        )
        .await
        .unwrap();
        let moved = ServiceDraft {
            version: Some(1),
            ..draft("streaming", "hedwig", ServiceKind::Streaming, "")
        };
        let after = update(&pool, &actor, "streaming", &moved).await.unwrap();
        assert_eq!(after.host, "hedwig");
        let log = db::audit::for_object(&pool, KIND, after.id, 10).await.unwrap();
        assert_eq!(log[0].action, "update");
        assert_eq!(log[0].change_texts(), vec!["host: hermes → hedwig"]);
        assert_eq!(log[0].href().as_deref(), Some("/services/streaming"));
        assert_eq!(log[1].action, "create");
    }

    #[tokio::test]
    async fn a_service_others_depend_on_is_not_deleted_and_nothing_is_logged() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        host(&pool, "becblanche").await;
        create(
            &pool,
            &actor,
            &draft("redis", "becblanche", ServiceKind::Redis, ""),
        )
        .await
        .unwrap();
        create(
            &pool,
            &actor,
            &draft("puma", "becblanche", ServiceKind::Puma, "redis"),
        )
        .await
        .unwrap();
        create(
            &pool,
            &actor,
            &draft("sidekiq", "becblanche", ServiceKind::Sidekiq, "redis"),
        )
        .await
        .unwrap();
        let entries = db::audit::latest(&pool, 100).await.unwrap().len();
        let err = delete(&pool, &actor, "redis", 1).await.unwrap_err();
        assert_eq!(
            err,
            AppError::Conflict(
                "redis cannot be deleted: puma, sidekiq depend on it; change or delete them first".into()
            )
        );
        assert_eq!(db::audit::latest(&pool, 100).await.unwrap().len(), entries);
        delete(&pool, &actor, "puma", 1).await.unwrap();
        delete(&pool, &actor, "sidekiq", 1).await.unwrap();
        delete(&pool, &actor, "redis", 1).await.unwrap();
        assert!(db::services::list_all(&pool).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_host_that_still_runs_services_is_not_deleted() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        host(&pool, "hermes").await;
        create(&pool, &actor, &draft("nginx", "hermes", ServiceKind::Nginx, ""))
            .await
            .unwrap();
        create(&pool, &actor, &draft("puma", "hermes", ServiceKind::Puma, ""))
            .await
            .unwrap();
        let err = crate::server::hosts::delete(&pool, &actor, "hermes", 1)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            AppError::Conflict(
                "hermes still runs nginx, puma; move them to another host or delete them first".into()
            )
        );
        delete(&pool, &actor, "nginx", 1).await.unwrap();
        delete(&pool, &actor, "puma", 1).await.unwrap();
        crate::server::hosts::delete(&pool, &actor, "hermes", 1)
            .await
            .unwrap();
    }
}
