//! Passwords (argon2id), session and CSRF tokens (256 bits from the OS
//! CSPRNG, stored only as SHA-256), the session cookie, and the extractor
//! that tells who is asking.

use crate::db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng as HashRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "cam_session";

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut HashRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Checks a password against a stored PHC hash; `None` spends the same work
/// on a dummy hash so that unknown emails take as long as wrong passwords.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let candidate = stored.unwrap_or(dummy);
    let ok = PasswordHash::new(candidate)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false);
    ok && stored.is_some()
}

/// A new random token: 256 bits, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new random nonce for an access link (128 bits, hex).
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The access-link token of a nonce: HMAC-SHA256 under the server secret,
/// URL-safe base64 (256 bits). Without the secret the stored nonce is worthless.
pub fn link_token(secret: &[u8; 32], nonce: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"access-link:");
    mac.update(nonce.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The stored form of a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time equality of two secrets.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The `Set-Cookie` value that installs a session.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Whether a method changes state (and so needs CSRF protection).
pub fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The signed-in user behind a request. Extracting it checks the session
/// (idle and absolute timeouts against the server clock) and, for
/// state-changing requests, the CSRF token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: i64,
    pub session_hash: String,
    pub csrf_token: String,
    pub current_account_id: Option<i64>,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let hash = token_hash(&token);
        let now = state.clock.now().0;
        let session = db::sessions::find(&state.db, &hash).await?.ok_or(AppError::Unauthorized)?;
        let idle = state.config.session_idle_minutes * 60;
        let absolute = state.config.session_absolute_hours * 3600;
        if now - session.last_seen_at > idle || now - session.created_at > absolute {
            db::sessions::delete(&state.db, &hash).await?;
            return Err(AppError::Unauthorized);
        }
        // A session still waiting for its second factor grants nothing (R20).
        if session.pending_factor != 0 {
            return Err(AppError::Unauthorized);
        }
        if is_state_changing(&parts.method) {
            let sent = parts.headers.get(domain::api::CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !secrets_equal(sent, &session.csrf_token) {
                return Err(AppError::Csrf);
            }
        }
        if now - session.last_seen_at >= 60 {
            db::sessions::touch(&state.db, &hash, now).await?;
        }
        Ok(CurrentUser {
            user_id: session.user_id,
            session_hash: hash,
            csrf_token: session.csrf_token,
            current_account_id: session.current_account_id,
        })
    }
}

/// How long a password-checked sign-in waits for its second factor.
pub const PENDING_FACTOR_SECS: i64 = 10 * 60;

/// A sign-in whose password was right and which waits for the user's second
/// factor (R20): only the second-factor step of the session routes take it.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    pub user_id: i64,
    pub session_hash: String,
    pub csrf_token: String,
}

impl FromRequestParts<AppState> for PendingSignIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let hash = token_hash(&token);
        let session = db::sessions::find(&state.db, &hash).await?.ok_or(AppError::Unauthorized)?;
        if session.pending_factor == 0 {
            return Err(AppError::Unauthorized);
        }
        if state.clock.now().0 - session.created_at > PENDING_FACTOR_SECS {
            db::sessions::delete(&state.db, &hash).await?;
            return Err(AppError::Unauthorized);
        }
        if is_state_changing(&parts.method) {
            let sent = parts.headers.get(domain::api::CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !secrets_equal(sent, &session.csrf_token) {
                return Err(AppError::Csrf);
            }
        }
        Ok(PendingSignIn { user_id: session.user_id, session_hash: hash, csrf_token: session.csrf_token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password("demo-password").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo-password", Some(&h)));
        assert!(!verify_password("demo-passwore", Some(&h)));
        assert!(!verify_password("demo-password", None));
    }

    #[test]
    fn tokens_are_256_bit_url_safe_and_distinct() {
        let a = new_token();
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a).len(), 64);
    }

    #[test]
    fn link_tokens_depend_on_secret_and_nonce() {
        let a = link_token(&[1; 32], "n1");
        assert_eq!(a, link_token(&[1; 32], "n1"));
        assert_ne!(a, link_token(&[2; 32], "n1"));
        assert_ne!(a, link_token(&[1; 32], "n2"));
        assert!(domain::access_link::AccessToken::parse(&a).is_some());
    }

    #[test]
    fn session_cookie_is_http_only_and_strict() {
        let c = session_cookie("abc", false);
        let s = c.to_str().unwrap();
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Strict") && !s.contains("Secure"));
        assert!(session_cookie("abc", true).to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn session_token_is_read_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; cam_session=tok; b=2"));
        assert_eq!(session_token(&h).as_deref(), Some("tok"));
    }
}
