//! R20: second factors. The sign-in step after the password, the user's
//! own factors (an authenticator app, passkeys, recovery codes), an account's
//! requirement (A17) with its members' factors and their reset (A18), and
//! the entry check: nothing of an account that requires a factor is served
//! to a member without one.

mod account;
mod own;
mod passkeys;

use crate::auth::{self, PendingSignIn};
use crate::db;
use crate::db::history::Event;
use crate::error::{AppError, AppResult};
use crate::factors;
use crate::http::extract::{AppJson, ClientIp};
use crate::http::session::signed_in;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{CodeRequest, PendingFactor};
use domain::history::HistoryAction;
use domain::second_factor::{self as rules, Code};
use sqlx::AnyConnection;

/// Routes of R20.
pub fn routes() -> Api {
    Api::new()
        .get("/session/second-factor", pending_methods)
        .post("/session/second-factor", complete_sign_in)
        .post("/session/second-factor/passkey/start", passkeys::start_sign_in)
        .post("/session/second-factor/passkey", passkeys::finish_sign_in)
        .get("/me/second-factors", own::my_factors)
        .post("/me/second-factors/authenticator", own::start_authenticator)
        .post("/me/second-factors/authenticator/{factor_id}/confirm", own::confirm_authenticator)
        .post("/me/second-factors/passkeys/start", passkeys::start_registration)
        .post("/me/second-factors/passkeys", passkeys::finish_registration)
        .delete("/me/second-factors/{factor_id}", own::remove_factor)
        .post("/me/recovery-codes", own::new_recovery_codes)
        .get("/accounts/{account_id}/settings/second-factor", account::get_requirement)
        .put("/accounts/{account_id}/settings/second-factor", account::set_requirement)
        .get("/accounts/{account_id}/second-factors", account::members)
        .post("/accounts/{account_id}/second-factors/{user_id}/reset", account::reset)
}

// ---------------------------------------------------------------------------
// The entry check
// ---------------------------------------------------------------------------

/// Refuses (403 `second_factor_required`) a member of `account_id` who must
/// have a second factor there and has none; a non-member passes (the route
/// answers 404 itself).
pub async fn check_entry(state: &AppState, user_id: i64, account_id: i64) -> AppResult<()> {
    let Some(row) = db::factors::entry(&state.db, user_id, account_id).await? else { return Ok(()) };
    let own = rules::Requirement::parse(row.own.as_deref().unwrap_or(""));
    let partners = rules::Requirement::parse(row.partners.as_deref().unwrap_or(""));
    if row.factors == 0 && rules::required(own, row.partner_account_id.is_some(), partners) {
        return Err(AppError::SecondFactorRequired);
    }
    Ok(())
}

/// The accounts a path under `/api/v1` enters: `/accounts/{id}/…`, and a
/// partner's client in `/accounts/{id}/cam/clients/{client}/…`.
fn entered_accounts(path: &str) -> Vec<i64> {
    // As the router reads a path parameter: percent-decoded (`%33` is 3).
    let decoded: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decoded).collect();
    let parts: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let id = parts.get(i + 1).and_then(|s| s.parse::<i64>().ok());
        match (*part, id) {
            ("accounts", Some(id)) if out.is_empty() => out.push(id),
            ("clients", Some(id)) if i >= 2 && parts[i - 1] == "cam" => out.push(id),
            _ => {}
        }
    }
    out
}

