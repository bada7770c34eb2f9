//! `/api/v1/accounts/{id}/users`: Settings > Users & Teams.

use super::cam::ListParams;
use super::http::{self, with_query, ApiResult};
use domain::api::{AccountUserRow, Page};

/// One page of an account's users.
pub async fn list(account_id: i64, p: &ListParams) -> ApiResult<Page<AccountUserRow>> {
    let pairs = [("q", p.q.clone()), ("sort", p.sort.clone()), ("dir", p.dir.clone()), ("page", p.page.clone())];
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/users"), &pairs)).await
}
