//! The budget arithmetic on the reference cluster: hermes runs Puma, hedwig Sidekiq,
//! the streaming API and MinIO, becblanche PostgreSQL with its default limit.
use super::*;
use crate::domain::checks::CheckHost;
use crate::domain::unit_instance::{parse, SidekiqSettings};

fn host(name: &str) -> CheckHost {
    CheckHost {
        name: name.into(),
        ram_mib: 1024,
        ..CheckHost::default()
    }
}

fn recorded(name: &str, host: &str, kind: &str, unit: &str, mib: u32) -> CheckService {
    CheckService {
        name: name.into(),
        host: host.into(),
        kind: kind.into(),
        unit: unit.into(),
        memory_mib: Some(mib),
        ..CheckService::default()
    }
}

fn reference() -> Input {
    Input {
        hosts: vec![host("hermes"), host("hedwig"), host("becblanche")],
        services: vec![
            recorded(
                "postgresql",
                "becblanche",
                "postgresql",
                "postgresql.service",
                200,
            ),
            recorded("puma", "hermes", "puma", "mastodon-puma@default.service", 300),
            recorded(
                "streaming",
                "hedwig",
                "streaming",
                "mastodon-streaming.service",
                90,
            ),
            recorded(
                "sidekiq",
                "hedwig",
                "sidekiq",
                "mastodon-sidekiq@default.service",
                400,
            ),
            recorded("minio", "hedwig", "minio", "minio.service", 150),
        ],
        ..Input::default()
    }
}

fn sidekiq(instance: &str) -> Settings {
    parse(Kind::Sidekiq, instance).expect("valid instance")
}

/// hedwig as read live: the article's one Sidekiq with Mastodon's defaults.
fn hedwig_live() -> Vec<Running> {
    vec![Running {
        unit: "mastodon-sidekiq@default.service".into(),
        kind: Kind::Sidekiq,
        settings: Some(Settings::Sidekiq(SidekiqSettings::default())),
    }]
}

fn figures(b: Budgets) -> [(u64, u64, u64); 2] {
    let f = |b: Budget| (b.before, b.after, b.limit);
    [f(b.connections), f(b.memory_mib)]
}

#[test]
fn the_reference_cluster_uses_25_of_97_connections_and_a_second_sidekiq_adds_its_threads() {
    let live = hedwig_live();
    let added = sidekiq("c10.qpull");
    let b = budgets(&reference(), "hedwig", Some(&live), Change::Add(&added));
    // Puma 2 workers × 5 threads + Sidekiq 5 + streaming 10 = 25, then + 10.
    // hedwig: MinIO 150 + streaming 90 + Sidekiq 250+5×10, then + 250+10×10.
    assert_eq!(figures(b), [(25, 35, 97), (540, 890, 1024)]);
    assert!(!b.exceeded());
    assert_eq!(
        b.text(),
        "database connections 25 → 35 / 97; memory 540 → 890 / 1024 MiB"
    );
}

#[test]
fn a_sidekiq_of_150_threads_exceeds_both_budgets() {
    let live = hedwig_live();
    let added = sidekiq("c150");
    let b = budgets(&reference(), "hedwig", Some(&live), Change::Add(&added));
    assert_eq!(figures(b), [(25, 175, 97), (540, 2290, 1024)]);
    assert!(b.connections.exceeded() && b.memory_mib.exceeded());
}

#[test]
fn a_change_counts_the_new_instance_instead_of_the_old() {
    let live = hedwig_live();
    let new = sidekiq("c20");
    let change = Change::Replace {
        old: "mastodon-sidekiq@default.service",
        new: &new,
    };
    let b = budgets(&reference(), "hedwig", Some(&live), change);
    assert_eq!(figures(b), [(25, 40, 97), (540, 690, 1024)]);
}

#[test]
fn removing_an_instance_frees_its_connections_and_memory() {
    let live = hedwig_live();
    let b = budgets(
        &reference(),
        "hedwig",
        Some(&live),
        Change::Remove("mastodon-sidekiq@default.service"),
    );
    assert_eq!(figures(b), [(25, 20, 97), (540, 240, 1024)]);
}

#[test]
fn a_change_that_shrinks_an_overrun_is_not_refused() {
    let live = vec![Running {
        unit: "mastodon-sidekiq@c150.service".into(),
        kind: Kind::Sidekiq,
        settings: Some(sidekiq("c150")),
    }];
    let new = sidekiq("c120");
    let change = Change::Replace {
        old: "mastodon-sidekiq@c150.service",
        new: &new,
    };
    let b = budgets(&reference(), "hedwig", Some(&live), change);
    assert_eq!(b.connections.before, 170);
    assert_eq!(b.connections.after, 140);
    assert!(!b.exceeded());
}

#[test]
fn without_a_live_read_the_recorded_services_count() {
    let b = budgets(&reference(), "hedwig", None, Change::Nothing);
    assert_eq!(figures(b), [(25, 25, 97), (640, 640, 1024)]);
    assert_eq!(b.text(), "database connections 25 / 97; memory 640 / 1024 MiB");
}

#[test]
fn gathered_memory_and_the_postgresql_notes_set_the_limits() {
    let mut input = reference();
    input.hosts[1].mem_total_mib = Some(960);
    input.services[0].notes = "max_connections = 40".into();
    let b = budgets(&input, "hedwig", None, Change::Nothing);
    assert_eq!(b.connections.limit, 37);
    assert_eq!(b.memory_mib.limit, 960);
}

#[test]
fn puma_memory_counts_a_master_and_its_workers() {
    let puma = |s: &str| estimate_mib(Kind::Puma, Some(&parse(Kind::Puma, s).expect("valid")));
    assert_eq!(puma("w0.t5"), 300);
    assert_eq!(puma("w2.t5"), 750);
    assert_eq!(puma("default"), 750);
    assert_eq!(estimate_mib(Kind::Sidekiq, None), 300);
}
