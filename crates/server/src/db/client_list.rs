//! The Clients tab's one query: a page of the partner's clients as one
//! user sees them, filtered, searched and sorted (set-wise and page-first, so
//! that it stays fast at 10,000 clients), with each client's soonest end of
//! access (R14).

use crate::db::{like_pattern, Backend};
use domain::api::{ClientSort, SortDir};
use domain::rules::RELATIONSHIP_GRACE_DAYS;
use domain::time::DAY;
use sqlx::{AnyPool, FromRow};

/// The access type of membership `mm` (NULL when there is none), as the
/// stable name of [`domain::AccessType`]; computed in SQL so that lists can be
/// filtered and paged there. A unit test keeps it equal to
/// `Membership::access_type`.
pub const ACCESS_TYPE_SQL: &str = "CASE WHEN mm.user_id IS NULL THEN 'none' \
     WHEN mm.status = 'deactivated' THEN 'deactivated' \
     WHEN mm.super_admin = 1 THEN 'super_admin' \
     WHEN mm.permission_set = 'partner_admin' THEN 'partner_admin' \
     ELSE 'other_set' END";

/// Filters and paging of the Clients tab.
#[derive(Debug, Clone)]
pub struct ClientFilter {
    pub q: Option<String>,
    /// Access type names to keep.
    pub access: Vec<&'static str>,
    /// Only clients where some of the partner's people lose access within
    /// [`ENDING_SOON_DAYS`] (R14).
    pub ending: bool,
    /// Only clients whose relationship ends within [`ENDING_SOON_DAYS`] (R18).
    pub relationship_ending: bool,
    pub sort: ClientSort,
    pub dir: SortDir,
    pub limit: i64,
    pub offset: i64,
}

/// A row of the Clients tab as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ClientListRow {
    pub id: i64,
    pub crm_name: String,
    pub official_name: String,
    pub last_activity: i64,
    pub my_access: String,
    pub my_set: Option<String>,
    pub my_custom_set_name: Option<String>,
    pub employees: i64,
    pub active_employees: i64,
    /// The soonest end date of the partner's active people there (R14).
    pub next_end: Option<i64>,
    /// Whose end `next_end` is (the first by name when several share it).
    pub next_end_name: Option<String>,
    /// How many of the partner's active people there have an end.
    pub ends: i64,
    /// 1 when the client sets a ceiling for the partner (R18).
    pub ceiling: i64,
    /// When the client ends its relationship with the partner (R18).
    pub relationship_end: Option<i64>,
    pub total: i64,
}

/// R14: "ending soon" means within this many days.
pub const ENDING_SOON_DAYS: i64 = 30;

