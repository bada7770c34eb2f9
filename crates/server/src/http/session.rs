//! Sign-in, sign-out, the current user with their memberships, and switching
//! the current account.

use crate::auth::{self, CurrentUser};
use crate::changes::members::membership_in;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, ClientIp, NoBody};
use crate::http::Api;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{LanguageRequest, MembershipSummary, SessionInfo, SignInRequest, SwitchAccountRequest, CSRF_HEADER};
use domain::rules::may_open_client_access_manager;
use domain::AccountKind;

/// Routes under `/api/v1/session`.
pub fn routes() -> Api {
    Api::new()
        .get("/session", current)
        .post("/session", sign_in)
        .delete("/session", sign_out)
        .put("/session/account", switch_account)
        .put("/session/language", set_language)
}

/// Remembers the language the user chose (the language menu).
async fn set_language(
    State(state): State<AppState>,
    user: CurrentUser,
    AppJson(input): AppJson<LanguageRequest>,
) -> AppResult<Response> {
    db::users::set_language(&state.db, user.user_id, input.language).await?;
    Ok(with_csrf(&user, session_info(&state, &user).await?))
}

async fn current(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    Ok(with_csrf(&user, session_info(&state, &user).await?))
}

/// Signs in: checks the password (argon2id), ends any session the browser
/// already had, and starts a new one with a fresh id and CSRF token.
async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    AppJson(input): AppJson<SignInRequest>,
) -> AppResult<Response> {
    state.sign_in_limiter.check(&state.db, &ip, state.clock.now().0).await?;
    let creds = db::users::credentials_by_email(&state.db, input.email.as_str()).await?;
    // argon2 takes tens of milliseconds of CPU: off the async threads.
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    let password = input.password.clone();
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
    if !verified {
        return Err(AppError::BadCredentials);
    }
    // A new session replaces the one this browser had; a refused attempt
    // changes nothing (not even signing the browser out).
    if let Some(old) = auth::session_token(&headers) {
        db::sessions::delete(&state.db, &auth::token_hash(&old)).await?;
    }
    let user_id = creds.map(|c| c.id).ok_or(AppError::BadCredentials)?;
    if let Some(lang) = input.language {
        db::users::set_seen_language(&state.db, user_id, lang).await?;
    }
    if db::factors::has_factor(&state.db, user_id).await? {
        // R20: the second factor comes next; this session grants nothing
        // until then (`PendingSignIn`).
        let token = auth::new_token();
        let csrf = auth::new_token();
        db::sessions::create(&state.db, &auth::token_hash(&token), user_id, &csrf, None, state.clock.now().0, true)
            .await?;
        let mut res = AppError::SecondFactorNeeded.into_response();
        res.headers_mut().insert(header::SET_COOKIE, auth::session_cookie(&token, state.config.secure_cookies));
        if let Ok(v) = HeaderValue::from_str(&csrf) {
            res.headers_mut().insert(HeaderName::from_static(CSRF_HEADER), v);
        }
        return Ok(res);
    }
    signed_in(&state, user_id).await
}

/// Starts a session for a user whose sign-in is complete: a fresh id and
/// CSRF token, the cookie, and the session as JSON.
pub async fn signed_in(state: &AppState, user_id: i64) -> AppResult<Response> {
    let token = auth::new_token();
    let csrf = auth::new_token();
    let hash = auth::token_hash(&token);
    let first_account = db::memberships::for_user(&state.db, user_id).await?.first().map(|(a, _)| a.id);
    db::sessions::create(&state.db, &hash, user_id, &csrf, first_account, state.clock.now().0, false).await?;
    let user = CurrentUser { user_id, session_hash: hash, csrf_token: csrf, current_account_id: first_account };
    let info = session_info(state, &user).await?;
    tracing::info!(user_id, "signed in");
    Ok(([(header::SET_COOKIE, auth::session_cookie(&token, state.config.secure_cookies))], with_csrf(&user, info))
        .into_response())
}

/// Signs out: the session ends on the server, and the cookie is cleared.
async fn sign_out(State(state): State<AppState>, user: CurrentUser, _: NoBody) -> AppResult<Response> {
    db::sessions::delete(&state.db, &user.session_hash).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::clear_session_cookie(state.config.secure_cookies))])
        .into_response())
}

/// Makes another of the user's accounts the current one.
async fn switch_account(
    State(state): State<AppState>,
    user: CurrentUser,
    AppJson(input): AppJson<SwitchAccountRequest>,
) -> AppResult<Response> {
    membership_in(&state, user.user_id, input.account_id).await?;
    db::sessions::set_account(&state.db, &user.session_hash, input.account_id).await?;
    let user = CurrentUser { current_account_id: Some(input.account_id), ..user };
    Ok(with_csrf(&user, session_info(&state, &user).await?))
}

/// The session as JSON, with its CSRF token in a header: the body holds no
/// secret, so it may be compressed (a session with many accounts is tens of
/// KB), while the token never is.
fn with_csrf(user: &CurrentUser, info: SessionInfo) -> Response {
    match HeaderValue::from_str(&user.csrf_token) {
        Ok(token) => ([(HeaderName::from_static(CSRF_HEADER), token)], Json(info)).into_response(),
        Err(_) => AppError::Internal("CSRF token not a header value".into()).into_response(),
    }
}

/// The signed-in user, their memberships and what each allows.
pub async fn session_info(state: &AppState, user: &CurrentUser) -> AppResult<SessionInfo> {
    let summary = db::users::summary(&state.db, user.user_id).await?.ok_or(AppError::Unauthorized)?;
    let memberships = db::memberships::for_user(&state.db, user.user_id)
        .await?
        .into_iter()
        .map(|(account, row)| {
            let m = row.to_domain(state.clock.now())?;
            Ok(MembershipSummary {
                account_id: account.id,
                account_name: account.name,
                kind: account.kind,
                partner_program: account.partner_program,
                pricing_model: account.pricing_model,
                super_admin: m.super_admin,
                set_name: row.set_name(),
                status: m.status,
                can_open_client_access_manager: may_open_client_access_manager(account.kind, &m).is_ok(),
                can_manage_users: account.kind == AccountKind::Customer && m.may_manage_users(),
                permissions: m.active_permissions(),
                partner_account_id: m.partner_account_id,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let current_account_id = user
        .current_account_id
        .filter(|id| memberships.iter().any(|m| m.account_id == *id))
        .or_else(|| memberships.first().map(|m| m.account_id));
    let language = db::users::language(&state.db, user.user_id).await?;
    Ok(SessionInfo { user: summary, language, current_account_id, memberships })
}
