//! Client Access Manager reads: the Clients and Employees tabs and a
//! client's details. Every route checks membership of the partner account
//! (404 otherwise) and R1 (403), and only ever reads that partner's data.

use crate::auth::CurrentUser;
use crate::changes::members::{cam_context, CamContext};
use crate::db;
use crate::db::client_list::ClientFilter;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppQuery, NoBody};

use crate::http::{page_of, paging, people_filter, search_text};
use crate::http::{secret, Api, Secret};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::access_link::may_have_access_link;
use domain::api::{
    AccessLinkInfo, ClientDetails, ClientEmployee, ClientQuery, ClientRow, EmployeeDetails, EmployeeQuery, EmployeeRow,
    Page,
};
use domain::history::HistoryAction;
use domain::rules::relationship_status;
use domain::{AccessType, Email, Membership, PricingModel, UnixTime};

/// Routes under `/api/v1/accounts/{account_id}/cam`.
pub fn routes() -> Api {
    Api::new()
        .get("/accounts/{account_id}/cam/clients", clients)
        .get("/accounts/{account_id}/cam/clients/{client_id}", client_details)
        .get("/accounts/{account_id}/cam/employees", employees)
        .get("/accounts/{account_id}/cam/employees/{user_id}", employee_details)
        .put("/accounts/{account_id}/cam/employees/{user_id}/access-link", issue_link)
        .post("/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate", regenerate_link)
}

fn parse_access_filter(access: Option<&str>) -> AppResult<Vec<&'static str>> {
    let wanted: Vec<&str> =
        access.map(|a| a.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
    if wanted.is_empty() {
        return Ok(AccessType::ALL.iter().map(|a| a.key()).collect());
    }
    wanted
        .into_iter()
        .map(|w| {
            AccessType::parse(w)
                .map(AccessType::key)
                .ok_or_else(|| AppError::BadRequest(format!("Unknown access type: {w}.")))
        })
        .collect()
}

async fn clients(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<ClientQuery>,
) -> AppResult<Json<Page<ClientRow>>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let filter = ClientFilter {
        q: search_text(query.q)?,
        access: parse_access_filter(query.access.as_deref())?,
        ending: query.ending.unwrap_or(false),
        relationship_ending: query.relationship_ending.unwrap_or(false),
        sort: query.sort.unwrap_or_default(),
        dir: query.dir.unwrap_or_default(),
        limit: i64::from(per_page),
        offset: i64::from(page - 1) * i64::from(per_page),
    };
    let now = state.clock.now();
    let rows = db::client_list::list(&state.db, ctx.partner.id, user.user_id, &filter, now.0).await?;
    let page = page_of(
        rows,
        |r| r.total,
        page,
        per_page,
        |r| {
            let my_access =
                AccessType::parse(&r.my_access).ok_or_else(|| AppError::Internal("unknown access type".into()))?;
            let my_set_name = match my_access {
                AccessType::PartnerAdmin | AccessType::OtherSet | AccessType::Deactivated => {
                    db::memberships::set_display_name(r.my_set.as_deref(), r.my_custom_set_name.clone())
                }
                _ => None,
            };
            Ok(ClientRow {
                id: r.id,
                crm_name: r.crm_name,
                official_name: r.official_name,
                my_access,
                my_set_name,
                partner_employees: r.employees as u32,
                active_partner_employees: r.active_employees as u32,
                status: relationship_status(r.active_employees as usize, UnixTime(r.last_activity), now),
                next_end: r.next_end.map(UnixTime),
                next_end_name: r.next_end_name,
                ends: u32::try_from(r.ends).unwrap_or(u32::MAX),
                ceiling: r.ceiling > 0,
                relationship_end: r.relationship_end.map(UnixTime),
            })
        },
    )?;
    Ok(Json(page))
}

