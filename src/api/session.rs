//! `/api/v1/session`: who is signed in, sign-in, sign-out, account switch.

use super::http::Method;
use super::http::{self, ApiResult};
use domain::api::{LanguageRequest, SessionInfo, SignInRequest, SwitchAccountRequest};

/// The signed-in user, or a 401 error.
pub async fn current() -> ApiResult<SessionInfo> {
    http::get("/api/v1/session").await
}

/// Signs in with email and password.
pub async fn sign_in(req: &SignInRequest) -> ApiResult<SessionInfo> {
    http::send(Method::Post, "/api/v1/session", req).await
}

/// Ends the session on the server.
pub async fn sign_out() -> ApiResult<()> {
    http::send_empty(Method::Delete, "/api/v1/session").await
}

/// Makes `account_id` the current account.
pub async fn switch_account(account_id: i64) -> ApiResult<SessionInfo> {
    http::send(Method::Put, "/api/v1/session/account", &SwitchAccountRequest { account_id }).await
}

/// Remembers the language the user chose.
pub async fn set_language(language: domain::i18n::Lang) -> ApiResult<SessionInfo> {
    http::send(Method::Put, "/api/v1/session/language", &LanguageRequest { language }).await
}
