//! Rate limits: sign-in and access-link endpoints answer
//! 429 with `Retry-After` after the configured number of attempts, per
//! client address; a spoofed `X-Forwarded-For` never resets the count.

use crate::support::World;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use domain::UnixTime;
use serde_json::json;
use tooling::harness::TestApp;

async fn sign_in_from(app: &TestApp, forwarded: Option<&str>) -> (StatusCode, Option<i64>) {
    let mut b =
        Request::builder().method(Method::POST).uri("/api/v1/session").header(header::CONTENT_TYPE, "application/json");
    if let Some(f) = forwarded {
        b = b.header("x-forwarded-for", f);
    }
    let body = json!({ "email": "ada@northwind.example", "password": "wrong password" }).to_string();
    let res = app.send(b.body(Body::from(body)).unwrap()).await;
    let retry = res.headers.get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().parse().unwrap());
    (res.status, retry)
}

async fn lookup_from(app: &TestApp, token: &str, forwarded: &str) -> StatusCode {
    let req = Request::builder()
        .uri(format!("/api/v1/access-links/{token}"))
        .header("x-forwarded-for", forwarded)
        .body(Body::empty())
        .unwrap();
    app.send(req).await.status
}

#[tokio::test]
async fn sign_in_is_limited_per_address_and_a_spoofed_forwarded_for_does_not_reset_it() {
    // Directly exposed: X-Forwarded-For is not trusted at all.
    let app = TestApp::spawn_with(|c| c.sign_in_per_minute = 5).await;
    for i in 0..5 {
        assert_eq!(sign_in_from(&app, Some(&format!("203.0.113.{i}"))).await.0, StatusCode::UNAUTHORIZED);
    }
    for i in 5..15 {
        let (status, retry) = sign_in_from(&app, Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
        assert!(retry.is_some_and(|s| (1..=60).contains(&s)), "Retry-After {retry:?}");
    }
    // The window passes: allowed again.
    app.state.clock.set(UnixTime(app.state.clock.now().0 + 61));
    assert_eq!(sign_in_from(&app, None).await.0, StatusCode::UNAUTHORIZED);

    // Behind one trusted proxy: the proxy appends the address it saw; what
    // the client wrote before it can be anything and changes nothing.
    let app = TestApp::spawn_with(|c| {
        c.sign_in_per_minute = 5;
        c.trust_forwarded_for = true;
    })
    .await;
    for i in 0..5 {
        let spoofed = format!("198.51.100.{i}, 192.0.2.7");
        assert_eq!(sign_in_from(&app, Some(&spoofed)).await.0, StatusCode::UNAUTHORIZED);
    }
    for i in 5..15 {
        let spoofed = format!("198.51.100.{i}, 192.0.2.7");
        assert_eq!(sign_in_from(&app, Some(&spoofed)).await.0, StatusCode::TOO_MANY_REQUESTS, "{spoofed}");
    }
    // Another real client (another address seen by the proxy) is not affected.
    assert_eq!(sign_in_from(&app, Some("192.0.2.8")).await.0, StatusCode::UNAUTHORIZED);
    println!("rate limits: sign-in 429 with Retry-After after 5 attempts/min; 20 spoofed X-Forwarded-For values reset nothing");
}

#[tokio::test]
async fn access_link_lookups_and_approvals_are_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.links_per_minute = 4;
        c.trust_forwarded_for = true;
    })
    .await;
    let w = World::load(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let link = app
        .call(Method::PUT, &format!("/api/v1/accounts/{}/cam/employees/{}/access-link", w.nw, w.dan), None, Some(&ada))
        .await;
    let token = link.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    for i in 0..4 {
        assert_eq!(lookup_from(&app, &token, &format!("10.9.9.{i}, 192.0.2.9")).await, StatusCode::OK);
    }
    for i in 4..10 {
        assert_eq!(lookup_from(&app, &token, &format!("10.9.9.{i}, 192.0.2.9")).await, StatusCode::TOO_MANY_REQUESTS);
    }
    // Approvals count against the same budget of that address.
    let carol = app.sign_in("carol@acme.example").await;
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/access-links/{token}/approve"))
        .header("x-forwarded-for", "10.1.1.1, 192.0.2.9")
        .header(header::COOKIE, &carol.cookie)
        .header("x-csrf-token", &carol.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "account_id": w.acme }).to_string()))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.get(header::RETRY_AFTER).is_some());
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(w.acme)
        .bind(w.dan)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(members, 0, "a limited approval grants nothing");
    println!("rate limits: access-link lookups and approvals 429 after 4/min per address, spoofing ignored");
}
