//! The user's own second factors (R20): adding an authenticator app
//! (confirmed by a first code), removing a factor given a current one, and
//! new recovery codes.

use super::{limit, prove, record_own};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::factors;
use crate::http::extract::{AppJson, ClientIp, NoBody};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{AuthenticatorSetup, CodeRequest, FactorInfo, MyFactors, RecoveryCodes};
use domain::history::HistoryAction;
use domain::second_factor::Code;
use domain::UnixTime;
use sqlx::AnyConnection;

// ---------------------------------------------------------------------------

pub(super) async fn my_factors(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<MyFactors>> {
    let factors = db::factors::of_user(&state.db, user.user_id)
        .await?
        .into_iter()
        .filter(|f| f.confirmed != 0)
        .map(|f| FactorInfo {
            id: f.id,
            kind: if f.kind == "totp" { "authenticator".into() } else { f.kind },
            name: f.name,
            created_at: UnixTime(f.created_at),
            last_used_at: f.last_used_at.map(UnixTime),
        })
        .collect();
    Ok(Json(MyFactors {
        factors,
        recovery_codes_left: db::factors::recovery_codes_left(&state.db, user.user_id).await?,
    }))
}

/// Starts adding an authenticator app: a new secret (sealed), its QR code
/// and its text. It counts once a first code confirms it.
pub(super) async fn start_authenticator(
    State(state): State<AppState>,
    user: CurrentUser,
    _: NoBody,
) -> AppResult<Json<AuthenticatorSetup>> {
    let email = db::users::email_of(&state.db, user.user_id).await?.ok_or(AppError::Unauthorized)?;
    let secret = factors::new_totp_secret();
    let sealed = factors::seal(&state.secret, &secret);
    let mut conn = state.db.acquire().await?;
    let existing = db::factors::of_user(&mut *conn, user.user_id).await?;
    if existing.iter().any(|f| f.kind == "totp" && f.confirmed != 0) {
        // One authenticator app at a time: remove it to add another.
        return Err(AppError::Duplicate);
    }
    let id =
        db::factors::insert(&mut conn, user.user_id, "totp", "Authenticator app", &sealed, false, state.clock.now().0)
            .await?;
    let uri = factors::otpauth_uri(&secret, "Client Access Manager", &email);
    Ok(Json(AuthenticatorSetup { id, secret: factors::base32(&secret), qr_svg: factors::qr_svg(&uri), uri }))
}

/// Confirms an authenticator with its first code. The user's first factor
/// comes with ten recovery codes, shown once.
pub(super) async fn confirm_authenticator(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(factor_id): Path<i64>,
    AppJson(input): AppJson<CodeRequest>,
) -> AppResult<Json<RecoveryCodes>> {
    let now = state.clock.now().0;
    limit(&state, user.user_id, &ip).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let all = db::factors::of_user(&mut *tx, user.user_id).await?;
    let factor =
        all.iter().find(|f| f.id == factor_id && f.kind == "totp" && f.confirmed == 0).ok_or(AppError::NotFound)?;
    let secret = factors::open(&state.secret, &factor.sealed).ok_or(AppError::NotFound)?;
    let Some(Code::Totp(code)) = Code::parse(&input.code) else { return Err(AppError::CodeInvalid) };
    let step = factors::totp_step(&secret, &code, now).ok_or(AppError::CodeInvalid)?;
    if !db::factors::take_step(&mut tx, factor.id, step, now).await? {
        return Err(AppError::CodeInvalid);
    }
    let first = !all.iter().any(|f| f.confirmed != 0);
    let codes = if first { fresh_codes(&mut tx, &state, user.user_id, now).await? } else { Vec::new() };
    record_own(&mut tx, user.user_id, Some(user.user_id), HistoryAction::SecondFactorAdded, "", now).await?;
    tx.commit().await?;
    // Sessions made before the factor are not trusted further.
    db::sessions::delete_others(&state.db, user.user_id, &user.session_hash).await?;
    tracing::info!(user_id = user.user_id, "authenticator added");
    Ok(Json(RecoveryCodes { codes }))
}

pub(super) async fn fresh_codes(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: i64,
    now: i64,
) -> AppResult<Vec<String>> {
    let codes = factors::new_recovery_codes();
    let hashes: Vec<String> =
        codes.iter().map(|c| factors::recovery_hash(&state.secret, &c.replace('-', ""))).collect();
    db::factors::replace_recovery_codes(conn, user_id, &hashes, now).await?;
    Ok(codes)
}

/// Removes one of the user's factors, given a current one (a code); the
/// last factor takes the recovery codes with it.
pub(super) async fn remove_factor(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(factor_id): Path<i64>,
    AppJson(input): AppJson<CodeRequest>,
) -> AppResult<StatusCode> {
    let now = state.clock.now().0;
    limit(&state, user.user_id, &ip).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let all = db::factors::of_user(&mut *tx, user.user_id).await?;
    all.iter().find(|f| f.id == factor_id && f.confirmed != 0).ok_or(AppError::NotFound)?;
    prove(&mut tx, &state, user.user_id, &input.code).await?;
    db::factors::remove(&mut tx, user.user_id, factor_id).await?;
    if all.iter().filter(|f| f.confirmed != 0).count() == 1 {
        db::factors::remove_all(&mut tx, user.user_id).await?;
    }
    record_own(&mut tx, user.user_id, Some(user.user_id), HistoryAction::SecondFactorRemoved, "", now).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.user_id, "second factor removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Makes ten new recovery codes (the old ones stop working), given a
/// current factor.
pub(super) async fn new_recovery_codes(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    AppJson(input): AppJson<CodeRequest>,
) -> AppResult<Json<RecoveryCodes>> {
    let now = state.clock.now().0;
    limit(&state, user.user_id, &ip).await?;
    let mut tx = db::begin_write(&state.db).await?;
    if !db::factors::has_factor(&mut *tx, user.user_id).await? {
        return Err(AppError::NotFound);
    }
    prove(&mut tx, &state, user.user_id, &input.code).await?;
    let codes = fresh_codes(&mut tx, &state, user.user_id, now).await?;
    tx.commit().await?;
    Ok(Json(RecoveryCodes { codes }))
}
