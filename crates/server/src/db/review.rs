//! R17 reads: the Access review's rows (every partner employee in every
//! client), filtered, searched, sorted by idle time and paged on the
//! indexes of migration 0012; the rows a bulk action names; the coverage
//! grid's cells.

use crate::db::like_pattern;
use crate::db::memberships::{MembershipRow, CUSTOM_SET_JOIN, MEMBERSHIP_COLUMNS};
use domain::api::{ReviewFilter, ReviewSort, SortDir};
use domain::time::DAY;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// When a membership last saw its employee act, or was given if never.
pub const IDLE_SINCE: &str = "COALESCE(m.last_activity_at, m.created_at)";

/// Both ids of a row as one number, as [`domain::api::RowKey::pack`] makes it.
pub const ROW_KEY: &str = "(m.account_id * 4294967296 + m.user_id)";

/// R14: "ending soon" means within this many days (as on the Clients tab).
pub use crate::db::client_list::ENDING_SOON_DAYS;

/// The validated filters of a review listing.
#[derive(Debug, Clone)]
pub struct ReviewFilterSql {
    pub q: Option<String>,
    pub filter: ReviewFilter,
    pub sort: ReviewSort,
    pub dir: SortDir,
    pub now: i64,
}

impl ReviewFilterSql {
    /// The WHERE clause (after the partner) with `$2` the filter's moment and `$3` the search.
    fn condition(&self, b: crate::db::Backend) -> String {
        let filter = match self.filter {
            // Every filter names `$2`, bound or not (SQLite counts the parameters).
            ReviewFilter::All => "CAST($2 AS BIGINT) IS NULL".to_string(),
            ReviewFilter::Idle30 | ReviewFilter::Idle60 | ReviewFilter::Idle90 => {
                format!("m.status = 'active' AND {IDLE_SINCE} < $2")
            }
            ReviewFilter::Never => {
                "m.status = 'active' AND m.last_activity_at IS NULL AND CAST($2 AS BIGINT) IS NULL".to_string()
            }
            ReviewFilter::Ending => "m.status = 'active' AND m.ends_at IS NOT NULL AND m.ends_at <= $2".to_string(),
            ReviewFilter::Deactivated => "m.status = 'deactivated' AND CAST($2 AS BIGINT) IS NULL".to_string(),
        };
        // Without a search, `$3` is bound as NULL and only the memberships are read.
        let search = if self.q.is_some() {
            format!("({} OR {} OR {})", b.like("u.name", "$3"), b.like("u.email", "$3"), b.like("c.crm_name", "$3"))
        } else {
            "CAST($3 AS TEXT) IS NULL".to_string()
        };
        format!("{filter} AND {search}")
    }

    /// The moment bound as `$2`.
    fn moment(&self) -> Option<i64> {
        match self.filter {
            ReviewFilter::Ending => Some(self.now + ENDING_SOON_DAYS * DAY),
            f => f.idle_days().map(|d| self.now - d * DAY),
        }
    }

    fn pattern(&self) -> Option<String> {
        self.q.as_deref().map(like_pattern)
    }

    fn order(&self, b: crate::db::Backend) -> String {
        // Idle descending (the default) is the oldest activity first.
        let (asc, desc) = ("ASC", "DESC");
        let flip = |d: SortDir| if d == SortDir::Asc { asc } else { desc };
        match self.sort {
            // One direction for the whole key: the index is read forwards or backwards.
            ReviewSort::Idle => {
                let dir = if self.dir == SortDir::Desc { asc } else { desc };
                format!("{IDLE_SINCE} {dir}, m.account_id {dir}, m.user_id {dir}")
            }
            ReviewSort::Client => {
                format!(
                    "{} {}, m.account_id, {}, m.user_id",
                    b.nocase("c.crm_name"),
                    flip(self.dir),
                    b.nocase("u.name")
                )
            }
            ReviewSort::Employee => {
                format!(
                    "{} {}, m.user_id, {}, m.account_id",
                    b.nocase("u.name"),
                    flip(self.dir),
                    b.nocase("c.crm_name")
                )
            }
        }
    }
}

