//! The properties every parser of outside input must keep, whatever the
//! input: it never panics, and what it accepts is well-formed and reads back
//! the same. One piece of code with two drivers: the bounded proptest run in
//! `tests/parsers/` (part of the test command) and the coverage-guided
//! cargo-fuzz targets in `fuzz/` (the longer run, see SECURITY.md).

use domain::access_link::{AccessToken, DeclineReason};
use domain::api::*;
use domain::{Email, Permission, Perms, SetKey, UnixTime};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Email addresses (sign-in, Create user, billing contact).
pub fn email(input: &str) {
    if let Ok(e) = Email::parse(input) {
        let s = e.as_str();
        assert!(s.len() <= 254 && s.contains('@') && !s.chars().any(char::is_whitespace), "{s:?}");
        assert_eq!(s, s.to_ascii_lowercase());
        assert_eq!(Email::parse(s).as_ref(), Ok(&e), "an accepted address reads back the same");
        assert!(!e.domain().is_empty() && e.domain().contains('.'));
    }
    let json = serde_json::to_string(input).expect("a string serializes");
    let via_serde = serde_json::from_str::<Email>(&json).ok();
    assert_eq!(via_serde, Email::parse(input).ok(), "serde runs the same parse");
}

/// Access-link tokens from the URL.
pub fn token(input: &str) {
    if let Some(t) = AccessToken::parse(input) {
        assert_eq!(t.as_str(), input);
        assert!((22..=64).contains(&input.len()));
        assert!(input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{input:?}");
    }
}

/// Permission names: single keys, stored lists, and JSON lists in bodies.
pub fn permission_names(input: &str) {
    if let Some(p) = Permission::parse(input) {
        assert_eq!(p.key(), input);
    }
    if let Ok(perms) = Perms::from_keys(input) {
        assert_eq!(Perms::from_keys(&perms.to_keys()), Ok(perms), "stored form reads back the same");
    }
    if let Ok(perms) = serde_json::from_str::<Perms>(input) {
        let again = serde_json::to_string(&perms).expect("serializes");
        assert_eq!(serde_json::from_str::<Perms>(&again).ok(), Some(perms));
    }
}

/// Permission set keys (`partner_admin`, `custom:<id>`) from bodies.
pub fn set_key(input: &str) {
    if let Some(k) = SetKey::from_storage(input) {
        assert_eq!(SetKey::from_storage(&k.to_storage()), Some(k));
    }
}

/// `YYYY-MM-DD` dates of the history filter.
pub fn date(input: &str) {
    if let Some(t) = UnixTime::parse_date(input) {
        assert_eq!(t.date(), input, "an accepted date formats back the same");
        assert_eq!(t.0.rem_euclid(domain::time::DAY), 0);
    }
}

fn body<T: DeserializeOwned + Serialize>(bytes: &[u8]) {
    if let Ok(v) = serde_json::from_slice::<T>(bytes) {
        let once = serde_json::to_string(&v).expect("an accepted body serializes");
        let back: T = serde_json::from_str(&once).expect("what was accepted once is accepted again");
        assert_eq!(serde_json::to_string(&back).expect("serializes"), once);
    }
}

/// A decline's body, and the reason in it: trimmed, never blank, within
/// the limit, and the same when parsed again.
fn decline(bytes: &[u8]) {
    body::<DeclineRequest>(bytes);
    if let Ok(DeclineRequest { reason: Some(text) }) = serde_json::from_slice(bytes) {
        match DeclineReason::parse(&text) {
            Ok(Some(r)) => {
                let s = r.as_str();
                assert!(!s.is_empty() && s == s.trim() && s.chars().count() <= DeclineReason::MAX_CHARS, "{s:?}");
                assert_eq!(DeclineReason::parse(s), Ok(Some(r.clone())), "a reason reads back the same");
            }
            Ok(None) => assert!(text.trim().is_empty()),
            Err(_) => assert!(text.trim().chars().count() > DeclineReason::MAX_CHARS),
        }
    }
}

/// Every JSON request body of the API, chosen by `kind`.
pub fn request_body(kind: u8, bytes: &[u8]) {
    match kind % 20 {
        0 => body::<SignInRequest>(bytes),
        1 => body::<SwitchAccountRequest>(bytes),
        2 => body::<ApproveRequest>(bytes),
        3 => body::<AddEmployeesRequest>(bytes),
        4 => body::<ChangeSetRequest>(bytes),
        5 => body::<RemoveEmployeesRequest>(bytes),
        6 => body::<RemoveFromClientsRequest>(bytes),
        7 => body::<LinkClientRequest>(bytes),
        8 => body::<MigrateRequest>(bytes),
        9 => body::<BillingSettings>(bytes),
        10 => body::<GrantSuperAdminRequest>(bytes),
        11 => body::<DataCentreSettings>(bytes),
        12 => body::<CreateUserRequest>(bytes),
        13 => body::<AssignSeatRequest>(bytes),
        14 => body::<EditPermissionsRequest>(bytes),
        15 => body::<CreateAssetRequest>(bytes),
        16 => body::<UpdateAssetRequest>(bytes),
        17 => body::<SetClockRequest>(bytes),
        18 => decline(bytes),
        _ => body::<ClientQuery>(bytes),
    }
}

/// The names of request bodies, for reports.
pub const REQUEST_BODIES: usize = 20;
