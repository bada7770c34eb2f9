//! Crash safety: the real server binary, writing through
//! its API, is killed with SIGKILL at random moments, 100 times. After each
//! kill the database must pass `PRAGMA integrity_check` and hold every change
//! the server acknowledged; then the server starts again on it and serves.
//!
//! Durability setting: WAL journal with `synchronous = FULL` (see
//! `server::db::connect` and SECURITY.md). A process kill alone would be
//! survived with `NORMAL` too (the OS keeps what was written); `FULL` also
//! fsyncs the WAL at every commit, so an acknowledged change survives an OS
//! crash or power loss as well.

#[path = "../support/http_client.rs"]
mod http_client;
#[path = "../support/server_process.rs"]
mod server_process;

use http_client::{Conn, Login};
use rand::{Rng, SeedableRng};
use server_process::ServerProcess;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_cam-server");

fn rounds() -> usize {
    std::env::var("CAM_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100)
}

/// What the server acknowledged before it was killed.
#[derive(Default, Clone)]
struct Acked {
    assets: BTreeSet<String>,
    /// Eve's status in Acme after the last acknowledged toggle, and the status
    /// a toggle still in flight may have reached.
    eve: Option<&'static str>,
    eve_in_flight: Option<&'static str>,
}

/// Reads the database directly (the server is dead): integrity, every
/// acknowledged asset, Eve's status (returned: where a toggle was in flight
/// when the server died, either outcome is right, and the next round goes on
/// from the stored one).
async fn verify(db: &Path, acked: &Acked, acme: i64, eve: i64, round: usize) -> &'static str {
    let mut conn = SqliteConnectOptions::new().filename(db).connect().await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
    assert_eq!(check, "ok", "round {round}: integrity_check");
    let fk: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut conn).await.unwrap();
    assert!(fk.is_empty(), "round {round}: foreign keys broken in {fk:?}");
    let names: BTreeSet<String> =
        sqlx::query_scalar("SELECT name FROM assets WHERE account_id = $1 AND name LIKE 'crash %'")
            .bind(acme)
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let lost: Vec<&String> = acked.assets.difference(&names).collect();
    assert!(lost.is_empty(), "round {round}: acknowledged writes lost: {lost:?}");
    let stored: String = sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(acme)
        .bind(eve)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let acknowledged = acked.eve.unwrap_or("active");
    assert!(
        stored == acknowledged || Some(stored.as_str()) == acked.eve_in_flight,
        "round {round}: Eve is {stored}, acknowledged {acknowledged}"
    );
    // Every acknowledged toggle left its history event, in the same transaction.
    let unmatched: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m WHERE m.account_id = $1 AND m.user_id = $2 AND m.status <> COALESCE( \
           (SELECT CASE action WHEN 'deactivated' THEN 'deactivated' ELSE 'active' END FROM history \
            WHERE account_id = $1 AND target_user_id = $2 AND action IN ('deactivated', 'reactivated') ORDER BY id DESC LIMIT 1), 'active')",
    )
    .bind(acme)
    .bind(eve)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(unmatched, 0, "round {round}: Eve's status and her history disagree");
    let _ = sqlx::Connection::close(conn).await;
    if stored == "active" {
        "active"
    } else {
        "deactivated"
    }
}

async fn writer(addr: std::net::SocketAddr, login: Login, acme: i64, tag: String, acked: Arc<Mutex<Acked>>) {
    let mut conn = Conn::new(addr);
    for n in 0.. {
        let name = format!("crash {tag} #{n}");
        let body = serde_json::json!({ "kind": "contact", "name": name }).to_string();
        match conn.send("POST", &format!("/api/v1/accounts/{acme}/assets"), &login.headers(), Some(&body)).await {
            Ok(a) if a.status == 201 => {
                acked.lock().unwrap().assets.insert(name);
            }
            Ok(a) => panic!("{tag}: unexpected {} {}", a.status, String::from_utf8_lossy(&a.body)),
            Err(_) => return, // killed
        }
    }
}