async fn client_details(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, client_id)): Path<(i64, i64)>,
) -> AppResult<Json<ClientDetails>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let client = db::clients::find(&state.db, ctx.partner.id, client_id).await?.ok_or(AppError::NotFound)?;
    let domains = db::accounts::domains(&state.db, ctx.partner.id).await?;
    let rows = db::clients::employees_in_client(&state.db, ctx.partner.id, client_id).await?;
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    let mine = crate::changes::member(&mut conn, client_id, user.user_id, now.0).await?;
    let place = crate::changes::place(&mut conn, client_id, now.0).await?;
    let terms = db::terms::find(&mut *conn, client_id, ctx.partner.id).await?;
    let ceiling = match &terms {
        Some(t) => crate::http::partner_access::ceiling_view(&mut conn, client_id, t).await?,
        None => None,
    };
    drop(conn);
    let my_access = mine.as_ref().map(Membership::access_type).unwrap_or(AccessType::None);
    let actor = domain::authority::PartnerActor::new(ctx.partner.id, ctx.partner.kind, &ctx.me, mine.as_ref());
    let my_permissions = mine.as_ref().map(Membership::active_permissions).unwrap_or_default();
    let mut employees = Vec::with_capacity(rows.len());
    let mut active = 0;
    for r in rows {
        let m = r.membership.to_domain(now)?;
        active += usize::from(m.is_active());
        employees.push(ClientEmployee {
            user_id: r.membership.user_id,
            set_name: r.membership.set_name(),
            access: m.access_type(),
            seat: m.seat,
            status: m.status,
            last_activity: r.membership.last_activity_at.map(UnixTime),
            assets_owned: r.assets_owned as u32,
            verified_domain: is_on_domains(&r.email, &domains),
            permissions: m.permissions(),
            assets: db::assets::of_owner(&state.db, state.backend, client_id, r.membership.user_id).await?,
            // The effective end: the earlier of the person's own and the relationship's (R18).
            ends_at: m.effective_end(),
            refused: domain::authority::previews::employee(&actor, &m, &place),
            name: r.name,
            email: r.email,
        });
    }
    Ok(Json(ClientDetails {
        suspended: place.suspends(Some(ctx.partner.id)),

        id: client.id,
        crm_name: client.crm_name,
        official_name: client.official_name,
        pricing_model: PricingModel::parse(&client.pricing_model).unwrap_or(PricingModel::Classic),
        status: relationship_status(active, UnixTime(client.last_activity), now),
        my_access,
        my_permissions,
        last_partner_activity: UnixTime(client.last_activity),
        employees,
        ceiling: ceiling.map(|c| c.permissions),
        relationship_end: terms.and_then(|t| t.ends_at).map(UnixTime),
    }))
}

fn is_on_domains(email: &str, domains: &[String]) -> bool {
    Email::parse(email).is_ok_and(|e| e.is_on_domain(domains.iter().map(String::as_str)))
}

async fn employees(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(account_id): Path<i64>,
    AppQuery(query): AppQuery<EmployeeQuery>,
) -> AppResult<Json<Page<EmployeeRow>>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (filter, page, per_page) = people_filter(query)?;
    let domains = db::accounts::domains(&state.db, ctx.partner.id).await?;
    let rows = db::people::partner_employees(&state.db, ctx.partner.id, &filter).await?;
    let page = page_of(
        rows,
        |r| r.total,
        page,
        per_page,
        |r| {
            let m = r.membership.to_domain(state.clock.now())?;
            Ok(EmployeeRow {
                user_id: r.membership.user_id,
                verified_domain: is_on_domains(&r.email, &domains),
                clients: r.clients as u32,
                status: m.status,
                super_admin: m.super_admin,
                set_name: r.membership.set_name(),
                next_end: r.next_end.map(UnixTime),
                ends: u32::try_from(r.ends).unwrap_or(u32::MAX),
                name: r.name,
                email: r.email,
            })
        },
    )?;
    Ok(Json(page))
}

