//! Refused requests are logged as denials: every 403 (a rule of SPEC §5 or
//! the CSRF guard said no) becomes a warning in the server log, and, when the
//! request came from a signed-in user, a row in the append-only `denials`
//! table with who asked, in which account, on which route, and why. Only the
//! route's template is kept, never the raw path, so that access-link tokens
//! never reach the log.

use crate::auth::{session_token, token_hash};
use crate::db;
use crate::error::ErrorInfo;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Middleware of the API router: passes the request on and logs a 403.
pub async fn log_denials(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let account_id = route.as_deref().and_then(|r| account_in_path(r, req.uri().path()));
    let session = session_token(req.headers()).map(|t| token_hash(&t));
    let res = next.run(req).await;
    if res.status() != StatusCode::FORBIDDEN {
        return res;
    }
    let (code, message) = res
        .extensions()
        .get::<ErrorInfo>()
        .map(|e| (e.code, e.message.clone()))
        .unwrap_or(("forbidden", String::new()));
    let route = route.unwrap_or_else(|| "(unmatched)".to_string());
    let user_id = match session {
        Some(hash) => db::sessions::find(&state.db, &hash).await.ok().flatten().map(|s| s.user_id),
        None => None,
    };
    tracing::warn!(?user_id, ?account_id, %method, %route, code, %message, "request denied");
    if let Some(user_id) = user_id {
        let denial = db::denials::Denial {
            at: state.clock.now().0,
            user_id: Some(user_id),
            account_id,
            method,
            route,
            code: code.to_string(),
            message,
        };
        if let Err(e) = db::denials::record(&state.db, &denial).await {
            tracing::error!(error = %e, "could not record a denial");
        }
    }
    res
}

/// The `{account_id}` segment of `path`, matched against the route template
/// from the end (inside the nested API router the path has lost its
/// `/api/v1` prefix, the template has not).
fn account_in_path(template: &str, path: &str) -> Option<i64> {
    template.rsplit('/').zip(path.rsplit('/')).find(|(t, _)| *t == "{account_id}").and_then(|(_, v)| v.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_id_is_read_at_its_place_in_the_template() {
        assert_eq!(
            account_in_path("/api/v1/accounts/{account_id}/cam/clients", "/api/v1/accounts/42/cam/clients"),
            Some(42)
        );
        assert_eq!(account_in_path("/api/v1/accounts/{account_id}/users", "/accounts/7/users"), Some(7));
        assert_eq!(account_in_path("/api/v1/session", "/api/v1/session"), None);
        assert_eq!(account_in_path("/api/v1/accounts/{account_id}/users", "/api/v1/accounts/x/users"), None);
    }
}
