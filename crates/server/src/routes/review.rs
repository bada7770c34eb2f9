//! R17 routes: the Access review tab (rows, CSV), bulk work on review rows
//! and on one employee's clients (a review step, then a job whose progress
//! and per-row report the page polls), and the coverage grid. Every route
//! checks R1 in the partner account first (404 for other tenants' ids);
//! each row or client is then decided by the single action's rules.

use crate::auth::CurrentUser;
use crate::bulk::{clients_chunk, rows_chunk, Actor, ClientsWork, Work, CHUNK};
use crate::db;
use crate::db::bulk::NewJob;
use crate::db::client_list::ClientFilter;
use crate::db::review::ReviewFilterSql;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery};
use crate::i18n;
use crate::routes::cam::{cam_context, CamContext};
use crate::routes::{paging, search_text, Api};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{
    ClientPlan, ClientSelection, ClientsAction, ClientsPreview, ClientsRequest, Coverage, CoverageCell,
    CoverageEmployee, CoverageQuery, CoverageRow, JobKind, JobOutcome, JobQuery, JobReport, JobState, JobSummary, Page,
    Recency, ReviewQuery, ReviewRow, RowAction, RowKey, RowPlan, RowSelection, RowsPreview, RowsRequest, PREVIEW_ROWS,
};
use domain::i18n::Lang;
use domain::rules::check_end_date;
use domain::{AccessType, StandardSet, UnixTime};
use std::collections::{BTreeSet, HashMap};

/// Routes under `/api/v1/accounts/{account_id}/cam` for review and bulk work.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/cam/review", review)
        .get("/accounts/{account_id}/cam/review.csv", export)
        .post("/accounts/{account_id}/cam/review/preview", preview_rows)
        .post("/accounts/{account_id}/cam/review/jobs", start_rows)
        .post("/accounts/{account_id}/cam/employees/{user_id}/clients/preview", preview_clients)
        .post("/accounts/{account_id}/cam/employees/{user_id}/clients/jobs", start_clients)
        .get("/accounts/{account_id}/cam/jobs", jobs)
        .get("/accounts/{account_id}/cam/jobs/{job_id}", job)
        .get("/accounts/{account_id}/cam/coverage", coverage)
}

