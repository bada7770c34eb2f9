use crate::status;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tooling::harness::{error_code, error_message, Browser, TestApp};

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

async fn perms(app: &TestApp, account: i64, user: i64) -> (String, String, String) {
    sqlx::query_as("SELECT COALESCE(permission_set, ''), perms_added, perms_removed FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(user)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn post(app: &TestApp, who: &Browser, path: &str, body: Value) -> tooling::harness::Response {
    app.call(Method::POST, path, Some(body), Some(who)).await
}

struct World {
    nw: i64,
    acme: i64,
    globex: i64,
    initech: i64,
    ada: i64,
    cleo: i64,
    dan: i64,
    eve: i64,
}

async fn world(app: &TestApp) -> World {
    World {
        nw: app.account_id("Northwind Digital").await,
        acme: app.account_id("Acme Corporation").await,
        globex: app.account_id("Globex").await,
        initech: app.account_id("Initech").await,
        ada: uid(app, "ada@northwind.example").await,
        cleo: uid(app, "cleo@northwind.example").await,
        dan: uid(app, "dan@northwind.example").await,
        eve: uid(app, "eve@contractor.example").await,
    }
}

#[tokio::test]
async fn ada_without_reports_adds_cleo_with_a_set_including_reports_and_cleo_gets_no_reports() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let baltic = app.account_id("Baltic Timber").await;
    sqlx::query(
        "UPDATE memberships SET perms_removed = 'reports_view,reports_edit' WHERE account_id = $1 AND user_id = $2",
    )
    .bind(baltic)
    .bind(w.ada)
    .execute(&app.state.db)
    .await
    .unwrap();
    let ada = app.sign_in("ada@northwind.example").await;
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{baltic}/employees", w.nw),
        json!({ "user_ids": [w.cleo], "permission_set": "sales" }),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let change = &res.body[0]["change"];
    assert!(change["not_granted"].as_array().unwrap().contains(&json!("reports_view")));
    assert!(!change["new"].as_array().unwrap().contains(&json!("reports_view")));
    let (set, added, removed) = perms(&app, baltic, w.cleo).await;
    assert_eq!((set.as_str(), added.as_str()), ("sales", ""));
    assert_eq!(removed, "reports_view");
    let seat: String = sqlx::query_scalar("SELECT seat FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(baltic)
        .bind(w.cleo)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(seat, "partner");
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'employee_added' AND account_id = $1")
            .bind(baltic)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn cleo_keeps_reports_the_admin_lacks_after_a_set_change() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    sqlx::query(
        "UPDATE memberships SET perms_removed = 'reports_view,reports_edit' WHERE account_id = $1 AND user_id = $2",
    )
    .bind(w.acme)
    .bind(w.ada)
    .execute(&app.state.db)
    .await
    .unwrap();
    let set_id = crate::custom_set(&app, w.acme, "Deals only", "deals_view,deals_edit").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/permission-set", w.nw, w.acme, w.cleo),
            Some(json!({ "permission_set": format!("custom:{set_id}") })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let new: Vec<&str> = res.body["change"]["new"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(new, vec!["deals_view", "deals_edit", "reports_view"]);
    assert!(res.body["change"]["not_removed"].as_array().unwrap().contains(&json!("reports_view")));
    let (set, added, removed) = perms(&app, w.acme, w.cleo).await;
    assert_eq!((set, added, removed), (format!("custom:{set_id}"), "reports_view".to_string(), String::new()));
}

#[tokio::test]
async fn only_a_partner_admin_in_the_client_may_add_or_re_permission_naming_r2() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let ben = app.sign_in("ben@northwind.example").await;
    let before = app.snapshot().await;
    // Ada is a super admin, not Partner Admin, in Globex; Ben has no membership in Acme.
    for (who, client) in [(&ada, w.globex), (&ben, w.acme)] {
        let res = post(
            &app,
            who,
            &format!("/api/v1/accounts/{}/cam/clients/{client}/employees", w.nw),
            json!({ "user_ids": [w.dan], "permission_set": "sales" }),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(error_message(&res).contains("(R2)"), "{}", error_message(&res));
    }
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/permission-set", w.nw, w.acme, w.cleo),
            Some(json!({ "permission_set": "view_only" })),
            Some(&ben),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn bad_additions_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let carol = uid(&app, "carol@acme.example").await;
    let wonka = app.account_id("Wonka Industries").await;
    let before = app.snapshot().await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme);
    let cases = [
        (json!({ "user_ids": [w.dan, w.cleo], "permission_set": "sales" }), StatusCode::CONFLICT),
        (json!({ "user_ids": [w.dan], "permission_set": "root" }), StatusCode::BAD_REQUEST),
        (json!({ "user_ids": [], "permission_set": "sales" }), StatusCode::BAD_REQUEST),
        (json!({ "user_ids": [w.dan, w.dan], "permission_set": "sales" }), StatusCode::BAD_REQUEST),
        (json!({ "user_ids": [carol], "permission_set": "sales" }), StatusCode::NOT_FOUND),
        (json!({ "user_ids": [w.dan], "permission_set": "sales", "super_admin": true }), StatusCode::BAD_REQUEST),
    ];
    for (body, expected) in cases {
        let res = post(&app, &ada, &path, body.clone()).await;
        assert_eq!(res.status, expected, "{body}: {:?}", res.body);
    }
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{wonka}/employees", w.nw),
        json!({ "user_ids": [w.dan], "permission_set": "sales" }),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn deactivation_keeps_the_membership_and_only_a_partner_admin_reactivates() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ben = app.sign_in("ben@northwind.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let base = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}", w.nw, w.acme, w.cleo);
    assert_eq!(post(&app, &ben, &format!("{base}/deactivate"), json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(status(&app, w.acme, w.cleo).await.as_deref(), Some("deactivated"));
    assert_eq!(
        post(&app, &ben, &format!("{base}/deactivate"), json!({})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let refused = post(&app, &ben, &format!("{base}/reactivate"), json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(error_message(&refused).contains("R2"));
    assert_eq!(post(&app, &ada, &format!("{base}/reactivate"), json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(status(&app, w.acme, w.cleo).await.as_deref(), Some("active"));
    let events: Vec<String> = sqlx::query_scalar("SELECT action FROM history WHERE account_id = $1 ORDER BY id")
        .bind(w.acme)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, vec!["deactivated", "reactivated"]);
}

#[tokio::test]
async fn when_every_partner_user_is_deactivated_only_the_client_reactivates_them() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let delta = app.account_id("Delta Dental Group").await; // seeded: Ada (Partner Admin) and Dan, both deactivated
    let ada = app.sign_in("ada@northwind.example").await;
    let ben = app.sign_in("ben@northwind.example").await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{delta}/employees/{}/reactivate", w.nw, w.dan);
    // SPEC §9 R8: a deactivated Partner Admin never acts; only the client reactivates.
    let before = app.snapshot().await;
    assert_eq!(post(&app, &ben, &path, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &ada, &path, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before);
    let owner = app.sign_in("owner@deltadentalgroup.example").await;
    let client_side = format!("/api/v1/accounts/{delta}/users/{}/reactivate", w.dan);
    assert_eq!(post(&app, &owner, &client_side, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(status(&app, delta, w.dan).await.as_deref(), Some("active"));
}

#[tokio::test]
async fn removing_employees_from_a_client_deletes_memberships_and_frees_their_assets() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{}/remove-employees", w.nw, w.acme),
        json!({ "user_ids": [w.cleo] }),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(status(&app, w.acme, w.cleo).await, None);
    let owned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assets WHERE account_id = $1 AND owner_user_id = $2")
        .bind(w.acme)
        .bind(w.cleo)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owned, 0);
    let orphaned: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM assets WHERE account_id = $1 AND owner_user_id IS NULL")
            .bind(w.acme)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(orphaned, 3);
    let removed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'removed'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(removed, 1);
}

#[tokio::test]
async fn removal_from_several_clients_is_atomic() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let clients = app.get(&format!("/api/v1/accounts/{}/cam/employees/{}/clients", w.nw, w.dan), &ada).await;
    let ids: Vec<i64> = clients.body.as_array().unwrap().iter().map(|c| c["client_id"].as_i64().unwrap()).collect();
    assert!(ids.len() >= 10);
    let before = app.snapshot().await;
    let path = format!("/api/v1/accounts/{}/cam/employees/{}/remove-from-clients", w.nw, w.dan);
    let bad = post(&app, &ada, &path, json!({ "client_ids": [ids[0], ids[1], 999_999] })).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let foreign =
        post(&app, &ada, &path, json!({ "client_ids": [ids[0], app.account_id("Wonka Industries").await] })).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before, "one bad client id changes nothing");
    let ok = post(&app, &ada, &path, json!({ "client_ids": ids })).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND partner_account_id = $2")
            .bind(w.dan)
            .bind(w.nw)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_manual_link_needs_an_existing_unlinked_user() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let offered = app.get(&format!("/api/v1/accounts/{}/cam/employees/{}/clients", w.nw, w.eve), &ada).await;
    assert_eq!(offered.body.as_array().unwrap().len(), 1);
    assert_eq!(offered.body[0]["linked"], false);
    let path = format!("/api/v1/accounts/{}/cam/employees/{}/link", w.nw, w.eve);
    assert_eq!(post(&app, &ada, &path, json!({ "client_id": w.acme })).await.status, StatusCode::NO_CONTENT);
    let partner: Option<i64> =
        sqlx::query_scalar("SELECT partner_account_id FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(w.acme)
            .bind(w.eve)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(partner, Some(w.nw));
    let again = post(&app, &ada, &path, json!({ "client_id": w.acme })).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(error_message(&again).contains("R5"));
    let nowhere = post(&app, &ada, &path, json!({ "client_id": w.globex })).await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&nowhere), "invalid_state");
}

#[tokio::test]
async fn a_super_admin_becomes_partner_admin_unless_they_are_the_last_one() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{}/migrate", w.nw, w.globex),
        json!({ "keep_billing": true }),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(perms(&app, w.globex, w.ada).await, ("partner_admin".to_string(), "billing".to_string(), String::new()));
    let before = app.snapshot().await;
    let last =
        post(&app, &ada, &format!("/api/v1/accounts/{}/cam/clients/{}/migrate", w.nw, w.initech), json!({})).await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert!(error_message(&last).contains("at least one super admin"));
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn two_racing_migrations_of_the_last_two_super_admins_leave_one() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    sqlx::query("INSERT INTO memberships (account_id, user_id, super_admin, seat, status, partner_account_id, created_at) VALUES ($1, $2, 1, 'partner', 'active', $3, 0)")
        .bind(w.initech)
        .bind(w.dan)
        .bind(w.nw)
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE memberships SET permission_set = NULL, perms_added = '' WHERE account_id = $1 AND user_id = $2",
    )
    .bind(w.nw)
    .bind(w.dan)
    .execute(&app.state.db)
    .await
    .unwrap();
    sqlx::query("UPDATE memberships SET super_admin = 1 WHERE account_id = $1 AND user_id = $2")
        .bind(w.nw)
        .bind(w.dan)
        .execute(&app.state.db)
        .await
        .unwrap();
    let ada = app.sign_in("ada@northwind.example").await;
    let dan = app.sign_in("dan@northwind.example").await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/migrate", w.nw, w.initech);
    let (a, b) = tokio::join!(post(&app, &ada, &path, json!({})), post(&app, &dan, &path, json!({})));
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::NO_CONTENT, StatusCode::CONFLICT]);
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND super_admin = 1 AND status = 'active'",
    )
    .bind(w.initech)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(left, 1);
}

