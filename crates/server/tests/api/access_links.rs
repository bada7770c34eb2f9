use crate::smtp_sink::SmtpSink;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;
use server::auth::token_hash;
use tooling::harness::{error_code, error_message, Browser, TestApp};

async fn link_of(app: &TestApp, admin: &Browser, email: &str) -> String {
    let nw = app.account_id("Northwind Digital").await;
    let uid: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap();
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{uid}/access-link"), None, Some(admin))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

async fn approve(
    app: &TestApp,
    who: &Browser,
    token: &str,
    account: &str,
    convert: bool,
) -> tooling::harness::Response {
    let id = app.account_id(account).await;
    app.call(
        Method::POST,
        &format!("/api/v1/access-links/{token}/approve"),
        Some(json!({ "account_id": id, "convert_existing": convert })),
        Some(who),
    )
    .await
}

#[tokio::test]
async fn a_link_is_issued_once_and_only_a_hash_of_its_token_is_stored() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    assert!(token.len() >= 43, "at least 256 bits, URL-safe");
    assert_eq!(link_of(&app, &ada, "ada@northwind.example").await, token, "the same live link again");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT token_hash, nonce FROM access_links").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, token_hash(&token));
    let dump = tooling::harness::stored(&app.state.db).await["access_links"].join("\n");
    assert!(!dump.contains(&token), "the token is never stored in clear");
}

