//! Passkeys (R20, WebAuthn through webauthn-rs): registering one in the
//! user's own security page, and signing in with one as a sign-in's second
//! step. Each ceremony is two requests; what the second needs is kept
//! sealed in the database in between, keyed by the session that began it
//! and taken once, so any instance may finish it and none twice. The
//! relying party is the host people reach the server at (its public
//! address; `localhost` when that is an IP address, which WebAuthn does
//! not take).

use super::own::fresh_codes;
use super::{limit, record_own};
use crate::auth::{CurrentUser, PendingSignIn};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::factors;
use crate::http::extract::{AppJson, ClientIp, NoBody};
use crate::http::session::signed_in;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use domain::api::RecoveryCodes;
use domain::history::HistoryAction;
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// How long a ceremony may take between its two requests.
const CEREMONY_SECS: i64 = 5 * 60;

/// The relying party of this server.
fn webauthn(state: &AppState) -> AppResult<Webauthn> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("webauthn: {e}"));
    let base = Url::parse(&state.config.public_base()).map_err(|e| internal(&e))?;
    let (rp_id, origin) = match base.domain() {
        Some(domain) => (domain.to_string(), base.clone()),
        None => {
            let port = base.port_or_known_default().unwrap_or(80);
            let origin = Url::parse(&format!("{}://localhost:{port}", base.scheme())).map_err(|e| internal(&e))?;
            ("localhost".to_string(), origin)
        }
    };
    WebauthnBuilder::new(&rp_id, &origin)
        .map_err(|e| internal(&e))?
        .rp_name("Client Access Manager")
        .allow_any_port(rp_id == "localhost")
        .build()
        .map_err(|e| internal(&e))
}

/// The user's handle for authenticators: derived from the server's secret
/// and the user's id (says nothing about the user to anyone else).
fn user_handle(state: &AppState, user_id: i64) -> Uuid {
    let key = factors::seal_key_id(&state.secret, user_id);
    Uuid::from_bytes(key)
}

/// The user's passkeys, opened, with their factor ids.
async fn passkeys_of(state: &AppState, user_id: i64) -> AppResult<Vec<(i64, Passkey)>> {
    Ok(db::factors::of_user(&state.db, user_id)
        .await?
        .into_iter()
        .filter(|f| f.kind == "passkey" && f.confirmed != 0)
        .filter_map(|f| {
            let plain = factors::open(&state.secret, &f.sealed)?;
            serde_json::from_slice::<Passkey>(&plain).ok().map(|p| (f.id, p))
        })
        .collect())
}

fn seal_json<T: serde::Serialize>(state: &AppState, value: &T) -> AppResult<String> {
    let json = serde_json::to_vec(value).map_err(|e| AppError::Internal(format!("webauthn state: {e}")))?;
    Ok(factors::seal(&state.secret, &json))
}

fn open_json<T: serde::de::DeserializeOwned>(state: &AppState, sealed: &str) -> Option<T> {
    serde_json::from_slice(&factors::open(&state.secret, sealed)?).ok()
}

/// Begins registering a passkey for the signed-in user.
pub(super) async fn start_registration(
    State(state): State<AppState>,
    user: CurrentUser,
    _: NoBody,
) -> AppResult<Json<CreationChallengeResponse>> {
    let summary = db::users::summary(&state.db, user.user_id).await?.ok_or(AppError::Unauthorized)?;
    let exclude = passkeys_of(&state, user.user_id).await?.iter().map(|(_, p)| p.cred_id().clone()).collect();
    let (challenge, registration) = webauthn(&state)?
        .start_passkey_registration(user_handle(&state, user.user_id), &summary.email, &summary.name, Some(exclude))
        .map_err(|e| AppError::Internal(format!("webauthn: {e}")))?;
    let sealed = seal_json(&state, &registration)?;
    db::factors::begin_ceremony(&state.db, &user.session_hash, "register", &sealed, state.clock.now().0).await?;
    Ok(Json(challenge))
}

