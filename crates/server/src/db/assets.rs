//! Assets of customer accounts.

use sqlx::{SqliteConnection, SqlitePool};

/// A listed asset: id, kind, name, owner id, owner name, updated at, total.
pub type AssetListRow = (i64, String, String, Option<i64>, Option<String>, i64, i64);

/// One page of an account's assets by name, searched and filtered by owner.
pub async fn list(
    pool: &SqlitePool,
    account_id: i64,
    q: Option<&str>,
    owner: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AssetListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.kind, s.name, s.owner_user_id, u.name, s.updated_at, COUNT(*) OVER () \
         FROM assets s LEFT JOIN users u ON u.id = s.owner_user_id \
         WHERE s.account_id = $1 AND ($2 IS NULL OR s.name LIKE $2 ESCAPE '\\') AND ($3 IS NULL OR s.owner_user_id = $3) \
         ORDER BY s.name COLLATE NOCASE, s.id LIMIT $4 OFFSET $5",
    )
    .bind(account_id)
    .bind(q.map(crate::db::like_pattern))
    .bind(owner)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// An asset of the account: kind, name, owner.
pub async fn find(
    conn: &mut SqliteConnection,
    account_id: i64,
    asset_id: i64,
) -> Result<Option<(String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, name, owner_user_id FROM assets WHERE id = $1 AND account_id = $2")
        .bind(asset_id)
        .bind(account_id)
        .fetch_optional(conn)
        .await
}

/// Renames and/or reassigns an asset.
pub async fn update(
    conn: &mut SqliteConnection,
    account_id: i64,
    asset_id: i64,
    name: &str,
    owner: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assets SET name = $3, owner_user_id = $4, updated_at = $5 WHERE id = $1 AND account_id = $2")
        .bind(asset_id)
        .bind(account_id)
        .bind(name)
        .bind(owner)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
