//! The Tuning page's forms and the exact commands it sends.
use super::action::{list_command, parse_listing, InstallFile, TuningAction};
use super::*;
use crate::domain::unit_instance::{units, SidekiqSettings};
use std::process::Command as Process;

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

fn sh(script: &str) -> (String, String, Option<i32>) {
    let out = Process::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("run /bin/sh");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8");
    (text(out.stdout), text(out.stderr), out.status.code())
}

#[test]
fn adding_an_instance_starts_it_checks_it_stays_up_and_enables_it() {
    let add = TuningAction::Add {
        systemctl: words("sudo systemctl"),
        unit: "mastodon-sidekiq@c10.qpull.service".into(),
    };
    assert_eq!(
        add.command(),
        "set -e\n\
         sudo systemctl start -- mastodon-sidekiq@c10.qpull.service\n\
         sleep 3\n\
         if ! sudo systemctl is-active -- mastodon-sidekiq@c10.qpull.service; then\n\
         \techo 'mastodon-sidekiq@c10.qpull.service did not stay active; its journal says why' >&2\n\
         \tsudo systemctl stop -- mastodon-sidekiq@c10.qpull.service || true\n\
         \texit 1\n\
         fi\n\
         sudo systemctl enable -- mastodon-sidekiq@c10.qpull.service\n"
    );
    assert_eq!(add.title(), "Add mastodon-sidekiq@c10.qpull.service");
}

#[test]
fn changing_stops_the_old_instance_only_after_the_new_one_is_active() {
    let change = TuningAction::Change {
        systemctl: words("python3 /opt/dsr/systemctl3.py --root=/tmp/x/hedwig"),
        old: "mastodon-sidekiq@c5.service".into(),
        new: "mastodon-sidekiq@c10.service".into(),
    };
    let s = "python3 /opt/dsr/systemctl3.py --root=/tmp/x/hedwig";
    let expected = format!(
        "set -e\n\
         {s} start -- mastodon-sidekiq@c10.service\n\
         sleep 3\n\
         if ! {s} is-active -- mastodon-sidekiq@c10.service; then\n\
         \techo 'mastodon-sidekiq@c10.service did not stay active; mastodon-sidekiq@c5.service keeps running' >&2\n\
         \t{s} stop -- mastodon-sidekiq@c10.service || true\n\
         \texit 1\n\
         fi\n\
         {s} enable -- mastodon-sidekiq@c10.service\n\
         {s} stop -- mastodon-sidekiq@c5.service\n\
         {s} disable -- mastodon-sidekiq@c5.service\n"
    );
    assert_eq!(change.command(), expected);

    // A new instance that dies at once leaves the old one running.
    let stub = "python3() { shift 2; echo \"$*\"; [ \"$1\" != is-active ] || return 3; }\nsleep() { :; }\n";
    let (out, err, code) = sh(&format!("{stub}{}", change.command()));
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "start -- mastodon-sidekiq@c10.service\nis-active -- mastodon-sidekiq@c10.service\n\
         stop -- mastodon-sidekiq@c10.service\n"
    );
    assert!(err.contains("mastodon-sidekiq@c5.service keeps running"), "{err}");
}

#[test]
fn removing_stops_and_disables() {
    let remove = TuningAction::Remove {
        systemctl: words("systemctl"),
        unit: "mastodon-puma@w2.t5.p3000.service".into(),
    };
    assert_eq!(
        remove.command(),
        "set -e\nsystemctl stop -- mastodon-puma@w2.t5.p3000.service\n\
         systemctl disable -- mastodon-puma@w2.t5.p3000.service\n"
    );
}

#[test]
fn installing_writes_each_file_once_and_says_whether_it_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_str().expect("utf-8 path");
    let layout = units::Layout {
        unit_dir: format!("{root}/etc/systemd/system"),
        decoder: format!("{root}/lib/it's here/decode"),
        ..units::Layout::mastodon()
    };
    let install = TuningAction::Install {
        systemctl: words("true"),
        files: units::files(&layout).into_iter().map(InstallFile::from).collect(),
    };
    let (out, err, code) = sh(&install.command());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        format!(
            "installed {root}/lib/it's here/decode\n\
             installed {root}/etc/systemd/system/mastodon-puma@.service\n\
             installed {root}/etc/systemd/system/mastodon-sidekiq@.service\n"
        )
    );
    for f in units::files(&layout) {
        assert_eq!(std::fs::read_to_string(&f.path).expect("written"), f.content);
    }
    let (again, _, code) = sh(&install.command());
    assert_eq!(code, Some(0));
    assert!(again.lines().all(|l| l.starts_with("unchanged ")), "{again}");
}

