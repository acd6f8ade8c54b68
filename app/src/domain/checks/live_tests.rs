//! The rules that compare the inventory with what hosts and the secret store hold:
//! drift (ports, units) and the DKIM signing key against the published one.
use super::dkim::{parse_private_pem, public_material, PrivateKey};
use super::fixtures::*;
use super::*;
use crate::domain::listen::Listener;

/// A throwaway 1024-bit RSA key made for these tests (never used anywhere), in both PEM
/// forms openssl writes, and its public key as a DKIM record carries it.
pub const TEST_RSA_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALexYsfkGIOpM+KR
7de3CWkSDW4PNjoae1VQA9kwMkqpxMjXGAJ6QMNXF8JL7JgyX2p/NjGRNjLbmqiM
9xXuBiNvUrJyEhwNeKiSjfWAboAhOWAcWNTLHiP9EoCHFanU1reH69Ifr1gyXzW3
lgBS5/0zzWW25g5KUw0KpbIUaqXNAgMBAAECgYBZjWMI7Ex/M2gWFuqK9bLixGhD
tarMHMjvyHh306VQ/P7wotwTqSIVmUn98SHA+R3HP4leFNsFZEY70a1LxaS7ohFi
Z5qdLKplNhqVy6qUCKnZJB+3pECQ2qi9GwOReXUa/95lLrDiTQSYY6g0P5j8dXQZ
YzTXS1ETl2c8p25USQJBAOJgBJlp219qmjBT527gN5UlhYGqpiTCZYm737sOZCF/
565DOZm8mGmo+AiRJcdes52q5de+VuPIp92tqJ6zRkcCQQDPu2/enEJ7AKkFdZ7u
05gV5NJugi3ptb9rEp6m0BgZ4PGv80OZDK+NK/MZ4pvjhRajq+Q1xMYYIIrlDtL4
JvlLAkB3NNbXLp49tbYyQsy5X0sFuDeAm6tX6iJsEEn1h9OErIUFCBN5+I1N/pN2
d3CsdxsgqNDV9j5tPsne+0azI3abAkAOi7RopQ5uqHwtWrAXTw+uMMifXlQysjxG
Fhav3ZBid4LU7DbGh8HfI72xCVIbG12bdlTTgwTP+a9gHKqfH7ODAkEAq1K2jVoH
9usq8Gi0ODP+zlj4or7t56hP2+qAGNCFqH5XtEoVHpDMV06/WI8UHoF4PkZhSomv
gVwjz+VByU76UQ==
-----END PRIVATE KEY-----
";
pub const TEST_RSA_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQC3sWLH5BiDqTPike3XtwlpEg1uDzY6GntVUAPZMDJKqcTI1xgC
ekDDVxfCS+yYMl9qfzYxkTYy25qojPcV7gYjb1KychIcDXioko31gG6AITlgHFjU
yx4j/RKAhxWp1Na3h+vSH69YMl81t5YAUuf9M81ltuYOSlMNCqWyFGqlzQIDAQAB
AoGAWY1jCOxMfzNoFhbqivWy4sRoQ7WqzBzI78h4d9OlUPz+8KLcE6kiFZlJ/fEh
wPkdxz+JXhTbBWRGO9GtS8Wku6IRYmeanSyqZTYalcuqlAip2SQft6RAkNqovRsD
kXl1Gv/eZS6w4k0EmGOoND+Y/HV0GWM010tRE5dnPKduVEkCQQDiYASZadtfapow
U+du4DeVJYWBqqYkwmWJu9+7DmQhf+euQzmZvJhpqPgIkSXHXrOdquXXvlbjyKfd
raies0ZHAkEAz7tv3pxCewCpBXWe7tOYFeTSboIt6bW/axKeptAYGeDxr/NDmQyv
jSvzGeKb44UWo6vkNcTGGCCK5Q7S+Cb5SwJAdzTW1y6ePbW2MkLMuV9LBbg3gJur
V+oibBBJ9YfThKyFBQgTefiNTf6TdndwrHcbIKjQ1fY+bT7J3vtGsyN2mwJADou0
aKUObqh8LVqwF08PrjDIn15UMrI8RhYWr92QYneC1Ow2xofB3yO9sQlSGxtdm3ZU
04MEz/mvYByqnx+zgwJBAKtSto1aB/brKvBotDgz/s5Y+KK+7eeoT9vqgBjQhah+
V7RKFR6QzFdOv1iPFB6BeD5GYUqJr4FcI8/lQclO+lE=
-----END RSA PRIVATE KEY-----
";
pub const TEST_RSA_PUBLIC: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3sWLH5BiDqTPike3XtwlpEg1uDzY6GntVUAPZMDJKqcTI1xgCekDDVxfCS+yYMl9qfzYxkTYy25qojPcV7gYjb1KychIcDXioko31gG6AITlgHFjUyx4j/RKAhxWp1Na3h+vSH69YMl81t5YAUuf9M81ltuYOSlMNCqWyFGqlzQIDAQAB";

