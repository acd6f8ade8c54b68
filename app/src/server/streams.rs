//! Caps on open event streams (a job's live log, `/jobs/{id}/events`). Each open stream
//! holds a task, a broadcast subscription and, while it catches up, database reads: a
//! co-admin's open tabs are welcome, a client that opens thousands is refused (429).
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Streams one session may hold open at once: a tab per running job, with room to spare.
pub const PER_SESSION: usize = 16;
/// Streams the whole server holds open at once.
pub const TOTAL: usize = 256;

/// Counts the open streams, overall and per session.
#[derive(Clone)]
pub struct StreamGate {
    counts: Arc<Mutex<Counts>>,
    per_session: usize,
    total: usize,
}

#[derive(Default)]
struct Counts {
    total: usize,
    by_session: HashMap<Vec<u8>, usize>,
}

impl Default for StreamGate {
    fn default() -> Self {
        Self::new(PER_SESSION, TOTAL)
    }
}

impl StreamGate {
    pub fn new(per_session: usize, total: usize) -> Self {
        Self {
            counts: Arc::default(),
            per_session,
            total,
        }
    }

    /// A slot for one more stream of `session` (its token hash), if both caps allow it.
    /// The slot is given back when it is dropped, i.e. when the stream ends.
    pub fn open(&self, session: &[u8]) -> Option<StreamSlot> {
        let mut counts = self.counts.lock().ok()?;
        let mine = counts.by_session.get(session).copied().unwrap_or(0);
        if counts.total >= self.total || mine >= self.per_session {
            return None;
        }
        counts.total += 1;
        counts.by_session.insert(session.to_vec(), mine + 1);
        Some(StreamSlot {
            gate: self.clone(),
            session: session.to_vec(),
        })
    }
}

/// One open stream; dropping it frees its place.
pub struct StreamSlot {
    gate: StreamGate,
    session: Vec<u8>,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let Ok(mut counts) = self.gate.counts.lock() else {
            return;
        };
        counts.total = counts.total.saturating_sub(1);
        if let Some(mine) = counts.by_session.get_mut(&self.session) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                counts.by_session.remove(&self.session);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_gets_its_share_and_no_more_until_one_closes() {
        let gate = StreamGate::new(2, 10);
        let first = gate.open(b"alice").expect("first");
        let _second = gate.open(b"alice").expect("second");
        assert!(gate.open(b"alice").is_none(), "a third for the same session");
        assert!(gate.open(b"bob").is_some(), "another session is not held back");
        drop(first);
        assert!(gate.open(b"alice").is_some(), "a closed stream frees its place");
    }

    #[test]
    fn the_server_wide_cap_holds_across_sessions() {
        let gate = StreamGate::new(5, 3);
        let held: Vec<_> = [b"a", b"b", b"c"]
            .iter()
            .map(|s| gate.open(*s).expect("room"))
            .collect();
        assert!(gate.open(b"d").is_none());
        drop(held);
        let _d = gate.open(b"d").expect("room again");
        assert_eq!(
            gate.counts.lock().unwrap().by_session.len(),
            1,
            "closed sessions are forgotten"
        );
    }
}
