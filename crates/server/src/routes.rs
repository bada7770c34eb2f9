//! The HTTP surface: one router per resource under `/api/v1`, the test-mode
//! routes when enabled, security headers, and the front end's static files
//! (deep links fall back to `index.html`).

pub mod access_links;
pub mod admin_settings;
pub mod assets;
pub mod cam;
pub mod cam_actions;
pub mod history;
pub mod notifications;
pub mod session;
pub mod test_mode;
pub mod users;
pub mod users_admin;

use crate::auth::CurrentUser;
use crate::db;
use crate::db::history::Event;
use crate::error::{AppError, AppResult};
use crate::extract::csrf_guard;
use crate::state::AppState;
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::MethodRouter;
use axum::{middleware, Json, Router};
use base64::Engine;
use domain::api::Page;
use domain::history::HistoryAction;
use domain::Membership;
use domain::{Perms, SetKey};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest page a list returns.
pub const MAX_PER_PAGE: u32 = 100;
/// Page size when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 25;

/// The API's routes, each recorded with its method and path as it is added,
/// so that the security tests enumerate exactly what the router serves.
#[derive(Default)]
pub struct Api {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

macro_rules! api_method {
    ($name:ident, $method:ident) => {
        #[doc = concat!("Adds a `", stringify!($method), "` route.")]
        pub fn $name<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Api {
            self.add(Method::$method, path, axum::routing::$name(handler))
        }
    };
}

impl Api {
    /// No routes yet.
    pub fn new() -> Api {
        Api::default()
    }

    api_method!(get, GET);
    api_method!(post, POST);
    api_method!(put, PUT);
    api_method!(patch, PATCH);
    api_method!(delete, DELETE);

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<AppState>) -> Api {
        self.router = self.router.route(path, route);
        self.table.push((method, path));
        self
    }

    /// Both sets of routes.
    pub fn merge(mut self, other: Api) -> Api {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Every route as (method, path under `/api/v1`).
    pub fn table(&self) -> &[(Method, &'static str)] {
        &self.table
    }
}

/// Every API route the server answers with this configuration.
pub fn api(test_mode: bool) -> Api {
    let mut api = Api::new()
        .get("/health", || async { Json(serde_json::json!({ "status": "ok" })) })
        .merge(session::routes())
        .merge(cam::routes())
        .merge(cam_actions::routes())
        .merge(users::routes())
        .merge(access_links::routes())
        .merge(notifications::routes())
        .merge(history::routes())
        .merge(admin_settings::routes())
        .merge(users_admin::routes())
        .merge(assets::routes());
    if test_mode {
        api = api.merge(test_mode::routes());
    }
    api
}

/// The whole application: API, test routes (only in test mode), static files.
pub fn app(state: AppState) -> Router {
    let api = api(state.config.test_mode)
        .router
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn(crate::error::uniform_errors))
        .layer(middleware::from_fn_with_state(state.clone(), csrf_guard))
        .layer(middleware::from_fn_with_state(state.clone(), crate::denials::log_denials))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let dist = &state.config.dist;
    let static_files = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
    let csp = content_security_policy(dist);

    let hsts = state.config.secure_cookies.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    Router::new()
        .nest("/api/v1", api)
        .fallback_service(static_files)
        .layer(tower::util::option_layer(hsts))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!("request", method = %req.method(), path = %redacted_path(req.uri().path()))
        }))
        .with_state(state)
}

/// A request path fit for the log: access-link tokens (in `/access/<token>`
/// pages and `/api/v1/access-links/<token>` calls) are replaced by `…`, and
/// the query string is never logged. Session and CSRF tokens travel in
/// headers, which are never logged.
pub fn redacted_path(path: &str) -> std::borrow::Cow<'_, str> {
    let mut parts: Vec<&str> = path.split('/').collect();
    let mut changed = false;
    for i in 1..parts.len() {
        if matches!(parts[i - 1], "access" | "access-links") && !parts[i].is_empty() {
            parts[i] = "…";
            changed = true;
        }
    }
    if changed {
        std::borrow::Cow::Owned(parts.join("/"))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// A CSP that allows this app's own scripts, styles and wasm and nothing
/// else. Trunk's loader is an inline module script, so its SHA-256 (read
/// from the built index.html) is allowed by hash rather than `unsafe-inline`.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|s| {
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes())))
        })
        .collect();
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, body) = rest.split_once('>')?;
        if tag.contains("src=") {
            return None;
        }
        body.split_once("</script>").map(|(content, _)| content)
    })
}

