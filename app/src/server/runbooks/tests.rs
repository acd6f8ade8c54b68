//! Tests of runbook storage and of runs without SSH: import, edit, copy, delete,
//! built-ins, and the order and approval rules of steps.
use super::*;
use crate::model::runbook_run::{StepAction, StepState};
use crate::server::db::test_pool;

pub(crate) const MANUAL_ONLY: &str = r#"slug = "two-checks"
title = "Two manual steps and an approval"

[[params]]
name = "note"
label = "Note"
kind = "text"

[[steps]]
id = "first"
title = "First"
kind = "manual"
why = "Because."
instructions = "Do the first thing."

[[steps]]
id = "go"
title = "Go ahead"
kind = "approval"
why = "A second pair of eyes."
instructions = "Approve when ready."
point_of_no_return = true
rollback = "Restore yesterday's dump."

[[steps]]
id = "last"
title = "Last"
kind = "manual"
why = "To finish."
instructions = "Do the last thing."
"#;

/// A server state on `pool` whose jobs reach hosts over real SSH (none here).
fn test_state(pool: sqlx::SqlitePool) -> crate::server::AppState {
    use std::sync::Arc;
    crate::server::AppState {
        leptos_options: leptos::config::LeptosOptions::builder()
            .output_name("owlery")
            .build(),
        db: pool,
        settings: Arc::new(Default::default()),
        setup: Default::default(),
        master_key: Arc::new(crate::server::secrets::cipher::MasterKey::generate()),
        jobs: Arc::new(crate::server::jobs::Jobs::new(
            crate::server::ssh::RusshRemote::default(),
            crate::server::jobs::DEFAULT_OUTPUT_CAP,
        )),
        streams: Default::default(),
    }
}

fn user(id: i64, name: &str) -> Actor {
    Actor {
        user_id: Some(id),
        name: name.into(),
        client_addr: "test".into(),
    }
}

#[tokio::test]
async fn an_imported_runbook_can_be_edited_copied_and_deleted_each_change_audited() {
    let (pool, _dir) = test_pool().await;
    let admin = user(1, "ada");
    import(&pool, &admin, MANUAL_ONLY).await.unwrap();
    let edited = MANUAL_ONLY.replace("Two manual steps", "Three steps");
    let r = update(&pool, &admin, "two-checks", &edited, 1).await.unwrap();
    assert_eq!(r.title, "Three steps and an approval");
    let stale = update(&pool, &admin, "two-checks", &edited, 1).await.unwrap_err();
    assert!(matches!(stale, AppError::Conflict(_)));
    let copy = copy(&pool, &admin, "two-checks").await.unwrap();
    assert_eq!(copy.slug, "two-checks-copy");
    assert_eq!(copy.title, "Three steps and an approval (copy)");
    delete(&pool, &admin, "two-checks", 2).await.unwrap();
    let slugs: Vec<String> = db::list(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.slug)
        .collect();
    assert_eq!(slugs, vec!["two-checks-copy"]);
    let log = core_db::audit::latest(&pool, 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["delete", "copy", "update", "import"]);
}