async fn toggler(addr: std::net::SocketAddr, login: Login, acme: i64, eve: i64, acked: Arc<Mutex<Acked>>) {
    let mut conn = Conn::new(addr);
    loop {
        let now = acked.lock().unwrap().eve.unwrap_or("active");
        let (action, to) = if now == "active" { ("deactivate", "deactivated") } else { ("reactivate", "active") };
        acked.lock().unwrap().eve_in_flight = Some(to);
        let path = format!("/api/v1/accounts/{acme}/users/{eve}/{action}");
        match conn.send("POST", &path, &login.headers(), None).await {
            Ok(a) if a.status == 204 => {
                let mut g = acked.lock().unwrap();
                g.eve = Some(to);
                g.eve_in_flight = None;
            }
            Ok(a) => panic!("toggle: unexpected {} {}", a.status, String::from_utf8_lossy(&a.body)),
            Err(_) => return,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_sigkill_and_the_database_stays_sound() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cam.db");
    let seed: u64 = std::env::var("CAM_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(rand::random);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let flags = ["--sign-in-per-minute", "100000"];

    // First start: migrate and seed; sign in once (sessions are durable too).
    let server = ServerProcess::start(Path::new(BINARY), dir.path(), &flags).await.unwrap();
    let mut conn = Conn::new(server.addr);
    let carol = Login::sign_in(&mut conn, "carol@acme.example", server::seed::DEMO_PASSWORD).await.unwrap();
    let session = conn.send("GET", "/api/v1/session", &carol.headers(), None).await.unwrap().json();
    let acme =
        session["memberships"].as_array().unwrap().iter().find(|m| m["account_name"] == "Acme Corporation").unwrap()
            ["account_id"]
            .as_i64()
            .unwrap();
    let users =
        conn.send("GET", &format!("/api/v1/accounts/{acme}/users?q=eve"), &carol.headers(), None).await.unwrap().json();
    let eve = users["rows"][0]["user_id"].as_i64().unwrap();
    server.kill().await;

    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut delays = vec![];
    let rounds = rounds();
    for round in 0..rounds {
        let server = ServerProcess::start(Path::new(BINARY), dir.path(), &flags).await.unwrap();
        // The restarted server serves, with the session from before.
        let mut probe = Conn::new(server.addr);
        let me = probe.send("GET", "/api/v1/session", &carol.headers(), None).await.unwrap();
        assert_eq!(me.status, 200, "round {round}: the restarted server knows the session");
        let tasks = vec![
            tokio::spawn(writer(server.addr, carol.clone(), acme, format!("r{round} w0"), acked.clone())),
            tokio::spawn(writer(server.addr, carol.clone(), acme, format!("r{round} w1"), acked.clone())),
            tokio::spawn(toggler(server.addr, carol.clone(), acme, eve, acked.clone())),
        ];
        let delay = rng.gen_range(10..200);
        delays.push(delay);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill().await;
        for t in tasks {
            t.await.unwrap();
        }
        let snapshot = acked.lock().unwrap().clone();
        let stored = verify(&db, &snapshot, acme, eve, round).await;
        let mut g = acked.lock().unwrap();
        g.eve = Some(stored);
        g.eve_in_flight = None;
    }
    let total = acked.lock().unwrap().assets.len();
    let (toggles, journal): (i64, String) = {
        let mut conn = SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
        let toggles = sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action IN ('deactivated', 'reactivated')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        // The journal mode is stored in the file the killed server wrote.
        let journal = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
        (toggles, journal)
    };
    // A run that acknowledged little proves little.
    assert!(total >= 3 * rounds, "only {total} acknowledged writes over {rounds} rounds");
    assert!(toggles >= rounds as i64 / 2, "only {toggles} status changes over {rounds} rounds");
    // The durability the module claims, read back: WAL in the file, and
    // `synchronous = FULL` (2) on the connections the server opens.
    assert_eq!(journal, "wal", "the database file is in WAL mode");
    let pool = server::db::connect(&db).await.unwrap();
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&pool).await.unwrap();
    assert_eq!(synchronous, 2, "the server's connections use synchronous = FULL");
    pool.close().await;
    println!(
        "crash safety: {rounds} SIGKILLs of the real server (seed {seed}), {total} acknowledged asset writes and {toggles} status changes, \
         0 lost, integrity_check ok after every kill (kills {}–{} ms into the writing); read back: journal_mode {journal}, synchronous {synchronous} (FULL)",
        delays.iter().min().unwrap_or(&0),
        delays.iter().max().unwrap_or(&0)
    );
}
