//! The one place that applies membership changes. A handler, a bulk job,
//! the client's control of its partners and the system's own ending of
//! grants all get their [`Change`]s from the §9 decisions of
//! `domain::authority` and hand them here, inside their write transaction,
//! with every side effect: memberships written set-wise (one change or a
//! thousand take the same statements), assets left without an owner,
//! sessions of whoever lost access ended, the partner's managed client
//! recorded, history (R13), the partner's activity (R10), the people to
//! tell told (an end reached, a client user linked), and a client's
//! suspension of a partner recorded or ended.

pub mod members;
pub mod notices;

use crate::auth::CurrentUser;
use crate::db;
use crate::db::changes::Standing;
use crate::db::history::Event;
use crate::error::AppResult;

use crate::state::AppState;
use domain::authority::{Change, PartnerControl, Place};
use domain::history::HistoryAction;
use domain::{Membership, Permission, Perms, UnixTime};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

/// Who makes a batch of changes.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The acting person; none for the system reaching an end.
    pub user_id: Option<i64>,
    /// Their session, which survives when they act on themself.
    pub session: Option<&'a str>,
    /// The partner they act for from Client Access Manager: its activity
    /// counts (R10), and history names it for people who are nobody's.
    pub partner: Option<i64>,
}

impl<'a> Actor<'a> {
    /// The signed-in user, acting for `partner` from Client Access Manager
    /// (none on the account's own screens).
    pub fn user(user: &'a CurrentUser, partner: Option<i64>) -> Actor<'a> {
        Actor { user_id: Some(user.user_id), session: Some(&user.session_hash), partner }
    }

    /// The system, ending access at its end date (R14).
    pub fn system() -> Actor<'static> {
        Actor { user_id: None, session: None, partner: None }
    }
}

/// One decided change to one person's membership of one account.
#[derive(Debug, Clone)]
pub struct Decided {
    pub account_id: i64,
    pub user_id: i64,
    pub change: Change,
}

/// The account as the §9 decisions need it, read inside the caller's write
/// transaction: its lasting super admins and the partners it suspends.
pub async fn place(conn: &mut AnyConnection, account_id: i64, now: i64) -> AppResult<Place> {
    let lasting = db::memberships::lasting_super_admins(conn, account_id).await? as usize;
    let suspended = db::ending::suspended_partners(conn, account_id).await?;
    let terms =
        db::terms::of_account(conn, account_id).await?.iter().map(|t| t.to_domain()).collect::<Result<_, _>>()?;
    Ok(Place { now: UnixTime(now), lasting_super_admins: lasting, suspended, terms })
}

/// [`place`] for many accounts of one partner's people at once (bulk work,
/// R6): two queries whatever their number.
pub async fn places(
    conn: &mut AnyConnection,
    partner_id: i64,
    accounts: &[i64],
    now: i64,
) -> AppResult<std::collections::HashMap<i64, Place>> {
    let ids = db::bulk::json_ids(accounts.iter().copied());
    let lasting = db::review::lasting_super_admin_counts(conn, &ids).await?;
    let suspended = db::review::suspended_among(conn, partner_id, &ids).await?;
    let terms: std::collections::HashMap<i64, domain::authority::Terms> = db::terms::of_partner(&mut *conn, partner_id)
        .await?
        .iter()
        .map(|t| Ok((t.account_id, t.to_domain()?)))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(accounts
        .iter()
        .map(|a| {
            let place = Place {
                now: UnixTime(now),
                lasting_super_admins: lasting.get(a).copied().unwrap_or(0),
                suspended: if suspended.contains(a) { vec![partner_id] } else { vec![] },
                terms: terms.get(a).copied().into_iter().collect(),
            };
            (*a, place)
        })
        .collect())
}

/// A person's membership of an account as it stands at `now`, if any.
pub async fn member(
    conn: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
    now: i64,
) -> AppResult<Option<Membership>> {
    match db::memberships::find(&mut *conn, account_id, user_id).await? {
        Some(row) => Ok(Some(row.to_domain(UnixTime(now))?)),
        None => Ok(None),
    }
}

