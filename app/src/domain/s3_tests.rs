//! The generated bucket files for the reference cluster, checked by hand line by line.
use super::*;

fn reference() -> BucketFacts<'static> {
    BucketFacts {
        name: "mastodon-media",
        region: "us-east-1",
        endpoint: "http://[fd00:6f77::2]:9000",
        endpoint_label: "MinIO service minio on hedwig",
        addressing: "path",
        alias_host: Some("media.social.example"),
        anonymous: "download",
    }
}

fn mastodon_actions() -> Vec<String> {
    vec!["get".into(), "put".into(), "delete".into()]
}

#[test]
fn bucket_names_follow_the_s3_rules() {
    for good in [
        "mastodon-media",
        "abc",
        "media.social.example",
        "a1-b2",
        &"x".repeat(63),
    ] {
        assert!(BucketName::parse(good).is_ok(), "{good:?} refused");
    }
    for bad in [
        "",
        "ab",
        &"x".repeat(64),
        "Mastodon",
        "under_score",
        "-media",
        "media-",
        ".media",
        "media..files",
        "192.168.5.4",
        "xn--media",
        "sthree-media",
        "media-s3alias",
        "media--ol-s3",
        "médias",
    ] {
        assert!(BucketName::parse(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn the_reference_download_policy_lets_anyone_read_objects_only() {
    let expected = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": [
          "*"
        ]
      },
      "Action": [
        "s3:GetObject"
      ],
      "Resource": [
        "arn:aws:s3:::mastodon-media/*"
      ]
    }
  ]
}
"#;
    assert_eq!(
        anonymous_policy("mastodon-media", "download").as_deref(),
        Some(expected)
    );
}

#[test]
fn a_private_bucket_has_no_anonymous_policy() {
    assert_eq!(anonymous_policy("mastodon-media", "none"), None);
}

#[test]
fn a_public_bucket_can_be_listed_read_and_written_by_anyone() {
    let policy = anonymous_policy("b0x", "public").unwrap();
    let json: serde_json::Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(
        json["Statement"][0]["Action"],
        serde_json::json!(["s3:GetBucketLocation", "s3:ListBucket"])
    );
    assert_eq!(
        json["Statement"][0]["Resource"],
        serde_json::json!(["arn:aws:s3:::b0x"])
    );
    assert_eq!(
        json["Statement"][1]["Action"],
        serde_json::json!(["s3:GetObject", "s3:PutObject"])
    );
    let upload = anonymous_policy("b0x", "upload").unwrap();
    assert!(upload.contains("\"s3:PutObject\"") && !upload.contains("s3:GetObject"));
}

#[test]
fn the_mastodon_user_policy_allows_get_put_and_delete_on_objects() {
    let expected = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject"
      ],
      "Resource": [
        "arn:aws:s3:::mastodon-media/*"
      ]
    }
  ]
}
"#;
    assert_eq!(user_policy("mastodon-media", &mastodon_actions()), expected);
}

#[test]
fn listing_is_granted_on_the_bucket_itself() {
    let policy = user_policy("b0x", &["list".to_string()]);
    let json: serde_json::Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(json["Statement"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        json["Statement"][0]["Resource"],
        serde_json::json!(["arn:aws:s3:::b0x"])
    );
}

#[test]
fn the_reference_env_block_uses_s3_hostname_for_path_style() {
    let actions = mastodon_actions();
    let user = AccessUser {
        access_key: "mastodon",
        secret_name: "minio-mastodon",
        actions: &actions,
    };
    let expected = "\
# S3 media storage: bucket mastodon-media on MinIO service minio on hedwig.
S3_ENABLED=true
S3_BUCKET=mastodon-media
S3_REGION=us-east-1
S3_PROTOCOL=https
S3_ENDPOINT=http://[fd00:6f77::2]:9000
AWS_ACCESS_KEY_ID=mastodon
AWS_SECRET_ACCESS_KEY=<secret minio-mastodon in Owlery>
# Path-style: the bucket stays in the path, so S3_HOSTNAME and not S3_ALIAS_HOST.
# Mastodon links media as https://media.social.example/mastodon-media/<path>
S3_HOSTNAME=media.social.example
";
    assert_eq!(mastodon_env(&reference(), Some(&user)), expected);
    assert!(!expected.contains("S3_ALIAS_HOST="));
}

#[test]
fn a_virtual_host_bucket_gets_an_alias_host_and_no_hostname() {
    let facts = BucketFacts {
        addressing: "virtual-host",
        ..reference()
    };
    let env = mastodon_env(&facts, None);
    assert!(env.contains("\nS3_ALIAS_HOST=media.social.example\n"), "{env}");
    assert!(env.contains("# S3_ALIAS_HOST. Mastodon links media as https://media.social.example/<path>\n"));
    assert!(!env.contains("S3_HOSTNAME="));
    assert!(env.contains("AWS_ACCESS_KEY_ID=<add an access user>\n"));
}

#[test]
fn the_reference_nginx_block_keeps_the_bucket_in_the_path() {
    let expected = "\
# media.social.example: media of bucket mastodon-media on MinIO service minio on hedwig.
# Mastodon links https://media.social.example/mastodon-media/<path>;
# the path goes to the endpoint unchanged, bucket included.
server {
    listen 443 ssl;
    listen [::]:443 ssl;
    http2 on;
    server_name media.social.example;
    ssl_certificate /etc/letsencrypt/live/media.social.example/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/media.social.example/privkey.pem;

    location /mastodon-media/ {
        # Visitors only read; Mastodon writes through S3_ENDPOINT.
        limit_except GET HEAD { deny all; }
        proxy_pass http://[fd00:6f77::2]:9000;
        proxy_set_header Host [fd00:6f77::2]:9000;
        proxy_http_version 1.1;
        proxy_set_header Connection \"\";
        proxy_hide_header Set-Cookie;
        proxy_ignore_headers Set-Cookie;
        add_header X-Content-Type-Options nosniff;
    }
}
";
    assert_eq!(nginx_proxy(&reference()).as_deref(), Some(expected));
}

#[test]
fn a_virtual_host_proxy_adds_the_bucket_in_front_of_the_path() {
    let facts = BucketFacts {
        addressing: "virtual-host",
        endpoint: "https://s3.fr-par.scw.cloud",
        ..reference()
    };
    let block = nginx_proxy(&facts).unwrap();
    assert!(block.contains("    location / {\n"), "{block}");
    assert!(block.contains("proxy_pass https://s3.fr-par.scw.cloud/mastodon-media/;\n"));
    assert!(block.contains("proxy_ssl_server_name on;\n"));
    assert!(block.contains("# Mastodon links https://media.social.example/<path>;\n"));
}

#[test]
fn without_an_alias_host_there_is_no_proxy_and_links_go_to_the_endpoint() {
    let facts = BucketFacts {
        alias_host: None,
        endpoint: "https://s3.fr-par.scw.cloud",
        ..reference()
    };
    assert_eq!(nginx_proxy(&facts), None);
    let env = mastodon_env(&facts, None);
    assert!(env.ends_with("S3_HOSTNAME=s3.fr-par.scw.cloud\n"), "{env}");
}

#[test]
fn the_authority_of_a_url_is_its_host_and_port() {
    assert_eq!(url_authority("http://[fd00::2]:9000/x?y"), "[fd00::2]:9000");
    assert_eq!(url_authority("https://s3.example"), "s3.example");
}
