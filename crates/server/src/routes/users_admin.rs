//! Settings > Users & Teams actions in a customer account (R9 client side,
//! R11, R12): the Create user wizard with the Partner Admin template, seats,
//! permissions, deactivation, removal and the client-side migration of a
//! partner super admin. Every route: membership (404), customer account (404),
//! R11 (only super admins or *Add and edit users*), then the action's rule.

use crate::auth::CurrentUser;
use crate::db;
use crate::db::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery, ClientIp, NoBody};
use crate::routes::user_manager;
use crate::routes::Api;
use crate::routes::{change_status, ends_detail, history, remove_one, resolve_set};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    AssignSeatRequest, CreateUserRequest, CreatedUser, EditPermissionsRequest, MigrateRequest, UserCandidate,
};
use domain::grant::{grant, migrate_to_partner_admin, Granter, PermissionChange, Requested};
use domain::history::HistoryAction;
use domain::rules::{
    may_add_member, may_change_member, may_change_permission_set, may_migrate, may_take_partner_seat,
    partner_admin_template_available, Migrator, Rule, TemplateCandidate, TemplateEligibility,
};
use domain::rules::{may_change_end_date, may_end_new_grant, may_set_end_date_as_client};
use domain::UnixTime;
use domain::{Email, Membership, MembershipStatus, PartnerProgram, Permission, Perms, Seat, SetKey, StandardSet};
use serde::Deserialize;
use sqlx::AnyConnection;

/// Routes under `/api/v1/accounts/{account_id}/users`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/users/candidate", candidate)
        .post("/accounts/{account_id}/users", create)
        .delete("/accounts/{account_id}/users/{user_id}", remove)
        .put("/accounts/{account_id}/users/{user_id}/seat", assign_seat)
        .put("/accounts/{account_id}/users/{user_id}/permissions", edit_permissions)
        .post("/accounts/{account_id}/users/{user_id}/deactivate", deactivate)
        .post("/accounts/{account_id}/users/{user_id}/reactivate", reactivate)
        .post("/accounts/{account_id}/users/{user_id}/migrate", migrate)
        .put("/accounts/{account_id}/users/{user_id}/end-date", set_end_date)
}

async fn manager(state: &AppState, user: &CurrentUser, account_id: i64) -> AppResult<(Account, Membership)> {
    user_manager(state, user.user_id, account_id).await
}

