//! The client side of access links: who is asking, which of my accounts I
//! may grant, the approval itself, and the decline. Lookups are rate
//! limited per client address; unknown, revoked and malformed tokens get
//! the same answer.

use crate::auth::{link_token, secrets_equal, token_hash, CurrentUser};
use crate::changes::{self, Decided};
use crate::db;
use crate::db::access_links::LinkRow;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, ClientIp};
use crate::http::Api;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::access_link::{AccessToken, DeclineReason};
use domain::api::{ApprovalAccount, ApproveRequest, ApproveResult, DeclineRequest, PublicLinkInfo};
use domain::authority::{self, ApprovalRequest, LinkDecline};
use domain::history::HistoryAction;
use domain::time::DAY;
use domain::{AccountKind, Membership, UnixTime};
use sqlx::AnyConnection;

/// Routes under `/api/v1/access-links`.
pub fn routes() -> Api {
    Api::new()
        .get("/access-links/{token}", lookup)
        .get("/access-links/{token}/accounts", accounts)
        .post("/access-links/{token}/approve", approve)
        .post("/access-links/{token}/decline", decline)
}

async fn limit(state: &AppState, ip: &str) -> AppResult<()> {
    state.link_limiter.check(&state.db, ip, state.clock.now().0).await
}

/// The live link for a token, checked against the server secret.
async fn resolve(state: &AppState, conn: &mut AnyConnection, token: &str) -> AppResult<LinkRow> {
    let token = AccessToken::parse(token).ok_or(AppError::LinkInvalid)?;
    let link = db::access_links::live_by_hash(conn, &token_hash(token.as_str())).await?.ok_or(AppError::LinkInvalid)?;
    if !secrets_equal(&link_token(&state.secret, &link.nonce), token.as_str()) {
        return Err(AppError::LinkInvalid);
    }
    Ok(link)
}

struct LinkParties {
    partner_name: String,
    employee_name: String,
    employee_email: String,
}

async fn parties(conn: &mut AnyConnection, link: &LinkRow) -> AppResult<LinkParties> {
    let partner = db::accounts::find(&mut *conn, link.partner_account_id).await?.ok_or(AppError::LinkInvalid)?;
    let employee = db::users::summary(&mut *conn, link.user_id).await?.ok_or(AppError::LinkInvalid)?;
    Ok(LinkParties { partner_name: partner.name, employee_name: employee.name, employee_email: employee.email })
}

async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> AppResult<Json<PublicLinkInfo>> {
    limit(&state, &ip).await?;
    let mut conn = state.db.acquire().await?;
    let link = resolve(&state, &mut conn, &token).await?;
    let p = parties(&mut conn, &link).await?;
    Ok(Json(PublicLinkInfo {
        partner_name: p.partner_name,
        employee_name: p.employee_name,
        employee_email: p.employee_email,
    }))
}

/// The user's memberships of customer accounts as they stand at `now`, with
/// each account's id and name: where an approval could go (SPEC §4).
async fn customer_memberships(
    conn: &mut AnyConnection,
    user_id: i64,
    now: UnixTime,
) -> AppResult<Vec<(i64, String, Membership)>> {
    let mut out = vec![];
    for (account_id, name) in db::clients::customer_accounts_of(&mut *conn, user_id).await? {
        if let Some(row) = db::memberships::find(&mut *conn, account_id, user_id).await? {
            out.push((account_id, name, row.to_domain(now)?));
        }
    }
    Ok(out)
}

/// The signed-in user's customer accounts they may grant access to.
async fn accounts(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(token): Path<String>,
) -> AppResult<Json<Vec<ApprovalAccount>>> {
    limit(&state, &ip).await?;
    let mut conn = state.db.acquire().await?;
    let link = resolve(&state, &mut conn, &token).await?;
    let now = state.clock.now();
    let mut out = vec![];
    for (account_id, name, mine) in customer_memberships(&mut conn, user.user_id, now).await? {
        if domain::access_link::may_approve_into(&mine).is_err() {
            continue;
        }
        let theirs = match db::memberships::find(&mut *conn, account_id, link.user_id).await? {
            Some(row) => Some(row.to_domain(now)?),
            None => None,
        };
        out.push(ApprovalAccount {
            account_id,
            name,
            already_member: theirs.is_some(),
            already_partner_admin: theirs
                .as_ref()
                .is_some_and(|m| m.is_partner_admin() && m.partner_account_id == Some(link.partner_account_id)),
            you_are_super_admin: mine.is_active_super_admin(),
            you_hold: mine.active_permissions(),
            ceiling: db::terms::find(&mut *conn, account_id, link.partner_account_id)
                .await?
                .map(|t| t.ceiling())
                .transpose()?
                .flatten(),
        });
    }
    Ok(Json(out))
}

