//! The user's locale as the browser writes it: numbers, dates and the
//! order of names, by `Intl` (made once per page), and lower case by
//! `String.prototype.toLowerCase`. Below the catalogue's texts, which put
//! numbers into sentences, and below `format`, which words domain values.

/// The user's language's BCP 47 tag, for `Intl`.
fn locale() -> &'static str {
    super::t().lang.tag()
}

/// A whole number as the user's locale writes it (`1 234` in Finnish), by
/// the browser's `Intl.NumberFormat`.
pub fn number(n: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        formatters::NUMBERS
            .with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &(n as f64).into()))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| n.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        n.to_string()
    }
}

/// The browser's formatters for the user's locale, made once (making an
/// `Intl` formatter costs far more than using one): numbers, dates, dates
/// with times, and the order of names.
#[cfg(target_arch = "wasm32")]
mod formatters {
    use js_sys::{Array, Function, Intl, Object, Reflect};

    fn locales() -> Array {
        Array::of1(&super::locale().into())
    }

    fn date_options(with_time: bool) -> Object {
        let options = Object::new();
        let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        if with_time {
            let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
        }
        options
    }

    thread_local! {
        pub static NUMBERS: Function = Intl::NumberFormat::new(&locales(), &Object::new()).format();
        pub static DATES: Function = Intl::DateTimeFormat::new(&locales(), &date_options(false)).format();
        pub static DATE_TIMES: Function = Intl::DateTimeFormat::new(&locales(), &date_options(true)).format();
        pub static NAMES: Function = Intl::Collator::new(&locales(), &Object::new()).compare();
    }
}

/// A date in the user's locale and time zone (`1.12.2026`, `2026年12月1日`),
/// by the browser's `Intl.DateTimeFormat`.
pub fn date(at: domain::UnixTime) -> String {
    intl_date(at, false)
}

/// A date and time in the user's locale and time zone.
pub fn date_time(at: domain::UnixTime) -> String {
    intl_date(at, true)
}

#[cfg(target_arch = "wasm32")]
fn intl_date(at: domain::UnixTime, with_time: bool) -> String {
    use wasm_bindgen::JsValue;
    let when = js_sys::Date::new(&JsValue::from_f64(at.0 as f64 * 1000.0));
    let format = |f: &js_sys::Function| f.call1(&JsValue::NULL, &when);
    let formatted = if with_time { formatters::DATE_TIMES.with(format) } else { formatters::DATES.with(format) };
    formatted.ok().and_then(|v| v.as_string()).unwrap_or_else(|| if with_time { at.date_time() } else { at.date() })
}

#[cfg(not(target_arch = "wasm32"))]
fn intl_date(at: domain::UnixTime, with_time: bool) -> String {
    if with_time {
        at.date_time()
    } else {
        at.date()
    }
}

/// `text` in lower case for matching and labels, by the browser's own
/// `String.prototype.toLowerCase` (which saves the wasm Rust's Unicode case
/// tables, about 25 KB).
pub fn lower(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JsString::from(text).to_lower_case().into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The order of `names` as the user's language sorts them (`Intl.Collator`):
/// their indices, first to last. One sort for every list that is sorted in
/// the browser.
pub fn name_order(names: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    #[cfg(target_arch = "wasm32")]
    formatters::NAMES.with(|compare| {
        let key = |i: usize| wasm_bindgen::JsValue::from_str(names[i]);
        order.sort_unstable_by(|&a, &b| {
            let n = compare.call2(&wasm_bindgen::JsValue::NULL, &key(a), &key(b)).ok().and_then(|v| v.as_f64());
            n.unwrap_or(0.0).partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal)
        });
    });
    #[cfg(not(target_arch = "wasm32"))]
    order.sort_unstable_by(|&a, &b| names[a].cmp(names[b]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_put_in_order() {
        assert_eq!(name_order(&["Cleo", "Aino", "Bo"]), vec![1, 2, 0]);
        assert!(name_order(&[]).is_empty());
    }
}
