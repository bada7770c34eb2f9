//! Assets of customer accounts.

use sqlx::{AnyConnection, AnyPool};

/// A listed asset: id, kind, name, owner id, owner name, updated at, total.
pub type AssetListRow = (i64, String, String, Option<i64>, Option<String>, i64, i64);

/// One page of an account's assets by name, searched and filtered by owner.
pub async fn list(
    pool: &AnyPool,
    account_id: i64,
    q: Option<&str>,
    owner: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AssetListRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let name_like = b.like("s.name", "$2");
    sqlx::query_as(&format!(
        "SELECT s.id, s.kind, s.name, s.owner_user_id, u.name, s.updated_at, COUNT(*) OVER () \
         FROM assets s LEFT JOIN users u ON u.id = s.owner_user_id \
         WHERE s.account_id = $1 AND ($2 IS NULL OR {name_like}) AND ($3 IS NULL OR s.owner_user_id = $3) \
         ORDER BY {}, s.id LIMIT $4 OFFSET $5",
        b.nocase("s.name")
    ))
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
    conn: &mut AnyConnection,
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
    conn: &mut AnyConnection,
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

/// Stores an asset owned by `owner_user_id`.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    kind: domain::AssetKind,
    name: &str,
    owner_user_id: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("INSERT INTO assets (account_id, kind, name, owner_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
        .bind(account_id)
        .bind(kind.key())
        .bind(name)
        .bind(owner_user_id)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// Assets an owner has in an account, by kind and name.
pub async fn of_owner<'e, E: sqlx::AnyExecutor<'e>>(
    ex: E,
    b: crate::db::Backend,
    account_id: i64,
    owner_id: i64,
) -> Result<Vec<domain::api::AssetSummary>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, kind, name FROM assets WHERE account_id = $1 AND owner_user_id = $2 ORDER BY kind, {}, id",
        b.nocase("name")
    ))
    .bind(account_id)
    .bind(owner_id)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, name)| {
            domain::AssetKind::parse(&kind).map(|kind| domain::api::AssetSummary { id, kind, name })
        })
        .collect())
}
