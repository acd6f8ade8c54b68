//! Mail domains against a migrated database holding the reference hosts and services.
use super::*;
use crate::server::db::test_pool;

/// The reference hosts, and the mail services on hermes as `owlery demo` has them.
async fn reference(pool: &SqlitePool) {
    crate::server::demo::load(pool).await.unwrap();
    for (name, kind, addr, port) in [
        ("opensmtpd", "opensmtpd", "fd00:6f77::1", 25),
        ("dkimproxy", "dkimproxy", "127.0.0.1", 10027),
    ] {
        sqlx::query(
            "INSERT OR IGNORE INTO services (name, host_id, kind, unit, listen_addr, port, created_at, updated_at)
             SELECT ?, id, ?, ?, ?, ?, 0, 0 FROM hosts WHERE name = 'hermes'",
        )
        .bind(name)
        .bind(kind)
        .bind(format!("{name}.service"))
        .bind(addr)
        .bind(port)
        .execute(pool)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn the_reference_domain_is_loaded_once_with_its_dns_lines_and_smtp_block() {
    let (pool, _dir) = test_pool().await;
    reference(&pool).await;
    let actor = Actor::cli("demo");
    let first = load_demo(&pool, &actor).await.unwrap();
    assert!(first <= 1);
    assert_eq!(load_demo(&pool, &actor).await.unwrap(), 0, "loaded twice");
    let mut conn = pool.acquire().await.unwrap();
    let m = db::mail::get(&mut conn, "social.example").await.unwrap();
    let (relay, signing) = hops(&mut conn, &m).await.unwrap();
    let files = files(&m, &relay, &signing);
    assert_eq!(files[0].file, "social.example.zone");
    assert!(files[0]
        .text
        .contains("\nsocial.example. 3600 IN TXT \"v=spf1 ip4:192.0.2.20 ip6:2001:db8:20::20 -all\"\n"));
    assert!(files[1]
        .text
        .contains("\nSMTP_SERVER=fd00:6f77::1\nSMTP_PORT=25\n"));
    assert!(files[1]
        .text
        .starts_with("# Mail leaves through opensmtpd on hermes (signed by dkimproxy on hermes).\n"));
}

#[tokio::test]
async fn a_relay_on_an_ipv6_only_host_lists_its_nat_hosts_ipv4() {
    let (pool, _dir) = test_pool().await;
    reference(&pool).await;
    sqlx::query(
        "INSERT INTO mesh_nodes (host_id, wg_public_key, listen_port, endpoint, egress_via, created_at, updated_at)
         SELECT h.id, 'k', 51820, '10.0.0.2', (SELECT id FROM hosts WHERE name = 'hermes'), 0, 0
         FROM hosts h WHERE h.name = 'hedwig'
         ON CONFLICT (host_id) DO UPDATE SET egress_via = excluded.egress_via",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE services SET host_id = (SELECT id FROM hosts WHERE name = 'hedwig') WHERE name = 'opensmtpd'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let m = db::mail::get(&mut conn, "social.example").await.unwrap();
    let (relay, signing) = hops(&mut conn, &m).await.unwrap();
    let zone = &files(&m, &relay, &signing)[0].text;
    assert!(
        zone.contains("IN TXT \"v=spf1 ip4:192.0.2.20 ip6:2001:db8:20::21 -all\"\n"),
        "{zone}"
    );
    assert!(zone.contains("; hedwig has no IPv4: its IPv4 mail leaves through hermes's NAT as 192.0.2.20.\n"));
}

#[tokio::test]
async fn an_unknown_relay_is_a_field_error_and_nothing_is_written() {
    let (pool, _dir) = test_pool().await;
    let mut draft = crate::model::mail::MailInput {
        domain: "social.example".into(),
        dkim_selector: "owl2026".into(),
        dkim_public_key: EXAMPLE_DKIM_PUBLIC_KEY.into(),
        dkim_secret: "dkim".into(),
        from_address: "a@social.example".into(),
        mx_host: "social.example".into(),
        ..MailInput::blank()
    }
    .parse()
    .unwrap();
    draft.relay = "postfix".into();
    let err = create(&pool, &Actor::cli("t"), &draft).await.unwrap_err();
    assert!(err.field_message("relay").is_some(), "{err:?}");
    assert!(err.field_message("signing").is_some(), "{err:?}");
    assert!(db::mail::list(&pool, "").await.unwrap().is_empty());
    assert!(db::audit::latest(&pool, 10).await.unwrap().is_empty());
}
