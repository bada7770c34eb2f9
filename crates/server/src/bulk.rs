//! R17: bulk work on many review rows or on one employee in many clients.
//! Each row (or client) is decided by the domain's rule for the single
//! action it repeats, against what is stored at that moment, and the report
//! says for each: done, or the rule that refused it — never a silent skip.
//!
//! Per row, not all or nothing: rows the rules allow are changed, refused
//! rows are left as they are (the page says so before confirming). The work
//! runs as a job in chunks: each chunk is decided, written and reported in
//! one write transaction, so the report always matches what is stored, and
//! the job's progress can be read by any instance while it runs.

use crate::auth::CurrentUser;
use crate::db;
use crate::db::bulk::{json_ids, NewJob, Outcome};
use crate::db::history::Event;
use crate::error::{AppError, AppResult};
use crate::routes::ends_detail;
use crate::state::AppState;
use domain::api::{ClientsAction, JobState, RowAction, RowKey};
use domain::grant::Requested;
use domain::history::HistoryAction;
use domain::rules::{decide_add, decide_change_set, decide_row, not_in_client};
use domain::{Grant, Membership, PermissionChange, Perms, Refusal, StandardSet};
use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// A running job whose last chunk committed longer ago than this was
/// interrupted (its instance stopped): it is shown as stopped, with what it
/// did reported and the rest untouched.
pub const SILENT_FOR: i64 = 120;

/// Rows (or clients) decided and written per transaction: short enough
/// that other writers wait little, long enough to stay set-wise.
pub const CHUNK: usize = 500;

/// Who acts, for which partner.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    /// The acting session, which survives when the actor acts on themself.
    pub session_hash: String,
    pub partner_id: i64,
}

impl Actor {
    /// The signed-in user acting for `partner_id`.
    pub fn of(user: &CurrentUser, partner_id: i64) -> Actor {
        Actor { user_id: user.user_id, session_hash: user.session_hash.clone(), partner_id }
    }
}

/// One row decided: what the report and the review step show.
#[derive(Debug, Clone)]
pub struct RowDecision {
    pub key: RowKey,
    pub crm_name: String,
    pub name: String,
    pub assets: i64,
    pub refusal: Option<Refusal>,
}

/// Decides a chunk of review rows against what is stored now; with `apply`,
/// writes the allowed ones (R8 deactivation or removal, R9 kept per client,
/// sessions ended, history, R10 activity).
pub async fn rows_chunk(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: RowAction,
    keys: &[RowKey],
    now: i64,
    apply: bool,
) -> AppResult<Vec<RowDecision>> {
    let clients = json_ids(keys.iter().map(|k| k.client_id).collect::<BTreeSet<_>>());
    let users = json_ids(keys.iter().map(|k| k.user_id).collect::<BTreeSet<_>>());
    let stored = db::review::memberships_among(conn, actor.partner_id, &clients, &users).await?;
    let stored: HashMap<RowKey, db::review::NamedMembership> = stored
        .into_iter()
        .map(|n| (RowKey { client_id: n.membership.account_id, user_id: n.membership.user_id }, n))
        .collect();
    let mut super_admins = db::review::super_admin_counts(conn, &clients).await?;
    let assets = db::review::asset_counts(&mut *conn, &clients, &users).await?;
    let mut out = Vec::with_capacity(keys.len());
    let mut allowed: Vec<(RowKey, Membership)> = Vec::new();
    for key in keys {
        let Some(n) = stored.get(key) else {
            out.push(RowDecision {
                key: *key,
                crm_name: String::new(),
                name: String::new(),
                assets: 0,
                refusal: Some(not_in_client()),
            });
            continue;
        };
        let m = n.membership.to_domain()?;
        let left = super_admins.get(&key.client_id).copied().unwrap_or(0);
        let refusal = decide_row(action, &m, left).err();
        if refusal.is_none() {
            if m.is_active_super_admin() {
                super_admins.insert(key.client_id, left.saturating_sub(1));
            }
            allowed.push((*key, m));
        }
        out.push(RowDecision {
            key: *key,
            crm_name: n.crm_name.clone(),
            name: n.name.clone(),
            assets: assets.get(&(key.client_id, key.user_id)).copied().unwrap_or(0),
            refusal,
        });
    }
    if apply && !allowed.is_empty() {
        apply_rows(conn, actor, action, &allowed, &assets, now).await?;
    }
    Ok(out)
}

