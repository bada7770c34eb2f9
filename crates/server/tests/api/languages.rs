//! Languages (SPEC §7): the language a user chose is remembered on the
//! server and writes their emails; refusals travel as a reason code, the
//! rule and parameters (entry pages asking for their language's texts:
//! static_files.rs).

use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::{error_code, TestApp};

async fn chosen_language(app: &TestApp, email: &str) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT language, seen_language FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_chosen_language_is_remembered_and_comes_back_with_the_session() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    assert_eq!(ada.session["language"], serde_json::Value::Null);
    let res = app.call(Method::PUT, "/api/v1/session/language", Some(json!({ "language": "pl" })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["language"], "pl");
    assert_eq!(chosen_language(&app, "ada@northwind.example").await.0.as_deref(), Some("pl"));
    // Another browser signing in gets it with the session.
    let again = app.sign_in("ada@northwind.example").await;
    assert_eq!(again.session["language"], "pl");
    assert_eq!(app.get("/api/v1/session", &again).await.body["language"], "pl");
}

#[tokio::test]
async fn an_unknown_language_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let before = app.snapshot().await;
    for body in [json!({ "language": "de" }), json!({ "language": "" }), json!({ "language": 5 }), json!({})] {
        let res = app.call(Method::PUT, "/api/v1/session/language", Some(body.clone()), Some(&ada)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
    }
    // Signed out, nobody's language changes.
    let res = app.call(Method::PUT, "/api/v1/session/language", Some(json!({ "language": "fi" })), None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn the_language_a_browser_signs_in_with_is_kept_for_emails_until_one_is_chosen() {
    let app = TestApp::spawn().await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/session",
            Some(
                json!({ "email": "ada@northwind.example", "password": server::seed::DEMO_PASSWORD, "language": "sv" }),
            ),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    // Seen, not chosen: the session does not switch other browsers to it.
    assert_eq!(res.body["language"], serde_json::Value::Null);
    assert_eq!(chosen_language(&app, "ada@northwind.example").await, (None, Some("sv".to_string())));
}

async fn link_token(app: &TestApp, email: &str) -> String {
    let ada = app.sign_in(email).await;
    let nw = app.account_id("Northwind Digital").await;
    let uid: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap();
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{uid}/access-link"), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

#[tokio::test]
async fn the_approval_email_is_written_in_the_recipients_language_and_the_notification_by_kind() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app.call(Method::PUT, "/api/v1/session/language", Some(json!({ "language": "fi" })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::OK);
    let token = link_token(&app, "ada@northwind.example").await;
    // Uma approves in English; Ada reads Finnish.
    let uma = app.sign_in("uma@umbrella.example").await;
    let labs = app.account_id("Umbrella Labs").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/access-links/{token}/approve"),
            Some(json!({ "account_id": labs, "convert_existing": false })),
            Some(&uma),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(subject, "Umbrella Labs hyväksyi käyttöoikeuslinkkisi");
    assert!(body.starts_with("Hei Ada Lovelace,"), "{body}");
    assert!(
        body.contains("Olet nyt kumppanin ylläpitäjä tilillä Umbrella Labs kumppanille Northwind Digital."),
        "{body}"
    );
    // The in-app notification carries its kind and parameters.
    let notes = app.get("/api/v1/notifications", &ada).await;
    let item = &notes.body["items"][0];
    assert_eq!(item["kind"], "access_link_approved");
    assert_eq!(item["params"], json!({ "account": "Umbrella Labs", "partner": "Northwind Digital" }));
}

#[tokio::test]
async fn refusals_carry_their_reason_rule_and_parameters() {
    let app = TestApp::spawn().await;
    // R1: a client user cannot open Client Access Manager.
    let uma = app.sign_in("uma@umbrella.example").await;
    let labs = app.account_id("Umbrella Labs").await;
    let res = app.get(&format!("/api/v1/accounts/{labs}/cam/clients"), &uma).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&res), "forbidden");
    assert_eq!(res.body["error"]["reason"], "cam_partner_only");
    assert_eq!(res.body["error"]["rule"], "R1");
    // Too many attempts: the seconds to wait as a parameter.
    let mut last = None;
    for _ in 0..30 {
        let r = app.sign_in_raw("nobody@example.com", "wrong").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            last = Some(r);
            break;
        }
    }
    let res = last.expect("sign-in attempts are limited");
    assert_eq!(error_code(&res), "too_many_requests");
    let secs: i64 = res.body["error"]["params"]["seconds"].as_str().unwrap().parse().unwrap();
    assert!(secs > 0);
}
