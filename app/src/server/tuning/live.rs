//! Reading a host's Puma and Sidekiq instances live: one short SSH command through the
//! pinned-key client, with a timeout, its failures in words for the page.
use std::time::Duration;

use tokio::sync::mpsc;

use super::HostTuning;
use crate::model::tuning::action::{list_command, parse_listing};
use crate::model::tuning::LiveInstance;
use crate::model::AppError;
use crate::server::jobs;
use crate::server::ssh::{CancellationToken, Finish, Output, Remote, RunError, RusshRemote};
use crate::server::AppState;

/// A read of the instances is a page load: it gives up long before a job would.
const READ_TIMEOUT: Duration = Duration::from_secs(15);

/// The instances on the host, or why they could not be read, in words for the page.
pub async fn read_live(state: &AppState, t: &HostTuning) -> Result<Vec<LiveInstance>, String> {
    let name = t.host.name.clone();
    let mut plan = match jobs::targets(state, vec![name.clone()]).await {
        Ok(plan) => plan,
        Err(AppError::Validation(e)) => return Err(e.to_string().replacen("targets: ", "", 1)),
        Err(e) => return Err(e.to_string()),
    };
    let Some(planned) = plan.pop() else {
        return Err(format!("{name} has no SSH target"));
    };
    let command = list_command(&t.settings.systemctl, &t.settings.layout.unit_dir);
    let (tx, mut rx) = mpsc::channel(64);
    let cancel = CancellationToken::new();
    let remote = RusshRemote::new();
    let run = remote.run(planned.target, command, tx, cancel.clone());
    let collect = async {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        while let Some(out) = rx.recv().await {
            match out {
                Output::Stdout(b) => stdout.extend_from_slice(&b),
                Output::Stderr(b) => stderr.extend_from_slice(&b),
            }
        }
        (stdout, stderr)
    };
    let timed = async {
        match tokio::time::timeout(READ_TIMEOUT, run).await {
            Ok(result) => result,
            Err(_) => {
                cancel.cancel();
                Err(RunError::Unreachable(format!(
                    "no answer within {} s",
                    READ_TIMEOUT.as_secs()
                )))
            }
        }
    };
    let (result, (stdout, stderr)) = tokio::join!(timed, collect);
    match result {
        Ok(Finish::Exited(0)) => Ok(parse_listing(&String::from_utf8_lossy(&stdout))),
        Ok(_) => {
            let said = String::from_utf8_lossy(&stderr);
            let first = said.lines().next().unwrap_or("no message");
            Err(format!(
                "{} did not answer on {name} ({first}); check the systemctl setting below",
                t.settings.systemctl.join(" ")
            ))
        }
        Err(RunError::HostKeyUnknown { .. }) => Err(format!(
            "{name}'s host key is not pinned yet; an admin must accept it on the host page"
        )),
        Err(RunError::HostKeyChanged { fingerprint, .. }) => Err(format!(
            "{name} offered another host key ({fingerprint}) than the pinned one; nothing was sent"
        )),
        Err(RunError::AuthFailed) => Err(format!("{name} refused the SSH identity")),
        Err(RunError::Unreachable(reason)) => Err(format!("{name} is unreachable: {reason}")),
        Err(e) => {
            tracing::warn!(host = %name, error = %e, "reading tuning instances failed");
            Err(format!(
                "the SSH session to {name} failed (details in the server log)"
            ))
        }
    }
}
