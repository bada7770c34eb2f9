//! What the partner side and the client side share before deciding: the
//! caller's membership as of now (404 otherwise), the account's kind, R11's
//! user managers, and resolving a permission set. Changes themselves are
//! applied by [`crate::changes`].

use crate::auth::CurrentUser;
use crate::db;
use crate::db::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::rules::may_open_client_access_manager;
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
    let member = row.to_domain(state.clock.now())?;
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

/// The partner account and the signed-in user's membership there, once R1 holds.
pub struct CamContext {
    pub partner: Account,
    pub me: Membership,
}

/// Loads the context of a Client Access Manager request: 404 unless the user
/// belongs to the account, 403 (R1) unless they may open Client Access Manager.
pub async fn cam_context(state: &AppState, user: &CurrentUser, account_id: i64) -> AppResult<CamContext> {
    let (partner, _, me) = membership_in(state, user.user_id, account_id).await?;
    may_open_client_access_manager(partner.kind, &me)?;
    Ok(CamContext { partner, me })
}
