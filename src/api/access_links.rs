//! `/api/v1/access-links/{token}`: the client side of an access link.

use super::http::Method;
use super::http::{self, ApiResult};
use domain::api::{ApprovalAccount, ApproveRequest, ApproveResult, DeclineRequest, PublicLinkInfo};

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

/// Declines the link instead (SPEC §4), with an optional reason for the
/// employee (at most `domain::access_link::DeclineReason::MAX_CHARS`
/// characters). Answered with no content; declining again within a day
/// changes nothing.
pub async fn decline(token: &str, reason: Option<String>) -> ApiResult<()> {
    let req = DeclineRequest { reason };
    http::send::<_, Option<()>>(Method::Post, &format!("/api/v1/access-links/{token}/decline"), &req).await.map(|_| ())
}
