//! R20: second factors. The sign-in step after the password, the user's
//! own factors (an authenticator app, recovery codes), an account's
//! requirement (A17) with its members' factors and their reset (A18), and
//! the entry check: nothing of an account that requires a factor is served
//! to a member without one.

use crate::auth::{self, CurrentUser, PendingSignIn};
use crate::changes::members::membership_in;
use crate::db;
use crate::db::history::Event;
use crate::db::notifications::Mail;
use crate::error::{AppError, AppResult};
use crate::factors;
use crate::http::extract::{AppJson, ClientIp, NoBody};
use crate::http::session::signed_in;
use crate::http::Api;
use crate::i18n;
use crate::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{
    AuthenticatorSetup, CodeRequest, FactorInfo, MemberFactor, MyFactors, PendingFactor, RecoveryCodes,
    SecondFactorSetting,
};
use domain::history::HistoryAction;
use domain::second_factor::{self as rules, Belonging, Code};
use domain::UnixTime;
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// Routes of R20.
pub fn routes() -> Api {
    Api::new()
        .get("/session/second-factor", pending_methods)
        .post("/session/second-factor", complete_sign_in)
        .get("/me/second-factors", my_factors)
        .post("/me/second-factors/authenticator", start_authenticator)
        .post("/me/second-factors/authenticator/{factor_id}/confirm", confirm_authenticator)
        .delete("/me/second-factors/{factor_id}", remove_factor)
        .post("/me/recovery-codes", new_recovery_codes)
        .get("/accounts/{account_id}/settings/second-factor", get_requirement)
        .put("/accounts/{account_id}/settings/second-factor", set_requirement)
        .get("/accounts/{account_id}/second-factors", members)
        .post("/accounts/{account_id}/second-factors/{user_id}/reset", reset)
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
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
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

/// Middleware of the API: [`check_entry`] for every account a request
/// enters, for a signed-in (not pending) session.
pub async fn entry_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let accounts = entered_accounts(req.uri().path());
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
async fn limit(state: &AppState, user_id: i64, ip: &str) -> AppResult<()> {
    let now = state.clock.now().0;
    state.factor_user_limiter.check(&state.db, &user_id.to_string(), now).await?;
    state.factor_ip_limiter.check(&state.db, ip, now).await
}

/// Checks a typed code against the user's factors: an authenticator code
/// whose time step is later than any taken (so never twice, on any
/// instance), or an unused recovery code (then used, with history). The
/// caller has counted the attempt ([`limit`]).
async fn prove(conn: &mut AnyConnection, state: &AppState, user_id: i64, typed: &str) -> AppResult<()> {
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
async fn record_own(
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

async fn pending_methods(State(state): State<AppState>, pending: PendingSignIn) -> AppResult<Json<PendingFactor>> {
    let all = db::factors::of_user(&state.db, pending.user_id).await?;
    let confirmed = |kind: &str| all.iter().any(|f| f.kind == kind && f.confirmed != 0);
    Ok(Json(PendingFactor {
        authenticator: confirmed("totp"),
        passkey: confirmed("passkey"),
        recovery_codes_left: db::factors::recovery_codes_left(&state.db, pending.user_id).await?,
    }))
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

// ---------------------------------------------------------------------------
// The user's own factors
// ---------------------------------------------------------------------------

async fn my_factors(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<MyFactors>> {
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
async fn start_authenticator(
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
    let id = db::factors::insert(&mut conn, user.user_id, "totp", "Authenticator app", &sealed, false, state.clock.now().0)
        .await?;
    let uri = factors::otpauth_uri(&secret, "Client Access Manager", &email);
    Ok(Json(AuthenticatorSetup { id, secret: factors::base32(&secret), qr_svg: factors::qr_svg(&uri), uri }))
}

/// Confirms an authenticator with its first code. The user's first factor
/// comes with ten recovery codes, shown once.
async fn confirm_authenticator(
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
    record_own(&mut tx, user.user_id, Some(user.user_id), HistoryAction::SecondFactorAdded, "authenticator", now)
        .await?;
    tx.commit().await?;
    // Sessions made before the factor are not trusted further.
    db::sessions::delete_others(&state.db, user.user_id, &user.session_hash).await?;
    tracing::info!(user_id = user.user_id, "authenticator added");
    Ok(Json(RecoveryCodes { codes }))
}

async fn fresh_codes(conn: &mut AnyConnection, state: &AppState, user_id: i64, now: i64) -> AppResult<Vec<String>> {
    let codes = factors::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| factors::recovery_hash(&state.secret, &c.replace('-', ""))).collect();
    db::factors::replace_recovery_codes(conn, user_id, &hashes, now).await?;
    Ok(codes)
}

/// Removes one of the user's factors, given a current one (a code); the
/// last factor takes the recovery codes with it.
async fn remove_factor(
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
    let factor = all.iter().find(|f| f.id == factor_id && f.confirmed != 0).ok_or(AppError::NotFound)?;
    let kind = if factor.kind == "totp" { "authenticator" } else { "passkey" };
    prove(&mut tx, &state, user.user_id, &input.code).await?;
    db::factors::remove(&mut tx, user.user_id, factor_id).await?;
    if all.iter().filter(|f| f.confirmed != 0).count() == 1 {
        db::factors::remove_all(&mut tx, user.user_id).await?;
    }
    record_own(&mut tx, user.user_id, Some(user.user_id), HistoryAction::SecondFactorRemoved, kind, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.user_id, "second factor removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Makes ten new recovery codes (the old ones stop working), given a
/// current factor.
async fn new_recovery_codes(
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

// ---------------------------------------------------------------------------
// An account's requirement and its members (A17, A18)
// ---------------------------------------------------------------------------

/// The account's requirement: for its super admins (A17).
async fn get_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<SecondFactorSetting>> {
    let (_, _, me) = membership_in(&state, user.user_id, account_id).await?;
    if !me.super_admin {
        return Err(AppError::Factor(rules::FactorRefusal::NotAllowed));
    }
    Ok(Json(SecondFactorSetting { required: db::factors::requirement(&state.db, account_id).await? }))
}

/// §9 A17: an account's super admin chooses who must have a factor.
async fn set_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<SecondFactorSetting>,
) -> AppResult<Json<SecondFactorSetting>> {
    let (account, _, me) = membership_in(&state, user.user_id, account_id).await?;
    let active_super_admin = me.super_admin && me.status == domain::MembershipStatus::Active;
    rules::may_require(account.kind, active_super_admin, input.required).map_err(AppError::Factor)?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    db::factors::set_requirement(&mut tx, account_id, input.required).await?;
    db::history::record(
        &mut tx,
        Event {
            at: now,
            actor_user_id: Some(user.user_id),
            account_id,
            target_user_id: None,
            partner_account_id: None,
            action: HistoryAction::SecondFactorRequired,
            before: None,
            after: None,
            detail: input.required.key(),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(account_id, required = input.required.key(), "second factor requirement set");
    Ok(Json(input))
}

/// The accounts `user_id` belongs to, as A18 reads them.
async fn belongings(state: &AppState, user_id: i64) -> AppResult<Vec<Belonging>> {
    Ok(db::memberships::for_user(&state.db, user_id)
        .await?
        .into_iter()
        .map(|(a, _)| Belonging { account_id: a.id, kind: a.kind })
        .collect())
}

/// The accounts where `user_id` is an active super admin.
async fn super_admin_of(state: &AppState, user_id: i64) -> AppResult<BTreeSet<i64>> {
    let now = state.clock.now();
    let mut out = BTreeSet::new();
    for (a, row) in db::memberships::for_user(&state.db, user_id).await? {
        let m = row.to_domain(now)?;
        if m.super_admin && m.status == domain::MembershipStatus::Active {
            out.insert(a.id);
        }
    }
    Ok(out)
}

/// The account's members and their factors: for its super admins, with
/// what A18 answers for each.
async fn members(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<Vec<MemberFactor>>> {
    let (_, _, me) = membership_in(&state, user.user_id, account_id).await?;
    if !me.super_admin {
        return Err(AppError::Factor(rules::FactorRefusal::NotAllowed));
    }
    let mine = super_admin_of(&state, user.user_id).await?;
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT u.id, u.name, u.email, p.name FROM memberships m JOIN users u ON u.id = m.user_id \
         LEFT JOIN accounts p ON p.id = m.partner_account_id WHERE m.account_id = $1 ORDER BY {}, u.id",
        state.backend.nocase("u.name")
    ))
    .bind(account_id)
    .fetch_all(&state.db)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let with = db::factors::with_factor(&state.db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (user_id, name, email, partner) in rows {
        let may_reset =
            with.contains(&user_id) && rules::may_reset(&belongings(&state, user_id).await?, &mine).is_ok();
        out.push(MemberFactor { user_id, name, email, partner, second_factor: with.contains(&user_id), may_reset });
    }
    Ok(Json(out))
}

/// §9 A18: resets a member's factors (every factor and recovery code; their
/// sessions end). History records it where A18 answers for the person
/// ([`record_own`]), and the person gets an email.
async fn reset(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, target)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    membership_in(&state, user.user_id, account_id).await?;
    db::memberships::find(&state.db, account_id, target).await?.ok_or(AppError::NotFound)?;
    let mine = super_admin_of(&state, user.user_id).await?;
    rules::may_reset(&belongings(&state, target).await?, &mine).map_err(AppError::Factor)?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    if db::factors::remove_all(&mut tx, target).await? == 0 {
        // Nothing to reset: nothing happens, nobody is told.
        return Err(AppError::NotFound);
    }
    record_own(&mut tx, target, Some(user.user_id), HistoryAction::SecondFactorsReset, "", now).await?;
    reset_notice(&mut tx, &state, target, user.user_id, now).await?;
    tx.commit().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(target).execute(&state.db).await?;
    state.work_wakeup.notify_one();
    tracing::info!(account_id, target, actor = user.user_id, "second factors reset");
    Ok(StatusCode::NO_CONTENT)
}

/// The person whose factors were reset is told, in-app and by email.
async fn reset_notice(conn: &mut AnyConnection, state: &AppState, target: i64, actor: i64, now: i64) -> AppResult<()> {
    let person = db::users::summary(&mut *conn, target).await?.ok_or(AppError::NotFound)?;
    let by = db::users::summary(&mut *conn, actor).await?.map(|u| u.name).unwrap_or_default();
    let lang = db::users::mail_language(&mut *conn, target).await?;
    let args =
        [("name", person.name.clone()), ("actor", by.clone()), ("url", format!("{}/", state.config.public_base()))];
    let mail = Mail {
        to: person.email.clone(),
        subject: i18n::text(lang, "email_factors_reset_subject", &args),
        body: format!(
            "{}\n\n{}\n\n{}\n",
            i18n::text(lang, "email_greeting", &args),
            i18n::text(lang, "email_factors_reset_body", &args),
            i18n::text(lang, "email_open_cam", &args),
        ),
    };
    let body = i18n::text(lang, "email_factors_reset_body", &args);
    let params = serde_json::json!({ "actor": by });
    db::notifications::notify(conn, target, "second_factors_reset", &params.to_string(), &mail.subject, &body, &mail, now)
        .await?;
    Ok(())
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
    }
}