const FROM: &str = "FROM memberships m \
     JOIN clients c ON c.partner_account_id = m.partner_account_id AND c.customer_account_id = m.account_id \
     JOIN users u ON u.id = m.user_id";

/// A review row as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewListRow {
    #[sqlx(flatten)]
    pub membership: MembershipRow,
    pub crm_name: String,
    pub name: String,
    pub email: String,
    pub created_at: i64,
}

/// One page of the partner's review rows.
pub async fn list(
    pool: &AnyPool,
    partner_id: i64,
    f: &ReviewFilterSql,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReviewListRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, c.crm_name, u.name, u.email, m.created_at {FROM} {CUSTOM_SET_JOIN} \
         WHERE m.partner_account_id = $1 AND {} ORDER BY {} LIMIT $4 OFFSET $5",
        f.condition(crate::db::Backend::of_pool(pool)),
        f.order(crate::db::Backend::of_pool(pool))
    ))
    .bind(partner_id)
    .bind(f.moment())
    .bind(f.pattern())
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// How many review rows match (without a search, on the memberships alone).
pub async fn count(pool: &AnyPool, partner_id: i64, f: &ReviewFilterSql) -> Result<i64, sqlx::Error> {
    // Every membership flagged with a partner is in one of its clients (the
    // client row is written whenever a partner's person joins an account),
    // so without a search the count reads the memberships' index alone.
    let from = if f.q.is_some() { FROM } else { "FROM memberships m" };
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) {from} WHERE m.partner_account_id = $1 AND {}",
        f.condition(crate::db::Backend::of_pool(pool))
    ))
    .bind(partner_id)
    .bind(f.moment())
    .bind(f.pattern())
    .fetch_one(pool)
    .await
}

/// Every matching row's key, in the listing's order (a bulk action on all
/// that match, as they are when it starts).
pub async fn matching_keys(pool: &AnyPool, partner_id: i64, f: &ReviewFilterSql) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT {ROW_KEY} {FROM} WHERE m.partner_account_id = $1 AND {} ORDER BY {}",
        f.condition(crate::db::Backend::of_pool(pool)),
        f.order(crate::db::Backend::of_pool(pool))
    ))
    .bind(partner_id)
    .bind(f.moment())
    .bind(f.pattern())
    .fetch_all(pool)
    .await
}

/// A membership a bulk action names, with what its report shows.
#[derive(Debug, Clone, FromRow)]
pub struct NamedMembership {
    #[sqlx(flatten)]
    pub membership: MembershipRow,
    pub crm_name: String,
    pub name: String,
}

/// The partner's employees' memberships among the given clients and users
/// (JSON arrays of ids): a superset of the rows named, which the caller
/// narrows to its keys.
pub async fn memberships_among(
    conn: &mut AnyConnection,
    partner_id: i64,
    clients_json: &str,
    users_json: &str,
) -> Result<Vec<NamedMembership>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, c.crm_name, u.name {FROM} {CUSTOM_SET_JOIN} \
         WHERE m.partner_account_id = $1 AND {} AND {}",
        b.in_id_list("m.account_id", "$2"),
        b.in_id_list("m.user_id", "$3")
    ))
    .bind(partner_id)
    .bind(clients_json)
    .bind(users_json)
    .fetch_all(conn)
    .await
}

/// The memberships of one user in the given accounts (any partner flag).
pub async fn memberships_of_user_in(
    conn: &mut AnyConnection,
    user_id: i64,
    clients_json: &str,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships m {CUSTOM_SET_JOIN} WHERE m.user_id = $1 AND {}",
        b.in_id_list("m.account_id", "$2")
    ))
    .bind(user_id)
    .bind(clients_json)
    .fetch_all(conn)
    .await
}

