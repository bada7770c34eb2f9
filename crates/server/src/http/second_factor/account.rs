//! An account's requirement of a second factor (§9 A17) and its members'
//! factors with their reset (§9 A18).

use crate::auth::CurrentUser;
use crate::changes::members::membership_in;
use crate::db;
use crate::db::history::Event;
use crate::db::notifications::Mail;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, NoBody};
use crate::i18n;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{MemberFactor, SecondFactorSetting};
use domain::history::HistoryAction;
use domain::second_factor::{self as rules, Belonging};
use sqlx::AnyConnection;
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------

/// The account's requirement: for its super admins (A17).
pub(super) async fn get_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<SecondFactorSetting>> {
    active_super_admin(&state, user.user_id, account_id).await?;
    Ok(Json(SecondFactorSetting { required: db::factors::requirement(&state.db, account_id).await? }))
}

/// The reads of an account's second-factor settings are for its active
/// super admins (those who may change them, A17).
async fn active_super_admin(state: &AppState, user_id: i64, account_id: i64) -> AppResult<()> {
    let (_, _, me) = membership_in(state, user_id, account_id).await?;
    if !(me.super_admin && me.status == domain::MembershipStatus::Active) {
        return Err(AppError::Factor(rules::FactorRefusal::NotAllowed));
    }
    Ok(())
}

/// §9 A17: an account's super admin chooses who must have a factor.
pub(super) async fn set_requirement(
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
        .map(|(a, m)| Belonging { account_id: a.id, kind: a.kind, partner_account_id: m.partner_account_id })
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
pub(super) async fn members(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<Vec<MemberFactor>>> {
    active_super_admin(&state, user.user_id, account_id).await?;
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
        let may_reset = with.contains(&user_id) && rules::may_reset(&belongings(&state, user_id).await?, &mine).is_ok();
        out.push(MemberFactor { user_id, name, email, partner, second_factor: with.contains(&user_id), may_reset });
    }
    Ok(Json(out))
}

/// §9 A18: resets a member's factors (every factor and recovery code; their
/// sessions end). History records it where A18 answers for the person
/// (every account the person belongs to), and the person gets an email.
pub(super) async fn reset(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, target)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    // A deactivated membership never acts (§9), whatever the person is elsewhere.
    let (_, _, me) = membership_in(&state, user.user_id, account_id).await?;
    if me.status != domain::MembershipStatus::Active {
        return Err(AppError::Factor(rules::FactorRefusal::NotAllowed));
    }
    db::memberships::find(&state.db, account_id, target).await?.ok_or(AppError::NotFound)?;
    // One's own factors go with a current one (removing them), never by a reset.
    if target == user.user_id {
        return Err(AppError::Factor(rules::FactorRefusal::NotAllowed));
    }
    let mine = super_admin_of(&state, user.user_id).await?;
    rules::may_reset(&belongings(&state, target).await?, &mine).map_err(AppError::Factor)?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    if db::factors::remove_all(&mut tx, target).await? == 0 {
        // Nothing to reset: nothing happens, nobody is told.
        return Err(AppError::NotFound);
    }
    record_everywhere(&mut tx, target, user.user_id, now).await?;
    reset_notice(&mut tx, &state, target, user.user_id, now).await?;
    tx.commit().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(target).execute(&state.db).await?;
    state.work_wakeup.notify_one();
    tracing::info!(account_id, target, actor = user.user_id, "second factors reset");
    Ok(StatusCode::NO_CONTENT)
}

/// A reset is recorded in every account the person belongs to: each of
/// them answers for their sign-in there.
async fn record_everywhere(conn: &mut AnyConnection, target: i64, actor: i64, now: i64) -> AppResult<()> {
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT account_id, partner_account_id FROM memberships WHERE user_id = $1")
            .bind(target)
            .fetch_all(&mut *conn)
            .await?;
    let events: Vec<Event<'_>> = rows
        .iter()
        .map(|(account, partner)| Event {
            at: now,
            actor_user_id: Some(actor),
            account_id: *account,
            target_user_id: Some(target),
            partner_account_id: *partner,
            action: HistoryAction::SecondFactorsReset,
            before: None,
            after: None,
            detail: "",
        })
        .collect();
    db::history::record_many(conn, &events).await?;
    Ok(())
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
    db::notifications::notify(
        conn,
        target,
        "second_factors_reset",
        &params.to_string(),
        &mail.subject,
        &body,
        &mail,
        now,
    )
    .await?;
    Ok(())
}
