//! Client Access Manager actions in one client (SPEC §5 R2–R9): add
//! employees, change a permission set, deactivate and reactivate, remove
//! employees, migrate super admins to Partner Admin; the actions on one
//! employee across clients are in [`employee_actions`]. Every handler
//! checks R1 and tenancy first (404 for other partners' ids), then decides
//! with the domain's rule functions inside one write transaction (`db::begin_write`)
//! that re-reads what the rule needs, records history (R13) and the
//! qualifying partner activity (R10). A refusal writes nothing.

pub mod employee_actions;

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, NoBody};
use crate::routes::cam::{cam_context, CamContext};
use crate::routes::Api;
use crate::routes::{change_status, ends_detail, history, remove_one, resolve_set};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    AddEmployeesRequest, ChangeSetRequest, EmployeeChange, MigrateRequest, RemoveEmployeesRequest, SetEndDateRequest,
};
use domain::grant::{grant, migrate_to_partner_admin, Granter, Requested};
use domain::history::HistoryAction;
use domain::rules::{
    check_end_date, may_act_in_client, may_add_member, may_change_end_date, may_change_permission_set, may_grant_while,
    may_migrate, ClientAction, Migrator, Rule,
};
use domain::{Membership, MembershipStatus, Perms, Seat, UnixTime};
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// Routes of the actions under `/api/v1/accounts/{account_id}/cam`.
pub fn routes() -> Api {
    Api::new()
        .post("/accounts/{account_id}/cam/clients/{client_id}/employees", add_employees)
        .put("/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/permission-set", change_set)
        .post("/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/deactivate", deactivate)
        .post("/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/reactivate", reactivate)
        .put("/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date", set_end_date)
        .post("/accounts/{account_id}/cam/clients/{client_id}/remove-employees", remove_employees)
        .post("/accounts/{account_id}/cam/clients/{client_id}/migrate", migrate)
        .merge(employee_actions::routes())
}

/// Most employees one request may name.
const MAX_BATCH: usize = 1_000;

pub(crate) fn distinct(ids: &[i64], what: &str) -> AppResult<Vec<i64>> {
    distinct_up_to(ids, what, MAX_BATCH)
}

/// At least one and at most `max` ids, each named once; sorted.
pub(crate) fn distinct_up_to(ids: &[i64], what: &str, max: usize) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Err(AppError::BadRequest(format!("Choose at least one {what}.")));
    }
    if ids.len() > max {
        return Err(AppError::BadRequest(format!("At most {max} {what}s at a time.")));
    }
    let set: BTreeSet<i64> = ids.iter().copied().collect();
    if set.len() != ids.len() {
        return Err(AppError::BadRequest(format!("Each {what} may be named only once.")));
    }
    Ok(set.into_iter().collect())
}

/// R1 and the client's tenancy: the client must be one of this partner's.
pub(crate) async fn client_of(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    client_id: i64,
) -> AppResult<CamContext> {
    let ctx = cam_context(state, user, account_id).await?;
    db::clients::find(&state.db, ctx.partner.id, client_id).await?.ok_or(AppError::NotFound)?;
    Ok(ctx)
}

pub(crate) async fn membership(
    conn: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
) -> AppResult<Option<Membership>> {
    match db::memberships::find(&mut *conn, account_id, user_id).await? {
        Some(row) => Ok(Some(row.to_domain()?)),
        None => Ok(None),
    }
}

/// The partner's employee inside the client (flagged with the partner), or 404.
async fn partner_employee_in(
    conn: &mut AnyConnection,
    client_id: i64,
    partner_id: i64,
    user_id: i64,
) -> AppResult<Membership> {
    membership(conn, client_id, user_id)
        .await?
        .filter(|m| m.partner_account_id == Some(partner_id))
        .ok_or(AppError::NotFound)
}

/// R2 for the signed-in user in a client.
async fn check_r2(
    conn: &mut AnyConnection,
    ctx: &CamContext,
    me: i64,
    client_id: i64,
    action: ClientAction,
) -> AppResult<Option<Membership>> {
    if !action.needs_client_membership() {
        may_act_in_client(action, ctx.partner.kind, &ctx.me, None, false)?;
        return Ok(None);
    }
    let mine = membership(conn, client_id, me).await?;
    let all_deactivated = db::memberships::all_partner_users_deactivated(conn, client_id, ctx.partner.id).await?;
    may_act_in_client(action, ctx.partner.kind, &ctx.me, mine.as_ref(), all_deactivated)?;
    Ok(mine)
}

