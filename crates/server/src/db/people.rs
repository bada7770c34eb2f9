//! The people lists: a partner's employees (Client Access Manager) and an
//! account's users (Settings > Users & Teams), filtered, sorted and paged.

use crate::db::like_pattern;
use crate::db::memberships::MembershipRow;
use crate::db::memberships::CUSTOM_SET_JOIN;
use crate::db::memberships::MEMBERSHIP_COLUMNS;
use domain::api::EmployeeSort;
use domain::api::SortDir;
use sqlx::AnyPool;
use sqlx::FromRow;

/// Filters and paging of a people list.
#[derive(Debug, Clone)]
pub struct PeopleFilter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub seat: Option<&'static str>,
    pub partner: Option<bool>,
    pub sort: EmployeeSort,
    pub dir: SortDir,
    pub limit: i64,
    pub offset: i64,
}

impl PeopleFilter {
    fn order(&self, b: crate::db::Backend, clients_column: &str) -> String {
        let dir = match self.dir {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        };
        let col = match self.sort {
            EmployeeSort::Name => &b.nocase("u.name"),
            EmployeeSort::Email => "u.email",
            EmployeeSort::Clients => clients_column,
            EmployeeSort::Status => "m.status",
        };
        format!("{col} {dir}, {} ASC, u.id ASC", b.nocase("u.name"))
    }
}

/// A member of an account with the facts the people lists show.
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    #[sqlx(flatten)]
    pub membership: MembershipRow,
    pub name: String,
    pub email: String,
    /// Employees tab: the partner's clients the person works in.
    pub clients: i64,
    /// Users & Teams: the partner the person works for.
    pub partner_name: Option<String>,
    /// Employees tab: the soonest end of the person's active access to the partner's clients (R14).
    pub next_end: Option<i64>,
    /// Employees tab: how many of those accesses have an end.
    pub ends: i64,
    pub total: i64,
}

/// One page of a partner account's employees.
pub async fn partner_employees(
    pool: &AnyPool,
    partner_id: i64,
    f: &PeopleFilter,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    let clients =
        "(SELECT COUNT(*) FROM memberships cm WHERE cm.user_id = m.user_id AND cm.partner_account_id = m.account_id)";
    let ending = "FROM memberships cm WHERE cm.user_id = m.user_id \
                  AND cm.partner_account_id = m.account_id AND cm.status = 'active' AND cm.ends_at IS NOT NULL";
    let ends = format!("(SELECT MIN(cm.ends_at) {ending}) AS next_end, (SELECT COUNT(*) {ending}) AS ends");
    people(pool, partner_id, f, clients, &ends).await
}

/// One page of an account's users (Settings > Users & Teams).
pub async fn account_users(pool: &AnyPool, account_id: i64, f: &PeopleFilter) -> Result<Vec<PersonRow>, sqlx::Error> {
    people(pool, account_id, f, "0", "CAST(NULL AS BIGINT) AS next_end, 0 AS ends").await
}

/// `ends_sql` selects the columns `next_end` and `ends`.
async fn people(
    pool: &AnyPool,
    account_id: i64,
    f: &PeopleFilter,
    clients_sql: &str,
    ends_sql: &str,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let order = f.order(b, "clients");
    let (name_like, email_like) = (b.like("u.name", "$2"), b.like("u.email", "$2"));
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, u.name, u.email, {clients_sql} AS clients, {ends_sql}, pa.name AS partner_name, COUNT(*) OVER () AS total \
         FROM memberships m JOIN users u ON u.id = m.user_id {CUSTOM_SET_JOIN} \
         LEFT JOIN accounts pa ON pa.id = m.partner_account_id \
         WHERE m.account_id = $1 AND ($2 IS NULL OR {name_like} OR {email_like}) \
           AND ($5 IS NULL OR ($5 = 'super_admin' AND m.super_admin = 1) OR (m.super_admin = 0 AND m.permission_set = $5)) \
           AND ($6 IS NULL OR m.seat = $6) \
           AND ($7 IS NULL OR ($7 = 1 AND m.partner_account_id IS NOT NULL) OR ($7 = 0 AND m.partner_account_id IS NULL)) \
         ORDER BY {order} LIMIT $3 OFFSET $4"
    ))
    .bind(account_id)
    .bind(f.q.as_deref().map(like_pattern))
    .bind(f.limit)
    .bind(f.offset)
    .bind(f.role.as_deref())
    .bind(f.seat)
    .bind(f.partner.map(i64::from))
    .fetch_all(pool)
    .await
}
