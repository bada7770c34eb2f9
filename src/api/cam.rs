//! `/api/v1/accounts/{id}/cam`: the Clients and Employees tabs and client details.

use super::http::Method;
use super::http::{self, with_query, ApiResult};
use domain::api::{ClientDetails, ClientRow, EmployeeRow, Page, SortDir};
use domain::{AccessType, RoleFilter, Seat};

/// What a list asks for: search, filters, sort and page, parsed from the
/// URL (what does not parse is left at its default) and written back to the
/// URL and the API as query pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    pub q: String,
    pub role: Option<RoleFilter>,
    pub seat: Option<Seat>,
    /// Partner employees only (`true`) or the account's own users (`false`).
    pub partner: Option<bool>,
    /// The access types shown; empty for all.
    pub access: Vec<AccessType>,
    /// Clients tab: only clients where access ends within 30 days (R14).
    pub ending: bool,
    /// Clients tab: only clients whose relationship ends within 30 days (R18).
    pub relationship_ending: bool,
    /// Access review: the filter (R17).
    pub filter: Option<domain::api::ReviewFilter>,
    /// Coverage: the page of employees shown as columns, from 1.
    pub columns: u32,
    /// The list's sort key (each list's server route knows its own keys);
    /// empty for the list's default.
    pub sort: String,
    pub dir: SortDir,
    /// From 1.
    pub page: u32,
}

impl Default for ListParams {
    fn default() -> ListParams {
        ListParams {
            q: String::new(),
            role: None,
            seat: None,
            partner: None,
            access: Vec::new(),
            ending: false,
            relationship_ending: false,
            filter: None,
            columns: 1,
            sort: String::new(),
            dir: SortDir::Asc,
            page: 1,
        }
    }
}

impl ListParams {
    /// Parses the query values `get` returns.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> ListParams {
        let text = |k: &str| get(k).unwrap_or_default();
        ListParams {
            q: text("q"),
            role: RoleFilter::parse(&text("role")),
            seat: Seat::parse(&text("seat")),
            partner: text("partner").parse().ok(),
            access: text("access").split(',').filter_map(AccessType::parse).collect(),
            ending: text("ending") == "true",
            relationship_ending: text("relationship_ending") == "true",
            filter: domain::api::ReviewFilter::parse(&text("filter")),
            columns: text("columns").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
            sort: text("sort"),
            dir: if text("dir") == SortDir::Desc.key() { SortDir::Desc } else { SortDir::Asc },
            page: text("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// The query pairs; defaults are left out (empty values are dropped by
    /// `with_query`).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let opt = |v: Option<String>| v.unwrap_or_default();
        vec![
            ("q", self.q.clone()),
            ("role", opt(self.role.map(RoleFilter::key))),
            ("seat", opt(self.seat.map(|s| s.key().to_string()))),
            ("partner", opt(self.partner.map(|p| p.to_string()))),
            ("access", self.access.iter().map(|a| a.key()).collect::<Vec<_>>().join(",")),
            ("ending", if self.ending { "true".to_string() } else { String::new() }),
            ("relationship_ending", if self.relationship_ending { "true".to_string() } else { String::new() }),
            ("filter", opt(self.filter.filter(|f| *f != domain::api::ReviewFilter::All).map(|f| f.key().to_string()))),
            ("columns", if self.columns > 1 { self.columns.to_string() } else { String::new() }),
            ("sort", self.sort.clone()),
            ("dir", if self.sort.is_empty() { String::new() } else { self.dir.key().to_string() }),
            ("page", if self.page > 1 { self.page.to_string() } else { String::new() }),
        ]
    }

    /// Only the pairs named in `keys` (each list's route takes its own).
    pub(crate) fn only(&self, keys: &[&str]) -> Vec<(&'static str, String)> {
        self.pairs().into_iter().filter(|(k, _)| keys.contains(k)).collect()
    }
}

/// One page of the Clients tab.
pub async fn clients(account_id: i64, p: &ListParams) -> ApiResult<Page<ClientRow>> {
    let pairs = p.only(&["q", "access", "ending", "relationship_ending", "sort", "dir", "page"]);
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/cam/clients"), &pairs)).await
}

/// One page of the Employees tab.
pub async fn employees(account_id: i64, p: &ListParams) -> ApiResult<Page<EmployeeRow>> {
    let pairs = p.only(&["q", "sort", "dir", "page"]);
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

/// R14: an employee's new end date in a client (none removes it).
pub async fn set_end_date(
    account_id: i64,
    client_id: i64,
    user_id: i64,
    req: domain::api::SetEndDateRequest,
) -> ApiResult<()> {
    http::send::<_, Option<()>>(
        Method::Put,
        &format!("/api/v1/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date"),
        &req,
    )
    .await
    .map(|_| ())
}
