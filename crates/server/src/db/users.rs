//! Users.

use domain::api::UserSummary;
use sqlx::{FromRow, SqlitePool};

/// A user with the stored password hash (for sign-in only).
#[derive(Debug, Clone, FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
}

/// The credentials of the user with this email, if any.
pub async fn credentials_by_email(pool: &SqlitePool, email: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1").bind(email).fetch_optional(pool).await
}

/// A user's public summary.
pub async fn summary<'e, E: sqlx::SqliteExecutor<'e>>(pool: E, id: i64) -> Result<Option<UserSummary>, sqlx::Error> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, email FROM users WHERE id = $1").bind(id).fetch_optional(pool).await?;
    Ok(row.map(|(id, name, email)| UserSummary { id, name, email }))
}

/// Stores a new user and returns its id.
pub async fn insert(
    conn: &mut sqlx::SqliteConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query("INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .execute(conn)
        .await?
        .last_insert_rowid())
}

/// The id and name of the user with this email.
pub async fn by_email<'e, E: sqlx::SqliteExecutor<'e>>(
    ex: E,
    email: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM users WHERE email = $1").bind(email).fetch_optional(ex).await
}

/// A user's email.
pub async fn email_of<'e, E: sqlx::SqliteExecutor<'e>>(ex: E, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(id).fetch_optional(ex).await
}
