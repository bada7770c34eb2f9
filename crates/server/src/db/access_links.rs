//! Access links: live link per employee and partner, issue and revoke.

use sqlx::{AnyConnection, FromRow};

/// A stored link (never the token itself).
#[derive(Debug, Clone, FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub user_id: i64,
    pub partner_account_id: i64,
    pub nonce: String,
    pub token_hash: String,
    pub created_at: i64,
}

/// The live link of an employee for a partner.
pub async fn live(conn: &mut AnyConnection, user_id: i64, partner_id: i64) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, partner_account_id, nonce, token_hash, created_at FROM access_links \
         WHERE user_id = $1 AND partner_account_id = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(partner_id)
    .fetch_optional(conn)
    .await
}

/// The live link whose token hashes to `token_hash`.
pub async fn live_by_hash(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, partner_account_id, nonce, token_hash, created_at FROM access_links \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// Stores a new live link unless one exists already (the partial unique index
/// decides under concurrency); returns whether it was stored.
pub async fn insert_if_none(
    conn: &mut AnyConnection,
    user_id: i64,
    partner_id: i64,
    nonce: &str,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO access_links (user_id, partner_account_id, nonce, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(partner_id)
    .bind(nonce)
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes the live link of an employee for a partner.
pub async fn revoke_live(
    conn: &mut AnyConnection,
    user_id: i64,
    partner_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE access_links SET revoked_at = $3 WHERE user_id = $1 AND partner_account_id = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(partner_id)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}
