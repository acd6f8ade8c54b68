//! proptest generators: valid settings of both kinds, and strings that are mostly not.
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Kind, PumaSettings, Queue, QueueName, Settings, SidekiqSettings, Tag, Threads};

fn tag() -> impl Strategy<Value = Tag> {
    "[a-z0-9][a-z0-9_-]{0,31}".prop_map(|s| Tag::parse(&s).expect("the pattern makes valid names"))
}

/// Zero groups come often, so `::` lands in every place and ties between runs happen.
fn address() -> impl Strategy<Value = IpAddr> {
    let group = prop_oneof![3 => Just(0u16), 1 => Just(1u16), 2 => any::<u16>()];
    prop_oneof![
        any::<u32>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
        prop::array::uniform8(group).prop_map(|g| IpAddr::V6(Ipv6Addr::from(g))),
    ]
}

fn threads() -> impl Strategy<Value = Threads> {
    (1u16..=64).prop_flat_map(|max| (0..=max).prop_map(move |min| Threads { min, max }))
}

pub fn puma_settings() -> impl Strategy<Value = PumaSettings> {
    (
        prop::option::of(0u16..=64),
        prop::option::of(threads()),
        prop::option::of(1u16..=65535),
        prop::option::of(address()),
        prop::option::of(tag()),
    )
        .prop_map(|(workers, threads, port, bind, name)| PumaSettings {
            workers,
            threads,
            port,
            bind,
            name,
        })
}

fn queues() -> impl Strategy<Value = Vec<Queue>> {
    let queue = ("[a-z][a-z0-9_]{0,8}", prop::option::of(1u16..=100));
    prop::collection::vec(queue, 0..5).prop_map(|qs| {
        let mut out: Vec<Queue> = Vec::new();
        for (name, weight) in qs {
            let name = QueueName::parse(&name).expect("the pattern makes valid queue names");
            if !out.iter().any(|q| q.name == name) {
                out.push(Queue { name, weight });
            }
        }
        out
    })
}

pub fn sidekiq_settings() -> impl Strategy<Value = SidekiqSettings> {
    (
        prop::option::of(1u16..=200),
        queues(),
        prop::option::of(1u16..=1000),
        prop::option::of(tag()),
    )
        .prop_map(|(concurrency, queues, db_pool, name)| SidekiqSettings {
            concurrency,
            queues,
            // A pool equal to the concurrency is written by leaving it out.
            db_pool: db_pool.filter(|d| Some(*d) != concurrency),
            name,
        })
}

pub fn settings() -> impl Strategy<Value = Settings> {
    prop_oneof![
        puma_settings().prop_map(Settings::Puma),
        sidekiq_settings().prop_map(Settings::Sidekiq)
    ]
}

/// A kind, and fields of mostly its own keys built from near misses of every rule,
/// joined by dots: most strings are refused, each for some first reason, and some pass.
pub fn field_soup() -> impl Strategy<Value = (Kind, String)> {
    prop::sample::select(Kind::ALL.to_vec()).prop_flat_map(|kind| (Just(kind), soup(kind)))
}

fn soup(kind: Kind) -> impl Strategy<Value = String> {
    let own: Vec<String> = kind.keys().iter().map(char::to_string).collect();
    let junk: Vec<String> = ["v", "x", "", "c", "w"].map(str::to_owned).to_vec();
    let key = prop_oneof![6 => prop::sample::select(own), 1 => prop::sample::select(junk)];
    let value = prop::sample::select(vec![
        "",
        "0",
        "00",
        "07",
        "1",
        "5",
        "5",
        "10",
        "64",
        "65",
        "200",
        "201",
        "1000",
        "65535",
        "65536",
        "999999",
        "2-5",
        "5-2",
        "5-5",
        "0-1",
        "1-",
        "-1",
        "default",
        "push",
        "push",
        "pull",
        "push-4",
        "push-0",
        "push-04",
        "pull-100",
        "p_2",
        "9x",
        "1-2-3-4",
        "10-0-0-01",
        "256-0-0-1",
        "::",
        "::1",
        "1::",
        "fd00:6f77::1",
        "fd00:6f77:0:0:0:0:0:1",
        "0:0::1",
        "1:0:0:2:0:0:3:4",
        "1::2:0:0:3:4",
        "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:0:8",
        "ffff::",
        "::ffff:a:b",
        "1:::2",
        "12345::",
        "burst",
        "-a",
        "a_b-c",
        "b1",
    ]);
    let field = (key, value).prop_map(|(k, v)| format!("{k}{v}"));
    prop_oneof![
        12 => prop::collection::vec(field, 1..5).prop_map(|fs| fs.join(".")),
        1 => "[a-z0-9:._ A-Z$'\"-]{0,12}",
        1 => Just("default".to_owned()),
    ]
}
