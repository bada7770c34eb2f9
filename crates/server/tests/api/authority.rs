//! SPEC §9, the authority table, scenario by scenario (the issue that filed
//! this work). Each test runs on a fresh app with the demo data. The
//! expected answers come from SPEC §9 (its rows A1–A12, its notes, R1–R17)
//! and the shared reading of the oracle brief, never from what the server
//! answers: every refusal is checked against the whole stored snapshot
//! (nothing changed), every allowed or bounded action is read back from the
//! stored rows.

use axum::http::{Method, StatusCode};
use domain::time::DAY;
use domain::{Permission, Perms, StandardSet, UnixTime};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tooling::harness::{held, reports, stored, Browser, Response, TestApp};

// ---------------------------------------------------------------- helpers

/// The demo world by name.
struct W {
    nw: i64,
    contoso: i64,
    acme: i64,
    globex: i64,
    initech: i64,
    ada: i64,
    ben: i64,
    cleo: i64,
    dan: i64,
    eve: i64,
    cody: i64,
    cora: i64,
    now: i64,
}

async fn w(app: &TestApp) -> W {
    W {
        nw: app.account_id("Northwind Digital").await,
        contoso: app.account_id("Contoso Partners").await,
        acme: app.account_id("Acme Corporation").await,
        globex: app.account_id("Globex").await,
        initech: app.account_id("Initech").await,
        ada: app.user_id("ada@northwind.example").await,
        ben: app.user_id("ben@northwind.example").await,
        cleo: app.user_id("cleo@northwind.example").await,
        dan: app.user_id("dan@northwind.example").await,
        eve: app.user_id("eve@contractor.example").await,
        cody: app.user_id("cody@contoso.example").await,
        cora: app.user_id("cora@contoso.example").await,
        now: app.state.clock.now().0,
    }
}

/// Partner side: `.../cam/clients/{client}/employees/{user}/{action}`.
fn cam_employee(nw: i64, client: i64, user: i64, action: &str) -> String {
    format!("/api/v1/accounts/{nw}/cam/clients/{client}/employees/{user}/{action}")
}

/// Client side (Users & Teams): `/accounts/{account}/users/{user}` and below.
fn users(account: i64, user: i64, action: &str) -> String {
    if action.is_empty() {
        format!("/api/v1/accounts/{account}/users/{user}")
    } else {
        format!("/api/v1/accounts/{account}/users/{user}/{action}")
    }
}

async fn post(app: &TestApp, who: &Browser, path: &str, body: Option<Value>) -> Response {
    app.call(Method::POST, path, body, Some(who)).await
}

async fn put(app: &TestApp, who: &Browser, path: &str, body: Value) -> Response {
    app.call(Method::PUT, path, Some(body), Some(who)).await
}

/// Asserts the status of an answer, showing its body when it differs.
#[track_caller]
fn expect(res: &Response, status: StatusCode, what: &str) {
    assert_eq!(res.status, status, "{what}: {:?}", res.body);
}

/// Nothing stored changed since `before`: on failure, names the rows that
/// differ, table by table.
async fn assert_unchanged(app: &TestApp, before: &BTreeMap<String, Vec<String>>, what: &str) {
    let diff = changed(before, &app.snapshot().await, None);
    assert!(diff.is_empty(), "{what}: stored data changed:\n{}", diff.join("\n"));
}

/// No membership row changed since `before`.
async fn memberships_unchanged(app: &TestApp, before: &BTreeMap<String, Vec<String>>, what: &str) {
    let diff = changed(before, &stored(&app.state.db).await, Some("memberships"));
    assert!(diff.is_empty(), "{what} wrote memberships:\n{}", diff.join("\n"));
}

/// The rows that differ between two snapshots (of one table, or of all).
fn changed(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
    only: Option<&str>,
) -> Vec<String> {
    let mut diff = vec![];
    for table in before.keys().chain(after.keys()).collect::<std::collections::BTreeSet<_>>() {
        if only.is_some_and(|t| t != table) {
            continue;
        }
        let (was, now) =
            (before.get(table).cloned().unwrap_or_default(), after.get(table).cloned().unwrap_or_default());
        let gone: Vec<&String> = was.iter().filter(|r| !now.contains(r)).collect();
        let new: Vec<&String> = now.iter().filter(|r| !was.contains(r)).collect();
        if !gone.is_empty() || !new.is_empty() {
            diff.push(format!("{table}: before {gone:?} / after {new:?}"));
        }
    }
    diff
}

