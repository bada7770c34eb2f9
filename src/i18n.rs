//! The translation layer: every user-visible text of the app. Each language
//! is one value of [`Strings`]; a missing text in a language is a compile
//! error, so a language is always complete. English is the only one so far.

mod en;

pub use en::EN;

use domain::{AccessType, MembershipStatus, Seat};

/// All user-visible texts of one language.
pub struct Strings {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub loading: &'static str,
    pub close: &'static str,
    pub cancel: &'static str,
    pub back: &'static str,
    pub next: &'static str,
    pub done: &'static str,
    pub step_of: fn(usize, usize) -> String,

    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub sign_out: &'static str,
    pub signed_out: &'static str,
    pub session_ended: &'static str,

    pub main_navigation: &'static str,
    pub switch_account: &'static str,
    pub switched_to: fn(&str) -> String,
    pub partner_account: &'static str,
    pub customer_account: &'static str,
    pub nav_partner: &'static str,
    pub nav_settings: &'static str,
    pub client_access_manager: &'static str,
    pub users_and_teams: &'static str,
    pub notifications_region: &'static str,

    pub error_title: &'static str,
    pub forbidden_title: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub go_home: &'static str,
    pub try_again: &'static str,
    pub network_error: &'static str,

    pub home_welcome: fn(&str) -> String,
    pub home_cam_text: &'static str,
    pub home_users_text: &'static str,
    pub home_nothing: &'static str,
    pub no_accounts: &'static str,

    pub tab_clients: &'static str,
    pub tab_employees: &'static str,
    pub search_clients: &'static str,
    pub search_employees: &'static str,
    pub search_users: &'static str,
    pub access_types: &'static str,
    pub col_client: &'static str,
    pub col_your_access: &'static str,
    pub col_partner_employees: &'static str,
    pub col_relationship: &'static str,
    pub col_name: &'static str,
    pub col_email: &'static str,
    pub col_clients: &'static str,
    pub col_status: &'static str,
    pub col_permission_set: &'static str,
    pub col_seat: &'static str,
    pub col_last_activity: &'static str,
    pub col_assets: &'static str,
    pub col_role: &'static str,
    pub col_partner: &'static str,
    pub actions: &'static str,
    pub actions_for: fn(&str) -> String,
    pub details: &'static str,
    pub no_clients: &'static str,
    pub no_employees: &'static str,
    pub no_users: &'static str,
    pub no_partner_employees: &'static str,
    pub verified_domain: &'static str,
    pub active_of: fn(u32, u32) -> String,

    pub managed: &'static str,
    pub ending: fn(&str, i64) -> String,
    pub ended: fn(&str) -> String,
    pub never: &'static str,
    pub super_admin: &'static str,
    pub no_permission_set: &'static str,

    pub results: fn(u64) -> String,
    pub page_of: fn(u32, u32) -> String,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub pagination: &'static str,
    pub sorted_ascending: &'static str,
    pub sorted_descending: &'static str,