fn only(input: &Input) -> Vec<(String, Severity)> {
    problems(input)
        .iter()
        .map(|f| (f.rule.to_string(), f.severity))
        .collect()
}

fn one(rule: &str, severity: Severity) -> Vec<(String, Severity)> {
    vec![(rule.to_owned(), severity)]
}

fn live_of<'a>(input: &'a mut Input, host: &str) -> &'a mut LiveFacts {
    let h = input.hosts.iter_mut().find(|h| h.name == host).expect("host");
    h.live.as_mut().expect("facts")
}

#[test]
fn the_reference_cluster_running_as_recorded_passes_clean() {
    assert_eq!(only(&live(600)), vec![]);
}

#[test]
fn a_recorded_port_nothing_listens_on_is_an_error_that_says_how_old_the_facts_are() {
    let mut input = live(2 * 3600);
    let facts = live_of(&mut input, "hermes");
    facts
        .listening
        .as_mut()
        .expect("sockets")
        .retain(|l| l.port != 3000);
    let findings = problems(&input);
    assert_eq!(
        rules(&findings),
        vec![("service-port-not-listening", Severity::Error)]
    );
    assert_eq!(
        findings[0].message,
        "puma should listen on port 3000 on hermes, but nothing listened there when facts were gathered 2 h ago."
    );
    assert_eq!(
        findings[0].fix,
        "Start it (`systemctl start mastodon-puma@default.service`, its log in `journalctl -u \
         mastodon-puma@default.service`) or correct the port on the service's page; then read the live \
         state again on the Checks page to confirm."
    );
    assert_eq!(findings[0].objects[1], (ObjectKind::Host, "hermes".to_owned()));
}

#[test]
fn drift_seen_in_facts_older_than_a_day_is_only_a_warning() {
    let mut input = live(3 * 86_400);
    live_of(&mut input, "becblanche").listening = Some(vec![]);
    let got = only(&input);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got
        .iter()
        .all(|g| *g == ("service-port-not-listening".to_owned(), Severity::Warning)));
    assert!(problems(&input)[0]
        .message
        .ends_with("when facts were gathered 3 days ago."));
}

#[test]
fn a_socket_bound_to_another_address_than_the_recorded_one_is_a_warning() {
    let mut input = live(60);
    let facts = live_of(&mut input, "becblanche");
    let sockets = facts.listening.as_mut().expect("sockets");
    sockets.retain(|l| l.port != 5432);
    sockets.push(Listener::parse("127.0.0.1:5432").expect("valid"));
    let findings = problems(&input);
    assert_eq!(
        rules(&findings),
        vec![("service-listen-address-differs", Severity::Warning)]
    );
    assert_eq!(
        findings[0].message,
        "postgresql on becblanche listens on 127.0.0.1:5432, not on fd00:6f77::3 as recorded (when facts were gathered 1 min ago)."
    );
    // A wildcard socket serves the recorded address.
    let sockets = live_of(&mut input, "becblanche")
        .listening
        .as_mut()
        .expect("sockets");
    sockets.push(Listener::parse("[::]:5432").expect("valid"));
    assert_eq!(only(&input), vec![]);
}

#[test]
fn without_facts_or_where_the_host_could_not_tell_nothing_is_claimed() {
    let mut input = live(60);
    input.hosts[0].live = None;
    for h in ["hedwig", "becblanche"] {
        let facts = live_of(&mut input, h);
        facts.listening = None;
        facts.active_units = None;
    }
    input
        .services
        .iter_mut()
        .for_each(|s| s.unit = "gone.service".into());
    input.services.iter_mut().for_each(|s| s.port = Some(1));
    assert_eq!(only(&input), vec![]);
}

