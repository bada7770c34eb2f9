use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::{error_message, TestApp};

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn assets_are_listed_searched_and_filtered_by_owner() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let all = app.get(&format!("/api/v1/accounts/{acme}/assets"), &carol).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body["total"], 5, "Cleo's three, Carol's company, Cora's Contoso deal");
    let cleo = uid(&app, "cleo@northwind.example").await;
    let hers = app.get(&format!("/api/v1/accounts/{acme}/assets?owner={cleo}"), &carol).await;
    assert_eq!(hers.body["total"], 3);
    let search = app.get(&format!("/api/v1/accounts/{acme}/assets?q=renewal"), &carol).await;
    assert_eq!(search.body["rows"][0]["name"], "Acme renewal 2027");
    assert_eq!(search.body["rows"][0]["owner_name"], "Cleo Park");
    let bo = app.sign_in("bo@bluebird.example").await;
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/assets"), &bo).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_partner_employee_s_asset_write_is_qualifying_partner_activity() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    sqlx::query("UPDATE clients SET last_partner_activity_at = 1000 WHERE customer_account_id = $1")
        .bind(acme)
        .execute(&app.state.db)
        .await
        .unwrap();
    let cleo = app.sign_in("cleo@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{acme}/assets"),
            Some(json!({ "kind": "deal", "name": "Expansion 2028" })),
            Some(&cleo),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    let last: i64 = sqlx::query_scalar(
        "SELECT last_partner_activity_at FROM clients WHERE partner_account_id = $1 AND customer_account_id = $2",
    )
    .bind(nw)
    .bind(acme)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!((last - app.state.clock.now().0).abs() <= 2);
    // Cleo's Sales set edits deals but not workflows.
    let refused = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{acme}/assets"),
            Some(json!({ "kind": "workflow", "name": "Nope" })),
            Some(&cleo),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(error_message(&refused).contains("edit permission"));
}

#[tokio::test]
async fn renaming_and_reassigning_checks_names_owners_and_tenancy() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let deal: i64 = sqlx::query_scalar("SELECT id FROM assets WHERE name = 'Acme renewal 2027'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let carol_id = uid(&app, "carol@acme.example").await;
    let path = format!("/api/v1/accounts/{acme}/assets/{deal}");
    let res = app
        .call(Method::PATCH, &path, Some(json!({ "name": "Acme renewal 2028", "owner_id": carol_id })), Some(&carol))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let (name, owner): (String, Option<i64>) = sqlx::query_as("SELECT name, owner_user_id FROM assets WHERE id = $1")
        .bind(deal)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!((name.as_str(), owner), ("Acme renewal 2028", Some(carol_id)));
    let gina = uid(&app, "gina@globex.example").await;
    let before = app.snapshot().await;
    assert_eq!(
        app.call(Method::PATCH, &path, Some(json!({ "owner_id": gina })), Some(&carol)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(Method::PATCH, &path, Some(json!({ "name": "  " })), Some(&carol)).await.status,
        StatusCode::BAD_REQUEST
    );
    let foreign: i64 = sqlx::query_scalar("SELECT id FROM assets WHERE account_id <> $1 LIMIT 1")
        .bind(acme)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let other = app
        .call(
            Method::PATCH,
            &format!("/api/v1/accounts/{acme}/assets/{foreign}"),
            Some(json!({ "name": "x" })),
            Some(&carol),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another account's asset through this account");
    assert_eq!(app.snapshot().await, before);
}