/// The super admins R9 counts on (active, with no end) per account, among
/// the given accounts.
pub async fn lasting_super_admin_counts(
    conn: &mut AnyConnection,
    clients_json: &str,
) -> Result<std::collections::HashMap<i64, usize>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT m.account_id, COUNT(*) FROM memberships m WHERE m.super_admin = 1 AND m.status = 'active' \
         AND m.ends_at IS NULL AND NOT EXISTS (SELECT 1 FROM partner_terms pt WHERE pt.account_id = m.account_id \
         AND pt.partner_account_id = m.partner_account_id AND pt.ends_at IS NOT NULL) AND {} GROUP BY m.account_id",
        b.in_id_list("m.account_id", "$1")
    ))
    .bind(clients_json)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(a, n)| (a, n as usize)).collect())
}

/// Assets each (account, owner) owns, among the given accounts and owners.
pub async fn asset_counts<'e, E: sqlx::AnyExecutor<'e>>(
    ex: E,
    b: crate::db::Backend,
    clients_json: &str,
    users_json: &str,
) -> Result<std::collections::HashMap<(i64, i64), i64>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT account_id, owner_user_id, COUNT(*) FROM assets WHERE {} AND {} GROUP BY account_id, owner_user_id",
        b.in_id_list("account_id", "$1"),
        b.in_id_list("owner_user_id", "$2")
    ))
    .bind(clients_json)
    .bind(users_json)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|(a, u, n)| ((a, u), n)).collect())
}

/// The partner's clients among the given ids, with their CRM names.
pub async fn clients_among<'e, E: sqlx::AnyExecutor<'e>>(
    ex: E,
    b: crate::db::Backend,
    partner_id: i64,
    clients_json: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT customer_account_id, crm_name FROM clients WHERE partner_account_id = $1 AND {}",
        b.in_id_list("customer_account_id", "$2")
    ))
    .bind(partner_id)
    .bind(clients_json)
    .fetch_all(ex)
    .await
}

/// Every client of the partner whose CRM name matches the search (all when
/// none), by name; with `member`, only those where `user_id` is a partner user.
pub async fn matching_clients(
    pool: &AnyPool,
    partner_id: i64,
    q: Option<&str>,
    member: Option<i64>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    sqlx::query_as(&format!(
        "SELECT c.customer_account_id, c.crm_name FROM clients c WHERE c.partner_account_id = $1 \
         AND ($2 IS NULL OR {}) \
         AND ($3 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = c.customer_account_id \
              AND m.user_id = $3 AND m.partner_account_id = $1)) \
         ORDER BY {}, c.customer_account_id",
        b.like("c.crm_name", "$2"),
        b.nocase("c.crm_name")
    ))
    .bind(partner_id)
    .bind(q.map(like_pattern))
    .bind(member)
    .fetch_all(pool)
    .await
}

/// The clients where the partner suspends, among the given ids (R16).
pub async fn suspended_among(
    conn: &mut AnyConnection,
    partner_id: i64,
    clients_json: &str,
) -> Result<std::collections::HashSet<i64>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let rows: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT account_id FROM partner_suspensions WHERE partner_account_id = $1 AND {}",
        b.in_id_list("account_id", "$2")
    ))
    .bind(partner_id)
    .bind(clients_json)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// One page of the partner's employees (the coverage grid's columns), by name.
pub async fn employee_columns(
    pool: &AnyPool,
    partner_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<(i64, String)>, i64), sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.account_id = $1 \
         ORDER BY {}, u.id LIMIT $2 OFFSET $3",
        b.nocase("u.name")
    ))
    .bind(partner_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1")
        .bind(partner_id)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

/// The partner's employees' memberships in the given clients for the given
/// employees: the coverage grid's filled cells.
pub async fn cells(
    pool: &AnyPool,
    partner_id: i64,
    clients_json: &str,
    users_json: &str,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships m {CUSTOM_SET_JOIN} \
         WHERE m.partner_account_id = $1 AND {} AND {}",
        b.in_id_list("m.account_id", "$2"),
        b.in_id_list("m.user_id", "$3")
    ))
    .bind(partner_id)
    .bind(clients_json)
    .bind(users_json)
    .fetch_all(pool)
    .await
}
