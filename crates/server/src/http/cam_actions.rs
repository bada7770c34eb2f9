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
use crate::changes::members::resolve_set;
use crate::changes::members::{cam_context, CamContext};
use crate::changes::{self, member, place, Decided};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, NoBody};
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    AddEmployeesRequest, ChangeSetRequest, EmployeeChange, MigrateRequest, RemoveEmployeesRequest, SetEndDateRequest,
};
use domain::authority::{self, PartnerActor, Place};
use domain::grant::Requested;
use domain::{Membership, Refusal};
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

/// The partner's employee inside the client (flagged with the partner), as
/// of now, or 404.
async fn partner_employee_in(
    conn: &mut AnyConnection,
    client_id: i64,
    partner_id: i64,
    user_id: i64,
    now: i64,
) -> AppResult<Membership> {
    member(conn, client_id, user_id, now)
        .await?
        .filter(|m| m.partner_account_id == Some(partner_id))
        .ok_or(AppError::NotFound)
}

/// What one partner-side action needs inside its write transaction: the
/// acting user's membership of the client (as of now) and the client.
struct InClient {
    mine: Option<Membership>,
    place: Place,
    now: i64,
}

impl InClient {
    async fn load(conn: &mut AnyConnection, user: &CurrentUser, client_id: i64, now: i64) -> AppResult<InClient> {
        let mine = member(conn, client_id, user.user_id, now).await?;
        Ok(InClient { mine, place: place(conn, client_id, now).await?, now })
    }
}

/// The §9 actor: R1 in the partner account, then the membership of the client.
fn actor_of<'a>(ctx: &CamContext, mine: &'a Option<Membership>) -> Result<PartnerActor<'a>, Refusal> {
    PartnerActor::new(ctx.partner.id, ctx.partner.kind, &ctx.me, mine.as_ref())
}

/// Applies one decided change for the signed-in user acting for the partner.
async fn apply_one(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: &CamContext,
    decided: Decided,
    now: i64,
) -> AppResult<()> {
    changes::apply(conn, state, &changes::Actor::user(user, Some(ctx.partner.id)), &[decided], now).await
}

/// A1 (R4) with R3: adds partner employees to a client with a permission
/// set, granting only what the acting Partner Admin holds there.
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
    let mut here = InClient::load(&mut tx, &user, client_id, now).await?;
    let requested = Requested::set(set, set_perms);
    let mut decided = Vec::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for uid in ids {
        member(&mut tx, ctx.partner.id, uid, now).await?.ok_or(AppError::NotFound)?;
        let existing = member(&mut tx, client_id, uid, now).await?;
        let name = match existing {
            Some(_) => db::users::summary(&mut *tx, uid).await?.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        };
        let actor = actor_of(&ctx, &here.mine)?;
        let change =
            authority::add_employee(&actor, existing.as_ref(), &name, &requested, input.ends_at, &mut here.place)?;
        let grant =
            change.grant().map(|g| g.change()).ok_or_else(|| AppError::Internal("add without a grant".into()))?;
        out.push(EmployeeChange { user_id: uid, change: grant });
        decided.push(Decided { account_id: client_id, user_id: uid, change });
    }
    changes::apply(&mut tx, &state, &changes::Actor::user(&user, Some(ctx.partner.id)), &decided, now).await?;
    tx.commit().await?;
    Ok(Json(out))
}

/// A2 (R3): changes an employee's permission set in a client.
async fn change_set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    AppJson(input): AppJson<ChangeSetRequest>,
) -> AppResult<Json<EmployeeChange>> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid, now).await?;
    let (set, set_perms) = resolve_set(&mut tx, client_id, input.permission_set).await?;
    let mut here = InClient::load(&mut tx, &user, client_id, now).await?;
    let actor = actor_of(&ctx, &here.mine)?;
    let change = authority::change_set(&actor, &target, &Requested::set(set, set_perms), &mut here.place)?;
    let grant = change.grant().map(|g| g.change()).ok_or_else(|| AppError::Internal("set without a grant".into()))?;
    apply_one(&mut tx, &state, &user, &ctx, Decided { account_id: client_id, user_id: uid, change }, here.now).await?;
    tx.commit().await?;
    Ok(Json(EmployeeChange { user_id: uid, change: grant }))
}

/// What a partner-side action on one employee in one client is.
#[derive(Debug, Clone, Copy)]
enum OnEmployee {
    Deactivate,
    Reactivate,
}

async fn on_employee(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    client_id: i64,
    uid: i64,
    what: OnEmployee,
) -> AppResult<StatusCode> {
    let ctx = client_of(state, user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid, now).await?;
    let mut here = InClient::load(&mut tx, user, client_id, now).await?;
    let actor = actor_of(&ctx, &here.mine)?;
    let change = match what {
        OnEmployee::Deactivate => authority::deactivate_employee(&actor, &target, &mut here.place)?,
        OnEmployee::Reactivate => authority::reactivate_employee(&actor, &target, &mut here.place)?,
    };
    apply_one(&mut tx, state, user, &ctx, Decided { account_id: client_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A3 (R2, R8): deactivation keeps the membership (and the managed relationship).
async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    on_employee(&state, &user, account_id, client_id, uid, OnEmployee::Deactivate).await
}

/// A4 (R2, R8): reactivation by an active Partner Admin there.
async fn reactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    on_employee(&state, &user, account_id, client_id, uid, OnEmployee::Reactivate).await
}

/// A6 (R14): sets, moves or removes when an employee's access to a client
/// ends, from the partner side.
async fn set_end_date(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id, uid)): Path<(i64, i64, i64)>,
    AppJson(input): AppJson<SetEndDateRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid, now).await?;
    let mut here = InClient::load(&mut tx, &user, client_id, now).await?;
    let actor = actor_of(&ctx, &here.mine)?;
    let change = authority::set_end_as_partner(&actor, &target, input.ends_at, &mut here.place)?;
    apply_one(&mut tx, &state, &user, &ctx, Decided { account_id: client_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R7: removes the chosen partner employees from one client, each decided
/// as A3, all or none.
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
    let mut here = InClient::load(&mut tx, &user, client_id, now).await?;
    let mut decided = Vec::with_capacity(ids.len());
    for uid in ids {
        let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid, now).await?;
        let actor = actor_of(&ctx, &here.mine)?;
        let change = authority::remove_employee(&actor, &target, &mut here.place)?;
        decided.push(Decided { account_id: client_id, user_id: uid, change });
    }
    changes::apply(&mut tx, &state, &changes::Actor::user(&user, Some(ctx.partner.id)), &decided, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A10, partner side (R9): the signed-in super admin, or another partner
/// super admin when the actor is Partner Admin there, becomes Partner
/// Admin. The super admins are counted inside the write transaction, so
/// two racing conversions cannot both pass.
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
    let target = partner_employee_in(&mut tx, client_id, ctx.partner.id, uid, now).await?;
    let mut here = InClient::load(&mut tx, &user, client_id, now).await?;
    let actor = actor_of(&ctx, &here.mine)?;
    let themself = uid == user.user_id;
    let change = authority::convert_as_partner(&actor, themself, &target, input.keep_billing, &mut here.place)?;
    apply_one(&mut tx, &state, &user, &ctx, Decided { account_id: client_id, user_id: uid, change }, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
