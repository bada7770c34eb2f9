//! Settings reserved to super admins (R12): Billing (also for holders of the
//! Billing permission, e.g. a Partner Admin who kept it), Super admins, User
//! provisioning (SCIM via Okta) and Data centre migration. Every route checks
//! membership (404), the account kind (customer), then the domain's R12 rule.

use crate::auth::{self, CurrentUser};
use crate::changes::members::in_customer_account;
use crate::changes::{self, Decided};
use crate::db;
use crate::db::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, NoBody};
use crate::http::{secret, Api, Secret};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{
    BillingSettings, DataCentre, DataCentreSettings, GrantSuperAdminRequest, ScimSettings, SuperAdminRow,
};
use domain::authority;
use domain::rules::{may_use_admin_feature, AdminFeature};
use domain::{Email, Membership, UnixTime};

/// Routes under `/api/v1/accounts/{account_id}/settings`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/settings/billing", billing)
        .put("/accounts/{account_id}/settings/billing", set_billing)
        .get("/accounts/{account_id}/settings/super-admins", super_admins)
        .post("/accounts/{account_id}/settings/super-admins", grant_super_admin)
        .delete("/accounts/{account_id}/settings/super-admins/{user_id}", revoke_super_admin)
        .get("/accounts/{account_id}/settings/scim", scim)
        .post("/accounts/{account_id}/settings/scim", new_scim_token)
        .get("/accounts/{account_id}/settings/data-centre", data_centre)
        .put("/accounts/{account_id}/settings/data-centre", set_data_centre)
}

/// Membership (404), a customer account (404), then R12 for `feature` (403).
async fn admin(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    feature: AdminFeature,
) -> AppResult<(Account, Membership)> {
    let (account, me) = in_customer_account(state, user.user_id, account_id).await?;
    may_use_admin_feature(feature, &me)?;
    Ok((account, me))
}

async fn billing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<BillingSettings>> {
    admin(&state, &user, account_id, AdminFeature::Billing).await?;
    let s = db::settings::get(&state.db, account_id).await?;
    Ok(Json(BillingSettings { billing_contact: s.billing_contact.and_then(|c| Email::parse(&c).ok()) }))
}

async fn set_billing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<BillingSettings>,
) -> AppResult<Json<BillingSettings>> {
    admin(&state, &user, account_id, AdminFeature::Billing).await?;
    let mut conn = state.db.acquire().await?;
    db::settings::set_billing_contact(&mut conn, account_id, input.billing_contact.as_ref().map(Email::as_str)).await?;
    Ok(Json(input))
}

async fn super_admins(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<Vec<SuperAdminRow>>> {
    admin(&state, &user, account_id, AdminFeature::SuperAdmins).await?;
    let rows = db::settings::members(&state.db, account_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(user_id, name, email, super_admin)| SuperAdminRow { user_id, name, email, super_admin })
            .collect(),
    ))
}

/// A11 (R12, R9): a super admin grants or takes away super admin rights.
async fn set_super_admin(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    uid: i64,
    grant: bool,
) -> AppResult<StatusCode> {
    let (_, me) = admin(state, user, account_id, AdminFeature::SuperAdmins).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let target = changes::member(&mut tx, account_id, uid, now).await?.ok_or(AppError::NotFound)?;
    let mut at = changes::place(&mut tx, account_id, now).await?;
    let change = if grant {
        authority::grant_super_admin_to(&me, &target, &mut at)?
    } else {
        authority::revoke_super_admin_from(&me, &target, &mut at)?
    };
    let decided = [Decided { account_id, user_id: uid, change }];
    changes::apply(&mut tx, state, &changes::Actor::user(user, me.partner_account_id), &decided, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn grant_super_admin(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<GrantSuperAdminRequest>,
) -> AppResult<StatusCode> {
    set_super_admin(&state, &user, account_id, input.user_id, true).await
}

async fn revoke_super_admin(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, uid)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<StatusCode> {
    set_super_admin(&state, &user, account_id, uid, false).await
}

async fn scim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<ScimSettings>> {
    admin(&state, &user, account_id, AdminFeature::ScimProvisioning).await?;
    let s = db::settings::get(&state.db, account_id).await?;
    Ok(Json(ScimSettings {
        enabled: s.scim_token_created_at.is_some(),
        token_created_at: s.scim_token_created_at.map(UnixTime),
        new_token: None,
    }))
}

/// Generates a new SCIM token (replacing any earlier one); it is shown once.
async fn new_scim_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    _: NoBody,
) -> AppResult<Secret<ScimSettings>> {
    admin(&state, &user, account_id, AdminFeature::ScimProvisioning).await?;
    let token = auth::new_token();
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    db::settings::set_scim_token(&mut conn, account_id, &auth::token_hash(&token), now.0).await?;
    Ok(secret(ScimSettings { enabled: true, token_created_at: Some(now), new_token: Some(token) }))
}

async fn data_centre(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
) -> AppResult<Json<DataCentreSettings>> {
    admin(&state, &user, account_id, AdminFeature::DataCentreMigration).await?;
    let s = db::settings::get(&state.db, account_id).await?;
    let data_centre = s.data_centre.as_deref().and_then(DataCentre::parse).unwrap_or(DataCentre::Eu);
    Ok(Json(DataCentreSettings { data_centre }))
}

async fn set_data_centre(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<DataCentreSettings>,
) -> AppResult<Json<DataCentreSettings>> {
    admin(&state, &user, account_id, AdminFeature::DataCentreMigration).await?;
    let mut conn = state.db.acquire().await?;
    db::settings::set_data_centre(&mut conn, account_id, input.data_centre.key()).await?;
    Ok(Json(input))
}