#[test]
fn the_listing_reads_loaded_and_enabled_instances_with_their_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wants = dir.path().join("multi-user.target.wants");
    std::fs::create_dir_all(&wants).expect("mkdir");
    std::fs::write(wants.join("mastodon-sidekiq@c10.service"), "").expect("write");
    std::fs::write(wants.join("nginx.service"), "").expect("write");
    // As systemctl.py answers: the template and the pattern itself come back as units.
    let stub = "systemctl() { case $1 in\n\
        --version) ;;\n\
        list-units) printf 'mastodon-sidekiq@*.service\\tloaded inactive dead\\nmastodon-sidekiq@.service\\tloaded\\nmastodon-puma@W2.service loaded failed failed\\n' ;;\n\
        is-active) [ \"$3\" = mastodon-sidekiq@c10.service ] && echo active || echo failed ;;\n\
        esac; }\n";
    let unit_dir = dir.path().to_str().expect("utf-8 path");
    let (out, err, code) = sh(&format!("{stub}{}", list_command(&words("systemctl"), unit_dir)));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "mastodon-puma@W2.service failed\nmastodon-sidekiq@c10.service active\n"
    );
    let live = parse_listing(&out);
    assert_eq!(live.len(), 2);
    assert_eq!(live[0].kind, Kind::Puma);
    assert_eq!(
        live[0].settings,
        Err("only a-z, 0-9 and the characters - _ : . may appear in an instance string".into())
    );
    assert_eq!(live[1].instance, "c10");
    assert_eq!(live[1].state, "active");
    let c10 = SidekiqSettings {
        concurrency: Some(10),
        ..SidekiqSettings::default()
    };
    assert_eq!(live[1].settings, Ok(Settings::Sidekiq(c10)));
}

#[test]
fn the_instance_form_encodes_what_the_decoder_accepts() {
    let form = InstanceInput {
        concurrency: "10".into(),
        queues: "default-8 push-4 pull".into(),
        db_pool: "10".into(),
        name: "burst".into(),
        ..InstanceInput::blank()
    };
    let settings = form.parse().expect("valid");
    assert_eq!(
        settings.encode().as_deref(),
        Ok("c10.qdefault-8.qpush-4.qpull.nburst")
    );
    let back = InstanceInput::for_change("mastodon-sidekiq@x.service", &settings);
    assert_eq!(back.queues, "default-8 push-4 pull");
    assert_eq!(back.parse(), Ok(settings));

    let puma = InstanceInput {
        kind: "puma".into(),
        workers: "2".into(),
        threads: "2-5".into(),
        port: "3000".into(),
        bind: "127.0.0.1".into(),
        ..InstanceInput::default()
    };
    assert_eq!(
        puma.parse().expect("valid").encode().as_deref(),
        Ok("w2.t2-5.p3000.b127-0-0-1")
    );
}

#[test]
fn bad_instance_fields_are_reported_under_their_names() {
    let form = InstanceInput {
        concurrency: "500".into(),
        queues: "default push default".into(),
        name: "-x".into(),
        ..InstanceInput::blank()
    };
    let e = form.parse().expect_err("invalid");
    assert_eq!(
        e.get("concurrency"),
        Some("a whole number from 1 to 200, or empty for Mastodon's default")
    );
    assert_eq!(e.get("queues"), Some("queue default appears twice"));
    assert!(e.get("name").is_some());
    let puma = InstanceInput {
        kind: "puma".into(),
        threads: "5-2".into(),
        bind: "localhost".into(),
        ..InstanceInput::default()
    };
    let e = puma.parse().expect_err("invalid");
    assert_eq!(e.get("threads"), Some("the minimum is above the maximum"));
    assert!(e.get("bind").is_some());
    assert!(InstanceInput::default()
        .parse()
        .expect_err("no kind")
        .get("kind")
        .is_some());
}

#[test]
fn host_settings_parse_into_a_layout_and_refuse_what_a_unit_file_misreads() {
    let mut input = TuningSettingsInput::from_settings(&TuningSettings::default(), 0);
    assert_eq!(input.parse(), Ok(TuningSettings::default()));
    input.systemctl = "python3 /opt/systemctl3.py --root=/tmp/x".into();
    input.unit_dir = "/tmp/x/etc/systemd/system/".into();
    let parsed = input.parse().expect("valid");
    assert_eq!(
        parsed.systemctl,
        words("python3 /opt/systemctl3.py --root=/tmp/x")
    );
    assert_eq!(parsed.layout.unit_dir, "/tmp/x/etc/systemd/system");

    let bad = TuningSettingsInput {
        systemctl: "--now".into(),
        unit_dir: "etc/systemd".into(),
        decoder: "/usr/lib/../x".into(),
        user: "Root".into(),
        working_dir: "/home/%i".into(),
        puma_command: "bundle exec puma".into(),
        sidekiq_command: "/bin/sidekiq\nExecStartPre=/bin/rm".into(),
        version: String::new(),
    };
    let e = bad.parse().expect_err("invalid");
    for field in [
        "systemctl",
        "unit_dir",
        "decoder",
        "user",
        "working_dir",
        "puma_command",
        "sidekiq_command",
    ] {
        assert!(e.get(field).is_some(), "{field} accepted");
    }
}

#[test]
fn a_budget_reads_before_after_and_limit() {
    let b = Budget {
        before: 25,
        after: 175,
        limit: 97,
    };
    assert_eq!(b.text(""), "25 → 175 / 97");
    assert!(b.exceeded());
}
