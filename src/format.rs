//! Turning domain values into the words shown on screen.

use crate::i18n::Strings;
use domain::rules::RelationshipStatus;

/// The relationship column: managed, ending (date and days left) or ended.
pub fn relationship(t: &Strings, s: RelationshipStatus) -> String {
    match s {
        RelationshipStatus::Managed => t.managed.to_string(),
        RelationshipStatus::Ending { ends_at, days_left } => (t.ending)(&ends_at.date(), days_left),
        RelationshipStatus::Ended { ended_at } => (t.ended)(&ended_at.date()),
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
        set_name.unwrap_or(t.no_permission_set).to_string()
    }
}

/// A permission's name for people: `contacts_view` → "Contacts view".
pub fn permission_label(p: domain::Permission) -> String {
    let mut key = p.key().replace('_', " ");
    // Keys are ASCII, so no Unicode case tables are needed.
    if let Some(first) = key.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    key
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;
    use domain::UnixTime;

    #[test]
    fn ending_relationship_shows_its_end_date_and_days_left() {
        let s = RelationshipStatus::Ending { ends_at: UnixTime(1_767_225_600), days_left: 12 };
        assert_eq!(relationship(&EN, s), "Ending 2026-01-01 · 12 days left");
    }

    #[test]
    fn super_admin_role_wins_over_a_set() {
        assert_eq!(role(&EN, true, Some("Sales")), "Super admin");
        assert_eq!(role(&EN, false, None), "No permission set");
    }
}