/// Validated paging: page from 1, per_page from 1 to [`MAX_PER_PAGE`].
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> AppResult<(u32, u32)> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if page == 0 {
        return Err(AppError::BadRequest("page starts at 1.".into()));
    }
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(AppError::BadRequest(format!("per_page must be between 1 and {MAX_PER_PAGE}.")));
    }
    Ok((page, per_page))
}

/// Builds a page from rows carrying a window-function total.
pub fn page_of<R, T>(
    rows: Vec<R>,
    total: impl Fn(&R) -> i64,
    page: u32,
    per_page: u32,
    map: impl FnMut(R) -> AppResult<T>,
) -> AppResult<Page<T>> {
    let total = rows.first().map(total).unwrap_or(0).max(0) as u64;
    let rows = rows.into_iter().map(map).collect::<AppResult<Vec<T>>>()?;
    Ok(Page { rows, total, page, per_page })
}

/// The validated filter and paging of a people list (Employees tab, Users & Teams).
pub fn people_filter(query: domain::api::EmployeeQuery) -> AppResult<(db::people::PeopleFilter, u32, u32)> {
    let (page, per_page) = paging(query.page, query.per_page)?;
    let filter = db::people::PeopleFilter {
        q: search_text(query.q)?,
        role: query.role.map(domain::RoleFilter::key),
        seat: query.seat.map(domain::Seat::key),
        partner: query.partner,
        sort: query.sort.unwrap_or_default(),
        dir: query.dir.unwrap_or_default(),
        limit: i64::from(per_page),
        offset: i64::from(page - 1) * i64::from(per_page),
    };
    Ok((filter, page, per_page))
}

/// A search text trimmed, or none when blank; over-long searches are refused.
pub fn search_text(q: Option<String>) -> AppResult<Option<String>> {
    let q = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::BadRequest("The search text is at most 200 characters.".into()));
    }
    Ok(q)
}

/// The signed-in user's membership in `account_id`, or 404 when they have
/// none (so that other tenants' ids are indistinguishable from unknown ones).
pub async fn membership_in(
    state: &AppState,
    user_id: i64,
    account_id: i64,
) -> AppResult<(db::accounts::Account, db::memberships::MembershipRow, Membership)> {
    let row = db::memberships::find(&state.db, account_id, user_id).await?.ok_or(AppError::NotFound)?;
    let account = db::accounts::find(&state.db, account_id).await?.ok_or(AppError::NotFound)?;
    let member = row.to_domain()?;
    Ok((account, row, member))
}

/// A permission set of an account with its permissions: a standard set, or
/// one of the account's own custom sets (another account's is unknown: 400).
pub async fn resolve_set(conn: &mut SqliteConnection, account_id: i64, key: SetKey) -> AppResult<(SetKey, Perms)> {
    match key {
        SetKey::Standard(s) => Ok((key, s.perms())),
        SetKey::Custom(id) => {
            let unknown = || AppError::BadRequest(format!("Unknown permission set: {}.", key.to_storage()));
            let stored = db::memberships::custom_set(conn, account_id, id).await?.ok_or_else(unknown)?;
            let perms = Perms::from_keys(&stored)
                .map_err(|_| AppError::Internal("custom set with unknown permission".into()))?;
            Ok((key, perms.assignable()))
        }
    }
}

