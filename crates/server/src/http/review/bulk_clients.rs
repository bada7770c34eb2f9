//! R17: one employee across many clients — the review step and the job of
//! **Add to clients** and **Change permission set in clients**.

use super::{first_rows, started, MAX_BULK};
use crate::auth::CurrentUser;
use crate::changes::members::cam_context;
use crate::db;
use crate::db::bulk::NewJob;
use crate::error::{AppError, AppResult};
use crate::http::extract::AppJson;
use crate::http::search_text;
use crate::http::Api;
use crate::state::AppState;
use crate::work::bulk::{clients_chunk, Actor, ClientsWork, Work, CHUNK};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    AccessHere, ClientPlan, ClientSelection, ClientsAction, ClientsPreview, ClientsRequest, JobKind, JobSummary,
};
use domain::rules::check_end_date;
use domain::UnixTime;
use std::collections::{BTreeSet, HashMap};

/// Routes of one employee's bulk work across clients.
pub fn routes() -> Api {
    Api::new()
        .post("/accounts/{account_id}/cam/employees/{user_id}/clients/preview", preview_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/clients/jobs", start_clients)
}

/// What a bulk action on one employee's clients covers, validated: the
/// employee (a member of the partner account, else 404), the clients (all
/// the partner's, else 404), and the end date (R14, Add only).
async fn clients_work(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    input: &ClientsRequest,
) -> AppResult<(ClientsWork, Vec<i64>)> {
    db::memberships::find(&state.db, actor.partner_id, user_id).await?.ok_or(AppError::NotFound)?;
    let name = db::users::summary(&state.db, user_id).await?.map(|u| u.name).ok_or(AppError::NotFound)?;
    if let Some(ends_at) = input.ends_at {
        if input.action != ClientsAction::Add {
            return Err(AppError::BadRequest("An end date goes with adding to clients only.".into()));
        }
        check_end_date(state.clock.now(), ends_at)?;
    }
    let work = ClientsWork {
        action: input.action,
        user_id,
        name,
        set: input.permission_set,
        ends_at: input.ends_at.map(|t| t.0),
    };
    let clients = match &input.selection {
        ClientSelection::Clients { ids } => {
            let ids = crate::http::cam_actions::distinct_up_to(ids, "client", MAX_BULK)?;
            let known =
                db::review::clients_among(&state.db, state.backend, actor.partner_id, &db::bulk::json_ids(ids.clone()))
                    .await?;
            if known.len() != ids.len() {
                return Err(AppError::NotFound);
            }
            ids
        }
        ClientSelection::Matching { q, member, allowed_only, except } => {
            if except.len() > MAX_BULK {
                return Err(AppError::BadRequest(format!("At most {MAX_BULK} clients at a time; narrow the search.")));
            }
            let q = search_text(q.clone())?;
            let member = member.then_some(user_id);
            let mut all = db::review::matching_clients(&state.db, actor.partner_id, q.as_deref(), member).await?;
            // Clients unticked are left out; naming one that does not match leaves out nothing.
            let except: BTreeSet<i64> = except.iter().copied().collect();
            all.retain(|(id, _)| !except.contains(id));
            if all.len() > MAX_BULK {
                return Err(AppError::BadRequest(format!("At most {MAX_BULK} clients at a time; narrow the search.")));
            }
            let mut ids: Vec<i64> = all.into_iter().map(|(id, _)| id).collect();
            if *allowed_only {
                ids = allowed_among(state, actor, &work, &ids).await?;
            }
            if ids.is_empty() {
                return Err(AppError::BadRequest("No client matches.".into()));
            }
            ids
        }
    };
    Ok((work, clients))
}

/// The clients among `clients` where the very decision the job makes
/// (A1 or A2, against what is stored now) allows the work: what the
/// choosing step offers as "all that can be added".
async fn allowed_among(state: &AppState, actor: &Actor, work: &ClientsWork, clients: &[i64]) -> AppResult<Vec<i64>> {
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let mut allowed = Vec::with_capacity(clients.len());
    for chunk in clients.chunks(CHUNK) {
        let decided = clients_chunk(&mut conn, state, actor, work, chunk, now, false).await?;
        allowed.extend(decided.into_iter().filter(|d| d.refusal.is_none()).map(|d| d.client_id));
    }
    Ok(allowed)
}

/// The employee's own access in each of `clients` where they are a user.
async fn access_here(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    user_id: i64,
    clients: &[i64],
    now: i64,
) -> AppResult<HashMap<i64, AccessHere>> {
    let rows = db::review::memberships_of_user_in(conn, user_id, &db::bulk::json_ids(clients.iter().copied())).await?;
    rows.into_iter()
        .map(|r| {
            let m = r.to_domain(UnixTime(now))?;
            let here = AccessHere {
                access: m.access_type(),
                set_name: r.set_name(),
                ends_at: r.ends_at.map(UnixTime),
                linked: r.partner_account_id == Some(partner_id),
            };
            Ok((r.account_id, here))
        })
        .collect()
}

/// The review step of adding an employee to many clients, or changing
/// their set there: per client, R3's change or the refusal.
async fn preview_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<ClientsRequest>,
) -> AppResult<Json<ClientsPreview>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let actor = Actor::of(&user, &ctx);
    let (work, clients) = clients_work(&state, &actor, user_id, &input).await?;
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let mut plans = Vec::with_capacity(clients.len());
    for chunk in clients.chunks(CHUNK) {
        let mut theirs = access_here(&mut conn, ctx.partner.id, user_id, chunk, now).await?;
        for d in clients_chunk(&mut conn, &state, &actor, &work, chunk, now, false).await? {
            plans.push(ClientPlan {
                employee: theirs.remove(&d.client_id),
                client_id: d.client_id,
                crm_name: d.crm_name,
                change: d.change,
                refusal: d.refusal,
            });
        }
    }
    let refused = plans.iter().filter(|p| p.refusal.is_some()).count() as u64;
    Ok(Json(ClientsPreview {
        total: plans.len() as u64,
        allowed: plans.len() as u64 - refused,
        refused,
        rows: first_rows(&plans, |p| p.refusal.is_some()),
    }))
}

/// Starts adding an employee to many clients (or changing their set there).
async fn start_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<ClientsRequest>,
) -> AppResult<(StatusCode, Json<JobSummary>)> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let actor = Actor::of(&user, &ctx);
    let (work, clients) = clients_work(&state, &actor, user_id, &input).await?;
    let job = NewJob {
        partner_id: ctx.partner.id,
        actor_id: user.user_id,
        target_id: Some(user_id),
        kind: match input.action {
            ClientsAction::Add => JobKind::AddToClients,
            ClientsAction::ChangeSet => JobKind::ChangeSetInClients,
        },
        permission_set: Some(input.permission_set.key().to_string()),
        total: clients.len() as i64,
        now: state.clock.now().0,
    };
    let id = crate::work::bulk::start(&state, actor, job, Work::Clients { work, clients }).await?;
    started(&state, ctx.partner.id, id).await
}
