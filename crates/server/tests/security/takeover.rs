//! One background-work runner: a bulk job whose instance stops is taken
//! over and finishes, every row decided exactly once. The real server binary
//! starts a 1,000-row job (deactivate 1,000 of Northwind's people in a
//! client) and is killed with SIGKILL after its first chunk has committed;
//! on SQLite the server starts again on the file, on PostgreSQL a second
//! instance, running from the start, takes the job over. Read back from the
//! database: the job is done, its report has 1,000 rows numbered 0–999, one
//! per person, its counts add up, every person is deactivated, and each has
//! exactly one history event for it.

use server::db::{self, Backend};
use sqlx::{AnyConnection, Connection};
use std::path::Path;
use std::time::{Duration, Instant};
use tooling::database;
use tooling::http_client::{Conn, Login};
use tooling::server_process::ServerProcess;

const BINARY: &str = env!("CARGO_BIN_EXE_cam-server");
const ROWS: i64 = 1_000;

async fn open(database: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(&db::url_of(database)).await.unwrap()
}

/// 1,000 people of Northwind, each a partner person in one of its clients;
/// their ids and the client's.
async fn people(database: &str) -> (i64, Vec<i64>) {
    let mut conn = open(database).await;
    let mut tx = conn.begin().await.unwrap();
    let nw: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE name = 'Northwind Digital'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let client: i64 = sqlx::query_scalar(
        "SELECT customer_account_id FROM clients WHERE partner_account_id = $1 ORDER BY customer_account_id LIMIT 1",
    )
    .bind(nw)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let mut ids = Vec::new();
    for n in 0..ROWS {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, 'not-a-hash', 0) RETURNING id",
        )
        .bind(format!("takeover{n:04}@northwind.example"))
        .bind(format!("Takeover {n:04}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, created_at) VALUES ($1, $2, 'sales', 'core', 0)")
            .bind(nw)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, partner_account_id, created_at) VALUES ($1, $2, 'sales', 'partner', $3, 0)")
            .bind(client)
            .bind(id)
            .bind(nw)
            .execute(&mut *tx)
            .await
            .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    (client, ids)
}

/// The job's (state, processed), read from the database.
async fn job(conn: &mut AnyConnection, id: i64) -> (String, i64) {
    sqlx::query_as("SELECT state, processed FROM bulk_jobs WHERE id = $1").bind(id).fetch_one(conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_whose_instance_is_killed_is_taken_over_and_decides_every_row_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = database::fresh(dir.path()).await;
    let postgres = Backend::of(&database) == Backend::Postgres;
    // A short lease, and a pause after each chunk so that the kill lands
    // between two chunks (test mode only).
    let flags = ["--test-mode", "true", "--work-lease-secs", "3", "--work-chunk-pause-ms", "1500"];
    let start = || ServerProcess::start(Path::new(BINARY), dir.path(), &database, &flags);

    let first = start().await.unwrap();
    let second = if postgres { Some(start().await.unwrap()) } else { None };
    let (client, ids) = people(&database).await;
    assert_eq!(ids[ids.len() - 1] - ids[0], ROWS - 1, "the people's ids run on");
    let mut http = Conn::new(first.addr);
    let ada = Login::sign_in(&mut http, "ada@northwind.example", server::seed::DEMO_PASSWORD).await.unwrap();
    let nw = ada.account_id(&mut http, "Northwind Digital").await.unwrap();
    let rows: Vec<serde_json::Value> =
        ids.iter().map(|u| serde_json::json!({ "client_id": client, "user_id": u })).collect();
    let body = serde_json::json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } }).to_string();
    let started = http
        .send("POST", &format!("/api/v1/accounts/{nw}/cam/review/jobs"), &ada.headers(), Some(&body))
        .await
        .unwrap();
    assert!(started.status == 201 || started.status == 202, "job start: {}", started.status);
    let job_id = started.json()["id"].as_i64().expect("the job's id");

    // Kill the instance running it once its first chunk has committed.
    let mut conn = open(&database).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while job(&mut conn, job_id).await.1 == 0 {
        assert!(Instant::now() < deadline, "the job never committed a chunk");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().await;
    let (state, at_kill) = job(&mut conn, job_id).await;
    assert_eq!(state, "running", "killed before the job finished");
    assert!(at_kill > 0 && at_kill < ROWS, "killed in the middle: {at_kill} of {ROWS} decided");

    // SQLite: the server starts again on the file; PostgreSQL: the second
    // instance was there all along.
    let survivor = match second {
        Some(s) => s,
        None => start().await.unwrap(),
    };
    let killed_at = Instant::now();
    let deadline = killed_at + Duration::from_secs(90);
    loop {
        let (state, _) = job(&mut conn, job_id).await;
        if state != "running" {
            assert_eq!(state, "done", "the job finished");
            break;
        }
        assert!(Instant::now() < deadline, "the job was not taken over");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = killed_at.elapsed();
    survivor.kill().await;

    // Read back: counts add up, one report row per person, numbered 0–999.
    let (processed, done, refused, total): (i64, i64, i64, i64) =
        sqlx::query_as("SELECT processed, done, refused, total FROM bulk_jobs WHERE id = $1")
            .bind(job_id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!((processed, done + refused, total), (ROWS, ROWS, ROWS), "the job's counts add up");
    assert_eq!(refused, 0, "every row was allowed");
    let (results, people_in_report, first_seq, last_seq): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT user_id), MIN(seq), MAX(seq) FROM bulk_job_results WHERE job_id = $1",
    )
    .bind(job_id)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        (results, people_in_report, first_seq, last_seq),
        (ROWS, ROWS, 0, ROWS - 1),
        "one report row per person"
    );
    let deactivated: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND status = 'deactivated' AND user_id BETWEEN $2 AND $3",
    )
    .bind(client)
    .bind(ids[0])
    .bind(ids[ids.len() - 1])
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(deactivated, ROWS, "every person deactivated");
    let (events, people_with_event): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT target_user_id) FROM history WHERE account_id = $1 AND action = 'deactivated' \
         AND target_user_id BETWEEN $2 AND $3",
    )
    .bind(client)
    .bind(ids[0])
    .bind(ids[ids.len() - 1])
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!((events, people_with_event), (ROWS, ROWS), "each person's row was decided exactly once");
    let _ = conn.close().await;
    println!(
        "bulk takeover: {ROWS}-row job, instance killed after {at_kill} rows, {} took it over and finished in {:.1} s; \
         {ROWS} report rows, {ROWS} history events, 0 decided twice ({})",
        if postgres { "the second instance" } else { "the restarted server" },
        took.as_secs_f64(),
        if postgres { "PostgreSQL, two instances" } else { "SQLite" }
    );
}
