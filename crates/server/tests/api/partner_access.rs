//! R15: the client narrows the Partner Admin set (and sets an end) before
//! approving; R16: Settings > Partner access — suspend, resume and remove
//! one partner's people, with R3, R9 and R12 holding; R14 on Create user.

use axum::http::{Method, StatusCode};
use domain::time::DAY;
use domain::{Permission, Perms, StandardSet};
use serde_json::{json, Value};
use tooling::harness::{Browser, TestApp};

async fn link_of(app: &TestApp, email: &str) -> String {
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let uid = app.user_id(email).await;
    let path = format!("/api/v1/accounts/{nw}/cam/employees/{uid}/access-link");
    let res = app.call(Method::PUT, &path, None, Some(&ada)).await;
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

async fn status_of(app: &TestApp, account: i64, email: &str) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(app.user_id(email).await)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_approver_grants_only_the_ticked_part_of_the_set_until_the_chosen_end() {
    let app = TestApp::spawn().await;
    let token = link_of(&app, "dan@northwind.example").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    let health = app.account_id("Umbrella Health").await;
    let set = StandardSet::PartnerAdmin.perms().assignable();
    // Uma unticks two permissions of the set.
    let kept = set.without(Permission::UsersEdit).without(Permission::ContactsDelete);
    let approve = |body: Value| {
        let (app, uma, token) = (&app, &uma, &token);
        async move { app.call(Method::POST, &format!("/api/v1/access-links/{token}/approve"), Some(body), Some(uma)).await }
    };

    // Beyond the set (Billing), nothing ticked: refused, nothing stored.
    let before = app.snapshot().await;
    for (permissions, reason) in
        [(kept.with(Permission::Billing), "narrow_beyond_set"), (Perms::EMPTY, "narrow_nothing")]
    {
        let res = approve(json!({ "account_id": health, "keep": permissions })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", res.body);
        assert_eq!(res.body["error"]["reason"], reason);
        assert_eq!(res.body["error"]["rule"], "R15");
    }
    assert_eq!(app.snapshot().await, before);

    let end = app.state.clock.now().0 + 90 * DAY;
    let res = approve(json!({ "account_id": health, "keep": kept, "ends_at": end })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["ends_at"], end);
    // What the partner sees is what was granted.
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let details = app.get(&format!("/api/v1/accounts/{nw}/cam/clients/{health}"), &ada).await;
    let dan = &details.body["employees"][0];
    assert_eq!(dan["email"], "dan@northwind.example");
    assert_eq!(serde_json::from_value::<Perms>(dan["permissions"].clone()).unwrap(), kept);
    assert_eq!(dan["set_name"], "Partner Admin");
    assert_eq!(dan["ends_at"], end);
    // The approval email says when access ends.
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox ORDER BY id DESC LIMIT 1").fetch_one(&app.state.db).await.unwrap();
    assert!(body.contains(&format!("Your access ends on {}.", domain::UnixTime(end).date())), "{body}");
}

struct Acme {
    acme: i64,
    nw: i64,
    contoso: i64,
    carol: Browser,
}

async fn acme(app: &TestApp) -> Acme {
    Acme {
        acme: app.account_id("Acme Corporation").await,
        nw: app.account_id("Northwind Digital").await,
        contoso: app.account_id("Contoso Partners").await,
        carol: app.sign_in("carol@acme.example").await,
    }
}

async fn control(app: &TestApp, who: &Browser, account: i64, partner: i64, action: &str) -> tooling::harness::Response {
    let path = format!("/api/v1/accounts/{account}/partner-access/{partner}/{action}");
    app.call(Method::POST, &path, None, Some(who)).await
}

#[tokio::test]
async fn the_client_lists_its_partners_and_suspends_and_resumes_one_at_once() {
    let app = TestApp::spawn().await;
    let a = acme(&app).await;
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", a.acme), &a.carol).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let partners: Vec<(String, Vec<String>)> = list.body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let people = p["people"].as_array().unwrap().iter().map(|x| x["email"].as_str().unwrap().to_string());
            (p["partner_name"].as_str().unwrap().to_string(), people.collect())
        })
        .collect();
    assert_eq!(
        partners,
        [
            ("Contoso Partners".to_string(), vec!["cody@contoso.example".to_string(), "cora@contoso.example".into()]),
            (
                "Northwind Digital".to_string(),
                vec!["ada@northwind.example".to_string(), "cleo@northwind.example".into()]
            ),
        ]
    );
    // Ada has a session open in Acme; Cody (the other partner) too.
    let ada = app.sign_in("ada@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;
    for (who, account) in [(&ada, a.acme), (&cody, a.acme)] {
        let res =
            app.call(Method::PUT, "/api/v1/session/account", Some(json!({ "account_id": account })), Some(who)).await;
        assert!(res.status.is_success(), "{:?}", res.body);
    }

    let res = control(&app, &a.carol, a.acme, a.nw, "suspend").await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    for email in ["ada@northwind.example", "cleo@northwind.example"] {
        assert_eq!(status_of(&app, a.acme, email).await.as_deref(), Some("deactivated"), "{email}");
    }
    for email in ["cody@contoso.example", "cora@contoso.example"] {
        assert_eq!(status_of(&app, a.acme, email).await.as_deref(), Some("active"), "{email} is another partner's");
    }
    assert_eq!(app.get("/api/v1/session", &ada).await.status, StatusCode::UNAUTHORIZED, "Ada's session in Acme ended");
    assert_eq!(app.get("/api/v1/session", &cody).await.status, StatusCode::OK);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'partner_suspended'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 2);
    let mut told: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'partner_suspended'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    told.sort();
    assert_eq!(told, ["ada@northwind.example", "ben@northwind.example"], "the partner's admins are told");
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", a.acme), &a.carol).await;
    assert!(list.body["partners"][1]["suspended_at"].is_i64());

    // While suspended the partner cannot reactivate nor add its people (R16).
    let ada = app.sign_in("ada@northwind.example").await;
    let cleo = app.user_id("cleo@northwind.example").await;
    let before = app.snapshot().await;
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{cleo}/reactivate", a.nw, a.acme);
    let res = app.call(Method::POST, &path, None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{:?}", res.body);
    assert_eq!(res.body["error"]["reason"], "partner_suspended");
    assert_eq!(control(&app, &a.carol, a.acme, a.nw, "suspend").await.body["error"]["reason"], "already_suspended");
    assert_eq!(app.snapshot().await, before);

    let res = control(&app, &a.carol, a.acme, a.nw, "resume").await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    for email in ["ada@northwind.example", "cleo@northwind.example"] {
        assert_eq!(status_of(&app, a.acme, email).await.as_deref(), Some("active"), "{email}");
    }
    assert_eq!(control(&app, &a.carol, a.acme, a.nw, "resume").await.body["error"]["reason"], "not_suspended");
}

#[tokio::test]
async fn a_suspension_never_leaves_an_account_without_a_super_admin_nor_reaches_beyond_the_actor() {
    let app = TestApp::spawn().await;
    let a = acme(&app).await;
    // Initech: Ada is its only super admin (R9).
    let initech = app.account_id("Initech").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let before = app.snapshot().await;
    // SPEC §9 A12: the client's own people only. Ada is Northwind's person
    // in Initech (its only super admin): the page does not exist for her.
    let res = control(&app, &ada, initech, a.nw, "suspend").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{:?}", res.body);
    assert_eq!(control(&app, &ada, initech, a.nw, "remove").await.status, StatusCode::NOT_FOUND);
    // Cleo is Northwind's person in Acme: the page does not exist for her (§9 A12).
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", a.acme), &cleo).await;
    assert_eq!(list.status, StatusCode::NOT_FOUND);
    assert_eq!(control(&app, &cleo, a.acme, a.contoso, "suspend").await.status, StatusCode::NOT_FOUND);
    // A partner without people here is as unknown as any id.
    let bluebird = app.account_id("Bluebird Apps").await;
    assert_eq!(control(&app, &a.carol, a.acme, bluebird, "suspend").await.status, StatusCode::NOT_FOUND);
    // Another tenant's account.
    assert_eq!(control(&app, &a.carol, initech, a.nw, "suspend").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);

    // A holder of Add and edit users acts only within what they hold (R3)
    // and never on a super admin (R12): Carol gives Eve just that.
    let eve = app.user_id("eve@contractor.example").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{eve}/permissions", a.acme),
            Some(json!({ "permission_set": "view_only", "added": ["users_edit"] })),
            Some(&a.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let eve_browser = app.sign_in("eve@contractor.example").await;
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", a.acme), &eve_browser).await;
    assert_eq!(list.body["partners"][0]["refused"]["reason"], "partner_beyond_you");
    let before = app.snapshot().await;
    let res = control(&app, &eve_browser, a.acme, a.contoso, "suspend").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{:?}", res.body);
    assert_eq!(res.body["error"]["reason"], "partner_beyond_you");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn the_client_removes_one_partners_people_and_keeps_the_others() {
    let app = TestApp::spawn().await;
    let a = acme(&app).await;
    let res = control(&app, &a.carol, a.acme, a.contoso, "remove").await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    assert_eq!(status_of(&app, a.acme, "cody@contoso.example").await, None);
    assert_eq!(status_of(&app, a.acme, "cora@contoso.example").await, None);
    assert_eq!(status_of(&app, a.acme, "ada@northwind.example").await.as_deref(), Some("active"));
    let owner: Option<i64> = sqlx::query_scalar("SELECT owner_user_id FROM assets WHERE name = 'Contoso retainer'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owner, None, "their assets lose their owner");
    let removed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = 'removed' AND partner_account_id = $1")
            .bind(a.contoso)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(removed, 2);
}

#[tokio::test]
async fn a_user_created_from_the_partner_admin_template_can_carry_an_end_date() {
    let app = TestApp::spawn().await;
    let a = acme(&app).await;
    let end = app.state.clock.now().0 + 30 * DAY;
    let create = |email: &str, seat: &str, template: Option<&str>| json!({ "email": email, "name": "New Person", "seat": seat, "template": template, "ends_at": end });
    let path = format!("/api/v1/accounts/{}/users", a.acme);
    let res = app
        .call(
            Method::POST,
            &path,
            Some(create("dan@northwind.example", "partner", Some("partner_admin"))),
            Some(&a.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    let dan = app.user_id("dan@northwind.example").await;
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT ends_at FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(a.acme)
            .bind(dan)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored, Some(end));
    // The client's own new user: no end date this way (R14), nothing stored.
    let before = app.snapshot().await;
    let res = app.call(Method::POST, &path, Some(create("new@acme.example", "core", None)), Some(&a.carol)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", res.body);
    assert_eq!(res.body["error"]["reason"], "no_end_date");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_suspension_ends_with_the_partners_last_person_there() {
    let app = TestApp::spawn().await;
    let a = acme(&app).await;
    assert_eq!(control(&app, &a.carol, a.acme, a.contoso, "suspend").await.status, StatusCode::OK);
    // Contoso removes its own people from Acme (R2 leaves removal open).
    let cody = app.sign_in("cody@contoso.example").await;
    let (cody_id, cora) = (app.user_id("cody@contoso.example").await, app.user_id("cora@contoso.example").await);
    let path = format!("/api/v1/accounts/{}/cam/clients/{}/remove-employees", a.contoso, a.acme);
    let res = app.call(Method::POST, &path, Some(json!({ "user_ids": [cody_id, cora] })), Some(&cody)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    // Nothing lingers unseen: no suspension row, Contoso no longer listed.
    assert_eq!(app.count("partner_suspensions").await, 0);
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", a.acme), &a.carol).await;
    let names: Vec<&str> =
        list.body["partners"].as_array().unwrap().iter().map(|p| p["partner_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Northwind Digital"]);
}
