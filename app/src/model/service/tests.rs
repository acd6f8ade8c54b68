//! Parsing a service form, and the dependency cycle check.
use super::*;

fn valid() -> ServiceInput {
    ServiceInput {
        name: "puma".into(),
        listen_addr: "fd00:6f77::1".into(),
        deps: "redis, postgresql redis".into(),
        ..ServiceInput::blank("hermes", ServiceKind::Puma)
    }
}

#[test]
fn a_complete_form_parses_into_a_draft() {
    let d = valid().parse().expect("valid input");
    assert_eq!(d.name.as_str(), "puma");
    assert_eq!(d.host.as_str(), "hermes");
    assert_eq!(d.kind, ServiceKind::Puma);
    assert_eq!(d.unit.as_str(), "mastodon-puma@default.service");
    assert_eq!(d.listen_addr, Some("fd00:6f77::1".parse().unwrap()));
    assert_eq!(d.port, Some(3000));
    assert!(d.needs_egress);
    assert_eq!(d.memory_mib, Some(300));
    let deps: Vec<&str> = d.deps.iter().map(ServiceName::as_str).collect();
    assert_eq!(deps, vec!["postgresql", "redis"]);
    assert_eq!(d.version, None);
}

#[test]
fn every_bad_field_is_reported_under_its_own_name() {
    let input = ServiceInput {
        name: "Not_A_Label".into(),
        host: "".into(),
        kind: "apache".into(),
        listen_addr: "fd00::zz".into(),
        port: "70000".into(),
        memory_mib: "0".into(),
        deps: "redis;postgresql".into(),
        ..valid()
    };
    let errors = input.parse().expect_err("invalid input");
    for field in [
        "name",
        "host",
        "kind",
        "listen_addr",
        "port",
        "memory_mib",
        "deps",
    ] {
        assert!(errors.get(field).is_some(), "no message for {field}: {errors}");
    }
    assert_eq!(errors.get("port"), Some("port must be between 1 and 65535"));
    assert!(errors.get("unit").is_none() && errors.get("notes").is_none());
}

#[test]
fn an_empty_unit_takes_the_usual_unit_of_the_kind() {
    let input = ServiceInput {
        kind: "redis".into(),
        unit: " ".into(),
        ..valid()
    };
    assert_eq!(input.parse().unwrap().unit.as_str(), "redis-server.service");
    let custom = ServiceInput {
        kind: "custom".into(),
        unit: "".into(),
        ..valid()
    };
    assert_eq!(
        custom.parse().unwrap_err().get("unit"),
        Some("this field is required")
    );
}

#[test]
fn templated_units_are_accepted_and_a_bare_name_becomes_a_service() {
    let input = ServiceInput {
        unit: "mastodon-sidekiq@default".into(),
        ..valid()
    };
    assert_eq!(
        input.parse().unwrap().unit.as_str(),
        "mastodon-sidekiq@default.service"
    );
    let bad = ServiceInput {
        unit: "a b.service".into(),
        ..valid()
    };
    assert!(bad.parse().unwrap_err().get("unit").is_some());
}

#[test]
fn a_port_may_stand_alone_but_an_address_needs_a_port() {
    let any_address = ServiceInput {
        listen_addr: "".into(),
        port: "443".into(),
        ..valid()
    };
    assert_eq!(any_address.parse().unwrap().port, Some(443));
    let nowhere = ServiceInput {
        listen_addr: "".into(),
        port: "".into(),
        ..valid()
    };
    assert_eq!(nowhere.parse().unwrap().port, None);
    let address_only = ServiceInput {
        port: "".into(),
        ..valid()
    };
    let errors = address_only.parse().unwrap_err();
    assert!(
        errors.get("port").unwrap().starts_with("an address needs a port"),
        "{errors}"
    );
}

#[test]
fn port_zero_is_refused() {
    let input = ServiceInput {
        port: "0".into(),
        ..valid()
    };
    assert_eq!(
        input.parse().unwrap_err().get("port"),
        Some("port must be between 1 and 65535")
    );
}

#[test]
fn a_service_cannot_depend_on_itself() {
    let input = ServiceInput {
        deps: "redis puma".into(),
        ..valid()
    };
    assert_eq!(
        input.parse().unwrap_err().get("deps"),
        Some("puma cannot depend on itself")
    );
}

