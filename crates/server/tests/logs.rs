//! Logs keep secrets: no access-link token, session token or
//! CSRF token appears in any log line at any level, request tracing
//! included. Its own test binary, so that the subscriber it installs sees
//! every call site (tracing caches interest per process).

use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::TestApp;

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_reaches_any_log_line_at_any_level() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let app = TestApp::spawn().await;
    let nw = app.account_id("Northwind Digital").await;
    let acme = app.account_id("Acme Corporation").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    let dan = uid(&app, "dan@northwind.example").await;
    let link = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{dan}/access-link"), None, Some(&ada))
        .await;
    let path = link.body["path"].as_str().unwrap().to_string();
    let token = path.trim_start_matches("/access/").to_string();
    // The page, the look-ups and the approval, each with the token in its path.
    app.call(Method::GET, &path, None, None).await;
    app.call(Method::GET, &format!("/api/v1/access-links/{token}"), None, None).await;
    app.get(&format!("/api/v1/access-links/{token}/accounts"), &carol).await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/access-links/{token}/approve"),
            Some(json!({ "account_id": acme })),
            Some(&carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    // A refused call too (denials are logged).
    app.call(Method::GET, &format!("/api/v1/accounts/{acme}/settings/billing"), None, Some(&ada)).await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("/access/…"), "request paths are logged, redacted");
    assert!(log.lines().count() > 20, "the run logged at every level");
    for (what, secret) in [
        ("access-link token", token.as_str()),
        ("Ada's session token", ada.cookie.split_once('=').unwrap().1),
        ("Carol's session token", carol.cookie.split_once('=').unwrap().1),
        ("Ada's CSRF token", ada.csrf.as_str()),
        ("Carol's CSRF token", carol.csrf.as_str()),
    ] {
        assert!(!log.contains(secret), "the {what} appears in the log");
    }
    println!(
        "logs: {} lines at every level (request tracing included): no access-link, session or CSRF token",
        log.lines().count()
    );
}
