//! The in-process test harness: the whole app spawned on a fresh, seeded
//! database of the backend under test ([`crate::database`]) and talked to
//! like a browser through its router (no socket), and the stored-row
//! helpers the server's API, security and logs tests assert with.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;

use crate::database;
use server::{app, db, seed, AppState, Config};
use sqlx::AnyPool;
use std::collections::BTreeMap;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    _dir: tempfile::TempDir,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

/// A signed-in browser: its session cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
    pub session: Value,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(dir.path(), database::fresh(dir.path()).await);
        configure(&mut config);
        let pool = db::connect(&config.database).await.unwrap();
        let state = AppState::new(pool, config).unwrap();
        seed::demo(&state.db, state.clock.now()).await.unwrap();
        let router = app(state.clone());
        TestApp { state, router, _dir: dir }
    }

    /// A second instance on the same database: its own pool, rate limits
    /// and router, as another `cam-server` process behind the same load
    /// balancer would have (with the same configuration and secret).
    pub async fn twin(&self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let config = (*self.state.config).clone();
        let pool = db::connect(&config.database).await.unwrap();
        let state = AppState::new(pool, config).unwrap();
        let router = app(state.clone());
        TestApp { state, router, _dir: dir }
    }

    pub async fn send(&self, req: Request<Body>) -> Response {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Response { status, headers, body }
    }

    /// A request as the app's own pages send it.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, browser: Option<&Browser>) -> Response {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(br) = browser {
            b = b.header(header::COOKIE, &br.cookie).header("x-csrf-token", &br.csrf);
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn get(&self, path: &str, browser: &Browser) -> Response {
        self.call(Method::GET, path, None, Some(browser)).await
    }

    pub async fn sign_in_raw(&self, email: &str, password: &str) -> Response {
        self.call(
            Method::POST,
            "/api/v1/session",
            Some(serde_json::json!({ "email": email, "password": password })),
            None,
        )
        .await
    }

    pub async fn sign_in(&self, email: &str) -> Browser {
        let res = self.sign_in_raw(email, seed::DEMO_PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK, "{email}: {:?}", res.body);
        let set_cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let csrf = res.headers.get("x-csrf-token").unwrap().to_str().unwrap().to_string();
        Browser { cookie, csrf, session: res.body }
    }

    /// The id of the account with this name.
    pub async fn account_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM accounts WHERE name = $1")
            .bind(name)
            .fetch_one(&self.state.db)
            .await
            .unwrap()
    }

    /// The id of the user with this email.
    pub async fn user_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&self.state.db).await.unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.state.db).await.unwrap()
    }

    /// Every stored row that a refused request must not change (see [`stored`]).
    pub async fn snapshot(&self) -> BTreeMap<String, Vec<String>> {
        stored(&self.state.db).await
    }
}

pub fn error_code(res: &Response) -> &str {
    res.body["error"]["code"].as_str().unwrap_or("")
}

pub fn error_message(res: &Response) -> &str {
    res.body["error"]["message"].as_str().unwrap_or("")
}

/// Every stored row of every table, as text, table by table. Sessions are
/// taken without their `last_seen_at` (reading touches it by design); the
/// denial log, the rate-limit hits and the schedule are left out.
pub async fn stored(pool: &AnyPool) -> BTreeMap<String, Vec<String>> {
    let tables = db::tables_of(db::Backend::of_pool(pool), pool).await.unwrap();
    let mut out = BTreeMap::new();
    // Refusals append to the denial log and count against the rate limits by
    // design; the housekeeping's schedule moves on its own.
    let by_design = ["denials", "rate_limit_hits", "scheduled_jobs"];
    for table in tables.into_iter().filter(|t| !by_design.contains(&t.as_str())) {
        let skip: &[&str] = if table == "sessions" { &["last_seen_at"] } else { &[] };
        let rows = rows_without(pool, &table, skip).await;
        out.insert(table, rows);
    }
    out
}

/// The rows of one table as text, in the same form as [`stored`], leaving
/// out the named columns (e.g. the activity a write records by design).
pub async fn rows_without(pool: &AnyPool, table: &str, skip: &[&str]) -> Vec<String> {
    let postgres = db::Backend::of_pool(pool) == db::Backend::Postgres;
    let columns: Vec<String> = if postgres {
        sqlx::query_scalar(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
    } else {
        sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
    }
    .bind(table)
    .fetch_all(pool)
    .await
    .unwrap();
    let columns: Vec<String> = columns
        .into_iter()
        .filter(|c| !skip.contains(&c.as_str()))
        .map(|c| if postgres { format!("quote_nullable(\"{c}\")") } else { format!("quote(\"{c}\")") })
        .collect();
    sqlx::query_scalar(&format!("SELECT {} FROM \"{table}\" ORDER BY 1", columns.join(" || '|' || ")))
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The permissions of a set key as stored (standard or `custom:<id>`).
pub async fn set_perms(app: &TestApp, key: &str) -> domain::Perms {
    if let Some(id) = key.strip_prefix("custom:") {
        let id: i64 = id.parse().unwrap();
        let keys: String = sqlx::query_scalar("SELECT permissions FROM permission_sets WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        domain::Perms::from_keys(&keys).unwrap()
    } else {
        domain::StandardSet::parse(key).unwrap_or_else(|| panic!("unknown set {key}")).perms()
    }
}

/// What a membership holds, read from its stored columns: everything for a
/// super admin; else its set with the individual overrides applied (never
/// a super-admin-only permission, SPEC §3).
pub async fn held(app: &TestApp, account: i64, user: i64) -> domain::Perms {
    let (super_admin, set, added, removed): (i64, Option<String>, String, String) = sqlx::query_as(
        "SELECT super_admin, permission_set, perms_added, perms_removed FROM memberships \
         WHERE account_id = $1 AND user_id = $2",
    )
    .bind(account)
    .bind(user)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    if super_admin != 0 {
        return domain::Perms::all();
    }
    let base = match set {
        Some(k) => set_perms(app, &k).await,
        None => domain::Perms::EMPTY,
    };
    base.union(domain::Perms::from_keys(&added).unwrap())
        .difference(domain::Perms::from_keys(&removed).unwrap())
        .assignable()
}

/// Reports: view and Reports: edit.
pub fn reports() -> domain::Perms {
    domain::Perms::EMPTY.with(domain::Permission::ReportsView).with(domain::Permission::ReportsEdit)
}
