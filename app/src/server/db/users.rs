//! Users: creating them and finding them at sign-in.
use sqlx::SqlitePool;

use super::now;
use crate::model::user::{CurrentUser, Role};
use crate::model::AppError;
use crate::server::error::is_unique_violation;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    role: String,
    password_hash: String,
    disabled: i64,
}

/// A user as sign-in sees them: who, their hash, whether they may sign in.
pub struct Credentials {
    pub user: CurrentUser,
    pub password_hash: String,
    pub disabled: bool,
}

fn role_of(s: &str) -> Result<Role, AppError> {
    Role::parse(s).map_err(|e| crate::server::error::internal("bad role in users table", e))
}

pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await?)
}

pub async fn create(
    pool: &SqlitePool,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<CurrentUser, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now())
    .fetch_one(pool)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("username", format!("a user named {username} already exists"))
        } else {
            e.into()
        }
    })?;
    Ok(CurrentUser {
        id,
        username: username.to_owned(),
        role,
    })
}

pub async fn find_credentials(pool: &SqlitePool, username: &str) -> Result<Option<Credentials>, AppError> {
    let row: Option<UserRow> =
        sqlx::query_as("SELECT id, username, role, password_hash, disabled FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    row.map(|r| {
        Ok(Credentials {
            user: CurrentUser {
                id: r.id,
                username: r.username,
                role: role_of(&r.role)?,
            },
            password_hash: r.password_hash,
            disabled: r.disabled != 0,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    #[tokio::test]
    async fn a_second_user_with_the_same_name_in_other_case_is_refused() {
        let (pool, _dir) = test_pool().await;
        create(&pool, "alice", "h", Role::Admin).await.unwrap();
        let err = create(&pool, "ALICE", "h", Role::Viewer).await.unwrap_err();
        assert!(err.field_message("username").is_some(), "{err:?}");
        assert_eq!(count(&pool).await.unwrap(), 1);
    }
}
