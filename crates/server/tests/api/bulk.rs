//! R17: the Access review and bulk work on its rows (one employee's
//! clients and the coverage grid are in `bulk_clients`). Expected outcomes
//! come from SPEC's rules applied by hand to the demo data; every allowed
//! change is read back from storage, every refused row is shown unchanged.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tooling::harness::{Browser, TestApp};

pub const DAY: i64 = 86_400;

pub async fn membership(app: &TestApp, account: i64, user: i64) -> Option<(String, Option<String>)> {
    sqlx::query_as("SELECT status, permission_set FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(user)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
}

/// Starts a job and waits for its end; the final report (every row, 100 a page).
pub async fn run_job(app: &TestApp, who: &Browser, nw: i64, path: &str, body: Value) -> Value {
    let res = app.call(Method::POST, path, Some(body), Some(who)).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{:?}", res.body);
    let id = res.body["id"].as_i64().unwrap();
    for _ in 0..200 {
        let r = app.get(&format!("/api/v1/accounts/{nw}/cam/jobs/{id}?per_page=100"), who).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        if r.body["job"]["state"] != "running" {
            counters_match_a_recount(app).await;
            return r.body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("job {id} did not end");
}

/// The clients' employee counters (kept by the backend's triggers, per
/// statement on PostgreSQL) equal a count of the stored memberships.
async fn counters_match_a_recount(app: &TestApp) {
    let off: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.customer_account_id, c.employees, c.active_employees FROM clients c \
         WHERE c.employees <> (SELECT COUNT(*) FROM memberships m \
                               WHERE m.account_id = c.customer_account_id AND m.partner_account_id = c.partner_account_id) \
            OR c.active_employees <> (SELECT COUNT(*) FROM memberships m \
                                      WHERE m.account_id = c.customer_account_id \
                                        AND m.partner_account_id = c.partner_account_id AND m.status = 'active')",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert!(off.is_empty(), "clients whose counters differ from a recount: {off:?}");
}

pub fn outcome_of(report: &Value, client: i64, user: i64) -> &Value {
    report["results"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["client_id"] == client && r["user_id"] == user)
        .unwrap_or_else(|| panic!("no outcome for {client}/{user}: {report}"))
}

pub struct W {
    pub nw: i64,
    pub acme: i64,
    pub globex: i64,
    pub initech: i64,
    pub ada: i64,
    pub cleo: i64,
    pub dan: i64,
    pub cody: i64,
}

pub async fn w(app: &TestApp) -> W {
    W {
        nw: app.account_id("Northwind Digital").await,
        acme: app.account_id("Acme Corporation").await,
        globex: app.account_id("Globex").await,
        initech: app.account_id("Initech").await,
        ada: app.user_id("ada@northwind.example").await,
        cleo: app.user_id("cleo@northwind.example").await,
        dan: app.user_id("dan@northwind.example").await,
        cody: app.user_id("cody@contoso.example").await,
    }
}

#[tokio::test]
async fn the_review_lists_every_employee_in_every_client_with_idle_days_and_filters() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let now = app.state.clock.now().0;
    // Cleo last acted in Acme 45 days ago; Dan never acted in one client.
    sqlx::query("UPDATE memberships SET last_activity_at = $3 WHERE account_id = $1 AND user_id = $2")
        .bind(w.acme)
        .bind(w.cleo)
        .bind(now - 45 * DAY - 60)
        .execute(&app.state.db)
        .await
        .unwrap();
    let base = format!("/api/v1/accounts/{}/cam/review", w.nw);
    let all = app.get(&format!("{base}?per_page=100"), &ada).await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    // Every Northwind membership in a client, and no other partner's.
    let expected: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN clients c ON c.partner_account_id = m.partner_account_id \
         AND c.customer_account_id = m.account_id WHERE m.partner_account_id = $1",
    )
    .bind(w.nw)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(all.body["total"], expected);
    let find = |body: &Value, c: i64, u: i64| {
        body["rows"].as_array().unwrap().iter().find(|r| r["client_id"] == c && r["user_id"] == u).cloned()
    };
    let idle = |body: &Value| -> Vec<i64> {
        body["rows"].as_array().unwrap().iter().map(|r| r["idle_days"].as_i64().unwrap()).collect()
    };
    // Sorted by idle days, the longest first.
    let days = idle(&all.body);
    assert!(days.windows(2).all(|p| p[0] >= p[1]), "{days:?}");
    assert!(all.body["rows"].as_array().unwrap().iter().all(|r| r["user_id"] != w.cody));

    let idle30 = app.get(&format!("{base}?filter=idle30&per_page=100"), &ada).await;
    let cleo = find(&idle30.body, w.acme, w.cleo).expect("Cleo idle 45 days is in idle30");
    assert_eq!((cleo["idle_days"].as_i64(), cleo["access"].as_str()), (Some(45), Some("other_set")));
    assert_eq!(cleo["set_name"], "Sales");
    assert!(idle(&idle30.body).iter().all(|d| *d > 30));
    assert!(idle30.body["rows"].as_array().unwrap().iter().all(|r| r["status"] == "active"));
    let idle60 = app.get(&format!("{base}?filter=idle60&per_page=100"), &ada).await;
    assert!(find(&idle60.body, w.acme, w.cleo).is_none());
    assert!(idle(&idle60.body).iter().all(|d| *d > 60));

    let deactivated = app.get(&format!("{base}?filter=deactivated&per_page=100"), &ada).await;
    assert!(deactivated.body["rows"].as_array().unwrap().iter().all(|r| r["status"] == "deactivated"));
    let stored_off: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE partner_account_id = $1 AND status = 'deactivated'")
            .bind(w.nw)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(deactivated.body["total"], stored_off);

    // Search by client name, and the ascending sort.
    let acme = app.get(&format!("{base}?q=Acme%20Corp&dir=asc"), &ada).await;
    let names: Vec<&str> =
        acme.body["rows"].as_array().unwrap().iter().map(|r| r["crm_name"].as_str().unwrap()).collect();
    assert!(!names.is_empty() && names.iter().all(|n| n.contains("Acme")), "{names:?}");
    let days = idle(&acme.body);
    assert!(days.windows(2).all(|p| p[0] <= p[1]), "{days:?}");

    // The CSV carries the filtered view: a header and one line per row.
    let csv = app.call(Method::GET, &format!("{base}.csv?filter=idle30&lang=en"), None, Some(&ada)).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap_or_default().to_string();
    assert!(text.starts_with("Client,Employee,Email"), "{text}");
    assert_eq!(text.lines().count() as u64 - 1, idle30.body["total"].as_u64().unwrap());
    assert!(text.contains("Cleo Park"));

    // Bad input is a clear 400.
    let bad = app.get(&format!("{base}?filter=idle7"), &ada).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // Cleo cannot open Client Access Manager (R1), Cody sees no Northwind rows (404).
    let cleo_b = app.sign_in("cleo@northwind.example").await;
    assert_eq!(app.get(&base, &cleo_b).await.status, StatusCode::FORBIDDEN);
    let cody = app.sign_in("cody@contoso.example").await;
    assert_eq!(app.get(&base, &cody).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removing_rows_reports_each_row_and_changes_only_the_allowed_ones() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cleo_assets: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM assets WHERE account_id = $1 AND owner_user_id = $2")
            .bind(w.acme)
            .bind(w.cleo)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(cleo_assets > 0, "the demo gives Cleo assets in Acme");
    let rows = json!([
        { "client_id": w.acme, "user_id": w.cleo },
        { "client_id": w.globex, "user_id": w.ada },
        { "client_id": w.initech, "user_id": w.ada },
    ]);
    let body = json!({ "action": "remove", "selection": { "by": "rows", "rows": rows } });
    let base = format!("/api/v1/accounts/{}/cam/review", w.nw);
    let before = app.snapshot().await;
    let preview = app.call(Method::POST, &format!("{base}/preview"), Some(body.clone()), Some(&ada)).await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    // By hand: Cleo (Sales) may go; Ada leaves Globex where Gina stays super
    // admin; Initech would lose its only super admin (R9).
    assert_eq!(
        (preview.body["total"].as_u64(), preview.body["allowed"].as_u64(), preview.body["refused"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    // Cody is Contoso's: naming him is a 404 for the whole request, nothing starts.
    let foreign = json!({ "action": "remove", "selection": { "by": "rows", "rows": [
        { "client_id": w.acme, "user_id": w.cleo }, { "client_id": w.acme, "user_id": w.cody } ] } });
    let res = app.call(Method::POST, &format!("{base}/jobs"), Some(foreign), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);
    assert_eq!(preview.body["assets"], cleo_assets);
    assert_eq!(app.snapshot().await, before, "a review step writes nothing");

    let report = run_job(&app, &ada, w.nw, &format!("{base}/jobs"), body).await;
    assert_eq!(report["job"]["state"], "done");
    assert_eq!(
        (report["job"]["done"].as_u64(), report["job"]["refused"].as_u64(), report["job"]["total"].as_u64()),
        (Some(2), Some(1), Some(3))
    );
    assert_eq!(report["results"]["total"], 3);
    assert!(outcome_of(&report, w.acme, w.cleo)["refusal"].is_null());
    assert!(outcome_of(&report, w.globex, w.ada)["refusal"].is_null());
    assert_eq!(outcome_of(&report, w.initech, w.ada)["refusal"]["rule"], "R9");
    // Read back.
    assert_eq!(membership(&app, w.acme, w.cleo).await, None);
    assert_eq!(membership(&app, w.globex, w.ada).await, None);
    assert!(membership(&app, w.initech, w.ada).await.is_some());
    assert!(membership(&app, w.acme, w.cody).await.is_some());
    let owned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assets WHERE account_id = $1 AND owner_user_id = $2")
        .bind(w.acme)
        .bind(w.cleo)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owned, 0);
    let removed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'removed' AND actor_user_id = $1")
            .bind(w.ada)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(removed, 2);
    // Only what was not done.
    let refused =
        app.get(&format!("/api/v1/accounts/{}/cam/jobs/{}?refused=true", w.nw, report["job"]["id"]), &ada).await;
    assert_eq!(refused.body["results"]["total"], 1);
    // The job is found again in the list, and by nobody outside Northwind.
    let jobs = app.get(&format!("/api/v1/accounts/{}/cam/jobs", w.nw), &ada).await;
    assert_eq!(jobs.body[0]["id"], report["job"]["id"]);
    let cody = app.sign_in("cody@contoso.example").await;
    let contoso = app.account_id("Contoso Partners").await;
    let foreign = app.get(&format!("/api/v1/accounts/{contoso}/cam/jobs/{}", report["job"]["id"]), &cody).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deactivating_all_matching_rows_keeps_a_super_admin_and_refuses_the_deactivated() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let base = format!("/api/v1/accounts/{}/cam/review", w.nw);
    // Everything searched "Ada Lovelace": her rows, active or not, less her
    // Acme row, unticked (and a row of nobody's, which leaves out nothing).
    let body = json!({ "action": "deactivate", "selection": { "by": "matching", "q": "ada@northwind", "filter": "all",
        "except": [{ "client_id": w.acme, "user_id": w.ada }, { "client_id": w.acme, "user_id": 999_999 }] } });
    let mine: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT m.account_id, m.status, m.super_admin FROM memberships m JOIN clients c ON c.customer_account_id = m.account_id \
         AND c.partner_account_id = m.partner_account_id WHERE m.user_id = $1 AND m.partner_account_id = $2",
    )
    .bind(w.ada)
    .bind(w.nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert!(mine.iter().any(|(c, status, _)| *c == w.acme && status == "active"));
    let mine: Vec<_> = mine.into_iter().filter(|(c, _, _)| *c != w.acme).collect();
    let mut expect_refused = 0;
    for (account, status, sa) in &mine {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND super_admin = 1 AND status = 'active' AND user_id <> $2",
        )
        .bind(account)
        .bind(w.ada)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        // R8: already deactivated; R9: her super admin rights are the last ones there.
        if status == "deactivated" || (*sa == 1 && others == 0) {
            expect_refused += 1;
        }
    }
    assert!(expect_refused > 0 && expect_refused < mine.len());
    let report = run_job(&app, &ada, w.nw, &format!("{base}/jobs"), body).await;
    assert_eq!(report["job"]["total"].as_u64(), Some(mine.len() as u64));
    assert_eq!(report["job"]["refused"].as_u64(), Some(expect_refused as u64));
    assert_eq!(report["job"]["done"].as_u64(), Some((mine.len() - expect_refused) as u64));
    let rules: Vec<&str> =
        report["results"]["rows"].as_array().unwrap().iter().filter_map(|r| r["refusal"]["rule"].as_str()).collect();
    assert!(rules.iter().all(|r| *r == "R8" || *r == "R9"), "{rules:?}");
    // Initech keeps Ada, its only super admin, active; Globex has her
    // deactivated; Acme, unticked, is not in the report and unchanged.
    assert_eq!(membership(&app, w.initech, w.ada).await.unwrap().0, "active");
    assert_eq!(membership(&app, w.globex, w.ada).await.unwrap().0, "deactivated");
    assert_eq!(membership(&app, w.acme, w.ada).await.unwrap().0, "active");
    let reported = report["results"]["rows"].as_array().unwrap();
    assert!(reported.iter().all(|r| r["client_id"] != w.acme), "{reported:?}");
    let ada_still = app.get(&format!("/api/v1/accounts/{}/cam/jobs", w.nw), &ada).await;
    assert_eq!(ada_still.status, StatusCode::OK, "the acting session survives");
    // Nothing matches: a clear 400, nothing started.
    let none =
        json!({ "action": "deactivate", "selection": { "by": "matching", "q": "nobody-at-all", "filter": "all" } });
    let res = app.call(Method::POST, &format!("{base}/jobs"), Some(none), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let empty = json!({ "action": "remove", "selection": { "by": "rows", "rows": [] } });
    let res = app.call(Method::POST, &format!("{base}/jobs"), Some(empty), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

/// The runner's lease on a bulk job: one holder at a time; a lease that
/// runs out is taken over, and the old holder's next chunk finds it has
/// lost it (it stops without deciding another row); a finished job is
/// never taken again.
#[tokio::test]
async fn a_bulk_jobs_lease_has_one_holder_and_is_taken_over_only_when_it_runs_out() {
    use server::db::bulk;
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let nw: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE name = 'Northwind Digital'").fetch_one(db).await.unwrap();
    let job = bulk::NewJob {
        partner_id: nw,
        actor_id: sqlx::query_scalar("SELECT id FROM users WHERE email = 'ada@northwind.example'")
            .fetch_one(db)
            .await
            .unwrap(),
        target_id: None,
        kind: domain::api::JobKind::Deactivate,
        permission_set: None,
        total: 0,
        now: 0,
    };
    let id = bulk::create_job(db, &job, r#"{"Rows":{"action":"deactivate","keys":[]}}"#, "").await.unwrap();
    let now = 1_000_000;
    let a = bulk::claim(db, Some(id), "a", now, 30).await.unwrap();
    assert_eq!(a.map(|j| j.id), Some(id), "a new job is free to take");
    assert!(bulk::claim(db, Some(id), "b", now + 29, 30).await.unwrap().is_none(), "held until its lease runs out");
    assert!(bulk::claim(db, None, "b", now + 29, 30).await.unwrap().is_none(), "nor taken as any job");
    let mut conn = db.acquire().await.unwrap();
    assert_eq!(bulk::renew(&mut conn, id, "a", now + 10, 30).await.unwrap(), Some(0), "the holder renews");
    assert!(bulk::claim(db, None, "b", now + 39, 30).await.unwrap().is_none(), "renewed: still held");
    let b = bulk::claim(db, None, "b", now + 40, 30).await.unwrap();
    assert_eq!(b.map(|j| j.id), Some(id), "taken over once the lease ran out");
    assert_eq!(bulk::renew(&mut conn, id, "a", now + 41, 30).await.unwrap(), None, "the old holder lost it");
    bulk::finish_job(db, id, "a", domain::api::JobState::Done, None, now + 41, 0).await.unwrap();
    let state: String =
        sqlx::query_scalar("SELECT state FROM bulk_jobs WHERE id = $1").bind(id).fetch_one(db).await.unwrap();
    assert_eq!(state, "running", "only the holder finishes it");
    bulk::finish_job(db, id, "b", domain::api::JobState::Done, None, now + 41, 0).await.unwrap();
    assert!(bulk::claim(db, None, "c", now + 1_000, 30).await.unwrap().is_none(), "a finished job is never taken");
}
