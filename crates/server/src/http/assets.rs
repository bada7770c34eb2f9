//! A customer account's assets (contacts, companies, deals, tickets,
//! workflows, reports, dashboards): list with search and owner filter;
//! create, rename and reassign for members who may edit that kind. A write by
//! a partner employee is qualifying partner activity for R10.

use crate::auth::CurrentUser;
use crate::changes::members::in_customer_account;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, AppQuery};
use crate::http::Api;
use crate::http::{page_of, paging, search_text};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{AssetQuery, AssetRow, CreateAssetRequest, CreatedAsset, Page, UpdateAssetRequest};
use domain::rules::may_edit_asset;
use domain::{AssetKind, Membership, UnixTime};
use sqlx::AnyConnection;

/// Routes under `/api/v1/accounts/{account_id}/assets`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/assets", list)
        .post("/accounts/{account_id}/assets", create)
        .patch("/accounts/{account_id}/assets/{asset_id}", update)
}

async fn member(state: &AppState, user: &CurrentUser, account_id: i64) -> AppResult<Membership> {
    let (_, me) = in_customer_account(state, user.user_id, account_id).await?;
    domain::rules::may_act_as_member(&me)?;
    Ok(me)
}

fn valid_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::Input { reason: "asset_name", message: "An asset's name is 1 to 200 characters." });
    }
    Ok(name.to_string())
}

/// R10: a write by a partner employee counts as partner activity in the client.
async fn record_partner_write(
    conn: &mut AnyConnection,
    me: &Membership,
    account_id: i64,
    user_id: i64,
    now: i64,
) -> AppResult<()> {
    if let Some(partner) = me.partner_account_id {
        crate::db::clients::touch_partner_activity(conn, partner, account_id, now).await?;
        crate::db::memberships::touch_activity(conn, account_id, user_id, now).await?;
    }
    Ok(())
}

async fn owner_must_be_member(conn: &mut AnyConnection, account_id: i64, owner: Option<i64>) -> AppResult<()> {
    if let Some(owner) = owner {
        crate::db::memberships::find(&mut *conn, account_id, owner)
            .await?
            // Someone of another account is indistinguishable from nobody (404).
            .ok_or(AppError::NotFound)?;
    }
    Ok(())
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<AssetQuery>,
) -> AppResult<Json<Page<AssetRow>>> {
    member(&state, &user, account_id).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let q = search_text(query.q)?;
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows =
        crate::db::assets::list(&state.db, account_id, q.as_deref(), query.owner, i64::from(per_page), offset).await?;
    Ok(Json(page_of(
        rows,
        |r| r.6,
        page,
        per_page,
        |(id, kind, name, owner_id, owner_name, updated, _)| {
            Ok(AssetRow {
                id,
                kind: AssetKind::parse(&kind).ok_or_else(|| AppError::Internal("unknown asset kind".into()))?,
                name,
                owner_id,
                owner_name,
                updated_at: UnixTime(updated),
            })
        },
    )?))
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppJson(input): AppJson<CreateAssetRequest>,
) -> AppResult<(StatusCode, Json<CreatedAsset>)> {
    let me = member(&state, &user, account_id).await?;
    may_edit_asset(&me, input.kind)?;
    let name = valid_name(&input.name)?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    owner_must_be_member(&mut tx, account_id, input.owner_id).await?;
    let id =
        crate::db::assets::insert(&mut tx, account_id, input.kind, &name, input.owner_id.or(Some(user.user_id)), now)
            .await?;
    record_partner_write(&mut tx, &me, account_id, user.user_id, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedAsset { id })))
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, asset_id)): Path<(i64, i64)>,
    AppJson(input): AppJson<UpdateAssetRequest>,
) -> AppResult<StatusCode> {
    let me = member(&state, &user, account_id).await?;
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let (kind, name, owner) =
        crate::db::assets::find(&mut tx, account_id, asset_id).await?.ok_or(AppError::NotFound)?;
    let kind = AssetKind::parse(&kind).ok_or_else(|| AppError::Internal("unknown asset kind".into()))?;
    may_edit_asset(&me, kind)?;
    let name = match input.name.as_deref() {
        Some(n) => valid_name(n)?,
        None => name,
    };
    owner_must_be_member(&mut tx, account_id, input.owner_id).await?;
    crate::db::assets::update(&mut tx, account_id, asset_id, &name, input.owner_id.or(owner), now).await?;
    record_partner_write(&mut tx, &me, account_id, user.user_id, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