/// The stored status and end of one membership (None when there is no row).
async fn status_end(app: &TestApp, account: i64, user: i64) -> Option<(String, Option<i64>)> {
    sqlx::query_as("SELECT status, ends_at FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(user)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
}

/// One text column of a membership (`ends_by`, `deactivated_by`, `seat`…),
/// NULL as None. A column the schema does not have yet reads as a
/// `<cannot read …>` text, so that the assertion naming it fails clearly.
async fn col(app: &TestApp, account: i64, user: i64, column: &str) -> Option<String> {
    let sql = format!("SELECT CAST({column} AS TEXT) FROM memberships WHERE account_id = $1 AND user_id = $2");
    match sqlx::query_scalar::<_, Option<String>>(&sql).bind(account).bind(user).fetch_one(&app.state.db).await {
        Ok(v) => v,
        Err(e) => Some(format!("<cannot read memberships.{column}: {e}>")),
    }
}

async fn history_count(app: &TestApp, action: &str, account: i64, user: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = $1 AND account_id = $2 AND target_user_id = $3")
        .bind(action)
        .bind(account)
        .bind(user)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Carol (Acme's super admin) sets an end on `user` in Acme from the client side (A7).
async fn carol_sets_end(app: &TestApp, carol: &Browser, acme: i64, user: i64, ends_at: i64) {
    let res = put(app, carol, &users(acme, user, "end-date"), json!({ "ends_at": ends_at })).await;
    expect(&res, StatusCode::NO_CONTENT, "Carol sets a client-side end (A7)");
    assert_eq!(status_end(app, acme, user).await.unwrap().1, Some(ends_at));
}

/// Carol suspends a partner in Acme (A12).
async fn suspend(app: &TestApp, carol: &Browser, acme: i64, partner: i64) -> Response {
    post(app, carol, &format!("/api/v1/accounts/{acme}/partner-access/{partner}/suspend"), None).await
}

/// A personal access link of `user` (Ada issues it, R1).
async fn link_of(app: &TestApp, ada: &Browser, nw: i64, user: i64) -> String {
    let path = format!("/api/v1/accounts/{nw}/cam/employees/{user}/access-link");
    let res = app.call(Method::PUT, &path, None, Some(ada)).await;
    expect(&res, StatusCode::OK, "Ada issues an access link");
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

/// RFC 4180 parsing: quoted cells may hold commas, quotes ("") and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (vec![], vec![], String::new());
    let (mut quoted, mut field_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if field_start => {
                quoted = true;
                field_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut cell));
                field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                field_start = true;
            }
            _ => {
                cell.push(c);
                field_start = false;
            }
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Every cell of a CSV export must be safe to open in a spreadsheet.
#[track_caller]
fn assert_no_formula_cells(name: &str, rows: &[Vec<String>]) {
    let unsafe_cells: Vec<(usize, &String)> = rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().map(move |cell| (i + 1, cell)))
        .filter(|(_, cell)| matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')))
        .collect();
    assert!(unsafe_cells.is_empty(), "{name}: cells that would run as a formula (line, cell): {unsafe_cells:?}");
}

fn has_cell(rows: &[Vec<String>], want: &str) -> bool {
    rows.iter().flatten().any(|c| c == want)
}

/// A CSV export's text (the body is not JSON, so it arrives as a string).
async fn csv(app: &TestApp, who: &Browser, path: &str) -> Vec<Vec<String>> {
    let res = app.get(path, who).await;
    expect(&res, StatusCode::OK, path);
    let text = res.body.as_str().unwrap_or_else(|| panic!("{path}: not text: {:?}", res.body)).to_string();
    parse_csv(&text)
}

// ------------------------------------------------------------- scenarios

/// Scenario 1, rows A6/A7 and the §9 note on Ends: a client-set end may be
/// moved earlier from the partner side (it stays client-set), never later
/// nor removed (403, nothing changed).
#[tokio::test]
async fn s01_the_partner_never_widens_a_client_set_end_but_may_bring_it_forward() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = w.now + 7 * DAY;
    carol_sets_end(&app, &carol, w.acme, w.cleo, end).await;
    let ends_by = col(&app, w.acme, w.cleo, "ends_by").await;

    let path = cam_employee(w.nw, w.acme, w.cleo, "end-date");
    let before = app.snapshot().await;
    let res = put(&app, &ada, &path, json!({ "ends_at": null })).await;
    expect(&res, StatusCode::FORBIDDEN, "A6: the partner removes a client-set end");
    assert_unchanged(&app, &before, "removing a client-set end changed something").await;
    let res = put(&app, &ada, &path, json!({ "ends_at": w.now + 10 * DAY })).await;
    expect(&res, StatusCode::FORBIDDEN, "A6: the partner moves a client-set end later");
    assert_unchanged(&app, &before, "moving a client-set end later changed something").await;

    let earlier = w.now + 3 * DAY;
    let res = put(&app, &ada, &path, json!({ "ends_at": earlier })).await;
    expect(&res, StatusCode::NO_CONTENT, "A6: the partner moves a client-set end earlier");
    assert_eq!(status_end(&app, w.acme, w.cleo).await, Some(("active".into(), Some(earlier))));
    assert_eq!(ends_by.as_deref(), Some("client"), "A7 records the client side");
    assert_eq!(col(&app, w.acme, w.cleo, "ends_by").await.as_deref(), Some("client"), "it stays client-set");
}

/// Scenario 1 (second part), A9 and the §9 note on Billing: Edit
/// permissions by the client's super admin gives a partner employee who is
/// not a super admin everything asked except Billing (bounded, not refused).
#[tokio::test]
async fn s01b_billing_never_reaches_a_partner_employee_through_edit_permissions() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let res = put(
        &app,
        &carol,
        &users(w.acme, w.cleo, "permissions"),
        json!({ "permission_set": "sales", "added": ["billing", "workflows_edit"] }),
    )
    .await;
    expect(&res, StatusCode::OK, "A9: Carol edits Cleo's permissions (bounded, not refused)");
    let now = held(&app, w.acme, w.cleo).await;
    assert!(!now.contains(Permission::Billing), "Billing reached Cleo through Edit permissions: {now:?}");
    assert_eq!(now, StandardSet::Sales.perms().with(Permission::WorkflowsEdit), "everything else asked is granted");
}

/// Scenario 2, A4 ("end unchanged") and R14 ("Reactivating never moves or
/// clears an end"): a client-set end survives the partner's deactivate and
/// reactivate, still client-set.
#[tokio::test]
async fn s02_reactivating_keeps_a_client_set_end() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = w.now + 30 * DAY;
    carol_sets_end(&app, &carol, w.acme, w.cleo, end).await;

    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A3: Ada deactivates Cleo");
    assert_eq!(status_end(&app, w.acme, w.cleo).await, Some(("deactivated".into(), Some(end))));
    let deactivated_by = col(&app, w.acme, w.cleo, "deactivated_by").await;

    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A4: Ada reactivates Cleo (deactivated by the partner)");
    assert_eq!(
        status_end(&app, w.acme, w.cleo).await,
        Some(("active".into(), Some(end))),
        "reactivating moved or cleared the client-set end"
    );
    assert_eq!(col(&app, w.acme, w.cleo, "ends_by").await.as_deref(), Some("client"));
    assert_eq!(deactivated_by.as_deref(), Some("partner"), "the partner deactivated Cleo");
    assert_eq!(col(&app, w.acme, w.cleo, "deactivated_by").await, None, "NULL while active");
}

