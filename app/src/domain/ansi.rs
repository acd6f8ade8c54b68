//! ANSI escape sequences in command output: SGR colours and bold become styled spans,
//! every other escape sequence is dropped.

/// The look of a run of text: a foreground colour (0–7 normal, 8–15 bright) and bold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub fg: Option<u8>,
    pub bold: bool,
}

impl Style {
    /// CSS classes for this style (`ansi-fg-1 ansi-bold`), empty for plain text.
    pub fn classes(self) -> String {
        let mut out = String::new();
        if let Some(fg) = self.fg {
            out.push_str("ansi-fg-");
            out.push_str(&fg.to_string());
        }
        if self.bold {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("ansi-bold");
        }
        out
    }

    /// This style after the parameters of one SGR sequence (`ESC [ … m`).
    fn apply(mut self, params: &str) -> Self {
        let mut codes = params.split([';', ':']).map(|p| p.parse::<u16>().unwrap_or(0));
        while let Some(code) = codes.next() {
            match code {
                0 => self = Self::default(),
                1 => self.bold = true,
                22 => self.bold = false,
                30..=37 => self.fg = Some((code - 30) as u8),
                90..=97 => self.fg = Some((code - 90 + 8) as u8),
                39 => self.fg = None,
                // Extended colours: skip their arguments so they are not read as codes.
                38 | 48 | 58 => match codes.next() {
                    Some(5) => {
                        codes.next();
                    }
                    Some(2) => {
                        codes.by_ref().take(3).for_each(drop);
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        self
    }
}

/// The styled runs of one line of output, starting unstyled.
pub fn spans(text: &str) -> Vec<(Style, String)> {
    spans_from(Style::default(), text).0
}

/// The text without any escape sequence, as search and plain downloads see it.
pub fn strip(text: &str) -> String {
    spans(text).into_iter().map(|(_, t)| t).collect()
}

/// The styled runs of one line starting in `start`, and the style in force at its end
/// (colours carry over to the next line, as in a terminal). A carriage return inside the
/// line starts it over, as progress bars rely on; trailing ones (CRLF) are ignored.
pub fn spans_from(start: Style, text: &str) -> (Vec<(Style, String)>, Style) {
    let mut out: Vec<(Style, String)> = Vec::new();
    let mut style = start;
    let mut run = String::new();
    let flush = |out: &mut Vec<(Style, String)>, run: &mut String, style: Style| {
        if !run.is_empty() {
            out.push((style, std::mem::take(run)));
        }
    };
    let text = text.trim_end_matches('\r');
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates, then one final byte in @..~.
                Some((_, '[')) => {
                    let begin = i + 2;
                    let mut end = None;
                    for (j, c) in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            end = Some((j, c));
                            break;
                        }
                    }
                    if let Some((j, 'm')) = end {
                        let next = style.apply(&text[begin..j]);
                        if next != style {
                            flush(&mut out, &mut run, style);
                            style = next;
                        }
                    }
                }
                // OSC (window titles, links): up to BEL or ST (ESC \).
                Some((_, ']')) => {
                    while let Some((_, c)) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' && chars.peek().is_some_and(|(_, c)| *c == '\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                // Any other escape is two characters long (charset selection has three).
                Some((_, '(' | ')')) => {
                    chars.next();
                }
                _ => {}
            },
            '\r' => {
                run.clear();
                out.clear();
            }
            '\t' => run.push(c),
            c if c.is_control() => {}
            c => run.push(c),
        }
    }
    flush(&mut out, &mut run, style);
    (out, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fg(n: u8) -> Style {
        Style {
            fg: Some(n),
            bold: false,
        }
    }

    fn plain(spans: &[(Style, String)]) -> Vec<(Style, &str)> {
        spans.iter().map(|(s, t)| (*s, t.as_str())).collect()
    }

    #[test]
    fn plain_text_is_one_unstyled_span() {
        assert_eq!(
            plain(&spans("hello\tworld")),
            [(Style::default(), "hello\tworld")]
        );
        assert!(spans("").is_empty());
    }

    #[test]
    fn colours_bold_and_reset_become_styled_spans() {
        let s = spans("\x1b[31mred\x1b[0m plain \x1b[1;92mbold green\x1b[m end");
        let bold_green = Style {
            fg: Some(10),
            bold: true,
        };
        assert_eq!(
            plain(&s),
            [
                (fg(1), "red"),
                (Style::default(), " plain "),
                (bold_green, "bold green"),
                (Style::default(), " end"),
            ]
        );
        assert_eq!(bold_green.classes(), "ansi-fg-10 ansi-bold");
        assert_eq!(Style::default().classes(), "");
    }

    #[test]
    fn default_colour_and_normal_intensity_undo_one_attribute_each() {
        let s = spans("\x1b[1;33mA\x1b[39mB\x1b[22mC");
        let bold = Style { fg: None, bold: true };
        assert_eq!(
            plain(&s),
            [
                (
                    Style {
                        fg: Some(3),
                        bold: true
                    },
                    "A"
                ),
                (bold, "B"),
                (Style::default(), "C"),
            ]
        );
    }

    #[test]
    fn extended_colours_do_not_leak_their_arguments_as_codes() {
        // 38;2;0;0;31 is a true colour whose blue happens to be 31 (red's code).
        assert_eq!(plain(&spans("\x1b[38;2;0;0;31mx")), [(Style::default(), "x")]);
        assert_eq!(plain(&spans("\x1b[38;5;1;32mx")), [(fg(2), "x")]);
    }

    #[test]
    fn other_escape_sequences_and_controls_are_dropped() {
        assert_eq!(strip("\x1b[2K\x1b[1Gdone\x1b[?25h"), "done");
        assert_eq!(strip("\x1b]0;title\x07a\x1b]8;;http://x\x1b\\b"), "ab");
        assert_eq!(strip("\x1b(Bx\x07y\x1b"), "xy");
    }

    #[test]
    fn a_carriage_return_starts_the_line_over_but_crlf_does_not() {
        assert_eq!(strip("10%\r50%\r100%"), "100%");
        assert_eq!(strip("line\r\r"), "line");
    }

    #[test]
    fn the_style_carries_over_to_the_next_line() {
        let (_, end) = spans_from(Style::default(), "\x1b[35mstart");
        assert_eq!(end, fg(5));
        let (s, end) = spans_from(end, "more\x1b[0m");
        assert_eq!(plain(&s), [(fg(5), "more")]);
        assert_eq!(end, Style::default());
    }

    #[test]
    fn multibyte_text_survives_around_escapes() {
        assert_eq!(
            plain(&spans("é\x1b[34m✓ü")),
            [(Style::default(), "é"), (fg(4), "✓ü")]
        );
    }
}
