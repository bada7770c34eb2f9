//! R18 (issue 28): a ceiling per partner and the end of the relationship,
//! set on Settings > Partner access by the client's own people (§9 A14).
//!
//! Every expected answer here is written from SPEC (R14, R16, R18, §9 with
//! row A14 and the notes above the table, §7) and the brief's API contract,
//! and every expected permission is computed by this file's own set
//! arithmetic over SPEC §3's sets — never taken from the server's answers.
//! The demo world (SPEC §6): in Acme, Carol is its own super admin, Eve a
//! plain user (View only) of its own; Northwind has Ada (Partner Admin) and
//! Cleo (Sales) there; Contoso has Cody (Partner Admin) and Cora (Sales).

use axum::http::{Method, StatusCode};
use domain::time::DAY;
use domain::{Permission, Perms, StandardSet, UnixTime};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tooling::harness::{held, Browser, Response, TestApp};

// ---------------------------------------------------------------------------
// The world and small helpers
// ---------------------------------------------------------------------------

struct W {
    acme: i64,
    nw: i64,
    contoso: i64,
    globex: i64,
    initech: i64,
    bluebird: i64,
    ada: i64,
    ben: i64,
    cleo: i64,
    dan: i64,
    eve: i64,
    cody: i64,
    cora: i64,
    carol: Browser,
}

async fn world(app: &TestApp) -> W {
    W {
        acme: app.account_id("Acme Corporation").await,
        nw: app.account_id("Northwind Digital").await,
        contoso: app.account_id("Contoso Partners").await,
        globex: app.account_id("Globex").await,
        initech: app.account_id("Initech").await,
        bluebird: app.account_id("Bluebird Apps").await,
        ada: app.user_id("ada@northwind.example").await,
        ben: app.user_id("ben@northwind.example").await,
        cleo: app.user_id("cleo@northwind.example").await,
        dan: app.user_id("dan@northwind.example").await,
        eve: app.user_id("eve@contractor.example").await,
        cody: app.user_id("cody@contoso.example").await,
        cora: app.user_id("cora@contoso.example").await,
        carol: app.sign_in("carol@acme.example").await,
    }
}

fn pa() -> Perms {
    StandardSet::PartnerAdmin.perms()
}

fn sales() -> Perms {
    StandardSet::Sales.perms()
}

fn view_only() -> Perms {
    StandardSet::ViewOnly.perms()
}

fn of(list: &[Permission]) -> Perms {
    list.iter().copied().collect()
}

fn perms(v: &Value) -> Perms {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("not a permission list: {v:?} ({e})"))
}

/// `/api/v1/accounts/{account}/partner-access/{partner}/{tail}`.
fn terms_path(account: i64, partner: i64, tail: &str) -> String {
    format!("/api/v1/accounts/{account}/partner-access/{partner}/{tail}")
}

async fn preview(app: &TestApp, who: &Browser, account: i64, partner: i64, body: Value) -> Response {
    app.call(Method::POST, &terms_path(account, partner, "ceiling/preview"), Some(body), Some(who)).await
}

async fn put_ceiling(app: &TestApp, who: &Browser, account: i64, partner: i64, body: Value) -> Response {
    app.call(Method::PUT, &terms_path(account, partner, "ceiling"), Some(body), Some(who)).await
}

async fn delete_ceiling(app: &TestApp, who: &Browser, account: i64, partner: i64) -> Response {
    app.call(Method::DELETE, &terms_path(account, partner, "ceiling"), None, Some(who)).await
}

async fn put_end(app: &TestApp, who: &Browser, account: i64, partner: i64, ends_at: Option<i64>) -> Response {
    app.call(
        Method::PUT,
        &terms_path(account, partner, "relationship-end"),
        Some(json!({ "ends_at": ends_at })),
        Some(who),
    )
    .await
}

fn refused(res: &Response, status: StatusCode, rule: &str, reason: &str) {
    assert_eq!(res.status, status, "{:?}", res.body);
    assert_eq!(res.body["error"]["rule"], rule, "{:?}", res.body);
    assert_eq!(res.body["error"]["reason"], reason, "{:?}", res.body);
    assert!(res.body["error"]["code"].is_string() && res.body["error"]["message"].is_string(), "§7: {:?}", res.body);
}

/// Every membership of every account: what it holds (read from its stored
/// columns), its status, seat, own end and partner.
type State = BTreeMap<(i64, i64), (Perms, String, String, Option<i64>, Option<i64>)>;

/// A membership row as `state_of` reads it.
type Row = (i64, i64, String, String, Option<i64>, Option<i64>);

async fn state_of(app: &TestApp) -> State {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT account_id, user_id, status, seat, ends_at, partner_account_id FROM memberships ORDER BY 1, 2",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for (account, user, status, seat, ends_at, partner) in rows {
        out.insert((account, user), (held(app, account, user).await, status, seat, ends_at, partner));
    }
    out
}

/// `before` with the permissions of these memberships replaced.
fn with_perms(before: &State, changes: &[((i64, i64), Perms)]) -> State {
    let mut out = before.clone();
    for (k, p) in changes {
        out.get_mut(k).unwrap_or_else(|| panic!("no membership {k:?}")).0 = *p;
    }
    out
}

/// The targets of the history events of an action in an account, sorted.
async fn history_targets(app: &TestApp, account: i64, action: &str) -> Vec<(i64, Option<i64>)> {
    sqlx::query_as(
        "SELECT target_user_id, partner_account_id FROM history WHERE account_id = $1 AND action = $2 ORDER BY target_user_id",
    )
    .bind(account)
    .bind(action)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

/// Recipients of the notifications of a kind, sorted.
async fn notified(app: &TestApp, kind: &str) -> Vec<String> {
    let mut out: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = $1 ORDER BY n.id",
    )
    .bind(kind)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    out.sort();
    out
}

