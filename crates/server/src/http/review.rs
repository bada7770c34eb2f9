//! R17 routes: the Access review tab (rows, CSV), bulk work on review rows
//! and on one employee's clients (a review step, then a job whose progress
//! and per-row report the page polls), and the coverage grid. Every route
//! checks R1 in the partner account first (404 for other tenants' ids);
//! each row or client is then decided by the single action's rules.

mod bulk_clients;
mod coverage;
mod jobs;

use crate::auth::CurrentUser;
use crate::changes::members::{cam_context, CamContext};
use crate::db;
use crate::db::bulk::NewJob;
use crate::db::review::ReviewFilterSql;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, AppQuery};
use crate::http::{csv_download, csv_language, paging, search_text, Api};
use crate::i18n;
use crate::state::AppState;
use crate::work::bulk::{rows_chunk, Actor, Work, CHUNK};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::api::{
    JobKind, JobSummary, Page, ReviewQuery, ReviewRow, RowAction, RowKey, RowPlan, RowSelection, RowsPreview,
    RowsRequest, PREVIEW_ROWS,
};
use domain::i18n::Lang;
use domain::UnixTime;
use std::collections::BTreeSet;

/// Routes under `/api/v1/accounts/{account_id}/cam` for review and bulk work.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/cam/review", review)
        .get("/accounts/{account_id}/cam/review.csv", export)
        .post("/accounts/{account_id}/cam/review/preview", preview_rows)
        .post("/accounts/{account_id}/cam/review/jobs", start_rows)
        .merge(bulk_clients::routes())
        .merge(jobs::routes())
        .merge(coverage::routes())
}

/// Most rows (or clients) one bulk action covers.
pub const MAX_BULK: usize = 20_000;

fn review_filter(state: &AppState, q: &ReviewQuery) -> AppResult<ReviewFilterSql> {
    Ok(ReviewFilterSql {
        q: search_text(q.q.clone())?,
        filter: q.filter.unwrap_or_default(),
        sort: q.sort.unwrap_or_default(),
        dir: q.dir.unwrap_or(domain::api::SortDir::Desc),
        now: state.clock.now().0,
    })
}

fn review_row(r: db::review::ReviewListRow, now: i64) -> AppResult<ReviewRow> {
    let m = r.membership.to_domain(domain::UnixTime(now))?;
    let since = r.membership.last_activity_at.unwrap_or(r.created_at);
    Ok(ReviewRow {
        client_id: r.membership.account_id,
        crm_name: r.crm_name,
        user_id: r.membership.user_id,
        name: r.name,
        email: r.email,
        access: m.access_type(),
        set_name: if m.super_admin { None } else { r.membership.set_name() },
        status: m.status,
        last_activity: r.membership.last_activity_at.map(UnixTime),
        granted_at: UnixTime(r.created_at),
        idle_days: ((now - since).max(0)) / domain::time::DAY,
        ends_at: r.membership.ends_at.map(UnixTime),
    })
}

/// The Access review tab: every partner employee in every client.
async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<ReviewQuery>,
) -> AppResult<Json<Page<ReviewRow>>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let f = review_filter(&state, &query)?;
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows = db::review::list(&state.db, ctx.partner.id, &f, i64::from(per_page), offset).await?;
    let total = db::review::count(&state.db, ctx.partner.id, &f).await?;
    let rows = rows.into_iter().map(|r| review_row(r, f.now)).collect::<AppResult<Vec<_>>>()?;
    Ok(Json(Page { rows, total: total.max(0) as u64, page, per_page }))
}

const CSV_COLUMNS: [&str; 9] = [
    "csv_client",
    "csv_employee",
    "csv_email",
    "csv_access",
    "csv_set",
    "csv_status",
    "csv_last_activity",
    "csv_idle_days",
    "csv_access_ends",
];
const CSV_CHUNK: i64 = 1_000;

fn csv_chunk(rows: Vec<ReviewRow>, header: bool, lang: Lang) -> Result<Vec<u8>, std::io::Error> {
    let header = header.then(|| CSV_COLUMNS.map(|key| i18n::text(lang, key, &[])));
    let records = rows.into_iter().map(|r| {
        [
            r.crm_name,
            r.name,
            r.email,
            i18n::text(lang, &format!("access_{}", r.access.key()), &[]),
            r.set_name.unwrap_or_default(),
            i18n::text(lang, &format!("status_{}", r.status.key()), &[]),
            r.last_activity.map(UnixTime::date).unwrap_or_default(),
            r.idle_days.to_string(),
            r.ends_at.map(UnixTime::date_time).unwrap_or_default(),
        ]
    });
    crate::http::lists::csv_chunk(header, records)
}

/// The filtered review as a CSV file, streamed in chunks.
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<ReviewQuery>,
) -> AppResult<Response> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let f = review_filter(&state, &query)?;
    let lang = csv_language(&state, user.user_id, query.lang).await?;
    let partner = ctx.partner.id;
    let page = move |offset: i64| {
        let (state, f) = (state.clone(), f.clone());
        async move {
            let rows = db::review::list(&state.db, partner, &f, CSV_CHUNK, offset).await.map_err(|e| e.to_string())?;
            rows.into_iter().map(|r| review_row(r, f.now)).collect::<AppResult<Vec<_>>>().map_err(|e| e.to_string())
        }
    };
    let write = move |rows, first| csv_chunk(rows, first, lang);
    Ok(csv_download(format!("access-review-{account_id}.csv"), CSV_CHUNK, page, write))
}

