//! R17: the coverage grid — clients × employees coloured by access.

use crate::auth::CurrentUser;
use crate::changes::members::cam_context;
use crate::db;
use crate::db::client_list::ClientFilter;
use crate::error::{AppError, AppResult};
use crate::http::extract::AppQuery;
use crate::http::Api;
use crate::http::{paging, search_text};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{Coverage, CoverageCell, CoverageEmployee, CoverageQuery, CoverageRow, Page, Recency};
use domain::{AccessType, UnixTime};
use std::collections::HashMap;

/// Route of the coverage grid.
pub fn routes() -> Api {
    Api::new().get("/accounts/{account_id}/cam/coverage", coverage)
}

/// Coverage columns (employees) per screen.
const COVERAGE_COLUMNS: u32 = 12;

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
        relationship_ending: false,
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
        let m = r.to_domain(state.clock.now())?;
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
