//! R14's timed work: the ends that have come, stored by the system, and
//! the reminders 14, 3 and 1 day(s) before. A membership whose end has come
//! grants nothing from that second on wherever access is read
//! (`Membership::at`); this work only stores it afterwards, with its
//! history and notifications. Both run inside one write transaction each,
//! so that with several instances, after a restart or when run twice, each
//! end and each reminder happens exactly once (the reminders are recorded
//! in `end_reminders` in the same transaction as their notifications).

use crate::changes::notices;
use crate::changes::{self, Decided};
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use domain::rules::{reminder_due, reminder_due_among, RELATIONSHIP_REMINDER_DAYS, REMINDER_DAYS};
use domain::time::DAY;
use domain::UnixTime;

/// Stores whatever has ended and sends due reminders; returns (ended, reminded).
pub async fn run(state: &AppState) -> AppResult<(usize, usize)> {
    let ended = end_due(state).await?;
    let reminded = reminders(state).await?;
    if ended + reminded > 0 {
        state.work_wakeup.notify_one();
    }
    Ok((ended, reminded))
}

/// Stores the end of every active membership whose end has come, through
/// the one place that applies changes: deactivated by the system, history
/// without an actor, the relationship's R10 clock from the end, the
/// person's sessions ended, the employee and the partner's admins told.
pub async fn end_due(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let mut decided = Vec::new();
    for row in db::ending::due(&mut tx, now).await? {
        if let Some(change) = domain::authority::end_reached(&row.stored()?, UnixTime(now)) {
            decided.push(Decided { account_id: row.account_id, user_id: row.user_id, change });
        }
    }
    changes::apply(&mut tx, state, &changes::Actor::system(), &decided, now).await?;
    tx.commit().await?;
    if !decided.is_empty() {
        tracing::info!(ended = decided.len(), "access ended at its end date");
    }
    Ok(decided.len())
}

/// Sends every due reminder once: of a membership's end (R14) and of a
/// relationship's end (R18). What the runner's reminder round does.
pub async fn reminders(state: &AppState) -> AppResult<usize> {
    Ok(send_reminders(state).await? + relationship_reminders(state).await?)
}

/// Sends each due reminder once: to the employee, the partner's admins and
/// the client's admins.
pub async fn send_reminders(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let longest = REMINDER_DAYS.iter().max().copied().unwrap_or(14) * DAY;
    let mut tx = db::begin_write(&state.db).await?;
    let mut sent = 0;
    for e in db::ending::ending_within(&mut tx, now, longest).await? {
        let recorded = db::ending::reminded(&mut tx, e.account_id, e.user_id, e.ends_at).await?;
        let set_at = UnixTime(e.ends_set_at.unwrap_or(i64::MIN / 2));
        let Some(due) = reminder_due(UnixTime(e.ends_at), set_at, UnixTime(now), &recorded) else { continue };
        let mut first = true;
        for days in &due.settles {
            first &= db::ending::record_reminder(&mut tx, &e, *days, now).await?;
        }
        if !first {
            continue;
        }
        notices::access_ending(&mut tx, state, &e, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// R18: sends each due reminder of a relationship's end once, to the
/// partner's admins and the client's own admins.
pub async fn relationship_reminders(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let longest = RELATIONSHIP_REMINDER_DAYS.iter().max().copied().unwrap_or(30) * DAY;
    let mut tx = db::begin_write(&state.db).await?;
    let mut sent = 0;
    for t in db::terms::ending_within(&mut tx, now, longest).await? {
        let Some(ends_at) = t.ends_at else { continue };
        let recorded = db::terms::reminded(&mut tx, &t, ends_at).await?;
        let set_at = UnixTime(t.ends_set_at.unwrap_or(i64::MIN / 2));
        let days = &RELATIONSHIP_REMINDER_DAYS;
        let Some(due) = reminder_due_among(days, UnixTime(ends_at), set_at, UnixTime(now), &recorded) else {
            continue;
        };
        let mut first = true;
        for days in &due.settles {
            first &= db::terms::record_reminder(&mut tx, &t, ends_at, *days, now).await?;
        }
        if !first {
            continue;
        }
        let left = UnixTime(now).days_until(UnixTime(ends_at));
        let extra = [("date", UnixTime(ends_at).date()), ("days", left.to_string())];
        let (account, partner) = (t.account_id, t.partner_account_id);
        notices::tell_sides(&mut tx, state, "relationship_ending", account, partner, &extra, true, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}