#[tokio::test]
async fn regenerating_revokes_the_old_link_at_once_and_records_it() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let old = link_of(&app, &ada, "ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let uid: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ada@northwind.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/employees/{uid}/access-link/regenerate"),
            None,
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let new = res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    assert_ne!(new, old);
    let old_res = app.call(Method::GET, &format!("/api/v1/access-links/{old}"), None, None).await;
    assert_eq!(old_res.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&old_res), "link_invalid");
    let new_res = app.call(Method::GET, &format!("/api/v1/access-links/{new}"), None, None).await;
    assert_eq!(new_res.status, StatusCode::OK);
    assert_eq!(new_res.body["partner_name"], "Northwind Digital");
    assert_eq!(new_res.body["employee_name"], "Ada Lovelace");
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE revoked_at IS NULL")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(live, 1);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'access_link_regenerated'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn unknown_revoked_and_malformed_tokens_get_the_same_neutral_answer() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let old = link_of(&app, &ada, "dan@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let dan: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'dan@northwind.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/accounts/{nw}/cam/employees/{dan}/access-link/regenerate"),
        None,
        Some(&ada),
    )
    .await;
    let unknown = "A".repeat(43);
    let mut bodies = vec![];
    for token in [old.as_str(), unknown.as_str(), "short", "not%20a%20token%20at%20all%20but%20long"] {
        let res = app.call(Method::GET, &format!("/api/v1/access-links/{token}"), None, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{token}");
        bodies.push(res.body.to_string());
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
}

#[tokio::test]
async fn an_app_partner_cannot_issue_links_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let bo = app.sign_in("bo@bluebird.example").await;
    let bb = app.account_id("Bluebird Apps").await;
    let uid: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bo@bluebird.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let before = app.snapshot().await;
    for (method, path) in [
        (Method::PUT, format!("/api/v1/accounts/{bb}/cam/employees/{uid}/access-link")),
        (Method::POST, format!("/api/v1/accounts/{bb}/cam/employees/{uid}/access-link/regenerate")),
    ] {
        let res = app.call(method, &path, None, Some(&bo)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(error_message(&res).contains("Solutions Partners and Providers"), "{}", error_message(&res));
    }
    assert_eq!(app.snapshot().await, before);
    let details = app.get(&format!("/api/v1/accounts/{bb}/cam/employees/{uid}"), &bo).await;
    assert!(details.body["access_links_unavailable"].as_str().unwrap().contains("Solutions Partners"));
}

#[tokio::test]
async fn links_need_client_access_manager_and_an_employee_of_the_partner() {
    let app = TestApp::spawn().await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let cleo_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'cleo@northwind.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let carol_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'carol@acme.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{cleo_id}/access-link"), None, Some(&cleo))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(error_message(&res).contains("R1"));
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{carol_id}/access-link"), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("access_links").await, 0);
}

#[tokio::test]
async fn approval_creates_exactly_the_membership_client_history_notification_and_email() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;

    let accounts = app.get(&format!("/api/v1/access-links/{token}/accounts"), &uma).await;
    let names: Vec<&str> = accounts.body.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Umbrella Health", "Umbrella Labs"]);

    let before: Vec<i64> = futures_counts(&app).await;
    let res = approve(&app, &uma, &token, "Umbrella Labs", false).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["account_name"], "Umbrella Labs");
    let after = futures_counts(&app).await;
    // memberships, clients, history, notifications, outbox: one each.
    assert_eq!(after.iter().zip(&before).map(|(a, b)| a - b).collect::<Vec<_>>(), vec![1, 1, 1, 1, 1]);

    let labs = app.account_id("Umbrella Labs").await;
    let nw = app.account_id("Northwind Digital").await;
    let (set, seat, partner, sa): (String, String, i64, i64) = sqlx::query_as(
        "SELECT m.permission_set, m.seat, m.partner_account_id, m.super_admin FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.account_id = $1 AND u.email = 'ada@northwind.example'",
    )
    .bind(labs)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((set.as_str(), seat.as_str(), partner, sa), ("partner_admin", "partner", nw, 0));
    let crm: String =
        sqlx::query_scalar("SELECT crm_name FROM clients WHERE partner_account_id = $1 AND customer_account_id = $2")
            .bind(nw)
            .bind(labs)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(crm, "Umbrella Labs");
    let (state, recipient, subject): (String, String, String) =
        sqlx::query_as("SELECT state, recipient, subject FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert_eq!((state.as_str(), recipient.as_str()), ("queued", "ada@northwind.example"));
    assert_eq!(subject, "Umbrella Labs approved your access link");

    // Ada sees the client with herself as Partner Admin, and a notification.
    let clients = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?q=umbrella"), &ada).await;
    assert_eq!(clients.body["rows"][0]["crm_name"], "Umbrella Labs");
    assert_eq!(clients.body["rows"][0]["my_access"], "partner_admin");
    let notes = app.get("/api/v1/notifications", &ada).await;
    assert_eq!(notes.body["unread"], 1);
    assert_eq!(notes.body["items"][0]["title"], "Umbrella Labs approved your access link");
    assert_eq!(
        app.call(Method::POST, "/api/v1/notifications/read", None, Some(&ada)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/api/v1/notifications", &ada).await.body["unread"], 0);
}

async fn futures_counts(app: &TestApp) -> Vec<i64> {
    let mut v = vec![];
    for t in ["memberships", "clients", "history", "notifications", "outbox"] {
        v.push(app.count(t).await);
    }
    v
}

#[tokio::test]
async fn approving_twice_or_concurrently_never_creates_two_memberships() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "dan@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    let (a, b) = tokio::join!(
        approve(&app, &uma, &token, "Umbrella Health", false),
        approve(&app, &uma, &token, "Umbrella Health", false)
    );
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
    let again = approve(&app, &uma, &token, "Umbrella Health", false).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id \
         WHERE u.email = 'dan@northwind.example' AND a.name = 'Umbrella Health'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(app.count("notifications").await, 1);
}

