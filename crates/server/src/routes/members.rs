//! Membership changes the partner side and the client side share: the
//! caller's membership (404 otherwise), resolving a permission set, the
//! history record (R13), ending sessions, removal and status changes (R8,
//! R9), each inside the caller's write transaction.

use crate::auth::CurrentUser;
use crate::db;
use crate::db::history::Event;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::history::HistoryAction;
use domain::Membership;
use domain::{Perms, SetKey};
use sqlx::AnyConnection;

/// The signed-in user's membership in `account_id`, or 404 when they have
/// none (so that other tenants' ids are indistinguishable from unknown ones).
pub async fn membership_in(
    state: &AppState,
    user_id: i64,
    account_id: i64,
) -> AppResult<(db::accounts::Account, db::memberships::MembershipRow, Membership)> {
    let row = db::memberships::find(&state.db, account_id, user_id).await?.ok_or(AppError::NotFound)?;
    let account = db::accounts::find(&state.db, account_id).await?.ok_or(AppError::NotFound)?;
    let member = row.to_domain()?;
    Ok((account, row, member))
}

/// The signed-in user's membership of a *customer* account; a partner
/// account's id is as unknown here as any other (404).
pub async fn in_customer_account(
    state: &AppState,
    user_id: i64,
    account_id: i64,
) -> AppResult<(db::accounts::Account, Membership)> {
    let (account, _, me) = membership_in(state, user_id, account_id).await?;
    if account.kind != domain::AccountKind::Customer {
        return Err(AppError::NotFound);
    }
    Ok((account, me))
}

/// [`in_customer_account`], then R11: only super admins and holders of
/// *Add and edit users* manage the account's users.
pub async fn user_manager(
    state: &AppState,
    user_id: i64,
    account_id: i64,
) -> AppResult<(db::accounts::Account, Membership)> {
    let (account, me) = in_customer_account(state, user_id, account_id).await?;
    domain::rules::may_manage_users(&me)?;
    Ok((account, me))
}

/// A permission set of an account with its permissions: a standard set, or
/// one of the account's own custom sets (another account's is unknown: 400).
pub async fn resolve_set(conn: &mut AnyConnection, account_id: i64, key: SetKey) -> AppResult<(SetKey, Perms)> {
    match key {
        SetKey::Standard(s) => Ok((key, s.perms())),
        SetKey::Custom(id) => {
            let unknown = || AppError::BadRequest(format!("Unknown permission set: {}.", key.to_storage()));
            let stored = db::memberships::custom_set(conn, account_id, id).await?.ok_or_else(unknown)?;
            let perms = Perms::from_keys(&stored)
                .map_err(|_| AppError::Internal("custom set with unknown permission".into()))?;
            Ok((key, perms.assignable()))
        }
    }
}

/// Records one access change made by `me` (R13); `partner` is the partner
/// the event belongs to (see [`db::history::Event::partner_account_id`]).
#[allow(clippy::too_many_arguments)]
pub async fn history(
    conn: &mut AnyConnection,
    now: i64,
    me: i64,
    account_id: i64,
    target: i64,
    partner: Option<i64>,
    action: HistoryAction,
    before: Option<Perms>,
    after: Option<Perms>,
    detail: &str,
) -> AppResult<()> {
    db::history::record(
        conn,
        Event {
            at: now,
            actor_user_id: Some(me),
            account_id,
            target_user_id: Some(target),
            partner_account_id: partner,
            action,
            before,
            after,
            detail,
        },
    )
    .await?;
    Ok(())
}

/// A history detail with the end date a grant carries (R14): `"<detail>;
/// ends <date and time>"`, `"no end date"` when an end date was removed.
pub fn ends_detail(detail: &str, ends_at: Option<domain::UnixTime>) -> String {
    match (detail.is_empty(), ends_at) {
        (true, Some(at)) => format!("ends {}", at.date_time()),
        (true, None) => "no end date".to_string(),
        (false, Some(at)) => format!("{detail}; ends {}", at.date_time()),
        (false, None) => detail.to_string(),
    }
}

/// Ends the sessions of a user whose access was just taken away
/// (deactivated or removed somewhere), inside the same transaction: every
/// open page of theirs must sign in again and see only what is left. The
/// acting session itself survives when someone acts on themself.
pub async fn end_sessions_of(conn: &mut AnyConnection, uid: i64, actor: &CurrentUser) -> AppResult<()> {
    let keep = (uid == actor.user_id).then_some(actor.session_hash.as_str());
    db::sessions::delete_for_user_except(conn, uid, keep).await?;
    Ok(())
}

/// Removes a member from an account inside a transaction: never the last
/// active super admin (R9); their assets there lose their owner; their
/// sessions end; history (for the target's partner, or else `on_behalf`:
/// the partner the actor acts for).
pub async fn remove_one(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    on_behalf: Option<i64>,
    account_id: i64,
    target: &Membership,
    uid: i64,
    now: i64,
) -> AppResult<()> {
    let super_admins = db::memberships::active_super_admins(conn, account_id).await? as usize;
    domain::rules::keeps_a_super_admin(target, super_admins)?;
    let assets = db::assets::unassign(conn, account_id, uid, now).await?;
    db::memberships::delete(conn, account_id, uid).await?;
    if let Some(partner) = target.partner_account_id {
        db::ending::forget_if_nobody_left(conn, account_id, partner).await?;
    }
    end_sessions_of(conn, uid, actor).await?;
    let detail = format!("{assets} assets left without an owner");
    let me = actor.user_id;
    let partner = target.partner_account_id.or(on_behalf);
    let before = Some(target.permissions());
    history(conn, now, me, account_id, uid, partner, HistoryAction::Removed, before, None, &detail).await
}

/// Deactivates or reactivates a member inside a transaction (R8): refused
/// when already so, never the last active super admin (R9); a deactivated
/// member's sessions end; history (partner as in [`remove_one`]).
#[allow(clippy::too_many_arguments)]
pub async fn change_status(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    on_behalf: Option<i64>,
    account_id: i64,
    uid: i64,
    target: &mut Membership,
    to: domain::MembershipStatus,
    now: i64,
) -> AppResult<()> {
    let me = actor.user_id;
    domain::rules::may_change_status(target.status, to)?;
    if to == domain::MembershipStatus::Deactivated {
        let super_admins = db::memberships::active_super_admins(conn, account_id).await? as usize;
        domain::rules::keeps_a_super_admin(target, super_admins)?;
    }
    let before = target.active_permissions();
    target.status = to;
    db::memberships::update_standing(conn, account_id, uid, target).await?;
    db::ending::status_set_by_hand(conn, account_id, uid, to == domain::MembershipStatus::Active).await?;
    if to == domain::MembershipStatus::Deactivated {
        end_sessions_of(conn, uid, actor).await?;
    }
    let action =
        if to == domain::MembershipStatus::Active { HistoryAction::Reactivated } else { HistoryAction::Deactivated };
    let partner = target.partner_account_id.or(on_behalf);
    let after = Some(target.active_permissions());
    history(conn, now, me, account_id, uid, partner, action, Some(before), after, "").await
}
