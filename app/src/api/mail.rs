//! Server functions of the mail area.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::audit::AuditEntry;
use crate::model::bucket::GeneratedFile;
use crate::model::mail::{MailDomain, MailHop, MailInput, MailListItem};
use crate::model::AppError;

/// A mail domain page: the domain, the services its mail passes through, the generated
/// DNS lines and SMTP block, and its change history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailPage {
    pub domain: MailDomain,
    pub relay: MailHop,
    pub signing: MailHop,
    pub files: Vec<GeneratedFile>,
    pub history: Vec<AuditEntry>,
    pub now: i64,
}

/// What a mail domain form starts from, with the services to choose from as
/// (service, host): OpenSMTPD relays and dkimproxy signers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailFormData {
    pub input: MailInput,
    pub error: Option<AppError>,
    pub relays: Vec<(String, String)>,
    pub signers: Vec<(String, String)>,
}

#[server]
pub async fn list_mail_domains(q: String) -> Result<Vec<MailListItem>, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, state::app_state};
    auth::require(Role::Viewer)?;
    db::mail::list(&app_state()?.db, &q).await
}

#[server]
pub async fn get_mail_domain(domain: String) -> Result<MailPage, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, mail, state::app_state};
    auth::require(Role::Viewer)?;
    let pool = app_state()?.db;
    let mut conn = pool.acquire().await?;
    let domain = db::mail::get(&mut conn, &domain).await?;
    let (relay, signing) = mail::hops(&mut conn, &domain).await?;
    drop(conn);
    let files = mail::files(&domain, &relay, &signing);
    let history = db::audit::for_object(&pool, "mail_domain", domain.id, 50).await?;
    Ok(MailPage {
        domain,
        relay,
        signing,
        files,
        history,
        now: db::now(),
    })
}

/// The form for a new domain (`domain` None) or an edit; a failed plain-form post wins.
#[server]
pub async fn get_mail_form(domain: Option<String>) -> Result<MailFormData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let pool = app_state()?.db;
    let relays = db::mail::services_of_kind(&pool, "opensmtpd").await?;
    let signers = db::mail::services_of_kind(&pool, "dkimproxy").await?;
    let (input, error) = match forms::take::<MailInput>("mail").await {
        Some((input, error)) => (input, Some(error)),
        None => match domain {
            Some(d) => (
                MailInput::from_domain(&db::mail::get(&mut *pool.acquire().await?, &d).await?),
                None,
            ),
            None => (MailInput::blank(), None),
        },
    };
    Ok(MailFormData {
        input,
        error,
        relays,
        signers,
    })
}

#[server]
pub async fn create_mail_domain(mail: MailInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let created = match mail.parse() {
        Ok(draft) => crate::server::mail::create(&app_state()?.db, &(&session).into(), &draft).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(m) => forms::redirect(&format!("/mail/{}", m.domain)),
        Err(e) => Err(forms::failed("mail", &mail, e).await),
    }
}

#[server]
pub async fn update_mail_domain(original: String, mail: MailInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    let updated = match mail.parse() {
        Ok(draft) => {
            crate::server::mail::update(&app_state()?.db, &(&session).into(), &original, &draft).await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match updated {
        Ok(m) => forms::redirect(&format!("/mail/{}", m.domain)),
        Err(e) => Err(forms::failed("mail", &mail, e).await),
    }
}

#[server]
pub async fn delete_mail_domain(domain: String, version: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, state::app_state};
    let session = auth::require(Role::Admin)?;
    match crate::server::mail::delete(&app_state()?.db, &(&session).into(), &domain, version).await {
        Ok(_) => forms::redirect("/mail"),
        Err(e) => Err(forms::failed("delete-mail", &domain, e).await),
    }
}

#[server]
pub async fn get_delete_mail_domain(domain: String) -> Result<(MailDomain, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, db, forms, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<String>("delete-mail").await.map(|(_, e)| e);
    let domain = db::mail::get(&mut *app_state()?.db.acquire().await?, &domain).await?;
    Ok((domain, error))
}
