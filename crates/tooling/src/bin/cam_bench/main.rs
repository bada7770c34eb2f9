//! Scale benchmark: 10,000 clients, 500 employees, about 50,000
//! memberships; drives the real router in process (no socket) and prints
//! p50/p95 figures and the process's memory. Not a timed test: it prints.
//!
//! Run: `bash scripts/bench-scale.sh` (release build of the server profile).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use domain::api::{ClientSort, EmployeeSort, ReviewFilter, SortDir};
use http_body_util::BodyExt;
use server::db::client_list::ClientFilter;
use server::db::people::PeopleFilter;
use server::{app, db, seed, AppState, Config};

mod data;
mod jobs;
mod terms;
use data::generate_scale;
use jobs::review_filter;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CLIENTS: usize = 10_000;
const EMPLOYEES: usize = 500;
const PER_CLIENT: usize = 5;
const BULK_REMOVE: usize = 1_000;
const BULK_ADD: usize = 50;
const SAMPLES: usize = 200;

struct Client {
    router: axum::Router,
    cookie: String,
    csrf: String,
}

impl Client {
    async fn call(&self, method: Method, uri: &str, body: Option<serde_json::Value>) -> (StatusCode, Duration, usize) {
        let (status, t, bytes) = self.send(method, uri, body).await;
        (status, t, bytes.len())
    }

    /// A request through the router as the signed-in admin: its status, time and body.
    async fn send(
        &self,
        method: Method,
        uri: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, Duration, axum::body::Bytes) {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf);
        let req = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                b.body(Body::from(v.to_string())).unwrap()
            }
            None => b.body(Body::empty()).unwrap(),
        };
        let start = Instant::now();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, start.elapsed(), bytes)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn secs_ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p95 of `SAMPLES` runs of `f`.
