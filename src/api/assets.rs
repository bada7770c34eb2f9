//! `/api/v1/accounts/{id}/assets`.

use super::http::Method;
use super::http::{self, with_query, ApiResult};
use domain::api::{AssetRow, CreateAssetRequest, Page, UpdateAssetRequest};

/// One page of assets, searched and filtered by owner.
pub async fn list(account_id: i64, q: &str, owner: &str, page: &str) -> ApiResult<Page<AssetRow>> {
    let pairs = [("q", q.to_string()), ("owner", owner.to_string()), ("page", page.to_string())];
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/assets"), &pairs)).await
}

/// Creates an asset.
pub async fn create(account_id: i64, req: &CreateAssetRequest) -> ApiResult<domain::api::CreatedAsset> {
    http::send(Method::Post, &format!("/api/v1/accounts/{account_id}/assets"), req).await
}

/// Renames and/or reassigns an asset.
pub async fn update(account_id: i64, asset_id: i64, req: &UpdateAssetRequest) -> ApiResult<()> {
    http::send::<_, Option<()>>(Method::Patch, &format!("/api/v1/accounts/{account_id}/assets/{asset_id}"), req)
        .await
        .map(|_| ())
}
