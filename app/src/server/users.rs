//! Managing co-admins: each change and its audit entry in one transaction.
use sqlx::SqlitePool;

use super::auth::{self, Session};
use super::db::{self, audit::Actor};
use crate::model::user::{check_password, parse_username, NewUserInput, Role, UserSummary};
use crate::model::{AppError, FieldErrors};

const KIND: &str = "user";

pub async fn create(pool: &SqlitePool, actor: &Actor, input: &NewUserInput) -> Result<UserSummary, AppError> {
    let mut e = FieldErrors::default();
    let username = e.check("username", parse_username(&input.username));
    let role = e.check("role", Role::parse(&input.role));
    e.check("password", check_password(&input.password));
    let (Some(username), Some(role)) = (username, role) else {
        return Err(AppError::Validation(e));
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let hash = auth::hash_password(input.password.clone()).await?;
    let mut tx = db::begin(pool).await?;
    let user = db::users::create(&mut *tx, &username, &hash, role).await?;
    let changes = vec![
        ("username".into(), String::new(), username.clone()),
        ("role".into(), String::new(), role.to_string()),
        ("password".into(), String::new(), "(set)".into()),
    ];
    db::audit::record(
        &mut tx,
        actor,
        "create",
        (KIND, Some(user.id), &username),
        &changes,
    )
    .await?;
    let summary = db::users::get(&mut tx, &username).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Changes role and enabled state. The last enabled admin keeps both; disabling a user
/// ends their sessions.
pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    username: &str,
    role: &str,
    disabled: bool,
) -> Result<UserSummary, AppError> {
    let role = Role::parse(role).map_err(|m| AppError::field("role", m))?;
    let mut tx = db::begin(pool).await?;
    let before = db::users::get(&mut tx, username).await?;
    let stays_admin = role == Role::Admin && !disabled;
    let was_admin = before.role == Role::Admin && !before.disabled;
    if was_admin && !stays_admin && db::users::other_enabled_admins(&mut tx, before.id).await? == 0 {
        let field = if role != Role::Admin { "role" } else { "disabled" };
        return Err(AppError::field(
            field,
            format!("{username} is the last admin; make someone else admin first"),
        ));
    }
    db::users::set_role_and_disabled(&mut tx, before.id, role, disabled).await?;
    if disabled {
        db::sessions::revoke_all(&mut tx, before.id, None).await?;
    }
    let state = |d: bool| if d { "disabled" } else { "enabled" }.to_owned();
    let changes: Vec<(String, String, String)> = [
        ("role".to_owned(), before.role.to_string(), role.to_string()),
        ("status".to_owned(), state(before.disabled), state(disabled)),
    ]
    .into_iter()
    .filter(|(_, b, a)| a != b)
    .collect();
    if !changes.is_empty() {
        db::audit::record(
            &mut tx,
            actor,
            "update",
            (KIND, Some(before.id), username),
            &changes,
        )
        .await?;
    }
    let after = db::users::get(&mut tx, username).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets a new password chosen by an admin and ends the user's sessions.
pub async fn reset_password(
    pool: &SqlitePool,
    actor: &Actor,
    username: &str,
    password: &str,
) -> Result<(), AppError> {
    check_password(password).map_err(|m| AppError::field("password", m))?;
    let hash = auth::hash_password(password.to_owned()).await?;
    let mut tx = db::begin(pool).await?;
    let user = db::users::get(&mut tx, username).await?;
    db::users::set_password_hash(&mut tx, user.id, &hash).await?;
    db::sessions::revoke_all(&mut tx, user.id, None).await?;
    let changes = vec![("password".into(), String::new(), "(reset)".into())];
    db::audit::record(
        &mut tx,
        actor,
        "reset-password",
        (KIND, Some(user.id), username),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn revoke_sessions(pool: &SqlitePool, actor: &Actor, username: &str) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let user = db::users::get(&mut tx, username).await?;
    let ended = db::sessions::revoke_all(&mut tx, user.id, None).await?;
    let changes = vec![("sessions".into(), ended.to_string(), "0".into())];
    db::audit::record(
        &mut tx,
        actor,
        "revoke-sessions",
        (KIND, Some(user.id), username),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A user changes their own password; their other sessions end, this one stays.
pub async fn change_own_password(
    pool: &SqlitePool,
    session: &Session,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let hash = db::users::password_hash(pool, session.user.id).await?;
    if !auth::verify_password(current.to_owned(), Some(hash)).await? {
        return Err(AppError::field("current", "this is not your current password"));
    }
    check_password(new).map_err(|m| AppError::field("new", m))?;
    if new != confirm {
        return Err(AppError::field("confirm", "the two new passwords differ"));
    }
    let hash = auth::hash_password(new.to_owned()).await?;
    let mut tx = db::begin(pool).await?;
    db::users::set_password_hash(&mut tx, session.user.id, &hash).await?;
    db::sessions::revoke_all(&mut tx, session.user.id, Some(&session.token_hash)).await?;
    let changes = vec![("password".into(), String::new(), "(changed)".into())];
    let who = (KIND, Some(session.user.id), session.user.username.as_str());
    db::audit::record(&mut tx, &Actor::from(session), "change-password", who, &changes).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::test_pool;

    fn input(name: &str, role: &str) -> NewUserInput {
        NewUserInput {
            username: name.into(),
            role: role.into(),
            password: "a long password".into(),
        }
    }

    #[tokio::test]
    async fn the_last_admin_can_be_neither_demoted_nor_disabled() {
        let (pool, _dir) = test_pool().await;
        let actor = Actor::cli("test");
        create(&pool, &actor, &input("alice", "admin")).await.unwrap();
        let demote = update(&pool, &actor, "alice", "operator", false)
            .await
            .unwrap_err();
        assert!(demote.field_message("role").is_some(), "{demote:?}");
        let disable = update(&pool, &actor, "alice", "admin", true).await.unwrap_err();
        assert!(disable.field_message("disabled").is_some(), "{disable:?}");
        create(&pool, &actor, &input("bob", "admin")).await.unwrap();
        let alice = update(&pool, &actor, "alice", "viewer", false).await.unwrap();
        assert_eq!(alice.role, Role::Viewer);
    }

    #[tokio::test]
    async fn a_new_user_with_bad_fields_is_refused_field_by_field() {
        let (pool, _dir) = test_pool().await;
        let bad = NewUserInput {
            username: "a b".into(),
            role: "root".into(),
            password: "short".into(),
        };
        let err = create(&pool, &Actor::cli("test"), &bad).await.unwrap_err();
        for field in ["username", "role", "password"] {
            assert!(err.field_message(field).is_some(), "{field}: {err:?}");
        }
        assert_eq!(db::users::count(&pool).await.unwrap(), 0);
    }
}