/// The partner a person is a recognised employee of: a partner account they
/// belong to, or one whose verified domain their email is on.
async fn recognised_partner(state: &AppState, email: &Email) -> AppResult<Option<(i64, String, PartnerProgram)>> {
    let row = db::accounts::recognised_partner(&state.db, email.as_str(), email.domain()).await?;
    Ok(row.and_then(|(id, name, program)| PartnerProgram::parse(&program).map(|p| (id, name, p))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateQuery {
    email: Email,
    #[serde(default)]
    seat: Option<Seat>,
}

/// What the Create user wizard needs for an email and nothing more: whether
/// the person is already a user here and whether the Partner Admin template
/// can be offered (R11). Rate limited per client address and per user, like
/// sign-in, so that nobody probes who exists.
async fn candidate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(q): AppQuery<CandidateQuery>,
) -> AppResult<Json<UserCandidate>> {
    let now = state.clock.now().0;
    state.lookup_limiter.check(&state.db, &ip, now).await?;
    state.lookup_limiter.check(&state.db, &format!("user:{}", user.user_id), now).await?;
    manager(&state, &user, account_id).await?;
    let existing = db::users::by_email(&state.db, q.email.as_str()).await?;
    let already_member = match &existing {
        Some((id, _)) => db::memberships::find(&state.db, account_id, *id).await?.is_some(),
        None => false,
    };
    let partner = recognised_partner(&state, &q.email).await?;
    let template = TemplateEligibility::of(TemplateCandidate {
        partner_program: partner.map(|p| p.2),
        partner_seat: q.seat == Some(Seat::Partner),
    });
    Ok(Json(UserCandidate { email: q.email, already_member, template }))
}

/// Create user (R11): the Partner Admin template only for an eligible
/// partner employee with a partner seat; a person already in the account is refused.
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<CreateUserRequest>,
) -> AppResult<(StatusCode, Json<CreatedUser>)> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let partner = recognised_partner(&state, &input.email).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let requested = match input.template {
        Some(key) => {
            let (set, perms) = resolve_set(&mut tx, account_id, key).await?;
            Requested::set(set, perms)
        }
        None => Requested::nothing(),
    };
    let granted = grant(Granter::member(&me), Perms::EMPTY, &requested);
    let partner_admin = granted.set() == Some(SetKey::Standard(StandardSet::PartnerAdmin));
    if partner_admin {
        partner_admin_template_available(TemplateCandidate {
            partner_program: partner.as_ref().map(|p| p.2),
            partner_seat: input.seat == Seat::Partner,
        })?;
    }
    if input.seat == Seat::Partner {
        may_take_partner_seat(partner.as_ref().map(|p| p.2))?;
    }
    let existing = db::users::by_email(&mut *tx, input.email.as_str()).await?.map(|(id, _)| id);
    let uid = match existing {
        Some(id) => {
            let existing = db::memberships::find(&mut *tx, account_id, id).await?.map(|r| r.to_domain()).transpose()?;
            may_add_member(existing.as_ref(), input.email.as_str(), Rule::R11)?;
            id
        }
        None => {
            const NAME_NEEDED: AppError =
                AppError::Input { reason: "person_name", message: "Enter the person's name (at most 120 characters)." };
            let name = input
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty() && n.chars().count() <= 120)
                .ok_or(NAME_NEEDED)?;
            // No password yet: the person sets one through an invitation.
            db::users::insert(&mut tx, input.email.as_str(), name, "!", now).await?
        }
    };
    let mut m = Membership::with_set(StandardSet::ViewOnly);
    m.seat = input.seat;
    m.partner_account_id = partner.as_ref().map(|p| p.0).filter(|_| partner_admin || input.seat == Seat::Partner);
    if let Some(ends_at) = input.ends_at {
        may_end_new_grant(m.partner_account_id.is_some(), UnixTime(now), ends_at)?;
    }
    db::memberships::insert(&mut tx, account_id, uid, &m, &granted, None, now).await?;
    db::ending::set_end(&mut tx, account_id, uid, input.ends_at.map(|t| t.0), now).await?;
    let detail = ends_detail(&input.template.map(SetKey::to_storage).unwrap_or_default(), input.ends_at);
    history(
        &mut tx,
        now,
        user.user_id,
        account_id,
        uid,
        m.partner_account_id.or(me.partner_account_id),
        HistoryAction::UserCreated,
        None,
        Some(granted.permissions()),
        &detail,
    )
    .await?;
    if let Some(pid) = m.partner_account_id {
        managed_by(&mut tx, pid, account_id, now).await?;
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedUser { user_id: uid, change: granted.change() })))
}

/// R14 on the client side: sets, changes or removes when a partner
/// employee's access to this account ends (super admins, and holders of
/// *Add and edit users* within R3).
async fn set_end_date(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<domain::api::SetEndDateRequest>,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid).await?;
    may_set_end_date_as_client(&me, &m)?;
    may_change_end_date(&m, UnixTime(now), input.ends_at)?;
    db::ending::set_end(&mut tx, account_id, uid, input.ends_at.map(|t| t.0), now).await?;
    let detail = ends_detail("", input.ends_at);
    let action = HistoryAction::EndDateChanged;
    history(&mut tx, now, user.user_id, account_id, uid, m.partner_account_id, action, None, None, &detail).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A partner employee flagged in the account makes the partner manage it
/// (its CRM record named after the account), as a manual link does (R5).
async fn managed_by(conn: &mut AnyConnection, partner_id: i64, account_id: i64, now: i64) -> AppResult<()> {
    let name = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
    db::clients::ensure_client(conn, partner_id, account_id, &name, now).await?;
    Ok(())
}

async fn target(conn: &mut AnyConnection, account_id: i64, uid: i64) -> AppResult<Membership> {
    db::memberships::find(&mut *conn, account_id, uid).await?.ok_or(AppError::NotFound)?.to_domain()
}

