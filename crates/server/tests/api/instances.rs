//! Several server instances on one database (`TestApp::twin`: its own pool,
//! rate limiters and router, as another `cam-server` process would have):
//! sessions, rate limits, access links, the outbox, scheduled work and
//! seeding are shared or claimed once, whichever instance a request reaches.

use axum::http::{Method, StatusCode};
use server::db::{self, instances, notifications};
use std::collections::BTreeSet;
use tooling::database;
use tooling::harness::TestApp;

#[tokio::test]
async fn a_session_made_on_one_instance_works_and_ends_on_the_other() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let me = twin.get("/api/v1/session", &ada).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["email"], "ada@northwind.example");
    let out = twin.call(Method::DELETE, "/api/v1/session", None, Some(&ada)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_attempts_are_counted_across_instances() {
    let app = TestApp::spawn_with(|c| c.sign_in_per_minute = 3).await;
    let twin = app.twin().await;
    for (i, instance) in [&app, &twin, &app].into_iter().enumerate() {
        let res = instance.sign_in_raw("ada@northwind.example", "wrong").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
    }
    // The fourth attempt of the minute, on the instance that saw only one.
    let res = twin.sign_in_raw("ada@northwind.example", "demo-password").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn an_access_link_made_on_one_instance_opens_on_the_other() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let uid = app.user_id("dan@northwind.example").await;
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{uid}/access-link"), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let path = res.body["path"].as_str().unwrap().replace("/access/", "/api/v1/access-links/");
    let opened = twin.call(Method::GET, &path, None, None).await;
    assert_eq!(opened.status, StatusCode::OK, "{:?}", opened.body);
    assert_eq!(opened.body["employee_name"], "Dan Reyes");
}

/// Queues `n` emails for Ada; returns their outbox ids.
async fn queue(app: &TestApp, n: usize) -> BTreeSet<i64> {
    let ada = app.user_id("ada@northwind.example").await;
    let mut tx = db::begin_write(&app.state.db).await.unwrap();
    for i in 0..n {
        let mail =
            notifications::Mail { to: "ada@northwind.example".into(), subject: format!("#{i}"), body: "b".into() };
        notifications::notify(&mut tx, ada, "test", "{}", "t", "b", &mail, 0).await.unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query_scalar("SELECT id FROM outbox WHERE state = 'queued'")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_claiming_the_outbox_at_once_never_claim_one_email_twice() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let queued = queue(&app, 300).await;
    assert_eq!(queued.len(), 300);
    let claimer = |state: server::AppState| {
        tokio::spawn(async move {
            let mut mine = vec![];
            loop {
                let rows = notifications::claim_due(&state.db, &state.instance, 10, 7).await.unwrap();
                if rows.is_empty() {
                    return mine;
                }
                mine.extend(rows.into_iter().map(|r| r.id));
            }
        })
    };
    let (a, b) = (claimer(app.state.clone()), claimer(twin.state.clone()));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let (sa, sb): (BTreeSet<i64>, BTreeSet<i64>) = (a.iter().copied().collect(), b.iter().copied().collect());
    assert_eq!(a.len() + b.len(), 300, "no email claimed twice (a {} + b {})", a.len(), b.len());
    assert!(sa.is_disjoint(&sb));
    assert_eq!(&sa | &sb, queued, "every queued email claimed");
    println!("outbox claims: 300 emails, two instances claiming at once: {} + {}, none twice", a.len(), b.len());
}

#[tokio::test]
async fn a_claim_left_by_a_dead_instance_runs_out_and_another_sends_the_email_once() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let id = *queue(&app, 1).await.iter().next().unwrap();
    let (dead, alive) = (&app.state, &twin.state);
    let claimed = notifications::claim_due(&dead.db, &dead.instance, 100, 10).await.unwrap();
    assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
    // Within the lease nobody else takes it.
    let lease_end = 100 + notifications::LEASE_SECS;
    assert!(notifications::claim_due(&alive.db, &alive.instance, lease_end, 10).await.unwrap().is_empty());
    // After it, the other instance does, and its delivery is the one recorded.
    let again = notifications::claim_due(&alive.db, &alive.instance, lease_end + 1, 10).await.unwrap();
    assert_eq!(again.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
    notifications::mark_sent(&alive.db, id, &alive.instance, lease_end + 2).await.unwrap();
    // The dead instance coming back late cannot record over it.
    notifications::mark_sent(&dead.db, id, &dead.instance, lease_end + 3).await.unwrap();
    notifications::mark_attempt_failed(&dead.db, id, &dead.instance, "late", Some(0)).await.unwrap();
    let (state, attempts, sent_at): (String, i64, Option<i64>) =
        sqlx::query_as("SELECT state, attempts, sent_at FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts, sent_at), ("sent", 1, Some(lease_end + 2)));
    assert!(notifications::claim_due(&dead.db, &dead.instance, lease_end + 1000, 10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_work_runs_once_per_period_across_instances() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let period = 600;
    let mut runs = 0;
    for now in [1_000, 1_001, 1_599, 1_600, 1_700, 2_200, 2_201] {
        let (a, b) = (app.state.clone(), twin.state.clone());
        let (x, y) = tokio::join!(
            tokio::spawn(async move { instances::claim_job(&a.db, "job", &a.instance, now, period).await.unwrap() }),
            tokio::spawn(async move { instances::claim_job(&b.db, "job", &b.instance, now, period).await.unwrap() }),
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert!(!(x && y), "at {now} both instances ran the job");
        runs += usize::from(x || y);
        let expected_run = matches!(now, 1_000 | 1_600 | 2_200);
        assert_eq!(x || y, expected_run, "at {now}");
    }
    assert_eq!(runs, 3);
}

#[tokio::test]
async fn housekeeping_deletes_expired_sessions_and_spent_rate_limit_hits() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    assert_eq!(app.sign_in_raw("ada@northwind.example", "wrong").await.status, StatusCode::UNAUTHORIZED);
    assert!(server::work::housekeeping::housekeeping(&app.state).await.unwrap(), "the first run is due");
    assert_eq!(app.count("sessions").await, 1, "a live session stays");
    // Past the idle limit (and the next period): the session and the hits go.
    let later = app.state.clock.now().0
        + app.state.config.session_idle_minutes * 60
        + server::work::housekeeping::HOUSEKEEPING_SECS;
    app.state.clock.set(domain::UnixTime(later));
    assert!(server::work::housekeeping::housekeeping(&app.state).await.unwrap());
    assert_eq!(app.count("sessions").await, 0);
    assert_eq!(app.count("rate_limit_hits").await, 0);
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_starting_on_an_empty_database_seed_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = database::fresh(dir.path()).await;
    let (a, b) = (db::connect(&database).await.unwrap(), db::connect(&database).await.unwrap());
    let now = domain::UnixTime(1_700_000_000);
    let (x, y) = tokio::join!(
        tokio::spawn(async move { server::seed::demo_if_empty(&a, now).await.unwrap() }),
        tokio::spawn(async move { server::seed::demo_if_empty(&b, now).await.unwrap() }),
    );
    assert!(x.unwrap() ^ y.unwrap(), "exactly one instance seeds");
    let pool = db::connect(&database).await.unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE name = 'Northwind Digital'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}