/// Scenario 3, A4 and R14: a partner-set end survives the partner's
/// deactivate and reactivate, still partner-set.
#[tokio::test]
async fn s03_reactivating_keeps_a_partner_set_end() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = w.now + 30 * DAY;
    let res = put(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "end-date"), json!({ "ends_at": end })).await;
    expect(&res, StatusCode::NO_CONTENT, "A6: Ada sets an end on Cleo");

    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A3: Ada deactivates Cleo");
    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A4: Ada reactivates Cleo");
    assert_eq!(
        status_end(&app, w.acme, w.cleo).await,
        Some(("active".into(), Some(end))),
        "reactivating moved or cleared the partner-set end"
    );
    assert_eq!(col(&app, w.acme, w.cleo, "ends_by").await.as_deref(), Some("partner"));
}

/// Scenario 4, A4/A6 with R3: a Partner Admin who lacks some of Cleo's
/// permissions (Carol took both report permissions from Ada; Cleo on Sales
/// holds Reports: view) narrows freely (an earlier end, deactivate) but
/// cannot widen: no later end, no removed end, no reactivation (403).
#[tokio::test]
async fn s04_a_restricted_partner_admin_narrows_but_never_widens() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = w.now + 20 * DAY;
    let path = cam_employee(w.nw, w.acme, w.cleo, "end-date");
    let res = put(&app, &ada, &path, json!({ "ends_at": end })).await;
    expect(&res, StatusCode::NO_CONTENT, "A6: Ada sets an end on Cleo while she holds all Cleo holds");

    let res = put(
        &app,
        &carol,
        &users(w.acme, w.ada, "permissions"),
        json!({ "permission_set": "partner_admin", "removed": ["reports_view", "reports_edit"] }),
    )
    .await;
    expect(&res, StatusCode::OK, "A9: Carol takes reports away from Ada");
    assert_eq!(held(&app, w.acme, w.ada).await, StandardSet::PartnerAdmin.perms().difference(reports()));
    assert!(held(&app, w.acme, w.cleo).await.contains(Permission::ReportsView), "Cleo holds what Ada lacks");

    let before = app.snapshot().await;
    let res = put(&app, &ada, &path, json!({ "ends_at": w.now + 40 * DAY })).await;
    expect(&res, StatusCode::FORBIDDEN, "A6: later needs everything Cleo holds");
    let res = put(&app, &ada, &path, json!({ "ends_at": null })).await;
    expect(&res, StatusCode::FORBIDDEN, "A6: removing needs everything Cleo holds");
    assert_unchanged(&app, &before, "a refused widening of the end changed something").await;

    let earlier = w.now + 10 * DAY;
    let res = put(&app, &ada, &path, json!({ "ends_at": earlier })).await;
    expect(&res, StatusCode::NO_CONTENT, "A6: an earlier end narrows (no R3 check)");
    assert_eq!(status_end(&app, w.acme, w.cleo).await, Some(("active".into(), Some(earlier))));

    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A3: deactivating narrows");
    assert_eq!(status_end(&app, w.acme, w.cleo).await, Some(("deactivated".into(), Some(earlier))));

    let before = app.snapshot().await;
    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::FORBIDDEN, "A4: Ada lacks Reports: view, which Cleo gets back");
    assert_eq!(res.body["error"]["rule"], "R3", "{:?}", res.body);
    assert_unchanged(&app, &before, "a refused reactivation changed something").await;
    assert_eq!(col(&app, w.acme, w.cleo, "ends_by").await.as_deref(), Some("partner"));
}

