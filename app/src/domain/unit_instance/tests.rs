//! The Rust decoder and encoder: hand-checked strings, refusals with their reasons, and
//! the round trip over generated settings.
use proptest::prelude::*;
use std::net::IpAddr;

use super::parse::canonical_ipv6;
use super::strategies::{field_soup, settings};
use super::*;

fn sidekiq(s: &str) -> SidekiqSettings {
    SidekiqSettings::parse(s).expect("a valid sidekiq string")
}

fn puma(s: &str) -> PumaSettings {
    PumaSettings::parse(s).expect("a valid puma string")
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_owned).collect()
}

fn refusal(kind: Kind, s: &str) -> String {
    match parse(kind, s) {
        Ok(settings) => panic!("{s:?} was accepted as {settings:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn default_means_no_settings_and_is_how_no_settings_are_written() {
    assert_eq!(puma("default"), PumaSettings::default());
    assert_eq!(sidekiq("default"), SidekiqSettings::default());
    assert_eq!(PumaSettings::default().encode().as_deref(), Ok("default"));
    assert_eq!(SidekiqSettings::default().encode().as_deref(), Ok("default"));
    assert_eq!(PumaSettings::default().to_flags_and_env(), Launch::default());
}

#[test]
fn a_sidekiq_string_becomes_flags_in_order_and_a_pool_as_large_as_the_concurrency() {
    let s = sidekiq("c10.qdefault-8.qpush-4.qpull.n1");
    assert_eq!(s.concurrency, Some(10));
    assert_eq!(s.queues.len(), 3);
    assert_eq!(s.queues[2].name.as_str(), "pull");
    assert_eq!(s.queues[2].weight, None);
    let launch = s.to_flags_and_env();
    assert_eq!(launch.flags, words("-c 10 -q default,8 -q push,4 -q pull -g 1"));
    assert_eq!(launch.env, env(&[("DB_POOL", "10")]));
    assert_eq!(s.encode().as_deref(), Ok("c10.qdefault-8.qpush-4.qpull.n1"));
}

#[test]
fn an_explicit_db_pool_wins_over_the_concurrency() {
    let launch = sidekiq("c25.qingress.d30").to_flags_and_env();
    assert_eq!(launch.flags, words("-c 25 -q ingress"));
    assert_eq!(launch.env, env(&[("DB_POOL", "30")]));
    assert_eq!(sidekiq("d8").to_flags_and_env().env, env(&[("DB_POOL", "8")]));
}

#[test]
fn a_puma_string_becomes_the_environment_mastodon_reads() {
    let launch = puma("w2.t2-5.p3000.bfd00:6f77::1.nweb-1").to_flags_and_env();
    assert_eq!(
        launch.env,
        env(&[
            ("WEB_CONCURRENCY", "2"),
            ("MIN_THREADS", "2"),
            ("MAX_THREADS", "5"),
            ("PORT", "3000"),
            ("BIND", "[fd00:6f77::1]"),
        ])
    );
    assert_eq!(launch.flags, words("--tag web-1"));
    let single = puma("w0.t5.b127-0-0-1").to_flags_and_env();
    assert_eq!(
        single.env,
        env(&[
            ("WEB_CONCURRENCY", "0"),
            ("MIN_THREADS", "5"),
            ("MAX_THREADS", "5"),
            ("BIND", "127.0.0.1")
        ])
    );
}

#[test]
fn unit_names_from_systemctl_are_read_when_they_are_mastodon_instances() {
    let (kind, settings) = parse_unit("mastodon-sidekiq@c10.qpush.service").expect("a sidekiq unit");
    assert_eq!(kind, Kind::Sidekiq);
    assert_eq!(
        settings.map(|s| s.to_flags_and_env().flags),
        Ok(words("-c 10 -q push"))
    );
    assert!(matches!(
        parse_unit("mastodon-puma@default.service"),
        Some((Kind::Puma, Ok(_)))
    ));
    assert_eq!(parse_unit("nginx.service"), None);
    assert_eq!(parse_unit("mastodon-streaming.service"), None);
    assert_eq!(
        parse_unit("mastodon-puma@W2.service").map(|(_, r)| r),
        Some(Err(InstanceError::BadCharacter))
    );
    assert_eq!(Kind::Puma.unit_name("w2"), "mastodon-puma@w2.service");
}

#[test]
fn every_invalid_string_is_refused_with_its_reason() {
    use Kind::{Puma as P, Sidekiq as S};
    let cases: &[(Kind, &str, &str)] = &[
        (P, "", "the instance string is empty"),
        (P, "W2", "only a-z, 0-9 and the characters - _ : . may appear in an instance string"),
        (S, "c10,qpush", "only a-z, 0-9 and the characters - _ : . may appear in an instance string"),
        (S, "qa\\x2eb", "only a-z, 0-9 and the characters - _ : . may appear in an instance string"),
        (S, &format!("c1.n{}", "a".repeat(227)), "the instance string is longer than 230 characters, too long for a unit name"),
        (P, "w2..t5", "an empty field: two dots in a row, or a dot at the start or the end"),
        (P, "w2.", "an empty field: two dots in a row, or a dot at the start or the end"),
        (P, "v2.w2", "field 'v2': this decoder reads format version 1, which has no version field"),
        (P, "c10", "field 'c10': unknown key 'c' for puma (the keys are w t p b n)"),
        (S, "w2", "field 'w2': unknown key 'w' for sidekiq (the keys are c q d n)"),
        (P, "w2.w3", "field 'w3': key 'w' appears twice"),
        (P, "w2.t5.w3", "field 'w3': key 'w' appears twice"),
        (P, "t5.w2", "field 'w2': key 'w' must come before key 't'"),
        (S, "qpush.c10", "field 'c10': key 'c' must come before key 'q'"),
        (P, "wx", "field 'wx': 'x' is not a number"),
        (P, "w", "field 'w': '' is not a number"),
        (P, "w07", "field 'w07': write 07 without leading zeros"),
        (P, "w65", "field 'w65': 65 is out of range (0 to 64)"),
        (P, "p0", "field 'p0': 0 is out of range (1 to 65535)"),
        (P, "p65536", "field 'p65536': 65536 is out of range (1 to 65535)"),
        (P, "p9999999999", "field 'p9999999999': 9999999999 is out of range (1 to 65535)"),
        (P, "t0", "field 't0': 0 is out of range (1 to 64)"),
        (P, "t5-2", "field 't5-2': the minimum number of threads is above the maximum"),
        (P, "t5-5", "field 't5-5': write the number of threads once when the minimum equals the maximum"),
        (P, "t2-", "field 't2-': '' is not a number"),
        (S, "c0", "field 'c0': 0 is out of range (1 to 200)"),
        (S, "qPush", "only a-z, 0-9 and the characters - _ : . may appear in an instance string"),
        (S, "q9", "field 'q9': a queue name is a letter a-z, then up to 31 of a-z, 0-9 and _"),
        (S, "q", "field 'q': a queue name is a letter a-z, then up to 31 of a-z, 0-9 and _"),
        (S, "qpush.qpull.qpush-2", "field 'qpush-2': queue 'push' appears twice"),
        (S, "qpush-0", "field 'qpush-0': 0 is out of range (1 to 100)"),
        (S, "qpush-", "field 'qpush-': '' is not a number"),
        (S, "c10.d10", "field 'd10': DB_POOL already defaults to the concurrency, leave this field out"),
        (S, "n", "field 'n': a name is 1 to 32 of a-z, 0-9, - and _, starting with a letter or digit"),
        (S, "n-a", "field 'n-a': a name is 1 to 32 of a-z, 0-9, - and _, starting with a letter or digit"),
        (P, "b127.0.0.1", "field 'b127': not an IP address in canonical form (IPv4 with - for . as in b127-0-0-1, IPv6 compressed in lower case as in bfd00:6f77::1)"),
        (P, "b10-0-0-01", "field 'b10-0-0-01': not an IP address in canonical form (IPv4 with - for . as in b127-0-0-1, IPv6 compressed in lower case as in bfd00:6f77::1)"),
        (P, "b0:0::1", "field 'b0:0::1': not an IP address in canonical form (IPv4 with - for . as in b127-0-0-1, IPv6 compressed in lower case as in bfd00:6f77::1)"),
        (P, "b1:0:0:0:0:0:0:1", "field 'b1:0:0:0:0:0:0:1': not an IP address in canonical form (IPv4 with - for . as in b127-0-0-1, IPv6 compressed in lower case as in bfd00:6f77::1)"),
    ];
    for (kind, s, reason) in cases {
        assert_eq!(refusal(*kind, s), *reason, "{kind} {s:?}");
    }
}

#[test]
fn encode_refuses_settings_the_decoder_would_refuse() {
    let too_many = PumaSettings {
        workers: Some(65),
        ..Default::default()
    };
    assert_eq!(
        too_many.encode().map_err(|e| e.to_string()),
        Err("field 'w65': 65 is out of range (0 to 64)".into())
    );
    let repeated = SidekiqSettings {
        concurrency: Some(5),
        db_pool: Some(5),
        ..Default::default()
    };
    assert!(matches!(
        repeated.encode(),
        Err(InstanceError::PoolRepeatsConcurrency { .. })
    ));
}

#[test]
fn queue_names_and_names_are_checked_where_they_are_made() {
    assert!(QueueName::parse("scheduler").is_ok());
    assert!(QueueName::parse("push.c5").is_err());
    assert!(Tag::parse("burst-2").is_ok());
    assert!(Tag::parse("").is_err());
    assert!(serde_json::from_str::<Tag>("\"x.y\"").is_err());
}

#[test]
fn ipv6_is_written_the_rfc_5952_way() {
    let cases = [
        ([0u16, 0, 0, 0, 0, 0, 0, 0], "::"),
        ([0, 0, 0, 0, 0, 0, 0, 1], "::1"),
        ([1, 0, 0, 0, 0, 0, 0, 0], "1::"),
        ([0xfd00, 0x6f77, 0, 0, 0, 0, 0, 1], "fd00:6f77::1"),
        ([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], "2001:db8:0:1:1:1:1:1"),
        ([1, 0, 0, 2, 0, 0, 3, 4], "1::2:0:0:3:4"),
        ([1, 0, 0, 2, 0, 0, 0, 4], "1:0:0:2::4"),
        ([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304], "::ffff:102:304"),
    ];
    for (groups, text) in cases {
        assert_eq!(canonical_ipv6(&groups), text);
    }
}

#[test]
fn the_unit_templates_run_the_decoder_with_the_instance_string() {
    let files = units::files(&units::Layout::mastodon());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/usr/local/lib/owlery/mastodon-unit-decode",
            "/etc/systemd/system/mastodon-puma@.service",
            "/etc/systemd/system/mastodon-sidekiq@.service",
        ]
    );
    assert_eq!(files[0].mode, 0o755);
    assert_eq!(files[2].mode, 0o644);
    assert_eq!(
        files[2].content,
        "# /etc/systemd/system/mastodon-sidekiq@.service, generated by Owlery: do not edit here.\n\
         # The instance string carries the settings (Owlery's docs/UNITS.md), e.g.\n\
         #   systemctl start mastodon-sidekiq@c10.qdefault-8.qpush-4.qpull.service\n\
         # /usr/local/lib/owlery/mastodon-unit-decode checks it and starts Sidekiq with its flags and environment.\n\
         [Unit]\n\
         Description=Mastodon Sidekiq (%i)\n\
         After=network.target\n\
         \n\
         [Service]\n\
         Type=simple\n\
         User=mastodon\n\
         WorkingDirectory=/home/mastodon/live\n\
         Environment=\"RAILS_ENV=production\"\n\
         Environment=\"MALLOC_ARENA_MAX=2\"\n\
         ExecStart=/usr/local/lib/owlery/mastodon-unit-decode sidekiq %i -- /home/mastodon/.rbenv/shims/bundle exec sidekiq\n\
         TimeoutSec=15\n\
         Restart=always\n\
         RestartPreventExitStatus=2\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n"
    );
    assert!(files[1].content.contains(
        "ExecStart=/usr/local/lib/owlery/mastodon-unit-decode puma %i -- \
         /home/mastodon/.rbenv/shims/bundle exec puma -C config/puma.rb\n\
         ExecReload=/bin/kill -SIGUSR1 $MAINPID\n"
    ));
}

