//! A job's output live, as Server-Sent Events (`GET /jobs/{id}/events`), and as a text
//! file (`GET /jobs/{id}/log.txt`).
//!
//! The stream first replays what is stored after the client's `Last-Event-ID` (or
//! `?after=`), then follows the live broadcast, skipping what it already sent; a viewer
//! who falls behind the broadcast goes back to the database. So a reconnecting browser,
//! or a co-admin who opens the page mid-job, gets every piece once, in order.
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::model::job::{Chunk, JobEvent, Stream};
use app::model::user::Role;
use app::server::auth::Session;
use app::server::jobs::{store, Events};
use app::server::streams::StreamSlot;
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

/// Stored pieces read per query while catching up or exporting: a piece holds up to
/// 32 KiB, so a page stays around 2 MiB however many viewers catch up at once.
const CATCH_UP: i64 = 64;

#[derive(Deserialize)]
pub struct After {
    after: Option<i64>,
}

fn refuse(session: &Session) -> Option<Response> {
    (!session.user.can(Role::Viewer)).then(|| (StatusCode::FORBIDDEN, "not allowed").into_response())
}

pub async fn events(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refuse(&session) {
        return refused;
    }
    let Some(slot) = state.streams.open(&session.token_hash) else {
        tracing::warn!(user = %session.user.username, job = id, "event stream refused: too many open");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "30")],
            "too many open event streams: close a job page and reload",
        )
            .into_response();
    };
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(after.after)
        .unwrap_or(0);
    // Subscribe before reading what is stored: nothing committed in between is missed.
    let live = state.jobs.subscribe(id);
    if let Err(e) = store::summary(&state.db, id).await {
        return (
            StatusCode::from_u16(e.status_code()).unwrap_or_default(),
            e.to_string(),
        )
            .into_response();
    }
    let follow = Follow {
        pool: state.db.clone(),
        job: id,
        last,
        live,
        backlog: Vec::new(),
        catching_up: true,
        done: false,
        _slot: slot,
    };
    let events = stream::unfold(follow, |mut f| async move {
        f.next().await.map(|event| (Ok::<_, Infallible>(event), f))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Where one viewer's stream stands.
struct Follow {
    pool: sqlx::SqlitePool,
    job: i64,
    /// The last piece sent.
    last: i64,
    live: Option<Events>,
    backlog: Vec<Event>,
    catching_up: bool,
    done: bool,
    /// This stream's place under the caps, freed when the stream ends or the viewer goes.
    _slot: StreamSlot,
}

impl Follow {
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.backlog.pop() {
                return Some(event);
            }
            if self.done {
                return None;
            }
            if self.catching_up {
                self.catch_up().await;
                continue;
            }
            let Some(live) = self.live.as_mut() else {
                // The job had ended when the viewer came: stored states, then the end.
                self.finish().await;
                continue;
            };
            match live.recv().await {
                Ok(event) => {
                    if let Some(event) = self.send(&event) {
                        return Some(event);
                    }
                }
                Err(RecvError::Lagged(_)) => self.catching_up = true,
                Err(RecvError::Closed) => self.live = None,
            }
        }
    }

    /// Queues the next stored pieces; after the last of them, the hosts' states.
    async fn catch_up(&mut self) {
        match store::output_after(&self.pool, self.job, self.last, CATCH_UP).await {
            Ok(chunks) if !chunks.is_empty() => {
                self.last = chunks.last().map_or(self.last, |c| c.seq);
                self.backlog = chunks.iter().rev().map(output).collect();
            }
            Ok(_) => {
                self.catching_up = false;
                match store::hosts(&self.pool, self.job).await {
                    Ok(hosts) => self.backlog = hosts.iter().rev().filter_map(|h| named("host", h)).collect(),
                    Err(e) => tracing::error!(job = self.job, error = %e, "could not read job hosts"),
                }
            }
            Err(e) => {
                tracing::error!(job = self.job, error = %e, "could not read job output");
                self.done = true;
            }
        }
    }

    async fn finish(&mut self) {
        self.done = true;
        match store::summary(&self.pool, self.job).await {
            Ok((summary, ..)) => self.backlog = named("finished", &summary.state).into_iter().collect(),
            Err(e) => tracing::error!(job = self.job, error = %e, "could not read job state"),
        }
    }

    fn send(&mut self, event: &Arc<JobEvent>) -> Option<Event> {
        match event.as_ref() {
            JobEvent::Output(chunk) if chunk.seq <= self.last => None,
            JobEvent::Output(chunk) => {
                self.last = chunk.seq;
                Some(output(chunk))
            }
            JobEvent::Host(host) => named("host", host),
            JobEvent::Finished(state) => {
                self.done = true;
                named("finished", state)
            }
        }
    }
}

