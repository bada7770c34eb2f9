//! Client Access Manager actions on one employee across the partner's
//! clients: where they are a user with their assets (R6 step 1, R5), linking
//! them in a client where they already are a user (R5), and removing them
//! from many clients at once, all or none (R6).

use super::{client_of, distinct};
use crate::auth::CurrentUser;
use crate::changes::members::cam_context;
use crate::changes::{self, member, place, Decided};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::AppJson;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{EmployeeClient, LinkClientRequest, RemoveFromClientsRequest};
use domain::authority::{self, PartnerActor};
use domain::{MembershipStatus, UnixTime};

/// Routes of the employee actions under `/api/v1/accounts/{account_id}/cam/employees`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/cam/employees/{user_id}/clients", employee_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients", remove_from_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/link", link_client)
}

/// R6: removes one employee from the chosen clients, each decided as A3,
/// all or none, in one set-wise write.
async fn remove_from_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<RemoveFromClientsRequest>,
) -> AppResult<StatusCode> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let ids = distinct(&input.client_ids, "client")?;
    let json = serde_json::to_string(&ids).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    member(&mut tx, ctx.partner.id, uid, now).await?.ok_or(AppError::NotFound)?;
    let rows = db::employee_clients::employee_memberships_in(&mut tx, ctx.partner.id, uid, &json).await?;
    if rows.len() != ids.len() {
        // A client that is not this partner's, or where the employee is not a partner user.
        return Err(AppError::NotFound);
    }
    // A3 needs R1 only, not a role in each client (R2).
    let actor = PartnerActor::new(ctx.partner.id, ctx.partner.kind, &ctx.me, None)?;
    let accounts: Vec<i64> = rows.iter().map(|r| r.account_id).collect();
    let mut places = changes::places(&mut tx, ctx.partner.id, &accounts, now).await?;
    let mut decided = Vec::with_capacity(rows.len());
    for row in &rows {
        let person = row.to_domain(UnixTime(now))?;
        let at = places.get_mut(&row.account_id).ok_or(AppError::NotFound)?;
        let change = authority::remove_employee(&actor, &person, at)?;
        decided.push(Decided { account_id: row.account_id, user_id: uid, change });
    }
    changes::apply(&mut tx, &state, &changes::Actor::user(&user, Some(ctx.partner.id)), &decided, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A5 (R5): links an employee who already exists in a client, for managed
/// credit; nothing but the partner flag changes.
async fn link_client(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<LinkClientRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, input.client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    member(&mut tx, ctx.partner.id, uid, now).await?.ok_or(AppError::NotFound)?;
    let existing = member(&mut tx, input.client_id, uid, now).await?;
    let mine = member(&mut tx, input.client_id, user.user_id, now).await?;
    let actor = PartnerActor::new(ctx.partner.id, ctx.partner.kind, &ctx.me, mine.as_ref())?;
    let mut at = place(&mut tx, input.client_id, now).await?;
    let change = authority::link_user(&actor, existing.as_ref(), &mut at)?;
    let decided = [Decided { account_id: input.client_id, user_id: uid, change }];
    changes::apply(&mut tx, &state, &changes::Actor::user(&user, Some(ctx.partner.id)), &decided, now).await?;
    tx.commit().await?;
    state.work_wakeup.notify_one();
    Ok(StatusCode::NO_CONTENT)
}

/// The partner's clients where the employee is a user, with the assets they
/// own there (R6 step 1) and whether each is linked (R5).
async fn employee_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
) -> AppResult<Json<Vec<EmployeeClient>>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    db::memberships::find(&state.db, ctx.partner.id, uid).await?.ok_or(AppError::NotFound)?;
    let rows = db::employee_clients::clients_of_employee(&state.db, ctx.partner.id, uid).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(EmployeeClient {
            assets: db::assets::of_owner(&state.db, state.backend, r.client_id, uid).await?,
            linked: r.partner_account_id.is_some(),
            status: MembershipStatus::parse(&r.status).unwrap_or(MembershipStatus::Active),
            client_id: r.client_id,
            ends_at: r.ends_at.map(domain::UnixTime),
            crm_name: r.crm_name,
            official_name: r.official_name,
        });
    }
    Ok(Json(out))
}
