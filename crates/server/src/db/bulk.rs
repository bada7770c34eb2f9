//! R17 writes: bulk jobs and their per-row reports (a chunk's decisions
//! are applied by [`crate::changes`], set-wise), and the helpers of
//! multi-row statements.

use domain::api::{JobKind, JobState};
use sqlx::{AnyConnection, AnyPool, FromRow};

/// Rows per multi-row `INSERT` (well under either backend's parameter limit).
pub const INSERT_ROWS: usize = 500;

/// A JSON array of numbers.
pub fn json_ids(ids: impl IntoIterator<Item = i64>) -> String {
    let ids: Vec<i64> = ids.into_iter().collect();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
}

/// `($n, $n+1, …)` groups for a multi-row `VALUES`.
pub fn values(rows: usize, per_row: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (1..=per_row).map(|c| format!("${}", r * per_row + c)).collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new job.
pub struct NewJob {
    pub partner_id: i64,
    pub actor_id: i64,
    pub target_id: Option<i64>,
    pub kind: JobKind,
    pub permission_set: Option<String>,
    pub total: i64,
    pub now: i64,
}

/// Records a running job with what it works through (`work`, JSON: any
/// instance can resume it) and the acting session's hash (SHA-256 of the
/// token, never the token); its id.
pub async fn create_job(pool: &AnyPool, j: &NewJob, work: &str, session_hash: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO bulk_jobs (partner_account_id, actor_user_id, target_user_id, kind, permission_set, state, total, \
         started_at, progress_at, work, session_hash) VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $7, $8, $9) RETURNING id",
    )
    .bind(j.partner_id)
    .bind(j.actor_id)
    .bind(j.target_id)
    .bind(j.kind.key())
    .bind(j.permission_set.as_deref())
    .bind(j.total)
    .bind(j.now)
    .bind(work)
    .bind(session_hash)
    .fetch_one(pool)
    .await
}

/// A running job as its leaseholder needs it.
#[derive(Debug, Clone, FromRow)]
pub struct LeasedJob {
    pub id: i64,
    pub partner_account_id: i64,
    pub actor_user_id: Option<i64>,
    pub work: Option<String>,
    pub session_hash: Option<String>,
    pub processed: i64,
    pub started_at: i64,
}

/// Takes the lease of a running job nobody holds (never leased, or its
/// lease ran out at `now`, in real seconds) for `instance` until `now +
/// lease`: job `only` when given, else the oldest. One statement, so two
/// instances asking at once never both get it.
pub async fn claim(
    pool: &AnyPool,
    only: Option<i64>,
    instance: &str,
    now: i64,
    lease: i64,
) -> Result<Option<LeasedJob>, sqlx::Error> {
    // Running and nobody's: in the pick and again on the row itself (which
    // another instance may have taken between the two).
    const FREE: &str = "state = 'running' AND (lease_until IS NULL OR lease_until <= $2)";
    sqlx::query_as(&format!(
        "UPDATE bulk_jobs SET lease_by = $1, lease_until = $2 + $3 \
         WHERE id = (SELECT id FROM bulk_jobs WHERE {FREE} AND ($4 IS NULL OR id = $4) ORDER BY id LIMIT 1) AND {FREE} \
         RETURNING id, partner_account_id, actor_user_id, work, session_hash, processed, started_at"
    ))
    .bind(instance)
    .bind(now)
    .bind(lease)
    .bind(only)
    .fetch_optional(pool)
    .await
}

/// Renews `instance`'s lease on a running job, as the first statement of a
/// chunk's transaction (the row stays locked until it commits); how many
/// rows the job has decided, or none when the lease is no longer this
/// instance's (another took the job over: this one stops).
pub async fn renew(
    conn: &mut AnyConnection,
    job_id: i64,
    instance: &str,
    now: i64,
    lease: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE bulk_jobs SET lease_until = $3 + $4 WHERE id = $1 AND lease_by = $2 AND state = 'running' \
         RETURNING processed",
    )
    .bind(job_id)
    .bind(instance)
    .bind(now)
    .bind(lease)
    .fetch_optional(conn)
    .await
}

/// One decided row of a job: `refusal` is the refusal as JSON, none when done.
pub struct Outcome {
    pub client_id: i64,
    pub user_id: i64,
    pub refusal: Option<String>,
}

