//! The generated sh decoder and the Rust one agree: each string is run through the real
//! script under every POSIX shell on this machine, with a stand-in command that prints
//! the environment and arguments it was given.
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::strategies::{field_soup, settings};
use super::{parse, script::decoder_script, Kind, Launch};

/// The variables the decoder may set: the rest of the environment is not its doing.
const DECODED: [&str; 6] = [
    "WEB_CONCURRENCY",
    "MIN_THREADS",
    "MAX_THREADS",
    "PORT",
    "BIND",
    "DB_POOL",
];
const MARK: &str = "--- arguments ---";

/// The decoder written to a temporary directory, and the shells to run it with.
struct Decoder {
    _dir: tempfile::TempDir,
    path: PathBuf,
    shells: Vec<Vec<&'static str>>,
}

fn works(shell: &[&str]) -> bool {
    Command::new(shell[0])
        .args(&shell[1..])
        .args(["-c", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Decoder {
    fn new() -> Decoder {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("mastodon-unit-decode");
        std::fs::write(&path, decoder_script()).expect("write the decoder");
        // dash is Debian's /bin/sh; bash in POSIX mode and busybox stand for other hosts.
        let candidates: [&[&'static str]; 4] =
            [&["/bin/sh"], &["dash"], &["bash", "--posix"], &["busybox", "sh"]];
        let shells: Vec<Vec<&str>> = candidates
            .into_iter()
            .filter(|s| works(s))
            .map(<[_]>::to_vec)
            .collect();
        assert!(!shells.is_empty(), "no POSIX shell to test with");
        Decoder {
            _dir: dir,
            path,
            shells,
        }
    }

    fn run(&self, shell: &[&str], args: &[&str]) -> Output {
        Command::new(shell[0])
            .args(&shell[1..])
            .arg(self.path.as_path())
            .args(args)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .output()
            .expect("run the decoder")
    }

    /// Decodes `instance` in every shell and checks the outcome against the Rust decoder.
    fn agrees(&self, kind: Kind, instance: &str) -> Result<(), String> {
        let expected = parse(kind, instance);
        let stand_in = format!("env; echo '{MARK}'; for a; do printf '%s\\n' \"$a\"; done");
        let args = [
            kind.as_str(),
            instance,
            "--",
            "/bin/sh",
            "-c",
            stand_in.as_str(),
            "stand-in",
        ];
        for shell in &self.shells {
            let out = self.run(shell, &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let seen = format!(
                "{shell:?} on {kind} {instance:?}: exit {:?}, stderr {stderr:?}",
                out.status.code()
            );
            match &expected {
                Ok(settings) => {
                    if !out.status.success() {
                        return Err(format!("refused what Rust accepts: {seen}"));
                    }
                    let got = launch_of(&String::from_utf8_lossy(&out.stdout));
                    let mut want = settings.to_flags_and_env();
                    want.env.sort();
                    if got != want {
                        return Err(format!("{seen}: got {got:?}, Rust says {want:?}"));
                    }
                }
                Err(e) => {
                    let reason = format!("mastodon-unit-decode: {e}\n");
                    if out.status.code() != Some(2) || stderr != reason || !out.stdout.is_empty() {
                        return Err(format!("{seen}, Rust refuses it with {reason:?}"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// What the stand-in printed: the decoded variables (sorted) and the arguments.
fn launch_of(stdout: &str) -> Launch {
    let (env, args) = stdout.split_once(&format!("{MARK}\n")).unwrap_or((stdout, ""));
    let mut env: Vec<(String, String)> = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| DECODED.contains(k))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    env.sort();
    Launch {
        flags: args.lines().map(str::to_owned).collect(),
        env,
    }
}

fn decoder() -> &'static Decoder {
    static DECODER: std::sync::OnceLock<Decoder> = std::sync::OnceLock::new();
    DECODER.get_or_init(Decoder::new)
}

#[test]
fn the_sh_decoder_agrees_on_hand_picked_strings() {
    let strings = [
        "default",
        "w2.t5.p3000.b127-0-0-1.nweb",
        "w0.t0-16.bfd00:6f77::1",
        "b::",
        "b::1",
        "b1::",
        "b1::2:0:0:3:4",
        "b1:0:0:2::4",
        "b1:0:0:2:0:0:3:4",
        "b::ffff:102:304",
        "b0:0::1",
        "b00::1",
        "b1:2:3:4:5:6:7::",
        "b1:2:3:4:5:6:7:8",
        "b1:2:3:4:5:6:7:8:9",
        "b:::",
        "b1:::2",
        "b12345::",
        "b255-255-255-255",
        "b256-0-0-1",
        "b1-2-3",
        "b1-2-3-4-",
        "b01-2-3-4",
        "b",
        "c10.qdefault-8.qpush-4.qpull.n1",
        "c5.d5",
        "d5",
        "c5.d6",
        "qa.qb.qa",
        "qa-1.qb",
        "q_a",
        "w2.w3",
        "t5.w2",
        "v1",
        "x",
        "",
        ".",
        "w2.",
        "W2",
        "w2 t5",
        "w$(id)",
        "w`id`",
        "w2;id",
        "é",
        "p065535",
        "p999999",
        "c201",
        "t5-5",
        "t6-5",
        "t-5",
        "n-a",
        "n_a",
        "nA",
        &format!("n{}", "a".repeat(229)),
        &format!("c1.n{}", "a".repeat(227)),
    ];
    for kind in Kind::ALL {
        for s in strings {
            decoder().agrees(kind, s).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn the_command_keeps_its_own_arguments_before_the_flags() {
    let d = decoder();
    let stand_in = "for a; do printf '<%s>' \"$a\"; done";
    let args = [
        "sidekiq", "c3.qpush", "--", "/bin/sh", "-c", stand_in, "x", "a b", "",
    ];
    for shell in &d.shells {
        let out = d.run(shell, &args);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "<a b><><-c><3><-q><push>",
            "{shell:?}"
        );
    }
}

#[test]
fn the_sh_decoder_refuses_to_run_without_a_kind_and_a_command() {
    let d = decoder();
    let cases: [(&[&str], &str); 3] = [
        (
            &["sidekiq", "c3"],
            "mastodon-unit-decode: usage: mastodon-unit-decode puma|sidekiq INSTANCE -- COMMAND [ARG...]\n",
        ),
        (
            &["sidekiq", "c3", "true"],
            "mastodon-unit-decode: usage: mastodon-unit-decode puma|sidekiq INSTANCE -- COMMAND [ARG...]\n",
        ),
        (
            &["streaming", "c3", "--", "true"],
            "mastodon-unit-decode: the kind is puma or sidekiq, not 'streaming'\n",
        ),
    ];
    for shell in &d.shells {
        for (args, reason) in cases {
            let out = d.run(shell, args);
            assert_eq!(out.status.code(), Some(2), "{shell:?} {args:?}");
            assert_eq!(String::from_utf8_lossy(&out.stderr), reason, "{shell:?} {args:?}");
        }
    }
}

#[test]
fn the_decoder_leaves_settings_it_does_not_carry_to_the_environment() {
    let d = decoder();
    let out = Command::new("/bin/sh")
        .arg(Path::new(&d.path))
        .args([
            "sidekiq",
            "qpush",
            "--",
            "/bin/sh",
            "-c",
            "printf '%s' \"$DB_POOL\"",
        ])
        .env("DB_POOL", "12")
        .output()
        .expect("run the decoder");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "12");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn the_sh_decoder_reads_every_valid_string_like_rust(settings in settings()) {
        let instance = settings.encode().expect("generated settings are valid");
        let result = decoder().agrees(settings.kind(), &instance);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    #[test]
    fn the_sh_decoder_refuses_what_rust_refuses_for_the_same_reason((kind, s) in field_soup()) {
        let result = decoder().agrees(kind, &s);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
