//! Runs of a runbook: each step's state, who acted and when, and what the pages show.
use serde::{Deserialize, Serialize};

use super::job::JobPage;
use super::runbook::{Param, Step};

/// Where one step of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Pending,
    Running,
    Passed,
    Failed,
    /// Skipped, with a reason.
    Skipped,
    /// An approval step a co-admin approved.
    Approved,
}

impl StepState {
    pub const ALL: [StepState; 6] = [
        Self::Pending,
        Self::Running,
        Self::Passed,
        Self::Failed,
        Self::Skipped,
        Self::Approved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Done with: later steps may start.
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Passed | Self::Skipped | Self::Approved)
    }

    /// A sign beside the word, so colour is never the only cue.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Pending => "○",
            Self::Running => "◌",
            Self::Passed | Self::Approved => "✓",
            Self::Failed => "✗",
            Self::Skipped => "↷",
        }
    }
}

/// What a co-admin does to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepAction {
    /// Start a command or check step (also its retry after a failure).
    Run,
    /// Tick off a manual step.
    Done,
    Skip,
    Approve,
}

impl StepAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "run" => Some(Self::Run),
            "done" => Some(Self::Done),
            "skip" => Some(Self::Skip),
            "approve" => Some(Self::Approve),
            _ => None,
        }
    }
}

/// A run as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub runbook: String,
    pub title: String,
    /// Every step passed, was skipped or approved.
    pub done: bool,
    pub started_by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub settled: usize,
    pub total: usize,
    /// Bumped on every change: pollers compare it.
    pub version: i64,
}

/// One step of a run, with what it will run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStep {
    pub position: usize,
    pub step: Step,
    pub state: StepState,
    /// Why it was skipped or failed, in words.
    pub reason: String,
    pub actor: Option<String>,
    pub acted_at: Option<i64>,
    pub job_id: Option<i64>,
    pub attempts: i64,
    /// The exact command per host, placeholders expanded and quoted (command/check).
    pub commands: Vec<(String, String)>,
    /// Why the command cannot be shown (e.g. a host was removed from the inventory).
    pub command_error: Option<String>,
    /// Every earlier step is settled and this one is not.
    pub current: bool,
}

/// Everything a run's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPage {
    pub summary: RunSummary,
    /// Each parameter with the value the run was started with.
    pub params: Vec<(Param, String)>,
    pub steps: Vec<RunStep>,
    /// The job of the current (or last acted) step, with its output so far.
    pub job: Option<JobPage>,
    /// The viewer started this run (approvals are someone else's).
    pub viewer_started: bool,
    pub now: i64,
}

impl RunPage {
    /// The step that acts next, if any.
    pub fn current(&self) -> Option<&RunStep> {
        self.steps.iter().find(|s| s.current)
    }
}