async fn apply_rows(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: RowAction,
    allowed: &[(RowKey, Membership)],
    assets: &HashMap<(i64, i64), i64>,
    now: i64,
) -> AppResult<()> {
    let clients = json_ids(allowed.iter().map(|(k, _)| k.client_id).collect::<BTreeSet<_>>());
    let users = json_ids(allowed.iter().map(|(k, _)| k.user_id).collect::<BTreeSet<_>>());
    let keys = json_ids(allowed.iter().map(|(k, _)| k.pack()));
    let changed = match action {
        RowAction::Deactivate => db::bulk::deactivate(conn, &clients, &keys).await?,
        RowAction::Remove => db::bulk::remove(conn, actor.partner_id, &clients, &keys, now).await?,
    };
    if changed != allowed.len() as u64 {
        // The write lock is held since the rows were read: this cannot happen.
        return Err(AppError::Internal(format!("bulk {action:?}: {changed} of {} rows changed", allowed.len())));
    }
    db::bulk::end_sessions(conn, &users, &actor.session_hash).await?;
    let details: Vec<String> = allowed
        .iter()
        .map(|(k, _)| match action {
            RowAction::Deactivate => String::new(),
            RowAction::Remove => {
                format!("{} assets left without an owner", assets.get(&(k.client_id, k.user_id)).copied().unwrap_or(0))
            }
        })
        .collect();
    let events: Vec<Event> = allowed
        .iter()
        .zip(&details)
        .map(|((k, m), detail)| Event {
            at: now,
            actor_user_id: Some(actor.user_id),
            account_id: k.client_id,
            target_user_id: Some(k.user_id),
            partner_account_id: Some(actor.partner_id),
            action: match action {
                RowAction::Deactivate => HistoryAction::Deactivated,
                RowAction::Remove => HistoryAction::Removed,
            },
            before: Some(match action {
                RowAction::Deactivate => m.active_permissions(),
                RowAction::Remove => m.permissions(),
            }),
            after: match action {
                RowAction::Deactivate => Some(Perms::EMPTY),
                RowAction::Remove => None,
            },
            detail,
        })
        .collect();
    db::history::record_many(conn, &events).await?;
    db::bulk::touch_activity(conn, actor.partner_id, actor.user_id, &clients, now).await?;
    Ok(())
}

/// What a bulk action on one employee's clients asks for.
#[derive(Debug, Clone)]
pub struct ClientsWork {
    pub action: ClientsAction,
    pub user_id: i64,
    /// The employee's name, for R4's refusal.
    pub name: String,
    pub set: StandardSet,
    pub ends_at: Option<i64>,
}

/// One client decided.
#[derive(Debug, Clone)]
pub struct ClientDecision {
    pub client_id: i64,
    pub crm_name: String,
    pub change: Option<PermissionChange>,
    pub refusal: Option<Refusal>,
}