/// Emails sent with the notifications of a kind.
async fn emailed(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.kind = $1",
    )
    .bind(kind)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// The partner's entry on Settings > Partner access, as Carol sees it.
async fn entry(app: &TestApp, w: &W, partner: i64) -> Value {
    entry_as(app, w.acme, &w.carol, partner).await
}

async fn entry_as(app: &TestApp, acme: i64, who: &Browser, partner: i64) -> Value {
    let list = app.get(&format!("/api/v1/accounts/{acme}/partner-access"), who).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    list.body["partners"].as_array().unwrap().iter().find(|p| p["partner_id"] == partner).unwrap().clone()
}

/// Who a preview says loses what.
fn losses(res: &Response) -> BTreeMap<i64, Perms> {
    res.body["people"]
        .as_array()
        .unwrap_or_else(|| panic!("{:?}", res.body))
        .iter()
        .map(|p| {
            assert!(p["name"].is_string(), "{p:?}");
            (p["user_id"].as_i64().unwrap(), perms(&p["loses"]))
        })
        .collect()
}

/// A partner employee's personal access link, issued by Ada; its token.
async fn token_of(app: &TestApp, w: &W, user: i64) -> String {
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app
        .call(Method::PUT, &format!("/api/v1/accounts/{}/cam/employees/{user}/access-link", w.nw), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

/// The Clients tab row of Acme as `who` sees it through `partner`.
async fn acme_row(app: &TestApp, w: &W, partner: i64, who: &Browser) -> Value {
    let res = app.get(&format!("/api/v1/accounts/{partner}/cam/clients?q=Acme"), who).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["rows"].as_array().unwrap().iter().find(|r| r["id"] == w.acme).unwrap().clone()
}

// ---------------------------------------------------------------------------
// Lowering, raising and removing a ceiling
// ---------------------------------------------------------------------------

#[tokio::test]
async fn lowering_a_ceiling_narrows_exactly_that_partners_people_after_a_preview_that_writes_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let before = state_of(&app).await;
    assert_eq!(before[&(w.acme, w.ada)].0, pa(), "SPEC §6: Ada is Partner Admin in Acme");
    assert_eq!(before[&(w.acme, w.cleo)].0, sales(), "SPEC §6: Cleo has the Sales set in Acme");

    // The preview of a first ceiling (the Sales set) on Northwind: Ada loses
    // what the Partner Admin set has beyond Sales; Cleo loses nothing and is
    // not listed. It writes nothing.
    let snapshot = app.snapshot().await;
    let res = preview(&app, &w.carol, w.acme, w.nw, json!({ "permission_set": "sales" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["step"], "ceiling_set");
    assert_eq!(losses(&res), BTreeMap::from([(w.ada, pa().difference(sales()))]));
    let name = res.body["people"][0]["name"].clone();
    assert_eq!(name, "Ada Lovelace");
    assert_eq!(app.snapshot().await, snapshot, "a preview writes nothing");

    // Confirmed: Ada narrowed to what she holds ∩ the ceiling; nobody else,
    // in any account, changes in any way.
    let res = put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permission_set": "sales" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 1);
    let after = state_of(&app).await;
    let expected = with_perms(&before, &[((w.acme, w.ada), pa().intersection(sales()))]);
    assert_eq!(after, expected, "only Ada narrowed, to PA ∩ Sales; Cody, Cora, Carol, Eve untouched");
    // History: one event per person of that partner there, naming it.
    assert_eq!(history_targets(&app, w.acme, "ceiling_set").await, [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]);
    // The partner's admins (Ada, super admin; Ben, View and edit partner
    // employees) are told, in-app and by email.
    assert_eq!(notified(&app, "ceiling_lowered").await, ["ada@northwind.example", "ben@northwind.example"]);
    assert_eq!(emailed(&app, "ceiling_lowered").await, 2);
    // Settings > Partner access shows it, per partner.
    let nw = entry(&app, &w, w.nw).await;
    assert_eq!(nw["ceiling_set"], "sales");
    assert_eq!(nw["ceiling_name"], "Sales");
    assert_eq!(perms(&nw["ceiling"]), sales());
    assert_eq!(nw["relationship_end"], Value::Null);
    assert_eq!(entry(&app, &w, w.contoso).await["ceiling"], Value::Null, "Contoso has no ceiling");

    // Lowered further, to a list: both lose what the list leaves out of Sales.
    let list = of(&[
        Permission::ContactsView,
        Permission::CompaniesView,
        Permission::DealsView,
        Permission::DealsEdit,
        Permission::ReportsView,
    ]);
    let res = preview(&app, &w.carol, w.acme, w.nw, json!({ "permissions": list })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["step"], "ceiling_lowered");
    let lost = sales().difference(list);
    assert_eq!(losses(&res), BTreeMap::from([(w.ada, lost), (w.cleo, lost)]));
    let res = put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permissions": list })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    let expected = with_perms(
        &before,
        &[
            ((w.acme, w.ada), pa().intersection(sales()).intersection(list)),
            ((w.acme, w.cleo), sales().intersection(list)),
        ],
    );
    assert_eq!(state_of(&app).await, expected);
    assert_eq!(history_targets(&app, w.acme, "ceiling_lowered").await, [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]);
    assert_eq!(notified(&app, "ceiling_lowered").await.len(), 4);
    let nw = entry(&app, &w, w.nw).await;
    assert_eq!((nw["ceiling_set"].clone(), nw["ceiling_name"].clone()), (Value::Null, Value::Null));
    assert_eq!(perms(&nw["ceiling"]), list);
}

#[tokio::test]
async fn a_ceiling_chosen_as_a_custom_set_is_shown_by_its_name() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let set_id = crate::custom_set(&app, w.acme, "Deals only", "deals_view,deals_edit").await;
    let deals = of(&[Permission::DealsView, Permission::DealsEdit]);
    let key = format!("custom:{set_id}");
    let before = state_of(&app).await;
    let res = put_ceiling(&app, &w.carol, w.acme, w.contoso, json!({ "permission_set": key })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    let expected = with_perms(
        &before,
        &[((w.acme, w.cody), pa().intersection(deals)), ((w.acme, w.cora), sales().intersection(deals))],
    );
    assert_eq!(state_of(&app).await, expected);
    let contoso = entry(&app, &w, w.contoso).await;
    assert_eq!(contoso["ceiling_set"], key.as_str());
    assert_eq!(contoso["ceiling_name"], "Deals only");
    assert_eq!(perms(&contoso["ceiling"]), deals);
    // The page offers the account's own sets, and only its own.
    let other = crate::custom_set(&app, w.globex, "Globex deals", "deals_view").await;
    let list = app.get(&format!("/api/v1/accounts/{}/partner-access", w.acme), &w.carol).await;
    assert_eq!(list.body["custom_sets"], json!([{ "key": key, "name": "Deals only" }]), "not custom:{other}");
}

#[tokio::test]
async fn the_client_side_previews_read_the_ceiling_of_the_persons_partner() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    set_ceiling(&app, &w, w.nw, ceiling()).await;
    // Settings > Users & Teams: each partner person's row carries their
    // partner's ceiling; the client's own people and other partners' none.
    let users = app.get(&format!("/api/v1/accounts/{}/users?per_page=100", w.acme), &w.carol).await;
    assert_eq!(users.status, StatusCode::OK, "{:?}", users.body);
    let rows = users.body["rows"].as_array().unwrap();
    let row = |id: i64| rows.iter().find(|r| r["user_id"] == id).unwrap_or_else(|| panic!("{id} in {rows:?}"));
    assert_eq!(perms(&row(w.ada)["ceiling"]), ceiling());
    assert_eq!(perms(&row(w.cleo)["ceiling"]), ceiling());
    for id in [w.eve, w.cody, w.cora] {
        assert!(row(id).get("ceiling").is_none(), "{:?}", row(id));
    }
    // Create user: a person of Northwind's domain is bounded by its
    // ceiling (the partner itself stays unnamed, R11); anyone else is not.
    let candidate = |email: &'static str| {
        let path = format!("/api/v1/accounts/{}/users/candidate?email={email}&seat=partner", w.acme);
        let (app, carol) = (&app, &w.carol);
        async move { app.get(&path, carol).await }
    };
    let nw = candidate("newcomer@northwind.example").await;
    assert_eq!(nw.status, StatusCode::OK, "{:?}", nw.body);
    assert_eq!(perms(&nw.body["ceiling"]), ceiling());
    assert!(nw.body.get("partner_name").is_none() && nw.body.get("partner_id").is_none(), "{:?}", nw.body);
    let contoso = candidate("newcomer@contoso.example").await;
    assert!(contoso.body.get("ceiling").is_none(), "{:?}", contoso.body);
    let nobody = candidate("someone@elsewhere.example").await;
    assert!(nobody.body.get("ceiling").is_none(), "{:?}", nobody.body);
}

