//! R17: the partner's bulk jobs — the latest ones, and one job's progress
//! with a page of its per-row report.

use crate::auth::CurrentUser;
use crate::changes::members::cam_context;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::AppQuery;
use crate::http::paging;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{JobKind, JobOutcome, JobQuery, JobReport, JobState, JobSummary, Page};
use domain::{StandardSet, UnixTime};

/// Routes of the partner's jobs.
pub fn routes() -> Api {
    Api::new().get("/accounts/{account_id}/cam/jobs", jobs).get("/accounts/{account_id}/cam/jobs/{job_id}", job)
}

pub(crate) fn summary(r: db::bulk::JobRow, now: i64) -> AppResult<JobSummary> {
    let corrupt = || AppError::Internal(format!("job {} is corrupt", r.id));
    let mut state = JobState::parse(&r.state).ok_or_else(corrupt)?;
    if state == JobState::Running && now - r.progress_at > crate::work::bulk::SILENT_FOR {
        state = JobState::Failed;
    }
    Ok(JobSummary {
        id: r.id,
        kind: JobKind::parse(&r.kind).ok_or_else(corrupt)?,
        state,
        total: r.total.max(0) as u64,
        processed: r.processed.max(0) as u64,
        done: r.done.max(0) as u64,
        refused: r.refused.max(0) as u64,
        actor: r.actor.clone().unwrap_or_default(),
        employee: r.employee.clone(),
        permission_set: r.permission_set.as_deref().and_then(StandardSet::parse),
        started_at: UnixTime(r.started_at),
        finished_at: r.finished_at.map(UnixTime),
        elapsed_ms: r.elapsed_ms,
    })
}

/// The partner's latest bulk work, newest first (to find a job again).
async fn jobs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<Vec<JobSummary>>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let rows = db::bulk::recent_jobs(&state.db, ctx.partner.id, 20).await?;
    let now = state.clock.now().0;
    Ok(Json(rows.into_iter().map(|r| summary(r, now)).collect::<AppResult<Vec<_>>>()?))
}

/// One job: its progress and a page of its per-row report.
async fn job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, job_id)): Path<(i64, i64)>,
    AppQuery(query): AppQuery<JobQuery>,
) -> AppResult<Json<JobReport>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let row = db::bulk::find_job(&state.db, ctx.partner.id, job_id).await?.ok_or(AppError::NotFound)?;
    let job = summary(row, state.clock.now().0)?;
    let refused_only = query.refused.unwrap_or(false);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows = db::bulk::outcomes(&state.db, ctx.partner.id, job_id, refused_only, i64::from(per_page), offset).await?;
    let rows = rows
        .into_iter()
        .map(|r| JobOutcome {
            client_id: r.client_id,
            crm_name: r.crm_name.unwrap_or_default(),
            user_id: r.user_id,
            name: r.name.unwrap_or_default(),
            refusal: r.refusal.as_deref().and_then(|s| serde_json::from_str(s).ok()),
        })
        .collect();
    let total = if refused_only { job.refused } else { job.processed };
    Ok(Json(JobReport { job, results: Page { rows, total, page, per_page } }))
}
