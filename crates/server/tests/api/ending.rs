//! R14: access that ends at its second, reminders 14, 3 and 1 day(s)
//! before (each once, also with two instances), extending and removing an
//! end date, and the end date shown wherever the access is listed.

use axum::http::{Method, StatusCode};
use domain::time::DAY;
use domain::UnixTime;
use serde_json::{json, Value};
use tooling::harness::{error_code, Browser, TestApp};

struct Acme {
    acme: i64,
    nw: i64,
    dan: i64,
    ada: Browser,
}

/// Ada (Partner Admin in Acme) adds Dan to Acme with the Sales set, ending at `ends_at`.
async fn dan_in_acme_until(app: &TestApp, ends_at: Option<i64>) -> Acme {
    let ada = app.sign_in("ada@northwind.example").await;
    let (acme, nw) = (app.account_id("Acme Corporation").await, app.account_id("Northwind Digital").await);
    let dan = app.user_id("dan@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees"),
            Some(json!({ "user_ids": [dan], "permission_set": "sales", "ends_at": ends_at })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    Acme { acme, nw, dan, ada }
}

async fn stored_end(app: &TestApp, account: i64, user: i64) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, ends_at FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(user)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Notifications of a kind per recipient's email, in id order.
async fn notified(app: &TestApp, kind: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = $1 ORDER BY n.id",
    )
    .bind(kind)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

/// Waits until a real second has just begun (the moved clock keeps ticking
/// with real time).
async fn fresh_second() {
    let subsec = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_millis();
    tokio::time::sleep(std::time::Duration::from_millis(u64::from(1_010 - subsec))).await;
}

fn employee(details: &Value, user_id: i64) -> &Value {
    details["employees"].as_array().unwrap().iter().find(|e| e["user_id"] == user_id).unwrap()
}

#[tokio::test]
async fn access_ends_at_its_second_by_the_system_with_history_and_notifications() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now().0;
    let end = now + 10 * DAY;
    let a = dan_in_acme_until(&app, Some(end)).await;
    let details = format!("/api/v1/accounts/{}/cam/clients/{}", a.nw, a.acme);
    assert_eq!(employee(&app.get(&details, &a.ada).await.body, a.dan)["ends_at"], end);

    // One second before: the system's timed work ends nothing. (The moved
    // clock keeps ticking: it runs at the start of a real second, well
    // within it, and the test checks it was still end−1.)
    fresh_second().await;
    app.state.clock.set(UnixTime(end - 1));
    assert_eq!(
        server::work::ending::run(&app.state).await.unwrap(),
        (0, 1),
        "no end; one reminder settles the three thresholds passed"
    );
    assert_eq!(app.state.clock.now().0, end - 1, "the work ran within the second before the end");
    assert_eq!(stored_end(&app, a.acme, a.dan).await, ("active".to_string(), Some(end)));

    // At the second: access reads find it ended, and reading writes nothing.
    // (Sessions idle out over ten days: Ada signs in again.)
    app.state.clock.set(UnixTime(end));
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app.get(&details, &ada).await;
    assert_eq!(employee(&res.body, a.dan)["status"], "deactivated");
    assert_eq!(stored_end(&app, a.acme, a.dan).await.0, "active", "a read never writes");
    // The system's timed work stores it shortly after.
    assert_eq!(server::work::ending::run(&app.state).await.unwrap().0, 1);
    assert_eq!(stored_end(&app, a.acme, a.dan).await.0, "deactivated");
    // R8: the membership and the managed relationship are kept; R10 counts from the end.
    assert_eq!(res.body["status"], "managed", "Ada and Cleo are still active there");
    let last: i64 = sqlx::query_scalar(
        "SELECT last_partner_activity_at FROM clients WHERE partner_account_id = $1 AND customer_account_id = $2",
    )
    .bind(a.nw)
    .bind(a.acme)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(last >= end, "R10 counts from the end: {last} < {end}");
    let history: Vec<(Option<i64>, String)> = sqlx::query_as(
        "SELECT actor_user_id, detail FROM history WHERE action = 'access_ended' AND target_user_id = $1",
    )
    .bind(a.dan)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].0, None, "the system ended it");
    assert_eq!(history[0].1, format!("{}", UnixTime(end).date_time()));
    // The employee and the partner's admins (Ada: super admin; Ben: View and edit partner employees).
    let mut told = notified(&app, "access_ended").await;
    told.sort();
    assert_eq!(told, ["ada@northwind.example", "ben@northwind.example", "dan@northwind.example"]);
    // Ending twice does nothing more.
    server::work::ending::run(&app.state).await.unwrap();
    assert_eq!(notified(&app, "access_ended").await.len(), 3);

    // An ended grant is reactivated only after its end is moved or removed
    // (R14; reactivating never clears an end).
    let reactivate = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/reactivate", a.nw, a.acme, a.dan);
    let res = app.call(Method::POST, &reactivate, None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", res.body);
    assert_eq!(stored_end(&app, a.acme, a.dan).await, ("deactivated".to_string(), Some(end)));
    let end_date = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/end-date", a.nw, a.acme, a.dan);
    let res = app.call(Method::PUT, &end_date, Some(json!({ "ends_at": null })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    let res = app.call(Method::POST, &reactivate, None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(stored_end(&app, a.acme, a.dan).await, ("active".to_string(), None));
}

#[tokio::test]
async fn reminders_go_out_fourteen_three_and_one_day_before_each_once_on_two_instances() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let end = app.state.clock.now().0 + 20 * DAY;
    dan_in_acme_until(&app, Some(end)).await;
    // Dan, Northwind's admins (Ada, Ben) and Acme's own admin (Carol).
    let everyone = ["ada@northwind.example", "ben@northwind.example", "carol@acme.example", "dan@northwind.example"];
    let mut expected = 0;
    for days in [14, 3, 1] {
        let moment = end - days * DAY;
        // A minute before: the moved clock keeps ticking with real time, so
        // a second before could become the moment itself on a busy machine.
        for c in [&app, &twin] {
            c.state.clock.set(UnixTime(moment - 60));
            server::work::ending::run(&c.state).await.unwrap();
        }
        assert_eq!(notified(&app, "access_ending").await.len(), expected, "nothing before {days} days are left");
        for c in [&app, &twin, &app] {
            c.state.clock.set(UnixTime(moment));
            server::work::ending::run(&c.state).await.unwrap();
        }
        expected += everyone.len();
        let mut told = notified(&app, "access_ending").await;
        assert_eq!(told.len(), expected, "{days} days before: once each, whichever instance runs");
        let mut last = told.split_off(expected - everyone.len());
        last.sort();
        assert_eq!(last, everyone);
    }
    // Each reminder is an email too, naming the end date.
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT o.subject FROM outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.kind = 'access_ending'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(subjects.len(), 12);
    assert!(subjects.iter().all(|s| s.contains(&UnixTime(end).date())), "{subjects:?}");
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM end_reminders").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(recorded, 3);
}

#[tokio::test]
async fn a_grant_ending_soon_gets_only_the_reminders_still_ahead() {
    let app = TestApp::spawn().await;
    let end = app.state.clock.now().0 + 2 * DAY;
    dan_in_acme_until(&app, Some(end)).await;
    server::work::ending::run(&app.state).await.unwrap();
    assert!(notified(&app, "access_ending").await.is_empty(), "no late 14- or 3-day reminder");
    app.state.clock.set(UnixTime(end - DAY));
    server::work::ending::run(&app.state).await.unwrap();
    assert_eq!(notified(&app, "access_ending").await.len(), 4);
}

#[tokio::test]
async fn whoever_could_grant_extends_or_removes_an_end_date_and_nobody_else() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now().0;
    let a = dan_in_acme_until(&app, Some(now + 5 * DAY)).await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/end-date", a.nw, a.acme, a.dan);
    let later = now + 60 * DAY;
    let res = app.call(Method::PUT, &path, Some(json!({ "ends_at": later })), Some(&a.ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(stored_end(&app, a.acme, a.dan).await.1, Some(later));
    let detail: String = sqlx::query_scalar("SELECT detail FROM history WHERE action = 'end_date_changed'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(detail, format!("ends {}", UnixTime(later).date_time()));

    // Refused, and nothing changes: Ben is no Partner Admin in Acme (R2);
    // a past end; one more than two years ahead; an unknown field.
    let ben = app.sign_in("ben@northwind.example").await;
    let before = app.snapshot().await;
    for (who, body, status, reason) in [
        (&ben, json!({ "ends_at": now + 9 * DAY }), StatusCode::FORBIDDEN, "partner_admin_needed"),
        (&a.ada, json!({ "ends_at": now - 1 }), StatusCode::UNPROCESSABLE_ENTITY, "end_not_in_future"),
        (&a.ada, json!({ "ends_at": now + 732 * DAY }), StatusCode::UNPROCESSABLE_ENTITY, "end_too_far"),
    ] {
        let res = app.call(Method::PUT, &path, Some(body), Some(who)).await;
        assert_eq!(res.status, status, "{:?}", res.body);
        assert_eq!(res.body["error"]["reason"], reason);
    }
    let res = app.call(Method::PUT, &path, Some(json!({ "ends_at": 1, "more": 1 })), Some(&a.ada)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.snapshot().await, before);

    // The client side: Carol (Acme's super admin) removes it.
    let carol = app.sign_in("carol@acme.example").await;
    let client_path = format!("/api/v1/accounts/{}/users/{}/end-date", a.acme, a.dan);
    let res = app.call(Method::PUT, &client_path, Some(json!({ "ends_at": null })), Some(&carol)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(stored_end(&app, a.acme, a.dan).await.1, None);
    // Not on the client's own users, whose access does not end this way.
    let own = app.user_id("eve@contractor.example").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{own}/end-date", a.acme),
            Some(json!({ "ends_at": now + DAY })),
            Some(&carol),
        )
        .await;
    assert_eq!(error_code(&res), "invalid_state");
    assert_eq!(res.body["error"]["reason"], "no_end_date");
}

#[tokio::test]
async fn end_dates_are_listed_and_the_clients_tab_filters_what_ends_within_thirty_days() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now().0;
    let end = now + 12 * DAY;
    let a = dan_in_acme_until(&app, Some(end)).await;
    let base = format!("/api/v1/accounts/{}/cam", a.nw);
    let ending = app.get(&format!("{base}/clients?ending=true"), &a.ada).await;
    assert_eq!(ending.status, StatusCode::OK, "{:?}", ending.body);
    let rows = ending.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "only Acme: {rows:?}");
    assert_eq!(rows[0]["id"], a.acme);
    assert_eq!(rows[0]["next_end"], end);
    // Whose end it is, and of how many: Dan's is the only one in Acme.
    assert_eq!((rows[0]["next_end_name"].as_str(), rows[0]["ends"].as_u64()), (Some("Dan Reyes"), Some(1)));
    assert_eq!(ending.body["total"], 1);
    let all = app.get(&format!("{base}/clients?q=Initech"), &a.ada).await;
    assert_eq!(all.body["rows"][0]["next_end"], Value::Null);
    assert_eq!(
        (all.body["rows"][0]["next_end_name"].clone(), all.body["rows"][0]["ends"].as_u64()),
        (Value::Null, Some(0))
    );
    let people = app.get(&format!("{base}/employees?q=Dan"), &a.ada).await;
    assert_eq!(people.body["rows"][0]["next_end"], end);
    assert_eq!(people.body["rows"][0]["ends"], 1);
    let clients = app.get(&format!("{base}/employees/{}/clients", a.dan), &a.ada).await;
    assert_eq!(clients.body[0]["ends_at"], end);
    // Cleo (Sales in Acme, SPEC §6) gets a later end: Acme's soonest is still
    // Dan's, now the soonest of two.
    let cleo = app.user_id("cleo@northwind.example").await;
    let cleo_end = now + 20 * DAY;
    let res = app
        .call(
            Method::PUT,
            &format!("{base}/clients/{}/employees/{cleo}/end-date", a.acme),
            Some(json!({ "ends_at": cleo_end })),
            Some(&a.ada),
        )
        .await;
    assert!(res.status.is_success(), "{:?}", res.body);
    let acme = app.get(&format!("{base}/clients?q=Acme"), &a.ada).await;
    let row = &acme.body["rows"][0];
    assert_eq!(
        (row["next_end"].as_i64(), row["next_end_name"].as_str(), row["ends"].as_u64()),
        (Some(end), Some("Dan Reyes"), Some(2))
    );
    // Users & Teams of Acme (Carol, its super admin) lists each membership's own end.
    let carol = app.sign_in("carol@acme.example").await;
    let users = app.get(&format!("/api/v1/accounts/{}/users", a.acme), &carol).await;
    assert_eq!(users.status, StatusCode::OK, "{:?}", users.body);
    let ends_of = |email: &str| {
        users.body["rows"].as_array().unwrap().iter().find(|u| u["email"] == email).unwrap()["ends_at"].clone()
    };
    assert_eq!(ends_of("dan@northwind.example"), end);
    assert_eq!(ends_of("cleo@northwind.example"), cleo_end);
    assert_eq!(ends_of("carol@acme.example"), Value::Null);
    // Beyond 30 days it is listed, not filtered.
    let far = TestApp::spawn().await;
    let b = dan_in_acme_until(&far, Some(far.state.clock.now().0 + 31 * DAY)).await;
    let res = far.get(&format!("/api/v1/accounts/{}/cam/clients?ending=true", b.nw), &b.ada).await;
    assert_eq!(res.body["total"], 0);
}
