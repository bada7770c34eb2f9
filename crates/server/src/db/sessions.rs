//! Server-side sessions, keyed by the SHA-256 of the session token.

use sqlx::{AnyPool, FromRow};

/// A stored session.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub current_account_id: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Made by the password of a user with a second factor, which it still
    /// waits for (R20): it grants nothing.
    pub pending_factor: i64,
}

/// The session with this token hash.
pub async fn find(pool: &AnyPool, id_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, csrf_token, current_account_id, created_at, last_seen_at, pending_factor FROM sessions \
         WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await
}

/// Stores a new session; `pending_factor` when it waits for the user's
/// second factor (R20).
pub async fn create(
    pool: &AnyPool,
    id_hash: &str,
    user_id: i64,
    csrf_token: &str,
    current_account_id: Option<i64>,
    now: i64,
    pending_factor: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, current_account_id, created_at, last_seen_at, \
         pending_factor) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(current_account_id)
    .bind(now)
    .bind(i64::from(pending_factor))
    .execute(pool)
    .await?;
    Ok(())
}

/// Ends a session.
pub async fn delete(pool: &AnyPool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
    Ok(())
}

/// Records activity on a session.
pub async fn touch(pool: &AnyPool, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// Remembers the account the user chose.
pub async fn set_account(pool: &AnyPool, id_hash: &str, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET current_account_id = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(account_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (their factors were reset or
/// changed: sessions made before are not trusted further).
pub async fn delete_others(pool: &AnyPool, user_id: i64, keep: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(())
}
