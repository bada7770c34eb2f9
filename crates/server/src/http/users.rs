//! Settings > Users & Teams of a customer account (read side).

use crate::auth::CurrentUser;
use crate::changes::members::user_manager;
use crate::db;
use crate::error::AppResult;
use crate::http::extract::AppQuery;
use crate::http::Api;
use crate::http::{page_of, people_filter};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::api::{AccountUserRow, EmployeeQuery, Page};
use domain::authority::partner_terms;

/// Routes under `/api/v1/accounts/{account_id}/users`.
pub fn routes() -> Api {
    Api::new().get("/accounts/{account_id}/users", list)
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<EmployeeQuery>,
) -> AppResult<Json<Page<AccountUserRow>>> {
    let (account, me) = user_manager(&state, user.user_id, account_id).await?;
    let (filter, page, per_page) = people_filter(query)?;
    let rows = db::people::account_users(&state.db, account.id, &filter).await?;
    let now = state.clock.now();
    let place = crate::changes::place(&mut *state.db.acquire().await?, account.id, now.0).await?;
    let page = page_of(
        rows,
        |r| r.total,
        page,
        per_page,
        |r| {
            let m = r.membership.to_domain(now)?;
            Ok(AccountUserRow {
                user_id: r.membership.user_id,
                super_admin: m.super_admin,
                set_name: r.membership.set_name(),
                seat: m.seat,
                status: m.status,
                partner_name: r.partner_name,
                permissions: m.permissions(),
                ends_at: r.membership.ends_at.map(domain::UnixTime),
                refused: domain::authority::previews::member(&me, &m, &place),
                // R18: a partner's ceiling for the client's own people and
                // for that partner's; never another partner's (R16).
                ceiling: place
                    .terms_of(m.partner_account_id)
                    .filter(|_| partner_terms::sees_ceiling(&me, m.partner_account_id))
                    .and_then(|t| t.ceiling),
                name: r.name,
                email: r.email,
            })
        },
    )?;
    Ok(Json(page))
}