/// A path segment with its `%XX` escapes decoded.
fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: &u8| (*b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Routes of Client Access Manager that act in many of the partner's
/// clients at once (the clients are in the body, or chosen by the job): a
/// member who must have a factor in any account of theirs gives it first.
fn across_clients(path: &str) -> bool {
    path.contains("/cam/")
        && ["/review/preview", "/review/jobs", "/clients/preview", "/clients/jobs", "/remove-from-clients", "/link"]
            .iter()
            .any(|end| path.ends_with(end))
}

/// [`check_entry`] for every account the user belongs to.
async fn check_every_account(state: &AppState, user_id: i64) -> AppResult<()> {
    let accounts: Vec<i64> = sqlx::query_scalar("SELECT account_id FROM memberships WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&state.db)
        .await?;
    for account in accounts {
        check_entry(state, user_id, account).await?;
    }
    Ok(())
}

/// Middleware of the API: [`check_entry`] for every account a request
/// enters, for a signed-in (not pending) session.
pub async fn entry_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let accounts = entered_accounts(req.uri().path());
    let everywhere = across_clients(req.uri().path()) && auth::is_state_changing(req.method());
    if !accounts.is_empty() {
        if let Some(token) = auth::session_token(req.headers()) {
            let session = db::sessions::find(&state.db, &auth::token_hash(&token)).await;
            match session {
                Ok(Some(s)) if s.pending_factor == 0 => {
                    for account in accounts {
                        if let Err(e) = check_entry(&state, s.user_id, account).await {
                            return e.into_response();
                        }
                    }
                    if everywhere {
                        if let Err(e) = check_every_account(&state, s.user_id).await {
                            return e.into_response();
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => return AppError::from(e).into_response(),
            }
        }
    }
    next.run(req).await
}

// ---------------------------------------------------------------------------
// Proving a factor
// ---------------------------------------------------------------------------

/// Counts an attempt at a code, per user and per client address (before
/// any write transaction: the counts are written on their own).
pub(super) async fn limit(state: &AppState, user_id: i64, ip: &str) -> AppResult<()> {
    let now = state.clock.now().0;
    state.factor_user_limiter.check(&state.db, &user_id.to_string(), now).await?;
    state.factor_ip_limiter.check(&state.db, ip, now).await
}

/// Checks a typed code against the user's factors: an authenticator code
/// whose time step is later than any taken (so never twice, on any
/// instance), or an unused recovery code (then used, with history). The
/// caller has counted the attempt ([`limit`]).
pub(super) async fn prove(conn: &mut AnyConnection, state: &AppState, user_id: i64, typed: &str) -> AppResult<()> {
    let now = state.clock.now().0;
    match Code::parse(typed) {
        Some(Code::Totp(code)) => {
            for f in db::factors::of_user(&mut *conn, user_id).await? {
                if f.kind != "totp" || f.confirmed == 0 {
                    continue;
                }
                let Some(secret) = factors::open(&state.secret, &f.sealed) else { continue };
                if let Some(step) = factors::totp_step(&secret, &code, now) {
                    if db::factors::take_step(&mut *conn, f.id, step, now).await? {
                        return Ok(());
                    }
                }
            }
            Err(AppError::CodeInvalid)
        }
        Some(Code::Recovery(code)) => {
            let hash = factors::recovery_hash(&state.secret, &code);
            if db::factors::use_recovery_code(&mut *conn, user_id, &hash, now).await? {
                record_own(&mut *conn, user_id, Some(user_id), HistoryAction::RecoveryCodeUsed, "", now).await
            } else {
                Err(AppError::CodeInvalid)
            }
        }
        None => Err(AppError::CodeInvalid),
    }
}

/// Records an event about a user's factors where those answerable for
/// them under A18 read it: a partner employee's partner account(s); anyone
/// else's every account they belong to. `actor` is who acted.
pub(super) async fn record_own(
    conn: &mut AnyConnection,
    user_id: i64,
    actor: Option<i64>,
    action: HistoryAction,
    detail: &str,
    now: i64,
) -> AppResult<()> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.account_id, a.kind FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let partner_employee = rows.iter().any(|(_, kind)| kind == "partner");
    let events: Vec<Event<'_>> = rows
        .iter()
        .filter(|(_, kind)| !partner_employee || kind == "partner")
        .map(|(account, kind)| Event {
            at: now,
            actor_user_id: actor,
            account_id: *account,
            target_user_id: Some(user_id),
            partner_account_id: (kind == "partner").then_some(*account),
            action,
            before: None,
            after: None,
            detail,
        })
        .collect();
    db::history::record_many(conn, &events).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sign-in's second step
// ---------------------------------------------------------------------------

/// What the waiting sign-in may use, with its CSRF token (the second step
/// is its own page, loaded after the password's answer).
async fn pending_methods(State(state): State<AppState>, pending: PendingSignIn) -> AppResult<Response> {
    let all = db::factors::of_user(&state.db, pending.user_id).await?;
    let confirmed = |kind: &str| all.iter().any(|f| f.kind == kind && f.confirmed != 0);
    let methods = PendingFactor {
        authenticator: confirmed("totp"),
        passkey: confirmed("passkey"),
        recovery_codes_left: db::factors::recovery_codes_left(&state.db, pending.user_id).await?,
    };
    let token = HeaderValue::from_str(&pending.csrf_token).map_err(|e| AppError::Internal(format!("csrf: {e}")))?;
    Ok(([(HeaderName::from_static(domain::api::CSRF_HEADER), token)], Json(methods)).into_response())
}

/// Completes a sign-in with its second factor: the waiting session is
/// replaced by a new one (a fresh id and CSRF token) that grants what a
/// signed-in session does.
async fn complete_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    pending: PendingSignIn,
    AppJson(input): AppJson<CodeRequest>,
) -> AppResult<Response> {
    limit(&state, pending.user_id, &ip).await?;
    let mut tx = db::begin_write(&state.db).await?;
    prove(&mut tx, &state, pending.user_id, &input.code).await?;
    tx.commit().await?;
    db::sessions::delete(&state.db, &pending.session_hash).await?;
    tracing::info!(user_id = pending.user_id, "second factor given");
    signed_in(&state, pending.user_id).await
}

#[cfg(test)]
mod tests {
    use super::entered_accounts;

    #[test]
    fn the_accounts_a_path_enters() {
        assert_eq!(entered_accounts("/accounts/3/users"), vec![3]);
        assert_eq!(entered_accounts("/api/v1/accounts/3/cam/clients/9/employees"), vec![3, 9]);
        assert_eq!(entered_accounts("/accounts/3/cam/clients"), vec![3]);
        assert_eq!(entered_accounts("/session"), Vec::<i64>::new());
        assert_eq!(entered_accounts("/accounts/x/users"), Vec::<i64>::new());
        // Decoded as the router decodes a path parameter.
        assert_eq!(entered_accounts("/accounts/%33/users"), vec![3]);
        assert_eq!(entered_accounts("/accounts/3/cam/clients/%39%31"), vec![3, 91]);
    }
}
