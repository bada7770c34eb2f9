use axum::http::StatusCode;
use serde_json::Value;
use tooling::harness::{error_code, error_message, TestApp};

async fn northwind(app: &TestApp) -> i64 {
    app.account_id("Northwind Digital").await
}

fn find<'a>(rows: &'a Value, crm_name: &str) -> &'a Value {
    rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["crm_name"] == crm_name)
        .unwrap_or_else(|| panic!("{crm_name} not in {rows}"))
}

#[tokio::test]
async fn ada_sees_her_clients_with_crm_and_official_names_and_her_access_type() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?q=acme"), &ada).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert_eq!(res.body["total"], 1);
    let acme = find(&res.body, "Acme Corp");
    assert_eq!(acme["official_name"], "Acme Corporation");
    assert_eq!(acme["my_access"], "partner_admin");
    assert_eq!(acme["my_set_name"], "Partner Admin");
    assert_eq!(acme["partner_employees"], 2);
    assert_eq!(acme["status"], "managed");

    let all = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?per_page=100"), &ada).await;
    assert_eq!(all.body["total"], 45);
    assert_eq!(find(&all.body, "Initech")["my_access"], "super_admin");
    assert_eq!(find(&all.body, "Globex")["my_access"], "super_admin");
    // Umbrella is not a client yet; Bluebird's client is never listed.
    let names: Vec<&str> =
        all.body["rows"].as_array().unwrap().iter().map(|r| r["crm_name"].as_str().unwrap()).collect();
    assert!(!names.iter().any(|n| n.contains("Umbrella") || n.contains("Wonka")));
}

#[tokio::test]
async fn clients_page_sort_and_filter_by_access_type() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let p1 = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?per_page=10&page=1"), &ada).await;
    let p5 = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?per_page=10&page=5"), &ada).await;
    assert_eq!(p1.body["rows"].as_array().unwrap().len(), 10);
    assert_eq!(p5.body["rows"].as_array().unwrap().len(), 5);
    let names: Vec<String> =
        p1.body["rows"].as_array().unwrap().iter().map(|r| r["crm_name"].as_str().unwrap().to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let desc = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?sort=name&dir=desc&per_page=1"), &ada).await;
    assert_eq!(desc.body["rows"][0]["crm_name"], "Zephyr Sails");

    let deactivated =
        app.get(&format!("/api/v1/accounts/{nw}/cam/clients?access=deactivated&per_page=100"), &ada).await;
    let rows = deactivated.body["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["my_access"] == "deactivated"));
    let none = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?access=none&per_page=100"), &ada).await;
    assert!(none.body["rows"].as_array().unwrap().iter().all(|r| r["my_access"] == "none"));
    let both = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?access=deactivated,none&per_page=100"), &ada).await;
    assert_eq!(
        both.body["total"].as_u64().unwrap(),
        deactivated.body["total"].as_u64().unwrap() + none.body["total"].as_u64().unwrap()
    );
}

#[tokio::test]
async fn relationship_status_is_managed_ending_or_ended_from_stored_activity() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let all = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?per_page=100&sort=status"), &ada).await;
    let state = |s: &Value| {
        s.as_str().map(str::to_string).or_else(|| s.as_object().and_then(|o| o.keys().next().cloned())).unwrap()
    };
    let states: Vec<String> = all.body["rows"].as_array().unwrap().iter().map(|r| state(&r["status"])).collect();
    let states: Vec<&str> = states.iter().map(String::as_str).collect();
    for s in ["managed", "ending", "ended"] {
        assert!(states.contains(&s), "{s} missing");
    }
    // Sorted by status: managed first, ended last.
    assert_eq!(states.first(), Some(&"managed"));
    assert_eq!(states.last(), Some(&"ended"));
    let ending = all.body["rows"].as_array().unwrap().iter().find(|r| r["status"].get("ending").is_some()).unwrap();
    assert!(ending["status"]["ending"]["days_left"].as_i64().unwrap() > 0);
    assert_eq!(ending["active_partner_employees"], 0);
}

#[tokio::test]
async fn cleo_is_refused_client_access_manager_naming_r1_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    let nw = northwind(&app).await;
    let before = app.snapshot().await;
    for path in ["cam/clients", "cam/employees", "cam/clients/1"] {
        let res = app.get(&format!("/api/v1/accounts/{nw}/{path}"), &cleo).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_code(&res), "forbidden");
        assert!(error_message(&res).contains("R1"), "{}", error_message(&res));
        assert!(error_message(&res).contains("View and edit partner employees"));
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn ben_with_view_and_edit_partner_employees_may_open_client_access_manager() {
    let app = TestApp::spawn().await;
    let ben = app.sign_in("ben@northwind.example").await;
    let nw = northwind(&app).await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients"), &ben).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        find(&app.get(&format!("/api/v1/accounts/{nw}/cam/clients?q=acme"), &ben).await.body, "Acme Corp")["my_access"],
        "none"
    );
}

#[tokio::test]
async fn partners_never_see_each_other_s_data_foreign_ids_are_404() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let bo = app.sign_in("bo@bluebird.example").await;
    let nw = northwind(&app).await;
    let bb = app.account_id("Bluebird Apps").await;
    let acme = app.account_id("Acme Corporation").await;
    let wonka = app.account_id("Wonka Industries").await;
    let umbrella = app.account_id("Umbrella Labs").await;

    // Another partner's account, as a whole.
    for path in [
        format!("/api/v1/accounts/{nw}/cam/clients"),
        format!("/api/v1/accounts/{nw}/cam/employees"),
        format!("/api/v1/accounts/{nw}/cam/clients/{acme}"),
    ] {
        let res = app.get(&path, &bo).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_code(&res), "not_found");
    }
    // Another partner's client, or a non-client, through one's own account.
    for client in [wonka, umbrella, 999_999] {
        assert_eq!(
            app.get(&format!("/api/v1/accounts/{nw}/cam/clients/{client}"), &ada).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{bb}/cam/clients/{wonka}"), &ada).await.status,
        StatusCode::NOT_FOUND
    );
    // Bo sees his own client.
    let res = app.get(&format!("/api/v1/accounts/{bb}/cam/clients/{wonka}"), &bo).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["employees"][0]["email"], "bo@bluebird.example");
}