/// Most rows (or clients) one bulk action covers.
pub const MAX_BULK: usize = 20_000;
/// Coverage columns (employees) per screen.
const COVERAGE_COLUMNS: u32 = 12;

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
    let m = r.membership.to_domain()?;
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
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(CSV_COLUMNS.map(|key| i18n::text(lang, key, &[])))?;
    }
    for r in rows {
        w.write_record([
            r.crm_name,
            r.name,
            r.email,
            i18n::text(lang, &format!("access_{}", r.access.key()), &[]),
            r.set_name.unwrap_or_default(),
            i18n::text(lang, &format!("status_{}", r.status.key()), &[]),
            r.last_activity.map(UnixTime::date).unwrap_or_default(),
            r.idle_days.to_string(),
            r.ends_at.map(UnixTime::date_time).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
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
    let lang = match query.lang {
        Some(lang) => lang,
        None => db::users::mail_language(&state.db, user.user_id).await?,
    };
    let partner = ctx.partner.id;
    let stream = futures_util::stream::unfold(Some(0i64), move |next| {
        let state = state.clone();
        let f = f.clone();
        async move {
            let offset = next?;
            let rows = match db::review::list(&state.db, partner, &f, CSV_CHUNK, offset).await {
                Ok(rows) => rows,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
            };
            let more = rows.len() as i64 == CSV_CHUNK;
            let rows: Result<Vec<ReviewRow>, _> = rows.into_iter().map(|r| review_row(r, f.now)).collect();
            let chunk = rows
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|rows| csv_chunk(rows, offset == 0, lang));
            Some((chunk, more.then_some(offset + CSV_CHUNK)))
        }
    });
    let disposition = format!("attachment; filename=\"access-review-{account_id}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(stream),
    )
        .into_response())
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
        RowSelection::Matching { q, filter } => {
            let query = ReviewQuery { q: q.clone(), filter: Some(*filter), ..ReviewQuery::default() };
            let f = review_filter(state, &query)?;
            db::review::matching_keys(&state.db, ctx.partner.id, &f).await?.into_iter().map(RowKey::unpack).collect()
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
fn first_rows<T: Clone>(all: &[T], refused: impl Fn(&T) -> bool) -> Vec<T> {
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
    let actor = Actor::of(&user, ctx.partner.id);
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let mut plans = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(CHUNK) {
        for d in rows_chunk(&mut conn, &actor, input.action, chunk, now, false).await? {
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
    let id =
        crate::bulk::start(&state, Actor::of(&user, ctx.partner.id), job, Work::Rows { action: input.action, keys })
            .await?;
    started(&state, ctx.partner.id, id).await
}

async fn started(state: &AppState, partner_id: i64, id: i64) -> AppResult<(StatusCode, Json<JobSummary>)> {
    let row = db::bulk::find_job(&state.db, partner_id, id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::ACCEPTED, Json(summary(row, state.clock.now().0)?)))
}

/// What a bulk action on one employee's clients covers, validated: the
/// employee (a member of the partner account, else 404), the clients (all
/// the partner's, else 404), and the end date (R14, Add only).
async fn clients_work(
    state: &AppState,
    ctx: &CamContext,
    user_id: i64,
    input: &ClientsRequest,
) -> AppResult<(ClientsWork, Vec<i64>)> {
    db::memberships::find(&state.db, ctx.partner.id, user_id).await?.ok_or(AppError::NotFound)?;
    let name = db::users::summary(&state.db, user_id).await?.map(|u| u.name).ok_or(AppError::NotFound)?;
    if let Some(ends_at) = input.ends_at {
        if input.action != ClientsAction::Add {
            return Err(AppError::BadRequest("An end date goes with adding to clients only.".into()));
        }
        check_end_date(state.clock.now(), ends_at)?;
    }
    let clients = match &input.selection {
        ClientSelection::Clients { ids } => {
            let ids = crate::routes::cam_actions::distinct_up_to(ids, "client", MAX_BULK)?;
            let known = db::review::clients_among(&state.db, ctx.partner.id, &db::bulk::json_ids(ids.clone())).await?;
            if known.len() != ids.len() {
                return Err(AppError::NotFound);
            }
            ids
        }
        ClientSelection::Matching { q, member } => {
            let q = search_text(q.clone())?;
            let member = member.then_some(user_id);
            let all = db::review::matching_clients(&state.db, ctx.partner.id, q.as_deref(), member).await?;
            if all.is_empty() {
                return Err(AppError::BadRequest("No client matches.".into()));
            }
            if all.len() > MAX_BULK {
                return Err(AppError::BadRequest(format!("At most {MAX_BULK} clients at a time; narrow the search.")));
            }
            all.into_iter().map(|(id, _)| id).collect()
        }
    };
    let work = ClientsWork {
        action: input.action,
        user_id,
        name,
        set: input.permission_set,
        ends_at: input.ends_at.map(|t| t.0),
    };
    Ok((work, clients))
}

/// The review step of adding an employee to many clients, or changing
/// their set there: per client, R3's change or the refusal.
async fn preview_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<ClientsRequest>,
) -> AppResult<Json<ClientsPreview>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (work, clients) = clients_work(&state, &ctx, user_id, &input).await?;
    let actor = Actor::of(&user, ctx.partner.id);
    let now = state.clock.now().0;
    let mut conn = state.db.acquire().await?;
    let mut plans = Vec::with_capacity(clients.len());
    for chunk in clients.chunks(CHUNK) {
        for d in clients_chunk(&mut conn, &actor, &work, chunk, now, false).await? {
            plans.push(ClientPlan {
                client_id: d.client_id,
                crm_name: d.crm_name,
                change: d.change,
                refusal: d.refusal,
            });
        }
    }
    let refused = plans.iter().filter(|p| p.refusal.is_some()).count() as u64;
    Ok(Json(ClientsPreview {
        total: plans.len() as u64,
        allowed: plans.len() as u64 - refused,
        refused,
        rows: first_rows(&plans, |p| p.refusal.is_some()),
    }))
}

/// Starts adding an employee to many clients (or changing their set there).
async fn start_clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<ClientsRequest>,
) -> AppResult<(StatusCode, Json<JobSummary>)> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (work, clients) = clients_work(&state, &ctx, user_id, &input).await?;
    let job = NewJob {
        partner_id: ctx.partner.id,
        actor_id: user.user_id,
        target_id: Some(user_id),
        kind: match input.action {
            ClientsAction::Add => JobKind::AddToClients,
            ClientsAction::ChangeSet => JobKind::ChangeSetInClients,
        },
        permission_set: Some(input.permission_set.key().to_string()),
        total: clients.len() as i64,
        now: state.clock.now().0,
    };
    let id = crate::bulk::start(&state, Actor::of(&user, ctx.partner.id), job, Work::Clients { work, clients }).await?;
    started(&state, ctx.partner.id, id).await
}

