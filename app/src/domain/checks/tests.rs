//! Each rule against the reference cluster (which passes) and one thing broken (which
//! fails with that rule's finding).
use super::fixtures::*;
use super::*;

fn only(input: &Input) -> Vec<(String, Severity)> {
    problems(input)
        .iter()
        .map(|f| (f.rule.to_string(), f.severity))
        .collect()
}

fn one(rule: &str, severity: Severity) -> Vec<(String, Severity)> {
    vec![(rule.to_owned(), severity)]
}

#[test]
fn the_reference_cluster_with_its_env_passes_clean() {
    let input = with_env(reference(), CLEAN_ENV);
    assert_eq!(only(&input), vec![]);
    let all = run(&input);
    assert_eq!(rules(&all), vec![("db-connection-budget", Severity::Info)]);
    assert_eq!(
        all[0].message,
        "Mastodon may open 25 database connections (puma 2×5 + streaming 10 + sidekiq 5) of the 97 \
         postgresql accepts (max_connections 100, 3 kept for superusers)."
    );
}

#[test]
fn the_reference_cluster_without_an_env_passes_clean() {
    assert_eq!(only(&reference()), vec![]);
}

#[test]
fn the_articles_first_misconfiguration_is_caught() {
    let env = env_with("S3_HOSTNAME", None) + "\nS3_ALIAS_HOST=media.social.example\n";
    let findings = problems(&with_env(reference(), &env));
    assert_eq!(
        rules(&findings),
        vec![("s3-alias-host-path-style", Severity::Error)]
    );
    let f = &findings[0];
    assert_eq!(
        f.message,
        "Bucket mastodon-media is path-style, but the env sets S3_ALIAS_HOST=media.social.example."
    );
    assert_eq!(
        f.fix,
        "Replace S3_ALIAS_HOST with S3_HOSTNAME=media.social.example in .env.production and restart \
         Puma, Sidekiq and streaming."
    );
    assert_eq!(f.objects[0], (ObjectKind::Bucket, "mastodon-media".to_owned()));
}

#[test]
fn a_virtual_host_bucket_without_alias_host_is_an_error() {
    let mut input = with_env(reference(), CLEAN_ENV);
    input.buckets[0].addressing = "virtual-host".into();
    assert_eq!(only(&input), one("s3-alias-host-missing", Severity::Error));
    let env = env_with("S3_HOSTNAME", None) + "\nS3_ALIAS_HOST=media.social.example\n";
    input.env = Some(Env::parse(&env));
    assert_eq!(only(&input), vec![]);
}

#[test]
fn an_s3_hostname_other_than_the_buckets_host_is_an_error() {
    let input = with_env(
        reference(),
        &env_with("S3_HOSTNAME", Some("files.social.example")),
    );
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("s3-host-mismatch", Severity::Error)]);
    assert_eq!(
        findings[0].message,
        "S3_HOSTNAME=files.social.example but bucket mastodon-media is served from media.social.example."
    );
}

#[test]
fn an_unknown_bucket_in_the_env_is_a_warning() {
    let input = with_env(reference(), &env_with("S3_BUCKET", Some("mastodon-medai")));
    assert_eq!(only(&input), one("s3-bucket-unknown", Severity::Warning));
}

#[test]
fn an_env_missing_required_keys_names_them_all() {
    let env = env_with("OTP_SECRET", None).replace("LOCAL_DOMAIN=social.example\n", "");
    let findings = problems(&with_env(reference(), &env));
    assert_eq!(rules(&findings), vec![("env-missing-key", Severity::Error)]);
    assert_eq!(
        findings[0].message,
        "The env does not set LOCAL_DOMAIN, OTP_SECRET."
    );
}

#[test]
fn s3_enabled_without_its_bucket_and_endpoint_is_an_error() {
    let env = env_with("S3_BUCKET", None).replace("S3_ENDPOINT=http://[fd00:6f77::2]:9000\n", "");
    let findings = problems(&with_env(reference(), &env));
    assert_eq!(rules(&findings), vec![("env-s3-incomplete", Severity::Error)]);
    assert_eq!(
        findings[0].message,
        "S3_ENABLED=true but S3_BUCKET, S3_ENDPOINT not set."
    );
}

