//! R18 storage: what a customer account sets for each partner — a ceiling
//! and an end of the relationship (`partner_terms`) — and the relationship
//! end's reminders, recorded once each (`relationship_reminders`).

use domain::authority::Terms;
use domain::{Perms, UnixTime};
use sqlx::{AnyConnection, FromRow};

/// One account's terms for one partner, as stored.
#[derive(Debug, Clone, FromRow)]
pub struct TermsRow {
    pub account_id: i64,
    pub partner_account_id: i64,
    /// The set the ceiling was chosen as (`sales`, `custom:7`), if any.
    pub ceiling_set: Option<String>,
    pub ceiling_perms: Option<String>,
    pub ends_at: Option<i64>,
    pub ends_set_at: Option<i64>,
}

const COLUMNS: &str = "account_id, partner_account_id, ceiling_set, ceiling_perms, ends_at, ends_set_at";

impl TermsRow {
    /// The ceiling's permissions, if one applies.
    pub fn ceiling(&self) -> Result<Option<Perms>, sqlx::Error> {
        self.ceiling_perms
            .as_deref()
            .map(|p| {
                Perms::from_keys(p).map_err(|e| {
                    sqlx::Error::Decode(
                        format!("partner terms {}/{}: {e}", self.account_id, self.partner_account_id).into(),
                    )
                })
            })
            .transpose()
    }

    /// The terms as the §9 decisions read them.
    pub fn to_domain(&self) -> Result<Terms, sqlx::Error> {
        Ok(Terms { partner: self.partner_account_id, ceiling: self.ceiling()?, ends_at: self.ends_at.map(UnixTime) })
    }
}

/// Every partner's terms in one account.
pub async fn of_account(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<TermsRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM partner_terms WHERE account_id = $1 ORDER BY partner_account_id"))
        .bind(account_id)
        .fetch_all(conn)
        .await
}

/// Every client's terms for one partner.
pub async fn of_partner<'e, E: sqlx::AnyExecutor<'e>>(ex: E, partner_id: i64) -> Result<Vec<TermsRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM partner_terms WHERE partner_account_id = $1 ORDER BY account_id"))
        .bind(partner_id)
        .fetch_all(ex)
        .await
}

/// One account's terms for one partner, if any.
pub async fn find<'e, E: sqlx::AnyExecutor<'e>>(
    ex: E,
    account_id: i64,
    partner_id: i64,
) -> Result<Option<TermsRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM partner_terms WHERE account_id = $1 AND partner_account_id = $2"))
        .bind(account_id)
        .bind(partner_id)
        .fetch_optional(ex)
        .await
}

/// Makes sure a row exists, so that the updates below have one to change.
async fn ensure(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO partner_terms (account_id, partner_account_id, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A row with neither a ceiling nor an end means nothing: it goes (and its
/// reminders with it).
async fn prune(conn: &mut AnyConnection, account_id: i64, partner_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM relationship_reminders WHERE account_id = $1 AND partner_account_id = $2 AND EXISTS \
         (SELECT 1 FROM partner_terms t WHERE t.account_id = $1 AND t.partner_account_id = $2 \
          AND t.ceiling_perms IS NULL AND t.ends_at IS NULL)",
    )
    .bind(account_id)
    .bind(partner_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM partner_terms WHERE account_id = $1 AND partner_account_id = $2 \
         AND ceiling_perms IS NULL AND ends_at IS NULL",
    )
    .bind(account_id)
    .bind(partner_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the ceiling (none removes it), chosen as `set` if a set.
pub async fn write_ceiling(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    ceiling: Option<(Option<&str>, Perms)>,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    ensure(conn, account_id, partner_id, by, now).await?;
    sqlx::query(
        "UPDATE partner_terms SET ceiling_set = $3, ceiling_perms = $4, updated_at = $5, updated_by = $6 \
         WHERE account_id = $1 AND partner_account_id = $2",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(ceiling.and_then(|(set, _)| set))
    .bind(ceiling.map(|(_, p)| p.to_keys()))
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    prune(conn, account_id, partner_id).await
}

/// Stores the relationship's end (none removes it).
pub async fn write_end(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    ends_at: Option<i64>,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    ensure(conn, account_id, partner_id, by, now).await?;
    sqlx::query(
        "UPDATE partner_terms SET ends_at = $3, ends_set_at = $4, updated_at = $4, updated_by = $5 \
         WHERE account_id = $1 AND partner_account_id = $2",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(ends_at)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    prune(conn, account_id, partner_id).await
}

/// Relationships ending after `now` and at most `within` seconds later.
pub async fn ending_within(conn: &mut AnyConnection, now: i64, within: i64) -> Result<Vec<TermsRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM partner_terms WHERE ends_at IS NOT NULL AND ends_at > $1 AND ends_at <= $2 \
         ORDER BY ends_at, account_id, partner_account_id"
    ))
    .bind(now)
    .bind(now + within)
    .fetch_all(conn)
    .await
}

/// The reminder thresholds already recorded for one relationship end.
pub async fn reminded(conn: &mut AnyConnection, t: &TermsRow, ends_at: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT days FROM relationship_reminders WHERE account_id = $1 AND partner_account_id = $2 AND ends_at = $3",
    )
    .bind(t.account_id)
    .bind(t.partner_account_id)
    .bind(ends_at)
    .fetch_all(conn)
    .await
}

/// Records a reminder threshold as settled; false when it already was.
pub async fn record_reminder(
    conn: &mut AnyConnection,
    t: &TermsRow,
    ends_at: i64,
    days: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO relationship_reminders (account_id, partner_account_id, ends_at, days, sent_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(t.account_id)
    .bind(t.partner_account_id)
    .bind(ends_at)
    .bind(days)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The name of one of the account's custom sets, if it still exists.
pub async fn custom_set_name(
    conn: &mut AnyConnection,
    account_id: i64,
    set_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM permission_sets WHERE id = $1 AND account_id = $2")
        .bind(set_id)
        .bind(account_id)
        .fetch_optional(conn)
        .await
}

/// The account's own permission sets (`custom:<id>` and name), by name.
pub async fn custom_sets(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM permission_sets WHERE account_id = $1 ORDER BY name, id")
        .bind(account_id)
        .fetch_all(conn)
        .await
}
