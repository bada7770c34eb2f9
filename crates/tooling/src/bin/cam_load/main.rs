//! Load run: 200 signed-in users at once against the real
//! server binary on loopback for 60 s, mixing reads and writes, each over its
//! own keep-alive connection. Every user works in a client account of their
//! own (where they are Partner Admin) on employees nobody else touches, so
//! the answer to every request is known in advance: an unexpected status is
//! an error, and the only 4xx are the intended ones (a change in another
//! user's client: 403 by R2; another partner's account: 404). Afterwards the
//! server is stopped and the database is checked: integrity, a super admin in
//! every account, and every acknowledged write present with its history.
//!
//! Run: `bash scripts/bench-load.sh` (release build). Environment:
//! `CAM_LOAD_USERS` (200), `CAM_LOAD_SECONDS` (60), `CAM_SERVER_BIN`.

mod ledger;
mod world;

use ledger::{check, Ledger};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use tooling::http_client::{Conn, Login};
use tooling::server_process::ServerProcess;
use world::{generate, World};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[derive(Default)]
struct Outcome {
    latencies: Vec<(bool, Duration)>,
    by_kind: BTreeMap<&'static str, u64>,
    errors: Vec<String>,
    ledger: Ledger,
}

async fn user_loop(addr: std::net::SocketAddr, w: Arc<World>, i: usize, start: Arc<Barrier>, seconds: u64) -> Outcome {
    let me = w.users[i].clone();
    let neighbour = w.users[(i + 1) % w.users.len()].clone();
    let mut conn = Conn::new(addr);
    let mut out = Outcome::default();
    let login = match Login::sign_in(&mut conn, &me.email, server::seed::DEMO_PASSWORD).await {
        Ok(l) => l,
        Err(e) => {
            out.errors.push(format!("{}: {e}", me.email));
            start.wait().await;
            return out;
        }
    };
    let h = login.headers();
    start.wait().await;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let p = w.partner;
    let mut n: u64 = i as u64;
    while Instant::now() < deadline {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let roll = (n >> 33) % 100;
        let l = &mut out.ledger;
        // (kind, write?, method, path, body, expected status)
        let (kind, write, method, path, body, expect): (&str, bool, &str, String, Option<String>, u16) = match roll {
            0..=11 => (
                "list clients",
                false,
                "GET",
                format!("/api/v1/accounts/{p}/cam/clients?q=Load%20Client%20{:03}", i % 1000),
                None,
                200,
            ),
            12..=21 => {
                ("client details", false, "GET", format!("/api/v1/accounts/{p}/cam/clients/{}", me.client), None, 200)
            }
            22..=27 => {
                ("employees", false, "GET", format!("/api/v1/accounts/{p}/cam/employees?q=target{i:03}"), None, 200)
            }
            28..=33 => {
                ("history", false, "GET", format!("/api/v1/accounts/{}/history?per_page=10", me.client), None, 200)
            }
            34..=39 => ("assets", false, "GET", format!("/api/v1/accounts/{}/assets", me.client), None, 200),
            40..=44 => ("session", false, "GET", "/api/v1/session".to_string(), None, 200),
            45..=54 => {
                let to = if l.set_is_service { "sales" } else { "service" };
                let body = format!("{{\"permission_set\":\"{to}\"}}");
                (
                    "change set",
                    true,
                    "PUT",
                    format!("/api/v1/accounts/{p}/cam/clients/{}/employees/{}/permission-set", me.client, me.re_set),
                    Some(body),
                    200,
                )
            }
            55..=64 => {
                let action = if l.toggled_deactivated { "reactivate" } else { "deactivate" };
                (
                    "deactivate/reactivate",
                    true,
                    "POST",
                    format!("/api/v1/accounts/{p}/cam/clients/{}/employees/{}/{action}", me.client, me.toggled),
                    None,
                    204,
                )
            }
            65..=71 => {
                if l.removed_gone {
                    let body = format!("{{\"user_ids\":[{}],\"permission_set\":\"sales\"}}", me.removed);
                    (
                        "add/remove",
                        true,
                        "POST",
                        format!("/api/v1/accounts/{p}/cam/clients/{}/employees", me.client),
                        Some(body),
                        200,
                    )
                } else {
                    let body = format!("{{\"user_ids\":[{}]}}", me.removed);
                    (
                        "add/remove",
                        true,
                        "POST",
                        format!("/api/v1/accounts/{p}/cam/clients/{}/remove-employees", me.client),
                        Some(body),
                        204,
                    )
                }
            }
            72..=81 => {
                let body = format!("{{\"kind\":\"contact\",\"name\":\"Load contact {i} {}\"}}", l.assets_created);
                ("create asset", true, "POST", format!("/api/v1/accounts/{}/assets", me.client), Some(body), 201)
            }
            82..=89 => {
                let body = format!("{{\"name\":\"Deal {i:03} v{}\"}}", l.renames + 1);
                (
                    "rename asset",
                    true,
                    "PATCH",
                    format!("/api/v1/accounts/{}/assets/{}", me.client, me.asset),
                    Some(body),
                    204,
                )
            }
            90..=95 => {
                // Intended refusal: not a Partner Admin in the neighbour's client (R2).
                let body = "{\"permission_set\":\"view_only\"}".to_string();
                (
                    "refused: R2",
                    true,
                    "PUT",
                    format!(
                        "/api/v1/accounts/{p}/cam/clients/{}/employees/{}/permission-set",
                        neighbour.client, neighbour.re_set
                    ),
                    Some(body),
                    403,
                )
            }
            _ => (
                "refused: other partner",
                false,
                "GET",
                format!("/api/v1/accounts/{}/cam/clients", w.other_partner),
                None,
                404,
            ),
        };
        let t = Instant::now();
        let res = conn.send(method, &path, &h, body.as_deref()).await;
        let took = t.elapsed();
        match res {
            Err(e) => out.errors.push(format!("{kind}: transport error {e}")),
            Ok(a) if a.status != expect => out.errors.push(format!(
                "{kind} {method} {path}: expected {expect}, got {} {}",
                a.status,
                String::from_utf8_lossy(&a.body)
            )),
            Ok(_) => {
                out.latencies.push((write, took));
                *out.by_kind.entry(kind).or_default() += 1;
                match kind {
                    "change set" => {
                        l.set_is_service = !l.set_is_service;
                        l.history_events += 1;
                    }
                    "deactivate/reactivate" => {
                        l.toggled_deactivated = !l.toggled_deactivated;
                        l.history_events += 1;
                    }
                    "add/remove" => {
                        l.removed_gone = !l.removed_gone;
                        l.history_events += 1;
                    }
                    "create asset" => l.assets_created += 1,
                    "rename asset" => l.renames += 1,
                    "refused: R2" => l.intended_403 += 1,
                    "refused: other partner" => l.intended_404 += 1,
                    _ => {}
                }
            }
        }
        if out.errors.len() > 20 {
            break;
        }
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

/// The invariants and the ledger against the stopped server's database.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let users = env_or("CAM_LOAD_USERS", 200) as usize;
    let seconds = env_or("CAM_LOAD_SECONDS", 60);
    let binary =
        PathBuf::from(std::env::var("CAM_SERVER_BIN").unwrap_or_else(|_| "target/server-release/cam-server".into()));
    let dir = tempfile::tempdir()?;
    // CAM_LOAD_DATABASE: an empty PostgreSQL database (postgres://…) to run
    // on instead of a new SQLite file; CAM_LOAD_INSTANCES: how many server
    // processes share it (users are spread over them in turn).
    let db_path =
        std::env::var("CAM_LOAD_DATABASE").unwrap_or_else(|_| dir.path().join("cam.db").display().to_string());
    let instances = env_or("CAM_LOAD_INSTANCES", 1).max(1) as usize;

    let t = Instant::now();
    let pool = server::db::connect(&db_path).await?;
    server::seed::demo(&pool, domain::UnixTime(0)).await?;
    let world = Arc::new(generate(&pool, users).await?);
    pool.close().await;
    println!(
        "generated {users} users, each with a client account, 3 employees and an asset, in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut servers = vec![];
    for _ in 0..instances {
        let flags = ["--sign-in-per-minute", "1000000", "--seed-demo", "false"];
        let server = ServerProcess::start(&binary, dir.path(), &db_path, &flags).await?;
        println!(
            "server {} listening on {} ({})",
            binary.display(),
            server.addr,
            server::db::Backend::of(&db_path).name()
        );
        servers.push(server);
    }
    let start = Arc::new(Barrier::new(users + 1));
    let tasks: Vec<_> = (0..users)
        .map(|i| tokio::spawn(user_loop(servers[i % instances].addr, world.clone(), i, start.clone(), seconds)))
        .collect();
    let signing_in = Instant::now();
    start.wait().await;
    println!(
        "{users} users signed in ({:.1} s); running {seconds} s of mixed reads and writes",
        signing_in.elapsed().as_secs_f64()
    );
    let run = Instant::now();
    let mut outcomes = vec![];
    for task in tasks {
        outcomes.push(task.await?);
    }
    let elapsed = run.elapsed().as_secs_f64();
    let mut status = vec![];
    for server in servers {
        status.push(server.stop().await?.to_string());
    }
    let status = status.join(", ");

    let mut all: Vec<Duration> = vec![];
    let mut reads = vec![];
    let mut writes = vec![];
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    let mut errors = vec![];
    for o in &outcomes {
        for (w, d) in &o.latencies {
            all.push(*d);
            if *w {
                writes.push(*d)
            } else {
                reads.push(*d)
            }
        }
        for (k, n) in &o.by_kind {
            *kinds.entry(k).or_default() += n;
        }
        errors.extend(o.errors.iter().cloned());
    }
    for v in [&mut all, &mut reads, &mut writes] {
        v.sort();
    }
    let ledgers: Vec<Ledger> = outcomes.iter().map(|o| o.ledger.clone()).collect();
    let intended: u64 = ledgers.iter().map(|l| l.intended_403 + l.intended_404).sum();
    let pool = server::db::connect(&db_path).await?;
    let problems = check(&pool, &world, &ledgers).await;

    println!();
    println!(
        "requests            {} in {elapsed:.1} s ({:.0}/s), server exit after SIGTERM: {status}",
        all.len(),
        all.len() as f64 / elapsed
    );
    println!(
        "latency all         p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        pct(&all, 0.5),
        pct(&all, 0.95),
        pct(&all, 0.99),
        pct(&all, 1.0)
    );
    println!(
        "latency reads       p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms",
        pct(&reads, 0.5),
        pct(&reads, 0.95),
        pct(&reads, 0.99)
    );
    println!(
        "latency writes      p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms",
        pct(&writes, 0.5),
        pct(&writes, 0.95),
        pct(&writes, 0.99)
    );
    println!("by kind             {}", kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", "));
    println!("intended 4xx        {intended} (403 by R2 in another user's client, 404 in another partner's account)");
    println!("errors              {} (unexpected status or transport error)", errors.len());
    for e in errors.iter().take(10) {
        println!("  {e}");
    }
    println!(
        "invariants          {}",
        if problems.is_empty() {
            "hold: integrity ok, a super admin in every account, every acknowledged write and its history stored, every refusal logged".to_string()
        } else {
            problems.join("; ")
        }
    );
    if !errors.is_empty() || !problems.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
