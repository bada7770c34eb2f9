//! Background work: one runner per instance, sharing the work with every
//! other instance on the database through leases and claims stored there.
//! Each [`Kind`] says how it happens exactly once:
//! - [`Kind::Outbox`]: each queued email is claimed with a lease of its own
//!   ([`mail`]); an instance that stops leaves it to the next claim.
//! - [`Kind::Housekeeping`]: one instance per period claims the run.
//! - [`Kind::Ending`] and [`Kind::Reminders`] (R14): each runs in one write
//!   transaction that stores what it did (the end, `end_reminders`), so a
//!   second instance, or a run after a restart, finds nothing left to do.
//! - [`Kind::BulkJobs`] (R17): a job is leased by one instance, renewed at
//!   every chunk in the chunk's own transaction; a job whose lease runs out
//!   (its instance stopped) is taken over and goes on from the first row
//!   not yet decided ([`bulk`]).
//!
//! The runner wakes every [`TICK`] and when woken ([`AppState::work_wakeup`]:
//! an email queued); a bulk job starts at once on the instance that was
//! asked for it ([`start_bulk_job`]).

pub mod bulk;
pub mod ending;
pub mod housekeeping;
pub mod mail;

use crate::clock::real_now;
use crate::db;
use crate::state::AppState;
use std::time::Duration;

/// How often the runner looks for work when nothing wakes it.
pub const TICK: Duration = Duration::from_secs(15);

/// The kinds of background work, in the order the runner runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Outbox,
    Housekeeping,
    Ending,
    Reminders,
    BulkJobs,
}

impl Kind {
    /// Ends and reminders first: the emails they queue go out in the same round.
    pub const ALL: [Kind; 5] = [Kind::Ending, Kind::Reminders, Kind::Outbox, Kind::Housekeeping, Kind::BulkJobs];

    /// Its name in the log.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Outbox => "outbox",
            Kind::Housekeeping => "housekeeping",
            Kind::Ending => "ending",
            Kind::Reminders => "reminders",
            Kind::BulkJobs => "bulk jobs",
        }
    }

    /// Runs what is due of this kind once; how many items it handled.
    pub async fn run(self, state: &AppState) -> Result<usize, String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        match self {
            Kind::Outbox => mail::deliver_due(state).await,
            Kind::Housekeeping => housekeeping::housekeeping(state).await.map(usize::from).map_err(|e| err(&e)),
            Kind::Ending => ending::end_due(state).await.map_err(|e| err(&e)),
            Kind::Reminders => ending::reminders(state).await.map_err(|e| err(&e)),
            Kind::BulkJobs => take_over_bulk_jobs(state).await.map_err(|e| err(&e)),
        }
    }
}

/// Runs forever: every kind of work in turn, then waits for the next tick
/// or a wake-up. A failing kind is logged and tried again next time; it
/// never stops the others.
pub async fn runner(state: AppState) {
    loop {
        for kind in Kind::ALL {
            match kind.run(&state).await {
                // (Ends, housekeeping and take-overs log their own lines.)
                Ok(n) if n > 0 && kind == Kind::Reminders => tracing::info!(n, "reminders of access ending sent"),
                Ok(_) => {}
                Err(error) => tracing::warn!(work = kind.name(), %error, "background work failed"),
            }
        }
        // A lease shorter than the tick (tests) is looked at as often as it lasts.
        let tick = TICK.min(Duration::from_secs(state.config.work_lease_secs.max(1) as u64));
        let _ = tokio::time::timeout(tick, state.work_wakeup.notified()).await;
    }
}

/// Starts a bulk job just recorded on this instance, in the background:
/// its lease is taken here at once (unless another instance's runner got
/// there first, which then runs it).
pub fn start_bulk_job(state: &AppState, job_id: i64) {
    let state = state.clone();
    tokio::spawn(async move {
        match db::bulk::claim(&state.db, Some(job_id), &state.instance, real_now(), state.config.work_lease_secs).await
        {
            Ok(Some(job)) => bulk::run_leased(&state, job).await,
            Ok(None) => {}
            Err(e) => tracing::warn!(job = job_id, error = %e, "could not take a bulk job's lease"),
        }
    });
}

/// Takes over every running bulk job whose lease ran out (its instance
/// stopped) and runs each in the background; how many it took.
async fn take_over_bulk_jobs(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut taken = 0;
    while let Some(job) =
        db::bulk::claim(&state.db, None, &state.instance, real_now(), state.config.work_lease_secs).await?
    {
        tracing::info!(job = job.id, from = job.processed, "bulk job taken over");
        taken += 1;
        let state = state.clone();
        tokio::spawn(async move { bulk::run_leased(&state, job).await });
    }
    Ok(taken)
}
