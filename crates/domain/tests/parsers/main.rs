//! Bounded fuzzing of every parser of outside input, with
//! proptest: arbitrary text and bytes, and near-valid inputs built from the
//! API's own vocabulary, against the properties in
//! `properties.rs`. `CAM_FUZZ_CASES` sets the inputs per target
//! (default 3,000); the coverage-guided cargo-fuzz run over the same
//! properties is `bash scripts/fuzz.sh`.

mod properties;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("CAM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000)
}

/// Runs `check` on `cases()` inputs of `strategy`; panics are failures.
fn fuzz<S: Strategy>(target: &str, strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    runner
        .run(&strategy, |v| {
            check(v);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}: {e}"));
    println!("fuzz {target}: {} inputs, 0 panics, every accepted value reads back the same", cases());
}

/// Any text, or text made of the characters that matter to the parser.
fn text(alphabet: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "\\PC{0,80}", proptest::string::string_regex(alphabet).unwrap()]
}

#[test]
fn emails() {
    fuzz("email", text("[a-zA-Z0-9._%+@ \\-\"<>()\\[\\]]{0,90}"), |s| properties::email(&s));
}

#[test]
fn access_tokens() {
    fuzz("access token", text("[A-Za-z0-9_\\-./%+=]{0,80}"), |s| properties::token(&s));
}

#[test]
fn permission_names() {
    let key = proptest::sample::select(domain::Permission::ALL.iter().map(|p| p.key().to_string()).collect::<Vec<_>>());
    let list = proptest::collection::vec(prop_oneof![key.clone(), "[a-z_ ]{0,12}"], 0..6);
    let near =
        (list, any::<bool>()).prop_map(
            |(keys, json)| {
                if json {
                    serde_json::to_string(&keys).unwrap()
                } else {
                    keys.join(",")
                }
            },
        );
    fuzz("permission names", prop_oneof![text("[a-z_,\\[\\]\" ]{0,80}"), near], |s| properties::permission_names(&s));
}

#[test]
fn permission_set_keys() {
    fuzz("permission set key", text("(custom:)?[a-z_0-9\\-+ ]{0,24}"), |s| properties::set_key(&s));
}

#[test]
fn history_dates() {
    fuzz("date", text("[0-9+\\- ]{0,12}"), |s| properties::date(&s));
}

/// JSON values made of the API's field names and plausible values.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let field = proptest::sample::select(vec![
        "email",
        "password",
        "account_id",
        "user_ids",
        "user_id",
        "client_ids",
        "client_id",
        "permission_set",
        "keep_billing",
        "convert_existing",
        "billing_contact",
        "data_centre",
        "name",
        "seat",
        "template",
        "added",
        "removed",
        "kind",
        "owner_id",
        "now",
        "q",
        "page",
        "per_page",
        "super_admin",
        "partner_account_id",
        "reason",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        prop_oneof![
            "\\PC{0,20}",
            Just("ada@northwind.example".to_string()),
            Just("partner_admin".to_string()),
            Just("billing".to_string()),
            Just("partner".to_string()),
            Just("contact".to_string()),
            Just("eu".to_string()),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(field.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

#[test]
fn request_bodies() {
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        // Valid JSON cut short or with a byte flipped.
        (json_value(), any::<usize>(), any::<u8>()).prop_map(|(v, at, b)| {
            let mut s = v.to_string().into_bytes();
            if !s.is_empty() {
                let i = at % s.len();
                if b % 2 == 0 {
                    s.truncate(i);
                } else {
                    s[i] = b;
                }
            }
            s
        }),
    ];
    fuzz("request bodies", (0..properties::REQUEST_BODIES as u8, bytes), |(kind, b)| {
        properties::request_body(kind, &b)
    });
}
