//! The small markdown subset runbook texts are written in: paragraphs, `-` and `1.`
//! lists, fenced code, and inline `code`, **bold**, *emphasis* and links. Raw HTML is
//! never passed through: the result is a tree the page renders as text nodes, so a
//! runbook imported from a file cannot inject markup.

/// A block of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Code(String),
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
    /// Only `http(s)://`, absolute paths and `./` paths are links; `./x` is resolved
    /// against the page's base (e.g. `/runs/7/`), so a runbook can link to a run's pages.
    Link {
        text: String,
        href: String,
    },
}

/// Splits `text` into blocks; `base` resolves `./` links and ends with `/`.
pub fn parse(text: &str, base: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "), base)));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim().starts_with("```") {
                    break;
                }
                code.push(inner);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if let Some((ordered, item)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![item.to_owned()];
            while let Some(next) = lines.peek() {
                match list_item(next.trim()) {
                    Some((o, item)) if o == ordered => items.push(item.to_owned()),
                    // An indented line continues the item above it.
                    None if next.starts_with("  ") && !next.trim().is_empty() => {
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(next.trim());
                        }
                    }
                    _ => break,
                }
                lines.next();
            }
            let items = items.iter().map(|i| inline(i, base)).collect();
            blocks.push(Block::List { ordered, items });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    (digits > 0).then_some(())?;
    line[digits..].strip_prefix(". ").map(|rest| (true, rest))
}

fn inline(text: &str, base: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let span = match c {
            '`' => delimited(rest, "`").map(|(inner, len)| (Inline::Code(inner.to_owned()), len)),
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(inner, len)| (Inline::Strong(inner.to_owned()), len))
            }
            '*' => delimited(rest, "*").map(|(inner, len)| (Inline::Emphasis(inner.to_owned()), len)),
            '[' => link(rest, base),
            _ => None,
        };
        match span {
            Some((node, len)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(node);
                rest = &rest[len..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// `rest` starts with `mark`: the text up to the closing `mark` and the length consumed.
fn delimited<'a>(rest: &'a str, mark: &str) -> Option<(&'a str, usize)> {
    let inner = &rest[mark.len()..];
    let end = inner.find(mark)?;
    let span = &inner[..end];
    // As in CommonMark, `2 * 3 * 4` is not emphasis: the span must not start or end with space.
    let flanked = !span.starts_with(char::is_whitespace) && !span.ends_with(char::is_whitespace);
    (!span.is_empty() && (flanked || mark == "`")).then_some((span, mark.len() * 2 + end))
}

fn link(rest: &str, base: &str) -> Option<(Inline, usize)> {
    let close = rest.find("](")?;
    let end = rest[close..].find(')')? + close;
    let (text, target) = (&rest[1..close], &rest[close + 2..end]);
    let href = if target.starts_with("https://") || target.starts_with("http://") || target.starts_with('/') {
        target.to_owned()
    } else {
        format!("{base}{}", target.strip_prefix("./")?)
    };
    let safe = !href
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    safe.then(|| {
        let text = text.to_owned();
        (Inline::Link { text, href }, end + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_lists_and_code_become_blocks() {
        let md = "Open **the page** and `check` it.\nSecond line.\n\n- one\n- two\n  continued\n\n1. first\n2. second\n\n```\nsystemctl stop x\n```";
        assert_eq!(
            parse(md, "/runs/7/"),
            vec![
                Block::Paragraph(vec![
                    text("Open "),
                    Inline::Strong("the page".into()),
                    text(" and "),
                    Inline::Code("check".into()),
                    text(" it. Second line."),
                ]),
                Block::List {
                    ordered: false,
                    items: vec![vec![text("one")], vec![text("two continued")]]
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![text("first")], vec![text("second")]]
                },
                Block::Code("systemctl stop x".into()),
            ]
        );
    }

    #[test]
    fn relative_links_resolve_against_the_run_and_others_stay_text() {
        let blocks = parse(
            "See [the merge](./env-merge), [docs](https://x.test/a) and [bad](javascript:alert(1)).",
            "/runs/7/",
        );
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!("a paragraph")
        };
        assert_eq!(
            inlines[1],
            Inline::Link {
                text: "the merge".into(),
                href: "/runs/7/env-merge".into()
            }
        );
        assert_eq!(
            inlines[3],
            Inline::Link {
                text: "docs".into(),
                href: "https://x.test/a".into()
            }
        );
        assert!(
            matches!(&inlines[4], Inline::Text(t) if t.contains("[bad](javascript:alert(1))")),
            "{inlines:?}"
        );
    }

    #[test]
    fn unclosed_marks_and_html_stay_literal_text() {
        assert_eq!(
            parse("2 * 3 * 4 ` <script>alert(1)</script>", "/"),
            vec![Block::Paragraph(vec![text(
                "2 * 3 * 4 ` <script>alert(1)</script>"
            )])]
        );
    }
}