#[tokio::test]
async fn a_partners_person_sees_its_own_partners_ceiling_and_never_anothers() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    // Northwind's ceiling is the Partner Admin set (Ada keeps Add and edit
    // users in Acme, so she manages its users); Contoso's is Sales.
    set_ceiling(&app, &w, w.nw, pa()).await;
    set_ceiling(&app, &w, w.contoso, sales()).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let seen = app.get(&format!("/api/v1/accounts/{}/users?per_page=100", w.acme), &ada).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    let rows = seen.body["rows"].as_array().unwrap();
    let row = |id: i64| rows.iter().find(|r| r["user_id"] == id).unwrap_or_else(|| panic!("{id} in {rows:?}"));
    assert_eq!(perms(&row(w.cleo)["ceiling"]), pa());
    for id in [w.cody, w.cora] {
        assert!(row(id).get("ceiling").is_none(), "Contoso's ceiling shown to Ada: {:?}", row(id));
    }
    let path = |email: &str| format!("/api/v1/accounts/{}/users/candidate?email={email}&seat=partner", w.acme);
    let theirs = app.get(&path("newcomer@contoso.example"), &ada).await;
    assert_eq!(theirs.status, StatusCode::OK, "{:?}", theirs.body);
    assert!(theirs.body.get("ceiling").is_none(), "{:?}", theirs.body);
    let own = app.get(&path("newcomer@northwind.example"), &ada).await;
    assert_eq!(perms(&own.body["ceiling"]), pa());
}

