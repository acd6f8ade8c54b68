//! Turning failures of the database and the runtime into `AppError`, logging the detail.
use crate::model::AppError;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// Logs an internal failure with its context and hides it from the client.
pub fn internal(context: &str, e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "{context}");
    AppError::Internal
}

/// True when the database refused a row because a UNIQUE constraint already holds it.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}
