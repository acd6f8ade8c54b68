//! The media copy's proof: object and byte counts of the source directory and of the
//! bucket, read from the wizard's count script (or `aws s3 ls --summarize`) and compared.
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many files and bytes one side holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub objects: u64,
    pub bytes: u64,
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} objects, {} bytes", self.objects, self.bytes)
    }
}

fn number(text: &str, what: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{what} {:?} is not a whole number", text.trim()))
}

/// `objects=N bytes=M` (the count script's line, any words before it), read from the
/// last line that has it.
fn pair_line(line: &str) -> Option<Result<Count, String>> {
    let objects = line.split_whitespace().find_map(|w| w.strip_prefix("objects="))?;
    let bytes = line.split_whitespace().find_map(|w| w.strip_prefix("bytes="))?;
    Some(number(objects, "objects").and_then(|o| {
        Ok(Count {
            objects: o,
            bytes: number(bytes, "bytes")?,
        })
    }))
}

/// One side's count: the last `objects=N bytes=M` line, else the `Total Objects:` and
/// `Total Size:` lines `aws s3 ls --recursive --summarize` ends with.
pub fn parse_count(text: &str) -> Result<Count, String> {
    if let Some(found) = text.lines().rev().find_map(pair_line) {
        return found;
    }
    let total = |label: &str| {
        text.lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| number(v, label.trim_end_matches(':')))
    };
    match (total("Total Objects:"), total("Total Size:")) {
        (Some(objects), Some(bytes)) => Ok(Count {
            objects: objects?,
            bytes: bytes?,
        }),
        _ => Err("no `objects=N bytes=M` line and no `Total Objects:`/`Total Size:` summary".into()),
    }
}

/// The count script's output: a `source objects=.. bytes=..` and a `bucket ...` line.
pub fn parse_sides(text: &str) -> Result<(Count, Count), String> {
    let side = |name: &str| {
        text.lines()
            .rev()
            .filter(|l| l.split_whitespace().next() == Some(name))
            .find_map(pair_line)
            .unwrap_or_else(|| Err(format!("no `{name} objects=N bytes=M` line")))
    };
    Ok((side("source")?, side("bucket")?))
}

/// How the bucket compares with the source directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub source: Count,
    pub bucket: Count,
}

impl Comparison {
    /// Every file arrived, byte for byte in total.
    pub fn matches(&self) -> bool {
        self.source == self.bucket
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, b) = (self.source, self.bucket);
        write!(f, "source {s}; bucket {b}: ")?;
        if self.matches() {
            return f.write_str("the copy is complete");
        }
        let diff = |x: u64, y: u64| {
            if x >= y {
                format!("{} fewer", x - y)
            } else {
                format!("{} more", y - x)
            }
        };
        write!(
            f,
            "the bucket has {} objects and {} bytes; run the copy again (it resumes)",
            diff(s.objects, b.objects),
            diff(s.bytes, b.bytes)
        )
    }
}

/// Compares the two sides read from the count script's output.
pub fn compare(text: &str) -> Result<Comparison, String> {
    let (source, bucket) = parse_sides(text)?;
    Ok(Comparison { source, bucket })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_scripts_lines_are_compared() {
        let out = "counting /home/mastodon/live/public/system\n\
                   source objects=1204 bytes=98231337\n\
                   bucket objects=1204 bytes=98231337\n\
                   media-count: match\n";
        let c = compare(out).unwrap();
        assert!(c.matches());
        assert_eq!(
            c.to_string(),
            "source 1204 objects, 98231337 bytes; bucket 1204 objects, 98231337 bytes: the copy is complete"
        );
    }

    #[test]
    fn a_short_bucket_says_how_much_is_missing() {
        let out = "source objects=1204 bytes=98231337\nbucket objects=1190 bytes=97000000\n";
        let c = compare(out).unwrap();
        assert!(!c.matches());
        assert_eq!(
            c.to_string(),
            "source 1204 objects, 98231337 bytes; bucket 1190 objects, 97000000 bytes: \
             the bucket has 14 fewer objects and 1231337 fewer bytes; run the copy again (it resumes)"
        );
    }

    #[test]
    fn awscli_summaries_are_read_too() {
        let out = "2026-01-02 03:04:05      12345 accounts/avatars/1.png\n\
                   2026-01-02 03:04:06        678 media_attachments/2.jpg\n\
                   \n\
                   Total Objects: 2\n   Total Size: 13023\n";
        assert_eq!(
            parse_count(out),
            Ok(Count {
                objects: 2,
                bytes: 13023
            })
        );
    }

    #[test]
    fn missing_or_broken_counts_are_errors_not_zeroes() {
        assert_eq!(
            compare("source objects=3 bytes=10\n"),
            Err("no `bucket objects=N bytes=M` line".into())
        );
        assert_eq!(
            parse_count("objects=three bytes=10"),
            Err("objects \"three\" is not a whole number".into())
        );
        assert_eq!(
            parse_count("nothing here"),
            Err("no `objects=N bytes=M` line and no `Total Objects:`/`Total Size:` summary".into())
        );
    }
}
