//! `/api/v1/accounts/{id}/cam`: the Clients and Employees tabs and client details.

use super::http::Method;
use super::http::{self, with_query, ApiResult};
use domain::api::{ClientDetails, ClientRow, EmployeeRow, Page};

/// What a list asks for: search, filters, sort and page, as URL values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListParams {
    pub q: String,
    pub role: String,
    pub seat: String,
    pub partner: String,
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
    http::send_for(Method::Put, &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/access-link")).await
}

/// A new access link for the employee; the old one stops working at once.
pub async fn regenerate_access_link(account_id: i64, user_id: i64) -> ApiResult<domain::api::AccessLinkInfo> {
    http::send_for(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate"),
    )
    .await
}

/// R4: adds employees to a client with a permission set.
pub async fn add_employees(
    account_id: i64,
    client_id: i64,
    req: &domain::api::AddEmployeesRequest,
) -> ApiResult<Vec<domain::api::EmployeeChange>> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/employees"), req).await
}

/// R3: changes an employee's permission set in a client.
pub async fn change_set(
    account_id: i64,
    client_id: i64,
    user_id: i64,
    req: &domain::api::ChangeSetRequest,
) -> ApiResult<domain::api::EmployeeChange> {
    http::send(
        Method::Put,
        &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/permission-set"),
        req,
    )
    .await
}

/// R2/R8: `deactivate` or `reactivate` an employee in a client.
pub async fn set_status(account_id: i64, client_id: i64, user_id: i64, action: &str) -> ApiResult<()> {
    http::send_empty(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/{action}"),
    )
    .await
}

/// R7: removes employees from a client, all or none.
pub async fn remove_employees(
    account_id: i64,
    client_id: i64,
    req: &domain::api::RemoveEmployeesRequest,
) -> ApiResult<()> {
    http::send::<_, Option<()>>(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/remove-employees"),
        req,
    )
    .await
    .map(|_| ())
}

/// R9: the signed-in user (or `user_id`) becomes Partner Admin in a client.
pub async fn migrate(account_id: i64, client_id: i64, req: &domain::api::MigrateRequest) -> ApiResult<()> {
    http::send::<_, Option<()>>(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/migrate"),
        req,
    )
    .await
    .map(|_| ())
}

/// The partner's clients where an employee is a user (R5, R6).
pub async fn employee_clients(account_id: i64, user_id: i64) -> ApiResult<Vec<domain::api::EmployeeClient>> {
    http::get(&format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/clients")).await
}

/// R6: removes an employee from clients, all or none.
pub async fn remove_from_clients(
    account_id: i64,
    user_id: i64,
    req: &domain::api::RemoveFromClientsRequest,
) -> ApiResult<()> {
    http::send::<_, Option<()>>(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients"),
        req,
    )
    .await
    .map(|_| ())
}

/// R5: links an employee who already exists in a client.
pub async fn link_client(account_id: i64, user_id: i64, req: &domain::api::LinkClientRequest) -> ApiResult<()> {
    http::send::<_, Option<()>>(
        Method::Post,
        &format!("/api/v1/accounts/{account_id}/cam/employees/{user_id}/link"),
        req,
    )
    .await
    .map(|_| ())
}

/// Every employee of the partner, for pickers (fetched 100 at a time).
pub async fn all_employees(account_id: i64) -> ApiResult<Page<EmployeeRow>> {
    let mut all: Page<EmployeeRow> =
        http::get(&format!("/api/v1/accounts/{account_id}/cam/employees?per_page=100&page=1")).await?;
    let pages = all.page_count();
    for page in 2..=pages {
        let next: Page<EmployeeRow> =
            http::get(&format!("/api/v1/accounts/{account_id}/cam/employees?per_page=100&page={page}")).await?;
        all.rows.extend(next.rows);
    }
    all.per_page = all.rows.len() as u32;
    Ok(all)
}
