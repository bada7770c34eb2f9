//! Account settings reserved to super admins (R12).

use sqlx::{AnyConnection, AnyPool, FromRow};

/// The stored settings of an account (defaults when none were saved).
#[derive(Debug, Clone, Default, FromRow)]
pub struct SettingsRow {
    pub billing_contact: Option<String>,
    pub scim_token_created_at: Option<i64>,
    pub data_centre: Option<String>,
}

/// An account's settings.
pub async fn get(pool: &AnyPool, account_id: i64) -> Result<SettingsRow, sqlx::Error> {
    Ok(sqlx::query_as(
        "SELECT billing_contact, scim_token_created_at, data_centre FROM account_settings WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(pool)
    .await?
    .unwrap_or_default())
}

async fn ensure(conn: &mut AnyConnection, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO account_settings (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets the billing contact.
pub async fn set_billing_contact(
    conn: &mut AnyConnection,
    account_id: i64,
    contact: Option<&str>,
) -> Result<(), sqlx::Error> {
    ensure(conn, account_id).await?;
    sqlx::query("UPDATE account_settings SET billing_contact = $2 WHERE account_id = $1")
        .bind(account_id)
        .bind(contact)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the hash of a new SCIM token.
pub async fn set_scim_token(
    conn: &mut AnyConnection,
    account_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    ensure(conn, account_id).await?;
    sqlx::query("UPDATE account_settings SET scim_token_hash = $2, scim_token_created_at = $3 WHERE account_id = $1")
        .bind(account_id)
        .bind(token_hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets the data centre.
pub async fn set_data_centre(conn: &mut AnyConnection, account_id: i64, data_centre: &str) -> Result<(), sqlx::Error> {
    ensure(conn, account_id).await?;
    sqlx::query("UPDATE account_settings SET data_centre = $2 WHERE account_id = $1")
        .bind(account_id)
        .bind(data_centre)
        .execute(conn)
        .await?;
    Ok(())
}

/// The members of an account with their super admin flag, by name.
pub async fn members(pool: &AnyPool, account_id: i64) -> Result<Vec<(i64, String, String, bool)>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT u.id, u.name, u.email, m.super_admin FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.account_id = $1 ORDER BY {}, u.id",
        b.nocase("u.name")
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name, email, sa)| (id, name, email, sa != 0)).collect())
}