    pub back_to_clients: &'static str,
    pub official_name: fn(&str) -> String,
    pub pricing_seat_based: &'static str,
    pub pricing_classic: &'static str,
    pub your_access_here: fn(&str) -> String,
    pub partner_employees_heading: &'static str,
    pub seat_based_note: &'static str,
    pub pricing: &'static str,
    pub last_partner_activity_label: &'static str,
    pub enter_password: &'static str,
    pub keep_one_access_type: &'static str,
    pub search_in: fn(&str) -> String,
    pub search_accounts: &'static str,
    pub breadcrumb: &'static str,
    pub get_access_link: &'static str,
    pub copy_access_link: &'static str,
    pub your_access_link: &'static str,
    pub access_link_for: fn(&str) -> String,
    pub access_link_intro: &'static str,
    pub access_link_label: &'static str,
    pub copy_link: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub regenerate_link: &'static str,
    pub regenerate_confirm: &'static str,
    pub link_regenerated: &'static str,
    pub back_to_employees: &'static str,
    pub access_invalid_title: &'static str,
    pub access_invalid_text: &'static str,
    pub access_request_title: fn(&str, &str) -> String,
    pub access_request_text: &'static str,
    pub sign_in_to_respond: &'static str,
    pub approve: &'static str,
    pub choose_account_title: &'static str,
    pub account: &'static str,
    pub no_eligible_accounts: &'static str,
    pub already_partner_admin: &'static str,
    pub already_user: &'static str,
    pub convert_existing: fn(&str) -> String,
    pub convert_hint: &'static str,
    pub grant_access: &'static str,
    pub granting: &'static str,
    pub granted_title: &'static str,
    pub granted_text: fn(&str, &str) -> String,
    pub approval_preview_title: fn(&str) -> String,
    pub comparison_caption: &'static str,
    pub capability: &'static str,
    /// (capability, super admin, Partner Admin), as in SPEC §3.
    pub comparison_rows: [(&'static str, &'static str, &'static str); 5],
    pub notifications: &'static str,
    pub select_all: &'static str,
    pub select_row: fn(&str) -> String,
    pub add_employees: &'static str,
    pub add_employees_to: fn(&str) -> String,
    pub employees_label: &'static str,
    pub permission_set: &'static str,
    pub already_in_client: &'static str,
    pub will_get: fn(usize) -> String,
    pub left_out: fn(&str) -> String,
    pub added_employees: fn(usize) -> String,
    pub change_to_partner_admin: &'static str,
    pub change_to_partner_admin_for: fn(&str) -> String,
    pub migrate_intro: &'static str,
    pub keep_billing: &'static str,
    pub keep_billing_hint: &'static str,
    pub confirm: &'static str,
    pub migrated: &'static str,
    pub change_permission_set: &'static str,
    pub change_permission_set_for: fn(&str) -> String,
    pub perms_added: &'static str,
    pub perms_removed: &'static str,
    pub perms_kept: &'static str,
    pub perms_not_granted: &'static str,
    pub grant_preview: &'static str,
    pub grant_rule_why: &'static str,
    pub nothing: &'static str,
    pub set_changed: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub deactivated_toast: fn(&str) -> String,
    pub reactivated_toast: fn(&str) -> String,
    pub remove_partner_employee: &'static str,
    pub remove_review: &'static str,
    pub no_assets: &'static str,
    pub assets_unassigned: &'static str,
    pub confirm_removal: &'static str,
    pub removed_toast: fn(usize) -> String,
    pub link_clients: &'static str,
    pub link_clients_for: fn(&str) -> String,
    pub link_intro: &'static str,
    pub client_label: &'static str,
    pub choose_client: &'static str,
    pub nothing_to_link: &'static str,
    pub linked_toast: &'static str,
    pub remove_from_clients: &'static str,
    pub remove_from_clients_for: fn(&str) -> String,
    pub step_choose_clients: &'static str,
    pub step_review: &'static str,
    pub not_in_any_client: &'static str,
    pub removing: &'static str,
    pub tab_history: &'static str,
    pub billing: &'static str,
    pub super_admins: &'static str,
    pub scim: &'static str,
    pub data_centre: &'static str,
    pub billing_contact: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub generate_token: &'static str,
    pub token_once: &'static str,
    pub scim_on: fn(&str) -> String,
    pub scim_off: &'static str,
    pub data_centre_names: [&'static str; 3],
    pub make_super_admin: &'static str,
    pub remove_super_admin: &'static str,
    pub create_user: &'static str,
    pub step_email: &'static str,
    pub step_access: &'static str,
    pub start_with_template: &'static str,
    pub restrict_with_set: &'static str,
    pub choose_template: &'static str,
    pub no_template: &'static str,
    pub name_label: &'static str,
    pub name_hint: &'static str,
    pub already_user_here: fn(&str) -> String,
    pub template_needs_partner_seat: &'static str,
    pub template_not_eligible: &'static str,
    pub assign_partner_seat: &'static str,
    pub user_created: &'static str,
    pub assign_seat: &'static str,
    pub seat_assigned: &'static str,
    pub remove: &'static str,
    pub remove_user_confirm: fn(&str) -> String,
    pub user_removed: fn(&str) -> String,
    pub comparison_title: &'static str,
    pub partner_badge: fn(&str) -> String,
    pub partner_users: &'static str,
    pub assets: &'static str,
    pub crm: &'static str,
    pub add_permissions: &'static str,
    pub edit_permissions: &'static str,
    pub edit_permissions_for: fn(&str) -> String,
    pub remove_permissions: &'static str,
    pub paid_features: &'static str,
    pub paid_feature_names: [&'static str; 2],
    pub search_assets: &'static str,
    pub owner: &'static str,
    pub any_owner: &'static str,
    pub no_owner: &'static str,
    pub kind: &'static str,
    pub new_asset: &'static str,
    pub edit_asset: &'static str,
    pub asset_saved: &'static str,
    pub no_assets_found: &'static str,
    pub asset_kinds: [&'static str; 7],
    pub own_users: &'static str,
    pub all_roles: &'static str,
    pub all_seats: &'static str,
    pub all_users: &'static str,
    pub history: &'static str,
    pub export_csv: &'static str,
    pub col_when: &'static str,
    pub col_actor: &'static str,
    pub col_account: &'static str,
    pub col_target: &'static str,
    pub col_action: &'static str,
    pub col_change: &'static str,
    pub all_actions: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub filter_actor: &'static str,
    pub filter_target: &'static str,
    pub no_history: &'static str,
    pub perms_change: fn(usize, usize) -> String,
    /// Labels of [`domain::history::HistoryAction::ALL`], in that order.
    pub action_labels: [&'static str; 14],
    pub notifications_unread: fn(u32) -> String,
    pub no_notifications: &'static str,
    /// Labels of [`AccessType::ALL`], in that order.
    pub access_labels: [&'static str; 5],
    /// Labels of [`MembershipStatus::ALL`], in that order.
    pub status_labels: [&'static str; 2],
    /// Labels of [`Seat::ALL`], in that order.
    pub seat_labels: [&'static str; 5],
}

impl Strings {
    /// The label of an access type.
    pub fn access_type(&self, a: AccessType) -> &'static str {
        label(&self.access_labels, AccessType::ALL, a)
    }

    /// The label of a membership status.
    pub fn status(&self, s: MembershipStatus) -> &'static str {
        label(&self.status_labels, MembershipStatus::ALL, s)
    }

    /// The label of a history action.
    pub fn action(&self, a: domain::history::HistoryAction) -> &'static str {
        label(&self.action_labels, domain::history::HistoryAction::ALL, a)
    }

    /// The label of a seat.
    pub fn seat(&self, s: Seat) -> &'static str {
        label(&self.seat_labels, Seat::ALL, s)
    }
}

fn label<T: PartialEq>(labels: &[&'static str], all: &[T], value: T) -> &'static str {
    all.iter().position(|v| *v == value).and_then(|i| labels.get(i)).copied().unwrap_or("")
}

/// The texts of the user's language (English until more languages follow).
pub fn t() -> &'static Strings {
    &EN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parametrised_texts_fill_in_their_values() {
        assert_eq!((EN.ending)("2026-12-01", 6), "Ending 2026-12-01 · 6 days left");
        assert_eq!((EN.results)(1), "1 result");
        assert_eq!((EN.page_of)(2, 5), "Page 2 of 5");
    }

    #[test]
    fn every_enumeration_value_has_a_label() {
        assert_eq!(EN.access_labels.len(), AccessType::ALL.len());
        assert_eq!(EN.status_labels.len(), MembershipStatus::ALL.len());
        assert_eq!(EN.seat_labels.len(), Seat::ALL.len());
        assert_eq!(EN.access_type(AccessType::SuperAdmin), "Super admin");
        assert_eq!(EN.seat(Seat::Partner), "Partner");
    }
}
