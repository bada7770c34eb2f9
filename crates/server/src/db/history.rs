//! R13: the append-only history of access changes.

use domain::history::HistoryAction;
use domain::Perms;
use sqlx::SqliteConnection;

/// One access change to record.
pub struct Event<'a> {
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub account_id: i64,
    pub target_user_id: Option<i64>,
    pub action: HistoryAction,
    pub before: Option<Perms>,
    pub after: Option<Perms>,
    pub detail: &'a str,
}

/// Appends an event.
pub async fn record(conn: &mut SqliteConnection, e: Event<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO history (at, actor_user_id, account_id, target_user_id, action, before_perms, after_perms, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.at)
    .bind(e.actor_user_id)
    .bind(e.account_id)
    .bind(e.target_user_id)
    .bind(e.action.key())
    .bind(e.before.map(Perms::to_keys))
    .bind(e.after.map(Perms::to_keys))
    .bind(e.detail)
    .execute(conn)
    .await?;
    Ok(())
}
