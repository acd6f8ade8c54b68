//! Tests of parameter values against the inventory, one kind at a time.
use super::*;
use crate::model::host::HostInput;
use crate::server::db::{audit::Actor, test_pool};

fn param(name: &str, kind: ParamKind) -> Param {
    Param {
        name: name.into(),
        label: name.into(),
        kind,
        help: String::new(),
        required: true,
        default: None,
        choices: vec![],
        min: None,
        max: None,
        pattern: None,
    }
}

async fn with_hermes() -> (sqlx::SqlitePool, tempfile::TempDir) {
    let (pool, dir) = test_pool().await;
    let host = HostInput {
        name: "hermes".into(),
        provider: "Scaleway".into(),
        plan: "Start1-XS".into(),
        ssh_host: "192.0.2.20".into(),
        tags: "web mail".into(),
        ..HostInput::blank()
    };
    crate::server::hosts::create(&pool, &Actor::cli("test"), &host.parse().unwrap())
        .await
        .unwrap();
    (pool, dir)
}

async fn one(pool: &sqlx::SqlitePool, p: Param, value: &str) -> Result<String, String> {
    let values = BTreeMap::from([(p.name.clone(), value.to_owned())]);
    let mut conn = pool.acquire().await.unwrap();
    match validate(&mut conn, std::slice::from_ref(&p), &values).await {
        Ok(v) => Ok(v[&p.name].clone()),
        Err(e) => Err(e.field_message(&p.name).unwrap_or_else(|| e.to_string())),
    }
}

#[tokio::test]
async fn hosts_and_roles_must_exist_in_the_inventory() {
    let (pool, _dir) = with_hermes().await;
    assert_eq!(
        one(&pool, param("h", ParamKind::Host), " hermes ").await,
        Ok("hermes".into())
    );
    assert_eq!(
        one(&pool, param("h", ParamKind::Host), "iris").await,
        Err("iris: no host by this name in the inventory".into())
    );
    assert_eq!(
        one(&pool, param("r", ParamKind::Role), "mail").await,
        Ok("mail".into())
    );
    assert_eq!(
        one(&pool, param("r", ParamKind::Role), "db").await,
        Err("db: no host carries this role tag".into())
    );
    assert_eq!(
        one(&pool, param("b", ParamKind::Bucket), "media").await,
        Err("media: no bucket by this name in the inventory".into())
    );
    assert_eq!(
        one(&pool, param("s", ParamKind::Secret), "dkim").await,
        Err("dkim: no stored secret by this name".into())
    );
}

#[tokio::test]
async fn choices_numbers_domains_and_patterns_are_checked_by_shape() {
    let (pool, _dir) = test_pool().await;
    let choice = Param {
        choices: vec!["Start1-XS".into(), "Start1-S".into()],
        ..param("plan", ParamKind::Choice)
    };
    assert_eq!(
        one(&pool, choice.clone(), "Start1-S").await,
        Ok("Start1-S".into())
    );
    assert_eq!(
        one(&pool, choice, "DEV1-L").await,
        Err("choose one of Start1-XS, Start1-S".into())
    );
    let number = Param {
        min: Some(1),
        max: Some(64),
        ..param("n", ParamKind::Number)
    };
    assert_eq!(one(&pool, number.clone(), "8").await, Ok("8".into()));
    assert_eq!(one(&pool, number, "65").await, Err("use at most 64".into()));
    assert_eq!(
        one(&pool, param("d", ParamKind::Domain), "test.example.social").await,
        Ok("test.example.social".into())
    );
    assert!(one(&pool, param("d", ParamKind::Domain), "not a domain")
        .await
        .is_err());
    let text = Param {
        pattern: Some("^[a-z]+$".into()),
        ..param("t", ParamKind::Text)
    };
    assert_eq!(one(&pool, text.clone(), "sidekiq").await, Ok("sidekiq".into()));
    assert_eq!(
        one(&pool, text, "Sidekiq 2").await,
        Err("must match ^[a-z]+$".into())
    );
    // A text without a pattern keeps what was typed, hostile or not: quoting handles it.
    assert_eq!(
        one(&pool, param("t", ParamKind::Text), "'; rm -rf / #").await,
        Ok("'; rm -rf / #".into())
    );
}

#[tokio::test]
async fn a_required_value_missing_is_refused_and_an_optional_one_is_empty() {
    let (pool, _dir) = test_pool().await;
    assert_eq!(
        one(&pool, param("t", ParamKind::Text), "  ").await,
        Err("this field is required".into())
    );
    let optional = Param {
        required: false,
        ..param("t", ParamKind::Text)
    };
    assert_eq!(one(&pool, optional, "").await, Ok(String::new()));
    let defaulted = Param {
        default: Some("7".into()),
        ..param("n", ParamKind::Number)
    };
    let mut conn = pool.acquire().await.unwrap();
    let values = validate(&mut conn, &[defaulted], &BTreeMap::new()).await.unwrap();
    assert_eq!(values["n"], "7", "a value left out takes its default");
}
