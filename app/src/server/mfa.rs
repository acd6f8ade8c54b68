//! Turning the second factor on and off, and requiring it: audited, transactional.
use sqlx::SqlitePool;

use super::auth::{self, Session};
use super::db::{self, audit::Actor, settings::REQUIRE_TOTP};
use super::secrets::cipher::MasterKey;
use super::totp;
use crate::model::AppError;

const KIND: &str = "user";

/// Enrols a second factor after checking the password and a code from the app.
/// Returns the recovery codes, to be shown once.
pub async fn enable(
    pool: &SqlitePool,
    key: &MasterKey,
    session: &Session,
    password: &str,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let secret = &totp::enrolment_secret(key, &session.token_hash)?;
    let hash = db::users::password_hash(pool, session.user.id).await?;
    if !auth::verify_password(password.to_owned(), Some(hash)).await? {
        return Err(AppError::field("password", "this is not your password"));
    }
    if !totp::check(secret, code)? {
        return Err(AppError::field(
            "code",
            "this code does not match; check the app's clock and try the next code",
        ));
    }
    let sealed = totp::seal(key, session.user.id, secret)?;
    let (codes, hashes) = totp::recovery_codes();
    let mut tx = db::begin(pool).await?;
    db::users::set_totp(&mut tx, session.user.id, Some(&sealed), &hashes).await?;
    let changes = vec![("second factor".into(), "off".into(), "TOTP".into())];
    let who = (KIND, Some(session.user.id), session.user.username.as_str());
    db::audit::record(&mut tx, &Actor::from(session), "enable-totp", who, &changes).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Removes one's own second factor (password needed; refused while admins require it).
pub async fn disable_own(pool: &SqlitePool, session: &Session, password: &str) -> Result<(), AppError> {
    if db::settings::get_flag(pool, REQUIRE_TOTP).await? {
        return Err(AppError::Conflict(
            "your admins require a second factor for everyone".into(),
        ));
    }
    let hash = db::users::password_hash(pool, session.user.id).await?;
    if !auth::verify_password(password.to_owned(), Some(hash)).await? {
        return Err(AppError::field("password", "this is not your password"));
    }
    let mut tx = db::begin(pool).await?;
    db::users::set_totp(&mut tx, session.user.id, None, &[]).await?;
    let changes = vec![("second factor".into(), "TOTP".into(), "off".into())];
    let who = (KIND, Some(session.user.id), session.user.username.as_str());
    db::audit::record(&mut tx, &Actor::from(session), "disable-totp", who, &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// An admin removes someone's second factor (a lost phone); their sessions end.
pub async fn reset_for(pool: &SqlitePool, actor: &Actor, username: &str) -> Result<(), AppError> {
    let mut tx = db::begin(pool).await?;
    let user = db::users::get(&mut tx, username).await?;
    db::users::set_totp(&mut tx, user.id, None, &[]).await?;
    db::sessions::revoke_all(&mut tx, user.id, None).await?;
    let changes = vec![(
        "second factor".into(),
        if user.totp { "TOTP" } else { "off" }.into(),
        "off".into(),
    )];
    db::audit::record(
        &mut tx,
        actor,
        "reset-totp",
        (KIND, Some(user.id), username),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Requires (or stops requiring) a second factor for everyone. An admin without one
/// cannot require it: they would lock themselves out of everything but their account.
pub async fn set_required(pool: &SqlitePool, session: &Session, on: bool) -> Result<(), AppError> {
    if on && db::users::totp_secret(pool, session.user.id).await?.is_none() {
        return Err(AppError::field(
            "require_totp",
            "set up your own two-factor sign-in (under Account) before requiring it of everyone",
        ));
    }
    let actor = &Actor::from(session);
    let mut tx = db::begin(pool).await?;
    let before = db::settings::get_flag(pool, REQUIRE_TOTP).await?;
    db::settings::set_flag(&mut tx, REQUIRE_TOTP, on).await?;
    if before != on {
        let onoff = |b: bool| if b { "on" } else { "off" }.to_owned();
        let changes = vec![(REQUIRE_TOTP.to_owned(), onoff(before), onoff(on))];
        db::audit::record(
            &mut tx,
            actor,
            "update",
            ("setting", None, REQUIRE_TOTP),
            &changes,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Checks a second-factor answer at sign-in: a current code, or an unused recovery code
/// (which is then used up).
pub async fn verify_login(
    pool: &SqlitePool,
    key: &MasterKey,
    user_id: i64,
    answer: &str,
) -> Result<bool, AppError> {
    let Some(sealed) = db::users::totp_secret(pool, user_id).await? else {
        return Ok(false);
    };
    let secret = totp::open(key, user_id, &sealed)?;
    if totp::check(&secret, answer)? {
        return Ok(true);
    }
    db::users::take_recovery_code(pool, user_id, &totp::hash_recovery_code(answer)).await
}
