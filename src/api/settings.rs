//! `/api/v1/accounts/{id}/settings/*`: the super-admin-only settings (R12).

use super::http::Method;
use super::http::{self, ApiResult};
use domain::api::{BillingSettings, DataCentreSettings, GrantSuperAdminRequest, ScimSettings, SuperAdminRow};

fn url(account_id: i64, what: &str) -> String {
    format!("/api/v1/accounts/{account_id}/settings/{what}")
}

/// Billing contact.
pub async fn billing(account_id: i64) -> ApiResult<BillingSettings> {
    http::get(&url(account_id, "billing")).await
}

/// Saves the billing contact.
pub async fn set_billing(account_id: i64, s: &BillingSettings) -> ApiResult<BillingSettings> {
    http::send(Method::Put, &url(account_id, "billing"), s).await
}

/// Members with their super admin flag.
pub async fn super_admins(account_id: i64) -> ApiResult<Vec<SuperAdminRow>> {
    http::get(&url(account_id, "super-admins")).await
}

/// Grants (`true`) or removes super admin rights.
pub async fn set_super_admin(account_id: i64, user_id: i64, grant: bool) -> ApiResult<()> {
    if grant {
        http::send::<_, Option<()>>(Method::Post, &url(account_id, "super-admins"), &GrantSuperAdminRequest { user_id })
            .await
            .map(|_| ())
    } else {
        http::send_empty(Method::Delete, &url(account_id, &format!("super-admins/{user_id}"))).await
    }
}

/// SCIM provisioning status.
pub async fn scim(account_id: i64) -> ApiResult<ScimSettings> {
    http::get(&url(account_id, "scim")).await
}

/// A new SCIM token (shown once).
pub async fn new_scim_token(account_id: i64) -> ApiResult<ScimSettings> {
    http::send_for(Method::Post, &url(account_id, "scim")).await
}

/// The data centre.
pub async fn data_centre(account_id: i64) -> ApiResult<DataCentreSettings> {
    http::get(&url(account_id, "data-centre")).await
}

/// Moves the account to another data centre.
pub async fn set_data_centre(account_id: i64, s: &DataCentreSettings) -> ApiResult<DataCentreSettings> {
    http::send(Method::Put, &url(account_id, "data-centre"), s).await
}
