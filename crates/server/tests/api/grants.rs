//! Every grant bounded by what the granter holds, on every path,
//! and two partners in one client. The scenario: Carol (Acme super admin)
//! takes both report permissions away from Ada's Partner Admin set in Acme;
//! whatever Ada then grants in Acme — Create user with the Partner Admin
//! template, Edit permissions, an access-link approval, Add employees,
//! Change permission set — carries no report permission. Expected
//! permissions are written here from SPEC's sets, never taken from the
//! server's answers.

use axum::http::{Method, StatusCode};
use domain::{Permission, Perms, StandardSet};
use serde_json::{json, Value};
use tooling::harness::{held, reports, Browser, TestApp};

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

/// Edit permissions (Users & Teams) of `user` in `acme`, as `who`.
async fn edit_permissions(
    app: &TestApp,
    acme: i64,
    user: i64,
    body: Value,
    who: &Browser,
) -> tooling::harness::Response {
    app.call(Method::PUT, &format!("/api/v1/accounts/{acme}/users/{user}/permissions"), Some(body), Some(who)).await
}

/// Carol narrows Ada in Acme: the Partner Admin set without reports.
async fn narrow_ada(app: &TestApp, acme: i64) -> Browser {
    let carol = app.sign_in("carol@acme.example").await;
    let ada = uid(app, "ada@northwind.example").await;
    let res = edit_permissions(
        app,
        acme,
        ada,
        json!({ "permission_set": "partner_admin", "removed": ["reports_view", "reports_edit"] }),
        &carol,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(app, acme, ada).await, StandardSet::PartnerAdmin.perms().difference(reports()));
    carol
}

#[tokio::test]
async fn a_partner_admin_without_reports_creates_a_partner_admin_without_reports() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    narrow_ada(&app, acme).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{acme}/users"),
            Some(json!({ "email": "dan@northwind.example", "seat": "partner", "template": "partner_admin" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    let dan = uid(&app, "dan@northwind.example").await;
    let want = StandardSet::PartnerAdmin.perms().difference(reports());
    assert_eq!(held(&app, acme, dan).await, want, "Dan holds what Ada holds of the set, and no reports");
    assert_eq!(res.body["change"]["not_granted"], json!(["reports_view", "reports_edit"]));
}

#[tokio::test]
async fn an_approver_without_reports_grants_no_reports_and_a_partner_person_never_approves() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let carol = narrow_ada(&app, acme).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let dan = uid(&app, "dan@northwind.example").await;
    let link = app
        .call(Method::PUT, &format!("/api/v1/accounts/{nw}/cam/employees/{dan}/access-link"), None, Some(&ada))
        .await;
    let token = link.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
    // SPEC §9 A8: Ada is Northwind's person in Acme, never the client approving.
    let offered = app.get(&format!("/api/v1/access-links/{token}/accounts"), &ada).await;
    assert!(offered.body.as_array().unwrap().iter().all(|a| a["account_id"] != acme), "{:?}", offered.body);
    let path = format!("/api/v1/access-links/{token}/approve");
    let approve = |who| app.call(Method::POST, &path, Some(json!({ "account_id": acme })), Some(who));
    assert_eq!(approve(&ada).await.status, StatusCode::FORBIDDEN);
    // Eve, the client's own user there, gets Add and edit users and the
    // Partner Admin set without reports from Carol; she grants no reports.
    let eve = uid(&app, "eve@contractor.example").await;
    let body = json!({ "permission_set": "partner_admin", "added": ["users_edit"], "removed": ["reports_view", "reports_edit"] });
    assert_eq!(edit_permissions(&app, acme, eve, body, &carol).await.status, StatusCode::OK);
    let eve_b = app.sign_in("eve@contractor.example").await;
    let offered = app.get(&format!("/api/v1/access-links/{token}/accounts"), &eve_b).await;
    let acme_offer = offered.body.as_array().unwrap().iter().find(|a| a["account_id"] == acme).unwrap().clone();
    let you_hold: Perms = serde_json::from_value(acme_offer["you_hold"].clone()).unwrap();
    assert_eq!(you_hold, StandardSet::PartnerAdmin.perms().difference(reports()));
    let res = approve(&eve_b).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(&app, acme, dan).await, StandardSet::PartnerAdmin.perms().difference(reports()));
    assert_eq!(res.body["change"]["not_granted"], json!(["reports_view", "reports_edit"]));
}