/// Scenario 5, A9 and "a partner never acts on another partner's people":
/// Ada holds *Add and edit users* in Acme, yet on Users & Teams she cannot
/// touch Contoso's Cody and Cora (403, nothing changed); on Cleo,
/// Northwind's own, she acts within R3.
#[tokio::test]
async fn s05_users_and_teams_never_lets_a_partner_act_on_another_partners_people() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    assert!(held(&app, w.acme, w.ada).await.contains(Permission::UsersEdit));
    let before = app.snapshot().await;
    for (method, path, body, what) in [
        (
            Method::PUT,
            users(w.acme, w.cora, "permissions"),
            Some(json!({ "permission_set": "view_only" })),
            "change Cora's permissions",
        ),
        (Method::PUT, users(w.acme, w.cora, "seat"), Some(json!({ "seat": "core" })), "set Cora's seat"),
        (Method::POST, users(w.acme, w.cody, "deactivate"), None, "deactivate Cody"),
        (Method::DELETE, users(w.acme, w.cora, ""), None, "remove Cora"),
    ] {
        let res = app.call(method, &path, body, Some(&ada)).await;
        expect(&res, StatusCode::FORBIDDEN, what);
        assert_unchanged(&app, &before, &format!("{what}: something changed")).await;
    }

    // Cleo is Northwind's own: Ada acts on her, within R3.
    let res = put(&app, &ada, &users(w.acme, w.cleo, "permissions"), json!({ "permission_set": "view_only" })).await;
    expect(&res, StatusCode::OK, "A9: Ada changes Cleo's set");
    // (E \ A) ∪ (S ∩ A) with A = Partner Admin, E = Sales ⊂ A, S = View only.
    let pa = StandardSet::PartnerAdmin.perms();
    let want = StandardSet::Sales.perms().difference(pa).union(StandardSet::ViewOnly.perms().intersection(pa));
    assert_eq!(held(&app, w.acme, w.cleo).await, want);
    let res = post(&app, &ada, &users(w.acme, w.cleo, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A9: Ada deactivates Cleo");
    assert_eq!(status_end(&app, w.acme, w.cleo).await.unwrap().0, "deactivated");
    let deactivated_by = col(&app, w.acme, w.cleo, "deactivated_by").await;
    let res = post(&app, &ada, &users(w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A9: Ada reactivates Cleo, whom her partner deactivated");
    assert_eq!(status_end(&app, w.acme, w.cleo).await.unwrap().0, "active");
    assert_eq!(deactivated_by.as_deref(), Some("partner"), "a partner person acts as the partner side");
}

/// Scenario 6, A12: Settings → Partner access does not exist for a
/// partner's people (404), whatever they hold: Cody cannot resume
/// Northwind nor read the page, Ada cannot remove Contoso's people.
#[tokio::test]
async fn s06_partner_access_does_not_exist_for_partner_people() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let remove_contoso = format!("/api/v1/accounts/{}/partner-access/{}/remove", w.acme, w.contoso);

    // Ada, active Partner Admin in Acme with Add and edit users.
    let before = app.snapshot().await;
    let res = post(&app, &ada, &remove_contoso, None).await;
    expect(&res, StatusCode::NOT_FOUND, "A12: Ada (active) removes Contoso's people");
    assert_unchanged(&app, &before, "a refusal").await;

    expect(&suspend(&app, &carol, w.acme, w.nw).await, StatusCode::OK, "A12: Carol suspends Northwind");
    let cody = app.sign_in("cody@contoso.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let before = app.snapshot().await;
    let res = post(&app, &cody, &format!("/api/v1/accounts/{}/partner-access/{}/resume", w.acme, w.nw), None).await;
    expect(&res, StatusCode::NOT_FOUND, "A12: Cody resumes Northwind");
    let res = app.get(&format!("/api/v1/accounts/{}/partner-access", w.acme), &cody).await;
    expect(&res, StatusCode::NOT_FOUND, "A12: Cody reads Acme's Partner access");
    let res = post(&app, &ada, &remove_contoso, None).await;
    expect(&res, StatusCode::NOT_FOUND, "A12: Ada (suspended there) removes Contoso's people");
    assert_unchanged(&app, &before, "a partner person's Partner access request changed something").await;
}

/// Scenario 7, the §9 note on Suspension (R16): while Acme suspends
/// Northwind, every widening for Northwind's people there is refused (409):
/// link (A5), add (A1), reactivate (A4), an approval (A8). Resume
/// reactivates exactly the memberships the suspension deactivated whose
/// end has not passed.
#[tokio::test]
async fn s07_a_suspension_refuses_every_widening_and_resume_restores_exactly_what_it_took() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    // Before: Ben joins Acme and the partner deactivates him again; Cleo
    // gets a client-set end one day ahead; Dan has a live access link.
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme),
        Some(json!({ "user_ids": [w.ben], "permission_set": "view_only" })),
    )
    .await;
    expect(&res, StatusCode::OK, "A1: Ada adds Ben to Acme");
    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.ben, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A3: Ada deactivates Ben");
    let cleo_end = w.now + DAY;
    carol_sets_end(&app, &carol, w.acme, w.cleo, cleo_end).await;
    let token = link_of(&app, &ada, w.nw, w.dan).await;

    let res = suspend(&app, &carol, w.acme, w.nw).await;
    expect(&res, StatusCode::OK, "A12: Carol suspends Northwind");
    assert_eq!(res.body["people"], 2, "Ada and Cleo were active");
    let ada = app.sign_in("ada@northwind.example").await;

    // The suspension deactivated every Northwind person in Acme, Ada too:
    // no active Partner Admin of Northwind is left there, so the table's
    // "refused when: partner suspended there" of A1 and A4 is reachable
    // only if the suspension is what answers (409), not Ada's own state.
    let before = app.snapshot().await;
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/employees/{}/link", w.nw, w.eve),
        Some(json!({ "client_id": w.acme })),
    )
    .await;
    expect(&res, StatusCode::CONFLICT, "A5: Ada links Eve into Acme while suspended");
    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme),
        Some(json!({ "user_ids": [w.dan], "permission_set": "sales" })),
    )
    .await;
    expect(&res, StatusCode::CONFLICT, "A1: Ada adds Dan to Acme while suspended");
    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::CONFLICT, "A4: Ada reactivates Cleo while suspended");
    let res =
        post(&app, &carol, &format!("/api/v1/access-links/{token}/approve"), Some(json!({ "account_id": w.acme })))
            .await;
    expect(&res, StatusCode::CONFLICT, "A8: Carol approves Dan's link into Acme while suspended");
    assert_unchanged(&app, &before, "a refusal while suspended changed something").await;

    // Cleo's end passes while suspended; the timed work does not run.
    app.state.clock.set(UnixTime(cleo_end + 60));
    let carol = app.sign_in("carol@acme.example").await;
    let res = post(&app, &carol, &format!("/api/v1/accounts/{}/partner-access/{}/resume", w.acme, w.nw), None).await;
    expect(&res, StatusCode::OK, "A12: Carol resumes Northwind");
    assert_eq!(status_end(&app, w.acme, w.ada).await.unwrap().0, "active", "the suspension deactivated Ada");
    assert_eq!(status_end(&app, w.acme, w.cleo).await.unwrap().0, "deactivated", "Cleo's end has passed");
    assert_eq!(status_end(&app, w.acme, w.ben).await.unwrap().0, "deactivated", "the partner deactivated Ben");
    assert_eq!(res.body["people"], 1, "exactly Ada: {:?}", res.body);
}