/// Records a chunk's outcomes (numbered from `first_seq`) and the job's
/// progress, in the chunk's own transaction.
pub async fn record_outcomes(
    conn: &mut AnyConnection,
    job_id: i64,
    first_seq: i64,
    outcomes: &[Outcome],
    now: i64,
) -> Result<(), sqlx::Error> {
    for (n, chunk) in outcomes.chunks(INSERT_ROWS).enumerate() {
        let sql = format!(
            "INSERT INTO bulk_job_results (job_id, seq, client_id, user_id, refusal) VALUES {}",
            values(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for (i, o) in chunk.iter().enumerate() {
            let seq = first_seq + (n * INSERT_ROWS + i) as i64;
            q = q.bind(job_id).bind(seq).bind(o.client_id).bind(o.user_id).bind(o.refusal.as_deref());
        }
        q.execute(&mut *conn).await?;
    }
    let refused = outcomes.iter().filter(|o| o.refusal.is_some()).count() as i64;
    let done = outcomes.len() as i64 - refused;
    sqlx::query(
        "UPDATE bulk_jobs SET processed = processed + $2, done = done + $3, refused = refused + $4, progress_at = $5 \
         WHERE id = $1",
    )
    .bind(job_id)
    .bind(done + refused)
    .bind(done)
    .bind(refused)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a job `instance` holds: done, or failed with an error.
pub async fn finish_job(
    pool: &AnyPool,
    job_id: i64,
    instance: &str,
    state: JobState,
    error: Option<&str>,
    now: i64,
    elapsed_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE bulk_jobs SET state = $2, error = $3, finished_at = $4, elapsed_ms = $5, lease_until = NULL \
         WHERE id = $1 AND lease_by = $6 AND state = 'running'",
    )
    .bind(job_id)
    .bind(state.key())
    .bind(error)
    .bind(now)
    .bind(elapsed_ms)
    .bind(instance)
    .execute(pool)
    .await?;
    Ok(())
}

/// A job as stored, with names resolved.
#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub permission_set: Option<String>,
    pub total: i64,
    pub processed: i64,
    pub done: i64,
    pub refused: i64,
    pub actor: Option<String>,
    pub employee: Option<String>,
    pub started_at: i64,
    pub progress_at: i64,
    pub finished_at: Option<i64>,
    pub elapsed_ms: Option<i64>,
}

const JOB_SELECT: &str = "SELECT j.id, j.kind, j.state, j.permission_set, j.total, j.processed, j.done, j.refused, \
     au.name AS actor, tu.name AS employee, j.started_at, j.progress_at, j.finished_at, j.elapsed_ms \
     FROM bulk_jobs j LEFT JOIN users au ON au.id = j.actor_user_id LEFT JOIN users tu ON tu.id = j.target_user_id";

/// One of the partner's jobs.
pub async fn find_job(pool: &AnyPool, partner_id: i64, job_id: i64) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("{JOB_SELECT} WHERE j.partner_account_id = $1 AND j.id = $2"))
        .bind(partner_id)
        .bind(job_id)
        .fetch_optional(pool)
        .await
}

/// The partner's latest jobs, newest first.
pub async fn recent_jobs(pool: &AnyPool, partner_id: i64, limit: i64) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("{JOB_SELECT} WHERE j.partner_account_id = $1 ORDER BY j.id DESC LIMIT $2"))
        .bind(partner_id)
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// A job's outcome with names resolved.
#[derive(Debug, Clone, FromRow)]
pub struct OutcomeRow {
    pub client_id: i64,
    pub crm_name: Option<String>,
    pub user_id: i64,
    pub name: Option<String>,
    pub refusal: Option<String>,
}

/// A page of a job's outcomes in order (only the refused ones with `refused_only`).
pub async fn outcomes(
    pool: &AnyPool,
    partner_id: i64,
    job_id: i64,
    refused_only: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<OutcomeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.client_id, c.crm_name, r.user_id, u.name, r.refusal FROM bulk_job_results r \
         LEFT JOIN clients c ON c.partner_account_id = $1 AND c.customer_account_id = r.client_id \
         LEFT JOIN users u ON u.id = r.user_id \
              AND EXISTS (SELECT 1 FROM memberships pm WHERE pm.account_id = $1 AND pm.user_id = r.user_id) \
         WHERE r.job_id = $2 AND ($3 = 0 OR r.refusal IS NOT NULL) ORDER BY r.seq LIMIT $4 OFFSET $5",
    )
    .bind(partner_id)
    .bind(job_id)
    .bind(i64::from(refused_only))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
