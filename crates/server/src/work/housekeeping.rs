//! Housekeeping, a kind of background work: expired sessions and spent
//! rate-limit hits are deleted, once per period across all instances (the
//! instance whose claim moves the period on runs it).

use crate::db;
use crate::state::AppState;

/// How often the housekeeping runs (once per period across all instances).
pub const HOUSEKEEPING_SECS: i64 = 600;

/// Deletes expired sessions and spent rate-limit hits, when this instance
/// claims this period's run; returns whether it ran.
pub async fn housekeeping(state: &AppState) -> Result<bool, sqlx::Error> {
    let now = state.clock.now().0;
    if !db::instances::claim_job(&state.db, "housekeeping", &state.instance, now, HOUSEKEEPING_SECS).await? {
        return Ok(false);
    }
    let c = &state.config;
    let window = [&state.sign_in_limiter, &state.link_limiter, &state.lookup_limiter]
        .iter()
        .map(|l| l.window_secs())
        .max()
        .unwrap_or(60);
    let (sessions, hits) =
        db::instances::sweep(&state.db, now, c.session_idle_minutes * 60, c.session_absolute_hours * 3600, window)
            .await?;
    tracing::info!(sessions, hits, "housekeeping: expired sessions and rate-limit hits deleted");
    Ok(true)
}