#[tokio::test]
async fn raising_or_removing_a_ceiling_gives_nobody_anything() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let list = of(&[Permission::ContactsView, Permission::DealsView, Permission::ReportsView]);
    let res = put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permissions": list })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let narrowed = state_of(&app).await;
    assert_eq!(narrowed[&(w.acme, w.ada)].0, pa().intersection(list));
    assert_eq!(narrowed[&(w.acme, w.cleo)].0, sales().intersection(list));
    let told = notified(&app, "ceiling_lowered").await.len();

    // The same ceiling again: nothing changes (no step).
    let res = preview(&app, &w.carol, w.acme, w.nw, json!({ "permissions": list })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["step"], Value::Null);
    assert!(losses(&res).is_empty());

    // Raised to the Partner Admin set: nobody loses, nobody gains (§9 A14:
    // "raising widens nothing by itself").
    let snapshot = app.snapshot().await;
    let res = preview(&app, &w.carol, w.acme, w.nw, json!({ "permission_set": "partner_admin" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["step"], "ceiling_raised");
    assert!(losses(&res).is_empty());
    assert_eq!(app.snapshot().await, snapshot);
    let res = put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permission_set": "partner_admin" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 0);
    assert_eq!(state_of(&app).await, narrowed, "raising gives nothing back");
    assert_eq!(history_targets(&app, w.acme, "ceiling_raised").await, [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]);
    assert_eq!(notified(&app, "ceiling_lowered").await.len(), told, "nobody was narrowed");
    assert_eq!(entry(&app, &w, w.nw).await["ceiling_set"], "partner_admin");

    // Removed: gives nobody anything either.
    let res = delete_ceiling(&app, &w.carol, w.acme, w.nw).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(state_of(&app).await, narrowed, "removing gives nothing back");
    assert_eq!(history_targets(&app, w.acme, "ceiling_removed").await, [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]);
    assert_eq!(entry(&app, &w, w.nw).await["ceiling"], Value::Null);
    let ada = app.sign_in("ada@northwind.example").await;
    assert_eq!(acme_row(&app, &w, w.nw, &ada).await["ceiling"], false);

    // Without a ceiling, nothing changes from R1–R17: Carol gives Cleo her
    // Sales set back (R3: Carol holds everything).
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.cleo),
            Some(json!({ "permission_set": "sales" })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(&app, w.acme, w.cleo).await, sales());
}

// ---------------------------------------------------------------------------
// Who may (A14) and refusals that change nothing
// ---------------------------------------------------------------------------

