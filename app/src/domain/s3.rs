//! S3 buckets: the naming rules, and the files Owlery generates for one bucket (the
//! MinIO policies, Mastodon's `.env.production` S3 block, the nginx media proxy).
use serde::{Deserialize, Serialize};
use std::fmt;

/// A bucket name as S3 and MinIO accept it: 3-63 of a-z, 0-9, '.' and '-', starting and
/// ending with a letter or digit, not shaped like an IP address, no "..", and none of
/// the prefixes and suffixes AWS keeps for itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BucketName(String);

impl BucketName {
    pub fn parse(s: &str) -> Result<BucketName, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("this field is required".into());
        }
        if !(3..=63).contains(&s.len()) {
            return Err("a bucket name has 3 to 63 characters".into());
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            return Err("use only lowercase letters a-z, digits, '.' and '-'".into());
        }
        let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !alnum(s.bytes().next()) || !alnum(s.bytes().last()) {
            return Err("a bucket name starts and ends with a letter or digit".into());
        }
        if s.contains("..") {
            return Err("a bucket name cannot contain \"..\"".into());
        }
        if s.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err("a bucket name cannot look like an IP address".into());
        }
        if s.starts_with("xn--") || s.starts_with("sthree-") {
            return Err("a bucket name cannot start with \"xn--\" or \"sthree-\"".into());
        }
        if s.ends_with("-s3alias") || s.ends_with("--ol-s3") {
            return Err("a bucket name cannot end with \"-s3alias\" or \"--ol-s3\"".into());
        }
        Ok(BucketName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BucketName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What Owlery needs to know about a bucket to write its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketFacts<'a> {
    pub name: &'a str,
    pub region: &'a str,
    /// How Mastodon and nginx reach the S3 API: `http://[fd00:6f77::2]:9000`.
    pub endpoint: &'a str,
    /// Where the endpoint is, for the comments: "MinIO service minio on hedwig".
    pub endpoint_label: &'a str,
    /// "path" or "virtual-host".
    pub addressing: &'a str,
    pub alias_host: Option<&'a str>,
    /// "none", "download", "upload" or "public".
    pub anonymous: &'a str,
}