/// Grants the link's employee Partner Admin access to one of the approver's
/// accounts: membership, partner seat, managed client, history, notification
/// and email, all in one transaction that also re-reads the link.
async fn approve(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(token): Path<String>,
    AppJson(input): AppJson<ApproveRequest>,
) -> AppResult<Json<ApproveResult>> {
    limit(&state, &ip).await?;
    // R20: approving enters the chosen account.
    crate::http::second_factor::check_entry(&state, user.user_id, input.account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let link = resolve(&state, &mut tx, &token).await?;
    let account = db::accounts::find(&mut *tx, input.account_id).await?.ok_or(AppError::NotFound)?;
    let approver = changes::member(&mut tx, account.id, user.user_id, now).await?.ok_or(AppError::NotFound)?;
    if account.kind != AccountKind::Customer {
        return Err(AppError::NotFound);
    }
    let existing = changes::member(&mut tx, account.id, link.user_id, now).await?;
    let partner = db::accounts::find(&mut *tx, link.partner_account_id).await?.ok_or(AppError::LinkInvalid)?;
    let program = partner.partner_program.ok_or(AppError::LinkInvalid)?;
    let request = ApprovalRequest {
        partner: link.partner_account_id,
        program,
        keep: input.keep,
        convert: input.convert_existing,
        end: input.ends_at,
    };
    let mut at = changes::place(&mut tx, account.id, now).await?;
    let change = authority::approve_link(&approver, existing.as_ref(), &request, &mut at)?;
    let grant =
        change.grant().map(|g| g.change()).ok_or_else(|| AppError::Internal("approval without a grant".into()))?;
    let converted = existing.is_some();
    let decided = [Decided { account_id: account.id, user_id: link.user_id, change }];
    changes::apply(&mut tx, &state, &changes::Actor::user(&user, None), &decided, now).await?;
    let p = parties(&mut tx, &link).await?;
    tx.commit().await?;
    state.work_wakeup.notify_one();
    tracing::info!(account_id = account.id, employee = link.user_id, approver = user.user_id, "access link approved");
    Ok(Json(ApproveResult {
        account_id: account.id,
        account_name: account.name,
        employee_name: p.employee_name,
        converted,
        change: grant,
        ends_at: input.ends_at,
    }))
}

/// SPEC §4: instead of approving, a client user who could approve the link
/// into one of their accounts declines it (`authority::decline_link`). In
/// one transaction that also re-reads the link: a history event in the
/// partner's history (the decliner acting, the employee concerned, the
/// reason as its detail), and the employee told in-app and by email. The
/// same person declining the same link again within 24 hours gets the same
/// answer and nothing is written again.
async fn decline(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Path(token): Path<String>,
    AppJson(input): AppJson<DeclineRequest>,
) -> AppResult<StatusCode> {
    limit(&state, &ip).await?;
    let reason = DeclineReason::parse(input.reason.as_deref().unwrap_or_default())
        .map_err(|_| AppError::Input { reason: "decline_reason", message: "A reason is at most 500 characters." })?;
    let now = state.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    let link = resolve(&state, &mut tx, &token).await?;
    let partner = db::accounts::find(&mut *tx, link.partner_account_id).await?.ok_or(AppError::LinkInvalid)?;
    let program = partner.partner_program.ok_or(AppError::LinkInvalid)?;
    let mine: Vec<Membership> =
        customer_memberships(&mut tx, user.user_id, now).await?.into_iter().map(|(_, _, m)| m).collect();
    let facts = LinkDecline { program, employee: link.user_id, decliner: user.user_id };
    authority::decline_link(&mine, &facts)?;
    // Within 24 hours, and of this link (a regenerated one is another).
    let since = (now.0 - DAY + 1).max(link.created_at);
    if db::history::declined_since(&mut tx, partner.id, user.user_id, link.user_id, since).await? {
        return Ok(StatusCode::NO_CONTENT);
    }
    let reason = reason.as_ref().map(DeclineReason::as_str);
    db::history::record(
        &mut tx,
        db::history::Event {
            at: now.0,
            actor_user_id: Some(user.user_id),
            account_id: partner.id,
            target_user_id: Some(link.user_id),
            partner_account_id: Some(partner.id),
            action: HistoryAction::AccessLinkDeclined,
            before: None,
            after: None,
            detail: reason.unwrap_or_default(),
        },
    )
    .await?;
    changes::notices::link_declined(&mut tx, &state, link.user_id, partner.id, user.user_id, reason, now.0).await?;
    tx.commit().await?;
    state.work_wakeup.notify_one();
    tracing::info!(partner = partner.id, employee = link.user_id, decliner = user.user_id, "access link declined");
    Ok(StatusCode::NO_CONTENT)
}
