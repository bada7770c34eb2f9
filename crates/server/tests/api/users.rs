use axum::http::StatusCode;
use tooling::harness::{error_message, TestApp};

#[tokio::test]
async fn carol_sees_acme_users_with_the_partner_named_for_partner_employees() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let res = app.get(&format!("/api/v1/accounts/{acme}/users"), &carol).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["total"], 6, "Carol, Ada, Cleo, Eve, and Contoso's Cody and Cora");
    let rows = res.body["rows"].as_array().unwrap();
    let ada = rows.iter().find(|r| r["email"] == "ada@northwind.example").unwrap();
    assert_eq!(ada["partner_name"], "Northwind Digital");
    assert_eq!(ada["set_name"], "Partner Admin");
    let cody = rows.iter().find(|r| r["email"] == "cody@contoso.example").unwrap();
    assert_eq!(cody["partner_name"], "Contoso Partners");
    let eve = rows.iter().find(|r| r["email"] == "eve@contractor.example").unwrap();
    assert!(eve["partner_name"].is_null());
}

#[tokio::test]
async fn users_without_add_and_edit_users_are_refused_naming_the_rule() {
    let app = TestApp::spawn().await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let res = app.get(&format!("/api/v1/accounts/{acme}/users"), &cleo).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(error_message(&res).contains("Add and edit users"));
    // Carol has nothing to do with Globex.
    let carol = app.sign_in("carol@acme.example").await;
    let globex = app.account_id("Globex").await;
    assert_eq!(app.get(&format!("/api/v1/accounts/{globex}/users"), &carol).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn users_filter_by_role_seat_and_partner() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    for (q, n) in [
        ("role=super_admin", 1),
        ("role=partner_admin", 2),
        ("role=sales", 2),
        ("seat=partner", 4),
        ("partner=true", 4),
        ("partner=false", 2),
        ("seat=partner&role=sales", 2),
    ] {
        let res = app.get(&format!("/api/v1/accounts/{acme}/users?{q}"), &carol).await;
        assert_eq!(res.body["total"], n, "{q}: {:?}", res.body);
    }
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{acme}/users?role=god"), &carol).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{acme}/users?seat=gold"), &carol).await.status,
        StatusCode::BAD_REQUEST
    );
}
