//! The SSH layer against the real OpenSSH hosts of the testbed (`make testbed`).
use app::server::ssh::{
    keys, offered_host_key, CancellationToken, Finish, Output, Remote, RunError, RusshRemote, Target,
};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{timeout, Instant};

/// How long a test waits for something that should happen at once.
const PATIENCE: Duration = Duration::from_secs(10);

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set; start the testbed: make testbed \
             (or `testbed.sh up` and eval \"$(testbed.sh env)\")"
        )
    })
}

/// A testbed host as a `Target`, its host key pinned from the testbed's known_hosts.
fn host(name: &str) -> Target {
    let hosts = env("TESTBED_HOSTS");
    let (addr, port) = hosts
        .split(',')
        .find_map(|entry| entry.strip_prefix(name)?.strip_prefix('='))
        .and_then(|addr| addr.rsplit_once(':'))
        .unwrap_or_else(|| panic!("{name} is not in TESTBED_HOSTS={hosts}"));
    let port: u16 = port.parse().unwrap();
    let known = std::fs::read_to_string(env("TESTBED_KNOWN_HOSTS")).unwrap();
    let pinned = keys::known_hosts(&known)
        .into_iter()
        .find(|entry| {
            entry
                .patterns
                .iter()
                .any(|p| keys::pattern_matches(p, addr, port))
        })
        .map(|entry| entry.public_line);
    assert!(pinned.is_some(), "no known_hosts entry for {name}");
    Target {
        host: name.into(),
        addr: addr.into(),
        port,
        user: env("TESTBED_USER"),
        pinned_key: pinned,
        private_key: std::fs::read_to_string(env("TESTBED_KEY")).unwrap().into(),
    }
}

/// What one finished run produced.
struct Ran {
    result: Result<Finish, RunError>,
    stdout: String,
    stderr: String,
}

