//! What every request handler and server function can reach.
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use std::sync::{Arc, Mutex};

use crate::model::AppError;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: SqlitePool,
    pub settings: Arc<Settings>,
    pub setup: SetupGate,
    /// The key every stored secret is sealed under (see `server::secrets`).
    pub master_key: Arc<super::secrets::cipher::MasterKey>,
    /// The jobs running now, and how they reach hosts.
    pub jobs: Arc<super::jobs::Jobs>,
    /// How many event streams are open, per session and in all.
    pub streams: super::streams::StreamGate,
}

/// Runtime settings that shape sessions and cookies.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure`; on when Owlery is served over https.
    pub secure_cookies: bool,
    /// How long a session lives without being used.
    pub session_idle_secs: i64,
    /// How long a session lives at most.
    pub session_max_secs: i64,
    /// Jobs that ended longer ago are removed with their output.
    pub job_retention_days: i64,
    /// All jobs' stored output together stays under this; the oldest go first.
    pub job_log_budget_bytes: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_idle_secs: 12 * 3600,
            session_max_secs: 7 * 24 * 3600,
            job_retention_days: 90,
            job_log_budget_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// The one-time token that lets the first admin be created from the browser.
/// It exists only while the database has no users, and only in memory.
#[derive(Clone, Default)]
pub struct SetupGate(Arc<Mutex<Option<String>>>);

impl SetupGate {
    pub fn open(&self, token: String) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(token);
        }
    }

    /// Takes the token if `offered` matches it; a token works once.
    pub fn redeem(&self, offered: &str) -> bool {
        let Ok(mut slot) = self.0.lock() else {
            return false;
        };
        let matches = slot
            .as_deref()
            .is_some_and(|t| super::auth::constant_time_eq(t.as_bytes(), offered.trim().as_bytes()));
        if matches {
            *slot = None;
        }
        matches
    }

    /// Puts a redeemed token back when creating the admin failed.
    pub fn restore(&self, token: &str) {
        self.open(token.trim().to_owned());
    }
}

/// The state, from inside a server function or a page being rendered.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
