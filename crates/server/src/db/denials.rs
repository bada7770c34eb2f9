//! The denial log: refused requests of signed-in users (append-only).

use sqlx::AnyPool;

/// One refused request.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Denial {
    pub at: i64,
    pub user_id: Option<i64>,
    pub account_id: Option<i64>,
    pub method: String,
    pub route: String,
    pub code: String,
    pub message: String,
}

/// Appends a denial.
pub async fn record(pool: &AnyPool, d: &Denial) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO denials (at, user_id, account_id, method, route, code, message) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.at)
    .bind(d.user_id)
    .bind(d.account_id)
    .bind(&d.method)
    .bind(&d.route)
    .bind(&d.code)
    .bind(&d.message)
    .execute(pool)
    .await?;
    Ok(())
}

/// The newest denials, newest first.
pub async fn latest(pool: &AnyPool, limit: i64) -> Result<Vec<Denial>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, user_id, account_id, method, route, code, message FROM denials ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
