//! The generated mail files for the reference cluster, checked by hand line by line.
use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn hermes() -> RelayHost<'static> {
    RelayHost {
        name: "hermes",
        ipv4: Some(ip("192.0.2.20")),
        ipv6: Some(ip("2001:db8:20::20")),
        egress: None,
    }
}

fn reference(sending: Vec<IpAddr>, notes: Vec<String>) -> MailFacts<'static> {
    MailFacts {
        domain: "social.example",
        mx_host: "mail.social.example",
        ttl: 3600,
        selector: "owl2026",
        public_key: EXAMPLE_DKIM_PUBLIC_KEY,
        dmarc_policy: "quarantine",
        dmarc_report: Some("dmarc@social.example"),
        relay_label: "opensmtpd on hermes",
        relay_public: vec![ip("192.0.2.20"), ip("2001:db8:20::20")],
        sending,
        notes,
    }
}

#[test]
fn the_reference_domain_gets_mx_spf_dkim_and_dmarc_lines() {
    let (sending, notes) = sending_addresses(&hermes());
    let expected = "\
; Mail for social.example, sent through opensmtpd on hermes.
social.example. 3600 IN MX 10 mail.social.example.
mail.social.example. 3600 IN A 192.0.2.20
mail.social.example. 3600 IN AAAA 2001:db8:20::20
social.example. 3600 IN TXT \"v=spf1 ip4:192.0.2.20 ip6:2001:db8:20::20 -all\"
owl2026._domainkey.social.example. 3600 IN TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArHTTXJRavR/m6vp3Wg+bLP7hnEwlml/Z/59Dtmk1XPe8tI8uVqbsRRZNzEeRAPILWanYa4YD4Mhra+yNTbFtmaaSMFF7Xhc2WPBUv4//+/t9WGYSSwmuqAg9oYgyUBYDb14PigXBppX4qizvWopzVWvO3HlkgbcCaBoa4JdVGhYSzdlcKFCKIs+7CHdxpPgjZ\" \"vQyhXwBgesOZIStAoXrO9N+U2pGkuwwfdP8Qm9/X7rQbRPTFwFF38tJk3E726ytxgKjl5Ls6nmOAKRj6Z3iKgE2OWYCucsGfPdwyVnRMX/zshkHXLXQoebL+nOwYskeRmNn/WQWr0PWr2b1TKGaywIDAQAB\"
_dmarc.social.example. 3600 IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@social.example\"
";
    assert_eq!(dns_records(&reference(sending, notes)), expected);
}

#[test]
fn every_txt_string_is_at_most_255_characters() {
    let long = "x".repeat(600);
    let strings = txt_strings(&long);
    let parts: Vec<&str> = strings.split(' ').collect();
    assert_eq!(parts.len(), 3);
    assert!(parts.iter().all(|p| p.len() <= 255 + 2), "{strings}");
    assert_eq!(parts.concat().replace('"', ""), long);
}

#[test]
fn an_ipv6_only_relay_lists_the_ipv4_of_its_nat_host_in_spf() {
    let hedwig = RelayHost {
        name: "hedwig",
        ipv4: None,
        ipv6: Some(ip("2001:db8:20::21")),
        egress: Some(("hermes", Some(ip("192.0.2.20")))),
    };
    let (sending, notes) = sending_addresses(&hedwig);
    assert_eq!(spf(&sending), "v=spf1 ip4:192.0.2.20 ip6:2001:db8:20::21 -all");
    assert_eq!(
        notes,
        vec!["hedwig has no IPv4: its IPv4 mail leaves through hermes's NAT as 192.0.2.20.".to_string()]
    );
    let zone = dns_records(&reference(sending, notes));
    assert!(
        zone.contains("\n; hedwig has no IPv4: its IPv4 mail leaves through hermes's NAT as 192.0.2.20.\n")
    );
}

#[test]
fn a_relay_without_any_ipv4_way_out_is_called_out() {
    let lonely = RelayHost {
        egress: None,
        ipv4: None,
        ..hermes()
    };
    let (sending, notes) = sending_addresses(&lonely);
    assert_eq!(spf(&sending), "v=spf1 ip6:2001:db8:20::20 -all");
    assert!(notes[0].contains("no IPv4 and no NAT host"));
}

#[test]
fn the_reference_smtp_block_talks_plain_smtp_to_the_relay_over_the_mesh() {
    let relay = Relay {
        label: "opensmtpd on hermes",
        signing_label: "dkimproxy on hermes",
        addr: "fd00:6f77::1",
        port: 25,
    };
    let expected = "\
# Mail leaves through opensmtpd on hermes (signed by dkimproxy on hermes).
SMTP_SERVER=fd00:6f77::1
SMTP_PORT=25
SMTP_LOGIN=
SMTP_PASSWORD=
SMTP_AUTH_METHOD=none
# WireGuard already encrypts the hop, and the relay has no certificate for this address.
SMTP_ENABLE_STARTTLS=never
SMTP_OPENSSL_VERIFY_MODE=none
SMTP_FROM_ADDRESS=notifications@social.example
SMTP_DELIVERY_METHOD=smtp
";
    assert_eq!(smtp_env(&relay, "notifications@social.example"), expected);
    let local = Relay {
        addr: "127.0.0.1",
        ..relay
    };
    assert!(smtp_env(&local, "a@b.example").contains("Sidekiq must run on the same host"));
}

#[test]
fn dkim_keys_are_taken_from_a_record_or_pem_and_must_be_base64() {
    let record = format!("v=DKIM1; k=rsa; p={EXAMPLE_DKIM_PUBLIC_KEY}");
    assert_eq!(
        parse_dkim_public_key(&record).as_deref(),
        Ok(EXAMPLE_DKIM_PUBLIC_KEY)
    );
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n{}\n-----END PUBLIC KEY-----\n",
        &EXAMPLE_DKIM_PUBLIC_KEY[..64],
        &EXAMPLE_DKIM_PUBLIC_KEY[64..]
    );
    assert_eq!(
        parse_dkim_public_key(&pem).as_deref(),
        Ok(EXAMPLE_DKIM_PUBLIC_KEY)
    );
    let ed25519 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    assert_eq!(parse_dkim_public_key(ed25519).as_deref(), Ok(ed25519));
    assert_eq!(dkim_key_type(ed25519), "ed25519");
    for bad in ["", "not base64!", "QUJD", "MIIB*IjAN"] {
        assert!(parse_dkim_public_key(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn addresses_selectors_and_domains_are_checked() {
    assert_eq!(
        parse_email(" Notifications@Social.Example "),
        Ok("Notifications@social.example".into())
    );
    for bad in [
        "",
        "a",
        "@social.example",
        "a@",
        "a@localhost",
        "a b@social.example",
        "a..b@x.example",
        "\"q\"@x.example",
    ] {
        assert!(parse_email(bad).is_err(), "{bad:?} accepted");
    }
    assert_eq!(parse_selector("owl2026"), Ok("owl2026".into()));
    assert!(parse_selector("owl_2026").is_err());
    assert!(parse_mail_domain("social").is_err());
    assert_eq!(parse_mail_domain("Social.Example."), Ok("social.example".into()));
}
