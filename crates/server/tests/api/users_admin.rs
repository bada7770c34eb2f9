use axum::http::{Method, StatusCode};
use serde_json::json;
use tooling::harness::{error_message, TestApp};

async fn uid(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.state.db).await.unwrap()
}

async fn history_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_partner_admin_template_needs_an_eligible_partner_employee_with_a_partner_seat() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let check = |email: &str, seat: &str| format!("/api/v1/accounts/{acme}/users/candidate?email={email}&seat={seat}");
    let no_seat = app.get(&check("dan@northwind.example", "core"), &carol).await;
    assert_eq!(no_seat.status, StatusCode::OK, "{:?}", no_seat.body);
    assert_eq!(
        no_seat.body,
        json!({ "email": "dan@northwind.example", "already_member": false, "template": "needs_partner_seat" })
    );
    let with_seat = app.get(&check("dan@northwind.example", "partner"), &carol).await;
    assert_eq!(with_seat.body["template"], "available");
    // By verified domain alone, without any membership yet.
    let newcomer = app.get(&check("newcomer@northwind.example", "partner"), &carol).await;
    assert_eq!(newcomer.body["template"], "available");
    // An app partner's employee and a stranger look the same: the answer
    // never tells which partner, if any, a person belongs to.
    let app_partner = app.get(&check("bo@bluebird.example", "partner"), &carol).await;
    let stranger = app.get(&check("someone@nowhere.example", "partner"), &carol).await;
    assert_eq!(app_partner.body["template"], "not_eligible");
    assert_eq!(stranger.body["template"], "not_eligible");
    assert_eq!(
        app_partner.body.as_object().unwrap().keys().collect::<Vec<_>>(),
        stranger.body.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    let member = app.get(&check("cleo@northwind.example", "core"), &carol).await;
    assert_eq!(member.body["already_member"], true);
}

