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
use crate::changes::{self, Decided};
use crate::clock::real_now;
use crate::db;
use crate::db::bulk::{json_ids, LeasedJob, NewJob, Outcome};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use domain::api::{ClientsAction, JobState, RowAction, RowKey};
use domain::authority::{self, PartnerActor};
use domain::grant::Requested;
use domain::rules::not_in_client;
use domain::{AccountKind, Membership, PermissionChange, Refusal, StandardSet, UnixTime};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// A running job whose last chunk committed longer ago than this is shown
/// as stopped: no instance has taken it over (another instance, or this
/// one after a restart, takes over a job once its lease runs out, and the
/// page then shows it running again).
pub const SILENT_FOR: i64 = 120;

/// Rows (or clients) decided and written per transaction: short enough
/// that other writers wait little, long enough to stay set-wise.
pub const CHUNK: usize = 500;

/// Who acts, for which partner: what R1 found when the job was asked for.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    /// The acting session, which survives when the actor acts on themself.
    pub session_hash: String,
    pub partner_id: i64,
    pub partner_kind: AccountKind,
    /// The actor's membership of the partner account (R1).
    pub in_partner: Membership,
}

impl Actor {
    /// The signed-in user acting for a partner whose Client Access Manager
    /// they opened (R1).
    pub fn of(user: &CurrentUser, ctx: &crate::changes::members::CamContext) -> Actor {
        Actor {
            user_id: user.user_id,
            session_hash: user.session_hash.clone(),
            partner_id: ctx.partner.id,
            partner_kind: ctx.partner.kind,
            in_partner: ctx.me.clone(),
        }
    }

    /// The §9 actor in one client (R1 again, as of the chunk).
    fn in_client<'a>(&self, here: Option<&'a Membership>) -> Result<PartnerActor<'a>, Refusal> {
        PartnerActor::new(self.partner_id, self.partner_kind, &self.in_partner, here)
    }

    fn changes(&self) -> changes::Actor<'_> {
        changes::Actor {
            user_id: Some(self.user_id),
            session: Some(&self.session_hash),
            partner: Some(self.partner_id),
        }
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

/// Decides a chunk of review rows against what is stored now, each as its
/// single action (A3); with `apply`, writes the allowed ones through the
/// one place that applies changes.
pub async fn rows_chunk(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    action: RowAction,
    keys: &[RowKey],
    now: i64,
    apply: bool,
) -> AppResult<Vec<RowDecision>> {
    let clients: Vec<i64> = keys.iter().map(|k| k.client_id).collect::<BTreeSet<_>>().into_iter().collect();
    let users = json_ids(keys.iter().map(|k| k.user_id).collect::<BTreeSet<_>>());
    let clients_json = json_ids(clients.iter().copied());
    let stored = db::review::memberships_among(conn, actor.partner_id, &clients_json, &users).await?;
    let stored: HashMap<RowKey, db::review::NamedMembership> = stored
        .into_iter()
        .map(|n| (RowKey { client_id: n.membership.account_id, user_id: n.membership.user_id }, n))
        .collect();
    let mut places = changes::places(conn, actor.partner_id, &clients, now).await?;
    let assets = db::review::asset_counts(&mut *conn, state.backend, &clients_json, &users).await?;
    // A3 needs R1 only, not a role in each client (R2).
    let acting = actor.in_client(None)?;
    let mut out = Vec::with_capacity(keys.len());
    let mut decided = Vec::new();
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
        let m = n.membership.to_domain(UnixTime(now))?;
        let at = places.get_mut(&key.client_id).ok_or(AppError::NotFound)?;
        let result = match action {
            RowAction::Deactivate => authority::deactivate_employee(&acting, &m, at),
            RowAction::Remove => authority::remove_employee(&acting, &m, at),
        };
        let refusal = match result {
            Ok(change) => {
                decided.push(Decided { account_id: key.client_id, user_id: key.user_id, change });
                None
            }
            Err(r) => Some(r),
        };
        out.push(RowDecision {
            key: *key,
            crm_name: n.crm_name.clone(),
            name: n.name.clone(),
            assets: assets.get(&(key.client_id, key.user_id)).copied().unwrap_or(0),
            refusal,
        });
    }
    if apply {
        changes::apply(conn, state, &actor.changes(), &decided, now).await?;
    }
    Ok(out)
}

/// What a bulk action on one employee's clients asks for.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Decides a chunk of clients for one employee against what is stored
/// now, each as its single action (A1 or A2); with `apply`, writes the
/// allowed ones through the one place that applies changes.
pub async fn clients_chunk(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    work: &ClientsWork,
    clients: &[i64],
    now: i64,
    apply: bool,
) -> AppResult<Vec<ClientDecision>> {
    let ids = json_ids(clients.iter().copied());
    let names: HashMap<i64, String> =
        db::review::clients_among(&mut *conn, state.backend, actor.partner_id, &ids).await?.into_iter().collect();
    let memberships = |rows: Vec<db::memberships::MembershipRow>| -> AppResult<HashMap<i64, Membership>> {
        rows.into_iter().map(|r| Ok((r.account_id, r.to_domain(UnixTime(now))?))).collect()
    };
    let mine = memberships(db::review::memberships_of_user_in(conn, actor.user_id, &ids).await?)?;
    let theirs = memberships(db::review::memberships_of_user_in(conn, work.user_id, &ids).await?)?;
    let mut places = changes::places(conn, actor.partner_id, clients, now).await?;
    let requested = Requested::standard(work.set);
    let mut out = Vec::with_capacity(clients.len());
    let mut decided = Vec::new();
    for &client_id in clients {
        let (Some(crm_name), Some(at)) = (names.get(&client_id), places.get_mut(&client_id)) else {
            out.push(ClientDecision {
                client_id,
                crm_name: String::new(),
                change: None,
                refusal: Some(not_in_client()),
            });
            continue;
        };
        let existing = theirs.get(&client_id);
        let result = actor.in_client(mine.get(&client_id)).and_then(|acting| match work.action {
            ClientsAction::Add => {
                authority::add_employee(&acting, existing, &work.name, &requested, work.ends_at.map(UnixTime), at)
            }
            ClientsAction::ChangeSet => match existing.filter(|m| m.partner_account_id == Some(actor.partner_id)) {
                Some(person) => authority::change_set(&acting, person, &requested, at),
                None => Err(not_in_client()),
            },
        });
        let (change, refusal) = match result {
            Ok(change) => {
                let shown = change.grant().map(|g| g.change());
                decided.push(Decided { account_id: client_id, user_id: work.user_id, change });
                (shown, None)
            }
            Err(r) => (None, Some(r)),
        };
        out.push(ClientDecision { client_id, crm_name: crm_name.clone(), change, refusal });
    }
    if apply {
        changes::apply(conn, state, &actor.changes(), &decided, now).await?;
    }
    Ok(out)
}