#[tokio::test]
async fn the_relationship_ends_sixty_days_after_the_last_partner_activity() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    for who in [w.ada, w.cleo] {
        let res = post(
            &app,
            &ada,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees/{who}/deactivate", w.nw, w.acme),
            json!({}),
        )
        .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
    }
    let details = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    assert_eq!(details.body["status"]["ending"]["days_left"], 60);
    let now = app.state.clock.now();
    app.state.clock.set(now.plus_days(61));
    let ada = app.sign_in("ada@northwind.example").await;
    let details = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    assert!(details.body["status"].get("ended").is_some(), "{}", details.body["status"]);
}

#[tokio::test]
async fn a_partner_admin_changes_another_partner_super_admin_of_the_same_partner() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    sqlx::query(
        "INSERT INTO memberships (account_id, user_id, super_admin, seat, status, partner_account_id, created_at) \
         VALUES ($1, $2, 1, 'partner', 'active', $3, 0)",
    )
    .bind(w.acme)
    .bind(w.dan)
    .bind(w.nw)
    .execute(&app.state.db)
    .await
    .unwrap();
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/migrate", w.nw, w.acme);
    let ben = app.sign_in("ben@northwind.example").await;
    let refused = post(&app, &ben, &path, json!({ "user_id": w.dan })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(error_message(&refused).contains("R9"));
    let ada = app.sign_in("ada@northwind.example").await;
    assert_eq!(post(&app, &ada, &path, json!({ "user_id": w.dan })).await.status, StatusCode::NO_CONTENT);
    assert_eq!(perms(&app, w.acme, w.dan).await.0, "partner_admin");
    // Carol, the client's own super admin, is no partner employee: not found here.
    let carol = uid(&app, "carol@acme.example").await;
    assert_eq!(post(&app, &ada, &path, json!({ "user_id": carol })).await.status, StatusCode::NOT_FOUND);
}
