//! The secret store against a real database: sealing, auditing, revealing, key checks.
use super::*;
use crate::model::secret::{SecretInput, SecretValue};
use crate::server::db::test_pool;
use tempfile::tempdir;

const VALUE: &str = "owlery-test-value-7f3a9c";

fn new_secret(name: &str) -> SecretDraft {
    SecretInput {
        name: name.into(),
        kind: "smtp-password".into(),
        description: "the relay".into(),
        value: SecretValue::new(VALUE.into()),
        version: String::new(),
    }
    .parse_new()
    .expect("valid")
}

fn edit(version: i64, value: &str) -> SecretInput {
    SecretInput {
        description: "the relay".into(),
        value: SecretValue::new(value.into()),
        version: version.to_string(),
        ..SecretInput::default()
    }
}

#[tokio::test]
async fn each_change_writes_one_audit_entry_that_never_holds_the_value() {
    let (pool, _dir) = test_pool().await;
    let (key, actor) = (MasterKey::generate(), Actor::cli("test"));
    create(&pool, &key, &actor, &new_secret("smtp")).await.unwrap();
    update(&pool, &key, &actor, "smtp", &edit(1, "second-value"))
        .await
        .unwrap();
    update(&pool, &key, &actor, "smtp", &edit(2, "")).await.unwrap();
    delete(&pool, &actor, "smtp", 3).await.unwrap();
    let log = db::audit::latest(&pool, 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["delete", "update", "create"],
        "an edit changing nothing is not logged"
    );
    assert_eq!(log[1].changes, vec![change(VALUE_CHANGED)]);
    assert!(log[2].changes.contains(&change(VALUE_SET)));
    let everything = format!("{log:?}");
    assert!(!everything.contains(VALUE) && !everything.contains("second-value"));
}

#[tokio::test]
async fn a_stored_value_is_revealed_only_through_its_own_key() {
    let (pool, _dir) = test_pool().await;
    let key = MasterKey::generate();
    create(&pool, &key, &Actor::cli("test"), &new_secret("smtp"))
        .await
        .unwrap();
    assert_eq!(reveal(&pool, &key, "smtp").await.unwrap().expose(), VALUE);
    let other = MasterKey::generate();
    assert_eq!(
        reveal(&pool, &other, "smtp").await.err(),
        Some(AppError::Internal)
    );
}

#[tokio::test]
async fn a_row_whose_ciphertext_was_swapped_with_another_does_not_open() {
    let (pool, _dir) = test_pool().await;
    let (key, actor) = (MasterKey::generate(), Actor::cli("test"));
    create(&pool, &key, &actor, &new_secret("first")).await.unwrap();
    create(&pool, &key, &actor, &new_secret("second")).await.unwrap();
    sqlx::query(
        "UPDATE secrets SET (nonce, ciphertext) =
             (SELECT nonce, ciphertext FROM secrets WHERE name = 'first') WHERE name = 'second'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(reveal(&pool, &key, "first").await.is_ok());
    assert_eq!(
        reveal(&pool, &key, "second").await.err(),
        Some(AppError::Internal)
    );
}

#[tokio::test]
async fn the_first_start_creates_a_key_and_later_starts_read_it() {
    let (pool, dir) = test_pool().await;
    let key = master_key_for(dir.path(), None, &pool).await.unwrap();
    create(&pool, &key, &Actor::cli("test"), &new_secret("smtp"))
        .await
        .unwrap();
    let again = master_key_for(dir.path(), None, &pool).await.unwrap();
    assert_eq!(reveal(&pool, &again, "smtp").await.unwrap().expose(), VALUE);
}

#[tokio::test]
async fn a_missing_or_foreign_key_is_refused_once_secrets_exist() {
    let (pool, dir) = test_pool().await;
    let key = master_key_for(dir.path(), None, &pool).await.unwrap();
    create(&pool, &key, &Actor::cli("test"), &new_secret("smtp"))
        .await
        .unwrap();
    let key_path = dir.path().join(key_file::KEY_FILE);
    std::fs::remove_file(&key_path).unwrap();
    let missing = master_key_for(dir.path(), None, &pool).await.unwrap_err();
    assert!(format!("{missing:#}").contains("restore it"), "{missing:#}");
    assert!(!key_path.exists(), "no new key is made over existing secrets");
    let elsewhere = tempdir().unwrap();
    let foreign = elsewhere.path().join("foreign.key");
    key_file::create(&foreign).unwrap();
    let refused = master_key_for(dir.path(), Some(&foreign), &pool)
        .await
        .unwrap_err();
    assert!(format!("{refused:#}").contains("does not open"), "{refused:#}");
}

#[tokio::test]
async fn a_named_key_file_that_does_not_exist_is_refused_and_not_created() {
    let (pool, dir) = test_pool().await;
    let named = dir.path().join("missing.key");
    let refused = master_key_for(dir.path(), Some(&named), &pool).await;
    assert!(refused.is_err());
    assert!(!named.exists() && !dir.path().join(key_file::KEY_FILE).exists());
}
