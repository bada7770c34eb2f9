//! Request extractors that turn malformed input into the API's own 400 body,
//! the client-address helper, and the CSRF origin guard.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// JSON body whose rejections (malformed JSON, unknown fields, wrong types,
/// wrong content type) become a 400 with the API's error body.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state).await.map(|axum::Json(v)| AppJson(v)).map_err(|e: JsonRejection| {
            AppError::BadRequest(format!("The request body is not valid: {}", e.body_text()))
        })
    }
}

/// For state-changing routes that take no input besides their path: the
/// body must be empty or an empty JSON object. A request that carries fields
/// anyway (say `{"super_admin": true}`) is a 400, never silently ignored.
pub struct NoBody;

impl<S: Send + Sync> FromRequest<S> for NoBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("The request body could not be read: {}", e.body_text())))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(NoBody);
        }
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(serde_json::Value::Object(fields)) if fields.is_empty() => Ok(NoBody),
            Ok(serde_json::Value::Object(fields)) => {
                let names: Vec<&str> = fields.keys().map(String::as_str).collect();
                Err(AppError::BadRequest(format!("This request takes no fields; unknown: {}.", names.join(", "))))
            }
            _ => Err(AppError::BadRequest("This request takes no body.".into())),
        }
    }
}

/// Query string with the same treatment.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| AppQuery(v))
            .map_err(|e: QueryRejection| AppError::BadRequest(format!("The query is not valid: {}", e.body_text())))
    }
}

/// The client's address, as [`client_ip`] finds it.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state)))
    }
}

/// The client's address for rate limiting: the socket peer, or, when
/// configured to trust one reverse proxy, the address that proxy saw: the
/// last X-Forwarded-For hop. Earlier hops come from the client and can say
/// anything, so they never count (a spoofed header cannot reset a limit).
pub fn client_ip(parts: &Parts, state: &AppState) -> String {
    if state.config.trust_forwarded_for {
        if let Some(last) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
        {
            return last.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "local".to_string())
}

/// Refuses state-changing API requests that a browser marks as coming from
/// another site (`Sec-Fetch-Site`) or whose `Origin` is not this host. The
/// per-session token is checked by [`crate::auth::CurrentUser`].
pub async fn csrf_guard(State(_state): State<AppState>, req: Request, next: Next) -> Response {
    if crate::auth::is_state_changing(req.method()) && !same_origin(&req) {
        return AppError::Csrf.into_response();
    }
    next.run(req).await
}

fn same_origin(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let authority = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, a)| a);
        return authority.is_some_and(|a| !host.is_empty() && a.eq_ignore_ascii_case(host));
    }
    true
}