#[tokio::test]
async fn a_client_user_with_add_and_edit_users_grants_at_most_what_they_hold() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let carol = app.sign_in("carol@acme.example").await;
    let eve = uid(&app, "eve@contractor.example").await;
    // Carol gives Eve Add and edit users on top of View only.
    let res =
        edit_permissions(&app, acme, eve, json!({ "permission_set": "view_only", "added": ["users_edit"] }), &carol)
            .await;
    assert_eq!(res.status, StatusCode::OK);
    let eve_b = app.sign_in("eve@contractor.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{acme}/users"),
            Some(json!({ "email": "newbie@acme.example", "name": "New Bie", "seat": "core", "template": "sales" })),
            Some(&eve_b),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    let newbie = uid(&app, "newbie@acme.example").await;
    let eve_holds = StandardSet::ViewOnly.perms().with(Permission::UsersEdit);
    assert_eq!(held(&app, acme, newbie).await, StandardSet::Sales.perms().intersection(eve_holds));
    // Eve cannot take away what she lacks either: Cleo keeps Deals edit.
    let cleo = uid(&app, "cleo@northwind.example").await;
    let res = edit_permissions(&app, acme, cleo, json!({ "permission_set": "view_only" }), &eve_b).await;
    assert_eq!(res.status, StatusCode::OK);
    // Asked for View only: Eve grants what she holds of it and takes away
    // only what she holds; Cleo's Sales permissions Eve lacks all stay.
    let want = StandardSet::Sales.perms().difference(eve_holds).union(StandardSet::ViewOnly.perms());
    assert_eq!(held(&app, acme, cleo).await, want);
    assert!(StandardSet::Sales.perms().difference(eve_holds).is_subset(want), "nothing Eve lacks was removed");
}