/// Scenario 8, A8/A10 with R15: converting an existing super admin by an
/// approval honours the approver's unticking: Ada keeps exactly Contacts:
/// view, is no longer super admin, on a partner seat.
#[tokio::test]
async fn s08_a_conversion_by_approval_keeps_only_what_the_approver_left_ticked() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let token = link_of(&app, &ada, w.nw, w.ada).await;
    let gina = app.sign_in("gina@globex.example").await;
    let res = post(
        &app,
        &gina,
        &format!("/api/v1/access-links/{token}/approve"),
        Some(json!({ "account_id": w.globex, "convert_existing": true, "keep": ["contacts_view"] })),
    )
    .await;
    expect(&res, StatusCode::OK, "A8: Gina converts Ada keeping Contacts: view");
    assert_eq!(col(&app, w.globex, w.ada, "super_admin").await.as_deref(), Some("0"));
    let got = held(&app, w.globex, w.ada).await;
    assert_eq!(got, Perms::EMPTY.with(Permission::ContactsView), "{} permissions: {got:?}", got.len());
    assert_eq!(col(&app, w.globex, w.ada, "seat").await.as_deref(), Some("partner"));
    assert_eq!(col(&app, w.globex, w.ada, "partner_account_id").await, Some(w.nw.to_string()));
}