#[tokio::test]
async fn an_approver_without_add_and_edit_users_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "dan@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let eve = app.sign_in("eve@contractor.example").await;
    let before = app.snapshot().await;
    // Cleo is Northwind's person in Acme: never the client approving (§9 A8).
    let res = approve(&app, &cleo, &token, "Acme Corporation", false).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body["error"]["rule"], "SPEC §9", "{}", error_message(&res));
    // Eve, the client's own View-only user there, lacks Add and edit users.
    let res = approve(&app, &eve, &token, "Acme Corporation", false).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(error_message(&res).contains("Add and edit users"), "{}", error_message(&res));
    // Not a member at all: not found.
    assert_eq!(approve(&app, &cleo, &token, "Umbrella Labs", false).await.status, StatusCode::NOT_FOUND);
    // A partner account is no place to grant.
    assert_eq!(approve(&app, &ada, &token, "Northwind Digital", false).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);
    assert!(app
        .get(&format!("/api/v1/access-links/{token}/accounts"), &cleo)
        .await
        .body
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_existing_user_is_converted_only_when_a_super_admin_confirms() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "eve@contractor.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    let offered = app.get(&format!("/api/v1/access-links/{token}/accounts"), &carol).await;
    assert_eq!(offered.body[0]["already_member"], true);
    assert_eq!(offered.body[0]["you_are_super_admin"], true);
    let before = app.snapshot().await;
    let res = approve(&app, &carol, &token, "Acme Corporation", false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(error_message(&res).contains("already a user"));
    assert_eq!(app.snapshot().await, before);
    let res = approve(&app, &carol, &token, "Acme Corporation", true).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["converted"], true);
    let (set, partner): (String, Option<i64>) = sqlx::query_as(
        "SELECT m.permission_set, m.partner_account_id FROM memberships m JOIN users u ON u.id = m.user_id \
         JOIN accounts a ON a.id = m.account_id WHERE u.email = 'eve@contractor.example' AND a.name = 'Acme Corporation'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(set, "partner_admin");
    assert_eq!(partner, Some(app.account_id("Northwind Digital").await));
}

#[tokio::test]
async fn link_lookups_are_rate_limited_per_address_and_a_spoofed_forwarded_for_does_not_help() {
    let app = TestApp::spawn_with(|c| c.links_per_minute = 3).await;
    let unknown = "B".repeat(43);
    for _ in 0..3 {
        assert_eq!(
            app.call(Method::GET, &format!("/api/v1/access-links/{unknown}"), None, None).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let req = Request::builder()
        .uri(format!("/api/v1/access-links/{unknown}"))
        .header("x-forwarded-for", "203.0.113.9")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn the_approval_email_reaches_a_real_smtp_server() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = TestApp::spawn_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_tls = "none".into();
        c.public_url = Some("http://cam.example:8080".into());
    })
    .await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(approve(&app, &uma, &token, "Umbrella Labs", false).await.status, StatusCode::OK);
    assert_eq!(server::work::mail::deliver_due(&app.state).await, Ok(1));
    let got = sink.received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].recipients, vec!["ada@northwind.example".to_string()]);
    assert!(got[0].data.contains("Subject: Umbrella Labs approved your access link"), "{}", got[0].data);
    assert!(got[0].data.contains("Open Client Access Manager: http://cam.example:8080/"), "{}", got[0].data);
    let state: String = sqlx::query_scalar("SELECT state FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(state, "sent");
}

#[tokio::test]
async fn a_mail_failure_never_fails_the_approval_and_is_retried_later() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = TestApp::spawn_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = closed;
        c.smtp_tls = "none".into();
    })
    .await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(approve(&app, &uma, &token, "Umbrella Labs", false).await.status, StatusCode::OK);
    assert_eq!(server::work::mail::deliver_due(&app.state).await, Ok(0));
    let (state, attempts, error, next): (String, i64, Option<String>, i64) =
        sqlx::query_as("SELECT state, attempts, last_error, next_attempt_at FROM outbox")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!(error.is_some());
    assert!(next > app.state.clock.now().0);
    // Not due yet: nothing is tried again until the back-off passes.
    assert_eq!(server::work::mail::deliver_due(&app.state).await, Ok(0));
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(attempts, 1);
}

// --- Declining a link (SPEC §4): whoever could approve it somewhere may
// decline it instead; the partner's history records it (R13) and the
// employee is told, in-app and by email, in their language.

async fn decline(
    app: &TestApp,
    who: Option<&Browser>,
    token: &str,
    body: serde_json::Value,
) -> tooling::harness::Response {
    app.call(Method::POST, &format!("/api/v1/access-links/{token}/decline"), Some(body), who).await
}

/// The stored rows of a table, as text (every column).
async fn rows(app: &TestApp, table: &str) -> Vec<String> {
    tooling::harness::rows_without(&app.state.db, table, &[]).await
}

/// Every stored row but the three a decline writes to.
async fn all_but_what_a_decline_writes(app: &TestApp) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut s = app.snapshot().await;
    for t in ["history", "notifications", "outbox"] {
        s.remove(t);
    }
    s
}

