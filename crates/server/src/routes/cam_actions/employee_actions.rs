//! Client Access Manager actions on one employee across the partner's
//! clients: where they are a user with their assets (R6 step 1, R5), linking
//! them in a client where they already are a user (R5), and removing them
//! from many clients at once, all or none (R6).

use super::{client_of, distinct, membership, record_activity};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::AppJson;
use crate::routes::cam::cam_context;
use crate::routes::{end_sessions_of, history, Api};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{EmployeeClient, LinkClientRequest, RemoveFromClientsRequest};
use domain::history::HistoryAction;
use domain::rules::{keeps_a_super_admin, may_act_in_client, may_link, ClientAction};
use domain::MembershipStatus;

/// Routes of the employee actions under `/api/v1/accounts/{account_id}/cam/employees`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/cam/employees/{user_id}/clients", employee_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients", remove_from_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/link", link_client)
}

/// R6: removes one employee from the chosen clients, all or none. Done
/// set-wise (a handful of statements whatever the number of clients), so
/// that removing someone from a thousand clients stays fast.
async fn remove_from_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<RemoveFromClientsRequest>,
) -> AppResult<StatusCode> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let ids = distinct(&input.client_ids, "client")?;
    // Removal needs Client Access Manager only, not a role in each client (R2).
    may_act_in_client(ClientAction::Remove, ctx.partner.kind, &ctx.me, None, false)?;
    let json = serde_json::to_string(&ids).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    membership(&mut tx, ctx.partner.id, uid).await?.ok_or(AppError::NotFound)?;
    let rows = db::employee_clients::employee_memberships_in(&mut tx, ctx.partner.id, uid, &json).await?;
    if rows.len() != ids.len() {
        // A client that is not this partner's, or where the employee is not a partner user.
        return Err(AppError::NotFound);
    }
    let mut before = Vec::with_capacity(rows.len());
    for row in &rows {
        let m = row.to_domain()?;
        if m.is_active_super_admin() {
            let super_admins = db::memberships::active_super_admins(&mut tx, row.account_id).await? as usize;
            keeps_a_super_admin(&m, super_admins)?;
        }
        before.push((row.account_id, m.permissions()));
    }
    let assets =
        db::employee_clients::remove_employee_from(&mut tx, ctx.partner.id, user.user_id, uid, &json, now).await?;
    end_sessions_of(&mut tx, uid, &user).await?;
    for (client_id, _) in &before {
        db::ending::forget_if_nobody_left(&mut tx, *client_id, ctx.partner.id).await?;
    }
    for (client_id, perms) in before {
        let detail = format!("{} assets left without an owner", assets.get(&client_id).copied().unwrap_or(0));
        let partner = Some(ctx.partner.id);
        history(
            &mut tx,
            now,
            user.user_id,
            client_id,
            uid,
            partner,
            HistoryAction::Removed,
            Some(perms),
            None,
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R5: links an employee who already exists in a client, for managed credit.
async fn link_client(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    AppJson(input): AppJson<LinkClientRequest>,
) -> AppResult<StatusCode> {
    let ctx = client_of(&state, &user, account_id, input.client_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    membership(&mut tx, ctx.partner.id, uid).await?.ok_or(AppError::NotFound)?;
    let existing = membership(&mut tx, input.client_id, uid).await?;
    may_link(existing.as_ref(), ctx.partner.id)?;
    let mut m = existing.ok_or(AppError::NotFound)?;
    m.partner_account_id = Some(ctx.partner.id);
    db::memberships::update_standing(&mut tx, input.client_id, uid, &m).await?;
    let partner = Some(ctx.partner.id);
    history(&mut tx, now, user.user_id, input.client_id, uid, partner, HistoryAction::ClientLinked, None, None, "")
        .await?;
    record_activity(&mut tx, &ctx, user.user_id, input.client_id, now).await?;
    tx.commit().await?;
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
            assets: db::assets::of_owner(&state.db, r.client_id, uid).await?,
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