fn output(chunk: &Chunk) -> Event {
    named("output", chunk)
        .unwrap_or_default()
        .id(chunk.seq.to_string())
}

fn named<T: serde::Serialize>(name: &str, value: &T) -> Option<Event> {
    Event::default().event(name).json_data(value).ok()
}

/// The whole log as text: each line prefixed with its host, `|` for stdout and `!` for
/// stderr, in the order the lines were completed. Streamed a page of stored pieces at a
/// time, so a huge log does not have to fit in memory.
pub async fn log_text(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> Response {
    if let Some(refused) = refuse(&session) {
        return refused;
    }
    if let Err(e) = store::summary(&state.db, id).await {
        return (
            StatusCode::from_u16(e.status_code()).unwrap_or_default(),
            e.to_string(),
        )
            .into_response();
    }
    let pages = stream::unfold(Some((0, Lines::default())), move |cursor| {
        let pool = state.db.clone();
        async move {
            let (after, mut lines) = cursor?;
            match store::output_after(&pool, id, after, CATCH_UP).await {
                Ok(chunks) if chunks.is_empty() => Some((Ok(lines.finish()), None)),
                Ok(chunks) => {
                    let last = chunks.last().map_or(after, |c| c.seq);
                    let text = lines.push(&chunks);
                    Some((Ok(text), Some((last, lines))))
                }
                Err(e) => {
                    tracing::error!(job = id, error = %e, "could not read job output");
                    Some((Err(std::io::Error::other("the log could not be read")), None))
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"owlery-job-{id}.log\""),
            ),
        ],
        axum::body::Body::from_stream(pages),
    )
        .into_response()
}

/// Pieces joined into lines per host and stream, each line prefixed.
#[derive(Default)]
pub struct Lines {
    /// The unfinished last line of each host and stream.
    partial: Vec<((String, Stream), String)>,
}

impl Lines {
    fn line(out: &mut String, host: &str, stream: Stream, line: &str) {
        let mark = if stream == Stream::Stderr { '!' } else { '|' };
        out.push_str(host);
        out.push(' ');
        out.push(mark);
        out.push(' ');
        out.push_str(line);
        out.push('\n');
    }

    /// The lines these pieces complete.
    pub fn push(&mut self, chunks: &[Chunk]) -> String {
        let mut out = String::new();
        for chunk in chunks {
            let key = (chunk.host.clone(), chunk.stream);
            let at = match self.partial.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    self.partial.push((key, String::new()));
                    self.partial.len() - 1
                }
            };
            let mut text = std::mem::take(&mut self.partial[at].1);
            text.push_str(&chunk.text);
            let mut rest = text.as_str();
            while let Some(end) = rest.find('\n') {
                Self::line(&mut out, &chunk.host, chunk.stream, &rest[..end]);
                rest = &rest[end + 1..];
            }
            self.partial[at].1 = rest.to_owned();
        }
        out
    }

    /// The unfinished lines, as lines.
    pub fn finish(self) -> String {
        let mut out = String::new();
        for ((host, stream), rest) in self.partial {
            if !rest.is_empty() {
                Self::line(&mut out, &host, stream, &rest);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(seq: i64, host: &str, stream: Stream, text: &str) -> Chunk {
        Chunk {
            seq,
            host: host.into(),
            stream,
            text: text.into(),
        }
    }

    #[test]
    fn lines_split_across_pieces_are_joined_per_host() {
        let chunks = [
            chunk(1, "hermes", Stream::Stdout, "hel"),
            chunk(2, "hedwig", Stream::Stdout, "one\n"),
            chunk(3, "hermes", Stream::Stdout, "lo\nwor"),
            chunk(4, "hermes", Stream::Stderr, "oops\n"),
            chunk(5, "hermes", Stream::Stdout, "ld"),
        ];
        let mut lines = Lines::default();
        let (first, second) = (lines.push(&chunks[..2]), lines.push(&chunks[2..]));
        assert_eq!(first, "hedwig | one\n");
        assert_eq!(second, "hermes | hello\nhermes ! oops\n");
        assert_eq!(lines.finish(), "hermes | world\n");
    }
}