/// Applies `decided` with every side effect, in the caller's transaction
/// (the caller wakes the background-work runner once it committed).
pub async fn apply(
    conn: &mut AnyConnection,
    state: &AppState,
    by: &Actor<'_>,
    decided: &[Decided],
    now: i64,
) -> AppResult<()> {
    if decided.is_empty() {
        return Ok(());
    }
    let removed: Vec<(i64, i64)> =
        decided.iter().filter(|d| d.change.after().is_none()).map(|d| (d.account_id, d.user_id)).collect();
    let assets = if removed.is_empty() { Default::default() } else { db::changes::remove(conn, &removed, now).await? };
    let created: Vec<(i64, i64, Standing)> = decided
        .iter()
        .filter(|d| d.change.before().is_none())
        .filter_map(|d| d.change.after().map(|a| (d.account_id, d.user_id, Standing::of(a))))
        .collect();
    db::changes::insert(conn, &created, now).await?;
    let updated: Vec<(i64, i64, Standing, bool)> = decided
        .iter()
        .filter_map(|d| match (d.change.before(), d.change.after()) {
            (Some(b), Some(a)) if Standing::of(b) != Standing::of(a) => {
                Some((d.account_id, d.user_id, Standing::of(a), b.end != a.end))
            }
            _ => None,
        })
        .collect();
    db::changes::write_standing(conn, &updated, now).await?;
    let grants: Vec<(i64, i64, &domain::Grant)> =
        decided.iter().filter_map(|d| d.change.grant().map(|g| (d.account_id, d.user_id, g))).collect();
    db::changes::write_grants(conn, &grants).await?;
    managed_clients(conn, by, decided, now).await?;
    let lost: BTreeSet<i64> = decided.iter().filter(|d| loses_access(&d.change)).map(|d| d.user_id).collect();
    if !lost.is_empty() {
        db::changes::end_sessions(conn, &lost.into_iter().collect::<Vec<_>>(), by.session).await?;
    }
    history(conn, by, decided, &assets, now).await?;
    activity(conn, by, decided, now).await?;
    tell(conn, state, decided, now).await
}