#[test]
fn a_unit_that_is_not_active_is_an_error_only_where_systemd_answered() {
    let mut input = live(60);
    let facts = live_of(&mut input, "hedwig");
    facts
        .active_units
        .as_mut()
        .expect("units")
        .retain(|u| !u.starts_with("mastodon-sidekiq@"));
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("service-unit-inactive", Severity::Error)]);
    assert_eq!(
        findings[0].message,
        "mastodon-sidekiq@default.service (sidekiq) was not active on hedwig when facts were gathered 1 min ago."
    );
    assert!(findings[0]
        .fix
        .starts_with("Start it with `systemctl enable --now mastodon-sidekiq@default.service`"));
    live_of(&mut input, "hedwig").active_units = None;
    assert_eq!(only(&input), vec![]);
}

#[test]
fn a_unit_recorded_without_its_type_is_looked_up_as_a_service() {
    let mut input = live(60);
    input.services[1].unit = "redis-server".into();
    assert_eq!(only(&input), vec![]);
    input.services[1].unit = "redis".into();
    assert_eq!(only(&input), one("service-unit-inactive", Severity::Error));
}

#[test]
fn private_keys_in_both_pem_forms_give_the_public_key_of_the_record() {
    let published = public_material(TEST_RSA_PUBLIC).expect("an RSA public key");
    for pem in [TEST_RSA_PKCS8, TEST_RSA_PKCS1] {
        assert_eq!(parse_private_pem(pem), Ok(PrivateKey::Rsa(published.clone())));
    }
    assert!(public_material(crate::domain::mail::EXAMPLE_DKIM_PUBLIC_KEY).is_some());
    assert_ne!(
        public_material(crate::domain::mail::EXAMPLE_DKIM_PUBLIC_KEY),
        Some(published)
    );
    // RFC 8032's first test key: the seed comes out of PKCS#8 for the server to derive from.
    let ed = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
    let Ok(PrivateKey::Ed25519Seed(seed)) = parse_private_pem(ed) else {
        panic!("not read as Ed25519");
    };
    assert_eq!(seed[..4], [0x9d, 0x61, 0xb1, 0x9d]);
    let raw = public_material("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    let spki = public_material("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assert!(matches!(raw, Some(KeyMaterial::Ed25519(_))));
    assert_eq!(raw, spki);
}

#[test]
fn what_is_no_private_key_is_refused_with_the_reason() {
    assert_eq!(
        parse_private_pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----"),
        Err("the key is encrypted with a passphrase".to_owned())
    );
    assert_eq!(
        parse_private_pem("hunter2!"),
        Err("it is not a PEM private key".to_owned())
    );
    assert_eq!(
        parse_private_pem(&format!(
            "-----BEGIN PUBLIC KEY-----\n{TEST_RSA_PUBLIC}\n-----END PUBLIC KEY-----"
        )),
        Err("it is not an RSA or Ed25519 private key in PKCS#1 or PKCS#8 form".to_owned())
    );
}

#[test]
fn a_published_dkim_key_that_is_not_the_signing_keys_public_half_is_an_error() {
    let mut input = reference();
    let signing = match parse_private_pem(TEST_RSA_PKCS8) {
        Ok(PrivateKey::Rsa(material)) => material,
        other => panic!("{other:?}"),
    };
    input.mail[0].signing_key = Some(Ok(signing));
    let findings = problems(&input);
    assert_eq!(rules(&findings), vec![("dkim-key-mismatch", Severity::Error)]);
    assert_eq!(
        findings[0].message,
        "The DKIM public key of social.example is not the public half of the signing key in secret dkim-social-example."
    );
    // The record of the same key, bare or as a pasted record, passes.
    input.mail[0].dkim_public_key = TEST_RSA_PUBLIC.into();
    assert_eq!(only(&input), vec![]);
    input.mail[0].dkim_public_key = format!("v=DKIM1; k=rsa; p={TEST_RSA_PUBLIC}");
    assert_eq!(only(&input), vec![]);
}

#[test]
fn a_secret_that_is_no_key_is_a_warning_and_no_secret_is_no_finding() {
    let mut input = reference();
    input.mail[0].signing_key = Some(Err("it is not a PEM private key".into()));
    let findings = problems(&input);
    assert_eq!(
        rules(&findings),
        vec![("dkim-private-key-unreadable", Severity::Warning)]
    );
    assert_eq!(
        findings[0].message,
        "Secret dkim-social-example of mail domain social.example cannot be read as a DKIM key: it is not a PEM private key."
    );
    input.mail[0].signing_key = None;
    assert_eq!(only(&input), vec![]);
}
