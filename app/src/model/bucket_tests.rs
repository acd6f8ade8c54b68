//! Parsing bucket and access-user forms: good input, and each bad field named.
use super::*;

fn external() -> BucketInput {
    BucketInput {
        name: "mastodon-media".into(),
        endpoint_url: "https://s3.fr-par.scw.cloud/".into(),
        alias_host: "media.social.example".into(),
        ..BucketInput::blank()
    }
}

#[test]
fn a_bucket_on_an_external_endpoint_parses() {
    let draft = external().parse().expect("valid");
    assert_eq!(
        draft.endpoint,
        Endpoint::Url("https://s3.fr-par.scw.cloud".into())
    );
    assert_eq!(draft.alias_host.as_deref(), Some("media.social.example"));
}

#[test]
fn a_bucket_needs_exactly_one_endpoint() {
    let neither = BucketInput {
        endpoint_url: String::new(),
        ..external()
    };
    assert!(neither.parse().unwrap_err().get("service").is_some());
    let both = BucketInput {
        service: "minio".into(),
        ..external()
    };
    assert!(both.parse().unwrap_err().get("endpoint_url").is_some());
}

#[test]
fn a_bad_name_is_reported_on_the_name_alone() {
    let input = BucketInput {
        name: "Media_Files".into(),
        ..external()
    };
    let errors = input.parse().unwrap_err();
    assert!(errors.get("name").is_some());
    assert_eq!(errors.0.len(), 1, "{errors}");
}

#[test]
fn an_access_user_needs_a_key_a_secret_and_an_action() {
    let user = BucketUserInput {
        access_key: "mastodon".into(),
        secret_name: "minio-mastodon".into(),
        get: "on".into(),
        put: "on".into(),
        delete: "on".into(),
        ..BucketUserInput::default()
    }
    .parse()
    .expect("valid");
    assert_eq!(user.actions, vec!["get", "put", "delete"]);
    let none = BucketUserInput {
        access_key: "x".into(),
        secret_name: "no spaces".into(),
        ..BucketUserInput::default()
    };
    let errors = none.parse().unwrap_err();
    for field in ["access_key", "secret_name", "actions"] {
        assert!(errors.get(field).is_some(), "{field}: {errors}");
    }
}

#[test]
fn endpoint_urls_are_scheme_host_and_port() {
    assert_eq!(
        parse_endpoint_url("http://[fd00::2]:9000"),
        Ok("http://[fd00::2]:9000".into())
    );
    assert!(parse_endpoint_url("s3.example").is_err());
    assert!(parse_endpoint_url("https://s3.example/path").is_err());
}