/// Decides a chunk of clients for one employee against what is stored now;
/// with `apply`, writes the allowed ones (memberships or permissions,
/// history, R10 activity).
pub async fn clients_chunk(
    conn: &mut AnyConnection,
    actor: &Actor,
    work: &ClientsWork,
    clients: &[i64],
    now: i64,
    apply: bool,
) -> AppResult<Vec<ClientDecision>> {
    let ids = json_ids(clients.iter().copied());
    let names: HashMap<i64, String> =
        db::review::clients_among(&mut *conn, actor.partner_id, &ids).await?.into_iter().collect();
    let memberships = |rows: Vec<db::memberships::MembershipRow>| -> AppResult<HashMap<i64, Membership>> {
        rows.into_iter().map(|r| Ok((r.account_id, r.to_domain()?))).collect()
    };
    let mine = memberships(db::review::memberships_of_user_in(conn, actor.user_id, &ids).await?)?;
    let theirs = memberships(db::review::memberships_of_user_in(conn, work.user_id, &ids).await?)?;
    let suspended = db::review::suspended_among(conn, actor.partner_id, &ids).await?;
    let requested = Requested::standard(work.set);
    let mut out = Vec::with_capacity(clients.len());
    let mut allowed: Vec<(i64, Grant, Perms)> = Vec::new();
    for &client_id in clients {
        let Some(crm_name) = names.get(&client_id) else {
            out.push(ClientDecision {
                client_id,
                crm_name: String::new(),
                change: None,
                refusal: Some(not_in_client()),
            });
            continue;
        };
        let existing = theirs.get(&client_id);
        let decided = match work.action {
            ClientsAction::Add => {
                decide_add(mine.get(&client_id), suspended.contains(&client_id), existing, &work.name, &requested)
            }
            ClientsAction::ChangeSet => decide_change_set(
                mine.get(&client_id),
                existing.filter(|m| m.partner_account_id == Some(actor.partner_id)),
                &requested,
            ),
        };
        match decided {
            Ok(g) => {
                let before = existing.map(Membership::permissions).unwrap_or(Perms::EMPTY);
                out.push(ClientDecision {
                    client_id,
                    crm_name: crm_name.clone(),
                    change: Some(g.change()),
                    refusal: None,
                });
                allowed.push((client_id, g, before));
            }
            Err(r) => {
                out.push(ClientDecision { client_id, crm_name: crm_name.clone(), change: None, refusal: Some(r) })
            }
        }
    }
    if apply && !allowed.is_empty() {
        let grants: Vec<(i64, Grant)> = allowed.iter().map(|(c, g, _)| (*c, g.clone())).collect();
        let (action, detail) = match work.action {
            ClientsAction::Add => {
                db::memberships::insert_many(conn, actor.partner_id, work.user_id, &grants, work.ends_at, now).await?;
                (HistoryAction::EmployeeAdded, ends_detail(work.set.key(), work.ends_at.map(domain::UnixTime)))
            }
            ClientsAction::ChangeSet => {
                db::memberships::write_permissions_many(conn, work.user_id, &grants).await?;
                (HistoryAction::PermissionSetChanged, work.set.key().to_string())
            }
        };
        let events: Vec<Event> = allowed
            .iter()
            .map(|(c, g, before)| Event {
                at: now,
                actor_user_id: Some(actor.user_id),
                account_id: *c,
                target_user_id: Some(work.user_id),
                partner_account_id: Some(actor.partner_id),
                action,
                before: (work.action == ClientsAction::ChangeSet).then_some(*before),
                after: Some(g.change().new),
                detail: &detail,
            })
            .collect();
        db::history::record_many(conn, &events).await?;
        let touched = json_ids(allowed.iter().map(|(c, _, _)| *c));
        db::bulk::touch_activity(conn, actor.partner_id, actor.user_id, &touched, now).await?;
    }
    Ok(out)
}

/// What a job works through.
#[derive(Debug, Clone)]
pub enum Work {
    Rows { action: RowAction, keys: Vec<RowKey> },
    Clients { work: ClientsWork, clients: Vec<i64> },
}

impl Work {
    fn len(&self) -> usize {
        match self {
            Work::Rows { keys, .. } => keys.len(),
            Work::Clients { clients, .. } => clients.len(),
        }
    }
}

/// Records the job and starts it in the background; its id. The page
/// polls the job (from any instance) until it is done.
pub async fn start(state: &AppState, actor: Actor, job: NewJob, work: Work) -> AppResult<i64> {
    let id = db::bulk::create_job(&state.db, &job).await?;
    let state = state.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let outcome = run(&state, &actor, id, &work).await;
        let elapsed = started.elapsed().as_millis() as i64;
        let now = state.clock.now().0;
        let (st, error) = match &outcome {
            Ok(()) => (JobState::Done, None),
            Err(e) => {
                tracing::error!(job = id, error = %e, "bulk job failed");
                (JobState::Failed, Some(e.to_string()))
            }
        };
        if let Err(e) = db::bulk::finish_job(&state.db, id, st, error.as_deref(), now, elapsed).await {
            tracing::error!(job = id, error = %e, "could not record the end of a bulk job");
        }
    });
    Ok(id)
}

async fn run(state: &AppState, actor: &Actor, job_id: i64, work: &Work) -> AppResult<()> {
    let mut seq = 0i64;
    for from in (0..work.len()).step_by(CHUNK) {
        let to = (from + CHUNK).min(work.len());
        let mut tx = db::begin_write(&state.db).await?;
        let now = state.clock.now().0;
        let outcomes: Vec<Outcome> = match work {
            Work::Rows { action, keys } => rows_chunk(&mut tx, actor, *action, &keys[from..to], now, true)
                .await?
                .into_iter()
                .map(|d| outcome(d.key.client_id, d.key.user_id, d.refusal))
                .collect(),
            Work::Clients { work, clients } => clients_chunk(&mut tx, actor, work, &clients[from..to], now, true)
                .await?
                .into_iter()
                .map(|d| outcome(d.client_id, work.user_id, d.refusal))
                .collect(),
        };
        db::bulk::record_outcomes(&mut tx, job_id, seq, &outcomes, now).await?;
        tx.commit().await?;
        seq += outcomes.len() as i64;
    }
    Ok(())
}

fn outcome(client_id: i64, user_id: i64, refusal: Option<Refusal>) -> Outcome {
    Outcome { client_id, user_id, refusal: refusal.and_then(|r| serde_json::to_string(&r).ok()) }
}