/// Assign seat: the partner seat only for partner employees.
async fn assign_seat(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<AssignSeatRequest>,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let mut m = target(&mut tx, account_id, uid).await?;
    may_change_member(me.holds(Permission::SuperAdminsManage), m.super_admin)?;
    if input.seat == Seat::Partner && m.partner_account_id.is_none() {
        let email = db::users::email_of(&mut *tx, uid).await?.ok_or(AppError::NotFound)?;
        let partner =
            recognised_partner(&state, &Email::parse(&email).map_err(|e| AppError::Internal(e.to_string()))?).await?;
        may_take_partner_seat(partner.as_ref().map(|p| p.2))?;
        let pid = partner.ok_or(AppError::NotFound)?.0;
        m.partner_account_id = Some(pid);
        managed_by(&mut tx, pid, account_id, now).await?;
    }
    let detail = format!("{} → {}", m.seat.key(), input.seat.key());
    m.seat = input.seat;
    db::memberships::update_standing(&mut tx, account_id, uid, &m).await?;
    let partner = m.partner_account_id.or(me.partner_account_id);
    history(&mut tx, now, user.user_id, account_id, uid, partner, HistoryAction::SeatChanged, None, None, &detail)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Edit permissions: a set plus individual overrides; a permission the
/// editor does not hold is neither granted nor removed (R3, the grant rule).
async fn edit_permissions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<EditPermissionsRequest>,
) -> AppResult<Json<PermissionChange>> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid).await?;
    may_change_permission_set(&m, Rule::R12)?;
    let set = match input.permission_set {
        Some(key) => Some(resolve_set(&mut tx, account_id, key).await?),
        None => None,
    };
    let before = m.permissions();
    let requested = Requested::with_overrides(set, input.added, input.removed);
    let granted = grant(Granter::member(&me), before, &requested);
    db::memberships::write_permissions(&mut tx, account_id, uid, &granted).await?;
    let detail = granted.set().map(SetKey::to_storage).unwrap_or_default();
    history(
        &mut tx,
        now,
        user.user_id,
        account_id,
        uid,
        m.partner_account_id.or(me.partner_account_id),
        HistoryAction::PermissionSetChanged,
        Some(before),
        Some(granted.permissions()),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(granted.change()))
}

async fn set_status(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    uid: i64,
    to: MembershipStatus,
) -> AppResult<StatusCode> {
    let (_, me) = manager(state, user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let mut m = target(&mut tx, account_id, uid).await?;
    may_change_member(me.holds(Permission::SuperAdminsManage), m.super_admin)?;
    change_status(&mut tx, user, me.partner_account_id, account_id, uid, &mut m, to, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    set_status(&state, &user, account_id, uid, MembershipStatus::Deactivated).await
}

async fn reactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    set_status(&state, &user, account_id, uid, MembershipStatus::Active).await
}

/// Remove: the membership goes, the user's assets here lose their owner.
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid).await?;
    may_change_member(me.holds(Permission::SuperAdminsManage), m.super_admin)?;
    remove_one(&mut tx, &user, me.partner_account_id, account_id, &m, uid, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Client-side R9: a super admin of the account changes a partner super
/// admin to Partner Admin, keeping billing if asked.
async fn migrate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<MigrateRequest>,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    if input.user_id.is_some_and(|id| id != uid) {
        return Err(AppError::BadRequest("user_id must match the address.".into()));
    }
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid).await?;
    if uid != user.user_id {
        may_migrate(Migrator::Other {
            actor: Some(&me),
            same_partner: me.partner_account_id.is_some() && me.partner_account_id == m.partner_account_id,
        })?;
    }
    let count = db::memberships::active_super_admins(&mut tx, account_id).await? as usize;
    let granted = migrate_to_partner_admin(Granter::member(&me), &m, count, input.keep_billing)?;
    let mut after = granted.applied_to(&m);
    after.seat = Seat::Partner;
    db::memberships::write_permissions(&mut tx, account_id, uid, &granted).await?;
    db::memberships::update_standing(&mut tx, account_id, uid, &after).await?;
    let detail = if input.keep_billing { "kept billing permissions" } else { "" };
    history(
        &mut tx,
        now,
        user.user_id,
        account_id,
        uid,
        m.partner_account_id.or(me.partner_account_id),
        HistoryAction::MigratedToPartnerAdmin,
        Some(m.permissions()),
        Some(after.permissions()),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
