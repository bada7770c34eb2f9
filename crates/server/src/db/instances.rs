//! What several server instances on one database share: rate-limit hits
//! and scheduled work claimed once per period. (Outbox claims are in
//! [`crate::db::notifications`].)

use crate::db::begin_write;
use sqlx::AnyPool;

/// Records a hit on `key` in `bucket` at `now` unless `max` hits already
/// fall within the last `window` seconds; `Some(seconds to wait)` when
/// refused. Under the write lock, so two instances cannot both take the
/// last free hit.
pub async fn rate_limit_hit(
    pool: &AnyPool,
    bucket: &str,
    key: &str,
    now: i64,
    window: i64,
    max: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("DELETE FROM rate_limit_hits WHERE bucket = $1 AND key = $2 AND at <= $3")
        .bind(bucket)
        .bind(key)
        .bind(now - window)
        .execute(&mut *tx)
        .await?;
    let (hits, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_limit_hits WHERE bucket = $1 AND key = $2")
            .bind(bucket)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
    if hits >= max {
        tx.commit().await?;
        return Ok(Some((oldest.unwrap_or(now) + window - now).max(1)));
    }
    sqlx::query("INSERT INTO rate_limit_hits (bucket, key, at) VALUES ($1, $2, $3)")
        .bind(bucket)
        .bind(key)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(None)
}

/// Claims this period's run of the job `name` for `instance`: true for
/// exactly one instance per period (the one whose update moved
/// `next_run_at` on), however many ask at once.
pub async fn claim_job(pool: &AnyPool, name: &str, instance: &str, now: i64, period: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO scheduled_jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(now)
        .execute(pool)
        .await?;
    let claimed = sqlx::query(
        "UPDATE scheduled_jobs SET next_run_at = $3 + $4, last_run_by = $2, last_run_at = $3 \
         WHERE name = $1 AND next_run_at <= $3",
    )
    .bind(name)
    .bind(instance)
    .bind(now)
    .bind(period)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Housekeeping: deletes sessions past their idle or absolute limit and
/// rate-limit hits older than `hits_window`; returns (sessions, hits).
pub async fn sweep(
    pool: &AnyPool,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
    hits_window: i64,
) -> Result<(u64, u64), sqlx::Error> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - idle_secs)
        .bind(now - absolute_secs)
        .execute(pool)
        .await?
        .rows_affected();
    let hits = sqlx::query("DELETE FROM rate_limit_hits WHERE at <= $1")
        .bind(now - hits_window)
        .execute(pool)
        .await?
        .rows_affected();
    Ok((sessions, hits))
}
