//! A job's output as lines: chunks joined per host and stream, split at newlines
//! across chunk boundaries, and rendered in blocks of HTML. The server's first paint
//! and the browser's live tail both go through [`Log::push`].
use crate::domain::ansi::{self, Style};
use crate::domain::html::push_escaped;
use crate::model::job::{Chunk, Stream};

/// Lines per rendered block: a new chunk re-renders only the blocks it touched.
const BLOCK: usize = 200;

/// One line of output, without its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its number in the merged log, from 1.
    pub n: usize,
    pub host: String,
    pub stderr: bool,
    /// The ANSI style in force where the line starts.
    pub start: Style,
    /// As received, escape sequences included.
    pub text: String,
}

/// Where one host's stream stands: its unfinished last line, and the style at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tail {
    host: String,
    stderr: bool,
    open: Option<usize>,
    style: Style,
}

/// The lines of a job's output so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    lines: Vec<Line>,
    tails: Vec<Tail>,
    /// Bumped whenever a line of the block changes: the block's key in the view.
    versions: Vec<u32>,
    /// The highest chunk `seq` taken in.
    pub last_seq: i64,
}

/// Which lines a view shows: one host's or all, and those containing a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LogFilter {
    pub host: Option<String>,
    pub needle: String,
}

impl LogFilter {
    fn shows(&self, line: &Line) -> bool {
        self.host.as_ref().is_none_or(|h| *h == line.host)
            && (self.needle.is_empty()
                || ansi::strip(&line.text)
                    .to_lowercase()
                    .contains(&self.needle.to_lowercase()))
    }
}

