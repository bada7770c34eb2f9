//! Settings > Partner access in a customer account (R16): every partner with
//! people here, and the client's control over each: suspend (all its people
//! deactivated in one transaction, their sessions here ended, the partner
//! told), resume, remove. Every route: membership (404), customer account
//! (404), R11's user managers only, then R16 with R3, R12 and R9; a partner
//! without people here is as unknown as any other id (404).

use crate::auth::CurrentUser;
use crate::db;
use crate::db::memberships::{MembershipRow, CUSTOM_SET_JOIN, MEMBERSHIP_COLUMNS};
use crate::error::{AppError, AppResult};
use crate::extract::NoBody;
use crate::routes::{history, remove_one, user_manager, Api};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{PartnerAccess, PartnerChange, PartnerPeople, PartnerPerson};
use domain::history::HistoryAction;
use domain::rules::{keeps_a_super_admin_without, may_control_partner, may_resume, may_suspend};
use domain::{Membership, Perms, UnixTime};
use sqlx::{AnyConnection, FromRow};

/// Routes under `/api/v1/accounts/{account_id}/partner-access`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/partner-access", list)
        .post("/accounts/{account_id}/partner-access/{partner_id}/suspend", suspend)
        .post("/accounts/{account_id}/partner-access/{partner_id}/resume", resume)
        .post("/accounts/{account_id}/partner-access/{partner_id}/remove", remove)
}

#[derive(FromRow)]
struct PersonRow {
    #[sqlx(flatten)]
    m: MembershipRow,
    u_name: String,
    u_email: String,
    p_name: String,
}

/// The partner employees of an account (of one partner, or all), by partner and name.
async fn people(conn: &mut AnyConnection, account_id: i64, partner: Option<i64>) -> AppResult<Vec<PersonRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, u.name AS u_name, u.email AS u_email, p.name AS p_name \
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts p ON p.id = m.partner_account_id \
         {CUSTOM_SET_JOIN} \
         WHERE m.account_id = $1 AND m.partner_account_id IS NOT NULL AND ($2 IS NULL OR m.partner_account_id = $2) \
         ORDER BY {}, p.id, {}, u.id",
        db::nocase("p.name"),
        db::nocase("u.name")
    ))
    .bind(account_id)
    .bind(partner)
    .fetch_all(conn)
    .await?)
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<PartnerAccess>> {
    let (_, me) = user_manager(&state, user.user_id, account_id).await?;
    let mut conn = state.db.acquire().await?;
    let rows = people(&mut conn, account_id, None).await?;
    let mut partners: Vec<(PartnerPeople, Vec<Membership>)> = vec![];
    for r in rows {
        let m = r.m.to_domain()?;
        let pid = r.m.partner_account_id.unwrap_or_default();
        if partners.last().is_none_or(|(p, _)| p.partner_id != pid) {
            let suspended_at = db::ending::suspended_at(&mut conn, account_id, pid).await?.map(UnixTime);
            let group = PartnerPeople {
                partner_id: pid,
                partner_name: r.p_name.clone(),
                suspended_at,
                people: vec![],
                refused: None,
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
            ends_at: r.m.ends_at.map(UnixTime),
            name: r.u_name,
            email: r.u_email,
        });
        members.push(m);
    }
    let partners = partners
        .into_iter()
        .map(|(mut group, members)| {
            group.refused = may_control_partner(&me, &members).err();
            group
        })
        .collect();
    Ok(Json(PartnerAccess { partners }))
}

/// The partner's people in the account, decided by R16 for the signed-in
/// user (404 when the partner has nobody here).
async fn controlled(
    conn: &mut AnyConnection,
    me: &Membership,
    account_id: i64,
    partner_id: i64,
) -> AppResult<Vec<(i64, Membership)>> {
    let rows = people(conn, account_id, Some(partner_id)).await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    let people = rows.iter().map(|r| Ok((r.m.user_id, r.m.to_domain()?))).collect::<AppResult<Vec<_>>>()?;
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    may_control_partner(me, &members)?;
    Ok(people)
}

/// What a client does to one partner's people (R16).
#[derive(Debug, Clone, Copy)]
enum Control {
    Suspend,
    Resume,
    Remove,
}

async fn suspend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, Control::Suspend).await
}

async fn resume(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, Control::Resume).await
}

async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, partner_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Json<PartnerChange>> {
    control(&state, &user, account_id, partner_id, Control::Remove).await
}