fn summary(r: db::bulk::JobRow, now: i64) -> AppResult<JobSummary> {
    let corrupt = || AppError::Internal(format!("job {} is corrupt", r.id));
    let mut state = JobState::parse(&r.state).ok_or_else(corrupt)?;
    if state == JobState::Running && now - r.progress_at > crate::bulk::SILENT_FOR {
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

/// The coverage grid: a page of clients (by name, searched) by a page of
/// the partner's employees, each cell the employee's access there and how
/// recently they acted.
async fn coverage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<CoverageQuery>,
) -> AppResult<Json<Coverage>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let columns = query.columns.unwrap_or(1);
    if columns == 0 {
        return Err(AppError::BadRequest("columns starts at 1.".into()));
    }
    let now = state.clock.now();
    let filter = ClientFilter {
        q: search_text(query.q)?,
        access: AccessType::ALL.iter().map(|a| a.key()).collect(),
        ending: false,
        sort: Default::default(),
        dir: Default::default(),
        limit: i64::from(per_page),
        offset: i64::from(page - 1) * i64::from(per_page),
    };
    let clients = db::client_list::list(&state.db, ctx.partner.id, user.user_id, &filter, now.0).await?;
    let total = clients.first().map(|c| c.total).unwrap_or(0).max(0) as u64;
    let col_offset = i64::from(columns - 1) * i64::from(COVERAGE_COLUMNS);
    let (employees, employee_total) =
        db::review::employee_columns(&state.db, ctx.partner.id, i64::from(COVERAGE_COLUMNS), col_offset).await?;
    let cells = db::review::cells(
        &state.db,
        ctx.partner.id,
        &db::bulk::json_ids(clients.iter().map(|c| c.id)),
        &db::bulk::json_ids(employees.iter().map(|e| e.0)),
    )
    .await?;
    let mut by_key: HashMap<(i64, i64), CoverageCell> = HashMap::with_capacity(cells.len());
    for r in cells {
        let m = r.to_domain()?;
        let recency = Recency::of(r.last_activity_at.map(UnixTime), now);
        by_key.insert((r.account_id, r.user_id), CoverageCell { access: m.access_type(), recency });
    }
    let none = CoverageCell { access: AccessType::None, recency: Recency::Never };
    let rows = clients
        .into_iter()
        .map(|c| CoverageRow {
            client_id: c.id,
            cells: employees.iter().map(|(u, _)| by_key.get(&(c.id, *u)).copied().unwrap_or(none)).collect(),
            crm_name: c.crm_name,
        })
        .collect();
    Ok(Json(Coverage {
        employees: employees.into_iter().map(|(user_id, name)| CoverageEmployee { user_id, name }).collect(),
        employee_total: employee_total.max(0) as u64,
        columns,
        columns_per_page: COVERAGE_COLUMNS,
        clients: Page { rows, total, page, per_page },
    }))
}
