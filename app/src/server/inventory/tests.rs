//! Export, preview and import against real databases.
use super::*;
use crate::model::inventory::Op;
use crate::server::db::test_pool;

async fn exported(pool: &SqlitePool) -> String {
    export(&mut pool.acquire().await.unwrap()).await.unwrap()
}

async fn admin(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES ('alice', 'x', 'admin', 0)
         RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn yes(_: &[ObjectChange]) -> bool {
    true
}

#[tokio::test]
async fn the_demo_exported_and_imported_into_an_empty_database_exports_the_same() {
    let (demo, _d1) = test_pool().await;
    crate::server::demo::load(&demo).await.unwrap();
    let text = exported(&demo).await;
    for section in [
        "hosts",
        "services",
        "buckets",
        "buckets.users",
        "mail_domains",
        "mesh_nodes",
        "mesh_links",
    ] {
        assert!(
            text.contains(&format!("\n[[{section}]]\n")),
            "no {section} in\n{text}"
        );
    }

    let (empty, _d2) = test_pool().await;
    let actor = Actor::cli("test");
    let (done, applied) = import(&empty, &actor, &text, Unlisted::Remove, yes)
        .await
        .unwrap()
        .unwrap();
    assert!(applied);
    assert!(done.iter().all(|c| c.op == Op::Add));
    assert_eq!(exported(&empty).await, text);
}

#[tokio::test]
async fn a_bad_file_names_line_and_field_and_writes_nothing() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let before = exported(&pool).await;
    let bad = before.replacen("ipv4 = \"192.0.2.20\"", "ipv4 = \"192.0.2.300\"", 1);
    let line = bad.lines().position(|l| l.contains("192.0.2.300")).unwrap() + 1;
    let problems = import(&pool, &Actor::cli("test"), &bad, Unlisted::Remove, yes)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(line));
    assert!(problems[0].path.ends_with("].ipv4"), "{:?}", problems[0]);
    assert_eq!(exported(&pool).await, before);
}

#[tokio::test]
async fn a_duplicate_name_is_refused_at_the_second_one() {
    let text =
        "format = 1\n[[hosts]]\nname = \"hermes\"\nprovider = \"p\"\nplan = \"x\"\narch = \"x86_64\"\n\
                vcpus = 1\nram_mib = 1024\ndisk_gb = 25\nssh_host = \"192.0.2.1\"\n\n\
                [[hosts]]\nname = \"hermes\"\nprovider = \"p\"\nplan = \"x\"\narch = \"x86_64\"\n\
                vcpus = 1\nram_mib = 1024\ndisk_gb = 25\nssh_host = \"192.0.2.2\"\n";
    let problems = plan(text, &Inventory::default(), Unlisted::Remove).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "line 13, hosts[1].name: hermes is already listed as hosts[0]"
    );
}

#[tokio::test]
async fn a_preview_shows_the_diff_and_applying_it_changes_the_inventory() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let user = admin(&pool).await;
    let text = exported(&pool)
        .await
        .replacen("plan = \"ARM64-4GB\"", "plan = \"ARM64-2GB\"", 1);
    let id = preview(&pool, user, &text, Unlisted::Remove).await.unwrap();
    let shown = get_preview(&pool, id).await.unwrap();
    assert_eq!(shown.changes.len(), 1);
    assert_eq!(
        (shown.changes[0].name.as_str(), shown.changes[0].op),
        ("iris", Op::Change)
    );
    assert_eq!(
        shown.changes[0].fields,
        vec![("plan".into(), "ARM64-4GB".into(), "ARM64-2GB".into())]
    );
    let done = apply(&pool, &Actor::cli("test"), id).await.unwrap();
    assert_eq!(done, shown.changes);
    assert_eq!(exported(&pool).await, text);
    let log = db::audit::latest(&pool, 1).await.unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].object_name.as_str()),
        ("update", "iris")
    );
    assert!(matches!(get_preview(&pool, id).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn a_preview_is_not_applied_after_someone_changed_the_inventory() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let user = admin(&pool).await;
    let text = exported(&pool)
        .await
        .replace("\nname = \"iris\"", "\nname = \"iris2\"");
    let id = preview(&pool, user, &text, Unlisted::Remove).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let hermes = db::hosts::get(&mut conn, "hermes").await.unwrap();
    drop(conn);
    let edit = crate::model::host::HostInput {
        notes: "changed meanwhile".into(),
        ..crate::model::host::HostInput::from_host(&hermes)
    };
    crate::server::hosts::update(&pool, &Actor::cli("bob"), "hermes", &edit.parse().unwrap())
        .await
        .unwrap();
    let before = exported(&pool).await;
    assert!(matches!(
        apply(&pool, &Actor::cli("test"), id).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(exported(&pool).await, before);
}

#[tokio::test]
async fn importing_an_empty_inventory_removes_what_the_file_does_not_have() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let (done, applied) = import(&pool, &Actor::cli("test"), "format = 1\n", Unlisted::Remove, yes)
        .await
        .unwrap()
        .unwrap();
    assert!(applied);
    assert!(done.iter().all(|c| c.op == Op::Remove));
    assert_eq!(
        load(&mut pool.acquire().await.unwrap()).await.unwrap().hosts,
        vec![]
    );
}

const ONE_HOST: &str = "format = 1\n[[hosts]]\nname = \"athena\"\nprovider = \"Scaleway\"\nplan = \"Start1-XS\"\n\
                        arch = \"x86_64\"\nvcpus = 1\nram_mib = 1024\ndisk_gb = 25\nssh_host = \"2001:db8::9\"\n";

#[tokio::test]
async fn a_partial_file_adds_its_objects_and_keeps_the_others() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let (done, applied) = import(&pool, &Actor::cli("test"), ONE_HOST, Unlisted::Keep, yes)
        .await
        .unwrap()
        .unwrap();
    assert!(applied);
    let summary: Vec<(&str, Op)> = done.iter().map(|c| (c.name.as_str(), c.op)).collect();
    assert_eq!(summary, vec![("athena", Op::Add)]);
    let names: Vec<String> = load(&mut pool.acquire().await.unwrap())
        .await
        .unwrap()
        .hosts
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert_eq!(names, vec!["athena", "becblanche", "hedwig", "hermes", "iris"]);
}

#[tokio::test]
async fn an_unrelated_change_does_not_block_a_partial_import() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let user = admin(&pool).await;
    let id = preview(&pool, user, ONE_HOST, Unlisted::Keep).await.unwrap();
    let iris = db::hosts::get(&mut pool.acquire().await.unwrap(), "iris")
        .await
        .unwrap();
    crate::server::hosts::delete(&pool, &Actor::cli("bob"), "iris", iris.version)
        .await
        .unwrap();
    let done = apply(&pool, &Actor::cli("test"), id).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].name, "athena");
}

