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
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("The email or password is not right.")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("This request was refused: it did not come from this application's own pages.")]
    Csrf,
    #[error("Not found.")]
    NotFound,
    #[error("This access link is not valid. Ask your partner for a new link.")]
    LinkInvalid,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Too many attempts. Try again in {0} seconds.")]
    TooManyRequests(i64),
    #[error("{0}")]
    Refused(Refusal),
    #[error("Something went wrong on our side. Please try again.")]
    Internal(String),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::LinkInvalid => (StatusCode::NOT_FOUND, "link_invalid"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            AppError::Refused(r) => match r.kind {
                RefusalKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
                RefusalKind::Conflict => (StatusCode::CONFLICT, "conflict"),
                RefusalKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_state"),
            },
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
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
        let body = ErrorBody { error: ErrorDetail { code: code.to_string(), message: message.clone() } };
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
}
