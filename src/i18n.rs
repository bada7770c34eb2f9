//! The translation layer: every user-visible text of the app. Each language
//! is one value of [`Strings`]; a missing text in a language is a compile
//! error, so a language is always complete. English is the only one so far.

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
    pub comparison_caption: &'static str,
    pub capability: &'static str,
    /// (capability, super admin, Partner Admin), as in SPEC §3.
    pub comparison_rows: [(&'static str, &'static str, &'static str); 5],
    pub notifications: &'static str,
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

    /// The label of a seat.
    pub fn seat(&self, s: Seat) -> &'static str {
        label(&self.seat_labels, Seat::ALL, s)
    }
}

fn label<T: PartialEq>(labels: &[&'static str], all: &[T], value: T) -> &'static str {
    all.iter().position(|v| *v == value).and_then(|i| labels.get(i)).copied().unwrap_or("")
}

/// English.
pub static EN: Strings = Strings {
    app_name: "Client Access Manager",
    skip_to_content: "Skip to content",
    loading: "Loading…",
    close: "Close",
    cancel: "Cancel",
    back: "Back",
    next: "Next",
    done: "Done",
    step_of: |i, n| format!("Step {i} of {n}"),

    sign_in_title: "Sign in",
    sign_in_intro: "Manage who at your agency can work in which client account.",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_out: "Sign out",
    signed_out: "You have signed out.",
    session_ended: "Your session has ended. Sign in again to continue.",

    main_navigation: "Main navigation",
    switch_account: "Switch account",
    switched_to: |name| format!("Switched to {name}."),
    partner_account: "Partner account",
    customer_account: "Customer account",
    nav_partner: "Partner",
    nav_settings: "Settings",
    client_access_manager: "Client Access Manager",
    users_and_teams: "Users & Teams",
    notifications_region: "Notifications",

    error_title: "Something went wrong",
    forbidden_title: "You don't have access to this page",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist, or it is not in one of your accounts.",
    go_home: "Go to your home page",
    try_again: "Try again",
    network_error: "The server could not be reached. Check your connection and try again.",

    home_welcome: |name| format!("Welcome, {name}"),
    home_cam_text: "Manage your employees' access to client accounts from one place.",
    home_users_text: "See who has access to this account, their roles and seats.",
    home_nothing:
        "There is nothing for you to manage in this account. Ask a super admin of the account if you need more access.",
    no_accounts: "Your user is not a member of any account yet.",

    tab_clients: "Clients",
    tab_employees: "Employees",
    search_clients: "Search clients",
    search_employees: "Search employees",
    search_users: "Search users",
    access_types: "Access types",
    col_client: "Client",
    col_your_access: "Your access",
    col_partner_employees: "Partner employees",
    col_relationship: "Relationship",
    col_name: "Name",
    col_email: "Email",
    col_clients: "Clients",
    col_status: "Status",
    col_permission_set: "Permission set",
    col_seat: "Seat",
    col_last_activity: "Last activity",
    col_assets: "Assets owned",
    col_role: "Role",
    col_partner: "Partner",
    actions: "Actions",
    actions_for: |name| format!("Actions for {name}"),
    details: "Details",
    no_clients: "No clients match these filters.",
    no_employees: "No employees match this search.",
    no_users: "No users match this search.",
    no_partner_employees: "None of your employees are in this client account.",
    verified_domain: "Verified partner domain",
    active_of: |active, total| format!("{active} of {total} active"),

    managed: "Managed",
    ending: |date, days| format!("Ending {date} · {days} days left"),
    ended: |date| format!("Ended {date}"),
    never: "Never",
    super_admin: "Super admin",
    no_permission_set: "No permission set",

    results: |n| if n == 1 { "1 result".to_string() } else { format!("{n} results") },
    page_of: |p, n| format!("Page {p} of {n}"),
    previous_page: "Previous page",
    next_page: "Next page",
    pagination: "Pagination",
    sorted_ascending: "sorted ascending",
    sorted_descending: "sorted descending",

    back_to_clients: "Back to clients",
    official_name: |name| format!("Official name: {name}"),
    pricing_seat_based: "Seat-based pricing",
    pricing_classic: "Classic pricing",
    your_access_here: |access| format!("Your access: {access}"),
    partner_employees_heading: "Partner employees",
    seat_based_note: "Seat-based account: partner users still need a paid Sales or Service seat for those features.",
    pricing: "Pricing",
    last_partner_activity_label: "Last partner activity",
    enter_password: "Enter your password.",
    keep_one_access_type: "At least one access type stays selected",
    search_in: |what| format!("Search {}", what.to_lowercase()),
    search_accounts: "Search accounts",
    breadcrumb: "Breadcrumb",
    get_access_link: "Get access link",
    copy_access_link: "Copy access link",
    your_access_link: "Your access link",
    access_link_for: |name| format!("Access link for {name}"),
    access_link_intro: "Send this link to a client. When they approve it, the employee becomes a Partner Admin in the account the client chooses.",
    access_link_label: "Access link",
    copy_link: "Copy link",
    copied: "Copied",
    copy_failed: "Copying is not available here. The link is selected: press Ctrl+C to copy it.",
    regenerate_link: "Regenerate link",
    regenerate_confirm: "The current link stops working at once. Clients who have it will need the new one.",
    link_regenerated: "A new link was created. The old link no longer works.",
    back_to_employees: "Back to employees",
    access_invalid_title: "This link is not valid",
    access_invalid_text: "It may have been replaced by a newer link. Ask your partner to send you a new access link.",
    access_request_title: |employee, partner| format!("{employee} from {partner} asks for access"),
    access_request_text: "Approving makes them a Partner Admin in one of your accounts. This is how a Partner Admin compares with a super admin:",
    sign_in_to_respond: "Sign in to respond",
    approve: "Approve",
    choose_account_title: "Choose the account to grant",
    account: "Account",
    no_eligible_accounts: "You can grant access only to accounts where you are a super admin or have the Add and edit users permission, and you have no such account.",
    already_partner_admin: "already a Partner Admin",
    already_user: "already a user",
    convert_existing: |name| format!("Convert {name} to Partner Admin"),
    convert_hint: "They are already a user in this account. As a super admin you can convert them to Partner Admin; without that nothing changes.",
    grant_access: "Grant access",
    granting: "Granting…",
    granted_title: "Access granted",
    granted_text: |employee, account| format!("{employee} is now a Partner Admin in {account}."),
    comparison_caption: "Super admin compared with Partner Admin",
    capability: "Capability",
    comparison_rows: [
        ("Elevated account access: edit every CRM object, hub and app, with targeted admin rights", "Yes", "Yes"),
        ("Full admin rights: add and remove super admins, billing and financial transactions", "Yes", "No (billing only if kept)"),
        ("Paid Sales and Service features through the free partner seat", "Yes", "Yes (not in seat-based accounts)"),
        ("Managing many accounts from the partner account", "No", "Yes"),
        ("User provisioning with SCIM (Okta) and data-centre migration", "Yes", "No"),
    ],
    notifications: "Notifications",
    notifications_unread: |n| if n == 0 { "Notifications".to_string() } else { format!("Notifications, {n} unread") },
    no_notifications: "No notifications yet.",
    access_labels: ["Partner Admin", "Super admin", "Other permission set", "Deactivated", "No access"],
    status_labels: ["Active", "Deactivated"],
    seat_labels: ["No seat", "Core", "Sales", "Service", "Partner"],
};

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