#[tokio::test]
async fn a_service_on_an_unknown_host_is_refused_at_its_line() {
    let text = format!(
        "{ONE_HOST}\n[[services]]\nname = \"puma\"\nhost = \"athena\"\nkind = \"puma\"\nunit = \"puma.service\"\n\n\
         [[services]]\nname = \"sidekiq\"\nhost = \"ghost\"\nkind = \"sidekiq\"\nunit = \"sidekiq.service\"\n\
         depends_on = [\"puma\", \"redis\"]\n"
    );
    let line = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let problems = plan(&text, &Inventory::default(), Unlisted::Remove).unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            format!(
                "line {}, services[1].host: there is no host named ghost",
                line("host = \"ghost\"")
            ),
            format!(
                "line {}, services[1].depends_on: there is no service named redis",
                line("depends_on")
            ),
        ]
    );
}

#[tokio::test]
async fn moving_a_service_in_the_file_moves_it_in_the_inventory() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let text = exported(&pool).await;
    let at = text
        .find("name = \"streaming\"\nhost = \"hedwig\"")
        .expect("streaming on hedwig");
    let moved = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("host = \"hedwig\"", "host = \"hermes\"", 1)
    );
    let (done, applied) = import(&pool, &Actor::cli("test"), &moved, Unlisted::Remove, yes)
        .await
        .unwrap()
        .unwrap();
    assert!(applied);
    assert_eq!(done.len(), 1);
    assert_eq!(
        done[0].fields,
        vec![("host".into(), "hedwig".into(), "hermes".into())]
    );
    let streaming = db::services::get(&mut pool.acquire().await.unwrap(), "streaming")
        .await
        .unwrap();
    assert_eq!(streaming.host, "hermes");
    assert_eq!(exported(&pool).await, moved);
}

#[tokio::test]
async fn a_tunnel_left_out_of_the_file_is_removed_and_one_to_a_host_outside_the_mesh_is_refused() {
    let (pool, _dir) = test_pool().await;
    crate::server::demo::load(&pool).await.unwrap();
    let text = exported(&pool).await;
    let start = text.find("[[mesh_links]]").unwrap();
    let end = text[start + 1..]
        .find("[[mesh_links]]")
        .map_or(text.len(), |e| start + 1 + e);
    let without = format!("{}{}", &text[..start], &text[end..]);
    let (done, _) = import(&pool, &Actor::cli("test"), &without, Unlisted::Remove, yes)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!((done[0].kind.as_str(), done[0].op), ("mesh_link", Op::Remove));
    assert_eq!(exported(&pool).await, without);

    let to_iris = format!(
        "{}{}",
        &text[..end],
        &text[start..end].replacen("a = \"becblanche\"", "a = \"iris\"", 1)
    );
    let problems = plan(
        &to_iris,
        &load(&mut pool.acquire().await.unwrap()).await.unwrap(),
        Unlisted::Remove,
    )
    .unwrap_err();
    assert!(
        problems.iter().any(|p| p.message == "iris has no mesh node"),
        "{problems:?}"
    );
}
