//! Settings > Partner access, R18 (row A14 of §9): the ceiling a customer
//! account sets for one partner and the end of the relationship. Every
//! route: membership (404), customer account (404), the client's own people
//! managing users only (a partner's person: 404), a partner without people
//! here (404), then the A14 decision in `domain::authority::partner_terms`
//! with the account's facts read in the write transaction. A lowering
//! narrows every person in the same transaction as the ceiling is stored,
//! with history per person and the partner's admins told.

use crate::auth::CurrentUser;
use crate::changes::members::resolve_set;
use crate::changes::{self, notices, Decided};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, NoBody};
use crate::http::partner_access::client_manager;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{CeilingLoss, CeilingPreview, CeilingRequest, PartnerChange, SetEndDateRequest};
use domain::authority;
use domain::history::HistoryAction;
use domain::{Membership, Perms, SetKey, UnixTime};
use sqlx::AnyConnection;

/// Routes under `/api/v1/accounts/{account_id}/partner-access/{partner_id}`.
pub fn routes() -> Api {
    Api::new()
        .post("/accounts/{account_id}/partner-access/{partner_id}/ceiling/preview", preview)
        .put("/accounts/{account_id}/partner-access/{partner_id}/ceiling", set_ceiling)
        .delete("/accounts/{account_id}/partner-access/{partner_id}/ceiling", remove_ceiling)
        .put("/accounts/{account_id}/partner-access/{partner_id}/relationship-end", set_end)
}

/// The partner's people here, keyed by user id with their names (404 when
/// it has nobody here).
async fn people(
    conn: &mut AnyConnection,
    account_id: i64,
    partner_id: i64,
    now: i64,
) -> AppResult<Vec<((i64, String), Membership)>> {
    let rows = db::memberships::partner_people(conn, account_id, Some(partner_id)).await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    rows.into_iter().map(|r| Ok(((r.m.user_id, r.u_name), r.m.to_domain(UnixTime(now))?))).collect()
}

/// A ceiling as asked for: one of the account's sets, or a list of
/// permissions — exactly one (400 otherwise).
async fn ceiling_of(
    conn: &mut AnyConnection,
    account_id: i64,
    req: &CeilingRequest,
) -> AppResult<(Option<SetKey>, Perms)> {
    match (req.permission_set, req.permissions) {
        (Some(key), None) => {
            let (key, perms) = resolve_set(conn, account_id, key).await?;
            Ok((Some(key), perms))
        }
        (None, Some(perms)) => Ok((None, perms.assignable())),
        _ => Err(AppError::BadRequest("Give either a permission set or a list of permissions.".into())),
    }
}

/// What a ceiling would do, decided as the real step would be (its
/// refusals included) and nothing written.
async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    AppJson(req): AppJson<CeilingRequest>,
) -> AppResult<Json<CeilingPreview>> {
    let me = client_manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let people = people(&mut conn, account_id, partner_id, now).await?;
    let (_, ceiling) = ceiling_of(&mut conn, account_id, &req).await?;
    let mut place = changes::place(&mut conn, account_id, now).await?;
    let before = place.terms_of(Some(partner_id)).and_then(|t| t.ceiling);
    authority::set_ceiling(&me, &people, Some(ceiling), &mut place)?;
    let people = authority::ceiling_losses(&people, ceiling)
        .into_iter()
        .map(|((user_id, name), loses)| CeilingLoss { user_id, name, loses })
        .collect();
    Ok(Json(CeilingPreview { step: authority::ceiling_step(before, Some(ceiling)), people }))
}

async fn set_ceiling(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    AppJson(req): AppJson<CeilingRequest>,
) -> AppResult<Json<PartnerChange>> {
    ceiling(&state, &user, account_id, partner_id, Some(req)).await
}

async fn remove_ceiling(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    ceiling(&state, &user, account_id, partner_id, None).await
}

/// A14 for a ceiling (none removes it): every person's change and the
/// ceiling in one write transaction; the partner's admins told of a
/// lowering. Answers how many people were narrowed.
async fn ceiling(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    partner_id: i64,
    req: Option<CeilingRequest>,
) -> AppResult<Json<PartnerChange>> {
    let me = client_manager(state, user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let people = people(&mut tx, account_id, partner_id, now).await?;
    let asked = match &req {
        Some(req) => Some(ceiling_of(&mut tx, account_id, req).await?),
        None => None,
    };
    let mut place = changes::place(&mut tx, account_id, now).await?;
    let decided: Vec<Decided> = authority::set_ceiling(&me, &people, asked.map(|(_, p)| p), &mut place)?
        .into_iter()
        .map(|((user_id, _), change)| Decided { account_id, user_id, change })
        .collect();
    let narrowed = decided.iter().filter(|d| d.change.grant().is_some()).count();
    changes::apply(&mut tx, state, &changes::Actor::user(user, None), &decided, now).await?;
    let stored = asked.map(|(set, perms)| (set.map(|s| s.to_storage()), perms));
    let stored = stored.as_ref().map(|(set, perms)| (set.as_deref(), *perms));
    db::terms::write_ceiling(&mut tx, account_id, partner_id, stored, user.user_id, now).await?;
    if narrowed > 0 {
        let extra = [("people", narrowed.to_string())];
        notices::tell_sides(&mut tx, state, "ceiling_lowered", account_id, partner_id, &extra, false, now).await?;
    }
    tx.commit().await?;
    state.work_wakeup.notify_one();
    let step = decided.first().map(|d| d.change.action().key());
    tracing::info!(account_id, partner_id, narrowed, ?step, "a client set a partner's ceiling");
    Ok(Json(PartnerChange { people: narrowed as u32 }))
}

/// A14 for the relationship's end (none removes it): stored with one
/// history event per person, the partner's admins told. Answers how many
/// people it applies to.
async fn set_end(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    AppJson(req): AppJson<SetEndDateRequest>,
) -> AppResult<Json<PartnerChange>> {
    let me = client_manager(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let people = people(&mut tx, account_id, partner_id, now).await?;
    let mut place = changes::place(&mut tx, account_id, now).await?;
    let decided: Vec<Decided> = authority::set_relationship_end(&me, &people, req.ends_at, &mut place)?
        .into_iter()
        .map(|((user_id, _), change)| Decided { account_id, user_id, change })
        .collect();
    if !decided.is_empty() {
        changes::apply(&mut tx, &state, &changes::Actor::user(&user, None), &decided, now).await?;
        db::terms::write_end(&mut tx, account_id, partner_id, req.ends_at.map(|t| t.0), user.user_id, now).await?;
        let (kind, extra) = match req.ends_at {
            Some(at) => ("relationship_end_set", vec![("date", at.date())]),
            None => ("relationship_end_removed", vec![]),
        };
        notices::tell_sides(&mut tx, &state, kind, account_id, partner_id, &extra, false, now).await?;
    }
    tx.commit().await?;
    state.work_wakeup.notify_one();
    let step = decided.first().map(|d| d.change.action()).unwrap_or(HistoryAction::RelationshipEndMoved);
    tracing::info!(account_id, partner_id, step = step.key(), "a client set a partner's relationship end");
    Ok(Json(PartnerChange { people: decided.len() as u32 }))
}