/// R10: the write counts as qualifying partner activity in the client.
pub(crate) async fn record_activity(
    conn: &mut AnyConnection,
    ctx: &CamContext,
    me: i64,
    client_id: i64,
    now: i64,
) -> AppResult<()> {
    db::clients::touch_partner_activity(conn, ctx.partner.id, client_id, now).await?;
    db::memberships::touch_activity(conn, client_id, me, now).await?;
    Ok(())
}

/// R4 with R3: adds partner employees to a client with a permission set,
/// granting only what the acting Partner Admin holds there.
async fn add_employees(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<AddEmployeesRequest>,
) -> AppResult<Json<Vec<EmployeeChange>>> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let ids = distinct(&input.user_ids, "employee")?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let (set, set_perms) = resolve_set(&mut tx, client_id, input.permission_set).await?;
    let mine = check_r2(&mut tx, &ctx, user.user_id, client_id, ClientAction::AddEmployees).await?;
    not_suspended(&mut tx, client_id, ctx.partner.id).await?;
    if let Some(ends_at) = input.ends_at {
        check_end_date(UnixTime(now), ends_at)?;
    }
    let granter = mine.as_ref().map(Granter::member).unwrap_or(Granter::holding(Perms::EMPTY));
    let requested = Requested::set(set, set_perms);
    let mut out = Vec::with_capacity(ids.len());
    for uid in ids {
        membership(&mut tx, ctx.partner.id, uid).await?.ok_or(AppError::NotFound)?;
        if let Some(existing) = membership(&mut tx, client_id, uid).await? {
            let name = db::users::summary(&mut *tx, uid).await?.map(|u| u.name).unwrap_or_default();
            may_add_member(Some(&existing), &name, Rule::R4)?;
        }
        let granted = grant(granter, Perms::EMPTY, &requested);
        let change = granted.change();
        let mut m = Membership::with_set(domain::StandardSet::ViewOnly);
        m.seat = Seat::Partner;
        m.partner_account_id = Some(ctx.partner.id);
        db::memberships::insert(&mut tx, client_id, uid, &m, &granted, None, now).await?;
        db::ending::set_end(&mut tx, client_id, uid, input.ends_at.map(|t| t.0), now).await?;
        history(
            &mut tx,
            now,
            user.user_id,
            client_id,
            uid,
            Some(ctx.partner.id),
            HistoryAction::EmployeeAdded,
            None,
            Some(change.new),
            &ends_detail(&set.to_storage(), input.ends_at),
        )
        .await?;
        out.push(EmployeeChange { user_id: uid, change });
    }
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(Json(out))
}

/// R3: changes an employee's permission set in a client.
async fn change_set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    AppJson(input): AppJson<ChangeSetRequest>,
) -> AppResult<Json<EmployeeChange>> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid).await?;
    let (set, set_perms) = resolve_set(&mut tx, client_id, input.permission_set).await?;
    let mine = check_r2(&mut tx, &ctx, user.user_id, client_id, ClientAction::ChangePermissionSet).await?;
    may_change_permission_set(&target, Rule::R9)?;
    let granter = mine.as_ref().map(Granter::member).unwrap_or(Granter::holding(Perms::EMPTY));
    let before = target.permissions();
    let granted = grant(granter, before, &Requested::set(set, set_perms));
    let change = granted.change();
    db::memberships::write_permissions(&mut tx, client_id, uid, &granted).await?;
    history(
        &mut tx,
        now,
        user.user_id,
        client_id,
        uid,
        Some(ctx.partner.id),
        HistoryAction::PermissionSetChanged,
        Some(before),
        Some(change.new),
        &set.to_storage(),
    )
    .await?;
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(Json(EmployeeChange { user_id: uid, change }))
}

