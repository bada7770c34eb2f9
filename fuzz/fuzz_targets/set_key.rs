#![no_main]
//! cargo-fuzz target: see `crates/domain/tests/parsers/properties.rs`.

#[path = "../../crates/domain/tests/parsers/properties.rs"]
#[allow(dead_code)]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        properties::set_key(s);
    }
});
