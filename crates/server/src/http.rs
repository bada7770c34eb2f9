//! The HTTP surface: one router per resource under `/api/v1`, the test-mode
//! routes when enabled, the security headers, and the front end's static
//! files (deep links fall back to `index.html`). What the routes share lives
//! in [`lists`] and [`members`].

pub mod access_links;
pub mod admin_settings;
pub mod assets;
pub mod cam;
pub mod cam_actions;
pub mod denials;
pub mod extract;
pub mod history;
pub mod lists;
pub mod notifications;
pub mod partner_access;
pub mod partner_terms;
pub mod policy;
pub mod rate_limit;
pub mod review;
pub mod second_factor;
pub mod session;
pub mod static_files;
pub mod test_mode;
pub mod users;
pub mod users_admin;

pub use lists::{
    csv_download, csv_language, page_of, paging, people_filter, search_text, DEFAULT_PER_PAGE, MAX_PER_PAGE,
};
pub use policy::{content_security_policy, redacted_path, secret, Secret};

use crate::error::AppError;
use crate::http::extract::csrf_guard;
use crate::http::policy::NoSecrets;
use crate::state::AppState;
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::MethodRouter;
use axum::{middleware, Json, Router};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

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
        .merge(partner_access::routes())
        .merge(partner_terms::routes())
        .merge(review::routes())
        .merge(second_factor::routes())
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
        .layer(middleware::from_fn_with_state(state.clone(), second_factor::entry_guard))
        .layer(middleware::from_fn(crate::error::uniform_errors))
        .layer(middleware::from_fn_with_state(state.clone(), csrf_guard))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::denials::log_denials))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        // Lists and exports compress well; answers under 2 KB, and any that
        // carries a secret, are sent as they are.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                // The CSV export streams as it is written: sent as it is.
                .compress_when(
                    DefaultPredicate::new()
                        .and(SizeAbove::new(2048))
                        .and(NotForContentType::const_new("text/csv"))
                        .and(NoSecrets),
                ),
        );

    let dist = &state.config.dist;
    let static_files = crate::http::static_files::service(dist);
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
        .layer(middleware::map_response(move |mut res: axum::response::Response| {
            let policy = crate::http::policy::csp_for(&res, &csp);
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
            async move { res }
        }))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
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
