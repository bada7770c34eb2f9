//! Turning domain values into the words shown on screen.

pub use crate::i18n::intl::{date, date_time, lower, name_order, number};
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

/// R18: a partner's ceiling in words — none, or its set's name and its
/// permissions.
pub fn ceiling(t: &Strings, permissions: Option<domain::Perms>, set_name: Option<&str>) -> String {
    match (permissions, set_name) {
        (None, _) => t.no_ceiling.to_string(),
        (Some(p), Some(n)) => format!("{} · {}", t.set_name(n), permission_list(p)),
        (Some(p), None) => permission_list(p),
    }
}

/// R18: when a relationship ends, or that it does not.
pub fn relationship_end(t: &Strings, at: Option<domain::UnixTime>) -> String {
    match at {
        Some(at) if at <= now() => t.ended(date(at)),
        Some(at) => date(at),
        None => t.no_ceiling.to_string(),
    }
}

/// A permission's name in the user's language.
pub fn permission_label(p: domain::Permission) -> String {
    crate::i18n::t().permission(p).to_string()
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
        // R20, A17: who must have a second factor now, in words the
        // catalogue has (a partner account's "everyone" is its employees).
        "nobody" => Some(t.nothing),
        "everyone" => Some(t.all_users),
        "partner_people" => Some(t.partner_users),
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

/// Names as a sentence's list: "A", "A and B", "A, B and C" (in the
/// user's language).
pub fn names(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => crate::i18n::t().list_and(rest.join(", "), last),
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
        assert_eq!(history_detail(&fi, "partner_people"), "Kumppanin työntekijät");
        assert_eq!(history_detail(&fi, ""), "");
    }
}