#[tokio::test]
async fn a_restricted_partner_admin_adds_and_re_permissions_within_what_they_hold() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    narrow_ada(&app, acme).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let dan = uid(&app, "dan@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees"),
            Some(json!({ "user_ids": [dan], "permission_set": "partner_admin" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(&app, acme, dan).await, StandardSet::PartnerAdmin.perms().difference(reports()));
    // Cleo (Sales) moved to View only: her Reports view stays, Ada cannot remove it.
    let cleo = uid(&app, "cleo@northwind.example").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees/{cleo}/permission-set"),
            Some(json!({ "permission_set": "view_only" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let sales = StandardSet::Sales.perms();
    let want = StandardSet::ViewOnly.perms().union(sales.intersection(reports()));
    assert_eq!(held(&app, acme, cleo).await, want);
}

/// The Clients tab row of Acme as `who` sees it through their partner.
async fn acme_row(app: &TestApp, partner: i64, who: &Browser) -> Value {
    let res = app.get(&format!("/api/v1/accounts/{partner}/cam/clients?q=Acme"), who).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["rows"].as_array().unwrap().iter().find(|r| r["official_name"] == "Acme Corporation").unwrap().clone()
}

#[tokio::test]
async fn two_partners_in_acme_each_see_count_and_end_only_their_own() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let contoso = app.account_id("Contoso Partners").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;
    // SPEC §6: Northwind has Ada and Cleo in Acme, Contoso has Cody and Cora.
    let nw_row = acme_row(&app, nw, &ada).await;
    let co_row = acme_row(&app, contoso, &cody).await;
    assert_eq!((nw_row["partner_employees"].as_u64(), co_row["partner_employees"].as_u64()), (Some(2), Some(2)));
    assert_eq!(co_row["crm_name"], "Acme (Contoso)");
    let details = app.get(&format!("/api/v1/accounts/{contoso}/cam/clients/{acme}"), &cody).await;
    let names: Vec<&str> =
        details.body["employees"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Cody Marsh") && names.contains(&"Cora Lind"), "{names:?}");
    // Neither partner can touch the other's people in Acme, with real ids.
    let cleo = uid(&app, "cleo@northwind.example").await;
    let cora = uid(&app, "cora@contoso.example").await;
    let before = app.snapshot().await;
    for (path, body) in [
        (format!("/api/v1/accounts/{contoso}/cam/clients/{acme}/employees/{cleo}/deactivate"), None),
        (
            format!("/api/v1/accounts/{contoso}/cam/clients/{acme}/employees/{cleo}/permission-set"),
            Some(json!({ "permission_set": "view_only" })),
        ),
        (
            format!("/api/v1/accounts/{contoso}/cam/clients/{acme}/remove-employees"),
            Some(json!({ "user_ids": [cleo] })),
        ),
        (
            format!("/api/v1/accounts/{contoso}/cam/employees/{cleo}/remove-from-clients"),
            Some(json!({ "client_ids": [acme] })),
        ),
        (format!("/api/v1/accounts/{contoso}/cam/employees/{cleo}/link"), Some(json!({ "client_id": acme }))),
        (format!("/api/v1/accounts/{contoso}/cam/clients/{acme}/migrate"), Some(json!({ "user_id": cleo }))),
    ] {
        let method = if path.ends_with("permission-set") { Method::PUT } else { Method::POST };
        let res = app.call(method, &path, body, Some(&cody)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{acme}/employees/{cora}/deactivate"),
            None,
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{contoso}/cam/employees/{cleo}"), &cody).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.snapshot().await, before, "nothing of the other partner changed");
    // Contoso deactivates both of its people: its relationship with Acme is
    // ending; Northwind's stays managed (R10 per partner).
    for who in [uid(&app, "cody@contoso.example").await, cora] {
        let res = app
            .call(
                Method::POST,
                &format!("/api/v1/accounts/{contoso}/cam/clients/{acme}/employees/{who}/deactivate"),
                None,
                Some(&cody),
            )
            .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    }
    let cody = app.sign_in("cody@contoso.example").await;
    let co_row = acme_row(&app, contoso, &cody).await;
    assert!(co_row["status"].get("ending").is_some(), "{co_row}");
    assert_eq!(co_row["active_partner_employees"], 0);
    let nw_row = acme_row(&app, nw, &ada).await;
    assert_eq!(nw_row["status"], "managed");
    assert_eq!(nw_row["active_partner_employees"], 2);
}

/// The history rows of a partner account, as (actor, target, account).
async fn partner_history(app: &TestApp, partner: i64, who: &Browser) -> Vec<(String, String, String)> {
    let res = app.get(&format!("/api/v1/accounts/{partner}/history?per_page=100"), who).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (s("actor"), s("target"), s("account"))
        })
        .collect()
}

#[tokio::test]
async fn each_partner_s_history_holds_its_own_events_in_the_shared_client_and_nothing_else() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let contoso = app.account_id("Contoso Partners").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    let (cleo, cora, eve) = (
        uid(&app, "cleo@northwind.example").await,
        uid(&app, "cora@contoso.example").await,
        uid(&app, "eve@contractor.example").await,
    );
    let set = |p: i64, c: i64, who: i64| format!("/api/v1/accounts/{p}/cam/clients/{c}/employees/{who}/permission-set");
    // Northwind's Ada changes Cleo; Contoso's Cody changes Cora; Carol changes
    // Cora (a Contoso employee) and Eve (Acme's own, unlinked user).
    for (path, who) in [(set(nw, acme, cleo), &ada), (set(contoso, acme, cora), &cody)] {
        let res = app.call(Method::PUT, &path, Some(json!({ "permission_set": "view_only" })), Some(who)).await;
        assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    }
    for target in [cora, eve] {
        let res = edit_permissions(&app, acme, target, json!({ "permission_set": "marketing" }), &carol).await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let theirs = |rows: &[(String, String, String)], actor: &str, target: &str| {
        rows.iter().any(|(a, t, acc)| a == actor && t == target && acc == "Acme Corporation")
    };
    let nw_rows = partner_history(&app, nw, &ada).await;
    assert!(theirs(&nw_rows, "Ada Lovelace", "Cleo Park"), "its own person's change");
    assert!(!theirs(&nw_rows, "Cody Marsh", "Cora Lind"), "the other partner's change");
    assert!(!theirs(&nw_rows, "Carol Jensen", "Cora Lind"), "a change to the other partner's employee");
    assert!(!theirs(&nw_rows, "Carol Jensen", "Eve Sousa"), "the client's change to its own user");
    let co_rows = partner_history(&app, contoso, &cody).await;
    assert!(theirs(&co_rows, "Cody Marsh", "Cora Lind"));
    assert!(theirs(&co_rows, "Carol Jensen", "Cora Lind"), "a change concerning its own employee");
    assert!(!theirs(&co_rows, "Ada Lovelace", "Cleo Park"));
    assert!(!theirs(&co_rows, "Carol Jensen", "Eve Sousa"));
    // Acme's own history has all four.
    let res = app.get(&format!("/api/v1/accounts/{acme}/history?per_page=100"), &carol).await;
    let acme_rows = res.body["rows"].as_array().unwrap().len();
    assert!(acme_rows >= 4, "{acme_rows}");
}