/// Finishes registering it: the new passkey counts at once (the ceremony
/// proved it). The user's first factor comes with recovery codes.
pub(super) async fn finish_registration(
    State(state): State<AppState>,
    user: CurrentUser,
    AppJson(credential): AppJson<RegisterPublicKeyCredential>,
) -> AppResult<Json<RecoveryCodes>> {
    let now = state.clock.now().0;
    // Taken (and gone) before it is checked: a failed attempt cannot retry it.
    let mut conn = state.db.acquire().await?;
    let sealed = db::factors::take_ceremony(&mut conn, &user.session_hash, "register", now - CEREMONY_SECS)
        .await?
        .ok_or(AppError::CodeInvalid)?;
    drop(conn);
    let mut tx = db::begin_write(&state.db).await?;
    let registration: PasskeyRegistration = open_json(&state, &sealed).ok_or(AppError::CodeInvalid)?;
    let passkey =
        webauthn(&state)?.finish_passkey_registration(&credential, &registration).map_err(|_| AppError::CodeInvalid)?;
    let first = !db::factors::has_factor(&mut *tx, user.user_id).await?;
    let sealed = seal_json(&state, &passkey)?;
    db::factors::insert(&mut tx, user.user_id, "passkey", "Passkey", &sealed, true, now).await?;
    let codes = if first { fresh_codes(&mut tx, &state, user.user_id, now).await? } else { Vec::new() };
    record_own(&mut tx, user.user_id, Some(user.user_id), HistoryAction::SecondFactorAdded, "", now).await?;
    tx.commit().await?;
    db::sessions::delete_others(&state.db, user.user_id, &user.session_hash).await?;
    tracing::info!(user_id = user.user_id, "passkey added");
    Ok(Json(RecoveryCodes { codes }))
}

/// Begins a sign-in's second step with a passkey.
pub(super) async fn start_sign_in(
    State(state): State<AppState>,
    pending: PendingSignIn,
    _: NoBody,
) -> AppResult<Json<RequestChallengeResponse>> {
    let keys: Vec<Passkey> = passkeys_of(&state, pending.user_id).await?.into_iter().map(|(_, p)| p).collect();
    if keys.is_empty() {
        return Err(AppError::NotFound);
    }
    let (challenge, authentication) = webauthn(&state)?
        .start_passkey_authentication(&keys)
        .map_err(|e| AppError::Internal(format!("webauthn: {e}")))?;
    let sealed = seal_json(&state, &authentication)?;
    db::factors::begin_ceremony(&state.db, &pending.session_hash, "sign_in", &sealed, state.clock.now().0).await?;
    Ok(Json(challenge))
}

/// Finishes it: the waiting session is replaced by a signed-in one.
pub(super) async fn finish_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    pending: PendingSignIn,
    AppJson(credential): AppJson<PublicKeyCredential>,
) -> AppResult<Response> {
    limit(&state, pending.user_id, &ip).await?;
    let now = state.clock.now().0;
    let keys = passkeys_of(&state, pending.user_id).await?;
    // Taken (and gone) before it is checked: a failed attempt cannot retry it.
    let mut conn = state.db.acquire().await?;
    let sealed = db::factors::take_ceremony(&mut conn, &pending.session_hash, "sign_in", now - CEREMONY_SECS)
        .await?
        .ok_or(AppError::CodeInvalid)?;
    drop(conn);
    let mut tx = db::begin_write(&state.db).await?;
    let authentication: PasskeyAuthentication = open_json(&state, &sealed).ok_or(AppError::CodeInvalid)?;
    let result = webauthn(&state)?
        .finish_passkey_authentication(&credential, &authentication)
        .map_err(|_| AppError::CodeInvalid)?;
    let (id, mut passkey) =
        keys.into_iter().find(|(_, p)| p.cred_id() == result.cred_id()).ok_or(AppError::CodeInvalid)?;
    passkey.update_credential(&result);
    db::factors::reseal(&mut tx, id, &seal_json(&state, &passkey)?, now).await?;
    tx.commit().await?;
    db::sessions::delete(&state.db, &pending.session_hash).await?;
    tracing::info!(user_id = pending.user_id, "second factor given (passkey)");
    signed_in(&state, pending.user_id).await
}
