//! Percent-encoding for the links and redirects Owlery builds.

/// Encodes everything but RFC 3986's unreserved characters: safe as a query value or
/// a path segment.
pub fn encode_component(s: &str) -> String {
    encode(s, b"")
}

/// The same, but keeps `/`: for a whole path carried in a `next=` parameter.
pub fn encode_path(s: &str) -> String {
    encode(s, b"/")
}

fn encode(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b if keep.contains(&b) => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_non_ascii_bytes_are_encoded() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_path("/hosts?q=a b"), "/hosts%3Fq%3Da%20b");
    }
}
