//! R17's measures: the review's filter as its route builds it, and a bulk
//! job started and waited for through the router.

use super::Client;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use domain::api::{ReviewFilter, ReviewSort, SortDir};
use http_body_util::BodyExt;
use server::db;
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub fn review_filter(filter: ReviewFilter, now: i64) -> db::review::ReviewFilterSql {
    db::review::ReviewFilterSql { q: None, filter, sort: ReviewSort::Idle, dir: SortDir::Desc, now }
}

/// Starts a bulk job and waits for its end (polling its page): the time
/// from the request to the job's end, and the job's own server time.
pub async fn run_job(client: &Client, start_uri: &str, body: serde_json::Value, nw: i64) -> (Duration, i64, u64, u64) {
    let started = Instant::now();
    let req = Request::builder()
        .method(Method::POST)
        .uri(start_uri)
        .header(header::COOKIE, &client.cookie)
        .header("x-csrf-token", &client.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = client.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED, "{start_uri}");
    let job: serde_json::Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let id = job["id"].as_i64().unwrap();
    loop {
        let req = Request::builder()
            .uri(format!("/api/v1/accounts/{nw}/cam/jobs/{id}?per_page=1"))
            .header(header::COOKIE, &client.cookie)
            .body(Body::empty())
            .unwrap();
        let res = client.router.clone().oneshot(req).await.unwrap();
        let r: serde_json::Value =
            serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
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
