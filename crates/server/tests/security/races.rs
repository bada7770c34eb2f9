//! Races, each run 1,000 times with both requests released
//! at once by a barrier on a multi-threaded runtime. Each request records
//! when it entered and left the router, so every test counts the iterations
//! in which both requests really were in flight together (and fails if too
//! few were: a race that never overlaps proves nothing):
//! (a) the last two super admins of an account both change to Partner Admin:
//!     exactly one wins, the account keeps a super admin;
//! (b) one access link approved twice into one account at once: exactly one
//!     membership, one history event, one notification, one email;
//! (c) an approval against a regeneration of the same link: either the
//!     approval committed before the old link was revoked, or it is refused;
//!     never an approval through a revoked link.
//!
//! The second request of each pair goes to a second instance on the same
//! database (its own pool and state, as another `cam-server` process): the
//! rules hold across instances, by the write lock of `db::begin_write`.

use crate::support::{session, World};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use domain::{Membership, Seat};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Barrier;
use tooling::harness::{Browser, TestApp};
use tower::ServiceExt;

fn iterations() -> usize {
    std::env::var("CAM_RACE_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

/// One raced request's answer and when it was in flight.
struct Raced {
    status: StatusCode,
    body: Value,
    entered: Instant,
    left: Instant,
}

/// Whether two requests were in flight at the same moment.
fn overlapped(a: &Raced, b: &Raced) -> bool {
    a.entered.max(b.entered) < a.left.min(b.left)
}

/// The overlap figure every race prints, and the floor it must reach.
fn overlap_report(overlaps: usize, n: usize) -> String {
    assert!(overlaps * 2 >= n, "only {overlaps} of {n} iterations had both requests in flight together");
    format!("both in flight together in {overlaps} of {n}")
}

/// Sends a request from its own task once `start` opens.
fn race(
    app: &TestApp,
    start: Arc<Barrier>,
    method: Method,
    path: String,
    body: Value,
    who: &Browser,
) -> tokio::task::JoinHandle<Raced> {
    let router = app.router.clone();
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    tokio::spawn(async move {
        start.wait().await;
        let entered = Instant::now();
        let res = router.oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let left = Instant::now();
        Raced { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null), entered, left }
    })
}

/// A new customer account with its members (super admin or flagged Partner
/// Admin), managed by Northwind.
async fn account(app: &TestApp, w: &World, name: &str, members: &[(i64, Membership)]) -> i64 {
    let mut tx = app.state.db.begin().await.unwrap();
    let id = server::db::accounts::insert(
        &mut tx,
        name,
        domain::AccountKind::Customer,
        None,
        Some(domain::PricingModel::Classic),
        0,
    )
    .await
    .unwrap();
    for (user, m) in members {
        server::seed::provision(&mut tx, id, *user, m, None, 0).await.unwrap();
    }
    server::db::clients::insert_client(&mut tx, w.nw, id, name, 0, 0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn partner_super_admin(w: &World) -> Membership {
    let mut m = Membership::super_admin();
    m.partner_account_id = Some(w.nw);
    m.seat = Seat::Partner;
    m
}

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(&app.state.db).await.unwrap()
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| {
        c.links_per_minute = 1_000_000;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_two_super_admins_changing_at_once_leave_exactly_one() {
    let app = spawn().await;
    let twin = app.twin().await;
    let w = World::load(&app).await;
    let ada = session(&app, w.ada).await;
    let ben = session(&app, w.ben).await;
    let n = iterations();
    let mut first_won = 0;
    let mut overlaps = 0;
    for i in 0..n {
        let x = account(
            &app,
            &w,
            &format!("Race A {i}"),
            &[(w.ada, partner_super_admin(&w)), (w.ben, partner_super_admin(&w))],
        )
        .await;
        let start = Arc::new(Barrier::new(2));
        let path = format!("/api/v1/accounts/{}/cam/clients/{x}/migrate", w.nw);
        let a = race(&app, start.clone(), Method::POST, path.clone(), json!({}), &ada);
        let b = race(&twin, start, Method::POST, path, json!({}), &ben);
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        overlaps += usize::from(overlapped(&a, &b));
        let (a, b) = (a.status, b.status);
        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::CONFLICT], "iteration {i}: {a} / {b}");
        first_won += usize::from(a == StatusCode::NO_CONTENT);
        let left = count(
            &app,
            "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND super_admin = 1 AND status = 'active'",
            x,
        )
        .await;
        assert_eq!(left, 1, "iteration {i}: exactly one super admin is left");
        let events = count(
            &app,
            "SELECT COUNT(*) FROM history WHERE account_id = $1 AND action = 'migrated_to_partner_admin'",
            x,
        )
        .await;
        assert_eq!(events, 1, "iteration {i}: the loser wrote no history");
    }
    println!(
        "race (a) migrations of the last two super admins: {n} iterations ({}), exactly one winner each (Ada first {first_won}×, Ben {}×), never none left",
        overlap_report(overlaps, n),
        n - first_won
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_link_approved_twice_at_once_grants_once() {
    let app = spawn().await;
    let twin = app.twin().await;
    let w = World::load(&app).await;
    let ada = session(&app, w.ada).await;
    let carol = session(&app, w.carol).await;
    let gina = session(&app, w.gina).await;
    let link = app
        .call(Method::PUT, &format!("/api/v1/accounts/{}/cam/employees/{}/access-link", w.nw, w.dan), None, Some(&ada))
        .await;
    let token = link.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    let n = iterations();
    let mut overlaps = 0;
    for i in 0..n {
        let y = account(
            &app,
            &w,
            &format!("Race B {i}"),
            &[(w.carol, Membership::super_admin()), (w.gina, Membership::super_admin())],
        )
        .await;
        let start = Arc::new(Barrier::new(2));
        let path = format!("/api/v1/access-links/{token}/approve");
        let a = race(&app, start.clone(), Method::POST, path.clone(), json!({ "account_id": y }), &carol);
        let b = race(&twin, start, Method::POST, path, json!({ "account_id": y }), &gina);
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        overlaps += usize::from(overlapped(&a, &b));
        let (a, b) = (a.status, b.status);
        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "iteration {i}: {a} / {b}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND partner_account_id IS NOT NULL", y)
                .await,
            1
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM history WHERE account_id = $1 AND action = 'access_link_approved'", y)
                .await,
            1
        );
        let name = format!("Race B {i} approved your access link");
        let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE title = $1")
            .bind(&name)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let mails: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.title = $1",
        )
        .bind(&name)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        assert_eq!((notes, mails), (1, 1), "iteration {i}: one notification, one email");
    }
    println!(
        "race (b) two approvals of one link into one account: {n} iterations ({}), one membership, one event, one notification and one email each",
        overlap_report(overlaps, n)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_racing_a_regeneration_never_goes_through_the_revoked_link() {
    let app = spawn().await;
    let twin = app.twin().await;
    let w = World::load(&app).await;
    let ada = session(&app, w.ada).await;
    let carol = session(&app, w.carol).await;
    let link_path = format!("/api/v1/accounts/{}/cam/employees/{}/access-link", w.nw, w.dan);
    let link = app.call(Method::PUT, &link_path, None, Some(&ada)).await;
    let mut token = link.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    let n = iterations();
    let mut approved = 0;
    let mut overlaps = 0;
    for i in 0..n {
        let z = account(&app, &w, &format!("Race C {i}"), &[(w.carol, Membership::super_admin())]).await;
        let start = Arc::new(Barrier::new(2));
        let approve = race(
            &app,
            start.clone(),
            Method::POST,
            format!("/api/v1/access-links/{token}/approve"),
            json!({ "account_id": z }),
            &carol,
        );
        let regenerate = race(&twin, start, Method::POST, format!("{link_path}/regenerate"), json!({}), &ada);
        let (approve, regenerate) = (approve.await.unwrap(), regenerate.await.unwrap());
        overlaps += usize::from(overlapped(&approve, &regenerate));
        let (approve, regen, body) = (approve.status, regenerate.status, regenerate.body);
        assert_eq!(regen, StatusCode::OK, "iteration {i}: regenerating always works");
        let new_token = body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
        assert_ne!(new_token, token);
        let granted = count(&app, "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND user_id = (SELECT id FROM users WHERE email = 'dan@northwind.example')", z).await;
        match approve {
            StatusCode::OK => {
                approved += 1;
                assert_eq!(granted, 1);
                // Committed before the revocation: its history event comes first.
                let (approved_at, regenerated_at): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT MAX(id) FROM history WHERE account_id = $1 AND action = 'access_link_approved'), \
                            (SELECT MAX(id) FROM history WHERE action = 'access_link_regenerated')",
                )
                .bind(z)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
                assert!(approved_at < regenerated_at, "iteration {i}: approved after the link was revoked");
            }
            StatusCode::NOT_FOUND => assert_eq!(granted, 0, "iteration {i}: a refused approval granted access"),
            other => panic!("iteration {i}: approval answered {other}"),
        }
        // Afterwards the old link is dead and the new one works.
        let old = app.call(Method::GET, &format!("/api/v1/access-links/{token}"), None, None).await;
        assert_eq!(old.status, StatusCode::NOT_FOUND);
        let new = app.call(Method::GET, &format!("/api/v1/access-links/{new_token}"), None, None).await;
        assert_eq!(new.status, StatusCode::OK);
        token = new_token;
        let live =
            count(&app, "SELECT COUNT(*) FROM access_links WHERE user_id = $1 AND revoked_at IS NULL", w.dan).await;
        assert_eq!(live, 1, "iteration {i}: exactly one live link");
    }
    println!(
        "race (c) approval vs regeneration: {n} iterations ({}); approval first {approved}×, regeneration first {}×; never through a revoked link",
        overlap_report(overlaps, n),
        n - approved
    );
}
