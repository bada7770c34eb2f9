//! `/api/v1/accounts/{id}/users`: Settings > Users & Teams.

use super::cam::ListParams;
use super::http::Method;
use super::http::{self, with_query, ApiResult};
use domain::api::{AccountUserRow, Page};

/// One page of an account's users.
pub async fn list(account_id: i64, p: &ListParams) -> ApiResult<Page<AccountUserRow>> {
    // Search, the role, seat and partner filters, sort and page.
    let pairs = p.pairs().into_iter().filter(|(k, _)| *k != "access" && *k != "ending").collect::<Vec<_>>();
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/users"), &pairs)).await
}

/// What the Create user wizard knows about an email and a seat (R11).
pub async fn candidate(account_id: i64, email: &str, seat: domain::Seat) -> ApiResult<domain::api::UserCandidate> {
    let pairs = [("email", email.to_string()), ("seat", seat.key().to_string())];
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/users/candidate"), &pairs)).await
}

/// Create user: the new user, and what the grant rule granted them.
pub async fn create(account_id: i64, req: &domain::api::CreateUserRequest) -> ApiResult<domain::api::CreatedUser> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/users"), req).await
}

/// Edit permissions: what the grant rule changed.
pub async fn edit_permissions(
    account_id: i64,
    user_id: i64,
    req: &domain::api::EditPermissionsRequest,
) -> ApiResult<domain::PermissionChange> {
    http::send(Method::Put, &format!("/api/v1/accounts/{account_id}/users/{user_id}/permissions"), req).await
}

/// Assign seat.
pub async fn assign_seat(account_id: i64, user_id: i64, seat: domain::Seat) -> ApiResult<()> {
    let req = domain::api::AssignSeatRequest { seat };
    http::send::<_, Option<()>>(Method::Put, &format!("/api/v1/accounts/{account_id}/users/{user_id}/seat"), &req)
        .await
        .map(|_| ())
}

/// `deactivate` or `reactivate` a user (these requests carry no body).
pub async fn set_status(account_id: i64, user_id: i64, action: &str) -> ApiResult<()> {
    http::send_empty(Method::Post, &format!("/api/v1/accounts/{account_id}/users/{user_id}/{action}")).await
}

/// Client-side R9: change a partner super admin to Partner Admin.
pub async fn migrate(account_id: i64, user_id: i64, req: &domain::api::MigrateRequest) -> ApiResult<()> {
    http::send::<_, Option<()>>(Method::Post, &format!("/api/v1/accounts/{account_id}/users/{user_id}/migrate"), req)
        .await
        .map(|_| ())
}

/// Remove a user from the account.
pub async fn remove(account_id: i64, user_id: i64) -> ApiResult<()> {
    http::send_empty(Method::Delete, &format!("/api/v1/accounts/{account_id}/users/{user_id}")).await
}

/// R14 on the client side: a partner employee's new end date (none removes it).
pub async fn set_end_date(account_id: i64, user_id: i64, req: domain::api::SetEndDateRequest) -> ApiResult<()> {
    http::send::<_, Option<()>>(Method::Put, &format!("/api/v1/accounts/{account_id}/users/{user_id}/end-date"), &req)
        .await
        .map(|_| ())
}

/// Settings > Partner access (R16), read as `T`: [`domain::api::PartnerAccess`]
/// or, on the terms page, [`domain::api::PartnerTermsChoices`].
pub async fn partner_access<T: serde::de::DeserializeOwned>(account_id: i64) -> ApiResult<T> {
    http::get(&format!("/api/v1/accounts/{account_id}/partner-access")).await
}

/// R18: what a ceiling for one partner would do, before it is set.
pub async fn preview_ceiling(
    account_id: i64,
    partner_id: i64,
    req: &domain::api::CeilingRequest,
) -> ApiResult<domain::api::CeilingPreview> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/partner-access/{partner_id}/ceiling/preview"), req)
        .await
}

/// R18: sets one partner's ceiling, or removes it (`None`).
pub async fn set_ceiling(
    account_id: i64,
    partner_id: i64,
    req: Option<domain::api::CeilingRequest>,
) -> ApiResult<domain::api::PartnerChange> {
    let url = format!("/api/v1/accounts/{account_id}/partner-access/{partner_id}/ceiling");
    match req {
        Some(req) => http::send(Method::Put, &url, &req).await,
        None => http::send_for(Method::Delete, &url).await,
    }
}

/// R18: sets, moves or removes the end of one partner's relationship.
pub async fn set_relationship_end(
    account_id: i64,
    partner_id: i64,
    req: domain::api::SetEndDateRequest,
) -> ApiResult<()> {
    let url = format!("/api/v1/accounts/{account_id}/partner-access/{partner_id}/relationship-end");
    http::send::<_, domain::api::PartnerChange>(Method::Put, &url, &req).await.map(|_| ())
}

/// R16: `suspend`, `resume` or `remove` one partner's people.
pub async fn control_partner(account_id: i64, partner_id: i64, action: &str) -> ApiResult<domain::api::PartnerChange> {
    http::send_for(Method::Post, &format!("/api/v1/accounts/{account_id}/partner-access/{partner_id}/{action}")).await
}
