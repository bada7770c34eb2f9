//! Turning domain values into the words shown on screen.

use crate::i18n::Strings;
use domain::rules::RelationshipStatus;

/// The relationship column: managed, ending (date and days left) or ended.
pub fn relationship(t: &Strings, s: RelationshipStatus) -> String {
    match s {
        RelationshipStatus::Managed => t.managed.to_string(),
        RelationshipStatus::Ending { ends_at, days_left } => t.ending(days_left, date(ends_at)),
        RelationshipStatus::Ended { ended_at } => t.ended(date(ended_at)),
    }
}

/// A CSS modifier for a relationship status pill.
pub fn relationship_class(s: RelationshipStatus) -> &'static str {
    match s {
        RelationshipStatus::Managed => "pill pill-ok",
        RelationshipStatus::Ending { .. } => "pill pill-warn",
        RelationshipStatus::Ended { .. } => "pill pill-muted",
    }
}

/// A role: super admin, the permission set's name, or none.
pub fn role(t: &Strings, super_admin: bool, set_name: Option<&str>) -> String {
    if super_admin {
        t.super_admin.to_string()
    } else {
        set_name.map(|n| t.set_name(n)).unwrap_or_else(|| t.no_permission_set.to_string())
    }
}

/// A permission's name in the user's language.
pub fn permission_label(p: domain::Permission) -> String {
    crate::i18n::t().permission(p).to_string()
}

/// The user's language's BCP 47 tag, for `Intl`.
fn locale() -> &'static str {
    crate::i18n::t().lang.tag()
}

/// A whole number as the user's locale writes it (`1 234` in Finnish), by
/// the browser's `Intl.NumberFormat`.
pub fn number(n: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        intl::NUMBERS
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
mod intl {
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

/// Now, by the browser's clock (for durations and days left).
pub fn now() -> domain::UnixTime {
    #[cfg(target_arch = "wasm32")]
    {
        domain::UnixTime((js_sys::Date::now() / 1000.0) as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs());
        domain::UnixTime(secs.unwrap_or(0) as i64)
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
    let formatted = if with_time { intl::DATE_TIMES.with(format) } else { intl::DATES.with(format) };
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

/// A history event's detail in the user's language. The server stores it as
/// English words (the history is append-only, so old events keep theirs);
/// the known ones are worded from the catalogue, anything else (an
/// account's own set name) is shown as stored.
pub fn history_detail(t: &Strings, detail: &str) -> String {
    // R14: "<detail>; ends <date and time>" words each part.
    if let Some((first, rest)) = detail.split_once("; ") {
        return format!("{}; {}", history_detail(t, first), history_detail(t, rest));
    }
    if let Some(at) = detail.strip_prefix("ends ") {
        return t.history_ends(at);
    }
    if detail == "no end date" {
        return t.history_no_end.to_string();
    }
    let known = match detail {
        "converted to Partner Admin" => Some(t.history_converted),
        "Partner Admin with a partner seat" => Some(t.history_partner_admin_seat),
        "the previous link was revoked" => Some(t.history_link_revoked),
        "kept billing permissions" => Some(t.history_kept_billing),
        _ => None,
    };
    if let Some(text) = known {
        return text.to_string();
    }
    if let Some(n) = detail.strip_suffix(" assets left without an owner").and_then(|n| n.parse::<u64>().ok()) {
        return t.history_assets_unowned(n);
    }
    if let Some((from, to)) = detail.split_once(" → ") {
        if let (Some(from), Some(to)) = (domain::Seat::parse(from), domain::Seat::parse(to)) {
            return format!("{} → {}", t.seat(from), t.seat(to));
        }
    }
    match domain::StandardSet::parse(detail) {
        Some(set) => t.standard_set(set).to_string(),
        None => detail.to_string(),
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

/// Permissions as a comma-separated list of names, or "None".
pub fn permission_list(perms: domain::Perms) -> String {
    if perms.is_empty() {
        crate::i18n::t().nothing.to_string()
    } else {
        perms.iter().map(permission_label).collect::<Vec<_>>().join(", ")
    }
}

/// The order of `names` as the user's language sorts them (`Intl.Collator`):
/// their indices, first to last. One sort for every list that is sorted in
/// the browser.
pub fn name_order(names: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    #[cfg(target_arch = "wasm32")]
    intl::NAMES.with(|compare| {
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
    use crate::i18n::english;
    use domain::UnixTime;

    #[test]
    fn ending_relationship_shows_its_end_date_and_days_left() {
        let en = english();
        let s = RelationshipStatus::Ending { ends_at: UnixTime(1_767_225_600), days_left: 12 };
        assert_eq!(relationship(&en, s), "Ending 2026-01-01 · 12 days left");
        let s = RelationshipStatus::Ending { ends_at: UnixTime(1_767_225_600), days_left: 1 };
        assert_eq!(relationship(&en, s), "Ending 2026-01-01 · 1 day left");
    }

    #[test]
    fn super_admin_role_wins_over_a_set() {
        let en = english();
        assert_eq!(role(&en, true, Some("Sales")), "Super admin");
        assert_eq!(role(&en, false, None), "No permission set");
        assert_eq!(role(&en, false, Some("View only")), "View only");
    }

    #[test]
    fn history_details_are_worded_in_the_users_language() {
        let fi = crate::i18n::from_json(domain::i18n::Lang::Fi, include_str!("../locales/fi.json"));
        assert_eq!(history_detail(&fi, "kept billing permissions"), "laskutusoikeudet säilytettiin");
        assert_eq!(history_detail(&fi, "1 assets left without an owner"), "1 omaisuuserä jäi ilman omistajaa");
        assert_eq!(history_detail(&fi, "3 assets left without an owner"), "3 omaisuuserää jäi ilman omistajaa");
        assert_eq!(history_detail(&fi, "core → partner"), "Core → Kumppanipaikka");
        assert_eq!(history_detail(&fi, "view_only"), "Vain katselu");
        assert_eq!(history_detail(&fi, "Our own set"), "Our own set");
        assert_eq!(history_detail(&fi, ""), "");
    }

    #[test]
    fn names_are_put_in_order() {
        assert_eq!(name_order(&["Cleo", "Aino", "Bo"]), vec![1, 2, 0]);
        assert!(name_order(&[]).is_empty());
    }
}