#[tokio::test]
async fn employees_tab_marks_emails_on_the_partner_s_verified_domain() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/employees"), &ada).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["total"], 5);
    let rows = res.body["rows"].as_array().unwrap();
    let by = |email: &str| rows.iter().find(|r| r["email"] == email).unwrap().clone();
    assert_eq!(by("ada@northwind.example")["verified_domain"], true);
    assert_eq!(by("eve@contractor.example")["verified_domain"], false);
    assert_eq!(by("ben@northwind.example")["clients"], 0);
    assert!(by("ada@northwind.example")["clients"].as_u64().unwrap() > 20);
    // Eve is in Acme but not linked: not counted as a client of hers.
    assert_eq!(by("eve@contractor.example")["clients"], 0);
    let search = app.get(&format!("/api/v1/accounts/{nw}/cam/employees?q=contractor"), &ada).await;
    assert_eq!(search.body["total"], 1);
}

#[tokio::test]
async fn client_details_list_partner_employees_with_set_seat_status_and_assets() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let acme = app.account_id("Acme Corporation").await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients/{acme}"), &ada).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["crm_name"], "Acme Corp");
    assert_eq!(res.body["official_name"], "Acme Corporation");
    assert_eq!(res.body["my_access"], "partner_admin");
    let emps = res.body["employees"].as_array().unwrap();
    assert_eq!(emps.len(), 2, "Eve is not linked and Carol is the client's own user");
    let cleo = emps.iter().find(|e| e["email"] == "cleo@northwind.example").unwrap();
    assert_eq!(cleo["set_name"], "Sales");
    assert_eq!(cleo["seat"], "partner");
    assert_eq!(cleo["status"], "active");
    assert_eq!(cleo["assets_owned"], 3);
    assert_eq!(cleo["verified_domain"], true);
    let ada_row = emps.iter().find(|e| e["email"] == "ada@northwind.example").unwrap();
    assert_eq!(ada_row["access"], "partner_admin");
}

#[tokio::test]
async fn bad_list_queries_are_400() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    for q in [
        "per_page=1000",
        "page=0",
        "access=owner",
        "sort=password",
        "dir=up",
        "page=abc",
        "admin=1",
        &format!("q={}", "x".repeat(201)),
    ] {
        let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?{q}"), &ada).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(error_code(&res), "bad_request");
    }
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients/not-a-number"), &ada).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_text_with_wildcards_is_taken_literally() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let res = app.get(&format!("/api/v1/accounts/{nw}/cam/clients?q=%25"), &ada).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["total"], 0);
}

/// Every order of the Clients tab, read page by page (4 rows a page), is the
/// order SPEC gives, worked out here from each row's own facts: relationship
/// class (managed, ending, ended), then last partner activity, for the
/// relationship order; the employee count for the employee order; then the
/// CRM name ignoring case and the id. Paging neither skips nor repeats a row.
#[tokio::test]
async fn every_order_pages_through_every_client_once_in_spec_order() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = northwind(&app).await;
    let class = |r: &Value| match &r["status"] {
        Value::String(s) if s == "managed" => 0,
        s if s.get("ending").is_some() => 1,
        s if s.get("ended").is_some() => 2,
        other => panic!("status {other}"),
    };
    // The stored last partner activity of each client (the rows do not carry it).
    let last: std::collections::HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT customer_account_id, last_partner_activity_at FROM clients WHERE partner_account_id = $1",
    )
    .bind(nw)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
    .into_iter()
    .collect();
    for (sort, dir) in
        [("status", "asc"), ("status", "desc"), ("employees", "asc"), ("employees", "desc"), ("name", "desc")]
    {
        let mut paged: Vec<Value> = vec![];
        for page in 1.. {
            let res = app
                .get(&format!("/api/v1/accounts/{nw}/cam/clients?sort={sort}&dir={dir}&per_page=4&page={page}"), &ada)
                .await;
            assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
            let rows = res.body["rows"].as_array().unwrap().clone();
            if rows.is_empty() {
                break;
            }
            paged.extend(rows);
        }
        let mut expected = paged.clone();
        let name = |r: &Value| r["crm_name"].as_str().unwrap().to_ascii_lowercase();
        let id = |r: &Value| r["id"].as_i64().unwrap();
        expected.sort_by(|a, b| {
            let key = |r: &Value| match sort {
                "status" => (class(r), last[&r["id"].as_i64().unwrap()]),
                "employees" => (r["partner_employees"].as_i64().unwrap(), 0),
                _ => (0, 0),
            };
            let primary = if sort == "name" { name(a).cmp(&name(b)) } else { key(a).cmp(&key(b)) };
            let primary = if dir == "desc" { primary.reverse() } else { primary };
            primary.then_with(|| name(a).cmp(&name(b))).then_with(|| id(a).cmp(&id(b)))
        });
        let ids: Vec<i64> = paged.iter().map(id).collect();
        assert_eq!(ids, expected.iter().map(id).collect::<Vec<_>>(), "sort={sort} dir={dir}");
        let total =
            app.get(&format!("/api/v1/accounts/{nw}/cam/clients?per_page=100"), &ada).await.body["total"].as_u64();
        assert_eq!(Some(ids.len() as u64), total, "sort={sort} dir={dir}: every client once");
        let unique: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
    }
}
