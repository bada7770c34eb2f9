//! SPEC §8 storage: end dates and their reminders (R14), and clients
//! suspending partners (R16).

use sqlx::{AnyConnection, AnyPool, FromRow};

/// Sets (or, with `None`, removes) a membership's end date, recording when
/// it was set (reminders whose moment had passed by then never come).
pub async fn set_end(
    conn: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
    ends_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE memberships SET ends_at = $3, ends_set_at = $4 WHERE account_id = $1 AND user_id = $2")
        .bind(account_id)
        .bind(user_id)
        .bind(ends_at)
        .bind(ends_at.map(|_| now))
        .execute(conn)
        .await?;
    Ok(())
}

/// After someone changed a membership's status by hand: a reactivated
/// membership has no end date any more, and neither status is a
/// suspension's any longer.
pub async fn status_set_by_hand(
    conn: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    let sql = if active {
        "UPDATE memberships SET suspended = 0, ends_at = NULL, ends_set_at = NULL WHERE account_id = $1 AND user_id = $2"
    } else {
        "UPDATE memberships SET suspended = 0 WHERE account_id = $1 AND user_id = $2"
    };
    sqlx::query(sql).bind(account_id).bind(user_id).execute(conn).await?;
    Ok(())
}

/// Whether some active membership has reached its end: the probe made
/// before each signed-in request reads the soonest active end, the first
/// entry of a partial index (a `LIMIT 1` filter instead lets PostgreSQL's
/// planner scan every membership when none is due).
pub async fn any_due(pool: &AnyPool, now: i64) -> Result<bool, sqlx::Error> {
    let soonest: Option<i64> = sqlx::query_scalar(
        "SELECT ends_at FROM memberships WHERE ends_at IS NOT NULL AND status = 'active' ORDER BY ends_at LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(soonest.is_some_and(|at| at <= now))
}

/// An active membership with an end date.
#[derive(Debug, Clone, FromRow)]
pub struct Ending {
    pub account_id: i64,
    pub user_id: i64,
    pub partner_account_id: Option<i64>,
    pub super_admin: i64,
    pub ends_at: i64,
    pub ends_set_at: Option<i64>,
    pub perms_added: String,
    pub perms_removed: String,
}

const ENDING_COLUMNS: &str =
    "account_id, user_id, partner_account_id, super_admin, ends_at, ends_set_at, perms_added, perms_removed";

/// Active memberships whose end has come.
pub async fn due(conn: &mut AnyConnection, now: i64) -> Result<Vec<Ending>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ENDING_COLUMNS} FROM memberships WHERE ends_at IS NOT NULL AND ends_at <= $1 AND status = 'active' \
         ORDER BY ends_at, account_id, user_id"
    ))
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Active memberships ending after `now` and at most `within` seconds later.
pub async fn ending_within(conn: &mut AnyConnection, now: i64, within: i64) -> Result<Vec<Ending>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ENDING_COLUMNS} FROM memberships WHERE ends_at IS NOT NULL AND ends_at > $1 AND ends_at <= $2 AND status = 'active' \
         ORDER BY ends_at, account_id, user_id"
    ))
    .bind(now)
    .bind(now + within)
    .fetch_all(conn)
    .await
}