/// One access user: its access key and the secret holding its secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessUser<'a> {
    pub access_key: &'a str,
    pub secret_name: &'a str,
    /// Some of "get", "put", "delete", "list".
    pub actions: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Policy {
    version: &'static str,
    statement: Vec<Statement>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Statement {
    effect: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<Principal>,
    action: Vec<&'static str>,
    resource: Vec<String>,
}

#[derive(Serialize)]
struct Principal {
    #[serde(rename = "AWS")]
    aws: Vec<&'static str>,
}

fn policy_json(statement: Vec<Statement>) -> String {
    let policy = Policy {
        version: "2012-10-17",
        statement,
    };
    // Plain structs of strings always serialise; the fallback is never reached.
    serde_json::to_string_pretty(&policy).unwrap_or_default() + "\n"
}

fn statement(anyone: bool, action: Vec<&'static str>, resource: String) -> Statement {
    Statement {
        effect: "Allow",
        principal: anyone.then(|| Principal { aws: vec!["*"] }),
        action,
        resource: vec![resource],
    }
}

/// The bucket policy for anonymous visitors (`mc anonymous set-json`), or None when
/// anonymous access is "none": then the bucket needs no policy at all.
pub fn anonymous_policy(bucket: &str, anonymous: &str) -> Option<String> {
    let objects = format!("arn:aws:s3:::{bucket}/*");
    let statements = match anonymous {
        "download" => vec![statement(true, vec!["s3:GetObject"], objects)],
        "upload" => vec![statement(true, vec!["s3:PutObject"], objects)],
        "public" => vec![
            statement(
                true,
                vec!["s3:GetBucketLocation", "s3:ListBucket"],
                format!("arn:aws:s3:::{bucket}"),
            ),
            statement(true, vec!["s3:GetObject", "s3:PutObject"], objects),
        ],
        _ => return None,
    };
    Some(policy_json(statements))
}

/// The policy of one access user (`mc admin policy create`): object actions on the
/// bucket's objects, listing on the bucket itself.
pub fn user_policy(bucket: &str, actions: &[String]) -> String {
    let has = |a: &str| actions.iter().any(|x| x == a);
    let mut object_actions = Vec::new();
    for (action, s3) in [
        ("get", "s3:GetObject"),
        ("put", "s3:PutObject"),
        ("delete", "s3:DeleteObject"),
    ] {
        if has(action) {
            object_actions.push(s3);
        }
    }
    let mut statements = Vec::new();
    if has("list") {
        statements.push(statement(
            false,
            vec!["s3:ListBucket"],
            format!("arn:aws:s3:::{bucket}"),
        ));
    }
    if !object_actions.is_empty() {
        statements.push(statement(
            false,
            object_actions,
            format!("arn:aws:s3:::{bucket}/*"),
        ));
    }
    policy_json(statements)
}

/// The `host[:port]` of a URL: `http://[fd00::2]:9000/x` gives `[fd00::2]:9000`.
pub fn url_authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// The URL of one media file as Mastodon will write it into posts.
fn media_url_shape(b: &BucketFacts) -> String {
    let path_style = b.addressing == "path";
    match (b.alias_host, path_style) {
        (Some(alias), true) => format!("https://{alias}/{}/<path>", b.name),
        (Some(alias), false) => format!("https://{alias}/<path>"),
        (None, true) => format!("https://{}/{}/<path>", url_authority(b.endpoint), b.name),
        (None, false) => format!("https://{}.{}/<path>", b.name, url_authority(b.endpoint)),
    }
}

/// Mastodon's `.env.production` S3 block. The secret key is only named, never shown:
/// copy it from Owlery's secret store when installing the file.
///
/// Path-style buckets keep the bucket in the URL path, so the public host goes into
/// S3_HOSTNAME; S3_ALIAS_HOST makes Mastodon drop the bucket from its links, which is
/// right only when the host or a proxy adds it back (the article's first mistake).
pub fn mastodon_env(b: &BucketFacts, user: Option<&AccessUser>) -> String {
    let (key, secret) = match user {
        Some(u) => (
            u.access_key.to_owned(),
            format!("<secret {} in Owlery>", u.secret_name),
        ),
        None => (
            "<add an access user>".to_owned(),
            "<add an access user>".to_owned(),
        ),
    };
    let mut out = format!(
        "# S3 media storage: bucket {name} on {label}.\n\
         S3_ENABLED=true\n\
         S3_BUCKET={name}\n\
         S3_REGION={region}\n\
         S3_PROTOCOL=https\n\
         S3_ENDPOINT={endpoint}\n\
         AWS_ACCESS_KEY_ID={key}\n\
         AWS_SECRET_ACCESS_KEY={secret}\n",
        name = b.name,
        label = b.endpoint_label,
        region = b.region,
        endpoint = b.endpoint,
    );
    let shape = media_url_shape(b);
    if b.addressing == "path" {
        let host = b.alias_host.unwrap_or_else(|| url_authority(b.endpoint));
        out.push_str(&format!(
            "# Path-style: the bucket stays in the path, so S3_HOSTNAME and not S3_ALIAS_HOST.\n\
             # Mastodon links media as {shape}\n\
             S3_HOSTNAME={host}\n"
        ));
    } else {
        let alias = match b.alias_host {
            Some(alias) => alias.to_owned(),
            None => format!("{}.{}", b.name, url_authority(b.endpoint)),
        };
        out.push_str(&format!(
            "# Virtual-host style: the host (or the proxy in front) adds the bucket, so\n\
             # S3_ALIAS_HOST. Mastodon links media as {shape}\n\
             S3_ALIAS_HOST={alias}\n\
             S3_OVERRIDE_PATH_STYLE=true\n"
        ));
    }
    out
}

/// The nginx server block that serves the alias host from the bucket, read-only, or
/// None without an alias host. It forwards the path as the env block makes Mastodon
/// write it, so the two always agree.
pub fn nginx_proxy(b: &BucketFacts) -> Option<String> {
    let alias = b.alias_host?;
    let upstream = b.endpoint.trim_end_matches('/');
    let authority = url_authority(b.endpoint);
    let shape = media_url_shape(b);
    let (location, proxy_pass, why) = if b.addressing == "path" {
        (
            format!("/{}/", b.name),
            upstream.to_owned(),
            "the path goes to the endpoint unchanged, bucket included",
        )
    } else {
        (
            "/".to_owned(),
            format!("{upstream}/{}/", b.name),
            "nginx puts the bucket back in front of the path",
        )
    };
    let tls_upstream = if upstream.starts_with("https://") {
        "        proxy_ssl_server_name on;\n"
    } else {
        ""
    };
    Some(format!(
        "# {alias}: media of bucket {name} on {label}.\n\
         # Mastodon links {shape};\n\
         # {why}.\n\
         server {{\n    \
             listen 443 ssl;\n    \
             listen [::]:443 ssl;\n    \
             http2 on;\n    \
             server_name {alias};\n    \
             ssl_certificate /etc/letsencrypt/live/{alias}/fullchain.pem;\n    \
             ssl_certificate_key /etc/letsencrypt/live/{alias}/privkey.pem;\n\n    \
             location {location} {{\n        \
                 # Visitors only read; Mastodon writes through S3_ENDPOINT.\n        \
                 limit_except GET HEAD {{ deny all; }}\n        \
                 proxy_pass {proxy_pass};\n        \
                 proxy_set_header Host {authority};\n{tls_upstream}        \
                 proxy_http_version 1.1;\n        \
                 proxy_set_header Connection \"\";\n        \
                 proxy_hide_header Set-Cookie;\n        \
                 proxy_ignore_headers Set-Cookie;\n        \
                 add_header X-Content-Type-Options nosniff;\n    \
             }}\n\
         }}\n",
        name = b.name,
        label = b.endpoint_label,
    ))
}

#[cfg(test)]
#[path = "s3_tests.rs"]
mod tests;