#[tokio::test]
async fn a_broken_file_is_refused_with_its_lines_and_nothing_is_written() {
    let (pool, _dir) = test_pool().await;
    let broken = MANUAL_ONLY.replace("why = \"Because.\"", "why = \"\"");
    let e = import(&pool, &user(1, "ada"), &broken).await.unwrap_err();
    assert_eq!(
        e.field_message("source").as_deref(),
        Some("line 13 (steps[0].why): every step says why it exists")
    );
    assert!(db::list(&pool).await.unwrap().is_empty());
    assert!(core_db::audit::latest(&pool, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn built_ins_load_once_and_stay_read_only() {
    let (pool, _dir) = test_pool().await;
    let mut tx = core_db::begin(&pool).await.unwrap();
    let r = read(MANUAL_ONLY).unwrap();
    assert!(db::upsert_builtin(&mut tx, &r, MANUAL_ONLY).await.unwrap());
    assert!(
        !db::upsert_builtin(&mut tx, &r, MANUAL_ONLY).await.unwrap(),
        "unchanged: nothing written"
    );
    tx.commit().await.unwrap();
    let e = update(&pool, &user(1, "ada"), "two-checks", MANUAL_ONLY, 1)
        .await
        .unwrap_err();
    assert_eq!(e, builtin_refused());
    assert_eq!(
        delete(&pool, &user(1, "ada"), "two-checks", 1).await.unwrap_err(),
        builtin_refused()
    );
    assert_eq!(
        copy(&pool, &user(1, "ada"), "two-checks").await.unwrap().slug,
        "two-checks-copy"
    );
    // Whatever the shipped list holds today loads, and loading again changes nothing.
    load_builtins(&pool).await.unwrap();
    assert_eq!(load_builtins(&pool).await.unwrap(), 0);
}

/// Acting on a step without SSH: manual and approval steps only need the database.
async fn act_db(
    pool: &sqlx::SqlitePool,
    actor: &Actor,
    run: i64,
    step: &str,
    action: StepAction,
) -> Result<(), AppError> {
    let state = test_state(pool.clone());
    runs::act(&state, actor, run, step, action, "").await
}

#[tokio::test]
async fn steps_go_in_order_and_the_starter_cannot_approve_their_own_run() {
    let (pool, _dir) = test_pool().await;
    let (ada, bo) = (user(1, "ada"), user(2, "bo"));
    import(&pool, &ada, MANUAL_ONLY).await.unwrap();
    let values = std::collections::BTreeMap::from([("note".to_owned(), "hi".to_owned())]);
    let run = runs::start(&pool, &ada, "two-checks", &values).await.unwrap();
    let early = act_db(&pool, &ada, run, "last", StepAction::Done)
        .await
        .unwrap_err();
    assert!(matches!(early, AppError::Conflict(m) if m.starts_with("Earlier steps must pass")));
    act_db(&pool, &ada, run, "first", StepAction::Done).await.unwrap();
    let own = act_db(&pool, &ada, run, "go", StepAction::Approve)
        .await
        .unwrap_err();
    assert!(matches!(own, AppError::Conflict(m) if m.starts_with("You started this run")));
    act_db(&pool, &bo, run, "go", StepAction::Approve).await.unwrap();
    act_db(&pool, &ada, run, "last", StepAction::Done).await.unwrap();
    let page = runs::page(&pool, run, &ada).await.unwrap();
    let states: Vec<(StepState, Option<&str>)> =
        page.steps.iter().map(|s| (s.state, s.actor.as_deref())).collect();
    assert_eq!(
        states,
        vec![
            (StepState::Passed, Some("ada")),
            (StepState::Approved, Some("bo")),
            (StepState::Passed, Some("ada"))
        ]
    );
    assert!(page.summary.done);
    assert_eq!((page.summary.settled, page.summary.total), (3, 3));
}

#[tokio::test]
async fn a_skip_needs_a_reason_and_an_approval_cannot_be_skipped() {
    let (pool, _dir) = test_pool().await;
    let ada = user(1, "ada");
    import(&pool, &ada, MANUAL_ONLY).await.unwrap();
    let values = std::collections::BTreeMap::from([("note".to_owned(), "hi".to_owned())]);
    let run = runs::start(&pool, &ada, "two-checks", &values).await.unwrap();
    let state = test_state(pool.clone());
    let e = runs::act(&state, &ada, run, "first", StepAction::Skip, " ")
        .await
        .unwrap_err();
    assert_eq!(
        e.field_message("reason").as_deref(),
        Some("say why this step is skipped")
    );
    runs::act(
        &state,
        &ada,
        run,
        "first",
        StepAction::Skip,
        "done by hand yesterday",
    )
    .await
    .unwrap();
    let e = runs::act(&state, &ada, run, "go", StepAction::Skip, "hurry")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)));
    let page = runs::page(&pool, run, &ada).await.unwrap();
    assert_eq!(page.steps[0].reason, "done by hand yesterday");
    assert_eq!(page.steps[0].state, StepState::Skipped);
    assert!(page.steps[1].current);
}
