//! Tests of placeholder parsing, checking and expansion, and the injection test.
use super::*;
use std::process::Command;

fn value_of(p: &Placeholder) -> Result<String, String> {
    match p {
        Placeholder::Param(name) if name == "port" => Ok("5432".into()),
        Placeholder::Param(name) if name == "db" => Ok("becblanche".into()),
        Placeholder::ParamHost(name, HostField::Mesh) if name == "db" => Ok("fd00:6f77::3".into()),
        Placeholder::Target(None) => Ok("hedwig".into()),
        Placeholder::File(kind) => Ok(format!("[Interface]\n# {kind}\n")),
        other => Err(format!("no value for {other:?}")),
    }
}

#[test]
fn placeholders_expand_to_single_quoted_words_and_plain_words_stay_readable() {
    let script =
        "pg_isready -h {{db.mesh}} -p {{ port }} # on {{target}}\nprintf '%s' {{file:wireguard}} > /tmp/wg";
    assert_eq!(
        expand(script, value_of).unwrap(),
        "pg_isready -h fd00:6f77::3 -p 5432 # on hedwig\nprintf '%s' '[Interface]\n# wireguard\n' > /tmp/wg"
    );
}

#[test]
fn unknown_placeholders_are_reported_with_their_line() {
    let params = [("db", true), ("port", false)];
    let script = "echo {{db}}\necho {{nope}}\necho {{port.mesh}} {{db.disk}}\necho {{ unclosed";
    assert_eq!(
        check(script, &params),
        vec![
            (
                3,
                "unknown placeholder {{db.disk}}: a host field is mesh, ipv4, ipv6 or ssh".to_owned()
            ),
            (4, "'{{' without a closing '}}'".to_owned()),
        ]
    );
    assert_eq!(
        check("echo {{db}}\necho {{nope}}\necho {{port.mesh}}", &params),
        vec![
            (2, "unknown placeholder {{nope}}: no such parameter".to_owned()),
            (
                3,
                "port is not a host parameter, so it has no host fields".to_owned()
            ),
        ]
    );
    assert!(check("echo {{target.ipv6}} {{file:dkim-key}}", &params).is_empty());
    assert_eq!(
        check("echo {{Bad Name}}", &params),
        vec![(1, "unknown placeholder {{Bad Name}}".to_owned())]
    );
}

/// A tiny script that prints each argument it gets on its own, bracketed, so a value
/// that became two words (or ran a command) shows.
fn argv_of(script: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = dir.path().join("argv");
    std::fs::write(
        &printer,
        "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n",
    )
    .expect("printer");
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .env("ARGV", &printer)
        .current_dir(dir.path())
        .output()
        .expect("run /bin/sh");
    assert!(
        out.status.success(),
        "sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn hostile_values_arrive_as_single_literal_arguments() {
    let hostile = [
        "'; rm -rf / #",
        "$(id)",
        "`id`",
        "a\nb; touch pwned",
        "'",
        "\"$HOME\" *",
        "--flag=x y",
        "",
        "${IFS}x",
        "\\'\\",
    ];
    for value in hostile {
        let script = expand("sh \"$ARGV\" {{v}} end", |_| Ok(value.to_owned())).unwrap();
        assert_eq!(
            argv_of(&script),
            format!("[{value}]\n[end]\n"),
            "script: {script}"
        );
    }
    // Nothing ran: no file was created by the `touch` in the newline value.
    let script = expand("sh \"$ARGV\" {{v}}; ls", |_| Ok("a\nb; touch pwned".into())).unwrap();
    assert!(!argv_of(&script).contains("pwned\n"));
}

#[test]
fn a_nul_byte_is_refused_rather_than_cut_short() {
    assert!(expand("echo {{v}}", |_| Ok("a\0b".into())).is_err());
}
