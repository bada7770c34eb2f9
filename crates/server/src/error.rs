//! The one error type of the API, mapped to the SPEC §7 body
//! `{ "error": { "code", "message" } }` with the fitting status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{ErrorBody, ErrorDetail};
use domain::rules::{Refusal, RefusalKind};

/// The code and message of an error answer, kept on the response so that
/// middleware (the denial log) can read them without parsing the body.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    /// Input a person typed that cannot be taken; `reason` is the
    /// catalogue's `input_<reason>` text.
    #[error("{message}")]
    Input { reason: &'static str, message: &'static str },
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("The email or password is not right.")]
    BadCredentials,
    #[error("This request was refused: it did not come from this application's own pages.")]
    Csrf,
    #[error("Not found.")]
    NotFound,
    #[error("This access link is not valid. Ask your partner for a new link.")]
    LinkInvalid,
    #[error("This already exists.")]
    Duplicate,
    #[error("This refers to something that does not exist or is still in use.")]
    BrokenReference,
    #[error("Too many attempts. Try again in {0} seconds.")]
    TooManyRequests(i64),
    #[error("{0}")]
    Refused(Refusal),
    /// R20: the password was right; the user's second factor is asked next.
    #[error("Enter the code from your authenticator app, a recovery code, or use a passkey.")]
    SecondFactorNeeded,
    /// R20: the account requires a second factor the user has not set up.
    #[error("{}", domain::second_factor::REQUIRED_MESSAGE)]
    SecondFactorRequired,
    /// R20: a code or passkey that does not prove the factor.
    #[error("That code is not right, or was used already.")]
    CodeInvalid,
    /// A17, A18: a second-factor decision that said no.
    #[error("{}", .0.message())]
    Factor(domain::second_factor::FactorRefusal),
    #[error("Something went wrong on our side. Please try again.")]
    Internal(String),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) | AppError::Input { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::LinkInvalid => (StatusCode::NOT_FOUND, "link_invalid"),
            AppError::Duplicate => (StatusCode::CONFLICT, "conflict"),
            AppError::BrokenReference => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            AppError::Refused(r) => match r.kind {
                RefusalKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
                RefusalKind::Conflict => (StatusCode::CONFLICT, "conflict"),
                RefusalKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"),
            },
            AppError::SecondFactorNeeded => (StatusCode::UNAUTHORIZED, "second_factor_needed"),
            AppError::SecondFactorRequired => (StatusCode::FORBIDDEN, "second_factor_required"),
            AppError::CodeInvalid => (StatusCode::UNPROCESSABLE_ENTITY, "code_invalid"),
            AppError::Factor(domain::second_factor::FactorRefusal::NotAllowed) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::Factor(domain::second_factor::FactorRefusal::NotForThisAccount) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state")
            }
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

/// A constraint the database refused is the caller's conflict (409: a
/// unique key taken, as when two requests create the same thing at once)
/// or invalid state (422: a reference to something gone); anything else
/// is ours (500, details logged only).
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return AppError::Duplicate,
                sqlx::error::ErrorKind::ForeignKeyViolation => return AppError::BrokenReference,
                _ => {}
            }
        }
        AppError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let message = self.to_string();
        let mut detail = ErrorDetail { code: code.to_string(), message: message.clone(), ..ErrorDetail::default() };
        match &self {
            AppError::Refused(r) => detail = ErrorDetail { message: message.clone(), ..ErrorDetail::from(r) },
            AppError::Input { reason, .. } => detail.reason = Some(format!("input_{reason}")),
            AppError::TooManyRequests(secs) => {
                detail.params.insert("seconds".to_string(), secs.to_string());
            }
            _ => {}
        }
        let body = ErrorBody { error: detail };
        let mut response = (status, Json(body)).into_response();
        response.extensions_mut().insert(ErrorInfo { code, message });
        if let AppError::TooManyRequests(secs) = self {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// What handlers return.
pub type AppResult<T> = Result<T, AppError>;

/// Middleware of the API router: an error answer that did not come from
/// [`AppError`] (axum's own rejections: a path id that is not a number, a
/// method the route does not take, a body over the size limit) gets the
/// API's JSON error body too, with its status kept, so that every refusal
/// reads the same (SPEC §7).
pub async fn uniform_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || res.extensions().get::<ErrorInfo>().is_some() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = match (status, text) {
        (s, _) if s.is_server_error() => "Something went wrong on our side. Please try again.".to_string(),
        (StatusCode::METHOD_NOT_ALLOWED, _) => "This address does not take that method.".to_string(),
        (StatusCode::PAYLOAD_TOO_LARGE, _) => "The request is too large.".to_string(),
        (StatusCode::BAD_REQUEST, Ok(t)) if t.starts_with("Invalid URL") => {
            format!("The address is not valid: {}", t.trim_start_matches("Invalid URL: "))
        }
        (_, Ok(t)) if !t.is_empty() && t.len() < 300 => t,
        _ => status.canonical_reason().unwrap_or("The request was refused.").to_string(),
    };
    let body =
        ErrorBody { error: ErrorDetail { code: code.to_string(), message: message.clone(), ..ErrorDetail::default() } };
    let mut out = (status, Json(body)).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out.extensions_mut().insert(ErrorInfo { code, message });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_are_not_sent() {
        let e = AppError::Internal("database: disk I/O error at /secret/path".into());
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn refusals_keep_their_rule_in_the_message_and_map_to_their_status() {
        let r = domain::rules::may_open_client_access_manager(
            domain::AccountKind::Customer,
            &domain::Membership::super_admin(),
        )
        .unwrap_err();
        let e = AppError::from(r);
        assert_eq!(e.status_and_code().0, StatusCode::FORBIDDEN);
        assert!(e.to_string().contains("R1"));
    }

    #[tokio::test]
    async fn constraint_violations_are_the_caller_s_conflict_or_invalid_state() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        sqlx::query("PRAGMA foreign_keys = ON").execute(&pool).await.unwrap();
        sqlx::query("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT UNIQUE)").execute(&pool).await.unwrap();
        sqlx::query("CREATE TABLE b (a_id INTEGER REFERENCES a (id))").execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO a (name) VALUES ('x')").execute(&pool).await.unwrap();
        let twice = sqlx::query("INSERT INTO a (name) VALUES ('x')").execute(&pool).await.unwrap_err();
        assert_eq!(AppError::from(twice).status_and_code(), (StatusCode::CONFLICT, "conflict"));
        let dangling = sqlx::query("INSERT INTO b (a_id) VALUES (99)").execute(&pool).await.unwrap_err();
        assert_eq!(AppError::from(dangling).status_and_code(), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"));
        let broken = sqlx::query("SELECT * FROM nowhere").execute(&pool).await.unwrap_err();
        assert_eq!(AppError::from(broken).status_and_code().0, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
