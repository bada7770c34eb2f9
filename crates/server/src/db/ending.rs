//! SPEC §8 storage: ends that have come and their reminders (R14), who is
//! told, and clients suspending partners (R16).

use sqlx::{AnyConnection, FromRow};

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

/// Active memberships whose end, or whose partner's relationship end
/// (R18), has come (they grant nothing already; the system stores their end).
pub async fn due(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<Vec<crate::db::memberships::MembershipRow>, sqlx::Error> {
    use crate::db::memberships::{CUSTOM_SET_JOIN, MEMBERSHIP_COLUMNS};
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships m {CUSTOM_SET_JOIN} \
         WHERE m.ends_at IS NOT NULL AND m.ends_at <= $1 AND m.status = 'active' \
         UNION SELECT {MEMBERSHIP_COLUMNS} FROM partner_terms ended JOIN memberships m \
           ON m.account_id = ended.account_id AND m.partner_account_id = ended.partner_account_id {CUSTOM_SET_JOIN} \
         WHERE ended.ends_at IS NOT NULL AND ended.ends_at <= $1 AND m.status = 'active' \
         ORDER BY 1, 2"
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
) -> Result<Vec<Recipient>, sqlx::Error> {
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
        if keep(&r.m.stored()?) {
            out.push(Recipient { id: r.m.user_id, name: r.u_name, email: r.u_email });
        }
    }
    Ok(out)
}

/// The partner's admins: its active super admins and holders of *View and
/// edit partner employees*.
pub async fn partner_admins(conn: &mut AnyConnection, partner_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    members_where(conn, partner_id, |m| m.is_active_super_admin() || m.holds(domain::Permission::PartnerEmployeesEdit))
        .await
}

/// The client's own admins: its active members who are not partner
/// employees and are super admins or hold *Add and edit users*.
pub async fn client_admins(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    members_where(conn, account_id, |m| m.partner_account_id.is_none() && m.may_manage_users()).await
}

/// The partners the account suspends (R16).
pub async fn suspended_partners(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT partner_account_id FROM partner_suspensions WHERE account_id = $1 ORDER BY partner_account_id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await
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

/// Records that the account suspends the partner (R16; its people are
/// deactivated by [`crate::changes`]).
pub async fn record_suspension(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO partner_suspensions (account_id, partner_account_id, suspended_at, suspended_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a suspension (the client resumed the partner).
pub async fn forget_suspension(conn: &mut AnyConnection, account_id: i64, partner_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2")
        .bind(account_id)
        .bind(partner_id)
        .execute(conn)
        .await?;
    Ok(())
}