/// Scenario 9, A6/A7 with R9: no end on an account's last super admin.
/// Ada is Initech's only super admin: the partner side is refused (409 by
/// R9, or 403 by R2 as she is no Partner Admin there); the client-side route is for the client's own people, and Ada is
/// a partner person there (403). Nothing changes.
#[tokio::test]
async fn s09_no_end_on_the_last_super_admin() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = json!({ "ends_at": w.now + 10 * DAY });
    let before = app.snapshot().await;
    let res = put(&app, &ada, &cam_employee(w.nw, w.initech, w.ada, "end-date"), end.clone()).await;
    // SPEC leaves the order open: A6's "who may" is an active Partner
    // Admin there, which Ada (super admin there) is not (R2, 403), and A6
    // refuses an end on the last super admin (R9, 409). Either refusal,
    // naming its rule, is SPEC's answer; nothing may change.
    match res.status {
        StatusCode::CONFLICT => assert_eq!(res.body["error"]["rule"], "R9", "{:?}", res.body),
        StatusCode::FORBIDDEN => assert_eq!(res.body["error"]["rule"], "R2", "{:?}", res.body),
        other => panic!("A6: an end on Initech's last super admin: {other} {:?}", res.body),
    }
    assert_unchanged(&app, &before, "a refusal").await;
    let res = put(&app, &ada, &users(w.initech, w.ada, "end-date"), end).await;
    expect(&res, StatusCode::FORBIDDEN, "A7: the client-side route, by a partner person");
    assert_unchanged(&app, &before, "a refusal").await;
    assert_eq!(status_end(&app, w.initech, w.ada).await, Some(("active".into(), None)));
}

/// Scenario 10, the §9 note on CSV exports: names typed by another tenant
/// never reach a spreadsheet as a formula; every cell that would start
/// with `=`, `+`, `-`, `@`, a tab or a carriage return carries a leading
/// apostrophe (review CSV and history CSV, partner's and client's).
#[tokio::test]
async fn s10_csv_exports_neutralise_formula_cells() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let evil = r#"=HYPERLINK("http://evil.example","Open")"#;
    // Carol names a new Northwind person in Acme (Create user, R11).
    let res = post(
        &app,
        &carol,
        &format!("/api/v1/accounts/{}/users", w.acme),
        Some(json!({ "email": "mallory@northwind.example", "name": evil, "seat": "partner", "template": "partner_admin" })),
    )
    .await;
    expect(&res, StatusCode::CREATED, "R11: Carol creates a Northwind person named like a formula");
    // More names that start a formula (set directly in the database).
    for (email, name) in
        [("carol@acme.example", "@SUM(1+1)"), ("cleo@northwind.example", "-1+Cleo"), ("dan@northwind.example", "\tDan")]
    {
        sqlx::query("UPDATE users SET name = $1 WHERE email = $2")
            .bind(name)
            .bind(email)
            .execute(&app.state.db)
            .await
            .unwrap();
    }
    // Carol (now "@SUM(1+1)") acts on Cleo: the partner's history names her.
    let res = put(&app, &carol, &users(w.acme, w.cleo, "end-date"), json!({ "ends_at": w.now + 5 * DAY })).await;
    expect(&res, StatusCode::NO_CONTENT, "A7: Carol sets an end on Cleo");

    let review = csv(&app, &ada, &format!("/api/v1/accounts/{}/cam/review.csv", w.nw)).await;
    let nw_history = csv(&app, &ada, &format!("/api/v1/accounts/{}/history.csv", w.nw)).await;
    let acme_history = csv(&app, &carol, &format!("/api/v1/accounts/{}/history.csv", w.acme)).await;
    for (name, rows) in
        [("review.csv", &review), ("Northwind history.csv", &nw_history), ("Acme history.csv", &acme_history)]
    {
        assert_no_formula_cells(name, rows);
    }
    let quoted = |s: &str| format!("'{s}");
    assert!(has_cell(&review, &quoted(evil)), "review.csv names the new person as text: {review:?}");
    assert!(has_cell(&review, &quoted("-1+Cleo")), "review.csv: {review:?}");
    assert!(has_cell(&review, &quoted("\tDan")), "review.csv: {review:?}");
    assert!(has_cell(&nw_history, &quoted("@SUM(1+1)")), "Northwind history.csv: {nw_history:?}");
    assert!(has_cell(&acme_history, &quoted(evil)), "Acme history.csv: {acme_history:?}");
}

