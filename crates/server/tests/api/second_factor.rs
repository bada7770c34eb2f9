//! R20: second factors through the API — sign-in with and without the
//! factor, codes never taken twice (across two instances), the rate limit,
//! recovery codes, an account that requires a factor, and A18's reset. The
//! tests compute authenticator codes with their own RFC 6238 from the
//! secret the server shows (never with the server's code).

use axum::http::{header, Method, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use server::seed::DEMO_PASSWORD;
use tooling::harness::{error_code, Browser, Response, TestApp};

/// RFC 4648 base32 (no padding) to bytes.
fn unbase32(text: &str) -> Vec<u8> {
    let (mut buffer, mut bits, mut out) = (0u64, 0u32, Vec::new());
    for c in text.chars().filter(|c| *c != ' ' && *c != '=') {
        let v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c.to_ascii_uppercase()).expect("base32") as u64;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}

/// RFC 6238 with HMAC-SHA1, six digits, 30-second steps, at `time`.
fn totp(secret: &[u8], time: i64) -> String {
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret).unwrap();
    mac.update(&((time / 30) as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 15) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]) % 1_000_000;
    format!("{n:06}")
}

#[test]
fn the_tests_totp_matches_rfc_6238() {
    // RFC 6238 appendix B (SHA-1), last six digits.
    assert_eq!(totp(b"12345678901234567890", 59), "287082");
    assert_eq!(totp(b"12345678901234567890", 1234567890), "005924");
    assert_eq!(unbase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), b"12345678901234567890");
}

async fn post(app: &TestApp, path: &str, body: Value, b: &Browser) -> Response {
    app.call(Method::POST, path, Some(body), Some(b)).await
}

