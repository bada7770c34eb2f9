//! Assets of a customer account.

use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Query of `GET /api/v1/accounts/{id}/assets`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetQuery {
    #[serde(default)]
    pub q: Option<String>,
    /// Only assets of this owner.
    #[serde(default)]
    pub owner: Option<i64>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// An asset on the Assets page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRow {
    pub id: i64,
    pub kind: crate::account::AssetKind,
    pub name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub updated_at: UnixTime,
}

/// `POST /api/v1/accounts/{id}/assets`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAssetRequest {
    pub kind: crate::account::AssetKind,
    pub name: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// `PATCH /api/v1/accounts/{id}/assets/{asset_id}`: rename and/or reassign.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateAssetRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// The new owner (a member of the account).
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// `201` of `POST /api/v1/accounts/{id}/assets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAsset {
    pub id: i64,
}