/// The employee of the partner (404 for anybody else).
async fn partner_employee(
    state: &AppState,
    ctx: &CamContext,
    user_id: i64,
) -> AppResult<(db::memberships::MembershipRow, domain::api::UserSummary)> {
    let row = db::memberships::find(&state.db, ctx.partner.id, user_id).await?.ok_or(AppError::NotFound)?;
    let user = db::users::summary(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    Ok((row, user))
}

async fn employee_details(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
) -> AppResult<Json<EmployeeDetails>> {
    let ctx = cam_context(&state, &user, account_id).await?;
    let (row, person) = partner_employee(&state, &ctx, user_id).await?;
    let m = row.to_domain(state.clock.now())?;
    let domains = db::accounts::domains(&state.db, ctx.partner.id).await?;
    let clients = db::clients::client_count_of(&state.db, ctx.partner.id, user_id).await?;
    let unavailable = ctx.partner.partner_program.map(may_have_access_link).and_then(Result::err).map(|r| r.message());
    Ok(Json(EmployeeDetails {
        user_id,
        verified_domain: is_on_domains(&person.email, &domains),
        super_admin: m.super_admin,
        set_name: row.set_name(),
        status: m.status,
        clients: clients as u32,
        access_links_unavailable: unavailable,
        name: person.name,
        email: person.email,
    }))
}

fn link_info(state: &AppState, link: &db::access_links::LinkRow, employee_name: String) -> AccessLinkInfo {
    let token = crate::auth::link_token(&state.secret, &link.nonce);
    AccessLinkInfo { path: format!("/access/{token}"), employee_name, created_at: UnixTime(link.created_at) }
}

/// Checks R1, the employee and the partner's programme for a link request.
async fn link_context(
    state: &AppState,
    user: &CurrentUser,
    account_id: i64,
    user_id: i64,
) -> AppResult<(CamContext, String)> {
    let ctx = cam_context(state, user, account_id).await?;
    let (_, person) = partner_employee(state, &ctx, user_id).await?;
    let program = ctx.partner.partner_program.ok_or(AppError::NotFound)?;
    may_have_access_link(program)?;
    Ok((ctx, person.name))
}

/// The employee's live access link, issued on first request.
async fn issue_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Secret<AccessLinkInfo>> {
    let (ctx, name) = link_context(&state, &user, account_id, user_id).await?;
    let mut conn = state.db.acquire().await?;
    if db::access_links::live(&mut conn, user_id, ctx.partner.id).await?.is_none() {
        let nonce = crate::auth::new_nonce();
        let hash = crate::auth::token_hash(&crate::auth::link_token(&state.secret, &nonce));
        db::access_links::insert_if_none(&mut conn, user_id, ctx.partner.id, &nonce, &hash, state.clock.now().0)
            .await?;
    }
    let link = db::access_links::live(&mut conn, user_id, ctx.partner.id).await?.ok_or(AppError::NotFound)?;
    Ok(secret(link_info(&state, &link, name)))
}

/// Revokes the employee's link and issues a new one, at once.
async fn regenerate_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((account_id, user_id)): Path<(i64, i64)>,
    _: NoBody,
) -> AppResult<Secret<AccessLinkInfo>> {
    let (ctx, name) = link_context(&state, &user, account_id, user_id).await?;
    let now = state.clock.now().0;
    let nonce = crate::auth::new_nonce();
    let hash = crate::auth::token_hash(&crate::auth::link_token(&state.secret, &nonce));
    let mut tx = db::begin_write(&state.db).await?;
    db::access_links::revoke_live(&mut tx, user_id, ctx.partner.id, now).await?;
    db::access_links::insert_if_none(&mut tx, user_id, ctx.partner.id, &nonce, &hash, now).await?;
    db::history::record(
        &mut tx,
        db::history::Event {
            at: now,
            actor_user_id: Some(user.user_id),
            account_id: ctx.partner.id,
            target_user_id: Some(user_id),
            partner_account_id: Some(ctx.partner.id),
            action: HistoryAction::AccessLinkRegenerated,
            before: None,
            after: None,
            detail: "the previous link was revoked",
        },
    )
    .await?;
    let link = db::access_links::live(&mut tx, user_id, ctx.partner.id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(secret(link_info(&state, &link, name)))
}