/// What a job works through (stored with the job, as JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Records the job with what it works through and hands it to the
/// background-work runner, which starts it on this instance at once; its
/// id. The page polls the job (from any instance) until it is done.
pub async fn start(state: &AppState, actor: Actor, job: NewJob, work: Work) -> AppResult<i64> {
    let work = serde_json::to_string(&work).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = db::bulk::create_job(&state.db, &job, &work, &actor.session_hash).await?;
    crate::work::start_bulk_job(state, id);
    Ok(id)
}

/// Runs a job whose lease this instance has just taken, from the first row
/// not yet decided, chunk by chunk, until it is done or another instance
/// has taken it over; then records its end.
pub async fn run_leased(state: &AppState, job: LeasedJob) {
    let started = Instant::now();
    let resumed = job.processed > 0;
    let outcome = match resume(state, &job).await {
        Ok((actor, work)) => run(state, &actor, job.id, &work).await,
        Err(e) => Err(e),
    };
    let now = state.clock.now().0;
    let elapsed = if resumed { (now - job.started_at).max(0) * 1000 } else { started.elapsed().as_millis() as i64 };
    let (st, error) = match &outcome {
        Ok(true) => (JobState::Done, None),
        Ok(false) => return, // another instance holds it now
        Err(e) => {
            tracing::error!(job = job.id, error = %e, "bulk job failed");
            (JobState::Failed, Some(e.to_string()))
        }
    };
    if let Err(e) = db::bulk::finish_job(&state.db, job.id, &state.instance, st, error.as_deref(), now, elapsed).await {
        tracing::error!(job = job.id, error = %e, "could not record the end of a bulk job");
    }
}

/// The actor and the work of a stored job: R1 as of now (a job resumed
/// after its actor lost Client Access Manager refuses every row left).
async fn resume(state: &AppState, job: &LeasedJob) -> AppResult<(Actor, Work)> {
    let lost = || AppError::Internal("the job was started before it could be resumed".into());
    let work: Work = serde_json::from_str(job.work.as_deref().ok_or_else(lost)?).map_err(|_| lost())?;
    let user_id = job.actor_user_id.ok_or_else(|| AppError::Internal("the person who started it is gone".into()))?;
    let partner = db::accounts::find(&state.db, job.partner_account_id).await?.ok_or(AppError::NotFound)?;
    let row = db::memberships::find(&state.db, partner.id, user_id).await?;
    let in_partner = match row {
        Some(row) => row.to_domain(state.clock.now())?,
        None => return Err(AppError::Internal("the person who started it left the partner".into())),
    };
    let actor = Actor {
        user_id,
        session_hash: job.session_hash.clone().unwrap_or_default(),
        partner_id: partner.id,
        partner_kind: partner.kind,
        in_partner,
    };
    Ok((actor, work))
}

/// Decides the rows not yet decided, a chunk per transaction that first
/// renews the lease (and reads where the job stands under it); true when
/// the job is done, false when the lease was lost.
async fn run(state: &AppState, actor: &Actor, job_id: i64, work: &Work) -> AppResult<bool> {
    let lease = state.config.work_lease_secs;
    let pause = state.config.test_mode.then_some(state.config.work_chunk_pause_ms).filter(|ms| *ms > 0);
    loop {
        let mut tx = db::begin_write(&state.db).await?;
        let Some(from) = db::bulk::renew(&mut tx, job_id, &state.instance, real_now(), lease).await? else {
            return Ok(false);
        };
        let from = from as usize;
        if from >= work.len() {
            return Ok(true);
        }
        let to = (from + CHUNK).min(work.len());
        let now = state.clock.now().0;
        let outcomes: Vec<Outcome> = match work {
            Work::Rows { action, keys } => rows_chunk(&mut tx, state, actor, *action, &keys[from..to], now, true)
                .await?
                .into_iter()
                .map(|d| outcome(d.key.client_id, d.key.user_id, d.refusal))
                .collect(),
            Work::Clients { work, clients } => {
                clients_chunk(&mut tx, state, actor, work, &clients[from..to], now, true)
                    .await?
                    .into_iter()
                    .map(|d| outcome(d.client_id, work.user_id, d.refusal))
                    .collect()
            }
        };
        db::bulk::record_outcomes(&mut tx, job_id, from as i64, &outcomes, now).await?;
        tx.commit().await?;
        if let Some(ms) = pause {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }
}

fn outcome(client_id: i64, user_id: i64, refusal: Option<Refusal>) -> Outcome {
    Outcome { client_id, user_id, refusal: refusal.and_then(|r| serde_json::to_string(&r).ok()) }
}
