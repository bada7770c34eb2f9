//! R17's measures: the review's filter as its route builds it, and a bulk
//! job started and waited for through the router.

use super::data::Ids;
use super::{Client, BULK_REMOVE};
use axum::http::{Method, StatusCode};
use domain::api::{ReviewFilter, ReviewSort, SortDir};
use server::db;
use std::time::{Duration, Instant};

pub fn review_filter(filter: ReviewFilter, now: i64) -> db::review::ReviewFilterSql {
    db::review::ReviewFilterSql { q: None, filter, sort: ReviewSort::Idle, dir: SortDir::Desc, now }
}

/// Starts a bulk job and waits for its end (polling its page): the time
/// from the request to the job's end, and the job's own server time.
pub async fn run_job(client: &Client, start_uri: &str, body: serde_json::Value, nw: i64) -> (Duration, i64, u64, u64) {
    let started = Instant::now();
    let (status, _, job) = client.send(Method::POST, start_uri, Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{start_uri}");
    let job: serde_json::Value = serde_json::from_slice(&job).unwrap();
    let id = job["id"].as_i64().unwrap();
    loop {
        let (_, _, page) =
            client.send(Method::GET, &format!("/api/v1/accounts/{nw}/cam/jobs/{id}?per_page=1"), None).await;
        let r: serde_json::Value = serde_json::from_slice(&page).unwrap();
        if r["job"]["state"] != "running" {
            assert_eq!(r["job"]["state"], "done", "{r}");
            let j = &r["job"];
            return (
                started.elapsed(),
                j["elapsed_ms"].as_i64().unwrap_or(0),
                j["done"].as_u64().unwrap_or(0),
                j["refused"].as_u64().unwrap_or(0),
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Runs of each bulk job measured (each on rows of its own).
const RUNS: usize = 5;

/// R17's two bulk jobs, `RUNS` times each: one employee added to 1,000
/// clients (another employee each run) and 1,000 idle rows deactivated
/// (another thousand each run). Median and worst run, judged on the worst.
pub async fn measure(
    client: &Client,
    pool: &sqlx::AnyPool,
    ids: &Ids,
    now: i64,
    results: &mut Vec<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    let nw = ids.partner;
    let mut add = Vec::with_capacity(RUNS);
    // In no client yet (the first of them was added to one client only).
    for &newcomer in &ids.add_employees[1..=RUNS] {
        let body = serde_json::json!({
            "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": ids.pa_clients },
        });
        let uri = format!("/api/v1/accounts/{nw}/cam/employees/{newcomer}/clients/jobs");
        let (t, server_ms, done, refused) = run_job(client, &uri, body, nw).await;
        assert_eq!((done, refused), (BULK_REMOVE as u64, 0), "every client is Ada's as Partner Admin");
        add.push((t, server_ms));
    }
    report(format!("Add one employee to {BULK_REMOVE} clients (job)"), add, results);

    let idle = db::review::matching_keys(pool, nw, &review_filter(ReviewFilter::Idle90, now)).await?;
    assert!(idle.len() >= RUNS * BULK_REMOVE, "{} idle rows", idle.len());
    let mut deactivate = Vec::with_capacity(RUNS);
    for chunk in idle.chunks(BULK_REMOVE).take(RUNS) {
        let rows: Vec<serde_json::Value> = chunk
            .iter()
            .map(|k| {
                let k = domain::api::RowKey::unpack(*k);
                serde_json::json!({ "client_id": k.client_id, "user_id": k.user_id })
            })
            .collect();
        let body = serde_json::json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } });
        let (t, server_ms, done, _) =
            run_job(client, &format!("/api/v1/accounts/{nw}/cam/review/jobs"), body, nw).await;
        assert_eq!(done, BULK_REMOVE as u64);
        deactivate.push((t, server_ms));
    }
    report(format!("Deactivate {BULK_REMOVE} idle rows (job)"), deactivate, results);
    Ok(())
}

/// Prints one job measure (median and worst of the runs; the job's own
/// time in the floor column) and records it.
fn report(name: String, mut runs: Vec<(Duration, i64)>, results: &mut Vec<serde_json::Value>) {
    runs.sort();
    let (median, worst) = (runs[runs.len() / 2], runs[runs.len() - 1]);
    println!(
        "{name:<44} {:>9} {:>9} {:>9} {:>7} {:>7}  worst <= 500 ms {}",
        super::ms(median.0),
        super::ms(worst.0),
        format!("{} ms", median.1),
        "",
        "",
        if worst.0.as_millis() <= 500 { "ok" } else { "OVER" }
    );
    results.push(serde_json::json!({
        "measure": name, "p50": super::secs_ms(median.0), "max": super::secs_ms(worst.0), "server_ms": median.1,
    }));
}
