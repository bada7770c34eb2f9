//! Sessions: a new id at every sign-in, sign-out ends the
//! session on the server, deactivating or removing someone ends their
//! sessions at once, and the idle and absolute timeouts follow the
//! configuration, checked against the server's clock.

use crate::support::{request, Presenting, World};
use axum::http::{header, Method, StatusCode};
use domain::UnixTime;
use serde_json::json;
use tooling::harness::{Browser, TestApp};

async fn alive(app: &TestApp, b: &Browser) -> bool {
    let res = request(app, Method::GET, "/api/v1/session", None, Some(b), Presenting::OwnPage).await;
    match res.status {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        other => panic!("GET /session: {other}"),
    }
}

async fn post(app: &TestApp, b: &Browser, path: &str) -> StatusCode {
    post_json(app, b, path, None).await
}

async fn post_json(app: &TestApp, b: &Browser, path: &str, body: Option<serde_json::Value>) -> StatusCode {
    request(app, Method::POST, path, body.as_ref(), Some(b), Presenting::OwnPage).await.status
}

#[tokio::test]
async fn every_sign_in_gets_a_new_id_and_sign_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let first = app.sign_in("ada@northwind.example").await;
    let second = app.sign_in("ada@northwind.example").await;
    assert_ne!(first.cookie, second.cookie);
    assert_ne!(first.csrf, second.csrf);
    assert!(alive(&app, &first).await && alive(&app, &second).await, "two browsers, two sessions");
    let res = request(&app, Method::DELETE, "/api/v1/session", None, Some(&second), Presenting::OwnPage).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert!(!alive(&app, &second).await, "the signed-out cookie, replayed, is worthless");
    assert!(alive(&app, &first).await, "signing out one browser leaves the other");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn deactivating_or_removing_someone_ends_all_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let w = World::load(&app).await;
    let ben = app.sign_in("ben@northwind.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let mut ended = 0;

    // Partner side, R2/R8: Ben deactivates Cleo in Acme; both of her browsers are signed out.
    let cleo = [app.sign_in("cleo@northwind.example").await, app.sign_in("cleo@northwind.example").await];
    let base = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}", w.nw, w.acme, w.cleo);
    assert_eq!(post(&app, &ben, &format!("{base}/deactivate")).await, StatusCode::NO_CONTENT);
    for b in &cleo {
        assert!(!alive(&app, b).await);
        ended += 1;
    }
    // Reactivating does not bring a session back.
    assert_eq!(post(&app, &ada, &format!("{base}/reactivate")).await, StatusCode::NO_CONTENT);
    assert!(!alive(&app, &cleo[0]).await);

    // Partner side, R6: removing Cleo from clients.
    let cleo = app.sign_in("cleo@northwind.example").await;
    let path = format!("/api/v1/accounts/{}/cam/employees/{}/remove-from-clients", w.nw, w.cleo);
    let status = post_json(&app, &ada, &path, Some(json!({ "client_ids": [w.acme] }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!alive(&app, &cleo).await);
    ended += 1;

    // Client side: Carol deactivates Eve, then removes her.
    let eve = app.sign_in("eve@contractor.example").await;
    let users = format!("/api/v1/accounts/{}/users/{}", w.acme, w.eve);
    assert_eq!(post(&app, &carol, &format!("{users}/deactivate")).await, StatusCode::NO_CONTENT);
    assert!(!alive(&app, &eve).await);
    let eve = app.sign_in("eve@contractor.example").await;
    let res = request(&app, Method::DELETE, &users, None, Some(&carol), Presenting::OwnPage).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(!alive(&app, &eve).await);
    ended += 2;

    // Partner side, R7: removing Ada's employees from Globex ends their sessions too.
    let dan = app.sign_in("dan@northwind.example").await;
    let mut conn = app.state.db.acquire().await.unwrap();
    let mut m = domain::Membership::with_set(domain::StandardSet::Sales);
    m.partner_account_id = Some(w.nw);
    server::seed::provision(&mut conn, w.globex, w.dan, &m, None, 0).await.unwrap();
    drop(conn);
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/remove-employees", w.nw, w.globex);
    let status = post_json(&app, &ben, &path, Some(json!({ "user_ids": [w.dan] }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!alive(&app, &dan).await);
    ended += 1;

    // The people who acted, and everybody else, are still signed in.
    for b in [&ben, &carol, &ada] {
        assert!(alive(&app, b).await);
    }
    println!("sessions: {ended} sessions ended at once by deactivation or removal; the actors' own stayed");
}

#[tokio::test]
async fn acting_on_oneself_keeps_the_acting_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    let w = World::load(&app).await;
    let here = app.sign_in("ada@northwind.example").await;
    let elsewhere = app.sign_in("ada@northwind.example").await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/deactivate", w.nw, w.acme, w.ada);
    assert_eq!(post(&app, &here, &path).await, StatusCode::NO_CONTENT);
    assert!(alive(&app, &here).await, "the admin who deactivated herself keeps working");
    assert!(!alive(&app, &elsewhere).await, "her other browsers are signed out");
}

#[tokio::test]
async fn idle_and_absolute_timeouts_follow_the_configuration_and_the_clock() {
    let app = TestApp::spawn_with(|c| {
        c.session_idle_minutes = 30;
        c.session_absolute_hours = 2;
    })
    .await;
    let start = app.state.clock.now().0;
    let at = |mins: i64| UnixTime(start + mins * 60);

    // Idle: 29 minutes of silence are fine, 31 more are not.
    let idle = app.sign_in("ada@northwind.example").await;
    app.state.clock.set(at(29));
    assert!(alive(&app, &idle).await);
    app.state.clock.set(at(29 + 31));
    assert!(!alive(&app, &idle).await);

    // Absolute: busy every 20 minutes, still signed out after 2 hours.
    app.state.clock.set(at(0));
    let busy = app.sign_in("carol@acme.example").await;
    for m in (20..120).step_by(20) {
        app.state.clock.set(at(m));
        assert!(alive(&app, &busy).await, "{m} minutes");
    }
    app.state.clock.set(at(121));
    assert!(!alive(&app, &busy).await);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(left, 0, "expired sessions are deleted when they are next presented");
    println!("sessions: idle timeout 30 min and absolute timeout 2 h enforced against the server clock");
}