/// R11 and R16 for the signed-in user over the partner's people, then the
/// change, in one write transaction; the partner's admins are told of a
/// suspension and of its end.
async fn control(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    partner_id: i64,
    what: Control,
) -> AppResult<Json<PartnerChange>> {
    let (_, me) = user_manager(state, user.user_id, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let people = controlled(&mut tx, &me, account_id, partner_id).await?;
    let at = Place { account_id, partner_id, now };
    let (changed, told) = match what {
        Control::Suspend => (suspend_people(&mut tx, user, at, &people).await?, Some("partner_suspended")),
        Control::Resume => (resume_people(&mut tx, user, at, &people).await?, Some("partner_resumed")),
        Control::Remove => (remove_people(&mut tx, user, at, &people).await?, None),
    };
    if let Some(kind) = told {
        crate::ending::tell_partner(&mut tx, state, kind, account_id, partner_id, now).await?;
    }
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    tracing::info!(account_id, partner_id, changed, ?what, "a client controlled a partner's access");
    Ok(Json(PartnerChange { people: changed as u32 }))
}

/// Where and when a client acts on a partner's people.
#[derive(Clone, Copy)]
struct Place {
    account_id: i64,
    partner_id: i64,
    now: i64,
}

/// Every active person of the partner here deactivated at once (never the
/// account's last super admins, R9), their sessions here ended, history for each.
async fn suspend_people(
    tx: &mut AnyConnection,
    user: &CurrentUser,
    at: Place,
    people: &[(i64, Membership)],
) -> AppResult<u64> {
    let Place { account_id, partner_id, now } = at;
    may_suspend(db::ending::suspended_at(tx, account_id, partner_id).await?.is_some())?;
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    let super_admins = db::memberships::active_super_admins(tx, account_id).await? as usize;
    keeps_a_super_admin_without(&members, super_admins)?;
    let changed = db::ending::suspend(tx, account_id, partner_id, user.user_id, now).await?;
    for (uid, m) in people.iter().filter(|(_, m)| m.is_active()) {
        let (before, after) = (Some(m.permissions()), Some(Perms::EMPTY));
        let action = HistoryAction::PartnerSuspended;
        history(tx, now, user.user_id, account_id, *uid, Some(partner_id), action, before, after, "").await?;
        if *uid != user.user_id {
            db::ending::end_sessions_in(tx, *uid, account_id).await?;
        }
    }
    Ok(changed)
}

/// The people the suspension deactivated are active again (unless their
/// own end date passed meanwhile), history for each.
async fn resume_people(
    tx: &mut AnyConnection,
    user: &CurrentUser,
    at: Place,
    people: &[(i64, Membership)],
) -> AppResult<u64> {
    let Place { account_id, partner_id, now } = at;
    may_resume(db::ending::suspended_at(tx, account_id, partner_id).await?.is_some())?;
    let marked = db::ending::suspended_people(tx, account_id, partner_id).await?;
    let changed = db::ending::resume(tx, account_id, partner_id, now).await?;
    for (uid, m) in people.iter().filter(|(uid, _)| marked.contains(uid)) {
        let active = db::memberships::find(&mut *tx, account_id, *uid)
            .await?
            .map(|r| r.to_domain())
            .transpose()?
            .is_some_and(|m| m.is_active());
        if active {
            let (before, after) = (Some(Perms::EMPTY), Some(m.permissions()));
            let action = HistoryAction::PartnerResumed;
            history(tx, now, user.user_id, account_id, *uid, Some(partner_id), action, before, after, "").await?;
        }
    }
    Ok(changed)
}

/// Every person of the partner removed from the account, all or none (R9
/// holds), as a removal does: their assets here lose their owner.
async fn remove_people(
    tx: &mut AnyConnection,
    user: &CurrentUser,
    at: Place,
    people: &[(i64, Membership)],
) -> AppResult<u64> {
    let Place { account_id, partner_id, now } = at;
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    let super_admins = db::memberships::active_super_admins(tx, account_id).await? as usize;
    keeps_a_super_admin_without(&members, super_admins)?;
    for (uid, m) in people {
        remove_one(tx, user, Some(partner_id), account_id, m, *uid, now).await?;
    }
    db::ending::forget_suspension(tx, account_id, partner_id).await?;
    Ok(people.len() as u64)
}
