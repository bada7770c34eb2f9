//! R18's measure: a client lowering one partner's ceiling over 500 of its
//! people in one account (every one of them narrowed, with history, in one
//! transaction), through the router as the client's super admin.

use super::{Client, EMPLOYEES};
use axum::http::{Method, StatusCode};
use server::{db, AppState};
use std::time::{Duration, Instant};

/// Runs of the lowering, each from the same starting point.
const RUNS: usize = 11;

/// Sets up a customer account where Northwind's 500 scale employees are
/// Partner Admins and Carol (demo) is super admin, then lowers Northwind's
/// ceiling there to *Sales* `RUNS` times (permissions and ceiling put back
/// between runs). Prints p50/p95 against the floor — the same narrowing
/// written with plain SQL (500 rows updated, 500 history rows) — and
/// judges p95 <= 500 ms.
pub async fn measure(
    state: &AppState,
    carol: &Client,
    partner: i64,
    results: &mut Vec<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    let pool = &state.db;
    let now = state.clock.now().0;
    let account: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (name, kind, pricing_model, created_at) VALUES ('Scale Terms Client', 'customer', 'classic', $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(pool)
    .await?;
    let carol_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'carol@acme.example'").fetch_one(pool).await?;
    sqlx::query(
        "INSERT INTO memberships (account_id, user_id, super_admin, seat, created_at) VALUES ($1, $2, 1, 'core', $3)",
    )
    .bind(account)
    .bind(carol_id)
    .bind(now)
    .execute(pool)
    .await?;
    // The scale employees: the partner's newest members (LIKE is not
    // available on PostgreSQL's case-insensitive email column).
    let people: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM memberships WHERE account_id = $1 ORDER BY user_id DESC LIMIT $2")
            .bind(partner)
            .bind(EMPLOYEES as i64)
            .fetch_all(pool)
            .await?;
    assert_eq!(people.len(), EMPLOYEES);
    for id in &people {
        sqlx::query(
            "INSERT INTO memberships (account_id, user_id, permission_set, seat, partner_account_id, created_at) \
             VALUES ($1, $2, 'partner_admin', 'partner', $3, $4)",
        )
        .bind(account)
        .bind(id)
        .bind(partner)
        .bind(now)
        .execute(pool)
        .await?;
    }
    let reset = || async {
        sqlx::query("UPDATE memberships SET perms_added = '', perms_removed = '' WHERE account_id = $1")
            .bind(account)
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM partner_terms WHERE account_id = $1").bind(account).execute(pool).await?;
        Ok::<(), sqlx::Error>(())
    };
    let uri = format!("/api/v1/accounts/{account}/partner-access/{partner}/ceiling");
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        reset().await?;
        let body = serde_json::json!({ "permission_set": "sales" });
        let (status, t, bytes) = carol.send(Method::PUT, &uri, Some(body)).await;
        assert_eq!(status, StatusCode::OK);
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(answer["people"], EMPLOYEES as u64, "every person narrowed");
        runs.push(t);
    }
    // The floor: the same rows written with plain SQL in one transaction.
    let removed = domain::StandardSet::PartnerAdmin.perms().difference(domain::StandardSet::Sales.perms()).to_keys();
    let mut floors = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        reset().await?;
        let started = Instant::now();
        let mut tx = pool.begin().await?;
        sqlx::query(
            "UPDATE memberships SET perms_removed = $2 WHERE account_id = $1 AND partner_account_id IS NOT NULL",
        )
        .bind(account)
        .bind(&removed)
        .execute(&mut *tx)
        .await?;
        for chunk in people.chunks(100) {
            let sql = format!(
                "INSERT INTO history (at, account_id, target_user_id, action, detail, partner_account_id) VALUES {}",
                db::bulk::values(chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(now).bind(account).bind(*id).bind("ceiling_set").bind("").bind(partner);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        floors.push(started.elapsed());
    }
    runs.sort();
    floors.sort();
    let p = |v: &[Duration], q: f64| super::percentile(v, q);
    let (p50, p95, floor) = (p(&runs, 0.5), p(&runs, 0.95), p(&floors, 0.95));
    let name = format!("Lower a ceiling over {EMPLOYEES} people");
    let ratio = p95.as_secs_f64() / floor.as_secs_f64().max(1e-9);
    println!(
        "{name:<44} {:>9} {:>9} {:>9} {ratio:>6.1}x {:>7}  p95 <= 500 ms {}",
        super::ms(p50),
        super::ms(p95),
        super::ms(floor),
        "",
        if p95.as_millis() <= 500 { "ok" } else { "OVER" }
    );
    results.push(serde_json::json!({
        "measure": name, "p50": super::secs_ms(p50), "p95": super::secs_ms(p95), "floor_p95": super::secs_ms(floor),
    }));
    Ok(())
}
