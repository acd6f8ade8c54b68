//! Changing the mesh through the server layer: keys, validation, ports, audit.
use super::*;
use crate::model::mesh::{NodeInput, TunnelInput};
use crate::server::db::test_pool;

async fn setup() -> (SqlitePool, tempfile::TempDir, MasterKey) {
    let (pool, dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let key = crate::server::secrets::master_key_for(dir.path(), None, &pool)
        .await
        .unwrap();
    (pool, dir, key)
}

fn node_input(endpoint: &str) -> NodeInput {
    NodeInput {
        endpoint: endpoint.into(),
        ..NodeInput::blank()
    }
}

#[tokio::test]
async fn a_new_node_without_a_key_gets_a_generated_pair_in_the_secret_store() {
    let (pool, _dir, key) = setup().await;
    let actor = Actor::cli("test");
    let draft = node_input("192.0.2.10").parse().unwrap();
    let node = save_node(&pool, &key, &actor, "iris", &draft).await.unwrap();
    assert_eq!(node.wg_secret.as_deref(), Some("wg-iris"));
    assert!(crate::domain::mesh::parse_public_key(&node.public_key).is_ok());
    let private = crate::server::secrets::reveal(&pool, &key, "wg-iris")
        .await
        .unwrap();
    use base64::Engine;
    let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(private.expose())
        .unwrap()
        .try_into()
        .unwrap();
    let public = curve25519_dalek::MontgomeryPoint::mul_base_clamped(bytes).to_bytes();
    assert_eq!(
        base64::engine::general_purpose::STANDARD.encode(public),
        node.public_key
    );
    let log = db::audit::latest(&pool, 2).await.unwrap();
    assert_eq!(
        (log[0].object_kind.as_str(), log[0].action.as_str()),
        (NODE_KIND, "create")
    );
}

#[tokio::test]
async fn a_new_key_replaces_the_old_one_and_its_secret() {
    let (pool, _dir, key) = setup().await;
    let actor = Actor::cli("test");
    let before = db::mesh::node(&mut pool.acquire().await.unwrap(), "hermes")
        .await
        .unwrap()
        .unwrap();
    let after = generate_key(&pool, &key, &actor, "hermes", before.version)
        .await
        .unwrap();
    assert_ne!(after.public_key, before.public_key);
    assert_eq!(after.wg_secret.as_deref(), Some("wg-hermes"));
    let again = generate_key(&pool, &key, &actor, "hermes", after.version)
        .await
        .unwrap();
    assert_ne!(again.public_key, after.public_key);
    let stale = generate_key(&pool, &key, &actor, "hermes", before.version)
        .await
        .unwrap_err();
    assert!(matches!(stale, AppError::Conflict(_)), "{stale:?}");
}

#[tokio::test]
async fn an_egress_host_outside_the_mesh_or_an_unknown_secret_is_a_field_error() {
    let (pool, _dir, key) = setup().await;
    let actor = Actor::cli("test");
    let mut input = NodeInput::from_node(
        &db::mesh::node(&mut pool.acquire().await.unwrap(), "hedwig")
            .await
            .unwrap()
            .unwrap(),
    );
    input.egress_via = "iris".into();
    input.wg_secret = "no-such-secret".into();
    let err = save_node(&pool, &key, &actor, "hedwig", &input.parse().unwrap())
        .await
        .unwrap_err();
    assert!(err.field_message("wg_secret").is_some(), "{err:?}");
    input.wg_secret = String::new();
    let err = save_node(&pool, &key, &actor, "hedwig", &input.parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        err.field_message("egress_via").as_deref(),
        Some("iris is not in the mesh")
    );
}

#[tokio::test]
async fn a_tunnel_takes_the_next_free_ports_and_refuses_used_addresses() {
    let (pool, _dir, key) = setup().await;
    let actor = Actor::cli("test");
    save_node(
        &pool,
        &key,
        &actor,
        "iris",
        &node_input("192.0.2.10").parse().unwrap(),
    )
    .await
    .unwrap();
    let tunnel = |addr_host: &str, addr_peer: &str| TunnelInput {
        host: "iris".into(),
        peer: "hermes".into(),
        addr_host: addr_host.into(),
        addr_peer: addr_peer.into(),
    };
    let used = tunnel("fd00:77::1/127", "fd00:77::/127").parse().unwrap();
    let err = create_tunnel(&pool, &actor, &used).await.unwrap_err();
    assert!(err.field_message("addr_host").is_some(), "{err:?}");
    create_tunnel(
        &pool,
        &actor,
        &tunnel("fd00:77::6/127", "fd00:77::7/127").parse().unwrap(),
    )
    .await
    .unwrap();
    let links = db::mesh::links(&mut pool.acquire().await.unwrap()).await.unwrap();
    let (_, _, _, hermes_port, iris_port) = links
        .iter()
        .find_map(|l| l.from_side("hermes").filter(|s| s.0 == "iris"))
        .unwrap();
    assert_eq!((hermes_port, iris_port), (51822, 51820));
    let again = create_tunnel(
        &pool,
        &actor,
        &tunnel("fd00:77::8/127", "fd00:77::9/127").parse().unwrap(),
    )
    .await;
    assert!(again.unwrap_err().field_message("peer").is_some());
}

#[tokio::test]
async fn deleting_a_tunnel_leaves_a_missing_pair_and_an_audit_entry() {
    let (pool, _dir, _key) = setup().await;
    let actor = Actor::cli("test");
    delete_tunnel(&pool, &actor, "hedwig", "becblanche")
        .await
        .unwrap();
    let overview = views::overview(&pool).await.unwrap();
    assert_eq!(
        overview.missing,
        vec![("becblanche".to_owned(), "hedwig".to_owned())]
    );
    let log = db::audit::latest(&pool, 1).await.unwrap();
    assert_eq!(
        (log[0].object_kind.as_str(), log[0].object_name.as_str()),
        (LINK_KIND, "becblanche–hedwig")
    );
    assert!(matches!(
        delete_tunnel(&pool, &actor, "hedwig", "becblanche").await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn the_topology_of_the_demo_draws_every_host_and_reads_in_time() {
    let (pool, _dir, _key) = setup().await;
    let started = std::time::Instant::now();
    let view = views::topology(&pool).await.unwrap();
    assert!(started.elapsed().as_millis() < 200);
    assert_eq!(view.hosts, 4);
    for host in ["hermes", "hedwig", "becblanche", "iris"] {
        assert!(view.svg.contains(&format!(">{host}</text>")), "{host}");
    }
    assert!(view
        .problems
        .iter()
        .all(|p| p.kind != crate::domain::topology::ProblemKind::MissingLink));
}

#[tokio::test]
async fn the_node_page_of_hedwig_has_its_files_and_hides_the_secret_name_from_viewers() {
    let (pool, _dir, key) = setup().await;
    generate_key(&pool, &key, &Actor::cli("test"), "hedwig", 1)
        .await
        .unwrap();
    let page = views::node_page(&pool, "hedwig", false, None).await.unwrap();
    assert_eq!(page.path, "IPv6 own, IPv4 via hermes (NAT)");
    assert_eq!(page.node.unwrap().wg_secret.as_deref(), Some("(set)"));
    let titles: Vec<&str> = page.files.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "WireGuard tunnels",
            "Loopback",
            "BIRD",
            "Egress: IPv4 default route"
        ]
    );
    let admin = views::node_page(&pool, "hedwig", true, None).await.unwrap();
    assert_eq!(admin.node.unwrap().wg_secret.as_deref(), Some("wg-hedwig"));
    let hermes = views::node_page(&pool, "hermes", true, None).await.unwrap();
    assert!(hermes
        .files
        .iter()
        .any(|g| g.title == "Egress: NAT for other hosts"));
}

#[tokio::test]
async fn two_hundred_hosts_and_two_thousand_services_are_read_and_drawn_in_time() {
    let (pool, _dir) = test_pool().await;
    for sql in [
        "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ssh_host, ssh_port, ssh_user,
             created_at, updated_at, ipv6, mesh_addr)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
         SELECT printf('h%03d', i), 'p', 'q', 'x86_64', 1, 1024, 25, '192.0.2.1', 22, 'root', 0, 0,
             '2001:db8::' || printf('%x', i), 'fd00::' || printf('%x', i) FROM n",
        "INSERT INTO mesh_nodes (host_id, wg_public_key, listen_port, endpoint, created_at, updated_at)
         SELECT id, 'aGVybWVzLWV4YW1wbGUtcHVibGljLWtleS0wMDAwMDA=', 51820, '192.0.2.1', 0, 0 FROM hosts",
        "INSERT INTO mesh_links (host_a, host_b, addr_a, addr_b, port_a, port_b, created_at)
         SELECT a.id, b.id, printf('fd00:77::%x/127', a.id * 2), printf('fd00:77::%x/127', a.id * 2 + 1),
             51820, 51821, 0
         FROM hosts a JOIN hosts b ON b.id = a.id + 1",
        "INSERT INTO services (name, host_id, kind, unit, needs_egress, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         SELECT 'svc-' || i, 1 + (i % 200), 'custom', 'svc.service', i % 3 = 0, 0, 0 FROM n",
        "INSERT INTO service_deps (service_id, depends_on)
         SELECT id, 1 + ((id * 37) % 2000) FROM services WHERE 1 + ((id * 37) % 2000) <> id",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let started = std::time::Instant::now();
    let view = views::topology(&pool).await.unwrap();
    let took = started.elapsed();
    eprintln!(
        "topology of 200 hosts, 2000 services: {took:?}, {} bytes",
        view.svg.len()
    );
    assert_eq!((view.hosts, view.services), (200, 2000));
    // A test build is unoptimised and shares the machine: this catches a quadratic
    // slip; the release server's 50 ms are measured against the real binary.
    assert!(took.as_millis() < 1000, "took {took:?}");
}
