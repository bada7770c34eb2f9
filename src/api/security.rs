//! R20: `/api/v1/session/second-factor`, `/api/v1/me/*` (the user's own
//! second factors) and an account's requirement and members' factors.

use super::http::{self, ApiResult, Method};
use domain::api::{
    AuthenticatorSetup, CodeRequest, MemberFactor, MyFactors, PendingFactor, RecoveryCodes, SecondFactorSetting,
    SessionInfo,
};

/// What a sign-in waiting for its second factor may use.
pub async fn pending() -> ApiResult<PendingFactor> {
    http::get("/api/v1/session/second-factor").await
}

/// Completes the sign-in with a code.
pub async fn complete(code: String) -> ApiResult<SessionInfo> {
    http::send(Method::Post, "/api/v1/session/second-factor", &CodeRequest { code }).await
}

/// The user's own factors.
pub async fn mine() -> ApiResult<MyFactors> {
    http::get("/api/v1/me/second-factors").await
}

/// Starts adding an authenticator app.
pub async fn start_authenticator() -> ApiResult<AuthenticatorSetup> {
    http::send_for(Method::Post, "/api/v1/me/second-factors/authenticator").await
}

/// Confirms it with its first code; the first factor's recovery codes.
pub async fn confirm_authenticator(id: i64, code: String) -> ApiResult<RecoveryCodes> {
    http::send(Method::Post, &format!("/api/v1/me/second-factors/authenticator/{id}/confirm"), &CodeRequest { code })
        .await
}

/// Removes a factor, given a current code.
pub async fn remove(id: i64, code: String) -> ApiResult<()> {
    http::send::<_, Option<()>>(Method::Delete, &format!("/api/v1/me/second-factors/{id}"), &CodeRequest { code })
        .await
        .map(|_| ())
}

/// New recovery codes, given a current code.
pub async fn new_codes(code: String) -> ApiResult<RecoveryCodes> {
    http::send(Method::Post, "/api/v1/me/recovery-codes", &CodeRequest { code }).await
}

/// An account's requirement (A17).
pub async fn requirement(account_id: i64) -> ApiResult<SecondFactorSetting> {
    http::get(&format!("/api/v1/accounts/{account_id}/settings/second-factor")).await
}

/// Sets it.
pub async fn set_requirement(account_id: i64, s: SecondFactorSetting) -> ApiResult<SecondFactorSetting> {
    http::send(Method::Put, &format!("/api/v1/accounts/{account_id}/settings/second-factor"), &s).await
}

/// The account's members and their factors.
pub async fn members(account_id: i64) -> ApiResult<Vec<MemberFactor>> {
    http::get(&format!("/api/v1/accounts/{account_id}/second-factors")).await
}

/// Resets a member's factors (A18).
pub async fn reset(account_id: i64, user_id: i64) -> ApiResult<()> {
    http::send_empty(Method::Post, &format!("/api/v1/accounts/{account_id}/second-factors/{user_id}/reset")).await
}

/// A passkey ceremony's first step: the server's options, as JSON text
/// (`/me/second-factors/passkeys/start` or `/session/second-factor/passkey/start`).
pub async fn passkey_options(url: &str) -> ApiResult<String> {
    http::send_text(Method::Post, url, None).await
}

/// Registers the passkey the browser made (its JSON); the first factor's
/// recovery codes.
pub async fn add_passkey(credential: String) -> ApiResult<RecoveryCodes> {
    http::parse_text(http::send_text(Method::Post, "/api/v1/me/second-factors/passkeys", Some(credential)).await)
}

/// Completes a sign-in with the passkey's signature (its JSON).
pub async fn passkey_sign_in(credential: String) -> ApiResult<SessionInfo> {
    http::parse_text(http::send_text(Method::Post, "/api/v1/session/second-factor/passkey", Some(credential)).await)
}
