//! Server functions of the inventory file: what an export holds, and imports after a
//! preview.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::inventory::{ImportPreview, InventoryPage};
use crate::model::AppError;

/// The import form as the browser submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportInput {
    pub document: String,
    /// A checkbox, present ("on") when ticked: objects the file does not list are removed.
    #[serde(default)]
    pub remove_unlisted: Option<String>,
}

/// The inventory page, with the file of a refused plain-form import kept for fixing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryData {
    pub page: InventoryPage,
    pub input: ImportInput,
    pub error: Option<AppError>,
}

#[server]
pub async fn get_inventory() -> Result<InventoryData, AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, inventory, state::app_state};
    auth::require(Role::Viewer)?;
    let (input, error) = match forms::take::<ImportInput>("import").await {
        Some((input, error)) => (input, Some(error)),
        None => (ImportInput::default(), None),
    };
    let page = inventory::page(&app_state()?.db).await?;
    Ok(InventoryData { page, input, error })
}

#[server]
pub async fn preview_import(import: ImportInput) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, inventory, state::app_state};
    let session = auth::require(Role::Admin)?;
    let unlisted = match import.remove_unlisted {
        Some(_) => inventory::Unlisted::Remove,
        None => inventory::Unlisted::Keep,
    };
    match inventory::preview(&app_state()?.db, session.user.id, &import.document, unlisted).await {
        Ok(id) => forms::redirect(&format!("/inventory/imports/{id}")),
        Err(e) => Err(forms::failed("import", &import, e).await),
    }
}

/// A kept import, and the error of a failed plain-form apply.
#[server]
pub async fn get_import(id: i64) -> Result<(ImportPreview, Option<AppError>), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, inventory, state::app_state};
    auth::require(Role::Admin)?;
    let error = forms::take::<i64>("apply-import").await.map(|(_, e)| e);
    Ok((inventory::get_preview(&app_state()?.db, id).await?, error))
}

#[server]
pub async fn apply_import(id: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, inventory, state::app_state};
    let session = auth::require(Role::Admin)?;
    match inventory::apply(&app_state()?.db, &(&session).into(), id).await {
        Ok(done) => forms::redirect(&format!("/inventory?applied={}", done.len())),
        Err(e) => Err(forms::failed("apply-import", &id, e).await),
    }
}

#[server]
pub async fn discard_import(id: i64) -> Result<(), AppError> {
    use crate::model::user::Role;
    use crate::server::{auth, forms, inventory, state::app_state};
    auth::require(Role::Admin)?;
    inventory::discard(&app_state()?.db, id).await?;
    forms::redirect("/inventory")
}
