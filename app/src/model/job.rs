//! Jobs: one command run on several hosts, their states, and their output as stored
//! and streamed.
use serde::{Deserialize, Serialize};

/// Where one host of a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostState {
    Queued,
    Connecting,
    Running,
    Succeeded,
    /// Exited with a non-zero status (in `JobHost::exit_code`).
    Failed,
    Signalled,
    TimedOut,
    Unreachable,
    AuthFailed,
    HostKeyChanged,
    HostKeyUnknown,
    Cancelled,
    /// The server stopped while the host was queued or running.
    Interrupted,
}

impl HostState {
    pub const ALL: [HostState; 13] = [
        Self::Queued,
        Self::Connecting,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Signalled,
        Self::TimedOut,
        Self::Unreachable,
        Self::AuthFailed,
        Self::HostKeyChanged,
        Self::HostKeyUnknown,
        Self::Cancelled,
        Self::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Connecting => "connecting",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Signalled => "signalled",
            Self::TimedOut => "timed-out",
            Self::Unreachable => "unreachable",
            Self::AuthFailed => "auth-failed",
            Self::HostKeyChanged => "host-key-changed",
            Self::HostKeyUnknown => "host-key-unknown",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// How a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Connecting => "connecting",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Signalled => "signalled",
            Self::TimedOut => "timed out",
            Self::Unreachable => "unreachable",
            Self::AuthFailed => "auth failed",
            Self::HostKeyChanged => "host key changed",
            Self::HostKeyUnknown => "host key not accepted",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    pub fn is_final(self) -> bool {
        !matches!(self, Self::Queued | Self::Connecting | Self::Running)
    }
}

/// Where a whole job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Running,
    /// Every host succeeded.
    Succeeded,
    /// At least one host did not succeed.
    Failed,
    Cancelled,
    /// The server stopped while the job ran.
    Interrupted,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
        Self::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// The state of a job whose hosts all ended in `hosts`.
    pub fn of_finished(hosts: impl IntoIterator<Item = HostState>, cancelled: bool) -> Self {
        let mut all_ok = true;
        for state in hosts {
            all_ok &= state == HostState::Succeeded;
        }
        match (cancelled, all_ok) {
            (true, _) => Self::Cancelled,
            (false, true) => Self::Succeeded,
            (false, false) => Self::Failed,
        }
    }
}

/// A job as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: i64,
    pub title: String,
    pub state: JobState,
    pub created_by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub hosts: Vec<String>,
}

/// One host of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobHost {
    pub host: String,
    pub state: HostState,
    pub exit_code: Option<i64>,
    /// Signal name, or why it could not run (in words a sysadmin reads).
    pub detail: String,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub output_bytes: i64,
    pub truncated: bool,
}

/// Which stream a chunk of output came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn code(self) -> i64 {
        match self {
            Self::Stdout => 1,
            Self::Stderr => 2,
        }
    }

    pub fn from_code(code: i64) -> Self {
        if code == 2 {
            Self::Stderr
        } else {
            Self::Stdout
        }
    }
}

/// A piece of output as stored and as sent to viewers: `seq` orders a job's output
/// over all its hosts and is the Server-Sent Events id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub seq: i64,
    pub host: String,
    pub stream: Stream,
    /// Output as text (invalid UTF-8 replaced).
    pub text: String,
}

/// Everything a job page shows on first paint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPage {
    pub summary: JobSummary,
    pub command: String,
    pub parallelism: i64,
    pub timeout_secs: i64,
    pub hosts: Vec<JobHost>,
    /// The stored output so far, in `seq` order.
    pub output: Vec<Chunk>,
    pub now: i64,
}

/// What the live stream sends besides output: a host's new state, or the job's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobEvent {
    Output(Chunk),
    Host(JobHost),
    Finished(JobState),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_stored_names() {
        for state in HostState::ALL {
            assert_eq!(HostState::parse(state.as_str()), Some(state));
        }
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn a_job_succeeds_only_when_every_host_did() {
        use HostState::*;
        assert_eq!(
            JobState::of_finished([Succeeded, Succeeded], false),
            JobState::Succeeded
        );
        assert_eq!(
            JobState::of_finished([Succeeded, TimedOut], false),
            JobState::Failed
        );
        assert_eq!(
            JobState::of_finished([Succeeded, Cancelled], true),
            JobState::Cancelled
        );
    }
}
