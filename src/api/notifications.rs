//! `/api/v1/notifications`: the bell.

use super::http::Method;
use super::http::{self, ApiResult};
use domain::api::NotificationList;

/// The newest notifications and the unread count.
pub async fn list() -> ApiResult<NotificationList> {
    http::get("/api/v1/notifications").await
}

/// Marks every notification read.
pub async fn mark_read() -> ApiResult<()> {
    http::send_empty(Method::Post, "/api/v1/notifications/read").await
}
