//! Security headers: on pages a Content-Security-Policy that lets the wasm
//! app run and nothing more, on everything else one that allows nothing;
//! `nosniff`, `Referrer-Policy: same-origin` (the `/access/` pages' URL
//! holds a token: never sent to another site; sign-in security reads it to
//! come back) and no framing, on the app's pages, its files and the API
//! alike.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use sha2::{Digest, Sha256};
use tooling::harness::TestApp;

const LOADER: &str = "import init from '/app.js'; init('/app_bg.wasm');";

#[tokio::test]
async fn every_response_carries_a_strict_csp_and_the_other_security_headers() {
    let app = TestApp::spawn_with(|c| {
        let dist = c.dist.clone();
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            format!("<!doctype html><html><head><script type=\"module\">{LOADER}</script></head><body></body></html>"),
        )
        .unwrap();
        std::fs::write(dist.join("app.js"), "export default function init() {}").unwrap();
        c.dist = dist;
    })
    .await;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(LOADER.as_bytes()));
    let mut checked = 0;
    for (path, page) in [
        ("/", true),
        ("/access/abcdefghijklmnopqrstuvwxyz012345", true),
        ("/accounts/1/cam/clients", true),
        ("/app.js", false),
        ("/api/v1/health", false),
        ("/api/v1/session", false),
    ] {
        let res = app.send(Request::builder().uri(path).body(Body::empty()).unwrap()).await;
        assert!(res.status == StatusCode::OK || res.status == StatusCode::UNAUTHORIZED, "{path}: {}", res.status);
        let h = |name: header::HeaderName| {
            res.headers.get(&name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        };
        let csp = h(header::CONTENT_SECURITY_POLICY);
        let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
        if !page {
            // Not a document: nothing may load, nothing may frame it.
            assert_eq!(directives, ["default-src 'none'", "frame-ancestors 'none'"], "{path}");
        } else {
            for want in [
                "default-src 'none'".to_string(),
                format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"),
                "style-src 'self'".to_string(),
                "connect-src 'self'".to_string(),
                "base-uri 'none'".to_string(),
                "form-action 'self'".to_string(),
                "frame-ancestors 'none'".to_string(),
            ] {
                assert!(directives.contains(&want.as_str()), "{path}: {want} missing from {csp}");
            }
        }
        for never in ["unsafe-inline", "'unsafe-eval'", "*", "http:", "https:", "data: 'self'"] {
            assert!(
                !directives.iter().any(|d| d.contains(never) && !d.starts_with("img-src")),
                "{path}: {never} in {csp}"
            );
        }
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        assert_eq!(h(header::REFERRER_POLICY), "same-origin", "{path}");
        assert_eq!(h(header::X_FRAME_OPTIONS), "DENY", "{path}");
        checked += 1;
    }
    // API answers are never cached.
    let res = app.send(Request::builder().uri("/api/v1/health").body(Body::empty()).unwrap()).await;
    assert_eq!(res.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    println!("security headers: {checked} kinds of response (pages, /access/ page, files, API) carry CSP (the page policy on pages, default-src 'none' elsewhere), nosniff, same-origin referrer, DENY");
}

#[tokio::test]
async fn strict_transport_security_is_sent_exactly_when_cookies_are_secure() {
    for secure in [false, true] {
        let app = TestApp::spawn_with(|c| c.secure_cookies = secure).await;
        for path in ["/", "/api/v1/health", "/api/v1/session"] {
            let res = app.send(Request::builder().uri(path).body(Body::empty()).unwrap()).await;
            let hsts = res.headers.get(header::STRICT_TRANSPORT_SECURITY).map(|v| v.to_str().unwrap().to_string());
            let want = secure.then(|| "max-age=31536000; includeSubDomains".to_string());
            assert_eq!(hsts, want, "{path} with secure cookies {secure}");
        }
    }
    println!("security headers: Strict-Transport-Security on every response with secure cookies, never without");
}