/// The system deactivates a membership at its end (the end date stays, for the record).
pub async fn end(conn: &mut AnyConnection, account_id: i64, user_id: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE memberships SET status = 'deactivated' WHERE account_id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(account_id)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// R10 counts from the end: the partner's last qualifying activity in the
/// client moves to the end date when that is later.
pub async fn activity_until(
    conn: &mut AnyConnection,
    partner_id: i64,
    account_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE clients SET last_partner_activity_at = $3 \
         WHERE partner_account_id = $1 AND customer_account_id = $2 AND last_partner_activity_at < $3",
    )
    .bind(partner_id)
    .bind(account_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The reminder thresholds already recorded for one end date.
pub async fn reminded(
    conn: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
    ends_at: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT days FROM end_reminders WHERE account_id = $1 AND user_id = $2 AND ends_at = $3")
        .bind(account_id)
        .bind(user_id)
        .bind(ends_at)
        .fetch_all(conn)
        .await
}

/// Records a reminder threshold as settled; false when it already was.
pub async fn record_reminder(conn: &mut AnyConnection, e: &Ending, days: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO end_reminders (account_id, user_id, ends_at, days, sent_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(e.account_id)
    .bind(e.user_id)
    .bind(e.ends_at)
    .bind(days)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A person to tell: id, name, email.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// The active members of an account who pass `keep`, with name and email.
async fn members_where(
    conn: &mut AnyConnection,
    account_id: i64,
    keep: impl Fn(&domain::Membership) -> bool,
) -> Result<Vec<Recipient>, crate::error::AppError> {
    use crate::db::memberships::{MembershipRow, CUSTOM_SET_JOIN, MEMBERSHIP_COLUMNS};
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        m: MembershipRow,
        u_name: String,
        u_email: String,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, u.name AS u_name, u.email AS u_email \
         FROM memberships m JOIN users u ON u.id = m.user_id {CUSTOM_SET_JOIN} \
         WHERE m.account_id = $1 AND m.status = 'active' ORDER BY m.user_id"
    ))
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    let mut out = vec![];
    for r in rows {
        if keep(&r.m.to_domain()?) {
            out.push(Recipient { id: r.m.user_id, name: r.u_name, email: r.u_email });
        }
    }
    Ok(out)
}

/// The partner's admins: its active super admins and holders of *View and
/// edit partner employees*.
pub async fn partner_admins(
    conn: &mut AnyConnection,
    partner_id: i64,
) -> Result<Vec<Recipient>, crate::error::AppError> {
    members_where(conn, partner_id, |m| m.is_active_super_admin() || m.holds(domain::Permission::PartnerEmployeesEdit))
        .await
}

/// The client's own admins: its active members who are not partner
/// employees and are super admins or hold *Add and edit users*.
pub async fn client_admins(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<Recipient>, crate::error::AppError> {
    members_where(conn, account_id, |m| m.partner_account_id.is_none() && m.may_manage_users()).await
}

/// Since when the account suspends the partner, if it does.
pub async fn suspended_at(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT suspended_at FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2")
        .bind(account_id)
        .bind(partner_id)
        .fetch_optional(conn)
        .await
}

/// Records that the account suspends the partner and deactivates its
/// active people there, marking them as the suspension's; returns how many.
pub async fn suspend(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    by: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO partner_suspensions (account_id, partner_account_id, suspended_at, suspended_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query(
        "UPDATE memberships SET status = 'deactivated', suspended = 1 \
         WHERE account_id = $1 AND partner_account_id = $2 AND status = 'active'",
    )
    .bind(account_id)
    .bind(partner_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Ends a suspension: the people it deactivated are active again, unless
/// their own end date has passed meanwhile; returns how many.
pub async fn resume(conn: &mut AnyConnection, account_id: i64, partner_id: i64, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2")
        .bind(account_id)
        .bind(partner_id)
        .execute(&mut *conn)
        .await?;
    let n = sqlx::query(
        "UPDATE memberships SET status = 'active', suspended = 0 \
         WHERE account_id = $1 AND partner_account_id = $2 AND suspended = 1 AND (ends_at IS NULL OR ends_at > $3)",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query("UPDATE memberships SET suspended = 0 WHERE account_id = $1 AND partner_account_id = $2")
        .bind(account_id)
        .bind(partner_id)
        .execute(conn)
        .await?;
    Ok(n)
}

/// R16: a suspension ends with the partner's last person in the account
/// (removed by the partner or the client), so that it never lingers unseen
/// on the client's Partner access page and blocks the partner there.
pub async fn forget_if_nobody_left(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2 \
         AND NOT EXISTS (SELECT 1 FROM memberships WHERE account_id = $1 AND partner_account_id = $2)",
    )
    .bind(account_id)
    .bind(partner_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a suspension (when the partner has nobody left there).
pub async fn forget_suspension(conn: &mut AnyConnection, account_id: i64, partner_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2")
        .bind(account_id)
        .bind(partner_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The memberships a suspension marked (user ids).
pub async fn suspended_people(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM memberships WHERE account_id = $1 AND partner_account_id = $2 AND suspended = 1 ORDER BY user_id",
    )
    .bind(account_id)
    .bind(partner_id)
    .fetch_all(conn)
    .await
}

/// Ends the sessions of `user_id` that are signed in to `account_id`.
pub async fn end_sessions_in(conn: &mut AnyConnection, user_id: i64, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND current_account_id = $2")
        .bind(user_id)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
