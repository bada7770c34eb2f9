//! Settings > Users & Teams actions in a customer account (R9 client side,
//! R11, R12): the Create user wizard with the Partner Admin template, seats,
//! permissions, deactivation, removal and the client-side migration of a
//! partner super admin. Every route: membership (404), customer account (404),
//! R11 (only super admins or *Add and edit users*), then the action's rule.

use crate::auth::CurrentUser;
use crate::changes::members::resolve_set;
use crate::changes::members::user_manager;
use crate::changes::{self, member, place, Decided};
use crate::db;
use crate::db::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, AppQuery, ClientIp, NoBody};
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    AssignSeatRequest, CreateUserRequest, CreatedUser, EditPermissionsRequest, MigrateRequest, UserCandidate,
};
use domain::authority::{self, NewUser};
use domain::grant::{PermissionChange, Requested};
use domain::rules::{may_take_partner_seat, partner_admin_template_available, TemplateCandidate, TemplateEligibility};
use domain::{Email, Membership, PartnerProgram, Seat, SetKey, StandardSet};
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
    let (_, me) = manager(&state, &user, account_id).await?;
    let existing = db::users::by_email(&state.db, q.email.as_str()).await?;
    let already_member = match &existing {
        Some((id, _)) => db::memberships::find(&state.db, account_id, *id).await?.is_some(),
        None => false,
    };
    let partner = recognised_partner(&state, &q.email).await?;
    let template = TemplateEligibility::of(TemplateCandidate {
        partner_program: partner.as_ref().map(|p| p.2),
        partner_seat: q.seat == Some(Seat::Partner),
    });
    // R18: the account's ceiling for the person's partner bounds what a
    // partner seat or the Partner Admin template would give them.
    // Only for the client's own people and that partner's (R16).
    let ceiling = match &partner {
        Some((pid, _, _)) if domain::authority::partner_terms::sees_ceiling(&me, Some(*pid)) => {
            match db::terms::find(&state.db, account_id, *pid).await? {
                Some(t) => t.ceiling()?,
                None => None,
            }
        }
        _ => None,
    };
    Ok(Json(UserCandidate { email: q.email, already_member, template, ceiling }))
}

/// Applies one decided change made on the account's own screens by the
/// signed-in user (`me`: their membership there; a partner's person acts
/// for their partner).
async fn apply_one(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    me: &Membership,
    decided: Decided,
    now: i64,
) -> AppResult<()> {
    changes::apply(conn, state, &changes::Actor::user(user, me.partner_account_id), &[decided], now).await
}

/// A9, Create user (R11): the Partner Admin template only for an eligible
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
    let partner_admin = input.template == Some(SetKey::Standard(StandardSet::PartnerAdmin));
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
    let (uid, there) = match existing {
        Some(id) => (id, member(&mut tx, account_id, id, now).await?),
        None => {
            const NAME_NEEDED: AppError =
                AppError::Input { reason: "person_name", message: "Enter the person's name (at most 120 characters)." };
            input
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty() && n.chars().count() <= 120)
                .ok_or(NAME_NEEDED)?;
            (0, None)
        }
    };
    let new = NewUser {
        partner: partner.as_ref().map(|p| p.0).filter(|_| partner_admin || input.seat == Seat::Partner),
        seat: input.seat,
        end: input.ends_at,
    };
    let mut at = place(&mut tx, account_id, now).await?;
    let change = authority::create_user(&me, there.as_ref(), input.email.as_str(), &requested, &new, &mut at)?;
    let uid = match existing {
        Some(_) => uid,
        // No password yet: the person sets one through an invitation.
        None => {
            db::users::insert(&mut tx, input.email.as_str(), input.name.as_deref().unwrap_or_default().trim(), "!", now)
                .await?
        }
    };
    let granted =
        change.grant().map(|g| g.change()).ok_or_else(|| AppError::Internal("create without a grant".into()))?;
    apply_one(&mut tx, &state, &user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedUser { user_id: uid, change: granted })))
}

/// A7 (R14), the client side: the client's own people set, change or
/// remove when a partner employee's access to this account ends.
async fn set_end_date(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<domain::api::SetEndDateRequest>,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid, now).await?;
    let mut at = place(&mut tx, account_id, now).await?;
    let change = authority::set_end_as_client(&me, &m, input.ends_at, &mut at)?;
    apply_one(&mut tx, &state, &user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn target(conn: &mut AnyConnection, account_id: i64, uid: i64, now: i64) -> AppResult<Membership> {
    member(conn, account_id, uid, now).await?.ok_or(AppError::NotFound)
}

/// A9, Assign seat: the partner seat only for partner employees.
async fn assign_seat(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<AssignSeatRequest>,
) -> AppResult<StatusCode> {
    let (_, me) = manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid, now).await?;
    let mut partner = m.partner_account_id;
    if input.seat == Seat::Partner && partner.is_none() {
        let email = db::users::email_of(&mut *tx, uid).await?.ok_or(AppError::NotFound)?;
        let found =
            recognised_partner(&state, &Email::parse(&email).map_err(|e| AppError::Internal(e.to_string()))?).await?;
        may_take_partner_seat(found.as_ref().map(|p| p.2))?;
        partner = Some(found.ok_or(AppError::NotFound)?.0);
    }
    let mut at = place(&mut tx, account_id, now).await?;
    let change = authority::assign_seat(&me, &m, input.seat, partner, &mut at)?;
    apply_one(&mut tx, &state, &user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A9, Edit permissions: a set plus individual overrides; a permission the
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
    let m = target(&mut tx, account_id, uid, now).await?;
    let set = match input.permission_set {
        Some(key) => Some(resolve_set(&mut tx, account_id, key).await?),
        None => None,
    };
    let requested = Requested::with_overrides(set, input.added, input.removed);
    let mut at = place(&mut tx, account_id, now).await?;
    let change = authority::edit_permissions(&me, &m, &requested, &mut at)?;
    let granted =
        change.grant().map(|g| g.change()).ok_or_else(|| AppError::Internal("edit without a grant".into()))?;
    apply_one(&mut tx, &state, &user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(Json(granted))
}

/// What the account's own screens do to one member (A9).
#[derive(Debug, Clone, Copy)]
enum OnMember {
    Deactivate,
    Reactivate,
    Remove,
}

async fn on_member(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    uid: i64,
    what: OnMember,
) -> AppResult<StatusCode> {
    let (_, me) = manager(state, user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let m = target(&mut tx, account_id, uid, now).await?;
    let mut at = place(&mut tx, account_id, now).await?;
    let change = match what {
        OnMember::Deactivate => authority::deactivate_member(&me, &m, &mut at)?,
        OnMember::Reactivate => authority::reactivate_member(&me, &m, &mut at)?,
        OnMember::Remove => authority::remove_member(&me, &m, &mut at)?,
    };
    apply_one(&mut tx, state, user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    on_member(&state, &user, account_id, uid, OnMember::Deactivate).await
}

async fn reactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    on_member(&state, &user, account_id, uid, OnMember::Reactivate).await
}

/// Remove: the membership goes, the user's assets here lose their owner.
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    on_member(&state, &user, account_id, uid, OnMember::Remove).await
}

/// A10, client side (R9): the client's own super admins change a partner
/// super admin to Partner Admin, keeping billing if asked.
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
    let m = target(&mut tx, account_id, uid, now).await?;
    let mut at = place(&mut tx, account_id, now).await?;
    let change = authority::convert_as_client(&me, &m, input.keep_billing, &mut at)?;
    apply_one(&mut tx, &state, &user, &me, Decided { account_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
