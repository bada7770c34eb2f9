//! `/api/v1/accounts/{id}/cam`: the Clients and Employees tabs and client details.

use super::http::{self, with_query, ApiResult};
use domain::api::{ClientDetails, ClientRow, EmployeeRow, Page};

/// What a list asks for: search, filters, sort and page, as URL values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListParams {
    pub q: String,
    pub access: String,
    pub sort: String,
    pub dir: String,
    pub page: String,
}

impl ListParams {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("access", self.access.clone()),
            ("sort", self.sort.clone()),
            ("dir", self.dir.clone()),
            ("page", self.page.clone()),
        ]
    }
}

/// One page of the Clients tab.
pub async fn clients(account_id: i64, p: &ListParams) -> ApiResult<Page<ClientRow>> {
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/clients"), &p.pairs())).await
}

/// One page of the Employees tab.
pub async fn employees(account_id: i64, p: &ListParams) -> ApiResult<Page<EmployeeRow>> {
    let mut pairs = p.pairs();
    pairs.retain(|(k, _)| *k != "access");
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/employees"), &pairs)).await
}

/// A client's details.
pub async fn client(account_id: i64, client_id: i64) -> ApiResult<ClientDetails> {
    http::get(&format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}")).await
}

/// A partner employee's page.
pub async fn employee(account_id: i64, user_id: i64) -> ApiResult<domain::api::EmployeeDetails> {
    http::get(&format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}")).await
}

/// The employee's access link (issued on first request).
pub async fn access_link(account_id: i64, user_id: i64) -> ApiResult<domain::api::AccessLinkInfo> {
    http::send_for("PUT", &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/access-link")).await
}

/// A new access link for the employee; the old one stops working at once.
pub async fn regenerate_access_link(account_id: i64, user_id: i64) -> ApiResult<domain::api::AccessLinkInfo> {
    http::send_for("POST", &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate"))
        .await
}
