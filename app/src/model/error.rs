//! The one error type every server function returns, and per-field validation messages.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A message about one submitted field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one submission, so the user can fix them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Runs a parser and records its message under `field` when it fails.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|message| self.add(field, message)).ok()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        write!(f, "{}", parts.join("; "))
    }
}

/// What went wrong, in words a user can act on. Internal details never travel in it:
/// the server logs them and sends `Internal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("please correct the marked fields")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("your role does not allow this")]
    Forbidden,
    #[error("please sign in")]
    Unauthorized,
    #[error("the request was malformed: {0}")]
    BadRequest(String),
    #[error("the server could not be reached; try again")]
    Offline,
    /// Too much of a scarce kind of work at once (password checks): come back shortly.
    #[error("the server is busy; try again in a few seconds")]
    Busy,
    #[error("something failed on the server; the details are in its log")]
    Internal,
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }

    /// The message for one field, when this is a validation error that names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(errors) => errors.get(field).map(str::to_owned),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::Forbidden => 403,
            Self::Unauthorized => 401,
            Self::BadRequest(_) => 400,
            Self::Offline => 503,
            Self::Busy => 429,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => Self::BadRequest(m),
            ServerFnErrorErr::MissingArg(m) => Self::BadRequest(format!("missing {m}")),
            ServerFnErrorErr::Request(_) => Self::Offline,
            _ => Self::Internal,
        }
    }
}