#[test]
fn the_decoder_script_has_every_value_filled_in() {
    let script = script::decoder_script();
    assert!(script.starts_with("#!/bin/sh\n"));
    let markers = script
        .split('@')
        .skip(1)
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
    let markers: Vec<&str> = markers.map(|m| &m[..m.len().min(20)]).collect();
    assert!(markers.is_empty(), "markers left in the script: {markers:?}");
    assert!(!script.lines().any(|l| l.trim_start().starts_with("eval")));
    assert!(script.contains("\tpumaw)\n\t\t\tnum \"$v\" 0 64\n"));
    assert!(script.contains("keys='c q d n'"));
}

#[test]
fn the_reasons_in_docs_units_md_are_the_ones_given() {
    let doc = include_str!("../../../../docs/UNITS.md");
    let section = doc
        .split("### Reasons")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or("");
    let mut checked = 0;
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let instance = cells[0].split('`').nth(1).unwrap_or_default();
        let reasons: Vec<String> = Kind::ALL
            .into_iter()
            .filter_map(|k| parse(k, instance).err())
            .map(|e| e.to_string())
            .collect();
        assert!(
            reasons.iter().any(|r| r == cells[1]),
            "{instance}: documented {:?}, given {reasons:?}",
            cells[1]
        );
        checked += 1;
    }
    assert_eq!(checked, 16);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever is valid encodes to one string, which decodes back to the same settings.
    #[test]
    fn settings_survive_encoding_and_decoding(settings in settings()) {
        let instance = settings.encode().expect("generated settings are valid");
        prop_assert!(instance.len() <= MAX_LEN);
        prop_assert_eq!(parse(settings.kind(), &instance), Ok(settings.clone()));
    }

    /// Canonical: any string the decoder accepts is exactly how its settings are written.
    #[test]
    fn every_accepted_string_is_the_one_spelling_of_its_settings((kind, s) in field_soup()) {
        if let Ok(settings) = parse(kind, &s) {
            prop_assert_eq!(settings.encode(), Ok(s));
        }
    }

    /// Outside the IPv4-mapped range, the text is the one Rust's own formatter gives.
    #[test]
    fn ipv6_text_matches_the_standard_formatter(groups in prop::array::uniform8(prop_oneof![Just(0u16), any::<u16>()])) {
        let addr = std::net::Ipv6Addr::from(groups);
        prop_assume!(addr.to_ipv4_mapped().is_none());
        prop_assert_eq!(canonical_ipv6(&groups), IpAddr::V6(addr).to_string());
    }
}
