//! Why an instance string is refused, worded once for the Rust decoder and the sh one.
//!
//! Every message is built by a function of `&str` parts, so the script generator can call
//! the same function with shell variables (`"$f"`) in place of the values: the two
//! decoders then print word for word the same reason.
use serde::{Deserialize, Serialize};
use std::fmt;

/// The first problem found in an instance string, reading from left to right.
/// `field` is the whole field as written, e.g. `w07`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceError {
    Empty,
    BadCharacter,
    TooLong,
    EmptyField,
    Version {
        field: String,
    },
    UnknownKey {
        field: String,
        key: String,
        kind: String,
        keys: String,
    },
    DuplicateKey {
        field: String,
        key: String,
    },
    OutOfOrder {
        field: String,
        key: String,
        after: String,
    },
    NotANumber {
        field: String,
        value: String,
    },
    LeadingZero {
        field: String,
        value: String,
    },
    OutOfRange {
        field: String,
        value: String,
        min: u16,
        max: u16,
    },
    MinAboveMax {
        field: String,
    },
    ThreadsTwice {
        field: String,
    },
    BadQueueName {
        field: String,
    },
    DuplicateQueue {
        field: String,
        queue: String,
    },
    PoolRepeatsConcurrency {
        field: String,
    },
    BadName {
        field: String,
    },
    BadAddress {
        field: String,
    },
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use InstanceError as E;
        let text = match self {
            E::Empty => msg::empty(),
            E::BadCharacter => msg::bad_character(),
            E::TooLong => msg::too_long(),
            E::EmptyField => msg::empty_field(),
            E::Version { field } => msg::version(field),
            E::UnknownKey {
                field,
                key,
                kind,
                keys,
            } => msg::unknown_key(field, key, kind, keys),
            E::DuplicateKey { field, key } => msg::duplicate_key(field, key),
            E::OutOfOrder { field, key, after } => msg::out_of_order(field, key, after),
            E::NotANumber { field, value } => msg::not_a_number(field, value),
            E::LeadingZero { field, value } => msg::leading_zero(field, value),
            E::OutOfRange {
                field,
                value,
                min,
                max,
            } => msg::out_of_range(field, value, &min.to_string(), &max.to_string()),
            E::MinAboveMax { field } => msg::min_above_max(field),
            E::ThreadsTwice { field } => msg::threads_twice(field),
            E::BadQueueName { field } => msg::in_field(field, &msg::queue_name_rule()),
            E::DuplicateQueue { field, queue } => msg::duplicate_queue(field, queue),
            E::PoolRepeatsConcurrency { field } => msg::pool_repeats_concurrency(field),
            E::BadName { field } => msg::in_field(field, &msg::name_rule()),
            E::BadAddress { field } => msg::bad_address(field),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for InstanceError {}

/// The message texts. They hold no `"`, `` ` ``, `\` or `$` of their own, so they can sit
/// inside double quotes in the script with shell variables for their parts.
pub mod msg {
    use super::super::{MAX_LEN, NAME_MAX};

    pub fn empty() -> String {
        "the instance string is empty".into()
    }

    pub fn bad_character() -> String {
        "only a-z, 0-9 and the characters - _ : . may appear in an instance string".into()
    }

    pub fn too_long() -> String {
        format!("the instance string is longer than {MAX_LEN} characters, too long for a unit name")
    }

    pub fn empty_field() -> String {
        "an empty field: two dots in a row, or a dot at the start or the end".into()
    }

    pub fn in_field(field: &str, problem: &str) -> String {
        format!("field '{field}': {problem}")
    }

    pub fn version(field: &str) -> String {
        in_field(
            field,
            "this decoder reads format version 1, which has no version field",
        )
    }

    pub fn unknown_key(field: &str, key: &str, kind: &str, keys: &str) -> String {
        in_field(
            field,
            &format!("unknown key '{key}' for {kind} (the keys are {keys})"),
        )
    }

    pub fn duplicate_key(field: &str, key: &str) -> String {
        in_field(field, &format!("key '{key}' appears twice"))
    }

    pub fn out_of_order(field: &str, key: &str, after: &str) -> String {
        in_field(field, &format!("key '{key}' must come before key '{after}'"))
    }

    pub fn not_a_number(field: &str, value: &str) -> String {
        in_field(field, &format!("'{value}' is not a number"))
    }

    pub fn leading_zero(field: &str, value: &str) -> String {
        in_field(field, &format!("write {value} without leading zeros"))
    }

    pub fn out_of_range(field: &str, value: &str, min: &str, max: &str) -> String {
        in_field(field, &format!("{value} is out of range ({min} to {max})"))
    }

    pub fn min_above_max(field: &str) -> String {
        in_field(field, "the minimum number of threads is above the maximum")
    }

    pub fn threads_twice(field: &str) -> String {
        in_field(
            field,
            "write the number of threads once when the minimum equals the maximum",
        )
    }

    pub fn queue_name_rule() -> String {
        format!(
            "a queue name is a letter a-z, then up to {} of a-z, 0-9 and _",
            NAME_MAX - 1
        )
    }

    pub fn duplicate_queue(field: &str, queue: &str) -> String {
        in_field(field, &format!("queue '{queue}' appears twice"))
    }

    pub fn pool_repeats_concurrency(field: &str) -> String {
        in_field(
            field,
            "DB_POOL already defaults to the concurrency, leave this field out",
        )
    }

    pub fn name_rule() -> String {
        format!("a name is 1 to {NAME_MAX} of a-z, 0-9, - and _, starting with a letter or digit")
    }

    pub fn bad_address(field: &str) -> String {
        in_field(
            field,
            "not an IP address in canonical form (IPv4 with - for . as in b127-0-0-1, \
             IPv6 compressed in lower case as in bfd00:6f77::1)",
        )
    }
}