/// Who a change tells (R14: an end reached; SPEC §4: an approval; A5: a
/// client user linked).
async fn tell(conn: &mut AnyConnection, state: &AppState, decided: &[Decided], now: i64) -> AppResult<()> {
    for d in decided {
        let Some(after) = d.change.after() else { continue };
        let before = d.change.before();
        match d.change.action() {
            HistoryAction::AccessEnded => {
                let ends_at = before.and_then(|b| b.effective_end()).map(|e| e.0).unwrap_or(now);
                notices::access_ended(conn, state, d.user_id, d.account_id, after.partner_account_id, ends_at, now)
                    .await?
            }
            HistoryAction::AccessLinkApproved => {
                if let Some(partner) = after.partner_account_id {
                    let ends = after.end.map(|e| e.at);
                    notices::link_approved(conn, state, d.user_id, d.account_id, partner, ends, now).await?
                }
            }
            HistoryAction::ClientLinked => {
                if let Some(partner) = after.partner_account_id {
                    notices::tell_client_of_link(conn, state, d.account_id, partner, d.user_id, now).await?
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A client's suspension of a partner (R16) recorded (suspend) or ended
/// (resume), once its people's changes are applied, and the partner's
/// admins told; a removal needs neither (a suspension ends with the
/// partner's last person there).
pub async fn suspension(
    conn: &mut AnyConnection,
    state: &AppState,
    what: PartnerControl,
    account_id: i64,
    partner_id: i64,
    by: i64,
    now: i64,
) -> AppResult<()> {
    let kind = match what {
        PartnerControl::Suspend => {
            db::ending::record_suspension(conn, account_id, partner_id, by, now).await?;
            "partner_suspended"
        }
        PartnerControl::Resume => {
            db::ending::forget_suspension(conn, account_id, partner_id).await?;
            "partner_resumed"
        }
        PartnerControl::Remove => return Ok(()),
    };
    notices::tell_partner(conn, state, kind, account_id, partner_id, now).await
}

/// Access taken away: removed (whatever its status), or active before and
/// not after.
fn loses_access(c: &Change) -> bool {
    c.after().is_none()
        || (c.before().is_some_and(Membership::is_active) && !c.after().is_some_and(Membership::is_active))
}

/// A partner with a person newly flagged in an account manages it (the
/// client record is named after the account). From Client Access Manager
/// the account already is the acting partner's client.
async fn managed_clients(conn: &mut AnyConnection, by: &Actor<'_>, decided: &[Decided], now: i64) -> AppResult<()> {
    for d in decided {
        let Some(partner) = d.change.after().and_then(|a| a.partner_account_id) else { continue };
        if by.partner == Some(partner) || d.change.before().is_some_and(|b| b.partner_account_id == Some(partner)) {
            continue;
        }
        let name = db::accounts::find(&mut *conn, d.account_id).await?.map(|a| a.name).unwrap_or_default();
        db::clients::ensure_client(conn, partner, d.account_id, &name, now).await?;
    }
    Ok(())
}

/// R10: a partner's people acting from Client Access Manager count as the
/// partner's activity in each client touched; an end reached counts from
/// the end itself.
async fn activity(conn: &mut AnyConnection, by: &Actor<'_>, decided: &[Decided], now: i64) -> AppResult<()> {
    match (by.user_id, by.partner) {
        (Some(actor), Some(partner)) => {
            let accounts: BTreeSet<i64> = decided.iter().map(|d| d.account_id).collect();
            db::changes::partner_activity(conn, partner, &accounts.into_iter().collect::<Vec<_>>(), Some(actor), now)
                .await?;
        }
        (None, _) => {
            for d in decided {
                let (Some(before), Some(partner)) =
                    (d.change.before(), d.change.before().and_then(|b| b.partner_account_id))
                else {
                    continue;
                };
                let at = before.effective_end().map(|e| e.0).unwrap_or(now);
                db::changes::partner_activity(conn, partner, &[d.account_id], None, at).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The permissions a history event shows before or after a change: what a
/// membership holds for a change of permissions, what it may use for a
/// change of status, nothing for a change that leaves both alone.
fn shown(action: HistoryAction, m: Option<&Membership>) -> Option<Perms> {
    use HistoryAction::*;
    match action {
        EndDateChanged
        | ClientLinked
        | SeatChanged
        | RelationshipEndSet
        | RelationshipEndMoved
        | RelationshipEndRemoved => None,
        Deactivated | Reactivated | PartnerSuspended | PartnerResumed | AccessEnded => {
            Some(m.map(Membership::active_permissions).unwrap_or_default())
        }
        _ => m.map(Membership::permissions),
    }
}

/// What the history's detail says of a change.
fn detail(c: &Change, assets: Option<i64>) -> String {
    use HistoryAction::*;
    let (before, after) = (c.before(), c.after());
    let set = || after.and_then(|a| a.set).map(domain::SetKey::to_storage).unwrap_or_default();
    let ends = || after.and_then(|a| a.end).map(|e| e.at);
    match c.action() {
        EmployeeAdded | UserCreated => ends_detail(&set(), ends()),
        PermissionSetChanged => set(),
        EndDateChanged => ends_detail("", ends()),
        Removed => format!("{} assets left without an owner", assets.unwrap_or(0)),
        MigratedToPartnerAdmin if after.is_some_and(|a| a.permissions().contains(Permission::Billing)) => {
            "kept billing permissions".to_string()
        }
        AccessLinkApproved => ends_detail(
            if before.is_some() { "converted to Partner Admin" } else { "Partner Admin with a partner seat" },
            ends(),
        ),
        SeatChanged => format!(
            "{} → {}",
            before.map(|b| b.seat.key()).unwrap_or_default(),
            after.map(|a| a.seat.key()).unwrap_or_default()
        ),
        AccessEnded => before.and_then(|b| b.effective_end()).map(|e| e.date_time()).unwrap_or_default(),
        RelationshipEndSet | RelationshipEndMoved | RelationshipEndRemoved => {
            ends_detail("", after.and_then(|a| a.relationship_end))
        }
        _ => String::new(),
    }
}

/// A history detail with the end date a grant carries (R14): `"<detail>;
/// ends <date and time>"`, `"no end date"` when an end date was removed.
pub fn ends_detail(detail: &str, ends_at: Option<UnixTime>) -> String {
    match (detail.is_empty(), ends_at) {
        (true, Some(at)) => format!("ends {}", at.date_time()),
        (true, None) => "no end date".to_string(),
        (false, Some(at)) => format!("{detail}; ends {}", at.date_time()),
        (false, None) => detail.to_string(),
    }
}

/// One history event per change (R13).
async fn history(
    conn: &mut AnyConnection,
    by: &Actor<'_>,
    decided: &[Decided],
    assets: &BTreeMap<(i64, i64), i64>,
    now: i64,
) -> AppResult<()> {
    let details: Vec<String> =
        decided.iter().map(|d| detail(&d.change, assets.get(&(d.account_id, d.user_id)).copied())).collect();
    let events: Vec<Event> = decided
        .iter()
        .zip(&details)
        .map(|(d, detail)| {
            let c = &d.change;
            let person = c.after().or(c.before());
            Event {
                at: now,
                actor_user_id: by.user_id,
                account_id: d.account_id,
                target_user_id: Some(d.user_id),
                partner_account_id: person.and_then(|m| m.partner_account_id).or(by.partner),
                action: c.action(),
                before: shown(c.action(), c.before()),
                after: shown(c.action(), c.after()),
                detail,
            }
        })
        .collect();
    db::history::record_many(conn, &events).await?;
    Ok(())
}