/// (actor, account, target, partner, before, after, detail) of the stored
/// `access_link_declined` events.
type DeclineEvent = (Option<i64>, i64, Option<i64>, Option<i64>, Option<String>, Option<String>, String);

async fn decline_events(app: &TestApp) -> Vec<DeclineEvent> {
    sqlx::query_as(
        "SELECT actor_user_id, account_id, target_user_id, partner_account_id, before_perms, after_perms, detail \
         FROM history WHERE action = 'access_link_declined' ORDER BY id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE recipient = $1 ORDER BY id")
        .bind(email)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

async fn csv(app: &TestApp, who: &Browser, path: &str) -> String {
    use http_body_util::BodyExt;
    let req = Request::builder().uri(path).header(axum::http::header::COOKIE, &who.cookie).body(Body::empty()).unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

#[tokio::test]
async fn a_client_declines_a_link_the_partners_history_records_it_and_the_employee_is_told_by_mail() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = TestApp::spawn_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_tls = "none".into();
        c.public_url = Some("http://cam.example:8080".into());
    })
    .await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    let (nw, ada_id, uma_id) = (
        app.account_id("Northwind Digital").await,
        app.user_id("ada@northwind.example").await,
        app.user_id("uma@umbrella.example").await,
    );
    let (history, notifications, outbox) = (app.count("history").await, app.count("notifications").await, 0);
    assert_eq!(app.count("outbox").await, outbox);
    let memberships = rows(&app, "memberships").await;
    let rest = all_but_what_a_decline_writes(&app).await;

    let reason = "We already work with another agency.";
    let res = decline(&app, Some(&uma), &token, json!({ "reason": format!("  {reason}\n") })).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(res.body, serde_json::Value::Null, "no content");

    // R13: one event, in Northwind's history: Uma did it, to Ada, the reason
    // as its detail; no permissions before or after (no access changed).
    assert_eq!(
        decline_events(&app).await,
        vec![(Some(uma_id), nw, Some(ada_id), Some(nw), None, None, reason.to_string())]
    );
    assert_eq!(app.count("history").await, history + 1);
    let page = app.get(&format!("/api/v1/accounts/{nw}/history?action=access_link_declined"), &ada).await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    let row = &page.body["rows"][0];
    assert_eq!(
        (&row["actor"], &row["target"], &row["account"], &row["action"], &row["detail"]),
        (
            &json!("Uma Takahashi"),
            &json!("Ada Lovelace"),
            &json!("Northwind Digital"),
            &json!("access_link_declined"),
            &json!(reason)
        )
    );
    assert_eq!(page.body["rows"].as_array().unwrap().len(), 1);
    let text = csv(&app, &ada, &format!("/api/v1/accounts/{nw}/history.csv?action=access_link_declined")).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].contains(&format!("Uma Takahashi,Northwind Digital,Ada Lovelace,Access link declined,,,{reason}")),
        "{}",
        lines[1]
    );
    let text = csv(&app, &ada, &format!("/api/v1/accounts/{nw}/history.csv?action=access_link_declined&lang=sv")).await;
    assert!(text.contains("Åtkomstlänk avböjd"), "{text}");
    // Not the history of Uma's accounts: she granted nothing there.
    let health = app.account_id("Umbrella Health").await;
    let theirs = app.get(&format!("/api/v1/accounts/{health}/history"), &uma).await;
    assert_eq!(theirs.body["rows"], json!([]), "{:?}", theirs.body);

    // Ada: one new unread notification naming who declined, and why.
    assert_eq!(app.count("notifications").await, notifications + 1);
    let notes = app.get("/api/v1/notifications", &ada).await;
    assert_eq!(notes.body["unread"], 1);
    let note = &notes.body["items"][0];
    assert_eq!(note["kind"], "access_link_declined");
    assert_eq!(note["read"], false);
    assert_eq!(
        note["params"],
        json!({ "decliner": "Uma Takahashi", "email": "uma@umbrella.example", "partner": "Northwind Digital", "reason": reason })
    );
    assert_eq!(note["title"], "Uma Takahashi declined your access link");
    assert!(note["body"].as_str().unwrap().contains(reason), "{}", note["body"]);

    // One email to Ada through the outbox, delivered to a real SMTP server.
    let mails = mails_to(&app, "ada@northwind.example").await;
    assert_eq!(app.count("outbox").await, 1);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "Uma Takahashi declined your access link");
    for words in ["Uma Takahashi (uma@umbrella.example)", "Northwind Digital", reason, "Hello Ada Lovelace,"] {
        assert!(mails[0].1.contains(words), "{words}: {}", mails[0].1);
    }
    assert_eq!(server::work::mail::deliver_due(&app.state).await, Ok(1));
    let got = sink.received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].recipients, vec!["ada@northwind.example".to_string()]);
    assert!(got[0].data.contains("Subject: Uma Takahashi declined your access link"), "{}", got[0].data);

    // Nothing else changed: Ada's memberships (and everyone's) row for row,
    // and every other table.
    assert_eq!(rows(&app, "memberships").await, memberships);
    assert_eq!(all_but_what_a_decline_writes(&app).await, rest);
    // The link still works: declining is no revocation.
    assert_eq!(
        app.call(Method::GET, &format!("/api/v1/access-links/{token}"), None, None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_decline_without_a_reason_and_in_the_employees_language() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app.call(Method::PUT, "/api/v1/session/language", Some(json!({ "language": "fi" })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::OK);
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(decline(&app, Some(&uma), &token, json!({})).await.status, StatusCode::NO_CONTENT);
    let mails = mails_to(&app, "ada@northwind.example").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "Uma Takahashi hylkäsi käyttöoikeuslinkkisi");
    assert!(
        mails[0].1.contains("Hei Ada Lovelace,") && mails[0].1.contains("(uma@umbrella.example)"),
        "{}",
        mails[0].1
    );
    assert!(!mails[0].1.contains("Perustelu"), "no reason given: {}", mails[0].1);
    let events = decline_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].6, "", "no reason, no detail");
    let notes = app.get("/api/v1/notifications", &ada).await;
    assert_eq!(notes.body["items"][0]["params"].get("reason"), None);
}

