//! HTML escaping for views built as one string (long tables, logs).

/// Appends `text` to `out` with the characters that are special in HTML text and in
/// quoted attribute values escaped.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_the_rest_copied() {
        let mut out = String::new();
        push_escaped(&mut out, r#"é <b a="x">&'"#);
        assert_eq!(out, "é &lt;b a=&quot;x&quot;&gt;&amp;&#39;");
    }
}
