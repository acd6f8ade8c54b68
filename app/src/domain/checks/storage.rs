//! The media bucket against the env: path-style wants S3_HOSTNAME, virtual-host style
//! S3_ALIAS_HOST, each naming the host the bucket is served from.
use super::{CheckBucket, Env, Finding, Input, ObjectKind, Severity};
use crate::domain::s3::url_authority;

const RESTART: &str = "restart Puma, Sidekiq and streaming";

/// The host media links must use: the alias host, else the endpoint's (for
/// virtual-host style with the bucket in front). None when the bucket's endpoint is a
/// service of the inventory with no alias host: nothing to compare with then.
fn media_host(b: &CheckBucket) -> Option<String> {
    if let Some(alias) = &b.alias_host {
        return Some(alias.clone());
    }
    let endpoint = url_authority(b.endpoint_url.as_deref()?);
    Some(if b.addressing == "path" {
        endpoint.to_owned()
    } else {
        format!("{}.{endpoint}", b.name)
    })
}

/// The bucket the env names (S3_BUCKET) against its addressing: the article's first
/// misconfiguration was a path-style bucket with S3_ALIAS_HOST.
pub fn bucket_addressing(env: &Env, input: &Input, out: &mut Vec<Finding>) {
    if !env
        .get("S3_ENABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return;
    }
    let Some(name) = env.get("S3_BUCKET") else { return };
    let Some(b) = input.buckets.iter().find(|b| b.name == name) else {
        if !input.buckets.is_empty() {
            out.push(
                Finding::new(
                    "s3-bucket-unknown",
                    Severity::Warning,
                    format!("S3_BUCKET={name} is not a bucket of the inventory."),
                )
                .on(ObjectKind::Env, ".env.production")
                .why("Owlery cannot check media links against a bucket it does not know; a typo here also means uploads go nowhere.")
                .fix("Add the bucket under Buckets, or correct S3_BUCKET."),
            );
        }
        return;
    };
    let expected = media_host(b);
    let path_style = b.addressing == "path";
    let (right, wrong) = if path_style {
        ("S3_HOSTNAME", "S3_ALIAS_HOST")
    } else {
        ("S3_ALIAS_HOST", "S3_HOSTNAME")
    };
    let target = expected.as_deref().unwrap_or("the host media is served from");
    if path_style && env.get("S3_ALIAS_HOST").is_some() {
        out.push(
            Finding::new(
                "s3-alias-host-path-style",
                Severity::Error,
                format!(
                    "Bucket {name} is path-style, but the env sets {}.",
                    env.shown("S3_ALIAS_HOST")
                ),
            )
            .on(ObjectKind::Bucket, name)
            .on(ObjectKind::Env, ".env.production")
            .why("With S3_ALIAS_HOST Mastodon leaves the bucket name out of media links, so on a path-style bucket every image and video link points at a missing object (the article's first mistake).")
            .fix(format!(
                "Replace S3_ALIAS_HOST with S3_HOSTNAME={target} in .env.production and {RESTART}."
            )),
        );
        return;
    }
    if !path_style && env.get("S3_ALIAS_HOST").is_none() {
        out.push(
            Finding::new(
                "s3-alias-host-missing",
                Severity::Error,
                format!("Bucket {name} is virtual-host style, but the env has no S3_ALIAS_HOST."),
            )
            .on(ObjectKind::Bucket, name)
            .on(ObjectKind::Env, ".env.production")
            .why("Without S3_ALIAS_HOST Mastodon links media by path on the endpoint, which a virtual-host setup (or the proxy in front of it) does not serve.")
            .fix(format!("Set S3_ALIAS_HOST={target} in .env.production and {RESTART}.")),
        );
        return;
    }
    let (Some(expected), Some(actual)) = (expected, env.get(right)) else {
        return;
    };
    if !actual.eq_ignore_ascii_case(&expected) {
        out.push(
            Finding::new(
                "s3-host-mismatch",
                Severity::Error,
                format!(
                    "{} but bucket {name} is served from {expected}.",
                    env.shown(right)
                ),
            )
            .on(ObjectKind::Bucket, name)
            .on(ObjectKind::Env, ".env.production")
            .why(format!(
                "Every media link Mastodon writes uses {right}: the wrong host means broken images on every post, and links already federated keep the wrong host."
            ))
            .fix(format!(
                "Set {right}={expected} (and no {wrong}) in .env.production and {RESTART}."
            )),
        );
    }
}