/// One page of the partner's clients as seen by `user_id`.
///
/// Set-wise and page-first, so that it stays fast at 10,000 clients: the
/// user's own access comes from their few memberships (joined by account),
/// each client's employee counts are columns of `clients` (kept by
/// triggers), the search scans the names only, and the official name is
/// joined for the page's rows alone.
pub async fn list(
    pool: &AnyPool,
    partner_id: i64,
    user_id: i64,
    f: &ClientFilter,
    now: i64,
) -> Result<Vec<ClientListRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let dir = match f.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let grace = RELATIONSHIP_GRACE_DAYS * DAY;
    // Sort keys come from a closed enum, never from the request text; `t`
    // names the table the columns are read from.
    let tail = |t: &str| {
        let order = match f.sort {
            ClientSort::Name => format!("{} {dir}", name_key(b, t)),
            ClientSort::Access => format!("{t}my_access {dir}"),
            ClientSort::Employees => format!("{t}employees {dir}"),
            ClientSort::Status => format!(
                "CASE WHEN {t}active_employees > 0 THEN 0 WHEN {t}last_activity + {grace} > $6 THEN 1 ELSE 2 END {dir}, \
                 {t}last_activity {dir}"
            ),
            ClientSort::RelationshipEnd => {
                format!("CASE WHEN {t}rel_end_key IS NULL THEN 1 ELSE 0 END, {t}rel_end_key {dir}")
            }
        };
        format!("ORDER BY {order}, {} ASC, {t}id ASC", name_key(b, t))
    };
    let (inner, outer) = (tail(""), tail("page."));
    let every_access_type = f.access.len() >= domain::AccessType::ALL.len();
    let (hits, search) = match &f.q {
        None => (String::new(), "1 = 1"),
        Some(q) => (
            format!(", hits AS ({})", search_ids(b, q)),
            "c.customer_account_id IN (SELECT customer_account_id FROM hits)",
        ),
    };
    // R14: clients where the partner's people lose access soon, through
    // the partial index of end dates by partner.
    let search = if f.ending {
        format!(
            "{search} AND c.customer_account_id IN (SELECT me.account_id FROM memberships me \
               WHERE me.partner_account_id = $1 AND me.ends_at > $6 AND me.ends_at <= $6 + {} AND me.status = 'active')",
            ENDING_SOON_DAYS * DAY
        )
    } else {
        search.to_string()
    };
    // R18: clients whose relationship with the partner ends soon, through
    // the partner's terms.
    let search = if f.relationship_ending {
        format!(
            "{search} AND c.customer_account_id IN (SELECT pt.account_id FROM partner_terms pt \
               WHERE pt.partner_account_id = $1 AND pt.ends_at > $6 AND pt.ends_at <= $6 + {})",
            ENDING_SOON_DAYS * DAY
        )
    } else {
        search
    };
    // The soonest end, whose it is and of how many: three lookups of the
    // page's rows alone, each through the memberships of one account.
    let ending = "FROM memberships me WHERE me.account_id = page.id \
                  AND me.partner_account_id = $1 AND me.status = 'active' AND me.ends_at IS NOT NULL";
    let next_end = format!(
        "(SELECT MIN(me.ends_at) {ending}) AS next_end, \
         (SELECT u.name FROM users u JOIN memberships me ON me.user_id = u.id WHERE me.account_id = page.id \
            AND me.partner_account_id = $1 AND me.status = 'active' AND me.ends_at IS NOT NULL \
            ORDER BY me.ends_at, {}, u.id LIMIT 1) AS next_end_name, \
         (SELECT COUNT(*) {ending}) AS ends, \
         (SELECT COUNT(*) FROM partner_terms pt WHERE pt.account_id = page.id AND pt.partner_account_id = $1 \
            AND pt.ceiling_perms IS NOT NULL) AS ceiling, \
         (SELECT pt.ends_at FROM partner_terms pt WHERE pt.account_id = page.id AND pt.partner_account_id = $1) \
            AS relationship_end",
        b.nocase("u.name")
    );
    let access = if every_access_type {
        "$4 = $4".to_string()
    } else {
        "$4 LIKE '%,' || COALESCE(mine.access, 'none') || ',%'".to_string()
    };
    let mine = format!(
        "mine AS (SELECT mm.account_id, {ACCESS_TYPE_SQL} AS access, mm.permission_set, ps.name AS custom_set_name \
                  FROM memberships mm \
                  LEFT JOIN permission_sets ps ON ps.account_id = mm.account_id AND mm.permission_set = 'custom:' || ps.id \
                  WHERE mm.user_id = $2)"
    );
    let columns = match b {
        Backend::Sqlite => {
            "c.customer_account_id AS id, c.crm_name, c.last_partner_activity_at AS last_activity, \
                            c.employees, c.active_employees"
        }
        Backend::Postgres => {
            "c.customer_account_id AS id, c.crm_name, c.last_partner_activity_at AS last_activity, \
                              c.employees, c.active_employees, c.name_key"
        }
    };
    // The relationship's end as a sort key, read for every client only
    // when the list is sorted by it.
    let rel_end = ", (SELECT pt.ends_at FROM partner_terms pt WHERE pt.account_id = c.customer_account_id \
                   AND pt.partner_account_id = c.partner_account_id) AS rel_end_key";
    let columns =
        if f.sort == ClientSort::RelationshipEnd { format!("{columns}{rel_end}") } else { columns.to_string() };
    let mine_columns = "COALESCE(mine.access, 'none') AS my_access, mine.permission_set AS my_set, \
                        mine.custom_set_name AS my_custom_set_name";
    let total = if every_access_type {
        format!("(SELECT COUNT(*) FROM clients c WHERE c.partner_account_id = $1 AND {search})")
    } else {
        format!(
            "(SELECT COUNT(*) FROM clients c LEFT JOIN mine ON mine.account_id = c.customer_account_id \
              WHERE c.partner_account_id = $1 AND {search} AND {access})"
        )
    };
    // PostgreSQL wants every bound parameter used; these are always true.
    let every_param =
        "$6 = $6 AND $4 = $4 AND COALESCE($3, '') = COALESCE($3, '') AND COALESCE($8, '') = COALESCE($8, '')";
    let sql = if f.sort == ClientSort::Access || !every_access_type {
        // The user's access decides the order or the filter: joined for every client.
        format!(
            "WITH {mine}{hits}, \
                  page AS (SELECT * FROM (SELECT {columns}, {mine_columns} FROM clients c \
                                          LEFT JOIN mine ON mine.account_id = c.customer_account_id \
                                          WHERE c.partner_account_id = $1 AND {search} AND {access}) b \
                           {inner} LIMIT $5 OFFSET $7) \
             SELECT page.*, a.name AS official_name, {next_end}, {total} AS total \
             FROM page JOIN accounts a ON a.id = page.id WHERE {every_param} {outer}"
        )
    } else {
        // Sorted and paged on the clients' own columns (the name order walks
        // an index); the user's access is joined for the page's rows alone.
        let from = if b == Backend::Postgres && f.sort == ClientSort::Status {
            // Each relationship class read in its order from an index, at
            // most as deep as the page: no sort of every client.
            let class = |k: u8, cond: &str| {
                format!(
                    "(SELECT {k} AS k, {columns} FROM clients c WHERE c.partner_account_id = $1 AND {search} AND {cond} \
                      ORDER BY c.last_partner_activity_at {dir}, c.name_key, c.customer_account_id LIMIT $5 + $7)"
                )
            };
            format!(
                "{} UNION ALL {} UNION ALL {}",
                class(0, "c.active_employees > 0"),
                class(1, &format!("c.active_employees = 0 AND c.last_partner_activity_at > $6 - {grace}")),
                class(2, &format!("c.active_employees = 0 AND c.last_partner_activity_at <= $6 - {grace}"))
            )
        } else {
            format!("SELECT {columns} FROM clients c WHERE c.partner_account_id = $1 AND {search}")
        };
        format!(
            "WITH {mine}{hits}, \
                  page AS (SELECT * FROM ({from}) b {inner} LIMIT $5 OFFSET $7) \
             SELECT page.*, {mine_columns}, a.name AS official_name, {next_end}, {total} AS total \
             FROM page JOIN accounts a ON a.id = page.id LEFT JOIN mine ON mine.account_id = page.id \
             WHERE {every_param} {outer}"
        )
    };
    sqlx::query_as(&sql)
        .bind(partner_id)
        .bind(user_id)
        .bind(f.q.as_deref().map(like_pattern))
        .bind(format!(",{},", f.access.join(",")))
        .bind(f.limit)
        .bind(now)
        .bind(f.offset)
        .bind(f.q.as_deref().and_then(match_phrase))
        .fetch_all(pool)
        .await
}

