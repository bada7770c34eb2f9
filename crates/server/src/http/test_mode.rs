//! Test-only routes: reset the database to the demo data and move the clock.
//! Mounted only when the server runs with `--test-mode true`.

use crate::error::AppResult;
use crate::http::extract::{AppJson, NoBody};
use crate::http::Api;
use crate::state::AppState;
use crate::{db, seed};
use axum::extract::State;
use axum::http::StatusCode;
use domain::api::SetClockRequest;

/// Routes under `/api/v1/test`.
pub fn routes() -> Api {
    Api::new().post("/test/reset", reset).put("/test/clock", set_clock)
}

async fn reset(State(state): State<AppState>, _: NoBody) -> AppResult<StatusCode> {
    state.clock.reset();
    db::wipe(&state.db).await?;
    seed::demo(&state.db, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_clock(State(state): State<AppState>, AppJson(input): AppJson<SetClockRequest>) -> AppResult<StatusCode> {
    match input.now {
        Some(at) => state.clock.set(at),
        None => state.clock.reset(),
    }
    // What is due at the new time happens now, not at the runner's next round.
    crate::work::ending::run(&state).await?;
    Ok(StatusCode::NO_CONTENT)
}