#[test]
fn the_checkbox_reads_on_and_absent() {
    let off = ServiceInput {
        needs_egress: "".into(),
        ..valid()
    };
    assert!(!off.parse().unwrap().needs_egress);
    let odd = ServiceInput {
        needs_egress: "maybe".into(),
        ..valid()
    };
    assert!(odd.parse().unwrap_err().get("needs_egress").is_some());
}

#[test]
fn every_kind_parses_from_its_id_and_its_usual_unit_is_valid() {
    for kind in ServiceKind::ALL {
        assert_eq!(ServiceKind::parse(kind.as_str()), Ok(kind));
        if kind != ServiceKind::Custom {
            assert_eq!(
                UnitName::parse(kind.default_unit()).map(String::from),
                Ok(kind.default_unit().into())
            );
        }
    }
    assert_eq!(ServiceKind::parse(" PostgreSQL "), Ok(ServiceKind::Postgresql));
}

#[test]
fn a_moved_service_shows_its_host_change_in_the_diff() {
    let before = Service {
        id: 1,
        name: "streaming".into(),
        host: "hermes".into(),
        kind: ServiceKind::Streaming,
        unit: "mastodon-streaming.service".into(),
        listen_addr: None,
        port: Some(4000),
        needs_egress: false,
        memory_mib: Some(90),
        notes: String::new(),
        deps: vec!["postgresql".into(), "redis".into()],
        version: 1,
        created_at: 0,
        updated_at: 0,
    };
    let after = Service {
        host: "hedwig".into(),
        ..before.clone()
    };
    assert_eq!(
        crate::model::host::diff_fields(&before.fields(), &after.fields()),
        vec![("host".into(), "hermes".into(), "hedwig".into())]
    );
    assert_eq!(before.listen(), "*:4000");
}

#[test]
fn listen_addresses_are_written_as_people_write_them() {
    let input = valid().parse().unwrap();
    let mut s = Service {
        id: 1,
        name: input.name.to_string(),
        host: "hermes".into(),
        kind: input.kind,
        unit: input.unit.to_string(),
        listen_addr: Some("fd00:6f77::3".into()),
        port: Some(5432),
        needs_egress: false,
        memory_mib: None,
        notes: String::new(),
        deps: vec![],
        version: 1,
        created_at: 0,
        updated_at: 0,
    };
    assert_eq!(s.listen(), "[fd00:6f77::3]:5432");
    s.listen_addr = Some("127.0.0.1".into());
    s.port = Some(10027);
    assert_eq!(s.listen(), "127.0.0.1:10027");
    s.listen_addr = None;
    s.port = None;
    assert_eq!(s.listen(), "");
}

fn edges(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_dependency_that_leads_back_is_spelled_out_as_a_cycle() {
    let graph = edges(&[
        ("nginx", "puma"),
        ("puma", "postgresql"),
        ("puma", "redis"),
        ("sidekiq", "redis"),
    ]);
    // postgresql -> nginx would close postgresql -> nginx -> puma -> postgresql.
    assert_eq!(
        find_cycle("postgresql", &names(&["nginx"]), &graph),
        Some(names(&["postgresql", "nginx", "puma", "postgresql"]))
    );
    assert_eq!(
        find_cycle("redis", &names(&["puma"]), &graph),
        Some(names(&["redis", "puma", "redis"]))
    );
}

#[test]
fn a_dependency_graph_without_a_way_back_has_no_cycle() {
    let graph = edges(&[
        ("nginx", "puma"),
        ("nginx", "streaming"),
        ("puma", "postgresql"),
        ("streaming", "postgresql"),
        ("puma", "redis"),
    ]);
    assert_eq!(
        find_cycle("sidekiq", &names(&["postgresql", "redis"]), &graph),
        None
    );
    // The service's own old edges do not count: they are being replaced.
    let own = edges(&[("postgresql", "nginx"), ("nginx", "puma")]);
    assert_eq!(find_cycle("postgresql", &names(&[]), &own), None);
    assert_eq!(find_cycle("x", &names(&["unknown"]), &[]), None);
}
