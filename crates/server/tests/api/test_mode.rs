use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::TestApp;

#[tokio::test]
async fn test_routes_do_not_exist_without_the_test_mode_flag() {
    let app = TestApp::spawn().await;
    let before = app.snapshot().await;
    let reset = app.call(Method::POST, "/api/v1/test/reset", None, None).await;
    assert_eq!(reset.status, StatusCode::NOT_FOUND);
    let clock = app.call(Method::PUT, "/api/v1/test/clock", Some(json!({ "now": 0 })), None).await;
    assert_eq!(clock.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn in_test_mode_reset_restores_the_demo_data_and_the_clock_can_move() {
    let app = TestApp::spawn_with(|c| c.test_mode = true).await;
    let _ada = app.sign_in("ada@northwind.example").await;
    sqlx::query("DELETE FROM clients").execute(&app.state.db).await.unwrap();
    let res = app.call(Method::POST, "/api/v1/test/reset", None, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("clients").await, 47);
    assert_eq!(app.count("sessions").await, 0);
    let res = app.call(Method::PUT, "/api/v1/test/clock", Some(json!({ "now": 2_000_000_000 })), None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!((app.state.clock.now().0 - 2_000_000_000).abs() <= 1);
}

#[tokio::test]
async fn history_rows_cannot_be_updated_or_deleted() {
    let app = TestApp::spawn().await;
    sqlx::query("INSERT INTO history (at, account_id, action) VALUES (1, 1, 'employee_added')")
        .execute(&app.state.db)
        .await
        .unwrap();
    assert!(sqlx::query("UPDATE history SET action = 'removed'").execute(&app.state.db).await.is_err());
    assert!(sqlx::query("DELETE FROM history").execute(&app.state.db).await.is_err());
    assert_eq!(app.count("history").await, 1);
}