/// Scenario 11, §9 ("a deactivated or ended membership holds nothing and
/// never acts") and the brief's "reads never write": from the second Ada's
/// end in Acme passes, she grants nothing there and is shown as not active,
/// before any timed work runs, and no GET writes. The timed work then
/// stores the end once, by the system, also on two instances.
#[tokio::test]
async fn s11_an_end_that_has_passed_grants_nothing_and_reads_never_write() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    // An end two minutes ahead: the sessions opened now outlive it.
    let end = w.now + 120;
    carol_sets_end(&app, &carol, w.acme, w.ada, end).await;
    let ada = app.sign_in("ada@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;

    app.state.clock.set(UnixTime(end + 5));
    let before = app.snapshot().await;

    let res = app.get("/api/v1/session", &cleo).await;
    expect(&res, StatusCode::OK, "Cleo reads her session");
    memberships_unchanged(&app, &before, "GET /session").await;

    let res = app.get(&format!("/api/v1/accounts/{}/users?per_page=100", w.acme), &carol).await;
    expect(&res, StatusCode::OK, "Carol reads Users & Teams");
    let row = res.body["rows"].as_array().unwrap().iter().find(|r| r["user_id"] == w.ada).unwrap().clone();
    assert_ne!(row["status"], "active", "Users & Teams shows Ada active after her end: {row}");
    memberships_unchanged(&app, &before, "GET Users & Teams").await;

    let res = app.get(&format!("/api/v1/accounts/{}/cam/clients/{}", w.nw, w.acme), &ada).await;
    expect(&res, StatusCode::OK, "Ada reads Acme's details");
    let me = res.body["employees"].as_array().unwrap().iter().find(|e| e["user_id"] == w.ada).unwrap().clone();
    assert_ne!(me["status"], "active", "the client's details show Ada active after her end: {me}");
    memberships_unchanged(&app, &before, "GET the client's details").await;
    assert_unchanged(&app, &before, "a GET changed stored data").await;

    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{}/employees", w.nw, w.acme),
        Some(json!({ "user_ids": [w.dan], "permission_set": "sales" })),
    )
    .await;
    expect(&res, StatusCode::FORBIDDEN, "A1: Ada, whose end in Acme has passed, adds Dan");
    assert_unchanged(&app, &before, "a refused add changed something").await;

    // The timed work, on two instances at once, then again on each.
    let twin = app.twin().await;
    twin.state.clock.set(UnixTime(end + 5));
    let (a, b) = tokio::join!(server::work::ending::run(&app.state), server::work::ending::run(&twin.state));
    a.unwrap();
    b.unwrap();
    server::work::ending::run(&twin.state).await.unwrap();
    server::work::ending::run(&app.state).await.unwrap();
    assert_eq!(status_end(&app, w.acme, w.ada).await, Some(("deactivated".into(), Some(end))));
    assert_eq!(col(&app, w.acme, w.ada, "deactivated_by").await.as_deref(), Some("system"));
    assert_eq!(history_count(&app, "access_ended", w.acme, w.ada).await, 1, "one AccessEnded event");
}

/// Scenario 12, R8 in full (A3, A4, A9): in a client where all Northwind's
/// people are deactivated, Ada included, nobody reactivates them from the
/// partner side (403); Ada, Northwind's super admin, may remove them; only
/// the client (its owner, a super admin) may reactivate them.
#[tokio::test]
async fn s12_when_every_partner_person_is_deactivated_only_the_client_reactivates() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    // Generated clients 3 and 9 (seed: i % 6 == 3): Ada (Partner Admin)
    // and Dan, both deactivated.
    let delta = app.account_id("Delta Dental Group").await;
    let juniper = app.account_id("Juniper Legal").await;
    for client in [delta, juniper] {
        for user in [w.ada, w.dan] {
            assert_eq!(status_end(&app, client, user).await.unwrap().0, "deactivated");
        }
    }
    let ada = app.sign_in("ada@northwind.example").await;
    let ben = app.sign_in("ben@northwind.example").await;
    let before = app.snapshot().await;
    for (who, name) in [(&ada, "Ada"), (&ben, "Ben")] {
        for (user, whom) in [(w.ada, "Ada"), (w.dan, "Dan")] {
            let res = post(&app, who, &cam_employee(w.nw, delta, user, "reactivate"), None).await;
            expect(&res, StatusCode::FORBIDDEN, &format!("A4: {name} reactivates {whom} from the partner side"));
        }
    }
    assert_unchanged(&app, &before, "a refused reactivation changed something").await;

    let res = post(
        &app,
        &ada,
        &format!("/api/v1/accounts/{}/cam/clients/{juniper}/remove-employees", w.nw),
        Some(json!({ "user_ids": [w.ada, w.dan] })),
    )
    .await;
    expect(&res, StatusCode::NO_CONTENT, "A3: Ada (Northwind super admin) removes them");
    assert_eq!(status_end(&app, juniper, w.ada).await, None);
    assert_eq!(status_end(&app, juniper, w.dan).await, None);

    let owner = app.sign_in("owner@deltadentalgroup.example").await;
    for (user, whom) in [(w.dan, "Dan"), (w.ada, "Ada")] {
        let res = post(&app, &owner, &users(delta, user, "reactivate"), None).await;
        expect(&res, StatusCode::NO_CONTENT, &format!("A9: the client's super admin reactivates {whom}"));
        assert_eq!(status_end(&app, delta, user).await, Some(("active".into(), None)));
        assert_eq!(col(&app, delta, user, "deactivated_by").await, None, "NULL while active");
    }
}

