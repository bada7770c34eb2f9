//! R17: `/api/v1/accounts/{id}/cam/review`, bulk jobs and the coverage grid.

use super::cam::ListParams;
use super::http::{self, with_query, ApiResult, Method};
use domain::api::{
    ClientsPreview, ClientsRequest, Coverage, JobReport, JobSummary, Page, ReviewRow, RowsPreview, RowsRequest,
};

fn review_pairs(p: &ListParams) -> Vec<(&'static str, String)> {
    p.only(&["q", "filter", "sort", "dir", "page"])
}

/// One page of the Access review.
pub async fn review(account_id: i64, p: &ListParams) -> ApiResult<Page<ReviewRow>> {
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/review"), &review_pairs(p))).await
}

/// The CSV file of the filtered review, in the page's language.
pub fn export_url(account_id: i64, p: &ListParams) -> String {
    let lang = crate::i18n::t().lang.tag();
    let mut pairs: Vec<(&str, String)> = review_pairs(p).into_iter().filter(|(k, _)| *k != "page").collect();
    pairs.push(("lang", lang.to_string()));
    with_query(&format!("/api/v1/accounts/{account_id}/cam/review.csv"), &pairs)
}

/// The review step of a bulk action on rows.
pub async fn preview_rows(account_id: i64, req: &RowsRequest) -> ApiResult<RowsPreview> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/cam/review/preview"), req).await
}

/// Starts a bulk action on rows.
pub async fn start_rows(account_id: i64, req: &RowsRequest) -> ApiResult<JobSummary> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/cam/review/jobs"), req).await
}

/// The review step of a bulk action on one employee's clients.
pub async fn preview_clients(account_id: i64, user_id: i64, req: &ClientsRequest) -> ApiResult<ClientsPreview> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/clients/preview"), req)
        .await
}

/// Starts a bulk action on one employee's clients.
pub async fn start_clients(account_id: i64, user_id: i64, req: &ClientsRequest) -> ApiResult<JobSummary> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/clients/jobs"), req).await
}

/// The partner's latest bulk work.
pub async fn jobs(account_id: i64) -> ApiResult<Vec<JobSummary>> {
    http::get(&format!("/api/v1/accounts/{account_id}/cam/jobs")).await
}

/// A job with a page of its report.
pub async fn job(account_id: i64, job_id: i64, refused: bool, page: u32) -> ApiResult<JobReport> {
    let pairs = [
        ("refused", if refused { "true".to_string() } else { String::new() }),
        ("page", if page > 1 { page.to_string() } else { String::new() }),
    ];
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/jobs/{job_id}"), &pairs)).await
}

/// A screen of the coverage grid.
pub async fn coverage(account_id: i64, p: &ListParams) -> ApiResult<Coverage> {
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/coverage"), &p.only(&["q", "page", "columns"])))
        .await
}