/// A client's name as a sort key, read from the table `t` (a prefix such as
/// `page.`): [`Backend::nocase`] of the CRM name; PostgreSQL stores it as `name_key`.
fn name_key(b: Backend, t: &str) -> String {
    match b {
        Backend::Sqlite => b.nocase(&format!("{t}crm_name")),
        Backend::Postgres => format!("{t}name_key"),
    }
}

/// The ids of the partner's (`$1`) clients whose CRM or official name
/// contains the search text (`$3` as a `LIKE` pattern, `$8` as an FTS5
/// phrase), through the backend's trigram index.
fn search_ids(b: Backend, q: &str) -> String {
    match b {
        // FTS5 trigrams need three characters; shorter text scans the names.
        Backend::Sqlite if match_phrase(q).is_some() => {
            "SELECT customer_account_id FROM client_search WHERE client_search MATCH $8 AND partner_account_id = $1"
                .to_string()
        }
        Backend::Sqlite => format!(
            "SELECT customer_account_id FROM clients WHERE partner_account_id = $1 AND {} \
             UNION SELECT c2.customer_account_id FROM clients c2 JOIN accounts a2 ON a2.id = c2.customer_account_id \
             WHERE c2.partner_account_id = $1 AND {}",
            b.like("crm_name", "$3"),
            b.like("a2.name", "$3")
        ),
        // Both names in one column (joined by a line break, which search
        // text cannot hold), under a pg_trgm index.
        Backend::Postgres => {
            format!(
                "SELECT customer_account_id FROM clients WHERE partner_account_id = $1 AND {}",
                b.like("search_names", "$3")
            )
        }
    }
}

/// The search text as an FTS5 phrase (taken literally: quotes doubled), when
/// it is long enough for the trigram index.
fn match_phrase(q: &str) -> Option<String> {
    (q.chars().count() >= 3).then(|| format!("\"{}\"", q.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Membership, MembershipStatus, StandardSet};

    /// The SQL access type and the domain's must never disagree.
    #[tokio::test]
    async fn access_type_sql_agrees_with_the_domain() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        let mut cases: Vec<Option<Membership>> = vec![None, Some(Membership::super_admin())];
        for s in StandardSet::ALL {
            cases.push(Some(Membership::with_set(*s)));
        }
        let mut more = vec![];
        for m in cases.iter().flatten() {
            let mut d = m.clone();
            d.status = MembershipStatus::Deactivated;
            more.push(Some(d));
        }
        cases.extend(more);
        for case in cases {
            let expected = case.as_ref().map(|m| m.access_type()).unwrap_or(domain::AccessType::None);
            let sql = format!(
                "SELECT {ACCESS_TYPE_SQL} FROM (SELECT $1 AS user_id, $2 AS status, $3 AS super_admin, $4 AS permission_set) mm"
            );
            let got: String = sqlx::query_scalar(&sql)
                .bind(case.as_ref().map(|_| 1i64))
                .bind(case.as_ref().map(|m| m.status.key()))
                .bind(case.as_ref().map(|m| m.super_admin))
                .bind(case.as_ref().and_then(|m| m.set.map(|s| s.to_storage())))
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(got, expected.key(), "{case:?}");
        }
    }
}
