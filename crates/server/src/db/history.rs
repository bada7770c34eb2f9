//! R13: the append-only history of access changes.

use domain::history::HistoryAction;
use domain::Perms;
use sqlx::AnyConnection;

/// One access change to record.
pub struct Event<'a> {
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub account_id: i64,
    pub target_user_id: Option<i64>,
    /// The partner the event belongs to: the partner of the employee it
    /// concerns, or on whose behalf the actor acted; none for a client's own
    /// changes to its own users (R13).
    pub partner_account_id: Option<i64>,
    pub action: HistoryAction,
    pub before: Option<Perms>,
    pub after: Option<Perms>,
    pub detail: &'a str,
}

/// Appends an event.
pub async fn record(conn: &mut AnyConnection, e: Event<'_>) -> Result<(), sqlx::Error> {
    record_many(conn, &[e]).await
}

/// Appends many events in a few statements (bulk work, R17).
pub async fn record_many(conn: &mut AnyConnection, events: &[Event<'_>]) -> Result<(), sqlx::Error> {
    use crate::db::bulk::{values, INSERT_ROWS};
    for chunk in events.chunks(INSERT_ROWS) {
        let sql = format!(
            "INSERT INTO history (at, actor_user_id, account_id, target_user_id, action, before_perms, after_perms, detail, \
             partner_account_id) VALUES {}",
            values(chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(e.at)
                .bind(e.actor_user_id)
                .bind(e.account_id)
                .bind(e.target_user_id)
                .bind(e.action.key())
                .bind(e.before.map(Perms::to_keys))
                .bind(e.after.map(Perms::to_keys))
                .bind(e.detail)
                .bind(e.partner_account_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Whether `actor` declined `employee`'s access link (SPEC §4), recorded in
/// `partner_account_id`'s history, at `since` or later.
pub async fn declined_since(
    conn: &mut AnyConnection,
    partner_account_id: i64,
    actor: i64,
    employee: i64,
    since: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM history WHERE account_id = $1 AND at >= $2 AND action = $3 \
         AND actor_user_id = $4 AND target_user_id = $5",
    )
    .bind(partner_account_id)
    .bind(since)
    .bind(HistoryAction::AccessLinkDeclined.key())
    .bind(actor)
    .bind(employee)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Filters of a history listing (already validated).
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub actor: Option<String>,
    pub target: Option<String>,
    pub action: Option<&'static str>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// A history event with names resolved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryListRow {
    pub id: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub account: String,
    pub target: Option<String>,
    pub action: String,
    pub before_perms: Option<String>,
    pub after_perms: Option<String>,
    pub detail: String,
    pub total: i64,
}

/// One page of an account's history, newest first. For a partner account the
/// history also covers the events in its clients that belong to it: done by
/// its people on its behalf or concerning its employees there (R13).
pub async fn list(
    pool: &sqlx::AnyPool,
    account_id: i64,
    partner: bool,
    f: &HistoryFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<HistoryListRow>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
    let (an, ae, tn, te) =
        (b.like("au.name", "$2"), b.like("au.email", "$2"), b.like("tu.name", "$3"), b.like("tu.email", "$3"));
    let scope = if partner { "(h.account_id = $1 OR h.partner_account_id = $1)" } else { "h.account_id = $1" };
    sqlx::query_as(&format!(
        "SELECT h.id, h.at, au.name AS actor, a.name AS account, tu.name AS target, h.action, h.before_perms, h.after_perms, \
                h.detail, COUNT(*) OVER () AS total \
         FROM history h JOIN accounts a ON a.id = h.account_id \
         LEFT JOIN users au ON au.id = h.actor_user_id LEFT JOIN users tu ON tu.id = h.target_user_id \
         WHERE {scope} \
           AND ($2 IS NULL OR {an} OR {ae}) AND ($3 IS NULL OR {tn} OR {te}) \
           AND ($4 IS NULL OR h.action = $4) AND ($5 IS NULL OR h.at >= $5) AND ($6 IS NULL OR h.at < $6) \
         ORDER BY h.at DESC, h.id DESC LIMIT $7 OFFSET $8"
    ))
    .bind(account_id)
    .bind(f.actor.as_deref().map(crate::db::like_pattern))
    .bind(f.target.as_deref().map(crate::db::like_pattern))
    .bind(f.action)
    .bind(f.from)
    .bind(f.until)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