async fn run(remote: &RusshRemote, target: Target, command: &str) -> Ran {
    let (tx, mut rx) = mpsc::channel(64);
    let run = remote.run(target, command.into(), tx, CancellationToken::new());
    let collect = async {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        while let Some(output) = rx.recv().await {
            match output {
                Output::Stdout(b) => stdout.extend_from_slice(&b),
                Output::Stderr(b) => stderr.extend_from_slice(&b),
            }
        }
        (stdout, stderr)
    };
    let (result, (stdout, stderr)) = timeout(PATIENCE, async { tokio::join!(run, collect) })
        .await
        .expect("the command did not finish in time");
    Ran {
        result,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

#[tokio::test]
async fn command_stdout_stderr_and_exit_code_arrive() {
    let remote = RusshRemote::new();
    let ran = run(&remote, host("hermes"), "sh -c 'echo out; echo err >&2; exit 3'").await;
    assert_eq!(ran.result, Ok(Finish::Exited(3)));
    assert_eq!(ran.stdout, "out\n");
    assert_eq!(ran.stderr, "err\n");
}

#[tokio::test]
async fn a_killed_command_reports_its_signal() {
    let remote = RusshRemote::new();
    let ran = run(&remote, host("hedwig"), "sh -c 'kill -KILL $$'").await;
    assert_eq!(ran.result, Ok(Finish::Signalled("KILL".into())));
}

#[tokio::test]
async fn large_output_arrives_complete_and_in_order() {
    let remote = RusshRemote::new();
    let started = Instant::now();
    let ran = run(&remote, host("becblanche"), "seq 1 1000000").await;
    let elapsed = started.elapsed();
    assert_eq!(ran.result, Ok(Finish::Exited(0)));
    let expected: String = (1..=1_000_000).map(|n| format!("{n}\n")).collect();
    assert!(ran.stdout == expected, "the output differs from `seq 1 1000000`");
    println!("seq 1 1000000 streamed in {elapsed:?}");
}

#[tokio::test]
async fn output_arrives_while_the_command_still_runs() {
    let remote = RusshRemote::new();
    let (tx, mut rx) = mpsc::channel(16);
    let cancel = CancellationToken::new();
    let running = tokio::spawn({
        let (remote, cancel) = (remote.clone(), cancel.clone());
        async move {
            let command = "echo first; sleep 30; echo second".to_string();
            remote.run(host("hermes"), command, tx, cancel).await
        }
    });

    let first = timeout(PATIENCE, rx.recv()).await.expect("no output in time");
    assert_eq!(first, Some(Output::Stdout("first\n".into())));
    assert!(!running.is_finished());

    cancel.cancel();
    assert_eq!(running.await.unwrap(), Err(RunError::Cancelled));
}

#[tokio::test]
async fn cancel_ends_the_remote_process() {
    let remote = RusshRemote::new();
    // `exec` makes the shell's own pid the sleep's, which the command prints first.
    let (tx, mut rx) = mpsc::channel(16);
    let cancel = CancellationToken::new();
    let running = tokio::spawn({
        let (remote, cancel) = (remote.clone(), cancel.clone());
        async move {
            remote
                .run(host("hedwig"), "echo $$; exec sleep 300".into(), tx, cancel)
                .await
        }
    });
    let started = timeout(PATIENCE, rx.recv()).await.expect("not started in time");
    let Some(Output::Stdout(pid)) = started else {
        panic!("expected the pid, got {started:?}");
    };
    let pid: u32 = String::from_utf8_lossy(&pid).trim().parse().expect("a pid");

    cancel.cancel();
    assert_eq!(running.await.unwrap(), Err(RunError::Cancelled));

    let probe = format!("test -e /proc/{pid}");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let ran = run(&remote, host("hedwig"), &probe).await;
        if ran.result == Ok(Finish::Exited(1)) {
            break;
        }
        assert_eq!(ran.result, Ok(Finish::Exited(0)), "probe failed: {}", ran.stderr);
        assert!(
            Instant::now() < deadline,
            "the sleep (pid {pid}) still runs after cancel"
        );
    }
    // The cancelled command's connection was clean enough to serve the probes.
    assert_eq!(remote.connections_opened(), 1);
}

#[tokio::test]
async fn the_output_receiver_may_go_away() {
    let remote = RusshRemote::new();
    let (tx, rx) = mpsc::channel(1);
    drop(rx);
    let command = "seq 1 100000; exit 4".to_string();
    let result = timeout(
        PATIENCE,
        remote.run(host("hermes"), command, tx, CancellationToken::new()),
    )
    .await
    .expect("the command did not finish in time");
    assert_eq!(result, Ok(Finish::Exited(4)));
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let target = Target {
        port,
        ..host("hermes")
    };
    let ran = run(&RusshRemote::new(), target, "true").await;
    assert!(
        matches!(ran.result, Err(RunError::Unreachable(_))),
        "{:?}",
        ran.result
    );
}

#[tokio::test]
async fn an_unknown_identity_is_refused() {
    let stranger = keys::generate_ed25519("stranger").unwrap();
    let target = Target {
        private_key: stranger.private_openssh,
        ..host("hermes")
    };
    let ran = run(&RusshRemote::new(), target, "true").await;
    assert_eq!(ran.result, Err(RunError::AuthFailed));
}

#[tokio::test]
async fn a_host_without_a_pinned_key_is_refused_with_its_offer() {
    let pinned = host("hedwig").pinned_key.unwrap();
    let target = Target {
        pinned_key: None,
        ..host("hedwig")
    };
    let ran = run(&RusshRemote::new(), target, "true").await;
    let Err(RunError::HostKeyUnknown { offered, fingerprint }) = ran.result else {
        panic!("expected HostKeyUnknown, got {:?}", ran.result);
    };
    assert_eq!(offered, pinned);
    assert_eq!(fingerprint, keys::fingerprint(&pinned).unwrap());
}

#[tokio::test]
async fn a_changed_host_key_is_refused_and_nothing_runs() {
    let remote = RusshRemote::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("touched");
    let file = file.display();
    let impostor = keys::generate_ed25519("impostor").unwrap().public_line;
    let target = Target {
        pinned_key: Some(impostor),
        ..host("becblanche")
    };
    let ran = run(&remote, target, &format!("touch {file}")).await;
    let Err(RunError::HostKeyChanged { offered, .. }) = ran.result else {
        panic!("expected HostKeyChanged, got {:?}", ran.result);
    };
    assert_eq!(Some(offered), host("becblanche").pinned_key);

    let check = run(&remote, host("becblanche"), &format!("test -e {file}")).await;
    assert_eq!(
        check.result,
        Ok(Finish::Exited(1)),
        "the command ran despite the changed key"
    );
}

#[tokio::test]
async fn a_second_run_reuses_the_connection() {
    let remote = RusshRemote::new();
    for _ in 0..3 {
        assert_eq!(
            run(&remote, host("hermes"), "true").await.result,
            Ok(Finish::Exited(0))
        );
    }
    assert_eq!(remote.connections_opened(), 1);
    assert_eq!(remote.idle_connections(), 1);

    // Another host or identity is another connection.
    assert_eq!(
        run(&remote, host("hedwig"), "true").await.result,
        Ok(Finish::Exited(0))
    );
    assert_eq!(remote.connections_opened(), 2);
}

#[tokio::test]
async fn the_offered_host_key_is_the_known_one_with_ssh_keygens_fingerprint() {
    let target = host("hermes");
    let offered = offered_host_key(&target.addr, target.port).await.unwrap();
    assert_eq!(Some(offered.clone()), target.pinned_key);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hermes.pub");
    std::fs::write(&file, format!("{offered}\n")).unwrap();
    let keygen = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        keygen.status.success(),
        "ssh-keygen: {}",
        String::from_utf8_lossy(&keygen.stderr)
    );
    // `256 SHA256:… no comment (ED25519)`
    let printed = String::from_utf8(keygen.stdout).unwrap();
    let expected = printed.split_whitespace().nth(1).unwrap();
    assert_eq!(keys::fingerprint(&offered).unwrap(), expected);
}

#[tokio::test]
async fn offered_host_key_of_a_closed_port_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let result = offered_host_key("127.0.0.1", port).await;
    assert!(matches!(result, Err(RunError::Unreachable(_))), "{result:?}");
}
