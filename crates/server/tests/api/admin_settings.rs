use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::{error_message, TestApp};

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn a_super_admin_changes_every_reserved_setting() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let base = format!("/api/v1/accounts/{acme}/settings");

    let res = app
        .call(
            Method::PUT,
            &format!("{base}/billing"),
            Some(json!({ "billing_contact": "Billing@Acme.example" })),
            Some(&carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(app.get(&format!("{base}/billing"), &carol).await.body["billing_contact"], "billing@acme.example");

    let eve = uid(&app, "eve@contractor.example").await;
    assert_eq!(
        app.call(Method::POST, &format!("{base}/super-admins"), Some(json!({ "user_id": eve })), Some(&carol))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let list = app.get(&format!("{base}/super-admins"), &carol).await;
    assert!(list.body.as_array().unwrap().iter().any(|r| r["user_id"] == eve && r["super_admin"] == true));
    assert_eq!(
        app.call(Method::DELETE, &format!("{base}/super-admins/{eve}"), None, Some(&carol)).await.status,
        StatusCode::NO_CONTENT
    );
    let events: Vec<String> = sqlx::query_scalar("SELECT action FROM history WHERE account_id = $1 ORDER BY id")
        .bind(acme)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, vec!["super_admin_granted", "super_admin_revoked"]);

    let scim = app.call(Method::POST, &format!("{base}/scim"), None, Some(&carol)).await;
    assert_eq!(scim.status, StatusCode::OK);
    let token = scim.body["new_token"].as_str().unwrap().to_string();
    let stored: String = sqlx::query_scalar("SELECT scim_token_hash FROM account_settings WHERE account_id = $1")
        .bind(acme)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, server::auth::token_hash(&token));
    let again = app.get(&format!("{base}/scim"), &carol).await;
    assert_eq!(again.body["enabled"], true);
    assert!(again.body["new_token"].is_null(), "the token is shown once only");

    let res =
        app.call(Method::PUT, &format!("{base}/data-centre"), Some(json!({ "data_centre": "us" })), Some(&carol)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.get(&format!("{base}/data-centre"), &carol).await.body["data_centre"], "us");
    let bad = app
        .call(Method::PUT, &format!("{base}/data-centre"), Some(json!({ "data_centre": "moon" })), Some(&carol))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_partner_admin_is_refused_every_super_admin_only_feature_naming_r12() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let base = format!("/api/v1/accounts/{acme}/settings");
    let before = app.snapshot().await;
    let eve = uid(&app, "eve@contractor.example").await;
    let calls = [
        (Method::GET, "billing".to_string(), None),
        (Method::PUT, "billing".to_string(), Some(json!({ "billing_contact": "x@y.example" }))),
        (Method::GET, "super-admins".to_string(), None),
        (Method::POST, "super-admins".to_string(), Some(json!({ "user_id": eve }))),
        (Method::GET, "scim".to_string(), None),
        (Method::POST, "scim".to_string(), None),
        (Method::GET, "data-centre".to_string(), None),
        (Method::PUT, "data-centre".to_string(), Some(json!({ "data_centre": "us" }))),
    ];
    for (method, path, body) in calls {
        let res = app.call(method.clone(), &format!("{base}/{path}"), body, Some(&ada)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert!(error_message(&res).contains("(R12)"), "{}", error_message(&res));
    }
    assert_eq!(app.snapshot().await, before);
    let cleo = app.sign_in("cleo@northwind.example").await;
    assert_eq!(app.get(&format!("{base}/billing"), &cleo).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_partner_admin_who_kept_billing_may_use_billing_and_nothing_else() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let globex = app.account_id("Globex").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{globex}/migrate"),
            Some(json!({ "keep_billing": true })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let base = format!("/api/v1/accounts/{globex}/settings");
    assert_eq!(app.get(&format!("{base}/billing"), &ada).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("{base}/super-admins"), &ada).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("{base}/scim"), &ada).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_last_super_admin_keeps_the_rights() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let initech = app.account_id("Initech").await;
    let me = uid(&app, "ada@northwind.example").await;
    let before = app.snapshot().await;
    let res = app
        .call(Method::DELETE, &format!("/api/v1/accounts/{initech}/settings/super-admins/{me}"), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(error_message(&res).contains("at least one super admin"));
    assert_eq!(app.snapshot().await, before);
    // Partner accounts have no such settings here.
    let nw = app.account_id("Northwind Digital").await;
    assert_eq!(app.get(&format!("/api/v1/accounts/{nw}/settings/billing"), &ada).await.status, StatusCode::NOT_FOUND);
}