/// The rows a request names, in order: its own list (distinct, at least
/// one), or every row matching the filter now.
async fn selected_rows(state: &AppState, ctx: &CamContext, selection: &RowSelection) -> AppResult<Vec<RowKey>> {
    let keys = match selection {
        RowSelection::Rows { rows } => {
            if rows.is_empty() {
                return Err(AppError::BadRequest("Choose at least one row.".into()));
            }
            if rows.iter().any(|k| !k.packs()) {
                return Err(AppError::NotFound);
            }
            if rows.iter().collect::<BTreeSet<_>>().len() != rows.len() {
                return Err(AppError::BadRequest("Each row may be named only once.".into()));
            }
            if rows.len() > MAX_BULK {
                return Err(AppError::BadRequest(format!("At most {MAX_BULK} rows at a time; narrow the filter.")));
            }
            // Every row named must be one of this partner's: another tenant's
            // ids are as unknown here as anywhere (404), and nothing starts.
            let mut conn = state.db.acquire().await?;
            for chunk in rows.chunks(CHUNK) {
                let clients = db::bulk::json_ids(chunk.iter().map(|k| k.client_id).collect::<BTreeSet<_>>());
                let users = db::bulk::json_ids(chunk.iter().map(|k| k.user_id).collect::<BTreeSet<_>>());
                let found: BTreeSet<RowKey> =
                    db::review::memberships_among(&mut conn, ctx.partner.id, &clients, &users)
                        .await?
                        .into_iter()
                        .map(|n| RowKey { client_id: n.membership.account_id, user_id: n.membership.user_id })
                        .collect();
                if chunk.iter().any(|k| !found.contains(k)) {
                    return Err(AppError::NotFound);
                }
            }
            rows.clone()
        }
        RowSelection::Matching { q, filter, except } => {
            if except.len() > MAX_BULK {
                return Err(AppError::BadRequest(format!("At most {MAX_BULK} rows at a time; narrow the filter.")));
            }
            let query = ReviewQuery { q: q.clone(), filter: Some(*filter), ..ReviewQuery::default() };
            let f = review_filter(state, &query)?;
            // Rows unticked are left out; naming a row that does not match leaves out nothing.
            let except: BTreeSet<i64> = except.iter().map(|k| k.pack()).collect();
            let keys = db::review::matching_keys(&state.db, ctx.partner.id, &f).await?;
            keys.into_iter().filter(|k| !except.contains(k)).map(RowKey::unpack).collect()
        }
    };
    if keys.is_empty() {
        return Err(AppError::BadRequest("No row matches.".into()));
    }
    if keys.len() > MAX_BULK {
        return Err(AppError::BadRequest(format!("At most {MAX_BULK} rows at a time; narrow the filter.")));
    }
    Ok(keys)
}

/// Lists refused rows first, up to [`PREVIEW_ROWS`].
pub(crate) fn first_rows<T: Clone>(all: &[T], refused: impl Fn(&T) -> bool) -> Vec<T> {
    let mut rows: Vec<T> = all.iter().filter(|r| refused(r)).take(PREVIEW_ROWS).cloned().collect();
    let room = PREVIEW_ROWS - rows.len();
    rows.extend(all.iter().filter(|r| !refused(r)).take(room).cloned());
    rows
}

/// The review step of a bulk action on rows: each row decided as the job
/// would decide it now, nothing written.
async fn preview_rows(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<RowsRequest>,
) -> AppResult<Json<RowsPreview>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let keys = selected_rows(&state, &ctx, &input.selection).await?;
    let actor = Actor::of(&user, &ctx);
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let mut plans = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(CHUNK) {
        for d in rows_chunk(&mut conn, &state, &actor, input.action, chunk, now, false).await? {
            plans.push(RowPlan {
                client_id: d.key.client_id,
                crm_name: d.crm_name,
                user_id: d.key.user_id,
                name: d.name,
                assets: d.assets,
                refusal: d.refusal,
            });
        }
    }
    let refused = plans.iter().filter(|p| p.refusal.is_some()).count() as u64;
    let assets = plans.iter().filter(|p| p.refusal.is_none()).map(|p| p.assets).sum();
    Ok(Json(RowsPreview {
        total: plans.len() as u64,
        allowed: plans.len() as u64 - refused,
        refused,
        assets,
        rows: first_rows(&plans, |p| p.refusal.is_some()),
    }))
}

/// Starts a bulk action on rows; the job to poll.
async fn start_rows(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<RowsRequest>,
) -> AppResult<(StatusCode, Json<JobSummary>)> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let keys = selected_rows(&state, &ctx, &input.selection).await?;
    let kind = match input.action {
        RowAction::Deactivate => JobKind::Deactivate,
        RowAction::Remove => JobKind::Remove,
    };
    let job = NewJob {
        partner_id: ctx.partner.id,
        actor_id: user.user_id,
        target_id: None,
        kind,
        permission_set: None,
        total: keys.len() as i64,
        now: state.clock.now().0,
    };
    let id = crate::work::bulk::start(&state, Actor::of(&user, &ctx), job, Work::Rows { action: input.action, keys })
        .await?;
    started(&state, ctx.partner.id, id).await
}

pub(crate) async fn started(state: &AppState, partner_id: i64, id: i64) -> AppResult<(StatusCode, Json<JobSummary>)> {
    let row = db::bulk::find_job(&state.db, partner_id, id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::ACCEPTED, Json(jobs::summary(row, state.clock.now().0)?)))
}