async fn set_status(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    client_id: i64,
    uid: i64,
    to: MembershipStatus,
) -> AppResult<StatusCode> {
    let ctx = client_of(state, user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let mut target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid).await?;
    let action = match to {
        MembershipStatus::Active => ClientAction::Reactivate,
        MembershipStatus::Deactivated => ClientAction::Deactivate,
    };
    check_r2(&mut tx, &ctx, user.user_id, client_id, action).await?;
    if to == MembershipStatus::Active {
        not_suspended(&mut tx, client_id, ctx.partner.id).await?;
    }
    change_status(&mut tx, user, Some(ctx.partner.id), client_id, uid, &mut target, to, now).await?;
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R2/R8: deactivation keeps the membership (and the managed relationship).
async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    set_status(&state, &user, account_id, client_id, uid, MembershipStatus::Deactivated).await
}

/// R2/R8: reactivation needs the actor to be Partner Admin there.
async fn reactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    set_status(&state, &user, account_id, client_id, uid, MembershipStatus::Active).await
}

/// R16: refused while the client suspends the partner.
pub(crate) async fn not_suspended(conn: &mut AnyConnection, client_id: i64, partner_id: i64) -> AppResult<()> {
    let suspended = db::ending::suspended_at(conn, client_id, partner_id).await?.is_some();
    Ok(may_grant_while(suspended)?)
}

/// R14: sets, changes or removes when an employee's access to a client
/// ends; allowed to whoever could grant that access (R2: a Partner Admin
/// there), on active access, never while the client suspends the partner.
async fn set_end_date(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    AppJson(input): AppJson<SetEndDateRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid).await?;
    check_r2(&mut tx, &ctx, user.user_id, client_id, ClientAction::ChangePermissionSet).await?;
    not_suspended(&mut tx, client_id, ctx.partner.id).await?;
    may_change_end_date(&target, UnixTime(now), input.ends_at)?;
    db::ending::set_end(&mut tx, client_id, uid, input.ends_at.map(|t| t.0), now).await?;
    let partner = Some(ctx.partner.id);
    let detail = ends_detail("", input.ends_at);
    let action = HistoryAction::EndDateChanged;
    history(&mut tx, now, user.user_id, client_id, uid, partner, action, None, None, &detail).await?;
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R7: removes the chosen partner employees from one client, all or none.
async fn remove_employees(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<RemoveEmployeesRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let ids = distinct(&input.user_ids, "employee")?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    check_r2(&mut tx, &ctx, user.user_id, client_id, ClientAction::Remove).await?;
    for uid in ids {
        let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid).await?;
        remove_one(&mut tx, &user, Some(ctx.partner.id), client_id, &target, uid, now).await?;
    }
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R9 (partner side): the signed-in super admin, or another partner super
/// admin when the actor is Partner Admin there, becomes Partner Admin. The
/// super-admin count is re-read inside the write transaction, so two racing
/// migrations cannot both pass.
async fn migrate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<MigrateRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let uid = input.user_id.unwrap_or(user.user_id);
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid).await?;
    let mine = membership(&mut tx, client_id, user.user_id).await?;
    if uid != user.user_id {
        let same_partner = mine.as_ref().is_some_and(|m| m.partner_account_id == Some(ctx.partner.id));
        may_migrate(Migrator::Other { actor: mine.as_ref(), same_partner })?;
    }
    let granter = mine.as_ref().map(Granter::member).unwrap_or(Granter::holding(Perms::EMPTY));
    let super_admins = db::memberships::active_super_admins(&mut tx, client_id).await? as usize;
    let granted = migrate_to_partner_admin(granter, &target, super_admins, input.keep_billing)?;
    let mut after = granted.applied_to(&target);
    after.seat = Seat::Partner;
    db::memberships::write_permissions(&mut tx, client_id, uid, &granted).await?;
    db::memberships::update_standing(&mut tx, client_id, uid, &after).await?;
    let detail = if input.keep_billing { "kept billing permissions" } else { "" };
    history(
        &mut tx,
        now,
        user.user_id,
        client_id,
        uid,
        Some(ctx.partner.id),
        HistoryAction::MigratedToPartnerAdmin,
        Some(target.permissions()),
        Some(after.permissions()),
        detail,
    )
    .await?;
    record_activity(&mut tx, &ctx, user.user_id, client_id, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
