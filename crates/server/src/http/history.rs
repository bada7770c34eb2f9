//! R13: reading an account's history of access changes, as pages of JSON or
//! as a CSV file streamed page by page.

use crate::auth::CurrentUser;
use crate::changes::members::membership_in;
use crate::db;
use crate::db::history::{HistoryFilter, HistoryListRow};
use crate::error::{AppError, AppResult};
use crate::http::extract::AppQuery;
use crate::http::Api;
use crate::http::{csv_download, csv_language, page_of, paging, search_text};
use crate::i18n;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use domain::api::{HistoryQuery, HistoryRow, Page};
use domain::history::HistoryAction;
use domain::i18n::Lang;
use domain::rules::may_read_history;
use domain::{AccountKind, Perms, UnixTime};

/// Routes under `/api/v1/accounts/{account_id}/history`.
pub fn routes() -> Api {
    Api::new().get("/accounts/{account_id}/history", list).get("/accounts/{account_id}/history.csv", export)
}

/// Rows per page of the CSV stream.
const CSV_CHUNK: i64 = 500;

/// Membership and R13, then the validated filter.
async fn context(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    q: &HistoryQuery,
) -> AppResult<(bool, HistoryFilter)> {
    let (account, _, me) = membership_in(state, user.user_id, account_id).await?;
    may_read_history(account.kind, &me)?;
    let (from, to) = (q.from, q.to);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(AppError::Input {
                reason: "date_range",
                message: "The from date must not be after the to date.",
            });
        }
    }
    let filter = HistoryFilter {
        actor: search_text(q.actor.clone())?,
        target: search_text(q.target.clone())?,
        action: q.action.map(HistoryAction::key),
        from: from.map(|d| d.start().0),
        until: to.map(|d| d.end().0),
    };
    Ok((account.kind == AccountKind::Partner, filter))
}

fn perms(stored: Option<String>) -> Option<Perms> {
    stored.and_then(|s| Perms::from_keys(&s).ok())
}

fn to_row(r: HistoryListRow) -> AppResult<HistoryRow> {
    Ok(HistoryRow {
        id: r.id,
        at: UnixTime(r.at),
        actor: r.actor,
        account: r.account,
        target: r.target,
        action: HistoryAction::parse(&r.action).ok_or_else(|| AppError::Internal("unknown history action".into()))?,
        before: perms(r.before_perms),
        after: perms(r.after_perms),
        detail: r.detail,
    })
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> AppResult<Json<Page<HistoryRow>>> {
    let (partner, filter) = context(&state, &user, account_id, &query).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows = db::history::list(&state.db, account_id, partner, &filter, i64::from(per_page), offset).await?;
    Ok(Json(page_of(rows, |r| r.total, page, per_page, to_row)?))
}

/// The CSV file's columns, by their catalogue keys.
const CSV_COLUMNS: [&str; 8] =
    ["csv_when", "csv_actor", "csv_account", "csv_target", "csv_action", "csv_before", "csv_after", "csv_detail"];

fn csv_chunk(rows: Vec<HistoryListRow>, header: bool, lang: Lang) -> Result<Vec<u8>, std::io::Error> {
    let header = header.then(|| CSV_COLUMNS.map(|key| i18n::text(lang, key, &[])));
    let records = rows.into_iter().map(|r| {
        [
            UnixTime(r.at).date_time(),
            r.actor.unwrap_or_default(),
            r.account,
            r.target.unwrap_or_default(),
            i18n::text(lang, &format!("action_{}", r.action), &[]),
            r.before_perms.unwrap_or_default(),
            r.after_perms.unwrap_or_default(),
            r.detail,
        ]
    });
    crate::http::lists::csv_chunk(header, records)
}

/// The history with the same filters as a CSV file, streamed in chunks so
/// that a long history never sits in memory whole.
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> AppResult<Response> {
    let (partner, filter) = context(&state, &user, account_id, &query).await?;
    let lang = csv_language(&state, user.user_id, query.lang).await?;
    let page = move |offset: i64| {
        let (state, filter) = (state.clone(), filter.clone());
        async move {
            db::history::list(&state.db, account_id, partner, &filter, CSV_CHUNK, offset)
                .await
                .map_err(|e| e.to_string())
        }
    };
    let write = move |rows, first| csv_chunk(rows, first, lang);
    Ok(csv_download(format!("history-{account_id}.csv"), CSV_CHUNK, page, write))
}
