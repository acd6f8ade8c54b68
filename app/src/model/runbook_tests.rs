//! Tests of the runbook format: reading, checking, line numbers, writing back.
use super::*;
use crate::model::runbook_toml::{describe, parse_toml, to_toml};

const SMALL: &str = r#"slug = "db-check"
title = "Check the database host"
summary = "Looks at **becblanche**."

[[params]]
name = "db"
label = "Database host"
kind = "host"
default = "becblanche"

[[params]]
name = "port"
label = "Port"
kind = "number"
min = 1
max = 65535
default = "5432"

[[steps]]
id = "read"
title = "Read the notes"
kind = "manual"
why = "So everyone knows the plan."
instructions = "Read the runbook."

[[steps]]
id = "ready"
title = "PostgreSQL answers"
kind = "check"
why = "Nothing else works without it."
on = ["db"]
script = """
pg_isready -h {{db.mesh}} -p {{port}}
"""
pass_pattern = "accepting"
"#;

#[test]
fn a_valid_runbook_reads_with_its_params_and_steps() {
    let r = parse_toml(SMALL).expect("valid");
    assert_eq!(r.slug, "db-check");
    assert_eq!(r.params[1].kind, ParamKind::Number);
    assert!(
        r.params[0].required,
        "params are required unless they say otherwise"
    );
    assert_eq!(r.steps[1].kind, StepKind::Check);
    assert_eq!(r.steps[1].pass_exit(), 0);
    assert_eq!(r.steps[1].script, "pg_isready -h {{db.mesh}} -p {{port}}\n");
}

#[test]
fn writing_and_reading_back_gives_the_same_runbook() {
    let r = parse_toml(SMALL).expect("valid");
    let text = to_toml(&r).expect("toml");
    assert_eq!(parse_toml(&text).expect("round trip"), r);
}

#[test]
fn a_syntax_error_is_reported_at_its_line() {
    let broken = SMALL.replace("kind = \"manual\"", "kind = manual");
    let problems = parse_toml(&broken).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, 22, "{problems:?}");
}

#[test]
fn an_unknown_kind_or_field_is_reported_at_its_line() {
    let problems = parse_toml(&SMALL.replace("kind = \"number\"", "kind = \"integer\"")).unwrap_err();
    assert_eq!(problems[0].0, 14, "{problems:?}");
    assert!(problems[0].2.contains("unknown variant"), "{problems:?}");
    let problems = parse_toml(&SMALL.replace("why = \"So", "colour = \"red\"\nwhy = \"So")).unwrap_err();
    assert!(problems[0].2.contains("unknown field `colour`"), "{problems:?}");
}

#[test]
fn an_unknown_placeholder_names_the_step_and_the_file_line() {
    let problems = parse_toml(&SMALL.replace("-p {{port}}", "-p {{prot}}")).unwrap_err();
    assert_eq!(
        describe(&problems),
        "line 33 (steps[1].script): unknown placeholder {{prot}}: no such parameter"
    );
    let one_line = SMALL.replace(
        "script = \"\"\"\npg_isready -h {{db.mesh}} -p {{port}}\n\"\"\"",
        "script = \"echo {{db.disk}}\"",
    );
    assert_eq!(
        describe(&parse_toml(&one_line).unwrap_err()),
        "line 32 (steps[1].script): unknown placeholder {{db.disk}}: a host field is mesh, ipv4, ipv6 or ssh"
    );
}

#[test]
fn structural_problems_are_all_reported_with_their_fields() {
    let bad = SMALL
        .replace("slug = \"db-check\"", "slug = \"DB check\"")
        .replace("why = \"So everyone knows the plan.\"", "why = \"\"")
        .replace("on = [\"db\"]", "on = [\"port\"]")
        .replace("default = \"5432\"", "default = \"70000\"");
    let text = describe(&parse_toml(&bad).unwrap_err());
    assert_eq!(
        text,
        "line 1 (slug): use lowercase letters, digits and '-', starting with a letter (at most 63)\n\
         line 17 (params[1].default): use at most 65535\n\
         line 23 (steps[0].why): every step says why it exists\n\
         line 31 (steps[1].on): port is not a host or role parameter"
    );
}

#[test]
fn approval_and_manual_steps_need_instructions_and_a_point_of_no_return_needs_a_rollback() {
    let r = Runbook {
        steps: vec![Step {
            id: "go".into(),
            title: "Go".into(),
            kind: StepKind::Approval,
            why: "Past here there is no way back.".into(),
            instructions: String::new(),
            on: vec![],
            script: String::new(),
            timeout_secs: None,
            pass_exit: None,
            pass_pattern: None,
            point_of_no_return: true,
            rollback: String::new(),
        }],
        ..parse_toml(SMALL).expect("valid")
    };
    let paths: Vec<String> = r.problems().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, vec!["steps[0].instructions", "steps[0].rollback"]);
}

#[test]
fn bad_regular_expressions_are_refused() {
    let problems = parse_toml(&SMALL.replace("\"accepting\"", "\"accept(\"")).unwrap_err();
    assert_eq!(problems[0].1, "steps[1].pass_pattern");
}

#[test]
fn number_values_stay_within_their_bounds() {
    assert_eq!(number_in("5432", Some(1), Some(65535)), Ok(5432));
    assert_eq!(number_in(" 0 ", Some(1), None), Err("use at least 1".into()));
    assert_eq!(
        number_in("1.5", None, None),
        Err("\"1.5\" is not a whole number".into())
    );
}
