//! Settings > Partner access in a customer account (R16): every partner with
//! people here, and the client's control over each: suspend (all its people
//! deactivated in one transaction, their sessions here ended, the partner
//! told), resume, remove. Every route: membership (404), customer account
//! (404), R11's user managers only, then R16 with R3, R12 and R9; a partner
//! without people here is as unknown as any other id (404).

use crate::auth::CurrentUser;
use crate::changes::members::in_customer_account;
use crate::changes::{self, Decided};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::NoBody;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{NamedSet, PartnerAccess, PartnerChange, PartnerPeople, PartnerPerson};
use domain::authority::{self, PartnerControl};
use domain::{Membership, SetKey, Side, UnixTime};

/// Routes under `/api/v1/accounts/{account_id}/partner-access`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/partner-access", list)
        .post("/accounts/{account_id}/partner-access/{partner_id}/suspend", suspend)
        .post("/accounts/{account_id}/partner-access/{partner_id}/resume", resume)
        .post("/accounts/{account_id}/partner-access/{partner_id}/remove", remove)
}

/// R11, then A12: the page and its actions exist only for the client's own
/// people; to a partner's person, whatever they hold here, they are as
/// unknown as any other page (404).
pub(crate) async fn client_manager(state: &AppState, user: &CurrentUser, account_id: i64) -> AppResult<Membership> {
    let (_, me) = in_customer_account(state, user.user_id, account_id).await?;
    if me.side() == Side::Partner {
        return Err(AppError::NotFound);
    }
    domain::rules::may_manage_users(&me)?;
    Ok(me)
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<PartnerAccess>> {
    let me = client_manager(&state, &user, account_id).await?;
    let now = UnixTime(state.clock.now().0);
    let mut conn = state.db.acquire().await?;
    let place = changes::place(&mut conn, account_id, now.0).await?;
    let rows = db::memberships::partner_people(&mut conn, account_id, None).await?;
    let terms = db::terms::of_account(&mut conn, account_id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.m.user_id).collect();
    let with_factor = db::factors::with_factor(&state.db, &ids).await?;
    let mut partners: Vec<(PartnerPeople, Vec<Membership>)> = vec![];
    for r in rows {
        let m = r.m.to_domain(now)?;
        let pid = r.m.partner_account_id.unwrap_or_default();
        if partners.last().is_none_or(|(p, _)| p.partner_id != pid) {
            let suspended_at = db::ending::suspended_at(&mut conn, account_id, pid).await?.map(UnixTime);
            let t = terms.iter().find(|t| t.partner_account_id == pid);
            let ceiling = match t {
                Some(t) => ceiling_view(&mut conn, account_id, t).await?,
                None => None,
            };
            let (ceiling, ceiling_set, ceiling_name) = match ceiling {
                Some(c) => (Some(c.permissions), c.set, c.set_name),
                None => (None, None, None),
            };
            let group = PartnerPeople {
                partner_id: pid,
                partner_name: r.p_name.clone(),
                suspended_at,
                people: vec![],
                refused: None,
                ceiling,
                ceiling_set,
                ceiling_name,
                relationship_end: t.and_then(|t| t.ends_at).map(UnixTime),
            };
            partners.push((group, vec![]));
        }
        let Some((group, members)) = partners.last_mut() else { continue };
        group.people.push(PartnerPerson {
            user_id: r.m.user_id,
            set_name: r.m.set_name(),
            super_admin: m.super_admin,
            seat: m.seat,
            status: m.status,
            last_activity: r.m.last_activity_at.map(UnixTime),
            // The effective end: the earlier of the person's own and the relationship's (R18).
            ends_at: m.effective_end(),
            refused: domain::authority::previews::member(&me, &m, &place),
            second_factor: with_factor.contains(&r.m.user_id),
            name: r.u_name,
            email: r.u_email,
        });
        members.push(m);
    }
    let partners = partners
        .into_iter()
        .map(|(mut group, members)| {
            group.refused = authority::may_control_partner(&me, &members).err();
            group
        })
        .collect();
    let custom_sets = db::terms::custom_sets(&mut conn, account_id)
        .await?
        .into_iter()
        .map(|(id, name)| NamedSet { key: SetKey::Custom(id), name })
        .collect();
    Ok(Json(PartnerAccess { partners, custom_sets }))
}

/// A partner's ceiling as the pages show it: its permissions, and the set
/// it was chosen as with its name.
pub(crate) struct CeilingView {
    pub permissions: domain::Perms,
    pub set: Option<SetKey>,
    pub set_name: Option<String>,
}

/// The stored ceiling of `t`, if any, as the pages show it.
pub(crate) async fn ceiling_view(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    t: &db::terms::TermsRow,
) -> AppResult<Option<CeilingView>> {
    let Some(permissions) = t.ceiling()? else { return Ok(None) };
    let set = t.ceiling_set.as_deref().and_then(SetKey::from_storage);
    let custom_name = match set {
        Some(SetKey::Custom(id)) => db::terms::custom_set_name(conn, account_id, id).await?,
        _ => None,
    };
    let set_name = db::memberships::set_display_name(t.ceiling_set.as_deref(), custom_name);
    Ok(Some(CeilingView { set, set_name, permissions }))
}

async fn suspend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, PartnerControl::Suspend).await
}

async fn resume(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, PartnerControl::Resume).await
}

async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, PartnerControl::Remove).await
}

/// A12 for the signed-in user over the partner's people (404 when it has
/// nobody here), then every person's change in one write transaction; the
/// suspension is recorded or ended, and the partner's admins told.
async fn control(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    partner_id: i64,
    what: PartnerControl,
) -> AppResult<Json<PartnerChange>> {
    let me = client_manager(state, user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let rows = db::memberships::partner_people(&mut tx, account_id, Some(partner_id)).await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    let people =
        rows.iter().map(|r| Ok((r.m.user_id, r.m.to_domain(UnixTime(now))?))).collect::<AppResult<Vec<_>>>()?;
    let suspended = db::ending::suspended_at(&mut tx, account_id, partner_id).await?.is_some();
    let mut at = changes::place(&mut tx, account_id, now).await?;
    let decided: Vec<Decided> = authority::control_partner(&me, what, &people, suspended, &mut at)?
        .into_iter()
        .map(|(user_id, change)| Decided { account_id, user_id, change })
        .collect();
    changes::apply(&mut tx, state, &changes::Actor::user(user, None), &decided, now).await?;
    changes::suspension(&mut tx, state, what, account_id, partner_id, user.user_id, now).await?;
    tx.commit().await?;
    state.work_wakeup.notify_one();
    let changed = decided.len();
    tracing::info!(account_id, partner_id, changed, ?what, "a client controlled a partner's access");
    Ok(Json(PartnerChange { people: changed as u32 }))
}
