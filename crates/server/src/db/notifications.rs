//! In-app notifications and the email outbox.

use sqlx::{AnyConnection, AnyPool, FromRow};

/// An email as queued: recipient, subject and text, in the recipient's language.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Stores a notification for a user (its kind, parameters as a JSON object,
/// and its English wording) and queues its email; returns the notification id.
#[allow(clippy::too_many_arguments)]
pub async fn notify(
    conn: &mut AnyConnection,
    user_id: i64,
    kind: &str,
    params: &str,
    title: &str,
    body: &str,
    email: &Mail,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO notifications (user_id, kind, params, title, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(params)
    .bind(title)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (notification_id, recipient, subject, body, state, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 'queued', $5, $5)",
    )
    .bind(id)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// A notification as stored.
#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub params: String,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// The newest notifications of a user.
pub async fn latest(pool: &AnyPool, user_id: i64, limit: i64) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, params, title, body, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How many notifications the user has not read.
pub async fn unread(pool: &AnyPool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Marks every notification of the user read.
pub async fn mark_all_read(pool: &AnyPool, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// An email waiting to be sent.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// How long a claimed email stays with the instance that claimed it: longer
/// than a delivery attempt takes (the SMTP timeout is 10 s). An instance that
/// dies holding a claim leaves it to run out; another then sends the email.
pub const LEASE_SECS: i64 = 120;

/// Claims up to `limit` emails due for a delivery attempt for `instance`,
/// until `now + LEASE_SECS`. One statement on both backends; on PostgreSQL
/// rows another instance is claiming are skipped (`FOR UPDATE SKIP LOCKED`),
/// so two instances never claim the same email.
pub async fn claim_due(pool: &AnyPool, instance: &str, now: i64, limit: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let skip_locked = match b {
        crate::db::Backend::Sqlite => "",
        crate::db::Backend::Postgres => "FOR UPDATE SKIP LOCKED",
    };
    let free = "state = 'queued' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)";
    let mut rows: Vec<OutboxRow> = sqlx::query_as(&format!(
        "UPDATE outbox SET claimed_by = $1, lease_until = $2 + $3 \
         WHERE {free} AND id IN (SELECT id FROM outbox WHERE {free} ORDER BY next_attempt_at, id LIMIT $4 {skip_locked}) \
         RETURNING id, recipient, subject, body, attempts"
    ))
    .bind(instance)
    .bind(now)
    .bind(LEASE_SECS)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Records a successful delivery by the instance holding the claim.
pub async fn mark_sent(pool: &AnyPool, id: i64, instance: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL, \
         claimed_by = NULL, lease_until = NULL WHERE id = $1 AND claimed_by = $3",
    )
    .bind(id)
    .bind(now)
    .bind(instance)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: queued again at `retry_at`, or failed for good when `None`.
pub async fn mark_attempt_failed(
    pool: &AnyPool,
    id: i64,
    instance: &str,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
         state = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'queued' END, next_attempt_at = COALESCE($3, next_attempt_at), \
         claimed_by = NULL, lease_until = NULL \
         WHERE id = $1 AND claimed_by = $4",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .bind(instance)
    .execute(pool)
    .await?;
    Ok(())
}
