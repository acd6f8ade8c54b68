//! The jobs area: history, the new-job form, and a job's page with its live log.
mod detail;
pub(crate) mod lines;
mod list;
pub(crate) mod log;
mod new;

pub use detail::JobDetail;
pub use list::JobList;
pub use new::NewJob;

pub(crate) use crate::domain::time::duration;
use crate::model::job::{HostState, JobState};

/// A sign beside the state word, so colour is never the only cue.
fn job_icon(state: JobState) -> &'static str {
    match state {
        JobState::Running => "◌",
        JobState::Succeeded => "✓",
        JobState::Failed => "✗",
        JobState::Cancelled => "⊘",
        JobState::Interrupted => "!",
    }
}

fn host_icon(state: HostState) -> &'static str {
    use HostState::*;
    match state {
        Queued => "…",
        Connecting | Running => "◌",
        Succeeded => "✓",
        Failed | Signalled | TimedOut => "✗",
        Cancelled => "⊘",
        Unreachable | AuthFailed | HostKeyChanged | HostKeyUnknown | Interrupted => "!",
    }
}

/// "512 B", "1.5 KiB", "16.0 MiB".
fn bytes(n: i64) -> String {
    let n = n.max(0) as f64;
    match n {
        n if n < 1024.0 => format!("{n} B"),
        n if n < 1024.0 * 1024.0 => format!("{:.1} KiB", n / 1024.0),
        n => format!("{:.1} MiB", n / 1024.0 / 1024.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(16 * 1024 * 1024), "16.0 MiB");
    }
}