#[tokio::test]
async fn declining_again_within_24_hours_is_answered_the_same_and_writes_nothing_new() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    // Twice at once: one of them declines, the other finds it done.
    let (a, b) = tokio::join!(
        decline(&app, Some(&uma), &token, json!({ "reason": "No." })),
        decline(&app, Some(&uma), &token, json!({ "reason": "No." }))
    );
    assert_eq!((a.status, b.status), (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT));
    assert_eq!(decline_events(&app).await.len(), 1);
    let once = app.snapshot().await;
    let again = decline(&app, Some(&uma), &token, json!({ "reason": "Still no." })).await;
    assert_eq!((again.status, again.body), (StatusCode::NO_CONTENT, serde_json::Value::Null));
    assert_eq!(decline(&app, Some(&uma), &token, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.snapshot().await, once, "nothing new: no event, no notification, no second email");
    assert_eq!(decline_events(&app).await.len(), 1);
    assert_eq!(mails_to(&app, "ada@northwind.example").await.len(), 1);

    // 24 hours and one second later it is a new decline.
    let first: i64 = sqlx::query_scalar("SELECT at FROM history WHERE action = 'access_link_declined'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.state.clock.set(domain::UnixTime(first + domain::time::DAY - 5));
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(decline(&app, Some(&uma), &token, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(decline_events(&app).await.len(), 1, "still within 24 hours");
    app.state.clock.set(domain::UnixTime(first + domain::time::DAY + 1));
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(decline(&app, Some(&uma), &token, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(decline_events(&app).await.len(), 2);
    assert_eq!(mails_to(&app, "ada@northwind.example").await.len(), 2);
}

#[tokio::test]
async fn a_regenerated_link_is_another_link_to_decline() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let old = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(decline(&app, Some(&uma), &old, json!({})).await.status, StatusCode::NO_CONTENT);
    // A minute on: the old link's decline lies before the new link.
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 60));
    let ada = app.sign_in("ada@northwind.example").await;
    let (nw, ada_id) = (app.account_id("Northwind Digital").await, app.user_id("ada@northwind.example").await);
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/employees/{ada_id}/access-link/regenerate"),
            None,
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let new = res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    let uma = app.sign_in("uma@umbrella.example").await;
    assert_eq!(decline(&app, Some(&uma), &new, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(decline_events(&app).await.len(), 2);
    assert_eq!(mails_to(&app, "ada@northwind.example").await.len(), 2);
}

#[tokio::test]
async fn the_employee_never_declines_their_own_link_even_where_they_could_approve() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let dan_token = link_of(&app, &ada, "dan@northwind.example").await;
    // Ada is one of Umbrella Labs' own super admins too: she could approve
    // a link there.
    let (labs, ada_id) = (app.account_id("Umbrella Labs").await, app.user_id("ada@northwind.example").await);
    let mut conn = app.state.db.acquire().await.unwrap();
    server::seed::provision(&mut conn, labs, ada_id, &domain::Membership::super_admin(), None, 0).await.unwrap();
    drop(conn);
    let offered = app.get(&format!("/api/v1/access-links/{dan_token}/accounts"), &ada).await;
    assert_eq!(offered.body[0]["name"], "Umbrella Labs", "{:?}", offered.body);

    let before = app.snapshot().await;
    let res = decline(&app, Some(&ada), &token, json!({ "reason": "testing" })).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{:?}", res.body);
    assert_eq!(res.body["error"]["rule"], "SPEC §4", "{}", error_message(&res));
    assert_eq!(app.snapshot().await, before, "nothing written");
    // Someone else's link she may decline.
    assert_eq!(decline(&app, Some(&ada), &dan_token, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(decline_events(&app).await.len(), 1);
}

#[tokio::test]
async fn who_could_approve_nowhere_is_refused_as_an_approver_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "dan@northwind.example").await;
    // Cleo: Northwind's person in Acme (never the client); Eve: Acme's own
    // View-only user; Ben: in no customer account; Ada: a partner's person
    // in every client she is in.
    let mut who = vec![];
    for email in ["cleo@northwind.example", "eve@contractor.example", "ben@northwind.example", "ada@northwind.example"]
    {
        who.push((email, app.sign_in(email).await));
    }
    let before = app.snapshot().await;
    for (email, browser) in &who {
        let res = decline(&app, Some(browser), &token, json!({ "reason": "no" })).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{email}: {:?}", res.body);
        assert_eq!(error_code(&res), "forbidden");
        assert!(error_message(&res).contains("Add and edit users"), "{email}: {}", error_message(&res));
        assert_eq!(res.body["error"]["rule"], "SPEC §4", "{email}");
    }
    assert_eq!(app.snapshot().await, before);
    assert!(decline_events(&app).await.is_empty());
}

#[tokio::test]
async fn unknown_revoked_and_malformed_tokens_are_declined_with_approves_answer_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let old = link_of(&app, &ada, "dan@northwind.example").await;
    let (nw, dan) = (app.account_id("Northwind Digital").await, app.user_id("dan@northwind.example").await);
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/employees/{dan}/access-link/regenerate"),
            None,
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let uma = app.sign_in("uma@umbrella.example").await;
    let before = app.snapshot().await;
    let unknown = "A".repeat(43);
    for token in [old.as_str(), unknown.as_str(), "short"] {
        let declined = decline(&app, Some(&uma), token, json!({})).await;
        let approved = approve(&app, &uma, token, "Umbrella Labs", false).await;
        assert_eq!(declined.status, StatusCode::NOT_FOUND, "{token}");
        assert_eq!(error_code(&declined), "link_invalid");
        assert_eq!((declined.status, &declined.body), (approved.status, &approved.body), "{token}");
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn declining_signed_out_is_401_and_an_over_long_reason_is_bad_input() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, "ada@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    let before = app.snapshot().await;
    let res = decline(&app, None, &token, json!({})).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&res), "unauthorized");
    let res = decline(&app, Some(&uma), &token, json!({ "reason": "x".repeat(501) })).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!((error_code(&res), &res.body["error"]["reason"]), ("bad_request", &json!("input_decline_reason")));
    let res = decline(&app, Some(&uma), &token, json!({ "reason": "no", "account_id": 1 })).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "unknown fields");
    assert_eq!(app.snapshot().await, before);
    // 500 characters (not bytes) is the most.
    let res = decline(&app, Some(&uma), &token, json!({ "reason": "é".repeat(500) })).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}