/// Records one access change made by `me` (R13); `partner` is the partner
/// the event belongs to (see [`db::history::Event::partner_account_id`]).
#[allow(clippy::too_many_arguments)]
pub async fn history(
    conn: &mut SqliteConnection,
    now: i64,
    me: i64,
    account_id: i64,
    target: i64,
    partner: Option<i64>,
    action: HistoryAction,
    before: Option<Perms>,
    after: Option<Perms>,
    detail: &str,
) -> AppResult<()> {
    db::history::record(
        conn,
        Event {
            at: now,
            actor_user_id: Some(me),
            account_id,
            target_user_id: Some(target),
            partner_account_id: partner,
            action,
            before,
            after,
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Ends the sessions of a user whose access was just taken away
/// (deactivated or removed somewhere), inside the same transaction: every
/// open page of theirs must sign in again and see only what is left. The
/// acting session itself survives when someone acts on themself.
pub async fn end_sessions_of(conn: &mut SqliteConnection, uid: i64, actor: &CurrentUser) -> AppResult<()> {
    let keep = (uid == actor.user_id).then_some(actor.session_hash.as_str());
    db::sessions::delete_for_user_except(conn, uid, keep).await?;
    Ok(())
}

/// Removes a member from an account inside a transaction: never the last
/// active super admin (R9); their assets there lose their owner; their
/// sessions end; history (for the target's partner, or else `on_behalf`:
/// the partner the actor acts for).
pub async fn remove_one(
    conn: &mut SqliteConnection,
    actor: &CurrentUser,
    on_behalf: Option<i64>,
    account_id: i64,
    target: &Membership,
    uid: i64,
    now: i64,
) -> AppResult<()> {
    let super_admins = db::memberships::active_super_admins(conn, account_id).await? as usize;
    domain::rules::keeps_a_super_admin(target, super_admins)?;
    let assets = db::assets::unassign(conn, account_id, uid, now).await?;
    db::memberships::delete(conn, account_id, uid).await?;
    end_sessions_of(conn, uid, actor).await?;
    let detail = format!("{assets} assets left without an owner");
    let me = actor.user_id;
    let partner = target.partner_account_id.or(on_behalf);
    let before = Some(target.permissions());
    history(conn, now, me, account_id, uid, partner, HistoryAction::Removed, before, None, &detail).await
}

/// Deactivates or reactivates a member inside a transaction (R8): refused
/// when already so, never the last active super admin (R9); a deactivated
/// member's sessions end; history (partner as in [`remove_one`]).
#[allow(clippy::too_many_arguments)]
pub async fn change_status(
    conn: &mut SqliteConnection,
    actor: &CurrentUser,
    on_behalf: Option<i64>,
    account_id: i64,
    uid: i64,
    target: &mut Membership,
    to: domain::MembershipStatus,
    now: i64,
) -> AppResult<()> {
    let me = actor.user_id;
    domain::rules::may_change_status(target.status, to)?;
    if to == domain::MembershipStatus::Deactivated {
        let super_admins = db::memberships::active_super_admins(conn, account_id).await? as usize;
        domain::rules::keeps_a_super_admin(target, super_admins)?;
    }
    let before = target.active_permissions();
    target.status = to;
    db::memberships::update_standing(conn, account_id, uid, target).await?;
    if to == domain::MembershipStatus::Deactivated {
        end_sessions_of(conn, uid, actor).await?;
    }
    let action =
        if to == domain::MembershipStatus::Active { HistoryAction::Reactivated } else { HistoryAction::Deactivated };
    let partner = target.partner_account_id.or(on_behalf);
    let after = Some(target.active_permissions());
    history(conn, now, me, account_id, uid, partner, action, Some(before), after, "").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["import x;"]);
    }

    #[test]
    fn access_link_tokens_never_reach_the_log() {
        let token = "abcdefghijklmnopqrstuvwxyz012345";
        assert_eq!(redacted_path(&format!("/access/{token}")), "/access/…");
        assert_eq!(redacted_path(&format!("/api/v1/access-links/{token}/approve")), "/api/v1/access-links/…/approve");
        assert_eq!(redacted_path("/api/v1/accounts/3/cam/clients"), "/api/v1/accounts/3/cam/clients");
    }

    #[test]
    fn paging_refuses_page_zero_and_oversized_pages() {
        assert!(paging(Some(0), None).is_err());
        assert!(paging(None, Some(101)).is_err());
        assert_eq!(paging(None, None).unwrap(), (1, DEFAULT_PER_PAGE));
    }
}