/// Adds an authenticator for the signed-in `b`; its secret and the
/// recovery codes shown.
async fn add_authenticator(app: &TestApp, b: &Browser) -> (Vec<u8>, Vec<String>) {
    let start = app.call(Method::POST, "/api/v1/me/second-factors/authenticator", None, Some(b)).await;
    assert_eq!(start.status, StatusCode::OK, "{:?}", start.body);
    let secret = unbase32(start.body["secret"].as_str().unwrap());
    assert!(start.body["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    assert!(start.body["qr_svg"].as_str().unwrap().contains("<svg"));
    let id = start.body["id"].as_i64().unwrap();
    // Not a factor until confirmed: a wrong code is refused.
    let wrong =
        post(app, &format!("/api/v1/me/second-factors/authenticator/{id}/confirm"), json!({"code": "000000"}), b).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let now = app.state.clock.now().0;
    let ok = post(
        app,
        &format!("/api/v1/me/second-factors/authenticator/{id}/confirm"),
        json!({ "code": totp(&secret, now) }),
        b,
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let codes: Vec<String> =
        ok.body["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    (secret, codes)
}

/// Signs in with the password: the waiting browser (cookie and CSRF token).
async fn password_step(app: &TestApp, email: &str) -> Browser {
    let res = app.sign_in_raw(email, DEMO_PASSWORD).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{:?}", res.body);
    assert_eq!(error_code(&res), "second_factor_needed");
    let cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = res.headers.get("x-csrf-token").unwrap().to_str().unwrap().to_string();
    Browser { cookie, csrf, session: Value::Null }
}

/// The browser after a second step that succeeded.
fn signed_in(res: &Response) -> Browser {
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    let cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = res.headers.get("x-csrf-token").unwrap().to_str().unwrap().to_string();
    Browser { cookie, csrf, session: res.body.clone() }
}

async fn history_count(app: &TestApp, action: &str, target: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE action = $1 AND target_user_id = $2")
        .bind(action)
        .bind(target)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_asks_for_the_factor_and_a_waiting_session_grants_nothing() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    // Without a factor: signed in by the password alone.
    let ada = app.sign_in("ada@northwind.example").await;
    let (secret, codes) = add_authenticator(&app, &ada).await;
    assert_eq!(codes.len(), 10);
    let mine = app.get("/api/v1/me/second-factors", &ada).await;
    assert_eq!(mine.body["factors"].as_array().unwrap().len(), 1);
    assert_eq!(mine.body["recovery_codes_left"], 10);
    // The secret is stored sealed, never as shown.
    let sealed: String =
        sqlx::query_scalar("SELECT sealed FROM second_factors").fetch_one(&app.state.db).await.unwrap();
    assert!(!sealed.contains(&server::factors::base32(&secret)));

    // With a factor: the password alone makes a session that grants nothing.
    let waiting = password_step(&app, "ada@northwind.example").await;
    assert_eq!(app.get("/api/v1/session", &waiting).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/assets"), &waiting).await.status, StatusCode::UNAUTHORIZED);
    let methods = app.get("/api/v1/session/second-factor", &waiting).await;
    assert_eq!(methods.body["authenticator"], true);
    // A wrong code: still waiting.
    let wrong = post(&app, "/api/v1/session/second-factor", json!({"code": "123456"}), &waiting).await;
    assert_eq!(error_code(&wrong), "code_invalid");
    // Move a step on (the confirmation took this step's code).
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 30));
    let code = totp(&secret, app.state.clock.now().0);
    let done = signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": code }), &waiting).await);
    assert_ne!(done.cookie, waiting.cookie, "a new session id");
    assert_eq!(app.get("/api/v1/session", &done).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/assets"), &done).await.status, StatusCode::OK);
    // The waiting session is gone.
    assert_eq!(app.get("/api/v1/session/second-factor", &waiting).await.status, StatusCode::UNAUTHORIZED);
    // A signed-in session cannot use the second step.
    assert_eq!(app.get("/api/v1/session/second-factor", &done).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(history_count(&app, "second_factor_added", app.user_id("ada@northwind.example").await).await, 1);
}

#[tokio::test]
async fn a_code_is_never_taken_twice_even_on_another_instance() {
    let app = TestApp::spawn().await;
    let twin = app.twin().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let (secret, _) = add_authenticator(&app, &ada).await;
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 60));
    twin.state.clock.set(app.state.clock.now());
    let code = totp(&secret, app.state.clock.now().0);
    let first = password_step(&app, "ada@northwind.example").await;
    let second = password_step(&twin, "ada@northwind.example").await;
    signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": code }), &first).await);
    let replay = post(&twin, "/api/v1/session/second-factor", json!({ "code": code }), &second).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&replay), "code_invalid");
    // An earlier step's code is refused too once a later one was taken.
    let earlier = totp(&secret, app.state.clock.now().0 - 30);
    let old = post(&twin, "/api/v1/session/second-factor", json!({ "code": earlier }), &second).await;
    assert_eq!(error_code(&old), "code_invalid");
}

#[tokio::test]
async fn codes_are_rate_limited_per_user() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let (secret, _) = add_authenticator(&app, &ada).await;
    let waiting = password_step(&app, "ada@northwind.example").await;
    let mut limited = None;
    for i in 0..12 {
        let res = post(&app, "/api/v1/session/second-factor", json!({"code": "000001"}), &waiting).await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(i);
            break;
        }
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The confirmation counted as an attempt: ten in fifteen minutes in all.
    assert_eq!(limited, Some(8), "the tenth attempt of the user is refused");
    // Even the right code is refused until the window passes.
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 30));
    let right = totp(&secret, app.state.clock.now().0);
    let res = post(&app, "/api/v1/session/second-factor", json!({ "code": right }), &waiting).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.get(header::RETRY_AFTER).is_some());
    // Per user: another browser of the same user is counted too.
    let other = password_step(&app, "ada@northwind.example").await;
    let res = post(&app, "/api/v1/session/second-factor", json!({ "code": right }), &other).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Once the window has passed (the waiting sign-in has lapsed meanwhile:
    // ten minutes), the password and the right code sign her in.
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 901));
    assert_eq!(app.get("/api/v1/session/second-factor", &other).await.status, StatusCode::UNAUTHORIZED);
    let fresh = password_step(&app, "ada@northwind.example").await;
    let later = totp(&secret, app.state.clock.now().0);
    signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": later }), &fresh).await);
}