impl Log {
    pub fn new(chunks: &[Chunk]) -> Self {
        let mut log = Self::default();
        for chunk in chunks {
            log.push(chunk);
        }
        log
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    #[cfg(test)]
    fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Takes in a chunk; false (and nothing changes) when it was seen already.
    pub fn push(&mut self, chunk: &Chunk) -> bool {
        if chunk.seq <= self.last_seq {
            return false;
        }
        self.last_seq = chunk.seq;
        let stderr = chunk.stream == Stream::Stderr;
        let t = match self
            .tails
            .iter()
            .position(|t| t.host == chunk.host && t.stderr == stderr)
        {
            Some(t) => t,
            None => {
                self.tails.push(Tail {
                    host: chunk.host.clone(),
                    stderr,
                    open: None,
                    style: Style::default(),
                });
                self.tails.len() - 1
            }
        };
        for piece in chunk.text.split_inclusive('\n') {
            let (text, complete) = match piece.strip_suffix('\n') {
                Some(text) => (text, true),
                None => (piece, false),
            };
            let tail = &mut self.tails[t];
            let i = match tail.open {
                Some(i) => {
                    self.lines[i].text.push_str(text);
                    i
                }
                None => {
                    self.lines.push(Line {
                        n: self.lines.len() + 1,
                        host: chunk.host.clone(),
                        stderr,
                        start: tail.style,
                        text: text.to_owned(),
                    });
                    self.lines.len() - 1
                }
            };
            if complete {
                let line = &self.lines[i];
                tail.style = ansi::spans_from(line.start, &line.text).1;
                tail.open = None;
            } else {
                tail.open = Some(i);
            }
            let block = i / BLOCK;
            if self.versions.len() <= block {
                self.versions.resize(block + 1, 0);
            }
            self.versions[block] += 1;
        }
        true
    }

    /// Each block's index and version, the keys of the rendered blocks.
    pub fn blocks(&self) -> Vec<(usize, u32)> {
        self.versions.iter().copied().enumerate().collect()
    }

    /// The HTML of one block's lines that `filter` shows.
    pub fn block_html(&self, block: usize, filter: &LogFilter) -> String {
        let start = (block * BLOCK).min(self.lines.len());
        let end = ((block + 1) * BLOCK).min(self.lines.len());
        let mut out = String::new();
        for line in self.lines[start..end].iter().filter(|l| filter.shows(l)) {
            line_html(&mut out, line);
        }
        out
    }
}

/// `<div class="log-line">` with the host prefix, stderr marked, colours as spans; the
/// line number is a data attribute shown by CSS, so copied text carries none.
fn line_html(out: &mut String, line: &Line) {
    out.push_str(if line.stderr {
        "<div class=\"log-line stderr\" data-stream=\"stderr\" data-host=\""
    } else {
        "<div class=\"log-line\" data-host=\""
    });
    push_escaped(out, &line.host);
    out.push_str("\" data-n=\"");
    out.push_str(&line.n.to_string());
    out.push_str("\"><span class=\"log-host c");
    out.push_str(&host_colour(&line.host).to_string());
    out.push_str("\">");
    push_escaped(out, &line.host);
    out.push_str(" | </span><span class=\"log-text\">");
    for (style, text) in ansi::spans_from(line.start, &line.text).0 {
        let classes = style.classes();
        if classes.is_empty() {
            push_escaped(out, &text);
        } else {
            out.push_str("<span class=\"");
            out.push_str(&classes);
            out.push_str("\">");
            push_escaped(out, &text);
            out.push_str("</span>");
        }
    }
    out.push_str("</span></div>");
}

/// One of six prefix colours, the same for a host on every page.
pub fn host_colour(host: &str) -> u32 {
    host.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    }) % 6
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

    fn texts(log: &Log) -> Vec<(&str, bool, &str)> {
        log.lines()
            .iter()
            .map(|l| (l.host.as_str(), l.stderr, l.text.as_str()))
            .collect()
    }

    #[test]
    fn lines_split_across_chunks_are_joined_per_host_and_stream() {
        let log = Log::new(&[
            chunk(1, "hermes", Stream::Stdout, "hel"),
            chunk(2, "hades", Stream::Stdout, "one\ntw"),
            chunk(3, "hermes", Stream::Stderr, "oops\n"),
            chunk(4, "hermes", Stream::Stdout, "lo\nworld"),
            chunk(5, "hades", Stream::Stdout, "o\n"),
        ]);
        assert_eq!(
            texts(&log),
            [
                ("hermes", false, "hello"),
                ("hades", false, "one"),
                ("hades", false, "two"),
                ("hermes", true, "oops"),
                ("hermes", false, "world"),
            ]
        );
        assert_eq!(log.lines()[4].n, 5);
        assert_eq!(log.last_seq, 5);
    }

    #[test]
    fn a_chunk_seen_before_is_dropped() {
        let mut log = Log::new(&[chunk(1, "a", Stream::Stdout, "x\n")]);
        assert!(!log.push(&chunk(1, "a", Stream::Stdout, "x\n")));
        assert!(!log.push(&chunk(0, "a", Stream::Stdout, "y\n")));
        assert!(log.push(&chunk(2, "a", Stream::Stdout, "z\n")));
        assert_eq!(texts(&log), [("a", false, "x"), ("a", false, "z")]);
    }

    #[test]
    fn empty_lines_are_kept_and_a_colour_carries_to_the_next_line() {
        let log = Log::new(&[chunk(1, "a", Stream::Stdout, "\x1b[32mgreen\n\nstill\x1b[0m\n")]);
        assert_eq!(log.len(), 3);
        assert_eq!(log.lines()[1].text, "");
        assert_eq!(log.lines()[2].start.fg, Some(2));
        assert!(log
            .block_html(0, &LogFilter::default())
            .contains("<span class=\"log-text\"><span class=\"ansi-fg-2\">still</span></span>"));
    }

    #[test]
    fn a_line_renders_escaped_with_its_host_and_stream() {
        let log = Log::new(&[chunk(7, "h<1>", Stream::Stderr, "a < b\n")]);
        let html = log.block_html(0, &LogFilter::default());
        assert_eq!(
            html,
            format!(
                "<div class=\"log-line stderr\" data-stream=\"stderr\" data-host=\"h&lt;1&gt;\" \
                 data-n=\"1\"><span class=\"log-host c{}\">h&lt;1&gt; | </span>\
                 <span class=\"log-text\">a &lt; b</span></div>",
                host_colour("h<1>")
            )
        );
    }

    #[test]
    fn filters_pick_a_host_and_a_text_ignoring_case_and_colours() {
        let log = Log::new(&[
            chunk(1, "a", Stream::Stdout, "Active: \x1b[32mrunning\x1b[0m\nother\n"),
            chunk(2, "b", Stream::Stdout, "active: failed\n"),
        ]);
        let shown = |host: Option<&str>, needle: &str| {
            let filter = LogFilter {
                host: host.map(Into::into),
                needle: needle.into(),
            };
            log.block_html(0, &filter).matches("class=\"log-line").count()
        };
        assert_eq!(shown(None, ""), 3);
        assert_eq!(shown(Some("a"), ""), 2);
        assert_eq!(shown(None, "ACTIVE"), 2);
        assert_eq!(shown(None, "active: running"), 1);
        assert_eq!(shown(Some("b"), "running"), 0);
    }

    #[test]
    fn a_change_bumps_only_the_blocks_it_touched() {
        let mut log = Log::default();
        let many = "x\n".repeat(BLOCK + 1) + "open";
        log.push(&chunk(1, "a", Stream::Stdout, &many));
        assert_eq!(log.blocks().len(), 2);
        let before = log.blocks();
        log.push(&chunk(2, "a", Stream::Stdout, " more"));
        let after = log.blocks();
        assert_eq!(before[0], after[0]);
        assert_ne!(before[1], after[1]);
        assert_eq!(log.lines().last().unwrap().text, "open more");
    }
}
