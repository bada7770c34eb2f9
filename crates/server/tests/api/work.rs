//! The background-work runner itself (`server::work::runner`), running as
//! `cam-server` runs it: left alone for a moment, it stores an end that has
//! come (the ending kind) and takes over a bulk job another instance left
//! behind (the bulk-jobs kind), finishing it. Expected outcomes from SPEC
//! R14 and issue 26's takeover, read back from storage.

use std::time::Duration;
use tooling::harness::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runner_stores_ends_and_takes_over_a_job_left_behind() {
    let app = TestApp::spawn_with(|c| c.work_lease_secs = 1).await;
    let db = &app.state.db;
    let id = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.unwrap() };
    let nw = id("SELECT id FROM accounts WHERE name = 'Northwind Digital'").await;
    let acme = id("SELECT id FROM accounts WHERE name = 'Acme Corporation'").await;
    let dan = id("SELECT id FROM users WHERE email = 'dan@northwind.example'").await;
    let ada = id("SELECT id FROM users WHERE email = 'ada@northwind.example'").await;
    let now = app.state.clock.now().0;
    // Ada gives Dan Sales in Acme until tomorrow; then the clock moves a
    // minute past that end (nothing has stored it yet).
    let end = now + 86_400;
    let ada_browser = app.sign_in("ada@northwind.example").await;
    let res = app
        .call(
            axum::http::Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees"),
            Some(serde_json::json!({ "user_ids": [dan], "permission_set": "sales", "ends_at": end })),
            Some(&ada_browser),
        )
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{:?}", res.body);
    app.state.clock.set(domain::UnixTime(end + 60));
    // A job another instance started and left (its lease ran out): deactivate Dan's
    // row in Acme.
    let job = server::db::bulk::NewJob {
        partner_id: nw,
        actor_id: ada,
        target_id: None,
        kind: domain::api::JobKind::Deactivate,
        permission_set: None,
        total: 1,
        now: end + 60,
    };
    let work = format!(r#"{{"Rows":{{"action":"deactivate","keys":[{{"client_id":{acme},"user_id":{dan}}}]}}}}"#);
    let job_id = server::db::bulk::create_job(db, &job, &work, "").await.unwrap();
    let real = server::clock::real_now();
    server::db::bulk::claim(db, Some(job_id), "gone", real - 10, 1).await.unwrap().expect("the dead instance took it");

    let runner = tokio::spawn(server::work::runner(app.state.clone()));
    let mut state = String::new();
    for _ in 0..100 {
        state =
            sqlx::query_scalar("SELECT state FROM bulk_jobs WHERE id = $1").bind(job_id).fetch_one(db).await.unwrap();
        let status: String =
            sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
                .bind(acme)
                .bind(dan)
                .fetch_one(db)
                .await
                .unwrap();
        if state == "done" && status == "deactivated" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    runner.abort();
    assert_eq!(state, "done", "the job left behind was taken over and finished");
    let (by, ended_by): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT deactivated_by, (SELECT lease_by FROM bulk_jobs WHERE id = $3) FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(acme)
            .bind(dan)
            .bind(job_id)
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(by.as_deref(), Some("system"), "the end was stored by the system before the job reached the row");
    assert_eq!(ended_by.as_deref(), Some(&*app.state.instance), "this instance's runner took the job over");
    let (processed, done, refused): (i64, i64, i64) =
        sqlx::query_as("SELECT processed, done, refused FROM bulk_jobs WHERE id = $1")
            .bind(job_id)
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!((processed, done + refused), (1, 1), "the one row decided once");
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM history WHERE account_id = $1 AND target_user_id = $2 AND action = 'access_ended'",
    )
    .bind(acme)
    .bind(dan)
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(events, 1, "one history event for the end");
}
