//! Changing hosts: each change and its audit entry in one transaction.
use sqlx::SqlitePool;

use super::db::{self, audit::Actor};
use crate::model::host::{Host, HostDraft};
use crate::model::AppError;

const KIND: &str = "host";

pub async fn create(pool: &SqlitePool, actor: &Actor, draft: &HostDraft) -> Result<Host, AppError> {
    let mut tx = db::begin(pool).await?;
    let host = db::hosts::insert(&mut tx, draft).await?;
    let object = (KIND, Some(host.id), host.name.as_str());
    db::audit::record_fields(&mut tx, actor, object, None, Some(&host.fields())).await?;
    tx.commit().await?;
    Ok(host)
}

pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    current_name: &str,
    draft: &HostDraft,
) -> Result<Host, AppError> {
    let mut tx = db::begin(pool).await?;
    let (before, after) = db::hosts::update(&mut tx, current_name, draft).await?;
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

pub async fn delete(pool: &SqlitePool, actor: &Actor, name: &str, version: i64) -> Result<Host, AppError> {
    let mut tx = db::begin(pool).await?;
    let before = db::hosts::delete(&mut tx, name, version).await?;
    let object = (KIND, Some(before.id), before.name.as_str());
    db::audit::record_fields(&mut tx, actor, object, Some(&before.fields()), None).await?;
    tx.commit().await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::host::HostInput;
    use crate::server::db::test_pool;

    fn draft() -> HostDraft {
        HostInput {
            name: "hedwig".into(),
            provider: "Scaleway".into(),
            plan: "Start1-XS".into(),
            ssh_host: "2001:db8::20".into(),
            ..HostInput::blank()
        }
        .parse()
        .expect("valid")
    }

    #[tokio::test]
    async fn each_change_writes_one_audit_entry_with_its_fields() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        create(&pool, &actor, &draft()).await.unwrap();
        let edit = HostDraft {
            version: Some(1),
            plan: "ARM64-2GB".into(),
            ..draft()
        };
        update(&pool, &actor, "hedwig", &edit).await.unwrap();
        delete(&pool, &actor, "hedwig", 2).await.unwrap();
        let log = db::audit::latest(&pool, 10).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["delete", "update", "create"]);
        assert_eq!(
            log[1].changes,
            vec![("plan".into(), "Start1-XS".into(), "ARM64-2GB".into())]
        );
    }

    #[tokio::test]
    async fn a_new_host_that_gets_a_deleted_hosts_id_does_not_inherit_its_history() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        let old = create(&pool, &actor, &draft()).await.unwrap();
        let edit = HostDraft {
            version: Some(1),
            plan: "ARM64-2GB".into(),
            ..draft()
        };
        update(&pool, &actor, "hedwig", &edit).await.unwrap();
        delete(&pool, &actor, "hedwig", 2).await.unwrap();
        let new = HostDraft {
            name: crate::domain::names::HostName::parse("hermes").expect("valid name"),
            ..draft()
        };
        let new = create(&pool, &actor, &new).await.unwrap();
        assert_eq!(new.id, old.id, "SQLite hands the freed id on");
        let history = db::audit::for_object(&pool, "host", new.id, 10).await.unwrap();
        let seen: Vec<(&str, &str)> = history
            .iter()
            .map(|e| (e.action.as_str(), e.object_name.as_str()))
            .collect();
        assert_eq!(seen, vec![("create", "hermes")]);
    }

    #[tokio::test]
    async fn a_refused_edit_leaves_no_audit_entry() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        create(&pool, &actor, &draft()).await.unwrap();
        let stale = HostDraft {
            version: Some(7),
            ..draft()
        };
        assert!(update(&pool, &actor, "hedwig", &stale).await.is_err());
        assert_eq!(db::audit::latest(&pool, 10).await.unwrap().len(), 1);
    }
}