#[tokio::test]
async fn the_candidate_look_up_tells_nothing_about_other_accounts_and_is_rate_limited() {
    let app = TestApp::spawn_with(|c| c.sign_in_per_minute = 5).await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let check = |email: &str| format!("/api/v1/accounts/{acme}/users/candidate?email={email}&seat=core");
    // Gina exists (Globex) and Uma exists (Umbrella): the same answer as a
    // person nobody has heard of.
    let known = app.get(&check("gina@globex.example"), &carol).await;
    let unknown = app.get(&check("nobody@globex.example"), &carol).await;
    assert_eq!(known.body["already_member"], unknown.body["already_member"]);
    assert_eq!(known.body["template"], unknown.body["template"]);
    let text = known.body.to_string();
    for leak in ["Gina", "Globex", "Rossi", "partner_name", "existing_name"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    let mut codes = vec![];
    for _ in 0..4 {
        codes.push(app.get(&check("someone@acme.example"), &carol).await.status.as_u16());
    }
    assert_eq!(codes, [200, 200, 200, 429], "five look-ups a minute, then 429");
}

#[tokio::test]
async fn carol_creates_dan_from_the_partner_admin_template_and_it_is_recorded_once() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let path = format!("/api/v1/accounts/{acme}/users");
    let before = app.snapshot().await;
    let refused = app
        .call(
            Method::POST,
            &path,
            Some(json!({ "email": "dan@northwind.example", "seat": "core", "template": "partner_admin" })),
            Some(&carol),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_message(&refused).contains("R11"));
    assert_eq!(app.snapshot().await, before);

    let res = app
        .call(
            Method::POST,
            &path,
            Some(json!({ "email": "dan@northwind.example", "seat": "partner", "template": "partner_admin" })),
            Some(&carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    let dan = uid(&app, "dan@northwind.example").await;
    let (set, seat, partner): (String, String, Option<i64>) = sqlx::query_as(
        "SELECT permission_set, seat, partner_account_id FROM memberships WHERE account_id = $1 AND user_id = $2",
    )
    .bind(acme)
    .bind(dan)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (set.as_str(), seat.as_str(), partner),
        ("partner_admin", "partner", Some(app.account_id("Northwind Digital").await))
    );
    assert_eq!(history_count(&app, "user_created").await, 1);

    let again = app
        .call(
            Method::POST,
            &path,
            Some(json!({ "email": "dan@northwind.example", "seat": "partner", "template": "partner_admin" })),
            Some(&carol),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(error_message(&again).contains("already a user"));
    assert_eq!(history_count(&app, "user_created").await, 1);
}

#[tokio::test]
async fn only_super_admins_and_user_editors_create_users_and_new_people_need_a_name() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let path = format!("/api/v1/accounts/{acme}/users");
    let cleo = app.sign_in("cleo@northwind.example").await;
    let before = app.snapshot().await;
    let res = app
        .call(Method::POST, &path, Some(json!({ "email": "x@acme.example", "name": "X", "seat": "core" })), Some(&cleo))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(error_message(&res).contains("R11"));
    assert_eq!(app.snapshot().await, before);
    let carol = app.sign_in("carol@acme.example").await;
    let nameless =
        app.call(Method::POST, &path, Some(json!({ "email": "x@acme.example", "seat": "core" })), Some(&carol)).await;
    assert_eq!(nameless.status, StatusCode::BAD_REQUEST);
    let partner_seat = app
        .call(
            Method::POST,
            &path,
            Some(json!({ "email": "x@acme.example", "name": "X", "seat": "partner" })),
            Some(&carol),
        )
        .await;
    assert_eq!(partner_seat.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .call(
            Method::POST,
            &path,
            Some(json!({ "email": "x@acme.example", "name": "Xavier", "seat": "core", "template": "sales" })),
            Some(&carol),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'x@acme.example'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(hash, "!", "no usable password until the person is invited");
}

#[tokio::test]
async fn per_user_seat_permissions_status_and_removal_with_history_each_once() {
    let app = TestApp::spawn().await;
    let carol = app.sign_in("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let eve = uid(&app, "eve@contractor.example").await;
    let base = format!("/api/v1/accounts/{acme}/users/{eve}");
    assert_eq!(
        app.call(Method::PUT, &format!("{base}/seat"), Some(json!({ "seat": "sales" })), Some(&carol)).await.status,
        StatusCode::NO_CONTENT
    );
    let res = app
        .call(
            Method::PUT,
            &format!("{base}/permissions"),
            Some(json!({ "permission_set": "view_only", "added": ["deals_edit"], "removed": ["website_view"] })),
            Some(&carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let (added, removed): (String, String) =
        sqlx::query_as("SELECT perms_added, perms_removed FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(acme)
            .bind(eve)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((added.as_str(), removed.as_str()), ("deals_edit", "website_view"));
    let sneaky = app
        .call(
            Method::PUT,
            &format!("{base}/permissions"),
            Some(json!({ "added": ["scim_provisioning"] })),
            Some(&carol),
        )
        .await;
    assert_eq!(sneaky.status, StatusCode::OK);
    let added: String =
        sqlx::query_scalar("SELECT perms_added FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(acme)
            .bind(eve)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(added, "", "super-admin-only permissions are never granted");
    assert_eq!(
        app.call(Method::POST, &format!("{base}/deactivate"), Some(json!({})), Some(&carol)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(Method::POST, &format!("{base}/reactivate"), Some(json!({})), Some(&carol)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.call(Method::DELETE, &base, None, Some(&carol)).await.status, StatusCode::NO_CONTENT);
    for action in ["seat_changed", "deactivated", "reactivated", "removed"] {
        assert_eq!(history_count(&app, action).await, 1, "{action}");
    }
    assert_eq!(history_count(&app, "permission_set_changed").await, 2);
    let carol_id = uid(&app, "carol@acme.example").await;
    let last = app.call(Method::DELETE, &format!("/api/v1/accounts/{acme}/users/{carol_id}"), None, Some(&carol)).await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert_eq!(history_count(&app, "removed").await, 1, "nothing recorded for a refusal");
}

#[tokio::test]
async fn a_partner_admin_who_edits_users_cannot_grant_what_they_lack() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let eve = uid(&app, "eve@contractor.example").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{acme}/users/{eve}/permissions"),
            Some(json!({ "permission_set": "view_only", "added": ["billing", "deals_edit"] })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    // The answer and the stored row agree: Deals edit granted, Billing
    // (which Ada does not hold) neither granted nor stored.
    assert_eq!(res.body["not_granted"], json!(["billing"]));
    assert_eq!(res.body["added"], json!(["deals_edit"]));
    let added: String =
        sqlx::query_scalar("SELECT perms_added FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(acme)
            .bind(eve)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(added, "deals_edit");
}

#[tokio::test]
async fn a_client_super_admin_migrates_a_partner_super_admin_but_never_the_last_one() {
    let app = TestApp::spawn().await;
    let gina = app.sign_in("gina@globex.example").await;
    let globex = app.account_id("Globex").await;
    let ada = uid(&app, "ada@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{globex}/users/{ada}/migrate"),
            Some(json!({ "keep_billing": false })),
            Some(&gina),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    let set: String =
        sqlx::query_scalar("SELECT permission_set FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(globex)
            .bind(ada)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(set, "partner_admin");
    assert_eq!(history_count(&app, "migrated_to_partner_admin").await, 1);
    let ada_session = app.sign_in("ada@northwind.example").await;
    let initech = app.account_id("Initech").await;
    // SPEC §9 A10: on the client side only the client's own super admins
    // convert; Ada (Northwind's, Initech's only super admin) converts
    // herself from the partner side, where R9 refuses the last one.
    let last = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{initech}/users/{ada}/migrate"),
            Some(json!({})),
            Some(&ada_session),
        )
        .await;
    assert_eq!(last.status, StatusCode::FORBIDDEN);
    let nw = app.account_id("Northwind Digital").await;
    let last = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/clients/{initech}/migrate"),
            Some(json!({ "keep_billing": false })),
            Some(&ada_session),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert_eq!(last.body["error"]["rule"], "R9");
}

#[tokio::test]
async fn a_partner_admin_cannot_change_the_seat_or_status_of_a_super_admin_or_remove_one() {
    // R12: a Partner Admin holds Add and edit users, but super admins are out of
    // their reach: otherwise they could deactivate or remove the very people
    // who may add and remove super admins.
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let carol_id = uid(&app, "carol@acme.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    // A second super admin, so that R9's last-super-admin guard is not what refuses.
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{acme}/settings/super-admins"),
            Some(json!({ "user_id": uid(&app, "eve@contractor.example").await })),
            Some(&carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let ada = app.sign_in("ada@northwind.example").await;
    let before = app.snapshot().await;
    for (method, path, body) in [
        (Method::PUT, format!("/api/v1/accounts/{acme}/users/{carol_id}/seat"), Some(json!({ "seat": "sales" }))),
        (Method::POST, format!("/api/v1/accounts/{acme}/users/{carol_id}/deactivate"), None),
        (Method::DELETE, format!("/api/v1/accounts/{acme}/users/{carol_id}"), None),
    ] {
        let res = app.call(method.clone(), &path, body, Some(&ada)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert!(error_message(&res).contains("R12"), "{}", error_message(&res));
    }
    assert_eq!(app.snapshot().await, before);
    // A super admin may (the other super admin stays).
    let res = app
        .call(Method::POST, &format!("/api/v1/accounts/{acme}/users/{carol_id}/deactivate"), None, Some(&carol))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}
