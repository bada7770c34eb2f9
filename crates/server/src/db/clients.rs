//! A partner's clients: client records and details, the managed
//! relationship (R10); the Clients tab's list is in [`crate::db::client_list`].

use crate::db::memberships::{MembershipRow, CUSTOM_SET_JOIN, MEMBERSHIP_COLUMNS};
use sqlx::{AnyPool, FromRow};

/// A client of the partner: the CRM record and the account.
#[derive(Debug, Clone, FromRow)]
pub struct ClientRecord {
    pub id: i64,
    pub crm_name: String,
    pub official_name: String,
    pub pricing_model: String,
    pub last_activity: i64,
}

/// The partner's client with this customer account id, if it is one.
pub async fn find<'e, E: sqlx::AnyExecutor<'e>>(
    pool: E,
    partner_id: i64,
    client_id: i64,
) -> Result<Option<ClientRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.customer_account_id AS id, c.crm_name, a.name AS official_name, \
                COALESCE(a.pricing_model, 'classic') AS pricing_model, c.last_partner_activity_at AS last_activity \
         FROM clients c JOIN accounts a ON a.id = c.customer_account_id \
         WHERE c.partner_account_id = $1 AND c.customer_account_id = $2",
    )
    .bind(partner_id)
    .bind(client_id)
    .fetch_optional(pool)
    .await
}

/// A partner employee inside a client, with the facts the details page shows.
#[derive(Debug, Clone, FromRow)]
pub struct ClientEmployeeRow {
    #[sqlx(flatten)]
    pub membership: MembershipRow,
    pub name: String,
    pub email: String,
    pub assets_owned: i64,
}

/// The partner's employees inside a client account, by name.
pub async fn employees_in_client(
    pool: &AnyPool,
    partner_id: i64,
    client_id: i64,
) -> Result<Vec<ClientEmployeeRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, u.name, u.email, \
                (SELECT COUNT(*) FROM assets s WHERE s.account_id = m.account_id AND s.owner_user_id = m.user_id) AS assets_owned \
         FROM memberships m JOIN users u ON u.id = m.user_id {CUSTOM_SET_JOIN} \
         WHERE m.account_id = $1 AND m.partner_account_id = $2 \
         ORDER BY {}, u.id",
        b.nocase("u.name")
    ))
    .bind(client_id)
    .bind(partner_id)
    .fetch_all(pool)
    .await
}

/// Records that `customer_id` is a client of `partner_id` under `crm_name`.
pub async fn insert_client(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    customer_id: i64,
    crm_name: &str,
    last_partner_activity_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO clients (partner_account_id, customer_account_id, crm_name, created_at, last_partner_activity_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(partner_id)
    .bind(customer_id)
    .bind(crm_name)
    .bind(now)
    .bind(last_partner_activity_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `customer_id` a client of `partner_id` (the CRM record named after
/// the account when there is none yet) and records partner activity now.
pub async fn ensure_client(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    customer_id: i64,
    account_name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO clients (partner_account_id, customer_account_id, crm_name, created_at, last_partner_activity_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (partner_account_id, customer_account_id) DO UPDATE SET last_partner_activity_at = excluded.last_partner_activity_at",
    )
    .bind(partner_id)
    .bind(customer_id)
    .bind(account_name)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Client accounts of the partner where the user works as its employee.
pub async fn client_count_of(pool: &AnyPool, partner_id: i64, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND partner_account_id = $2")
        .bind(user_id)
        .bind(partner_id)
        .fetch_one(pool)
        .await
}

/// The user's customer accounts, by name.
pub async fn customer_accounts_of(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    sqlx::query_as(&format!(
        "SELECT a.id, a.name FROM memberships m JOIN accounts a ON a.id = m.account_id \
         WHERE m.user_id = $1 AND a.kind = 'customer' ORDER BY {}",
        b.nocase("a.name")
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// R10: a partner employee wrote in the client account now.
pub async fn touch_partner_activity(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    client_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE clients SET last_partner_activity_at = $3 WHERE partner_account_id = $1 AND customer_account_id = $2",
    )
    .bind(partner_id)
    .bind(client_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
