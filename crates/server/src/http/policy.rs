//! What the server says about itself on every answer: the
//! Content-Security-Policy (Trunk's inline loader allowed by hash), which
//! answers may be compressed (never one carrying a secret), and the request
//! path as the log may show it (access-link tokens redacted).

use axum::http::HeaderValue;
use axum::{Extension, Json};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::compression::predicate::Predicate;

/// Marks an answer that carries a secret in its body (a new
/// SCIM token, an access link): it is never compressed, so its length
/// cannot leak the secret byte by byte (BREACH).
#[derive(Clone, Copy, Debug)]
pub struct CarriesSecret;

/// A JSON answer that carries a secret.
pub type Secret<T> = (Extension<CarriesSecret>, Json<T>);

/// `value` as an answer that is never compressed.
pub fn secret<T>(value: T) -> Secret<T> {
    (Extension(CarriesSecret), Json(value))
}

/// Compress only answers that carry no secret.
#[derive(Clone, Copy, Debug)]
pub struct NoSecrets;

impl Predicate for NoSecrets {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        response.extensions().get::<CarriesSecret>().is_none()
    }
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

/// The policy of every answer that is not a page (files, the API): nothing
/// may load and nothing may frame it. Browsers apply a policy only to
/// documents, so the page's long policy would be bytes for nothing here.
pub const RESOURCE_CSP: HeaderValue = HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");

/// The policy an answer gets: the page's (`page`) for HTML, and for a 304,
/// whose headers update the cached page's; [`RESOURCE_CSP`] otherwise.
pub fn csp_for(response: &axum::http::Response<axum::body::Body>, page: &HeaderValue) -> HeaderValue {
    let html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        page.clone()
    } else {
        RESOURCE_CSP
    }
}

/// A CSP that allows this app's own scripts, styles and wasm and nothing
/// else. Trunk's loader is an inline module script, so its SHA-256 (read
/// from the built entry pages) is allowed by hash rather than `unsafe-inline`.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let pages: String = domain::entry::Entry::ALL
        .iter()
        .map(|entry| std::fs::read_to_string(dist.join(entry.page())).unwrap_or_default())
        .collect();
    let hashes: String = inline_scripts(&pages)
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
}