#[tokio::test]
async fn refused_ceiling_and_end_steps_change_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    // Eve, Acme's own user, gets Add and edit users on top of View only.
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.eve),
            Some(json!({ "permission_set": "view_only", "added": ["users_edit"] })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let eve = app.sign_in("eve@contractor.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;
    let gina = app.sign_in("gina@globex.example").await;
    let now = app.state.clock.now().0;
    let sales_body = json!({ "permission_set": "sales" });
    let before = app.snapshot().await;

    // Bad input (§7: 400, nothing stored): both, neither, an unknown field.
    for body in [
        json!({ "permission_set": "sales", "permissions": ["contacts_view"] }),
        json!({}),
        json!({ "permission_set": "sales", "more": 1 }),
        json!({ "permissions": ["contacts_view", "no_such_permission"] }),
    ] {
        for res in [
            preview(&app, &w.carol, w.acme, w.nw, body.clone()).await,
            put_ceiling(&app, &w.carol, w.acme, w.nw, body.clone()).await,
        ] {
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}: {:?}", res.body);
        }
    }
    let res = app
        .call(
            Method::PUT,
            &terms_path(w.acme, w.nw, "relationship-end"),
            Some(json!({ "ends_at": now + 10 * DAY, "more": 1 })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{:?}", res.body);

    // An empty ceiling (R18: ceiling_empty, 422).
    for res in [
        preview(&app, &w.carol, w.acme, w.nw, json!({ "permissions": [] })).await,
        put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permissions": [] })).await,
    ] {
        refused(&res, StatusCode::UNPROCESSABLE_ENTITY, "R18", "ceiling_empty");
    }

    // A partner's person — its own partner or the other — finds no such
    // page (A14 "the client's own people only, as R16"; §9 A12: 404).
    for who in [&ada, &cleo, &cody] {
        for partner in [w.nw, w.contoso] {
            for res in [
                preview(&app, who, w.acme, partner, sales_body.clone()).await,
                put_ceiling(&app, who, w.acme, partner, sales_body.clone()).await,
                delete_ceiling(&app, who, w.acme, partner).await,
                put_end(&app, who, w.acme, partner, Some(now + 10 * DAY)).await,
                put_end(&app, who, w.acme, partner, None).await,
            ] {
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{:?}", res.body);
            }
        }
    }
    // A partner without people in Acme (Bluebird), and another tenant's
    // account (Initech): as unknown as any id.
    for (account, partner) in [(w.acme, w.bluebird), (w.initech, w.nw)] {
        for res in [
            preview(&app, &w.carol, account, partner, sales_body.clone()).await,
            put_ceiling(&app, &w.carol, account, partner, sales_body.clone()).await,
            delete_ceiling(&app, &w.carol, account, partner).await,
            put_end(&app, &w.carol, account, partner, Some(now + 10 * DAY)).await,
        ] {
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{account}/{partner}: {:?}", res.body);
        }
    }

    // Eve holds Add and edit users but not what Contoso's people hold (Cody:
    // Partner Admin): R16 "who holds every permission of every person the
    // action touches" — 403, partner_beyond_you, the preview as the step.
    for res in [
        preview(&app, &eve, w.acme, w.contoso, sales_body.clone()).await,
        put_ceiling(&app, &eve, w.acme, w.contoso, sales_body.clone()).await,
        put_end(&app, &eve, w.acme, w.contoso, Some(now + 10 * DAY)).await,
    ] {
        refused(&res, StatusCode::FORBIDDEN, "R16", "partner_beyond_you");
    }

    // Globex: Ada, Northwind's person there, is a super admin — no ceiling
    // and no relationship end for Northwind there (A14: "convert first, R9").
    for res in [
        preview(&app, &gina, w.globex, w.nw, sales_body.clone()).await,
        put_ceiling(&app, &gina, w.globex, w.nw, sales_body.clone()).await,
        put_end(&app, &gina, w.globex, w.nw, Some(now + 10 * DAY)).await,
    ] {
        refused(&res, StatusCode::CONFLICT, "R18", "ceiling_super_admin");
    }

    // R14 through R18: in the future, at most two years ahead.
    refused(
        &put_end(&app, &w.carol, w.acme, w.nw, Some(now - 1)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "R14",
        "end_not_in_future",
    );
    refused(
        &put_end(&app, &w.carol, w.acme, w.nw, Some(now + 732 * DAY)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "R14",
        "end_too_far",
    );

    assert_eq!(app.snapshot().await, before, "no refused step stored anything");
}

/// §9 A14 "the client's own people only, as R16"; R16: "a holder of *Add
/// and edit users* who holds every permission of every person the action
/// touches (R3)". Raising or removing a ceiling acts on every person of that
/// partner there (one history event each), so Eve, who lacks what they
/// hold, may do neither — even though neither gives anybody anything.
#[tokio::test]
async fn a_holder_who_lacks_the_peoples_permissions_neither_raises_nor_removes_a_ceiling() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let res = put_ceiling(&app, &w.carol, w.acme, w.contoso, json!({ "permission_set": "sales" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.eve),
            Some(json!({ "permission_set": "view_only", "added": ["users_edit"] })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let eve = app.sign_in("eve@contractor.example").await;
    // Cody and Cora now hold Sales; Eve holds View only and Add and edit users.
    assert!(!sales().is_subset(view_only().with(Permission::UsersEdit)));
    let before = app.snapshot().await;
    let raise = json!({ "permission_set": "partner_admin" });
    refused(
        &preview(&app, &eve, w.acme, w.contoso, raise.clone()).await,
        StatusCode::FORBIDDEN,
        "R16",
        "partner_beyond_you",
    );
    refused(
        &put_ceiling(&app, &eve, w.acme, w.contoso, raise).await,
        StatusCode::FORBIDDEN,
        "R16",
        "partner_beyond_you",
    );
    refused(&delete_ceiling(&app, &eve, w.acme, w.contoso).await, StatusCode::FORBIDDEN, "R16", "partner_beyond_you");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_holder_of_add_and_edit_users_who_holds_what_the_people_hold_may_set_a_ceiling() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    // Carol gives Eve the Partner Admin set (which carries Add and edit users).
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.eve),
            Some(json!({ "permission_set": "partner_admin" })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert!(pa().contains(Permission::UsersEdit));
    let eve = app.sign_in("eve@contractor.example").await;
    let before = state_of(&app).await;
    let res = put_ceiling(&app, &eve, w.acme, w.contoso, json!({ "permission_set": "sales" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 1);
    assert_eq!(state_of(&app).await, with_perms(&before, &[((w.acme, w.cody), pa().intersection(sales()))]));
    // And an end, and moving it later (she holds everything they hold).
    let now = app.state.clock.now().0;
    assert_eq!(put_end(&app, &eve, w.acme, w.contoso, Some(now + 20 * DAY)).await.status, StatusCode::OK);
    let res = put_end(&app, &eve, w.acme, w.contoso, Some(now + 40 * DAY)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(entry(&app, &w, w.contoso).await["relationship_end"], now + 40 * DAY);
}

// ---------------------------------------------------------------------------
// Every grant path is bounded by the ceiling
// ---------------------------------------------------------------------------

/// The ceiling the grant tests give Northwind in Acme (a list).
fn ceiling() -> Perms {
    of(&[
        Permission::ContactsView,
        Permission::ContactsEdit,
        Permission::CompaniesView,
        Permission::DealsView,
        Permission::DealsEdit,
        Permission::TicketsView,
        Permission::ReportsView,
    ])
}

async fn set_ceiling(app: &TestApp, w: &W, partner: i64, c: Perms) {
    let res = put_ceiling(app, &w.carol, w.acme, partner, json!({ "permissions": c })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
}

/// The answer names everything a grant left out of the set: `left_out` is
/// exactly what is in `asked` and not stored; it is named in `not_granted`
/// or `above_ceiling`, and `above_ceiling` names only what lies outside
/// the ceiling.
fn reports_what_was_left_out(change: &Value, asked: Perms, stored: Perms, c: Perms) {
    assert!(change["above_ceiling"].is_array(), "the grant's answer carries above_ceiling: {change:?}");
    let above = perms(&change["above_ceiling"]);
    let not_granted = perms(&change["not_granted"]);
    assert!(above.is_subset(asked.difference(c)), "above_ceiling {:?} beyond the ceiling's gap", above.to_keys());
    assert_eq!(above.union(not_granted).intersection(asked), asked.difference(stored), "{change:?}");
}

#[tokio::test]
async fn add_employees_client_side_edit_and_approval_never_exceed_the_ceiling() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let c = ceiling();
    let dan_token = token_of(&app, &w, w.dan).await;
    set_ceiling(&app, &w, w.nw, c).await;
    assert_eq!(held(&app, w.acme, w.ada).await, pa().intersection(c));
    assert_eq!(held(&app, w.acme, w.cleo).await, sales().intersection(c));

    // A1: Ada adds Ben with the Partner Admin set: S ∩ A, within the ceiling.
    let ada = app.sign_in("ada@northwind.example").await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme),
            Some(json!({ "user_ids": [w.ben], "permission_set": "partner_admin" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let ada_holds = pa().intersection(c);
    let want = pa().intersection(ada_holds).intersection(c);
    assert_eq!(held(&app, w.acme, w.ben).await, want);
    reports_what_was_left_out(&res.body[0]["change"], pa(), want, c);

    // A9: Carol (holds everything) edits Cleo to the Partner Admin set: R3
    // gives all of it, the ceiling keeps C of it; above_ceiling names the rest.
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.cleo),
            Some(json!({ "permission_set": "partner_admin" })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(&app, w.acme, w.cleo).await, pa().intersection(c));
    assert_eq!(perms(&res.body["above_ceiling"]), pa().difference(c));
    assert_eq!(perms(&res.body["not_granted"]), Perms::EMPTY, "Carol holds everything");

    // A8: Carol approves Dan's link into Acme: Partner Admin ∩ ceiling.
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/access-links/{dan_token}/approve"),
            Some(json!({ "account_id": w.acme })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(held(&app, w.acme, w.dan).await, pa().intersection(c));
    assert_eq!(perms(&res.body["change"]["above_ceiling"]), pa().difference(c));
    assert_eq!(perms(&res.body["change"]["not_granted"]), Perms::EMPTY);

    // Nobody of Northwind in Acme holds anything outside the ceiling.
    for user in [w.ada, w.ben, w.cleo, w.dan] {
        assert!(held(&app, w.acme, user).await.is_subset(c), "{user}");
    }
    // Contoso's people are untouched by Northwind's ceiling.
    assert_eq!(held(&app, w.acme, w.cody).await, pa());
    assert_eq!(held(&app, w.acme, w.cora).await, sales());
}

#[tokio::test]
async fn create_user_change_set_reactivation_and_link_never_exceed_the_ceiling() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let c = ceiling();
    let ada = app.sign_in("ada@northwind.example").await;
    // Before the ceiling: Ada (partner side) deactivates Cleo; Carol (client
    // side) deactivates Cora (Contoso).
    let cleo_base = format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}", w.nw, w.acme, w.cleo);
    let res = app.call(Method::POST, &format!("{cleo_base}/deactivate"), None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    let cora_base = format!("/api/v1/accounts/{}/users/{}", w.acme, w.cora);
    let res = app.call(Method::POST, &format!("{cora_base}/deactivate"), None, Some(&w.carol)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    set_ceiling(&app, &w, w.nw, c).await;
    let c2 = of(&[Permission::ContactsView, Permission::DealsView]);
    set_ceiling(&app, &w, w.contoso, c2).await;

    // A4: Ada reactivates Cleo: she comes back with Sales ∩ ceiling at most.
    let res = app.call(Method::POST, &format!("{cleo_base}/reactivate"), None, Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(crate::status(&app, w.acme, w.cleo).await.as_deref(), Some("active"));
    assert_eq!(held(&app, w.acme, w.cleo).await, sales().intersection(c));
    // A9: Carol reactivates Cora: Sales ∩ Contoso's ceiling.
    let res = app.call(Method::POST, &format!("{cora_base}/reactivate"), None, Some(&w.carol)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(crate::status(&app, w.acme, w.cora).await.as_deref(), Some("active"));
    assert_eq!(held(&app, w.acme, w.cora).await, sales().intersection(c2));

    // A2: Ada (holding C) moves Cleo to the Partner Admin set: R3's formula,
    // within the ceiling.
    let ada_holds = pa().intersection(c);
    let res = app
        .call(
            Method::PUT,
            &format!("{cleo_base}/permission-set"),
            Some(json!({ "permission_set": "partner_admin" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let had = sales().intersection(c);
    let want = had.difference(ada_holds).union(pa().intersection(ada_holds)).intersection(c);
    assert_eq!(held(&app, w.acme, w.cleo).await, want);
    reports_what_was_left_out(&res.body["change"], pa(), want, c);

    // A9 / R11: Carol creates Dan (Northwind) from the Partner Admin template.
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{}/users", w.acme),
            Some(json!({ "email": "dan@northwind.example", "seat": "partner", "template": "partner_admin" })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.body);
    assert_eq!(held(&app, w.acme, w.dan).await, pa().intersection(c));
    assert_eq!(perms(&res.body["change"]["above_ceiling"]), pa().difference(c));

    // A5: Eve (View only) holds what the ceiling leaves out: no link (409
    // R18 above_ceiling), nothing stored.
    assert!(!view_only().is_subset(c));
    let link = format!("/api/v1/accounts/{}/cam/employees/{}/link", w.nw, w.eve);
    let before = app.snapshot().await;
    let res = app.call(Method::POST, &link, Some(json!({ "client_id": w.acme })), Some(&ada)).await;
    refused(&res, StatusCode::CONFLICT, "R18", "above_ceiling");
    assert_eq!(app.snapshot().await, before);
    // Raised to cover View only, the link goes through and changes no permission.
    set_ceiling(&app, &w, w.nw, c.union(view_only())).await;
    let res = app.call(Method::POST, &link, Some(json!({ "client_id": w.acme })), Some(&ada)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(held(&app, w.acme, w.eve).await, view_only());
}

// ---------------------------------------------------------------------------
// The end of the relationship
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_relationship_end_ends_every_person_of_that_partner_there_when_it_passes() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let now = app.state.clock.now().0;
    let ben_token = token_of(&app, &w, w.ben).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;

    // Set 40 days ahead: every person of Northwind there; the partner told.
    let first = now + 40 * DAY;
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(first)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    assert_eq!(
        history_targets(&app, w.acme, "relationship_end_set").await,
        [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]
    );
    assert_eq!(notified(&app, "relationship_end_set").await, ["ada@northwind.example", "ben@northwind.example"]);
    assert_eq!(entry(&app, &w, w.nw).await["relationship_end"], first);
    assert_eq!(entry(&app, &w, w.contoso).await["relationship_end"], Value::Null);
    // The partner sees it on the Clients tab and in the details; the other
    // partner in Acme does not.
    let row = acme_row(&app, &w, w.nw, &ada).await;
    assert_eq!((row["relationship_end"].as_i64(), row["ceiling"].as_bool()), (Some(first), Some(false)));
    let row = acme_row(&app, &w, w.contoso, &cody).await;
    assert_eq!((row["relationship_end"].clone(), row["ceiling"].as_bool()), (Value::Null, Some(false)));
    let details = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    assert_eq!(
        (details.body["relationship_end"].as_i64(), details.body["ceiling"].clone()),
        (Some(first), Value::Null)
    );
    // 40 days ahead is not within the next 30.
    let ending = app.get(&format!("/api/v1/accounts/{}/cam/clients?relationship_ending=true", w.nw), &ada).await;
    assert_eq!(ending.status, StatusCode::OK, "{:?}", ending.body);
    assert_eq!(ending.body["total"], 0, "{:?}", ending.body);

    // Moved earlier, 20 days ahead (a narrowing).
    let end = now + 20 * DAY;
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(end)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["people"], 2);
    assert_eq!(
        history_targets(&app, w.acme, "relationship_end_moved").await,
        [(w.ada, Some(w.nw)), (w.cleo, Some(w.nw))]
    );
    let ending = app.get(&format!("/api/v1/accounts/{}/cam/clients?relationship_ending=true", w.nw), &ada).await;
    let ids: Vec<i64> = ending.body["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [w.acme], "only Acme's relationship ends within 30 days");
    let sorted = app.get(&format!("/api/v1/accounts/{}/cam/clients?sort=relationship_end", w.nw), &ada).await;
    assert_eq!(sorted.status, StatusCode::OK, "{:?}", sorted.body);
    assert_eq!(sorted.body["rows"][0]["id"], w.acme, "soonest first, none last");
    let details = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    assert_eq!(details.body["relationship_end"], end);

    // Ada adds Dan (no own end) after the end was set: he is one of
    // Northwind's people there too. Cleo gets her own, earlier end.
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme),
            Some(json!({ "user_ids": [w.dan], "permission_set": "sales" })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let cleo_end = now + 10 * DAY;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/cam/clients/{}/employees/{}/end-date", w.nw, w.acme, w.cleo),
            Some(json!({ "ends_at": cleo_end })),
            Some(&ada),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);

    // Effective end = the earlier of the two: Cleo ends at her own.
    app.state.clock.set(UnixTime(cleo_end));
    server::work::ending::run(&app.state).await.unwrap();
    assert_eq!(crate::status(&app, w.acme, w.cleo).await.as_deref(), Some("deactivated"));
    for user in [w.ada, w.dan] {
        assert_eq!(crate::status(&app, w.acme, user).await.as_deref(), Some("active"), "{user}");
    }
    // A minute before the relationship end: still there.
    app.state.clock.set(UnixTime(end - 60));
    server::work::ending::run(&app.state).await.unwrap();
    for user in [w.ada, w.dan] {
        assert_eq!(crate::status(&app, w.acme, user).await.as_deref(), Some("active"), "{user}");
    }
    // When it passes, the background work deactivates every Northwind person
    // there; Contoso's and Acme's own are untouched.
    app.state.clock.set(UnixTime(end));
    server::work::ending::run(&app.state).await.unwrap();
    for user in [w.ada, w.cleo, w.dan] {
        assert_eq!(crate::status(&app, w.acme, user).await.as_deref(), Some("deactivated"), "{user}");
    }
    for user in [w.cody, w.cora, w.eve] {
        assert_eq!(crate::status(&app, w.acme, user).await.as_deref(), Some("active"), "{user}");
    }

    // Once it has passed, any widening for Northwind's people there is
    // refused (422 R18 relationship_ended), and nothing is stored.
    let carol = app.sign_in("carol@acme.example").await;
    let before = app.snapshot().await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.dan),
            Some(json!({ "permission_set": "sales", "added": ["tickets_view"] })),
            Some(&carol),
        )
        .await;
    refused(&res, StatusCode::UNPROCESSABLE_ENTITY, "R18", "relationship_ended");
    // Reactivating: SPEC R18 makes the relationship end "an end date on
    // every person ... (R14)", and R14 refuses reactivating a membership
    // whose end has passed: either rule's reason answers it, always 422.
    let res = app
        .call(Method::POST, &format!("/api/v1/accounts/{}/users/{}/reactivate", w.acme, w.dan), None, Some(&carol))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", res.body);
    let why = (res.body["error"]["rule"].as_str(), res.body["error"]["reason"].as_str());
    assert!(
        matches!(why, (Some("R18"), Some("relationship_ended")) | (Some("R14"), Some("end_passed"))),
        "{:?}",
        res.body
    );
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/access-links/{ben_token}/approve"),
            Some(json!({ "account_id": w.acme })),
            Some(&carol),
        )
        .await;
    refused(&res, StatusCode::UNPROCESSABLE_ENTITY, "R18", "relationship_ended");
    assert_eq!(app.snapshot().await, before);

    // The client may remove it; then Dan can be reactivated from its side.
    let res = put_end(&app, &carol, w.acme, w.nw, None).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(entry_as(&app, w.acme, &carol, w.nw).await["relationship_end"], Value::Null);
    assert_eq!(notified(&app, "relationship_end_removed").await, ["ada@northwind.example", "ben@northwind.example"]);
    assert_eq!(history_targets(&app, w.acme, "relationship_end_removed").await.len(), 3, "Ada, Cleo and Dan");
    let res = app
        .call(Method::POST, &format!("/api/v1/accounts/{}/users/{}/reactivate", w.acme, w.dan), None, Some(&carol))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.body);
    assert_eq!(crate::status(&app, w.acme, w.dan).await.as_deref(), Some("active"));
}

#[tokio::test]
async fn relationship_reminders_go_out_thirty_seven_and_one_day_before_each_once_on_two_instances() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let w = world(&app).await;
    let end = app.state.clock.now().0 + 40 * DAY;
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(end)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    // Both sides: Acme's own admin (Carol) and Northwind's admins (Ada, Ben).
    let everyone = ["ada@northwind.example", "ben@northwind.example", "carol@acme.example"];
    let count = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE n.kind = 'relationship_ending' ORDER BY n.id",
            )
            .fetch_all(&db)
            .await
            .unwrap()
        }
    };
    // What the background-work runner does each round: every kind once.
    async fn round(state: &server::AppState) {
        for kind in server::work::Kind::ALL {
            kind.run(state).await.unwrap();
        }
    }
    let mut expected = 0;
    for days in [30, 7, 1] {
        let moment = end - days * DAY;
        for c in [&app, &twin] {
            c.state.clock.set(UnixTime(moment - 60));
            round(&c.state).await;
        }
        assert_eq!(count(&app).await.len(), expected, "nothing before {days} days are left");
        // The work runs twice on one instance and once on the other.
        for c in [&app, &twin, &app] {
            c.state.clock.set(UnixTime(moment));
            round(&c.state).await;
        }
        expected += everyone.len();
        let mut told = count(&app).await;
        assert_eq!(told.len(), expected, "{days} days before: once each, whichever instance runs");
        let mut last = told.split_off(expected - everyone.len());
        last.sort();
        assert_eq!(last, everyone, "{days} days before");
    }
    assert_eq!(emailed(&app, "relationship_ending").await, 9, "each reminder is an email too");
}

#[tokio::test]
async fn moving_the_relationship_end_later_or_removing_it_is_a_grant() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let now = app.state.clock.now().0;
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(now + 60 * DAY)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);

    // Eve (View only + Add and edit users) lacks what Northwind's people hold.
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{}/users/{}/permissions", w.acme, w.eve),
            Some(json!({ "permission_set": "view_only", "added": ["users_edit"] })),
            Some(&w.carol),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let eve = app.sign_in("eve@contractor.example").await;
    let before = app.snapshot().await;
    refused(
        &put_end(&app, &eve, w.acme, w.nw, Some(now + 90 * DAY)).await,
        StatusCode::FORBIDDEN,
        "R16",
        "partner_beyond_you",
    );
    refused(&put_end(&app, &eve, w.acme, w.nw, None).await, StatusCode::FORBIDDEN, "R16", "partner_beyond_you");
    assert_eq!(app.snapshot().await, before);

    // While Northwind is suspended there: later or removed is refused (R16
    // partner_suspended); earlier is a narrowing and goes through.
    let suspend = app.call(Method::POST, &terms_path(w.acme, w.nw, "suspend"), None, Some(&w.carol)).await;
    assert_eq!(suspend.status, StatusCode::OK, "{:?}", suspend.body);
    let before = app.snapshot().await;
    refused(
        &put_end(&app, &w.carol, w.acme, w.nw, Some(now + 90 * DAY)).await,
        StatusCode::CONFLICT,
        "R16",
        "partner_suspended",
    );
    refused(&put_end(&app, &w.carol, w.acme, w.nw, None).await, StatusCode::CONFLICT, "R16", "partner_suspended");
    assert_eq!(app.snapshot().await, before);
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(now + 30 * DAY)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(entry(&app, &w, w.nw).await["relationship_end"], now + 30 * DAY);
    // Resumed, Carol may move it later again.
    let resume = app.call(Method::POST, &terms_path(w.acme, w.nw, "resume"), None, Some(&w.carol)).await;
    assert_eq!(resume.status, StatusCode::OK, "{:?}", resume.body);
    let res = put_end(&app, &w.carol, w.acme, w.nw, Some(now + 90 * DAY)).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(entry(&app, &w, w.nw).await["relationship_end"], now + 90 * DAY);
}

#[tokio::test]
async fn the_partner_sees_its_own_ceiling_in_the_clients_tab_and_the_details() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let res = put_ceiling(&app, &w.carol, w.acme, w.nw, json!({ "permission_set": "sales" })).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let ada = app.sign_in("ada@northwind.example").await;
    let cody = app.sign_in("cody@contoso.example").await;
    assert_eq!(acme_row(&app, &w, w.nw, &ada).await["ceiling"], true);
    assert_eq!(acme_row(&app, &w, w.contoso, &cody).await["ceiling"], false, "Contoso has none in Acme");
    let details = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    assert_eq!(details.status, StatusCode::OK, "{:?}", details.body);
    // The partner's details carry the ceiling's permissions.
    assert_eq!(perms(&details.body["ceiling"]), sales());
    let theirs = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.contoso, w.acme), &cody).await;
    assert_eq!(theirs.body["ceiling"], Value::Null);
    // Another client of Northwind's: no ceiling.
    let globex = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.globex), &ada).await;
    assert_eq!(globex.body["ceiling"], Value::Null);
}
