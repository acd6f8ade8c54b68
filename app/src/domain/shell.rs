//! Quoting for POSIX shells: how a value reaches a remote `sh` as one literal argument.

/// Quotes `arg` so that a POSIX shell reads it back as exactly one word with exactly
/// these characters: no expansion, no splitting, no globbing, no command substitution.
///
/// Plain words (letters, digits and `_ . / : = @ % + , -`) stay as they are so a
/// command stays readable; anything else, the empty string included, is put in single
/// quotes, inside which a shell interprets nothing. A single quote itself cannot appear
/// inside single quotes, so it closes the quote, is written escaped as `\'`, and the
/// quote reopens. A NUL byte cannot travel in any shell argument (argv strings end at
/// NUL), so callers must refuse it before it gets here.
pub fn quote(arg: &str) -> String {
    if !arg.is_empty() && arg.bytes().all(is_plain) {
        return arg.to_owned();
    }
    let mut quoted = String::with_capacity(arg.len() + 2);
    quoted.push('\'');
    for c in arg.chars() {
        if c == '\'' {
            quoted.push_str(r"'\''");
        } else {
            quoted.push(c);
        }
    }
    quoted.push('\'');
    quoted
}

/// Bytes no POSIX shell treats specially in the middle of a word. `~` (tilde expansion),
/// `{` `}` (brace expansion in bash) and `!` (history in interactive bash) are left out.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'.' | b'/' | b':' | b'=' | b'@' | b'%' | b'+' | b',' | b'-'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::process::Command;

    /// What `/bin/sh` prints for `printf %s <quoted>`: the argument as the shell saw it.
    fn through_sh(quoted: &str) -> Vec<u8> {
        let out = Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("printf %s {quoted}"))
            .output()
            .expect("run /bin/sh");
        assert!(
            out.status.success(),
            "sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// How many arguments `/bin/sh` sees in `set -- <quoted>`.
    fn word_count(quoted: &str) -> String {
        let out = Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("set -- {quoted}; printf %s $#"))
            .output()
            .expect("run /bin/sh");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn plain_words_stay_readable() {
        for word in [
            "puma@2.service",
            "mastodon-web@2,5.service",
            "/var/log",
            "-n",
            "a=b",
            "50%",
            "x+y",
        ] {
            assert_eq!(quote(word), word);
        }
    }

    #[test]
    fn the_empty_string_becomes_an_empty_quoted_word() {
        assert_eq!(quote(""), "''");
        assert_eq!(word_count(&quote("")), "1");
    }

    #[test]
    fn shell_syntax_is_single_quoted() {
        assert_eq!(quote("; rm -rf /"), "'; rm -rf /'");
        assert_eq!(quote("$(id)"), "'$(id)'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("~root"), "'~root'");
        assert_eq!(quote("*"), "'*'");
    }

    #[test]
    fn a_single_quote_is_closed_escaped_and_reopened() {
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("'"), r"''\'''");
    }

    #[test]
    fn hostile_arguments_come_back_unchanged_as_one_word() {
        let cases = [
            "; rm -rf /",
            "$(touch /tmp/owlery-pwned)",
            "`touch /tmp/owlery-pwned`",
            "'; touch /tmp/owlery-pwned; '",
            "\"$HOME\" 'x'",
            "line one\nline two\n",
            "tab\there",
            "\\",
            "*?[a]",
            "$IFS${PATH}",
            "ünïcødé — 日本語 🦉",
            "-n",
            "",
            "a'b\"c`d$e\\f",
        ];
        for case in cases {
            let quoted = quote(case);
            assert_eq!(
                through_sh(&quoted),
                case.as_bytes(),
                "{case:?} quoted as {quoted}"
            );
            assert_eq!(word_count(&quoted), "1", "{case:?} quoted as {quoted}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any string without NUL survives a real shell byte for byte.
        #[test]
        fn any_string_survives_a_real_shell(arg in "[^\\x00]{0,40}") {
            let quoted = quote(&arg);
            prop_assert_eq!(through_sh(&quoted), arg.as_bytes().to_vec());
        }

        /// Strings made of the characters shells care about most.
        #[test]
        fn shell_metacharacters_survive_a_real_shell(arg in "[ \n\t'\"`$\\\\;&|<>(){}*?~!#=%a-]{0,24}") {
            let quoted = quote(&arg);
            prop_assert_eq!(through_sh(&quoted), arg.as_bytes().to_vec());
        }
    }
}