#[test]
fn both_media_hosts_set_is_a_warning_besides_the_addressing_error() {
    let env = format!("{CLEAN_ENV}S3_ALIAS_HOST=media.social.example\n");
    let input = with_env(reference(), &env);
    let got = only(&input);
    assert_eq!(
        got,
        vec![
            ("s3-alias-host-path-style".to_owned(), Severity::Error),
            ("env-s3-both-hosts".to_owned(), Severity::Warning)
        ]
    );
}

#[test]
fn a_db_host_that_is_not_the_postgresql_service_is_an_error() {
    let findings = problems(&with_env(reference(), &env_with("DB_HOST", Some("192.0.2.10"))));
    assert_eq!(rules(&findings), vec![("env-db-host", Severity::Error)]);
    assert_eq!(
        findings[0].fix,
        "Set DB_HOST to fd00:6f77::3 (postgresql on becblanche) and restart Puma, Sidekiq and streaming."
    );
    let ok = with_env(reference(), &env_with("DB_HOST", Some("becblanche")));
    assert_eq!(only(&ok), vec![]);
}

#[test]
fn redis_host_and_smtp_server_are_checked_against_the_inventory() {
    let redis = with_env(reference(), &env_with("REDIS_HOST", Some("localhost")));
    assert_eq!(only(&redis), one("env-redis-host", Severity::Error));
    let smtp = with_env(reference(), &env_with("SMTP_SERVER", Some("smtp.mailgun.org")));
    assert_eq!(only(&smtp), one("env-smtp-server", Severity::Error));
}

#[test]
fn secret_values_never_appear_in_findings() {
    let env = "SECRET_KEY_BASE=s3cr3t-base-do-not-show\nS3_ENABLED=true\nS3_ALIAS_HOST=x\nS3_HOSTNAME=y\n\
               DB_PASSWORD=pw-do-not-show\nAWS_SECRET_ACCESS_KEY=minio-secret-do-not-show\nDB_HOST=nowhere\n";
    let text = format!("{:?}", run(&with_env(reference(), env)));
    for secret in ["s3cr3t-base", "pw-do-not-show", "minio-secret"] {
        assert!(!text.contains(secret), "{secret} shown in {text}");
    }
    let env = Env::parse(env);
    assert_eq!(
        env.shown("AWS_SECRET_ACCESS_KEY"),
        "AWS_SECRET_ACCESS_KEY=(hidden)"
    );
    assert_eq!(env.shown("DB_HOST"), "DB_HOST=nowhere");
}

#[test]
fn env_files_are_read_like_dotenv() {
    let env = Env::parse("# c\nexport A=1\nB=\"two words\"\nC=x # note\nD=\nnot a line\nA=3\n");
    assert_eq!(env.get("A"), Some("3"));
    assert_eq!(env.get("B"), Some("two words"));
    assert_eq!(env.get("C"), Some("x"));
    assert_eq!(env.get("D"), None);
}

#[test]
fn a_service_needing_the_internet_on_a_host_without_ipv4_route_is_an_error() {
    let mut input = reference();
    input.nodes.iter_mut().for_each(|n| n.egress_via = None);
    let findings = problems(&input);
    let egress: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "egress-no-ipv4-route")
        .collect();
    assert_eq!(egress.len(), 1, "{findings:?}");
    assert_eq!(
        egress[0].message,
        "sidekiq on hedwig needs the internet, but hedwig has no IPv4 route (no public IPv4 and no egress host)."
    );
}

#[test]
fn a_missing_tunnel_is_a_warning_and_its_dependencies_routed() {
    let mut input = reference();
    input.links.retain(|l| !(l.a == "hedwig" && l.b == "becblanche"));
    let got = only(&input);
    assert_eq!(got[0], ("mesh-incomplete".to_owned(), Severity::Warning));
    assert!(got.iter().all(|(_, s)| *s == Severity::Warning), "{got:?}");
    assert!(got.contains(&("dependency-routed".to_owned(), Severity::Warning)));
}

#[test]
fn a_dependency_on_a_host_outside_the_mesh_is_an_error() {
    let mut input = reference();
    input.nodes.retain(|n| n.host != "becblanche");
    input.links.retain(|l| l.a != "becblanche" && l.b != "becblanche");
    let got = only(&input);
    assert!(
        got.contains(&("dependency-no-tunnel".to_owned(), Severity::Error)),
        "{got:?}"
    );
}