#[tokio::test]
async fn a_recovery_code_works_once_and_new_codes_void_the_old() {
    let app = TestApp::spawn().await;
    let ada_id = app.user_id("ada@northwind.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let (secret, codes) = add_authenticator(&app, &ada).await;
    // Stored only hashed.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 10);
    assert!(codes.iter().all(|c| !stored.iter().any(|s| s.contains(&c.replace('-', "")))));

    let waiting = password_step(&app, "ada@northwind.example").await;
    signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": codes[0].to_uppercase() }), &waiting).await);
    // Recorded in her partner's history (A18 answers for her there), once.
    assert_eq!(history_count(&app, "recovery_code_used", ada_id).await, 1);
    let again = password_step(&app, "ada@northwind.example").await;
    let reused = post(&app, "/api/v1/session/second-factor", json!({ "code": codes[0] }), &again).await;
    assert_eq!(error_code(&reused), "code_invalid");

    // New codes, given a current factor: the old ones stop working.
    let now_ada = signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": codes[1] }), &again).await);
    assert_eq!(app.get("/api/v1/me/second-factors", &now_ada).await.body["recovery_codes_left"], 8);
    app.state.clock.set(domain::UnixTime(app.state.clock.now().0 + 30));
    let fresh =
        post(&app, "/api/v1/me/recovery-codes", json!({ "code": totp(&secret, app.state.clock.now().0) }), &now_ada)
            .await;
    assert_eq!(fresh.status, StatusCode::OK);
    let fresh: Vec<String> =
        fresh.body["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let third = password_step(&app, "ada@northwind.example").await;
    let old = post(&app, "/api/v1/session/second-factor", json!({ "code": codes[2] }), &third).await;
    assert_eq!(error_code(&old), "code_invalid");
    signed_in(&post(&app, "/api/v1/session/second-factor", json!({ "code": fresh[0] }), &third).await);
}

#[tokio::test]
async fn removing_a_factor_asks_for_a_current_one() {
    let app = TestApp::spawn().await;
    let ada = app.sign_in("ada@northwind.example").await;
    let (secret, codes) = add_authenticator(&app, &ada).await;
    let id = app.get("/api/v1/me/second-factors", &ada).await.body["factors"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/me/second-factors/{id}");
    let before = app.snapshot().await;
    let refused = app.call(Method::DELETE, &path, Some(json!({"code": "000000"})), Some(&ada)).await;
    assert_eq!(error_code(&refused), "code_invalid");
    let mut after = app.snapshot().await;
    after.remove("rate_limit_hits");
    let mut before = before;
    before.remove("rate_limit_hits");
    assert_eq!(before, after, "a refused removal changes nothing");
    let _ = secret;
    let ok = app.call(Method::DELETE, &path, Some(json!({ "code": codes[3] })), Some(&ada)).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("second_factors").await, 0);
    assert_eq!(app.count("recovery_codes").await, 0, "the last factor takes its recovery codes");
    // Signs in by the password alone again.
    app.sign_in("ada@northwind.example").await;
}

#[tokio::test]
async fn an_account_that_requires_a_factor_serves_nothing_to_a_member_without_one() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let carol = app.sign_in("carol@acme.example").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let assets = format!("/api/v1/accounts/{acme}/assets");
    assert_eq!(app.get(&assets, &ada).await.status, StatusCode::OK);
    // A17: Carol (super admin) requires it of partner people.
    let setting = format!("/api/v1/accounts/{acme}/settings/second-factor");
    let set = app.call(Method::PUT, &setting, Some(json!({"required": "partner_people"})), Some(&carol)).await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(app.get(&setting, &carol).await.body["required"], "partner_people");
    // Ada (a partner's person) is refused everything of Acme, with the code
    // the browser turns into the set-up page; Carol (the client's own) is not.
    let refused = app.get(&assets, &ada).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&refused), "second_factor_required");
    let nw = app.account_id("Northwind Digital").await;
    let through_cam = app.get(&format!("/api/v1/accounts/{nw}/cam/clients/{acme}"), &ada).await;
    assert_eq!(error_code(&through_cam), "second_factor_required");
    assert_eq!(app.get(&assets, &carol).await.status, StatusCode::OK);
    // Her own partner's account still serves her.
    assert_eq!(app.get(&format!("/api/v1/accounts/{nw}/cam/clients"), &ada).await.status, StatusCode::OK);
    // After set-up, Acme serves her.
    add_authenticator(&app, &ada).await;
    assert_eq!(app.get(&assets, &ada).await.status, StatusCode::OK);
    // The client sees who among the partner's people has a factor.
    let access = app.get(&format!("/api/v1/accounts/{acme}/partner-access"), &carol).await;
    let people: Vec<(String, bool)> = access.body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["people"].as_array().unwrap().clone())
        .map(|p| (p["email"].as_str().unwrap().to_string(), p["second_factor"].as_bool().unwrap()))
        .collect();
    assert!(people.contains(&("ada@northwind.example".into(), true)), "{people:?}");
    assert!(people.iter().any(|(e, f)| e != "ada@northwind.example" && !f), "{people:?}");
    // Everyone: Carol herself is refused until she sets one up.
    app.call(Method::PUT, &setting, Some(json!({"required": "everyone"})), Some(&carol)).await;
    assert_eq!(error_code(&app.get(&assets, &carol).await), "second_factor_required");
    // A partner account has no partner people: that choice is refused.
    let ada_set = app
        .call(
            Method::PUT,
            &format!("/api/v1/accounts/{nw}/settings/second-factor"),
            Some(json!({"required": "partner_people"})),
            Some(&ada),
        )
        .await;
    assert_eq!(ada_set.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_partners_requirement_covers_its_employees_in_its_clients() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let ada = app.sign_in("ada@northwind.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    let setting = format!("/api/v1/accounts/{nw}/settings/second-factor");
    assert_eq!(
        app.call(Method::PUT, &setting, Some(json!({"required": "everyone"})), Some(&ada)).await.status,
        StatusCode::OK
    );
    let cleo = app.sign_in("cleo@northwind.example").await;
    assert_eq!(error_code(&app.get(&format!("/api/v1/accounts/{acme}/assets"), &cleo).await), "second_factor_required");
    assert_eq!(app.get(&format!("/api/v1/accounts/{acme}/assets"), &carol).await.status, StatusCode::OK);
    // Ben (not super admin of Northwind) may not choose (A17).
    let ben = app.sign_in("ben@northwind.example").await;
    let before = app.snapshot().await;
    let refused = app.call(Method::PUT, &setting, Some(json!({"required": "nobody"})), Some(&ben)).await;
    // Ben has no factor yet, and Northwind requires one: refused before A17.
    assert_eq!(error_code(&refused), "second_factor_required");
    assert_eq!(before, app.snapshot().await);
}

#[tokio::test]
async fn a18_reset_only_as_the_table_allows_with_history_and_an_email() {
    let app = TestApp::spawn().await;
    let acme = app.account_id("Acme Corporation").await;
    let nw = app.account_id("Northwind Digital").await;
    let ada_id = app.user_id("ada@northwind.example").await;
    let cleo_id = app.user_id("cleo@northwind.example").await;
    let cleo = app.sign_in("cleo@northwind.example").await;
    add_authenticator(&app, &cleo).await;
    // Cleo is a Northwind employee: Carol (Acme's super admin) may not reset her.
    let carol = app.sign_in("carol@acme.example").await;
    let before = app.snapshot().await;
    let refused = app
        .call(Method::POST, &format!("/api/v1/accounts/{acme}/second-factors/{cleo_id}/reset"), None, Some(&carol))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(before, app.snapshot().await, "nothing changed");
    // Carol's view says so too.
    let members = app.get(&format!("/api/v1/accounts/{acme}/second-factors"), &carol).await;
    let row = members.body.as_array().unwrap().iter().find(|m| m["user_id"] == cleo_id).unwrap().clone();
    assert_eq!((row["second_factor"].as_bool(), row["may_reset"].as_bool()), (Some(true), Some(false)));
    // Ada, Northwind's super admin, may.
    let ada = app.sign_in("ada@northwind.example").await;
    let ok = app
        .call(Method::POST, &format!("/api/v1/accounts/{nw}/second-factors/{cleo_id}/reset"), None, Some(&ada))
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{:?}", ok.body);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM second_factors WHERE user_id = $1")
        .bind(cleo_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert!(history_count(&app, "second_factors_reset", cleo_id).await >= 1);
    let actor: i64 =
        sqlx::query_scalar("SELECT actor_user_id FROM history WHERE action = 'second_factors_reset' LIMIT 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(actor, ada_id);
    let mailed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox o JOIN notifications n ON n.id = o.notification_id \
         WHERE n.kind = 'second_factors_reset' AND o.recipient = 'cleo@northwind.example'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(mailed, 1);
    // Her sessions ended; she signs in by the password alone again.
    assert_eq!(app.get("/api/v1/session", &cleo).await.status, StatusCode::UNAUTHORIZED);
    app.sign_in("cleo@northwind.example").await;
}

#[tokio::test]
async fn a18_nobody_outside_the_persons_accounts_and_never_ones_own() {
    let app = TestApp::spawn().await;
    let uh = app.account_id("Umbrella Health").await;
    let carol_id = app.user_id("carol@acme.example").await;
    let acme = app.account_id("Acme Corporation").await;
    let uma = app.sign_in("uma@umbrella.example").await;
    let uma_id = app.user_id("uma@umbrella.example").await;
    add_authenticator(&app, &uma).await;
    // Uma belongs to Umbrella Health and Umbrella Labs; Carol is no member
    // there: 404 (and Carol cannot reach her through Acme).
    let carol = app.sign_in("carol@acme.example").await;
    let path = format!("/api/v1/accounts/{uh}/second-factors/{uma_id}/reset");
    assert_eq!(app.call(Method::POST, &path, None, Some(&carol)).await.status, StatusCode::NOT_FOUND);
    let via_acme = format!("/api/v1/accounts/{acme}/second-factors/{uma_id}/reset");
    assert_eq!(app.call(Method::POST, &via_acme, None, Some(&carol)).await.status, StatusCode::NOT_FOUND);
    // Uma is super admin of both accounts she belongs to, yet her own factors
    // go only with a current one (removing them), never by a reset.
    let before = app.snapshot().await;
    let own = app.call(Method::POST, &path, None, Some(&uma)).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{:?}", own.body);
    assert_eq!(before, app.snapshot().await);
    let _ = carol_id;
}

#[tokio::test]
async fn a18_a_partner_adding_someone_gains_no_reset_of_their_factors_elsewhere() {
    let app = TestApp::spawn().await;
    let nw = app.account_id("Northwind Digital").await;
    let carol_id = app.user_id("carol@acme.example").await;
    let carol = app.sign_in("carol@acme.example").await;
    add_authenticator(&app, &carol).await;
    // Carol, Acme's own super admin, made a member of Northwind as well.
    sqlx::query("INSERT INTO memberships (account_id, user_id, created_at) VALUES ($1, $2, 0)")
        .bind(nw)
        .bind(carol_id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let ada = app.sign_in("ada@northwind.example").await;
    let before = app.snapshot().await;
    let res = app
        .call(Method::POST, &format!("/api/v1/accounts/{nw}/second-factors/{carol_id}/reset"), None, Some(&ada))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{:?}", res.body);
    assert_eq!(before, app.snapshot().await, "nothing changed");
}
