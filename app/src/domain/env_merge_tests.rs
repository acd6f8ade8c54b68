use super::*;

/// iris's production file, as `mastodon:setup` wrote it and an admin edited it.
const SOURCE: &str = "\
# Generated with mastodon:setup
LOCAL_DOMAIN=social.example
SECRET_KEY_BASE=aaaa1111
OTP_SECRET=bbbb2222
VAPID_PRIVATE_KEY=cccc3333
VAPID_PUBLIC_KEY=BPublicKey
DB_HOST=/var/run/postgresql
DB_NAME=mastodon_production
DB_PASS=
REDIS_HOST=localhost
SMTP_SERVER=localhost
SMTP_FROM_ADDRESS=\"Mastodon <notifications@social.example>\"
";

/// What the inventory says the cluster needs (a part of the generated blocks).
const INVENTORY: &str = "\
# S3 media storage: bucket mastodon-media on MinIO service minio on hedwig.
S3_ENABLED=true
S3_BUCKET=mastodon-media
AWS_ACCESS_KEY_ID=mastodon
AWS_SECRET_ACCESS_KEY=<secret minio-mastodon in Owlery>
S3_HOSTNAME=media.social.example
DB_HOST=fd00:6f77::3
REDIS_HOST=fd00:6f77::3
SMTP_SERVER=fd00:6f77::1
";

/// The test instance's file on hermes: its own identity, the S3 key that worked, the
/// wrong S3 variable, and a Redis address nobody else has.
const TARGET: &str = "\
LOCAL_DOMAIN=staging.social.example
SECRET_KEY_BASE=test9999
DB_HOST=fd00:6f77::3
REDIS_HOST=fd00:6f77::9
S3_ENABLED=true
AWS_SECRET_ACCESS_KEY=minio-secret-xyz
S3_ALIAS_HOST=media.social.example
STREAMING_API_BASE_URL=wss://streaming.staging.social.example
";

fn rows() -> Vec<MergeRow> {
    merge(&parse(SOURCE), &parse(INVENTORY), &parse(TARGET))
}

#[test]
fn comments_quotes_export_and_inline_comments_are_read_as_dotenv_does() {
    let file = parse(
        "# a comment\n\
         \n\
         export LOCAL_DOMAIN=social.example\n\
         SMTP_FROM_ADDRESS=\"Owls \\\"at\\\" night <n@social.example>\"\n\
         SINGLE='$not expanded # kept'\n\
         BARE=value # a comment\n\
         EMPTY=\n\
         SPACED = padded\n",
    );
    let pairs: Vec<(&str, &str)> = file
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("LOCAL_DOMAIN", "social.example"),
            ("SMTP_FROM_ADDRESS", "Owls \"at\" night <n@social.example>"),
            ("SINGLE", "$not expanded # kept"),
            ("BARE", "value"),
            ("EMPTY", ""),
            ("SPACED", "padded"),
        ]
    );
    assert!(file.problems.is_empty(), "{:?}", file.problems);
}

#[test]
fn duplicates_open_quotes_and_stray_lines_are_reported_with_their_line() {
    let file = parse(
        "DB_HOST=localhost\n\
         just some words\n\
         DB_HOST=fd00:6f77::3\n\
         OTP_SECRET=\"never closed\n\
         1BAD=x\n\
         QUOTED='a' trailing\n",
    );
    assert_eq!(
        file.problems,
        vec![
            "line 2: not KEY=value, left out",
            "line 3: DB_HOST is set again (first on line 1); the last value counts",
            "line 4: OTP_SECRET: the double quote is never closed, left out",
            "line 5: \"1BAD\" is not a variable name, left out",
            "line 6: QUOTED: \"trailing\" follows the closing quote, left out",
        ]
    );
    assert_eq!(file.get("DB_HOST"), Some("fd00:6f77::3"));
    assert_eq!(file.entries.len(), 1);
}

#[test]
fn secret_keys_are_recognised_and_public_ones_are_not() {
    for key in [
        "SECRET_KEY_BASE",
        "OTP_SECRET",
        "VAPID_PRIVATE_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "SMTP_PASSWORD",
        "DB_PASS",
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        "DEEPL_API_KEY",
        "DATABASE_URL",
        "REDIS_URL",
    ] {
        assert!(is_secret(key), "{key} should be secret");
    }
    for key in [
        "VAPID_PUBLIC_KEY",
        "AWS_ACCESS_KEY_ID",
        "LOCAL_DOMAIN",
        "DB_HOST",
        "S3_HOSTNAME",
        "STREAMING_API_BASE_URL",
    ] {
        assert!(!is_secret(key), "{key} should not be secret");
    }
}