/// Scenario 13, R8 ("A membership the client deactivated is reactivated
/// only from the client side") and A4: Carol deactivates Cleo; Ada cannot
/// reactivate her, neither from Client Access Manager nor from Users &
/// Teams (a partner person acts as the partner side); Carol may.
#[tokio::test]
async fn s13_what_the_client_deactivated_only_the_client_reactivates() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let res = post(&app, &carol, &users(w.acme, w.cleo, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A9: Carol deactivates Cleo");
    assert_eq!(status_end(&app, w.acme, w.cleo).await.unwrap().0, "deactivated");

    let before = app.snapshot().await;
    let res = post(&app, &ada, &cam_employee(w.nw, w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::FORBIDDEN, "A4: the partner reactivates what the client deactivated");
    let res = post(&app, &ada, &users(w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::FORBIDDEN, "A9: Ada (a partner person) on Users & Teams, same");
    assert_unchanged(&app, &before, "a refused reactivation changed something").await;
    assert_eq!(col(&app, w.acme, w.cleo, "deactivated_by").await.as_deref(), Some("client"));

    let res = post(&app, &carol, &users(w.acme, w.cleo, "reactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A9: Carol reactivates Cleo");
    assert_eq!(status_end(&app, w.acme, w.cleo).await, Some(("active".into(), None)));
}

/// Scenario 14, A5 with R5 and R9: a super admin of the client is never
/// linked to a partner. Carol makes Eve (a member of Acme) super admin;
/// Ada's link of Eve into Acme is refused (403, R5) and nothing changes;
/// once Carol takes the right back, the link is allowed and read back.
#[tokio::test]
async fn s14_a_super_admin_of_the_client_is_never_linked_to_a_partner() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let admins = format!("/api/v1/accounts/{}/settings/super-admins", w.acme);
    let res = post(&app, &carol, &admins, Some(json!({ "user_id": w.eve }))).await;
    expect(&res, StatusCode::NO_CONTENT, "Carol makes Eve super admin of Acme");
    assert_eq!(col(&app, w.acme, w.eve, "partner_account_id").await, None, "Eve is the client's own");

    let link = format!("/api/v1/accounts/{}/cam/employees/{}/link", w.nw, w.eve);
    let before = app.snapshot().await;
    let res = post(&app, &ada, &link, Some(json!({ "client_id": w.acme }))).await;
    expect(&res, StatusCode::FORBIDDEN, "A5: Ada links Eve, a super admin of Acme");
    assert_eq!(res.body["error"]["rule"], "R5", "{:?}", res.body);
    assert_unchanged(&app, &before, "a refused link changed something").await;

    let res = app.call(Method::DELETE, &format!("{admins}/{}", w.eve), None, Some(&carol)).await;
    expect(&res, StatusCode::NO_CONTENT, "Carol takes the right back");
    let res = post(&app, &ada, &link, Some(json!({ "client_id": w.acme }))).await;
    expect(&res, StatusCode::NO_CONTENT, "A5: Ada links Eve, no longer super admin");
    assert_eq!(col(&app, w.acme, w.eve, "partner_account_id").await, Some(w.nw.to_string()));
}

/// Scenario 15, R9 with R14: an account must always keep a super admin,
/// and an end on its last one is refused; a super admin whose end is set
/// will not be there once it comes. Globex has two super admins, Gina and
/// Ada. Once Gina puts an end on Ada, Gina is the last lasting one: Ada
/// cannot deactivate or remove her (409 R9, nothing changed). Once Ada's
/// end is removed, she may.
#[tokio::test]
async fn s15_the_account_keeps_a_super_admin_without_an_end() {
    let app = TestApp::spawn().await;
    let w = w(&app).await;
    let gina_id = app.user_id("gina@globex.example").await;
    let gina = app.sign_in("gina@globex.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let end = w.now + 3 * DAY;
    let res = put(&app, &gina, &users(w.globex, w.ada, "end-date"), json!({ "ends_at": end })).await;
    expect(&res, StatusCode::NO_CONTENT, "A7: Gina puts an end on Ada (Gina stays)");

    let before = app.snapshot().await;
    let res = post(&app, &ada, &users(w.globex, gina_id, "deactivate"), None).await;
    expect(&res, StatusCode::CONFLICT, "A9: Ada deactivates Gina, the last super admin without an end");
    assert_eq!(res.body["error"]["rule"], "R9", "{:?}", res.body);
    let res = app.call(Method::DELETE, &users(w.globex, gina_id, ""), None, Some(&ada)).await;
    expect(&res, StatusCode::CONFLICT, "A9: Ada removes Gina");
    assert_unchanged(&app, &before, "a refusal under R9 changed something").await;

    let res = put(&app, &gina, &users(w.globex, w.ada, "end-date"), json!({ "ends_at": null })).await;
    expect(&res, StatusCode::NO_CONTENT, "A7: Gina removes Ada's end");
    let res = post(&app, &ada, &users(w.globex, gina_id, "deactivate"), None).await;
    expect(&res, StatusCode::NO_CONTENT, "A9: Ada deactivates Gina, Ada lasting");
    assert_eq!(status_end(&app, w.globex, gina_id).await.unwrap().0, "deactivated");
}

#[test]
fn the_csv_reader_of_these_tests_reads_quoted_cells() {
    let rows = parse_csv("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",'=x,\n");
    assert_eq!(rows, vec![vec!["a", "b,c", "d\"e"], vec!["multi\nline", "'=x", ""]]);
    assert_no_formula_cells("t", &rows);
}