async fn time_floor<F, Fut>(f: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        f().await;
        times.push(start.elapsed());
    }
    times.sort();
    percentile(&times, 0.95)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn sample(client: &Client, uri: &str) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut size = 0;
    for _ in 0..SAMPLES {
        let (status, t, len) = client.call(Method::GET, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        size = len;
        times.push(t);
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), size)
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: first thing in `main`: no other thread exists yet.
    unsafe { server::memory::return_large_blocks() };
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile_dir()?;
    let database = std::env::args().nth(1).unwrap_or_else(|| dir.join("bench.db").display().to_string());
    let mut config = Config::for_tests(&dir, database);
    config.sign_in_per_minute = 1_000;
    let pool = db::connect(&config.database).await?;
    let state = AppState::new(pool, config)?;
    seed::demo(&state.db, state.clock.now()).await?;

    let generate = Instant::now();
    let ids = generate_scale(&state).await?;
    println!(
        "generated {CLIENTS} clients, {EMPLOYEES} employees, {} memberships in {}",
        ids.memberships,
        ms(generate.elapsed())
    );

    let router = app(state.clone());
    let client_http = sign_in(&router, "ada@northwind.example").await?;
    // Both sign-ins before the measures: each holds Argon2's 19 MiB for a
    // moment, wherever it comes, and the peak below is the measures' own.
    let carol = sign_in(&router, "carol@acme.example").await?;
    let nw = ids.partner;

    let pool = state.db.clone();
    let partner = ids.partner;
    let user = ids.ada;
    let filter = |q: Option<&str>, sort: ClientSort, offset: i64| ClientFilter {
        q: q.map(str::to_string),
        access: domain::AccessType::ALL.iter().map(|a| a.key()).collect(),
        ending: false,
        relationship_ending: false,
        sort,
        dir: SortDir::Asc,
        limit: 25,
        offset,
    };
    let now = state.clock.now().0;
    let client = ids.first_client;
    let people = PeopleFilter {
        q: None,
        role: None,
        seat: None,
        partner: None,
        sort: EmployeeSort::default(),
        dir: SortDir::Asc,
        limit: 25,
        offset: 0,
    };

    println!();
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>7} {:>7}  target ({})",
        "measure",
        "p50",
        "p95",
        "floor p95",
        "ratio",
        "bytes",
        db::Backend::of_pool(&pool).name()
    );
    let mut results = vec![];
    let reads: Vec<(&str, String, Option<f64>)> = vec![
        ("Clients tab, first page", format!("/api/v1/accounts/{nw}/cam/clients"), Some(15.0)),
        ("Clients tab, search", format!("/api/v1/accounts/{nw}/cam/clients?q=Scale%20Client%200042"), Some(15.0)),
        (
            "Clients tab, sorted by relationship, page 7",
            format!("/api/v1/accounts/{nw}/cam/clients?sort=status&page=7"),
            Some(15.0),
        ),
        ("Client details", format!("/api/v1/accounts/{nw}/cam/clients/{client}"), Some(15.0)),
        ("Employees tab, first page", format!("/api/v1/accounts/{nw}/cam/employees"), Some(15.0)),
        ("Access review, first page", format!("/api/v1/accounts/{nw}/cam/review"), Some(50.0)),
        (
            "Access review, idle more than 90 days",
            format!("/api/v1/accounts/{nw}/cam/review?filter=idle90"),
            Some(50.0),
        ),
        ("Coverage, first screen", format!("/api/v1/accounts/{nw}/cam/coverage"), Some(50.0)),
    ];
    for (i, (name, uri, target)) in reads.into_iter().enumerate() {
        let (p50, p95, size) = sample(&client_http, &uri).await;
        // The floor: the same SQL the handler runs, straight on the pool.
        let floor = time_floor(|| {
            let pool = pool.clone();
            let (f1, f2, f3) = (
                filter(None, ClientSort::Name, 0),
                filter(Some("Scale Client 0042"), ClientSort::Name, 0),
                filter(None, ClientSort::Status, 150),
            );
            let people = people.clone();
            async move {
                match i {
                    0 => drop(db::client_list::list(&pool, partner, user, &f1, now).await.unwrap()),
                    1 => drop(db::client_list::list(&pool, partner, user, &f2, now).await.unwrap()),
                    2 => drop(db::client_list::list(&pool, partner, user, &f3, now).await.unwrap()),
                    3 => {
                        db::memberships::find(&pool, partner, user).await.unwrap();
                        db::clients::find(&pool, partner, client).await.unwrap();
                        db::accounts::domains(&pool, partner).await.unwrap();
                        let rows = db::clients::employees_in_client(&pool, partner, client).await.unwrap();
                        db::memberships::find(&pool, client, user).await.unwrap();
                        for r in rows {
                            db::assets::of_owner(&pool, db::Backend::of_pool(&pool), client, r.membership.user_id)
                                .await
                                .unwrap();
                        }
                    }
                    4 => {
                        db::memberships::find(&pool, partner, user).await.unwrap();
                        db::accounts::domains(&pool, partner).await.unwrap();
                        drop(db::people::partner_employees(&pool, partner, &people).await.unwrap());
                    }
                    5 | 6 => {
                        let f = review_filter(if i == 5 { ReviewFilter::All } else { ReviewFilter::Idle90 }, now);
                        db::memberships::find(&pool, partner, user).await.unwrap();
                        drop(db::review::list(&pool, partner, &f, 25, 0).await.unwrap());
                        db::review::count(&pool, partner, &f).await.unwrap();
                    }
                    _ => {
                        db::memberships::find(&pool, partner, user).await.unwrap();
                        let rows = db::client_list::list(&pool, partner, user, &f1, now).await.unwrap();
                        let (cols, _) = db::review::employee_columns(&pool, partner, 12, 0).await.unwrap();
                        let c = db::bulk::json_ids(rows.iter().map(|r| r.id));
                        let u = db::bulk::json_ids(cols.iter().map(|e| e.0));
                        drop(db::review::cells(&pool, partner, &c, &u).await.unwrap());
                    }
                }
            }
        })
        .await;
        let ratio = p95.as_secs_f64() / floor.as_secs_f64().max(1e-9);
        let verdict = match target {
            Some(t) if p95.as_secs_f64() * 1000.0 <= t => format!("p95 <= {t} ms ok"),
            Some(t) => format!("p95 <= {t} ms OVER"),
            None => "(no target)".to_string(),
        };
        println!("{name:<44} {:>9} {:>9} {:>9} {ratio:>6.1}x {size:>7}  {verdict}", ms(p50), ms(p95), ms(floor));
        results.push(serde_json::json!({
            "measure": name, "p50": secs_ms(p50), "p95": secs_ms(p95), "floor_p95": secs_ms(floor), "bytes": size,
        }));
    }
    let client = &client_http;

    let body = serde_json::json!({ "client_ids": ids.bulk_clients });
    let (status, t, _) = client
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{nw}/cam/employees/{}/remove-from-clients", ids.bulk_employee),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>7} {:>7}  <= 300 ms {}",
        format!("Remove one employee from {BULK_REMOVE} clients"),
        ms(t),
        "",
        "",
        "",
        "",
        if t.as_millis() <= 300 { "ok" } else { "OVER" }
    );
    results.push(
        serde_json::json!({ "measure": format!("Remove one employee from {BULK_REMOVE} clients"), "p50": secs_ms(t) }),
    );

    let body = serde_json::json!({ "user_ids": ids.add_employees, "permission_set": "sales" });
    let (status, t, _) = client
        .call(Method::POST, &format!("/api/v1/accounts/{nw}/cam/clients/{}/employees", ids.first_client), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK);
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>7} {:>7}  <= 100 ms {}",
        format!("Add {BULK_ADD} employees to one client"),
        ms(t),
        "",
        "",
        "",
        "",
        if t.as_millis() <= 100 { "ok" } else { "OVER" }
    );
    results
        .push(serde_json::json!({ "measure": format!("Add {BULK_ADD} employees to one client"), "p50": secs_ms(t) }));

    jobs::measure(client, &pool, &ids, now, &mut results).await?;
    terms::measure(&state, &carol, ids.partner, &mut results).await?;
    if let Ok(path) = std::env::var("CAM_BENCH_JSON") {
        std::fs::write(
            path,
            serde_json::json!({ "backend": db::Backend::of_pool(&pool).name(), "results": results }).to_string(),
        )?;
    }

    let rss = rss_kb("VmRSS:");
    let peak = rss_kb("VmHWM:");
    println!();
    println!(
        "server RSS now {} MB, peak {} MB (target <= 100 MB) {}",
        rss / 1024,
        peak / 1024,
        if peak <= 100 * 1024 { "ok" } else { "OVER" }
    );
    if std::env::var_os("CAM_BENCH_KEEP").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
    Ok(())
}

/// A demo user signed in through the router.
async fn sign_in(router: &axum::Router, email: &str) -> Result<Client, Box<dyn std::error::Error>> {
    let login = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::json!({ "email": email, "password": "demo-password" }).to_string()))?;
    let res = router.clone().oneshot(login).await?;
    let header_of = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let cookie = header_of(header::SET_COOKIE.as_str()).split(';').next().unwrap_or("").to_string();
    Ok(Client { router: router.clone(), cookie, csrf: header_of("x-csrf-token") })
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("cam-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