#[test]
fn the_merge_takes_the_inventory_keeps_the_source_and_flags_what_differs() {
    let table: Vec<String> = rows()
        .iter()
        .map(|r| {
            let [b, o, t, m] = masked(r);
            let flag = if r.conflict { " CONFLICT" } else { "" };
            format!("{} | {b} | {o} | {t} | {m}{flag}", r.key)
        })
        .collect();
    assert_eq!(
        table,
        vec![
            "LOCAL_DOMAIN | social.example | unset | staging.social.example | social.example CONFLICT",
            "SECRET_KEY_BASE | set | unset | set, differs | set, same CONFLICT",
            "OTP_SECRET | set | unset | unset | set, same",
            "VAPID_PRIVATE_KEY | set | unset | unset | set, same",
            "VAPID_PUBLIC_KEY | BPublicKey | unset | unset | BPublicKey",
            "DB_HOST | /var/run/postgresql | fd00:6f77::3 | fd00:6f77::3 | fd00:6f77::3",
            "DB_NAME | mastodon_production | unset | unset | mastodon_production",
            "DB_PASS | set | unset | unset | set, same",
            "REDIS_HOST | localhost | fd00:6f77::3 | fd00:6f77::9 | fd00:6f77::3 CONFLICT",
            "SMTP_SERVER | localhost | fd00:6f77::1 | unset | fd00:6f77::1",
            "SMTP_FROM_ADDRESS | Mastodon <notifications@social.example> | unset | unset | \
             Mastodon <notifications@social.example>",
            "S3_ENABLED | unset | true | true | true",
            "S3_BUCKET | unset | mastodon-media | unset | mastodon-media",
            "AWS_ACCESS_KEY_ID | unset | mastodon | unset | mastodon",
            "AWS_SECRET_ACCESS_KEY | unset | <secret minio-mastodon in Owlery> | set | set",
            "S3_HOSTNAME | unset | media.social.example | unset | media.social.example",
            "S3_ALIAS_HOST | unset | unset | media.social.example | unset CONFLICT",
            "STREAMING_API_BASE_URL | unset | unset | wss://streaming.staging.social.example | \
             wss://streaming.staging.social.example",
        ]
    );
}

#[test]
fn the_merged_file_holds_the_secrets_and_marks_what_to_check() {
    assert_eq!(
        render(&rows()),
        "# .env.production merged by Owlery: source, inventory and target.\n\
         # CHECK: LOCAL_DOMAIN differs between the files\n\
         LOCAL_DOMAIN=social.example\n\
         # CHECK: SECRET_KEY_BASE differs between the files\n\
         SECRET_KEY_BASE=aaaa1111\n\
         OTP_SECRET=bbbb2222\n\
         VAPID_PRIVATE_KEY=cccc3333\n\
         VAPID_PUBLIC_KEY=BPublicKey\n\
         DB_HOST=fd00:6f77::3\n\
         DB_NAME=mastodon_production\n\
         DB_PASS=''\n\
         # CHECK: REDIS_HOST differs between the files\n\
         REDIS_HOST=fd00:6f77::3\n\
         SMTP_SERVER=fd00:6f77::1\n\
         SMTP_FROM_ADDRESS='Mastodon <notifications@social.example>'\n\
         S3_ENABLED=true\n\
         S3_BUCKET=mastodon-media\n\
         AWS_ACCESS_KEY_ID=mastodon\n\
         AWS_SECRET_ACCESS_KEY=minio-secret-xyz\n\
         S3_HOSTNAME=media.social.example\n\
         # CHECK: S3_ALIAS_HOST left out, the inventory's settings exclude it\n\
         STREAMING_API_BASE_URL=wss://streaming.staging.social.example\n"
    );
}

#[test]
fn an_inventory_secret_nobody_has_stays_named_and_is_a_conflict() {
    let rows = merge(
        &parse(""),
        &parse("AWS_SECRET_ACCESS_KEY=<secret minio-mastodon in Owlery>\n"),
        &parse(""),
    );
    assert_eq!(
        masked(&rows[0]),
        [
            "unset".to_owned(),
            "<secret minio-mastodon in Owlery>".to_owned(),
            "unset".to_owned(),
            "<secret minio-mastodon in Owlery>".to_owned()
        ]
    );
    assert!(rows[0].conflict);
}

#[test]
fn every_written_value_reads_back_unchanged() {
    for value in [
        "plain",
        "",
        "two words",
        "it's",
        "say \"hi\"",
        "$HOME",
        "a # b",
        "line\nbreak 'and' \"quotes\" $x \\",
        "<secret x in Owlery>",
    ] {
        let file = parse(&format!("K={}\n", quote(value)));
        assert_eq!(file.get("K"), Some(value), "written as {}", quote(value));
        assert!(file.problems.is_empty(), "{:?}", file.problems);
    }
}
