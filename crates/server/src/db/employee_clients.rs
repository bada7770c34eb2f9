//! One partner employee across the partner's clients: where they are a
//! user (R6 step 1, R5), and removing them from many clients at once (R6).

use crate::db::memberships::MembershipRow;
use crate::db::memberships::CUSTOM_SET_JOIN;
use crate::db::memberships::MEMBERSHIP_COLUMNS;
use sqlx::AnyPool;
use sqlx::FromRow;

/// Client accounts of the partner where the user is a member (linked or not).
#[derive(Debug, Clone, FromRow)]
pub struct EmployeeClientRow {
    pub client_id: i64,
    pub crm_name: String,
    pub official_name: String,
    pub partner_account_id: Option<i64>,
    pub status: String,
    pub ends_at: Option<i64>,
}

/// The partner's client accounts where the user is a member, by CRM name.
pub async fn clients_of_employee(
    pool: &AnyPool,
    partner_id: i64,
    user_id: i64,
) -> Result<Vec<EmployeeClientRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    sqlx::query_as(&format!(
        "SELECT c.customer_account_id AS client_id, c.crm_name, a.name AS official_name, m.partner_account_id, m.status, m.ends_at \
         FROM clients c JOIN accounts a ON a.id = c.customer_account_id \
         JOIN memberships m ON m.account_id = c.customer_account_id AND m.user_id = $2 \
         WHERE c.partner_account_id = $1 AND (m.partner_account_id IS NULL OR m.partner_account_id = $1) \
         ORDER BY {}, c.customer_account_id",
        b.nocase("c.crm_name")
    ))
    .bind(partner_id)
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The employee's memberships, flagged with the partner, in those of the
/// given accounts (a JSON array of ids) that are the partner's clients.
pub async fn employee_memberships_in(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    user_id: i64,
    client_ids_json: &str,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships m {CUSTOM_SET_JOIN} \
         JOIN clients c ON c.customer_account_id = m.account_id AND c.partner_account_id = $1 \
         WHERE m.user_id = $2 AND m.partner_account_id = $1 AND {}",
        b.in_id_list("m.account_id", "$3")
    ))
    .bind(partner_id)
    .bind(user_id)
    .bind(client_ids_json)
    .fetch_all(conn)
    .await
}
