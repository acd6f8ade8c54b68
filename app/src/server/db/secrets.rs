//! Secrets in SQLite: the list and one secret without their values, the sealed value
//! for server code, insert, edit with a version check, delete.
use sqlx::{SqliteConnection, SqlitePool};

use super::now;
use crate::model::secret::Secret;
use crate::model::AppError;
use crate::server::error::is_unique_violation;
use crate::server::secrets::cipher::Sealed;

#[derive(sqlx::FromRow)]
struct SecretRow {
    id: i64,
    name: String,
    kind: String,
    description: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
    updated_by: String,
}

impl From<SecretRow> for Secret {
    fn from(r: SecretRow) -> Self {
        Secret {
            id: r.id,
            name: r.name,
            kind: r.kind,
            description: r.description,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SealedRow {
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
}

const SELECT: &str =
    "SELECT id, name, kind, description, version, created_at, updated_at, updated_by FROM secrets";

pub async fn list(pool: &SqlitePool) -> Result<Vec<Secret>, AppError> {
    let rows: Vec<SecretRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY name")))
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Secret, AppError> {
    let row: SecretRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE name = ?")))
        .bind(name)
        .fetch_one(conn)
        .await?;
    Ok(row.into())
}

/// Everything sealed under the master key: secrets and users' TOTP secrets.
pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM secrets) + (SELECT count(*) FROM users WHERE totp_secret IS NOT NULL)",
    )
    .fetch_one(pool)
    .await?)
}

/// The sealed value of one secret, for server code that must use it.
pub async fn sealed(conn: &mut SqliteConnection, name: &str) -> Result<(Secret, Sealed), AppError> {
    let secret = get(conn, name).await?;
    let row: SealedRow = sqlx::query_as("SELECT nonce, ciphertext FROM secrets WHERE id = ?")
        .bind(secret.id)
        .fetch_one(conn)
        .await?;
    Ok((
        secret,
        Sealed {
            nonce: row.nonce,
            ciphertext: row.ciphertext,
        },
    ))
}

/// Any one secret's name, kind and sealed value: enough to tell whether a key fits.
pub async fn any_sealed(pool: &SqlitePool) -> Result<Option<(String, String, Sealed)>, AppError> {
    let row: Option<(String, String, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT name, kind, nonce, ciphertext FROM secrets ORDER BY id LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(name, kind, nonce, ciphertext)| (name, kind, Sealed { nonce, ciphertext })))
}

pub async fn insert(
    conn: &mut SqliteConnection,
    (name, kind, description): (&str, &str, &str),
    sealed: &Sealed,
    by: &str,
) -> Result<Secret, AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO secrets (name, kind, ciphertext, nonce, description, created_at, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(name)
    .bind(kind)
    .bind(&sealed.ciphertext)
    .bind(&sealed.nonce)
    .bind(description)
    .bind(now)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("name", format!("a secret named {name} already exists"))
        } else {
            e.into()
        }
    })?;
    get(conn, name).await
}

fn changed_meanwhile(name: &str) -> AppError {
    AppError::Conflict(format!(
        "{name} was changed by someone else since you opened it; reload, then make your change again"
    ))
}

/// Saves a new description and, when given, a new sealed value, only if the secret is
/// still at `version`. Returns the secret as it was and as it is now.
pub async fn update(
    conn: &mut SqliteConnection,
    name: &str,
    version: i64,
    description: &str,
    sealed: Option<&Sealed>,
    by: &str,
) -> Result<(Secret, Secret), AppError> {
    let before = get(conn, name).await?;
    if before.version != version {
        return Err(changed_meanwhile(name));
    }
    let done = sqlx::query(
        "UPDATE secrets SET description = ?, ciphertext = coalesce(?, ciphertext),
             nonce = coalesce(?, nonce), version = version + 1, updated_at = ?, updated_by = ?
         WHERE id = ? AND version = ?",
    )
    .bind(description)
    .bind(sealed.map(|s| &s.ciphertext))
    .bind(sealed.map(|s| &s.nonce))
    .bind(now())
    .bind(by)
    .bind(before.id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(changed_meanwhile(name));
    }
    let after = get(conn, name).await?;
    Ok((before, after))
}

/// Deletes the secret if it is still at `version`; returns it as it was.
pub async fn delete(conn: &mut SqliteConnection, name: &str, version: i64) -> Result<Secret, AppError> {
    let before = get(conn, name).await?;
    if before.version != version {
        return Err(changed_meanwhile(name));
    }
    sqlx::query("DELETE FROM secrets WHERE id = ? AND version = ?")
        .bind(before.id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    fn sealed(byte: u8) -> Sealed {
        Sealed {
            nonce: vec![byte; 24],
            ciphertext: vec![byte; 40],
        }
    }

    #[tokio::test]
    async fn an_inserted_secret_comes_back_without_its_value_and_sealed_on_request() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        let s = insert(&mut conn, ("smtp", "smtp-password", "relay"), &sealed(1), "alice")
            .await
            .unwrap();
        assert_eq!((s.version, s.updated_by.as_str()), (1, "alice"));
        assert_eq!(list(&pool).await.unwrap(), vec![s]);
        let (_, stored) = super::sealed(&mut conn, "smtp").await.unwrap();
        assert_eq!(stored.ciphertext, vec![1; 40]);
    }

    #[tokio::test]
    async fn a_duplicate_name_is_a_field_error_on_name() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        insert(&mut conn, ("smtp", "other", ""), &sealed(1), "a")
            .await
            .unwrap();
        let err = insert(&mut conn, ("smtp", "other", ""), &sealed(2), "a")
            .await
            .unwrap_err();
        assert!(err.field_message("name").is_some(), "{err:?}");
    }

    #[tokio::test]
    async fn an_edit_without_a_value_keeps_the_sealed_one_and_a_stale_edit_is_refused() {
        let (pool, _dir) = test_pool().await;
        let mut conn = pool.acquire().await.unwrap();
        insert(&mut conn, ("smtp", "other", ""), &sealed(1), "a")
            .await
            .unwrap();
        let (_, after) = update(&mut conn, "smtp", 1, "relay", None, "b").await.unwrap();
        assert_eq!((after.version, after.description.as_str()), (2, "relay"));
        assert_eq!(
            super::sealed(&mut conn, "smtp").await.unwrap().1.nonce,
            vec![1; 24]
        );
        let stale = update(&mut conn, "smtp", 1, "x", Some(&sealed(3)), "b").await;
        assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
        update(&mut conn, "smtp", 2, "relay", Some(&sealed(3)), "b")
            .await
            .unwrap();
        assert_eq!(
            super::sealed(&mut conn, "smtp").await.unwrap().1.nonce,
            vec![3; 24]
        );
    }
}
