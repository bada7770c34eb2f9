//! Crash safety: the real server binary, writing through
//! its API, is killed with SIGKILL at random moments, 100 times. After each
//! kill the database must hold every change the server acknowledged (and, on
//! SQLite, pass `PRAGMA integrity_check`); then the server starts again on
//! it and serves. On PostgreSQL two instances share the database, writers
//! go to both, and one of the two is killed each round (in turn).
//!
//! Durability setting: WAL journal with `synchronous = FULL` (see
//! `server::db::connect` and SECURITY.md). A process kill alone would be
//! survived with `NORMAL` too (the OS keeps what was written); `FULL` also
//! fsyncs the WAL at every commit, so an acknowledged change survives an OS
//! crash or power loss as well.

use rand::{Rng, SeedableRng};
use server::db::{self, Backend};
use sqlx::{AnyConnection, Connection};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tooling::database;
use tooling::http_client::{Conn, Login};
use tooling::server_process::ServerProcess;

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
async fn verify(database: &str, acked: &Acked, acme: i64, eve: i64, round: usize) -> &'static str {
    let mut conn = open(database).await;
    if Backend::of(database) == Backend::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
        assert_eq!(check, "ok", "round {round}: integrity_check");
        let fk: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut conn).await.unwrap();
        assert!(fk.is_empty(), "round {round}: foreign keys broken in {fk:?}");
    }
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

/// A direct connection to the database (no server in between).
async fn open(database: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(&db::url_of(database)).await.unwrap()
}

async fn writer(
    addr: std::net::SocketAddr,
    login: Login,
    acme: i64,
    tag: String,
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
) {
    let mut conn = Conn::new(addr);
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
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

async fn toggler(
    addr: std::net::SocketAddr,
    login: Login,
    acme: i64,
    eve: i64,
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
) {
    let mut conn = Conn::new(addr);
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
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
    let database = database::fresh(dir.path()).await;
    let postgres = Backend::of(&database) == Backend::Postgres;
    let seed: u64 = std::env::var("CAM_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(rand::random);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let flags = ["--sign-in-per-minute", "100000"];
    let start = || ServerProcess::start(Path::new(BINARY), dir.path(), &database, &flags);

    // First start: migrate and seed; sign in once (sessions are durable too).
    let server = start().await.unwrap();
    let mut conn = Conn::new(server.addr);
    let carol = Login::sign_in(&mut conn, "carol@acme.example", server::seed::DEMO_PASSWORD).await.unwrap();
    let acme = carol.account_id(&mut conn, "Acme Corporation").await.unwrap();
    let users =
        conn.send("GET", &format!("/api/v1/accounts/{acme}/users?q=eve"), &carol.headers(), None).await.unwrap().json();
    let eve = users["rows"][0]["user_id"].as_i64().unwrap();
    server.kill().await;

    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut delays = vec![];
    let rounds = rounds();
    // On PostgreSQL, the instance that is not killed this round.
    let mut survivor: Option<ServerProcess> = None;
    for round in 0..rounds {
        let victim = start().await.unwrap();
        if postgres && survivor.is_none() {
            survivor = Some(start().await.unwrap());
        }
        let other = survivor.as_ref().map(|s| s.addr).unwrap_or(victim.addr);
        // The restarted server serves, with the session from before.
        let mut probe = Conn::new(victim.addr);
        let me = probe.send("GET", "/api/v1/session", &carol.headers(), None).await.unwrap();
        assert_eq!(me.status, 200, "round {round}: the restarted server knows the session");
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = vec![
            tokio::spawn(writer(victim.addr, carol.clone(), acme, format!("r{round} w0"), acked.clone(), stop.clone())),
            tokio::spawn(writer(other, carol.clone(), acme, format!("r{round} w1"), acked.clone(), stop.clone())),
            tokio::spawn(toggler(victim.addr, carol.clone(), acme, eve, acked.clone(), stop.clone())),
        ];
        // PostgreSQL commits over a socket and starts two instances: a
        // little longer for each round to acknowledge a few writes.
        let delay = if postgres { rng.gen_range(50..300) } else { rng.gen_range(10..200) };
        delays.push(delay);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        victim.kill().await;
        // Writers to the surviving instance finish their request and stop.
        stop.store(true, Ordering::SeqCst);
        for t in tasks {
            t.await.unwrap();
        }
        let snapshot = acked.lock().unwrap().clone();
        let stored = verify(&database, &snapshot, acme, eve, round).await;
        let mut g = acked.lock().unwrap();
        g.eve = Some(stored);
        g.eve_in_flight = None;
        drop(g);
        // Next round the other instance is the one killed.
        if postgres {
            survivor = None;
        }
    }
    if let Some(s) = survivor {
        s.kill().await;
    }
    let total = acked.lock().unwrap().assets.len();
    let mut conn = open(&database).await;
    let toggles: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action IN ('deactivated', 'reactivated')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    // A run that acknowledged little proves little.
    assert!(total >= 3 * rounds, "only {total} acknowledged writes over {rounds} rounds");
    assert!(toggles >= rounds as i64 / 2, "only {toggles} status changes over {rounds} rounds");
    // The durability the module claims, read back.
    let durability = if postgres {
        // fsync and synchronous commit: a commit is acknowledged once on disk.
        let fsync: String = sqlx::query_scalar("SELECT current_setting('fsync')").fetch_one(&mut conn).await.unwrap();
        let commit: String =
            sqlx::query_scalar("SELECT current_setting('synchronous_commit')").fetch_one(&mut conn).await.unwrap();
        assert_eq!((fsync.as_str(), commit.as_str()), ("on", "on"), "PostgreSQL commits durably");
        format!("PostgreSQL, two instances, fsync {fsync}, synchronous_commit {commit}")
    } else {
        // WAL in the file, and `synchronous = FULL` (2) on the server's connections.
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
        assert_eq!(journal, "wal", "the database file is in WAL mode");
        let pool = db::connect(&database).await.unwrap();
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&pool).await.unwrap();
        assert_eq!(synchronous, 2, "the server's connections use synchronous = FULL");
        pool.close().await;
        format!("SQLite, journal_mode {journal}, synchronous {synchronous} (FULL), integrity_check ok after every kill")
    };
    let _ = conn.close().await;
    println!(
        "crash safety: {rounds} SIGKILLs of the real server (seed {seed}), {total} acknowledged asset writes and {toggles} status changes, \
         0 lost (kills {}–{} ms into the writing); read back: {durability}",
        delays.iter().min().unwrap_or(&0),
        delays.iter().max().unwrap_or(&0)
    );
}
