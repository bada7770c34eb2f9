//! The history and the denial log are append-only: an
//! UPDATE or DELETE fails in the database itself, and every refused request
//! of a signed-in user is logged as a denial, with the rule that refused it
//! and without any token from the URL.

use crate::support::{request, Presenting, World};
use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::TestApp;

#[tokio::test]
async fn history_and_denials_refuse_update_and_delete_in_the_database() {
    let app = TestApp::spawn().await;
    let w = World::load(&app).await;
    let ben = app.sign_in("ben@northwind.example").await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/deactivate", w.nw, w.acme, w.cleo);
    assert_eq!(
        request(&app, Method::POST, &path, None, Some(&ben), Presenting::OwnPage).await.status,
        StatusCode::NO_CONTENT
    );
    let add = format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme);
    let body = json!({ "user_ids": [w.dan], "permission_set": "sales" });
    assert_eq!(
        request(&app, Method::POST, &add, Some(&body), Some(&ben), Presenting::OwnPage).await.status,
        StatusCode::FORBIDDEN
    );
    for table in ["history", "denials"] {
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&app.state.db).await.unwrap();
        assert!(rows >= 1, "{table} has a row to tamper with");
        for sql in [
            format!("UPDATE {table} SET at = 0"),
            format!("DELETE FROM {table}"),
            format!("DELETE FROM {table} WHERE id = (SELECT MAX(id) FROM {table})"),
        ] {
            let err = sqlx::query(&sql).execute(&app.state.db).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        let after: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(after, rows);
    }
    println!("append-only: UPDATE and DELETE refused by triggers on history and denials");
}

#[tokio::test]
async fn refused_requests_are_logged_as_denials_with_rule_and_without_tokens() {
    let app = TestApp::spawn().await;
    let w = World::load(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let ben = app.sign_in("ben@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let link = request(
        &app,
        Method::PUT,
        &format!("/api/v1/accounts/{}/cam/employees/{}/access-link", w.nw, w.dan),
        None,
        Some(&ada),
        Presenting::OwnPage,
    )
    .await;
    let token = link.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();

    // R2: Ben is not a Partner Admin in Acme.
    let add = format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme);
    let body = json!({ "user_ids": [w.dan], "permission_set": "sales" });
    assert_eq!(
        request(&app, Method::POST, &add, Some(&body), Some(&ben), Presenting::OwnPage).await.status,
        StatusCode::FORBIDDEN
    );
    // SPEC §9 A8: Cleo, Northwind's person in Acme, never approves as the client.
    let approve = format!("/api/v1/access-links/{token}/approve");
    let body = json!({ "account_id": w.acme });
    assert_eq!(
        request(&app, Method::POST, &approve, Some(&body), Some(&cleo), Presenting::OwnPage).await.status,
        StatusCode::FORBIDDEN
    );
    // A forged cross-site request by a signed-in browser.
    assert_eq!(
        request(&app, Method::POST, "/api/v1/notifications/read", None, Some(&ada), Presenting::CrossSite).await.status,
        StatusCode::FORBIDDEN
    );
    // Signed out: answered, not stored (nobody to attribute it to).
    assert_eq!(
        request(&app, Method::POST, &add, Some(&json!({})), None, Presenting::CrossSite).await.status,
        StatusCode::FORBIDDEN
    );

    let rows = server::db::denials::latest(&app.state.db, 10).await.unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let (csrf, link_refusal, r2) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!((r2.user_id, r2.account_id, r2.method.as_str()), (Some(w.ben), Some(w.nw), "POST"));
    assert_eq!(r2.route, "/api/v1/accounts/{account_id}/cam/clients/{client_id}/employees");
    assert!(r2.message.contains("(R2)") && r2.code == "forbidden");
    assert_eq!(link_refusal.user_id, Some(w.cleo));
    assert_eq!(link_refusal.route, "/api/v1/access-links/{token}/approve");
    assert!(link_refusal.message.contains("SPEC §9"));
    assert_eq!((csrf.user_id, csrf.code.as_str()), (Some(w.ada), "csrf"));
    let everything: Vec<String> =
        sqlx::query_scalar("SELECT route || message FROM denials").fetch_all(&app.state.db).await.unwrap();
    assert!(everything.iter().all(|r| !r.contains(&token)), "no token is ever logged");
}
