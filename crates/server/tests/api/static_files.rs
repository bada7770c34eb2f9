//! What the browser receives: the release build's precompressed copies
//! chosen by `Accept-Encoding`, year-long caching only for content-hashed
//! files, revalidation (`no-cache` + `Last-Modified` → 304) for pages, the
//! page of each entry point for its deep links, and large API answers
//! compressed.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use std::io::Read;
use tooling::harness::TestApp;
use tower::ServiceExt;

const WASM: &str = "/app-0123456789abcdef_bg.wasm";

async fn raw(app: &TestApp, path: &str, extra: &[(header::HeaderName, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder().method(Method::GET).uri(path);
    for (name, value) in extra {
        req = req.header(name, *value);
    }
    let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

fn h(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

async fn app_with_dist() -> TestApp {
    TestApp::spawn_with(|c| {
        let dist = c.dist.clone();
        std::fs::create_dir_all(&dist).unwrap();
        // The copies differ from the original on purpose: the test sees which
        // one was sent (the server never compresses these itself).
        for (name, body) in [
            ("index.html", "<!doctype html><title>app</title>"),
            ("index.html.br", "BR:index"),
            ("index.html.gz", "GZ:index"),
            ("access.html", "<!doctype html><title>access</title>"),
            ("access.html.br", "BR:access"),
            ("settings.html", "<!doctype html><title>settings</title>"),
            ("settings.html.br", "BR:settings"),
            (&WASM[1..], "wasm-bytes"),
            (&format!("{}.br", &WASM[1..]), "BR:wasm"),
            (&format!("{}.gz", &WASM[1..]), "GZ:wasm"),
        ] {
            std::fs::write(dist.join(name), body).unwrap();
        }
        c.dist = dist;
    })
    .await
}

#[tokio::test]
async fn static_files_are_sent_precompressed_by_accept_encoding() {
    let app = app_with_dist().await;
    for (accept, want_body, want_encoding) in
        [("br, gzip", "BR:wasm", "br"), ("gzip, deflate", "GZ:wasm", "gzip"), ("identity", "wasm-bytes", "")]
    {
        let (status, headers, body) = raw(&app, WASM, &[(header::ACCEPT_ENCODING, accept)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(String::from_utf8(body).unwrap(), want_body, "Accept-Encoding: {accept}");
        assert_eq!(h(&headers, header::CONTENT_ENCODING), want_encoding, "Accept-Encoding: {accept}");
        assert_eq!(h(&headers, header::VARY), "accept-encoding");
        assert_eq!(h(&headers, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(h(&headers, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    }
}

#[tokio::test]
async fn pages_are_revalidated_and_each_deep_link_gets_its_entry_page() {
    let app = app_with_dist().await;
    for (path, want) in [
        ("/", "BR:index"),
        ("/sign-in", "BR:index"),
        ("/accounts/1/client-access-manager/clients?page=2", "BR:index"),
        ("/accounts/1/client-access-manager/employees/4", "BR:index"),
        ("/accounts/1/settings/users", "BR:settings"),
        ("/accounts/1/settings/super-admins", "BR:settings"),
        ("/accounts/1/assets?q=x", "BR:settings"),
        ("/access/abcdefghijklmnopqrstuvwxyz012345", "BR:access"),
        ("/nowhere/at/all", "BR:index"),
    ] {
        let (status, headers, body) = raw(&app, path, &[(header::ACCEPT_ENCODING, "br")]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(String::from_utf8(body).unwrap(), want, "{path}");
        assert_eq!(h(&headers, header::CACHE_CONTROL), "no-cache", "{path}");
        assert_eq!(h(&headers, header::CONTENT_TYPE), "text/html", "{path}");
        let modified = h(&headers, header::LAST_MODIFIED).to_string();
        assert!(!modified.is_empty(), "{path}: a validator");
        let (again, _, body) =
            raw(&app, path, &[(header::ACCEPT_ENCODING, "br"), (header::IF_MODIFIED_SINCE, &modified)]).await;
        assert_eq!(again, StatusCode::NOT_MODIFIED, "{path}: revalidated");
        let (_, revalidated, _) =
            raw(&app, path, &[(header::ACCEPT_ENCODING, "br"), (header::IF_MODIFIED_SINCE, &modified)]).await;
        assert_eq!(
            h(&revalidated, header::CONTENT_SECURITY_POLICY),
            h(&headers, header::CONTENT_SECURITY_POLICY),
            "{path}: a 304 keeps the page's policy (its headers update the cached page's)"
        );
        assert!(h(&headers, header::CONTENT_SECURITY_POLICY).contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(body.is_empty());
    }
    // An old build's file that is gone is 404 (not the page), never cached.
    let (status, headers, _) = raw(&app, "/gone-0123456789abcdef.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(h(&headers, header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn large_api_answers_are_compressed_and_the_csrf_token_never_is() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let nw = app.account_id("Northwind Digital").await;
    let list = format!("/api/v1/accounts/{nw}/cam/clients?per_page=100");
    let auth = [(header::COOKIE, ada.cookie.as_str())];
    let (status, headers, plain) = raw(&app, &list, &auth).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h(&headers, header::CONTENT_ENCODING), "");
    assert!(plain.len() > 8_000, "the 45-client list is large: {} bytes", plain.len());

    let (_, headers, gz) = raw(&app, &list, &[auth[0].clone(), (header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(h(&headers, header::CONTENT_ENCODING), "gzip");
    assert_eq!(h(&headers, header::CACHE_CONTROL), "no-store");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, plain, "the same JSON, compressed");
    assert!(gz.len() * 4 < plain.len(), "{} → {} bytes", plain.len(), gz.len());

    let (_, _, session) = raw(&app, "/api/v1/session", &auth).await;
    assert!(session.len() > 2048, "Ada's session is large: {} bytes", session.len());
    let (_, headers, _) = raw(&app, "/api/v1/session", &[auth[0].clone(), (header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert_eq!(h(&headers, header::CONTENT_ENCODING), "br", "the session's body holds no secret: compressed");
    assert!(!h(&headers, "x-csrf-token".parse().unwrap()).is_empty(), "its CSRF token travels in a header");
}

#[tokio::test]
async fn a_page_asks_for_the_texts_of_its_language() {
    let app = app_with_dist().await;
    for (cookie, accept, tag) in [
        (None, "fi-FI,fi;q=0.9,en;q=0.8", "fi"),
        (None, "de-DE,zh-CN;q=0.8", "zh-CN"),
        (Some("theme=dark; cam_lang=pl"), "fi-FI", "pl"),
        (None, "", "en"),
    ] {
        let mut extra = vec![(header::ACCEPT_LANGUAGE, accept)];
        if let Some(c) = cookie {
            extra.push((header::COOKIE, c));
        }
        let (status, headers, _) = raw(&app, "/sign-in", &extra).await;
        assert_eq!(status, StatusCode::OK);
        let want = format!("</locales/{tag}.json>; rel=preload; as=fetch; crossorigin=anonymous");
        assert_eq!(h(&headers, header::LINK), want, "{accept}");
        assert!(h(&headers, header::VARY).contains("accept-language"));
    }
    // Other files name no texts.
    let (_, headers, _) = raw(&app, WASM, &[]).await;
    assert_eq!(h(&headers, header::LINK), "");
}