#[test]
fn a_relay_without_any_ipv4_cannot_be_listed_in_spf() {
    let mut input = reference();
    input
        .services
        .iter_mut()
        .filter(|s| s.name == "opensmtpd")
        .for_each(|s| s.host = "becblanche".into());
    input.nodes.iter_mut().for_each(|n| n.egress_via = None);
    let findings = problems(&input);
    let spf: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "spf-no-ipv4-sender")
        .collect();
    assert_eq!(spf.len(), 1, "{findings:?}");
    assert_eq!(
        spf[0].message,
        "Mail for social.example leaves becblanche with no IPv4 address to put in SPF. becblanche has no \
         IPv4 and no NAT host: mail to IPv4-only servers fails."
    );
}

#[test]
fn a_relay_behind_the_nat_is_fine() {
    let mut input = reference();
    input
        .services
        .iter_mut()
        .filter(|s| s.name == "opensmtpd")
        .for_each(|s| s.host = "becblanche".into());
    assert_eq!(only(&input), vec![]);
}

#[test]
fn a_dkim_key_that_is_not_an_rsa_key_is_an_error() {
    let mut input = reference();
    // Valid base64 of 192 bytes that are no DER structure.
    input.mail[0].dkim_public_key = "QUFB".repeat(64);
    assert_eq!(only(&input), one("dkim-key-invalid", Severity::Error));
    input.mail[0].dkim_public_key = "not base64!".into();
    assert_eq!(only(&input), one("dkim-key-invalid", Severity::Error));
}

#[test]
fn a_sidekiq_with_fewer_connections_than_threads_is_an_error() {
    let mut input = reference();
    input.services[7].unit = "mastodon-sidekiq@c10.d5.service".into();
    let findings = problems(&input);
    assert_eq!(
        rules(&findings),
        vec![("sidekiq-pool-below-concurrency", Severity::Error)]
    );
    assert_eq!(findings[0].message, "sidekiq runs 10 threads with DB_POOL 5.");
    // Without `c`, the env's DB_POOL is the pool of Mastodon's 5 threads.
    let mut input = with_env(reference(), &env_with("DB_POOL", Some("3")));
    assert_eq!(
        only(&input),
        one("sidekiq-pool-below-concurrency", Severity::Error)
    );
    input.services[7].unit = "mastodon-sidekiq@c10.service".into();
    assert_eq!(only(&input), vec![]);
}

#[test]
fn an_instance_string_the_decoder_refuses_is_an_error() {
    let mut input = reference();
    input.services[5].unit = "mastodon-puma@w2.w3.service".into();
    assert_eq!(only(&input), one("unit-instance-invalid", Severity::Error));
}

#[test]
fn connections_beyond_max_connections_are_an_error() {
    let mut input = reference();
    input.services[5].unit = "mastodon-puma@w8.t10.service".into();
    input.services[7].unit = "mastodon-sidekiq@c25.service".into();
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("db-connection-budget", Severity::Error)]);
    assert!(findings[0]
        .message
        .starts_with("Mastodon may open 115 database connections (puma 8×10"));
    assert!(findings[0]
        .fix
        .starts_with("Lower Puma workers or threads or Sidekiq concurrency by 18 "));
    input.services[0].notes = "Tuned: max_connections = 200".into();
    assert_eq!(only(&input), vec![]);
}

#[test]
fn puma_in_single_mode_counts_as_one_process() {
    let mut input = reference();
    input.services[5].unit = "mastodon-puma@w0.t5.service".into();
    assert!(run(&input)[0].message.contains("(puma 1×5 "));
}

#[test]
fn services_over_ninety_percent_of_ram_warn_and_over_all_of_it_fail() {
    let mut input = reference();
    input.services[2].memory_mib = Some(500); // hedwig: 500 + 90 + 350 = 940 of 1024
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("memory-over-ram", Severity::Warning)]);
    assert_eq!(
        findings[0].message,
        "The services on hedwig need 940 MiB of 1024 MiB (the plan's RAM), 91%."
    );
    input.hosts[1].mem_total_mib = Some(900);
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("memory-over-ram", Severity::Error)]);
    assert!(findings[0]
        .message
        .contains("of 900 MiB (MemTotal as last gathered)"));
}
