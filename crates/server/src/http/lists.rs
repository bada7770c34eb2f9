//! What every list route shares: validated paging, pages built from rows
//! carrying a window-function total, the people filter, search text.

use crate::db;
use crate::error::{AppError, AppResult};
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::api::Page;
use domain::i18n::Lang;
use std::future::Future;

/// Largest page a list returns.
pub const MAX_PER_PAGE: u32 = 100;
/// Page size when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 25;

/// Validated paging: page from 1, per_page from 1 to [`MAX_PER_PAGE`].
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> AppResult<(u32, u32)> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if page == 0 {
        return Err(AppError::BadRequest("page starts at 1.".into()));
    }
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(AppError::BadRequest(format!("per_page must be between 1 and {MAX_PER_PAGE}.")));
    }
    Ok((page, per_page))
}

/// Builds a page from rows carrying a window-function total.
pub fn page_of<R, T>(
    rows: Vec<R>,
    total: impl Fn(&R) -> i64,
    page: u32,
    per_page: u32,
    map: impl FnMut(R) -> AppResult<T>,
) -> AppResult<Page<T>> {
    let total = rows.first().map(total).unwrap_or(0).max(0) as u64;
    let rows = rows.into_iter().map(map).collect::<AppResult<Vec<T>>>()?;
    Ok(Page { rows, total, page, per_page })
}

/// The validated filter and paging of a people list (Employees tab, Users & Teams).
pub fn people_filter(query: domain::api::EmployeeQuery) -> AppResult<(db::people::PeopleFilter, u32, u32)> {
    let (page, per_page) = paging(query.page, query.per_page)?;
    let filter = db::people::PeopleFilter {
        q: search_text(query.q)?,
        role: query.role.map(domain::RoleFilter::key),
        seat: query.seat.map(domain::Seat::key),
        partner: query.partner,
        sort: query.sort.unwrap_or_default(),
        dir: query.dir.unwrap_or_default(),
        limit: i64::from(per_page),
        offset: i64::from(page - 1) * i64::from(per_page),
    };
    Ok((filter, page, per_page))
}

/// A search text trimmed, or none when blank; over-long searches are refused.
pub fn search_text(q: Option<String>) -> AppResult<Option<String>> {
    // A control character (a line break from an address, say) matches no
    // stored name: it becomes one that no name holds either.
    let q = q
        .map(|q| q.trim().chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect::<String>())
        .filter(|q| !q.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::Input { reason: "search_length", message: "The search text is at most 200 characters." });
    }
    Ok(q)
}

/// The language a CSV file is written in: the one asked for, else the
/// signed-in user's own (as their emails).
pub async fn csv_language(state: &crate::state::AppState, user_id: i64, asked: Option<Lang>) -> AppResult<Lang> {
    match asked {
        Some(lang) => Ok(lang),
        None => Ok(db::users::mail_language(&state.db, user_id).await?),
    }
}

/// A CSV file streamed page by page, so that a long list never sits in
/// memory whole: `page(offset)` reads up to `chunk` rows from `offset`,
/// `write(rows, first)` writes them (the header row before the first page).
pub fn csv_download<R, F, Fut, W>(filename: String, chunk: i64, page: F, write: W) -> Response
where
    R: Send + 'static,
    F: Fn(i64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<R>, String>> + Send + 'static,
    W: Fn(Vec<R>, bool) -> std::io::Result<Vec<u8>> + Clone + Send + Sync + 'static,
{
    let stream = futures_util::stream::unfold(Some(0i64), move |next| {
        let (page, write) = (page.clone(), write.clone());
        async move {
            let offset = next?;
            let rows = match page(offset).await {
                Ok(rows) => rows,
                Err(e) => return Some((Err(std::io::Error::other(e)), None)),
            };
            let more = rows.len() as i64 == chunk;
            Some((write(rows, offset == 0), more.then_some(offset + chunk)))
        }
    });
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(stream),
    )
        .into_response()
}

/// A cell a spreadsheet would run as a formula — one starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return — written as text, with a
/// leading apostrophe (SPEC §9: names and emails are typed by other tenants).
pub fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// One chunk of a CSV file: the header row (for the first chunk) and the
/// records, every cell through [`spreadsheet_safe`]. Every export writes
/// its rows through here.
pub fn csv_chunk<const N: usize>(
    header: Option<[String; N]>,
    records: impl IntoIterator<Item = [String; N]>,
) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for record in header.into_iter().chain(records) {
        w.write_record(record.map(spreadsheet_safe))?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for bad in ["=HYPERLINK(\"http://x\",\"Open\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(bad.to_string()), format!("'{bad}"));
        }
        for fine in ["Ada Lovelace", "ada@northwind.example", "2026-12-03", ""] {
            assert_eq!(spreadsheet_safe(fine.to_string()), fine);
        }
        let out = String::from_utf8(csv_chunk(Some(["name".to_string()]), [["=1+1".to_string()]]).unwrap()).unwrap();
        assert_eq!(out, "name\n'=1+1\n");
    }

    #[test]
    fn paging_refuses_page_zero_and_oversized_pages() {
        assert!(paging(Some(0), None).is_err());
        assert!(paging(None, Some(101)).is_err());
        assert_eq!(paging(None, None).unwrap(), (1, DEFAULT_PER_PAGE));
    }
}
