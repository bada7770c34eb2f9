use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tooling::harness::{error_message, TestApp};

async fn deactivate_cleo_in_acme(app: &TestApp) {
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let acme = app.account_id("Acme Corporation").await;
    let cleo: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'cleo@northwind.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees/{cleo}/deactivate"),
            Some(json!({})),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn client_admins_read_their_account_s_history_with_filters() {
    let app = TestApp::spawn().await;
    deactivate_cleo_in_acme(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let res = app.get(&format!("/api/v1/accounts/{acme}/history"), &carol).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["total"], 1);
    let row = &res.body["rows"][0];
    assert_eq!(
        (row["actor"].as_str(), row["target"].as_str(), row["action"].as_str()),
        (Some("Ada Lovelace"), Some("Cleo Park"), Some("deactivated"))
    );
    assert!(row["before"].as_array().unwrap().contains(&json!("deals_edit")));
    assert_eq!(row["after"], json!([]));
    for (q, n) in
        [("action=deactivated", 1), ("action=removed", 0), ("actor=ada", 1), ("actor=carol", 0), ("target=cleo", 1)]
    {
        assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/history?{q}"), &carol).await.body["total"], n, "{q}");
    }
    let today = app.state.clock.now().date();
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{acme}/history?from={today}&to={today}"), &carol).await.body["total"],
        1
    );
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/history?to=2000-01-01"), &carol).await.body["total"], 0);
}

#[tokio::test]
async fn history_is_for_admins_of_the_account_only() {
    let app = TestApp::spawn().await;
    deactivate_cleo_in_acme(&app).await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let res = app.get(&format!("/api/v1/accounts/{acme}/history"), &cleo).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(error_message(&res).contains("R13"));
    assert_eq!(app.get(&format!("/api/v1/accounts/{nw}/history"), &cleo).await.status, StatusCode::FORBIDDEN);
    let bo = app.sign_in("bo@bluebird.example").await;
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/history"), &bo).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/accounts/{nw}/history.csv"), &bo).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_partner_sees_its_people_s_changes_across_its_clients_and_nothing_of_others() {
    let app = TestApp::spawn().await;
    deactivate_cleo_in_acme(&app).await;
    let wonka = app.account_id("Wonka Industries").await;
    sqlx::query("INSERT INTO history (at, actor_user_id, account_id, target_user_id, action) SELECT 1, id, $1, id, 'deactivated' FROM users WHERE email = 'bo@bluebird.example'")
        .bind(wonka)
        .execute(&app.state.db)
        .await
        .unwrap();
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/history"), &ada).await;
    assert_eq!(res.status, StatusCode::OK);
    let accounts: Vec<&str> =
        res.body["rows"].as_array().unwrap().iter().map(|r| r["account"].as_str().unwrap()).collect();
    assert_eq!(accounts, vec!["Acme Corporation"]);
}

#[tokio::test]
async fn the_csv_export_streams_the_same_rows_and_changes_nothing() {
    let app = TestApp::spawn().await;
    deactivate_cleo_in_acme(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let before = app.snapshot().await;
    let req = Request::builder()
        .uri(format!("/api/v1/accounts/{acme}/history.csv?action=deactivated"))
        .header(header::COOKIE, &carol.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("attachment"));
    let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "When (UTC),Who,Account,Whose access,Change,Permissions before,Permissions after,Detail");
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("Ada Lovelace,Acme Corporation,Cleo Park,Deactivated"), "{}", lines[1]);

    // The page's language names the columns and the changes.
    let req = Request::builder()
        .uri(format!("/api/v1/accounts/{acme}/history.csv?action=deactivated&lang=fi"))
        .header(header::COOKIE, &carol.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Milloin (UTC),Kuka,Tili,Kenen käyttöoikeus,Muutos,Käyttöoikeudet ennen,Käyttöoikeudet jälkeen,Lisätieto"
    );
    assert!(lines[1].contains("Cleo Park,Poistettu käytöstä"), "{}", lines[1]);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn bad_history_filters_are_400() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    for q in ["from=yesterday", "to=2026-02-30", "from=2026-02-02&to=2026-02-01", "action=deleted_everything", "page=0"]
    {
        assert_eq!(
            app.get(&format!("/api/v1/accounts/{acme}/history?{q}"), &carol).await.status,
            StatusCode::BAD_REQUEST,
            "{q}"
        );
    }
}
