//! R17: one employee added to many clients or given another set there,
//! and the coverage grid. Expected outcomes come from SPEC's rules applied
//! by hand to the demo data; every allowed change is read back from storage.

use crate::bulk::{membership, outcome_of, run_job, w, DAY};
use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::{error_code, TestApp};

#[tokio::test]
async fn adding_one_employee_to_many_clients_reports_each_client() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let now = app.state.clock.now().0;
    // Clients where Ada is an active Partner Admin, with and without Dan.
    let pa_clients: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT c.customer_account_id, (SELECT COUNT(*) FROM memberships d WHERE d.account_id = c.customer_account_id AND d.user_id = $2) \
         FROM clients c JOIN memberships m ON m.account_id = c.customer_account_id AND m.user_id = $1 \
         WHERE c.partner_account_id = $3 AND m.permission_set = 'partner_admin' AND m.status = 'active' AND m.super_admin = 0 \
         ORDER BY c.customer_account_id",
    )
    .bind(w.ada)
    .bind(w.dan)
    .bind(w.nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let free: Vec<i64> = pa_clients.iter().filter(|(_, d)| *d == 0).map(|(c, _)| *c).take(3).collect();
    let taken = pa_clients.iter().find(|(_, d)| *d == 1).map(|(c, _)| *c).unwrap();
    assert_eq!(free.len(), 3);
    let mut ids = free.clone();
    ids.push(taken);
    ids.push(w.globex); // Ada is super admin there, not Partner Admin (R2).
    let ends = now + 30 * DAY;
    let body = json!({
        "action": "add", "permission_set": "sales", "ends_at": ends,
        "selection": { "by": "clients", "ids": ids },
    });
    let base = format!("/api/v1/accounts/{}/cam/employees/{}/clients", w.nw, w.dan);
    let before = app.snapshot().await;
    let preview = app.call(Method::POST, &format!("{base}/preview"), Some(body.clone()), Some(&ada)).await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    assert_eq!((preview.body["allowed"].as_u64(), preview.body["refused"].as_u64()), (Some(3), Some(2)));
    let rows = preview.body["rows"].as_array().unwrap();
    // Refused first: R4 (already there) and R2 (not Partner Admin there).
    let mut rules: Vec<&str> = rows[..2].iter().map(|r| r["refusal"]["rule"].as_str().unwrap()).collect();
    rules.sort();
    assert_eq!(rules, ["R2", "R4"]);
    // R3 by hand: Partner Admin holds every Sales permission, so Dan gets the Sales set whole.
    let added = rows[2]["change"]["added"].as_array().unwrap().len();
    assert_eq!(added, domain::StandardSet::Sales.perms().assignable().iter().count());
    assert_eq!(app.snapshot().await, before);

    let report = run_job(&app, &ada, w.nw, &format!("{base}/jobs"), body).await;
    assert_eq!((report["job"]["done"].as_u64(), report["job"]["refused"].as_u64()), (Some(3), Some(2)));
    assert_eq!(report["job"]["employee"], "Dan Reyes");
    for c in &free {
        assert_eq!(membership(&app, *c, w.dan).await, Some(("active".into(), Some("sales".into()))));
        let (seat, partner, end): (String, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT seat, partner_account_id, ends_at FROM memberships WHERE account_id = $1 AND user_id = $2",
        )
        .bind(c)
        .bind(w.dan)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        assert_eq!((seat.as_str(), partner, end), ("partner", Some(w.nw), Some(ends)));
    }
    assert_eq!(membership(&app, w.globex, w.dan).await, None);
    assert_eq!(outcome_of(&report, w.globex, w.dan)["refusal"]["rule"], "R2");
    let added: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM history WHERE action = 'employee_added' AND target_user_id = $1 AND actor_user_id = $2",
    )
    .bind(w.dan)
    .bind(w.ada)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(added, 3);

    // An end in the past is 422 (R14) and starts nothing; a foreign client is 404.
    let past = json!({ "action": "add", "permission_set": "sales", "ends_at": now - 1, "selection": { "by": "clients", "ids": [free[0]] } });
    let res = app.call(Method::POST, &format!("{base}/jobs"), Some(past), Some(&ada)).await;
    assert_eq!((res.status, error_code(&res)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"));
    let umbrella = app.account_id("Umbrella Health").await;
    let foreign =
        json!({ "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": [umbrella] } });
    let res = app.call(Method::POST, &format!("{base}/jobs"), Some(foreign), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let jobs = app.count("bulk_jobs").await;
    assert_eq!(jobs, 1);
}

#[tokio::test]
async fn the_choosing_step_shows_the_employees_own_access_and_what_would_be_refused() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let eve = app.user_id("eve@contractor.example").await;
    let now = app.state.clock.now().0;
    // An end on Cleo's access in Acme, set by Ada (Partner Admin there): an earlier end narrows.
    let cleo_ends = now + 20 * DAY;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/end-date", w.nw, w.acme, w.cleo),
            Some(json!({ "ends_at": cleo_ends })),
            Some(&ada),
        )
        .await;
    assert!(res.status.is_success(), "{:?}", res.body);
    let preview = |user: i64, selection: serde_json::Value| {
        let (app, ada) = (&app, &ada);
        let path = format!("/api/v1/accounts/{}/cam/employees/{user}/clients/preview", w.nw);
        async move {
            let body = json!({ "action": "add", "permission_set": "partner_admin", "selection": selection });
            app.call(Method::POST, &path, Some(body), Some(ada)).await
        }
    };
    let row = |body: &serde_json::Value, client: i64| {
        body["rows"].as_array().unwrap().iter().find(|r| r["client_id"] == client).unwrap().clone()
    };
    let before = app.snapshot().await;

    // SPEC §6: Cleo holds the Sales set in Acme (now with an end): R4 refuses
    // adding her again; Ada is a super admin, not a Partner Admin, in Globex
    // and Initech (R2), where Cleo has no access.
    let res = preview(w.cleo, json!({ "by": "clients", "ids": [w.acme, w.globex, w.initech] })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!((res.body["allowed"].as_u64(), res.body["refused"].as_u64()), (Some(0), Some(3)));
    let acme = row(&res.body, w.acme);
    assert_eq!(
        acme["employee"],
        json!({ "access": "other_set", "set_name": "Sales", "ends_at": cleo_ends, "linked": true })
    );
    assert_eq!(
        (acme["refusal"]["rule"].as_str(), acme["refusal"]["reason"].as_str()),
        (Some("R4"), Some("already_user_named"))
    );
    for client in [w.globex, w.initech] {
        let r = row(&res.body, client);
        assert_eq!(r["employee"], serde_json::Value::Null);
        assert_eq!(
            (r["refusal"]["rule"].as_str(), r["refusal"]["reason"].as_str()),
            (Some("R2"), Some("partner_admin_needed"))
        );
    }
    // Eve is a plain user of Acme, not linked to Northwind (R5).
    let res = preview(eve, json!({ "by": "clients", "ids": [w.acme] })).await;
    assert_eq!(
        row(&res.body, w.acme)["employee"],
        json!({ "access": "other_set", "set_name": "View only", "ends_at": null, "linked": false })
    );
    assert_eq!(row(&res.body, w.acme)["refusal"]["rule"], "R4");
    // Dan has no access in Acme and can be added there.
    let res = preview(w.dan, json!({ "by": "clients", "ids": [w.acme] })).await;
    let acme = row(&res.body, w.acme);
    assert_eq!((acme["employee"].clone(), acme["refusal"].clone()), (serde_json::Value::Null, serde_json::Value::Null));

    // "All that can be added" of a search that finds only a refused client is nothing: 400.
    let res = preview(w.cleo, json!({ "by": "matching", "q": "Acme", "allowed_only": true })).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = preview(w.cleo, json!({ "by": "matching", "q": "Acme" })).await;
    assert_eq!((res.body["total"].as_u64(), res.body["refused"].as_u64()), (Some(1), Some(1)));
    assert_eq!(app.snapshot().await, before);

    // Every client, only those that can be added: by hand (R2 and R4), the
    // clients where Ada is an active Partner Admin and Dan is no user yet —
    // Acme among them, Globex and Initech not.
    let expected: Vec<i64> = sqlx::query_scalar(
        "SELECT c.customer_account_id FROM clients c JOIN memberships m ON m.account_id = c.customer_account_id AND m.user_id = $1 \
         WHERE c.partner_account_id = $3 AND m.permission_set = 'partner_admin' AND m.status = 'active' AND m.super_admin = 0 \
         AND NOT EXISTS (SELECT 1 FROM memberships d WHERE d.account_id = c.customer_account_id AND d.user_id = $2) \
         ORDER BY c.customer_account_id",
    )
    .bind(w.ada)
    .bind(w.dan)
    .bind(w.nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert!(expected.contains(&w.acme) && !expected.contains(&w.globex) && !expected.contains(&w.initech));
    let clients: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients WHERE partner_account_id = $1")
        .bind(w.nw)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!((expected.len() as i64) < clients);
    let all = json!({ "by": "matching", "allowed_only": true });
    let res = preview(w.dan, all.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!((res.body["total"].as_u64(), res.body["refused"].as_u64()), (Some(expected.len() as u64), Some(0)));
    let base = format!("/api/v1/accounts/{}/cam/employees/{}/clients", w.nw, w.dan);
    let body = json!({ "action": "add", "permission_set": "partner_admin", "selection": all });
    let report = run_job(&app, &ada, w.nw, &format!("{base}/jobs"), body).await;
    assert_eq!(
        (report["job"]["total"].as_u64(), report["job"]["done"].as_u64(), report["job"]["refused"].as_u64()),
        (Some(expected.len() as u64), Some(expected.len() as u64), Some(0))
    );
    let now_in: Vec<i64> = sqlx::query_scalar(
        "SELECT account_id FROM memberships WHERE user_id = $1 AND partner_account_id = $2 AND status = 'active' \
         AND permission_set = 'partner_admin' ORDER BY account_id",
    )
    .bind(w.dan)
    .bind(w.nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    for c in &expected {
        assert!(now_in.contains(c), "Dan added to {c}");
    }
    assert_eq!(membership(&app, w.globex, w.dan).await, None);
}

#[tokio::test]
async fn changing_a_set_in_all_matching_clients_refuses_super_admins_and_keeps_what_ada_lacks() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    // Every client where Dan is a Northwind user.
    let dans: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT m.account_id, m.super_admin, COALESCE(a.permission_set, '') || ':' || COALESCE(a.status, 'none') || ':' || COALESCE(a.super_admin, 0) \
         FROM memberships m LEFT JOIN memberships a ON a.account_id = m.account_id AND a.user_id = $2 \
         WHERE m.user_id = $1 AND m.partner_account_id = $3",
    )
    .bind(w.dan)
    .bind(w.ada)
    .bind(w.nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    // R2 by hand: Ada must be an active Partner Admin there; R9: Dan no super admin.
    let allowed: Vec<i64> =
        dans.iter().filter(|(_, sa, ada)| *sa == 0 && ada == "partner_admin:active:0").map(|(c, _, _)| *c).collect();
    assert!(allowed.len() >= 2 && allowed.len() < dans.len());
    // Every client where Dan is, less one allowed client unticked.
    let unticked = allowed[0];
    let body = json!({
        "action": "change_set", "permission_set": "view_only",
        "selection": { "by": "matching", "member": true, "except": [unticked] },
    });
    let base = format!("/api/v1/accounts/{}/cam/employees/{}/clients", w.nw, w.dan);
    let report = run_job(&app, &ada, w.nw, &format!("{base}/jobs"), body).await;
    assert_eq!(report["job"]["total"].as_u64(), Some(dans.len() as u64 - 1));
    assert_eq!(report["job"]["done"].as_u64(), Some(allowed.len() as u64 - 1));
    for (c, _, _) in &dans {
        let set = membership(&app, *c, w.dan).await.unwrap().1;
        assert_eq!(set.as_deref() == Some("view_only"), allowed.contains(c) && *c != unticked, "client {c}");
    }
    // The end date belongs to adding only.
    let with_end = json!({ "action": "change_set", "permission_set": "sales", "ends_at": app.state.clock.now().0 + DAY,
        "selection": { "by": "clients", "ids": [allowed[0]] } });
    let res = app.call(Method::POST, &format!("{base}/preview"), Some(with_end), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    // A custom set is not a standard one: 400.
    let custom = json!({ "action": "change_set", "permission_set": "custom:1", "selection": { "by": "clients", "ids": [allowed[0]] } });
    let res = app.call(Method::POST, &format!("{base}/preview"), Some(custom), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_coverage_grid_colours_each_client_by_each_employee() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app.get(&format!("/api/v1/accounts/{}/cam/coverage?q=Acme&per_page=10", w.nw), &ada).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let employees: Vec<i64> =
        res.body["employees"].as_array().unwrap().iter().map(|e| e["user_id"].as_i64().unwrap()).collect();
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1")
        .bind(w.nw)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(res.body["employee_total"], members);
    let acme = res.body["clients"]["rows"].as_array().unwrap().iter().find(|r| r["client_id"] == w.acme).unwrap();
    let cell = |u: i64| &acme["cells"][employees.iter().position(|e| *e == u).unwrap()];
    // SPEC §6: Ada is Partner Admin in Acme, Cleo holds Sales, Dan has no access there.
    assert_eq!(cell(w.ada)["access"], "partner_admin");
    assert_eq!(cell(w.cleo)["access"], "other_set");
    assert_eq!(cell(w.dan)["access"], "none");
    assert!(res.body["employees"].as_array().unwrap().iter().all(|e| e["user_id"] != w.cody));
    let bad = app.get(&format!("/api/v1/accounts/{}/cam/coverage?columns=0", w.nw), &ada).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
