//! A job's output on its way to the database and to viewers: numbered in arrival
//! order, stored in batches (whatever arrived while the previous batch was written),
//! broadcast once committed, capped per host.
use std::sync::Arc;

use sqlx::SqlitePool;
use tokio::sync::{broadcast, mpsc};

use super::store;
use crate::model::job::{Chunk, JobEvent, Stream};
use crate::server::ssh::Output;

/// Most pieces written in one transaction; less than the broadcast's capacity (256), so
/// one batch never makes a live viewer fall behind.
const BATCH: usize = 128;
/// Most stdout kept per host for reading facts.
const CAPTURE_LIMIT: usize = 1024 * 1024;

pub struct Writer {
    pool: SqlitePool,
    job: i64,
    hosts: Vec<HostOutput>,
    events: broadcast::Sender<Arc<JobEvent>>,
    cap: u64,
    seq: i64,
}

/// One host's output so far.
struct HostOutput {
    name: String,
    bytes: u64,
    truncated: bool,
    /// The start of a UTF-8 character split across two pieces, per stream.
    partial: [Vec<u8>; 2],
    captured: String,
}

impl Writer {
    pub fn new(
        pool: SqlitePool,
        job: i64,
        names: Vec<String>,
        events: broadcast::Sender<Arc<JobEvent>>,
        cap: u64,
    ) -> Self {
        let hosts = names
            .into_iter()
            .map(|name| HostOutput {
                name,
                bytes: 0,
                truncated: false,
                partial: [Vec::new(), Vec::new()],
                captured: String::new(),
            })
            .collect();
        Self {
            pool,
            job,
            hosts,
            events,
            cap,
            seq: 0,
        }
    }

    /// Writes until every sender is gone; returns each host's stdout when `capture`.
    pub async fn run(
        mut self,
        mut rx: mpsc::Receiver<(usize, Output)>,
        capture: bool,
    ) -> Vec<(String, String)> {
        let mut pieces = Vec::with_capacity(BATCH);
        while rx.recv_many(&mut pieces, BATCH).await > 0 {
            let mut batch = Vec::with_capacity(pieces.len());
            for (index, output) in pieces.drain(..) {
                self.take(index, output, capture, &mut batch);
            }
            self.write(batch).await;
        }
        let mut rest = Vec::new();
        for index in 0..self.hosts.len() {
            for stream in [Stream::Stdout, Stream::Stderr] {
                let partial = std::mem::take(&mut self.hosts[index].partial[slot(stream)]);
                if !partial.is_empty() {
                    let text = String::from_utf8_lossy(&partial).into_owned();
                    self.push(index, stream, text, &mut rest);
                }
            }
        }
        self.write(rest).await;
        self.hosts.into_iter().map(|h| (h.name, h.captured)).collect()
    }

    /// Turns one piece into a chunk: whole characters only, within the host's cap.
    fn take(&mut self, index: usize, output: Output, capture: bool, batch: &mut Vec<(Chunk, Vec<u8>)>) {
        let (stream, data) = match output {
            Output::Stdout(data) => (Stream::Stdout, data),
            Output::Stderr(data) => (Stream::Stderr, data),
        };
        let Some(host) = self.hosts.get_mut(index) else {
            return;
        };
        if host.truncated {
            return;
        }
        let mut bytes = std::mem::take(&mut host.partial[slot(stream)]);
        bytes.extend_from_slice(&data);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let error = e.utf8_error();
                let mut bytes = e.into_bytes();
                if error.error_len().is_none() {
                    // The last character continues in the next piece.
                    host.partial[slot(stream)] = bytes.split_off(error.valid_up_to());
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        if capture && stream == Stream::Stdout && host.captured.len() < CAPTURE_LIMIT {
            host.captured.push_str(&text);
        }
        self.push(index, stream, text, batch);
    }

    fn push(&mut self, index: usize, stream: Stream, mut text: String, batch: &mut Vec<(Chunk, Vec<u8>)>) {
        let cap = self.cap;
        let host = &mut self.hosts[index];
        let room = cap.saturating_sub(host.bytes) as usize;
        let mut cut = false;
        if text.len() > room {
            let mut end = room;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            host.truncated = true;
            cut = true;
        }
        host.bytes += text.len() as u64;
        let name = host.name.clone();
        if !text.is_empty() {
            self.seq += 1;
            batch.push(chunk(self.seq, &name, stream, text));
        }
        if cut {
            self.seq += 1;
            let mark = format!("\n[output truncated: more than {} MiB]\n", cap / (1024 * 1024));
            batch.push(chunk(self.seq, &name, Stream::Stderr, mark));
        }
    }

    /// Stores a batch, then tells viewers; a failed write is logged and the output lost
    /// for storage only (viewers still see it).
    async fn write(&self, batch: Vec<(Chunk, Vec<u8>)>) {
        if let Err(e) = store::append(&self.pool, self.job, &batch).await {
            tracing::error!(job = self.job, error = %e, "could not store job output");
        }
        for host in self.hosts.iter().filter(|h| h.truncated) {
            if !batch.iter().any(|(c, _)| c.host == host.name) {
                continue;
            }
            if let Err(e) = store::mark_truncated(&self.pool, self.job, &host.name).await {
                tracing::error!(job = self.job, error = %e, "could not mark output truncated");
            }
        }
        for (chunk, _) in batch {
            let _ = self.events.send(Arc::new(JobEvent::Output(chunk)));
        }
    }
}

fn slot(stream: Stream) -> usize {
    match stream {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
    }
}

fn chunk(seq: i64, host: &str, stream: Stream, text: String) -> (Chunk, Vec<u8>) {
    let data = text.as_bytes().to_vec();
    (
        Chunk {
            seq,
            host: host.to_owned(),
            stream,
            text,
        },
        data,
    )
}
