//! `/api/v1/access-links/{token}`: the client side of an access link.

use super::http::Method;
use super::http::{self, ApiResult};
use domain::api::{ApprovalAccount, ApproveRequest, ApproveResult, PublicLinkInfo};

/// Who is asking (anybody holding the link may see it).
pub async fn lookup(token: &str) -> ApiResult<PublicLinkInfo> {
    http::get(&format!("/api/v1/access-links/{token}")).await
}

/// The signed-in user's accounts they may grant.
pub async fn accounts(token: &str) -> ApiResult<Vec<ApprovalAccount>> {
    http::get(&format!("/api/v1/access-links/{token}/accounts")).await
}

/// Grants the link's employee Partner Admin access to an account.
pub async fn approve(token: &str, req: &ApproveRequest) -> ApiResult<ApproveResult> {
    http::send(Method::Post, &format!("/api/v1/access-links/{token}/approve"), req).await
}
