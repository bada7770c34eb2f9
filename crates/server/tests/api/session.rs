use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;
use server::auth::token_hash;
use tooling::harness::{error_code, error_message, TestApp};

#[tokio::test]
async fn sign_in_with_the_right_password_sets_a_strict_http_only_cookie_and_stores_only_a_hash() {
    let app = TestApp::spawn().await;
    let res = app.sign_in_raw("ada@northwind.example", "demo-password").await;
    assert_eq!(res.status, StatusCode::OK);
    let cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"));
    let token = cookie.split(';').next().unwrap().trim_start_matches("cam_session=").to_string();
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(stored, vec![token_hash(&token)]);
    assert_ne!(stored[0], token);
    assert_eq!(res.body["user"]["email"], "ada@northwind.example");
    assert!(res.headers.get("x-csrf-token").unwrap().len() >= 43, "the CSRF token, in a header");
    assert!(res.body.get("csrf_token").is_none(), "and never in the body, which may be compressed");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = TestApp::spawn().await;
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT password_hash FROM users").fetch_all(&app.state.db).await.unwrap();
    assert!(hashes.iter().all(|h| h.starts_with("$argon2id$") && !h.contains("demo-password")));
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401_and_no_session() {
    let app = TestApp::spawn().await;
    let wrong = app.sign_in_raw("ada@northwind.example", "nope").await;
    let unknown = app.sign_in_raw("nobody@northwind.example", "demo-password").await;
    for res in [&wrong, &unknown] {
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(res), "bad_credentials");
        assert!(res.headers.get(header::SET_COOKIE).is_none());
    }
    assert_eq!(error_message(&wrong), error_message(&unknown));
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn malformed_json_unknown_fields_and_wrong_types_are_400_with_the_error_body() {
    let app = TestApp::spawn().await;
    let before = app.snapshot().await;
    let bodies = [
        r#"{"email": "ada@northwind.example", "password": "demo-password""#.to_string(),
        json!({"email": "ada@northwind.example", "password": "demo-password", "super_admin": true}).to_string(),
        json!({"email": "ada@northwind.example", "password": 42}).to_string(),
        json!({"email": "not-an-email", "password": "demo-password"}).to_string(),
    ];
    for body in bodies {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&res), "bad_request");
        assert!(!error_message(&res).is_empty());
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_id_and_replaces_the_browser_s_old_session() {
    let app = TestApp::spawn().await;
    let first = app.sign_in("ada@northwind.example").await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::COOKIE, &first.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"email": "ada@northwind.example", "password": "demo-password"}).to_string()))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK);
    let second = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(first.cookie, second);
    assert_eq!(app.count("sessions").await, 1);
    assert_eq!(app.get("/api/v1/session", &first).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app.call(Method::DELETE, "/api/v1/session", None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(app.count("sessions").await, 0);
    // The old cookie, replayed, is worthless.
    let replay = app.get("/api/v1/session", &ada).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&replay), "unauthorized");
}

#[tokio::test]
async fn state_changing_request_without_the_csrf_token_is_403_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let req = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/session")
        .header(header::COOKIE, &ada.cookie)
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&res), "csrf");
    assert_eq!(app.count("sessions").await, 1);
}

#[tokio::test]
async fn cross_site_requests_are_refused_before_anything_happens() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    for (name, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null")] {
        let req = Request::builder()
            .method(Method::DELETE)
            .uri("/api/v1/session")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, &ada.cookie)
            .header("x-csrf-token", &ada.csrf)
            .header(name, value)
            .body(Body::empty())
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert_eq!(error_code(&res), "csrf");
    }
    // Also a cross-site sign-in attempt (login CSRF).
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header("sec-fetch-site", "cross-site")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"email": "ada@northwind.example", "password": "demo-password"}).to_string()))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions").await, 1);
    // The same request from the app's own origin goes through.
    let req = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/session")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &ada.cookie)
        .header("x-csrf-token", &ada.csrf)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_session_expires_after_the_idle_timeout() {
    let app = TestApp::spawn_with(|c| c.session_idle_minutes = 30).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let now = app.state.clock.now();
    app.state.clock.set(domain::UnixTime(now.0 + 29 * 60));
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::OK);
    app.state.clock.set(domain::UnixTime(now.0 + 29 * 60 + 31 * 60));
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn a_session_expires_after_the_absolute_timeout_even_when_busy() {
    let app = TestApp::spawn_with(|c| c.session_absolute_hours = 1).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let start = app.state.clock.now().0;
    for minutes in [20, 40, 59] {
        app.state.clock.set(domain::UnixTime(start + minutes * 60));
        assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::OK);
    }
    app.state.clock.set(domain::UnixTime(start + 61 * 60));
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_lists_every_membership_with_what_it_allows() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let ms = ada.session["memberships"].as_array().unwrap();
    let names: Vec<&str> = ms.iter().map(|m| m["account_name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Northwind Digital") && names.contains(&"Acme Corporation") && names.contains(&"Initech"));
    let northwind = ms.iter().find(|m| m["account_name"] == "Northwind Digital").unwrap();
    assert_eq!(northwind["can_open_client_access_manager"], true);
    assert_eq!(ada.session["current_account_id"], northwind["account_id"]);
    let acme = ms.iter().find(|m| m["account_name"] == "Acme Corporation").unwrap();
    assert_eq!(acme["set_name"], "Partner Admin");
    assert_eq!(acme["can_manage_users"], true);

    let cleo = app.sign_in("cleo@northwind.example").await;
    let nw = cleo.session["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["account_name"] == "Northwind Digital")
        .unwrap()
        .clone();
    assert_eq!(nw["can_open_client_access_manager"], false);
}

#[tokio::test]
async fn switching_to_an_own_account_is_remembered_and_to_a_foreign_one_is_404() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let res = app.call(Method::PUT, "/api/v1/session/account", Some(json!({ "account_id": acme })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/session", &ada).await.body["current_account_id"], acme);
    let bluebird = app.account_id("Bluebird Apps").await;
    let res =
        app.call(Method::PUT, "/api/v1/session/account", Some(json!({ "account_id": bluebird })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/session", &ada).await.body["current_account_id"], acme);
}

#[tokio::test]
async fn too_many_sign_in_attempts_get_429_with_retry_after() {
    let app = TestApp::spawn_with(|c| c.sign_in_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(app.sign_in_raw("ada@northwind.example", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    let res = app.sign_in_raw("ada@northwind.example", "demo-password").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.get(header::RETRY_AFTER).is_some());
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn signed_out_requests_to_the_api_are_401() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/v1/session", None, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&res), "unauthorized");
    let acme = app.account_id("Northwind Digital").await;
    assert_eq!(
        app.call(Method::GET, &format!("/api/v1/accounts/{acme}/cam/clients"), None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&res), "not_found");
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(res.status, StatusCode::OK);
    let csp = res.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    // An API answer is not a page: it may load nothing and be framed by nothing.
    assert_eq!(csp, "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(res.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(res.headers.get(header::REFERRER_POLICY).unwrap(), "same-origin");
}

#[tokio::test]
async fn a_refused_sign_in_leaves_the_browser_s_session_alone() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let before = app.snapshot().await;
    let res = app
        .call(
            axum::http::Method::POST,
            "/api/v1/session",
            Some(serde_json::json!({ "email": "ada@northwind.example", "password": "wrong" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.snapshot().await, before, "a refused sign-in writes nothing");
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::OK, "still signed in");
}
