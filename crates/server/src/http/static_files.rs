//! The front end's files as the browser receives them: the precompressed
//! copies the release build wrote (`.br`, `.gz`) chosen by `Accept-Encoding`,
//! content-hashed files cached for a year, and every HTML page revalidated on
//! each load (`no-cache` with `Last-Modified`). A deep link gets the page of
//! its entry point ([`Entry::for_path`]); the application's page when the
//! build has no page of that entry.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use axum::Router;
use domain::entry::Entry;
use domain::i18n::{Lang, LANG_COOKIE};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// Serves `dist`: files by path, anything else as the right entry page.
pub fn service(dist: &Path) -> Router {
    let page = |name: &str| ServeFile::new(dist.join(name)).precompressed_br().precompressed_gzip();
    let pages = Entry::ALL.map(|entry| {
        let name = if dist.join(entry.page()).is_file() { entry.page() } else { Entry::App.page() };
        (entry, page(name))
    });
    let entry = MethodRouter::new().fallback(move |req: Request| {
        // An old build's file is gone, not a deep link: no page in its place.
        let gone = is_content_hashed(req.uri().path());
        let wanted = Entry::for_path(req.uri().path());
        let page = pages.iter().find(|(entry, _)| *entry == wanted).map(|(_, page)| page.clone());
        async move {
            let Some(page) = page.filter(|_| !gone) else {
                return Ok(Response::builder().status(StatusCode::NOT_FOUND).body(Body::empty()).unwrap_or_default());
            };
            page.oneshot(req).await.map(|r| r.map(Body::new))
        }
    });
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip().fallback(entry);
    Router::new().fallback_service(files).layer(middleware::from_fn(caching))
}

async fn caching(req: Request, next: Next) -> Response {
    let hashed = is_content_hashed(req.uri().path());
    let lang = page_lang(req.headers());
    let link_token = access_link_token(req.uri().path()).map(str::to_string);
    let mut res = next.run(req).await;
    let policy = if hashed && res.status().is_success() { IMMUTABLE } else { REVALIDATE };
    let is_page = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, policy);
    if is_page {
        // The page's language texts download beside its wasm, not after it.
        let mut link = format!("</locales/{}.json>; rel=preload; as=fetch; crossorigin=anonymous", lang.tag());
        // The access-link page asks who is asking while its wasm downloads,
        // not after: on a phone's slow connection that is a round trip saved.
        if let Some(token) = link_token {
            link.push_str(&format!(", </api/v1/access-links/{token}>; rel=preload; as=fetch; crossorigin=anonymous"));
        }
        if let Ok(link) = HeaderValue::from_str(&link) {
            headers.insert(header::LINK, link);
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding, accept-language, cookie"));
    } else {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The language a page will be shown in (`domain::i18n::Lang::for_request`,
/// as the page itself decides).
fn page_lang(headers: &axum::http::HeaderMap) -> Lang {
    let cookies = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok());
    let chosen = cookies
        .flat_map(|c| c.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .map(|(_, value)| value.to_string());
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Lang::for_request(chosen.as_deref(), accept)
}

/// The token of an `/access/<token>` address, when it has a token's shape
/// (letters, digits, `-` and `_`), so that nothing else reaches a header.
fn access_link_token(path: &str) -> Option<&str> {
    let token = path.strip_prefix("/access/")?.trim_end_matches('/');
    let shaped =
        (16..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    shaped.then_some(token)
}

/// Whether the path names a file whose name carries Trunk's content hash
/// (`main-738c5e8d75823aa7.css`, `app-22b96f6b68195d67_bg.wasm`): such a file
/// never changes under its name, so browsers may keep it for a year.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => {
            !base.is_empty()
                && (8..=16).contains(&hash.len())
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && name.contains('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{access_link_token, is_content_hashed};

    #[test]
    fn only_trunks_hashed_names_are_immutable() {
        assert!(is_content_hashed("/main-738c5e8d75823aa7.css"));
        assert!(is_content_hashed("/client-access-manager-22b96f6b68195d67_bg.wasm"));
        assert!(is_content_hashed("/client-access-manager-960690803987eec9.js"));
        // Trunk drops leading zeros of the hash.
        assert!(is_content_hashed("/client-access-manager-a894aeb28bc249_bg.wasm"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/"));
        assert!(!is_content_hashed("/clients/3"));
        assert!(!is_content_hashed("/access/abcdef0123456789"));
        assert_eq!(
            access_link_token("/access/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
            Some("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
        );
        assert_eq!(access_link_token("/access/short"), None);
        assert_eq!(access_link_token("/access/abcdefghijklmnop>; rel=x"), None);
        assert_eq!(access_link_token("/sign-in"), None);
        assert!(!is_content_hashed("/favicon.svg"));
        assert!(!is_content_hashed("/-738c5e8d75823aa7.css"));
    }
}
