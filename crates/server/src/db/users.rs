//! Users.

use domain::api::UserSummary;
use domain::i18n::Lang;
use sqlx::{AnyPool, FromRow};

/// A user with the stored password hash (for sign-in only).
#[derive(Debug, Clone, FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
}

/// The credentials of the user with this email, if any.
pub async fn credentials_by_email(pool: &AnyPool, email: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1").bind(email).fetch_optional(pool).await
}

/// A user's public summary.
pub async fn summary<'e, E: sqlx::AnyExecutor<'e>>(pool: E, id: i64) -> Result<Option<UserSummary>, sqlx::Error> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, email FROM users WHERE id = $1").bind(id).fetch_optional(pool).await?;
    Ok(row.map(|(id, name, email)| UserSummary { id, name, email }))
}

/// Stores a new user and returns its id.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The id and name of the user with this email.
pub async fn by_email<'e, E: sqlx::AnyExecutor<'e>>(ex: E, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM users WHERE email = $1").bind(email).fetch_optional(ex).await
}

/// A user's email.
pub async fn email_of<'e, E: sqlx::AnyExecutor<'e>>(ex: E, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(id).fetch_optional(ex).await
}

/// The language a user chose in the language menu, if any.
pub async fn language<'e, E: sqlx::AnyExecutor<'e>>(ex: E, id: i64) -> Result<Option<Lang>, sqlx::Error> {
    let tag: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM users WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(tag.flatten().and_then(|t| Lang::try_from(t).ok()))
}

/// The language to write to a user in: the one they chose, else the one
/// their browser last signed in with, else English.
pub async fn mail_language<'e, E: sqlx::AnyExecutor<'e>>(ex: E, id: i64) -> Result<Lang, sqlx::Error> {
    let tag: Option<Option<String>> =
        sqlx::query_scalar("SELECT COALESCE(language, seen_language) FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(tag.flatten().and_then(|t| Lang::try_from(t).ok()).unwrap_or_default())
}

/// Records the language a user chose.
pub async fn set_language(pool: &AnyPool, id: i64, lang: Lang) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2").bind(lang.tag()).bind(id).execute(pool).await?;
    Ok(())
}

/// Records the language a user's browser signed in with.
pub async fn set_seen_language(pool: &AnyPool, id: i64, lang: Lang) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET seen_language = $1 WHERE id = $2").bind(lang.tag()).bind(id).execute(pool).await?;
    Ok(())
}
