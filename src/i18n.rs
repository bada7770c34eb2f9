//! The translation layer: every user-visible text of the app, in the
//! user's language. The texts of each language live in
//! `locales/<tag>.json` (i18next JSON v4: plural forms as `key_one`,
//! `key_few`, `key_many`, `key_other`; parameters as `{{name}}`), the format
//! translators' tools read. English is built in; another language's file is
//! fetched at start, so a page downloads only its own language's texts.
//! [`texts!`] lists every text once: the [`Strings`] fields and methods the
//! views use, and the keys a catalogue must have ([`expected_keys`]), which
//! a test checks against every file.

use domain::i18n::{Lang, PluralCategory};
use domain::{AccessType, MembershipStatus, Seat};
use std::sync::OnceLock;

/// A value put into a text: words as they are, numbers in the user's locale.
pub trait Arg {
    fn text(&self) -> String;
}

impl Arg for &str {
    fn text(&self) -> String {
        (*self).to_string()
    }
}

impl Arg for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl Arg for &String {
    fn text(&self) -> String {
        (*self).clone()
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {
        $(impl Arg for $t {
            fn text(&self) -> String {
                crate::format::number(*self as i64)
            }
        })*
    };
}
number_args!(u32, u64, usize, i64);

/// A count a plural text is chosen by.
pub trait Count: Copy {
    fn count(self) -> u64;
}

macro_rules! counts {
    ($($t:ty),*) => {
        $(impl Count for $t {
            fn count(self) -> u64 {
                self.max(0) as u64
            }
        })*
    };
}
counts!(u32, u64, usize, i64);

/// A text with plural forms: the form for each category the language has.
#[derive(Clone, Copy)]
pub struct Plural {
    one: Option<&'static str>,
    few: Option<&'static str>,
    many: Option<&'static str>,
    other: &'static str,
}

impl Plural {
    fn form(&self, category: PluralCategory) -> &'static str {
        match category {
            PluralCategory::One => self.one,
            PluralCategory::Few => self.few,
            PluralCategory::Many => self.many,
            PluralCategory::Other => None,
        }
        .unwrap_or(self.other)
    }
}

use domain::i18n::fill;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

macro_rules! texts {
    (
        plain { $($p:ident),* $(,)? }
        arrays { $($a:ident = [$($ak:ident),* $(,)?];)* }
        templates { $($f:ident ( $($fa:ident),* );)* }
        plurals { $($q:ident ( $($qa:ident),* );)* }
    ) => {
        /// The single texts of a language (a field each) and its
        /// templates' raw texts, in the order of [`TEXT_KEYS`].
        #[repr(C)]
        pub struct Texts {
            $(pub $p: &'static str,)*
            $(pub $a: [&'static str; [$(stringify!($ak)),*].len()],)*
            $($f: &'static str,)*
        }

        /// The catalogue keys of [`Texts`]' fields, in field order.
        const TEXT_KEYS: &[&str] = &[$(stringify!($p),)* $($(stringify!($ak),)*)* $(stringify!($f),)*];

        // `Texts` is exactly one `&str` per key: what `Texts::read` relies on.
        const _: () = assert!(std::mem::size_of::<Texts>() == TEXT_KEYS.len() * std::mem::size_of::<&str>());

        /// All user-visible texts of one language.
        pub struct Strings {
            /// The language of these texts.
            pub lang: Lang,
            texts: Texts,
            $($q: Plural,)*
        }

        impl std::ops::Deref for Strings {
            type Target = Texts;
            fn deref(&self) -> &Texts {
                &self.texts
            }
        }

        impl Strings {
            $(
                pub fn $f(&self, $($fa: impl Arg),*) -> String {
                    fill(self.$f, &[$((stringify!($fa), $fa.text())),*])
                }
            )*
            $(
                pub fn $q(&self, count: impl Count $(, $qa: impl Arg)*) -> String {
                    let n = count.count();
                    fill(self.$q.form(self.lang.plural(n)), &[("count", n.text()) $(, (stringify!($qa), $qa.text()))*])
                }
            )*

            /// Reads a language's texts through `get` (a catalogue's value
            /// by key); a text the catalogue lacks shows its key.
            fn load(lang: Lang, get: &dyn Fn(&str) -> Option<String>) -> Strings {
                let values: Vec<&'static str> = TEXT_KEYS
                    .iter()
                    .map(|key| leak(get(key).unwrap_or_else(|| key.to_string())))
                    .collect();
                let plural = |key: &str| {
                    let form = |category: &str| get(&format!("{key}_{category}")).map(leak);
                    Plural {
                        one: form("one"),
                        few: form("few"),
                        many: form("many"),
                        other: form("other").unwrap_or_else(|| leak(format!("{key}_other"))),
                    }
                };
                Strings { lang, texts: Texts::read(values), $($q: plural(stringify!($q)),)* }
            }
        }

        impl Texts {
            /// The texts from their values in [`TEXT_KEYS`] order: one loop
            /// instead of code for each of several hundred fields.
            fn read(values: Vec<&'static str>) -> Texts {
                assert_eq!(values.len(), TEXT_KEYS.len());
                let values = values.into_boxed_slice();
                // SAFETY: `Texts` is `repr(C)` and made of `&'static str`
                // fields and arrays of them only, so it has the layout of
                // `[&'static str; TEXT_KEYS.len()]` (checked at compile time
                // above); `values` holds exactly that many, aligned for
                // `&str`. The copy holds the same `&'static str`s; dropping
                // `values` then frees only its own buffer.
                unsafe { std::ptr::read(values.as_ptr().cast::<Texts>()) }
            }
        }

        /// Every key a language's catalogue must have, and no other.
        pub fn expected_keys(lang: Lang) -> Vec<String> {
            let mut keys: Vec<String> = vec![$(stringify!($p).to_string(),)* $(stringify!($f).to_string(),)*];
            $($(keys.push(stringify!($ak).to_string());)*)*
            for plural in [$(stringify!($q)),*] {
                for category in lang.plural_categories() {
                    keys.push(format!("{plural}_{}", category.suffix()));
                }
            }
            keys.extend(domain::i18n::SERVER_KEYS.iter().map(|k| k.to_string()));
            keys.sort();
            keys.dedup();
            keys
        }
    };
}

texts! {
    plain {
        history_converted, history_partner_admin_seat, history_link_revoked, history_kept_billing,
        language, error_unauthorized, error_bad_credentials, error_csrf, error_conflict, error_invalid_state,
        error_too_many_requests, error_internal, input_asset_name, input_date_range, input_person_name,
        input_search_length, input_email_empty, input_email_too_long, input_email_malformed,
        app_name, skip_to_content, loading, close, cancel, back, next, done, sign_in_title, sign_in_intro,
        email, password, sign_in, signing_in, sign_out, signed_out, session_ended, main_navigation,
        switch_account, partner_account, customer_account, nav_partner, nav_settings, client_access_manager,
        users_and_teams, notifications_region, error_title, forbidden_title, not_found_title, not_found_text,
        go_home, try_again, network_error, home_cam_text, home_users_text, home_nothing, no_accounts,
        tab_clients, tab_employees, search_clients, search_employees, search_users, access_types, col_client,
        col_your_access, col_partner_employees, col_relationship, col_name, col_email, col_clients,
        col_status, col_permission_set, col_seat, col_last_activity, col_assets, col_role, col_partner,
        actions, details, no_clients, no_employees, no_users, no_partner_employees, verified_domain, managed,
        never, super_admin, no_permission_set, previous_page, next_page, pagination, sorted_ascending,
        sorted_descending, back_to_clients, pricing_seat_based, pricing_classic, partner_employees_heading,
        seat_based_note, pricing, last_partner_activity_label, enter_password, keep_one_access_type,
        search_accounts, breadcrumb, get_access_link, copy_access_link, your_access_link, access_link_intro,
        access_link_label, copy_link, copied, copy_failed, regenerate_link, regenerate_confirm,
        link_regenerated, back_to_employees, access_invalid_title, access_invalid_text, access_request_text,
        sign_in_to_respond, approve, choose_account_title, account, no_eligible_accounts,
        already_partner_admin, already_user, convert_hint, grant_access, granting, granted_title,
        comparison_caption, capability, notifications, select_all, add_employees, employees_label,
        permission_set, already_in_client, change_to_partner_admin, migrate_intro, keep_billing,
        keep_billing_hint, confirm, migrated, change_permission_set, perms_added, perms_removed, perms_kept,
        perms_not_granted, grant_preview, grant_rule_why, nothing, set_changed, deactivate, reactivate,
        remove_partner_employee, remove_review, no_assets, assets_unassigned, confirm_removal, link_clients,
        link_intro, client_label, choose_client, nothing_to_link, linked_toast, remove_from_clients,
        step_choose_clients, step_review, not_in_any_client, removing, tab_history, billing, super_admins,
        scim, data_centre, billing_contact, save, saved, generate_token, token_once, scim_off,
        make_super_admin, remove_super_admin, create_user, step_email, step_access, start_with_template,
        restrict_with_set, choose_template, no_template, name_label, name_hint, template_needs_partner_seat,
        template_not_eligible, assign_partner_seat, user_created, assign_seat, seat_assigned, remove,
        comparison_title, partner_users, assets, crm, add_permissions, edit_permissions, remove_permissions,
        paid_features, search_assets, owner, any_owner, no_owner, kind, new_asset, edit_asset, asset_saved,
        no_assets_found, own_users, all_roles, all_seats, all_users, history, export_csv, col_when, col_actor,
        col_account, col_target, col_action, col_change, all_actions, date_from, date_to, filter_actor,
        filter_target, no_history, no_notifications, yes, no, no_billing_if_kept, yes_not_seat_based,
    }
    arrays {
        comparison_super_admin = [yes, yes, yes, no, yes];
        comparison_partner_admin = [yes, no_billing_if_kept, yes_not_seat_based, yes, no];
        permission_labels = [perm_contacts_view, perm_contacts_edit, perm_contacts_delete, perm_companies_view, perm_companies_edit, perm_companies_delete, perm_deals_view, perm_deals_edit, perm_deals_delete, perm_tickets_view, perm_tickets_edit, perm_tickets_delete, perm_marketing_view, perm_marketing_edit, perm_marketing_publish, perm_sales_tools, perm_sales_forecast, perm_service_tools, perm_knowledge_base, perm_reports_view, perm_reports_edit, perm_workflows_view, perm_workflows_edit, perm_website_view, perm_website_edit, perm_website_publish, perm_account_settings, perm_users_edit, perm_billing, perm_app_marketplace, perm_partner_employees_edit, perm_super_admins_manage, perm_scim_provisioning, perm_data_centre_migration];
        group_labels = [group_crm, group_marketing, group_sales_tools, group_service_tools, group_reports, group_automation, group_website, group_account, group_partner, group_super_admin_only];
        set_names = [set_partner_admin, set_sales, set_marketing, set_service, set_view_only];
        refusals = [refusal_super_admins_only, refusal_already_super_admin, refusal_not_super_admin, refusal_last_super_admin, refusal_last_super_admin_migrate, refusal_no_links_for_program, refusal_approver_not_allowed, refusal_already_partner_admin, refusal_already_user_convert, refusal_convert_super_admin_only, refusal_set_of_partner_super_admin, refusal_set_of_super_admin, refusal_migrate_not_allowed, refusal_migrate_not_partner_employee, refusal_super_admin_protected, refusal_billing_closed, refusal_scim_super_admin_only, refusal_migration_super_admin_only, refusal_cam_partner_only, refusal_cam_not_allowed, refusal_partner_admin_needed, refusal_already_user_named, refusal_already_active, refusal_already_deactivated, refusal_nothing_to_link, refusal_already_linked, refusal_linked_elsewhere, refusal_partner_seat_partner_only, refusal_template_partner_only, refusal_template_program, refusal_template_needs_seat, refusal_users_edit_needed, refusal_asset_edit_needed, refusal_history_admins_only];
        comparison_capabilities = [cmp_elevated, cmp_full_admin, cmp_paid_features, cmp_multi_account, cmp_scim_migration];
        data_centre_names = [data_centre_eu, data_centre_us, data_centre_ap];
        paid_feature_names = [paid_sales, paid_service];
        asset_kinds = [asset_kind_contact, asset_kind_company, asset_kind_deal, asset_kind_ticket, asset_kind_workflow, asset_kind_report, asset_kind_dashboard];
        action_labels = [action_employee_added, action_permission_set_changed, action_seat_changed, action_deactivated, action_reactivated, action_removed, action_migrated_to_partner_admin, action_client_linked, action_access_link_approved, action_access_link_regenerated, action_user_created, action_super_admin_granted, action_super_admin_revoked, action_denied];
        access_labels = [access_partner_admin, access_super_admin, access_other_set, access_deactivated, access_none];
        status_labels = [status_active, status_deactivated];
        seat_labels = [seat_none, seat_core, seat_sales, seat_service, seat_partner];
    }
    templates {
        notification_link_approved_title(account);
        notification_link_approved_body(account, partner);
        step_of(step, steps);
        switched_to(name);
        home_welcome(name);
        actions_for(name);
        active_of(active, total);
        ended(date);
        page_of(page, pages);
        official_name(name);
        your_access_here(access);
        search_in(what);
        access_link_for(name);
        access_request_title(employee, partner);
        convert_existing(name);
        granted_text(employee, account);
        approval_preview_title(account);
        select_row(name);
        add_employees_to(client);
        left_out(list);
        change_to_partner_admin_for(name);
        change_permission_set_for(name);
        deactivated_toast(name);
        reactivated_toast(name);
        link_clients_for(name);
        remove_from_clients_for(name);
        scim_on(date);
        already_user_here(email);
        remove_user_confirm(name);
        user_removed(name);
        partner_badge(partner);
        edit_permissions_for(name);
        perms_change(added, removed);
    }
    plurals {
        history_assets_unowned();
        added_employees();
        ending(date);
        notifications_unread();
        remove_from_n_clients();
        removed_toast();
        results();
        will_get();
    }
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

    /// The name of a permission.
    pub fn permission(&self, p: domain::Permission) -> &'static str {
        label(&self.permission_labels, domain::Permission::ALL, p)
    }

    /// The name of a permission group.
    pub fn group(&self, g: domain::PermissionGroup) -> &'static str {
        label(&self.group_labels, domain::PermissionGroup::ALL, g)
    }

    /// The name of a standard permission set.
    pub fn standard_set(&self, s: domain::StandardSet) -> &'static str {
        label(&self.set_names, domain::StandardSet::ALL, s)
    }

    /// A set's name as the server sends it: a standard set's (English) name
    /// in the user's language, an account's own set as it was named.
    pub fn set_name(&self, name: &str) -> String {
        match domain::StandardSet::ALL.iter().find(|s| s.name() == name) {
            Some(s) => self.standard_set(*s).to_string(),
            None => name.to_string(),
        }
    }

    /// A refusal in the user's language, naming its rule.
    pub fn refusal(&self, r: &domain::Refusal) -> String {
        let params: Vec<(&str, String)> = r.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        format!("{} ({})", fill(label(&self.refusals, domain::Reason::ALL, r.reason), &params), r.rule.name())
    }

    /// An error answer of the API in the user's language: a refusal by its
    /// reason and rule, anything else by its code; the server's English
    /// sentence only for a code this version does not know.
    pub fn api_error(&self, e: &domain::api::ErrorDetail) -> String {
        let params: Vec<(&str, String)> = e.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let reason = e.reason.as_deref().unwrap_or("");
        if let Some(i) = domain::Reason::ALL.iter().position(|r| r.key() == reason) {
            let text = fill(self.refusals[i], &params);
            return match &e.rule {
                Some(rule) => format!("{text} ({rule})"),
                None => text,
            };
        }
        let by_reason = match reason {
            "input_asset_name" => Some(self.input_asset_name),
            "input_date_range" => Some(self.input_date_range),
            "input_person_name" => Some(self.input_person_name),
            "input_search_length" => Some(self.input_search_length),
            _ => None,
        };
        let by_code = match e.code.as_str() {
            "unauthorized" => Some(self.error_unauthorized),
            "bad_credentials" => Some(self.error_bad_credentials),
            "csrf" => Some(self.error_csrf),
            "not_found" => Some(self.not_found_text),
            "link_invalid" => Some(self.access_invalid_text),
            "conflict" => Some(self.error_conflict),
            "invalid_state" => Some(self.error_invalid_state),
            "too_many_requests" => Some(self.error_too_many_requests),
            "internal" => Some(self.error_internal),
            "network" => Some(self.network_error),
            _ => None,
        };
        match by_reason.or(by_code) {
            Some(text) => fill(text, &params),
            None => e.message.clone(),
        }
    }

    /// Why an email address cannot be taken.
    pub fn email_error(&self, e: &domain::email::EmailError) -> &'static str {
        match e {
            domain::email::EmailError::Empty => self.input_email_empty,
            domain::email::EmailError::TooLong => self.input_email_too_long,
            domain::email::EmailError::Malformed => self.input_email_malformed,
        }
    }
}

fn label<T: PartialEq>(labels: &[&'static str], all: &[T], value: T) -> &'static str {
    all.iter().position(|v| *v == value).and_then(|i| labels.get(i)).copied().unwrap_or("")
}

static TEXTS: OnceLock<Strings> = OnceLock::new();

/// The texts of the user's language ([`install`]ed at start, before any
/// screen is shown).
pub fn t() -> &'static Strings {
    TEXTS.get_or_init(english)
}

/// Installs the texts every view reads; the first call wins.
pub fn install(strings: Strings) {
    let _ = TEXTS.set(strings);
}

/// The English texts (native builds: tests; the browser fetches them like
/// any other language).
#[cfg(not(target_arch = "wasm32"))]
pub fn english() -> Strings {
    from_json(Lang::En, include_str!("../locales/en.json"))
}

/// In the browser nothing is shown before [`load`] installed the texts.
#[cfg(target_arch = "wasm32")]
fn english() -> Strings {
    from_json(Lang::En, "{}")
}

/// A language's texts from its catalogue's JSON text (a text it lacks
/// shows its key; the catalogue tests keep every language complete).
pub fn from_json(lang: Lang, json: &str) -> Strings {
    let own = catalogue::parse(json);
    Strings::load(lang, &|k| catalogue::get(&own, k))
}

/// The language this page is shown in: the one chosen in this browser (a
/// cookie, which the server reads too), else the first of the browser's
/// preferred languages the product has (`Lang::for_request`, as the server
/// decides which texts to send along with the page).
#[cfg(target_arch = "wasm32")]
fn browser_lang() -> Lang {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return Lang::En };
    let document = window.document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
    let cookies = document.and_then(|d| d.cookie().ok()).unwrap_or_default();
    let chosen = cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == domain::i18n::LANG_COOKIE)
        .map(|(_, value)| value.to_string());
    let preferred: Vec<String> = window.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    Lang::for_request(chosen.as_deref(), &preferred.join(","))
}

/// Chooses the language, installs its texts from its catalogue (already on
/// its way: the server asks for it with the page) and sets `<html lang>`;
/// English if that catalogue cannot be had.
#[cfg(target_arch = "wasm32")]
pub async fn load() {
    let lang = browser_lang();
    let strings = match fetch_catalogue(lang).await {
        Some(json) => from_json(lang, &json),
        None => match fetch_catalogue(Lang::En).await {
            Some(json) => from_json(Lang::En, &json),
            // Without any texts the screens show their keys; the first
            // request tells the person the server cannot be reached.
            None => from_json(Lang::En, "{}"),
        },
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", strings.lang.tag());
        }
        document.set_title(strings.app_name);
    }
    install(strings);
}

/// Native builds (tests) show English.
#[cfg(not(target_arch = "wasm32"))]
pub async fn load() {
    install(english());
}

#[cfg(target_arch = "wasm32")]
async fn fetch_catalogue(lang: Lang) -> Option<String> {
    let res = gloo_net::http::Request::get(&format!("/locales/{}.json", lang.tag())).send().await.ok()?;
    if !res.ok() {
        return None;
    }
    res.text().await.ok()
}

/// Keeps `lang` as this browser's language (a year) and shows the page
/// again in it.
#[cfg(target_arch = "wasm32")]
fn reload_in(lang: Lang) {
    use wasm_bindgen::JsCast;
    let document =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
    if let Some(document) = document {
        let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", domain::i18n::LANG_COOKIE, lang.tag());
        let _ = document.set_cookie(&cookie);
    }
    crate::entry::reload();
}

/// Switches to the language a signed-in user chose elsewhere; whether the
/// page is reloading for it.
pub fn follow(user_lang: Option<Lang>) -> bool {
    let Some(lang) = user_lang.filter(|l| *l != t().lang) else { return false };
    #[cfg(target_arch = "wasm32")]
    reload_in(lang);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = lang;
    true
}

/// The language menu's choice: kept in this browser and, for a signed-in
/// user, on the server (for their emails and other browsers); then the
/// page is shown again in it.
pub fn choose(lang: Lang, signed_in: bool) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(async move {
        if signed_in {
            let _ = crate::api::session::set_language(lang).await;
        }
        reload_in(lang);
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (lang, signed_in);
}

/// Reading a catalogue: by the browser's `JSON.parse` in the browser, by
/// serde_json in native tests.
mod catalogue {
    #[cfg(target_arch = "wasm32")]
    pub type Parsed = wasm_bindgen::JsValue;
    #[cfg(not(target_arch = "wasm32"))]
    pub type Parsed = serde_json::Value;

    #[cfg(target_arch = "wasm32")]
    pub fn parse(json: &str) -> Parsed {
        js_sys::JSON::parse(json).unwrap_or(wasm_bindgen::JsValue::NULL)
    }
    #[cfg(target_arch = "wasm32")]
    pub fn get(parsed: &Parsed, key: &str) -> Option<String> {
        js_sys::Reflect::get(parsed, &wasm_bindgen::JsValue::from_str(key)).ok().and_then(|v| v.as_string())
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(json: &str) -> Parsed {
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
    }
    #[cfg(not(target_arch = "wasm32"))]
    pub fn get(parsed: &Parsed, key: &str) -> Option<String> {
        parsed.get(key).and_then(|v| v.as_str()).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn catalogue(lang: Lang) -> BTreeMap<String, String> {
        let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a flat JSON object of texts: {e}"))
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split("{{").skip(1).filter_map(|s| s.split_once("}}")).map(|(name, _)| name.to_string()).collect()
    }

    /// The key a plural form shares its parameters with in English.
    fn english_key(key: &str, en: &BTreeMap<String, String>) -> String {
        for suffix in ["_one", "_few", "_many", "_other"] {
            if let Some(base) = key.strip_suffix(suffix) {
                if en.contains_key(&format!("{base}_other")) {
                    return format!("{base}_other");
                }
            }
        }
        key.to_string()
    }

    #[test]
    fn every_language_has_every_key_and_no_other() {
        for lang in Lang::ALL {
            let have: BTreeSet<String> = catalogue(*lang).into_keys().collect();
            let want: BTreeSet<String> = expected_keys(*lang).into_iter().collect();
            let missing: Vec<_> = want.difference(&have).collect();
            let extra: Vec<_> = have.difference(&want).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn every_text_has_the_parameters_of_its_english_text() {
        let en = catalogue(Lang::En);
        for lang in Lang::ALL {
            for (key, text) in catalogue(*lang) {
                assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
                let english = &en[&english_key(&key, &en)];
                assert_eq!(placeholders(&text), placeholders(english), "{lang}: {key} = {text:?}");
            }
        }
    }

    /// Texts that are the same in English and another language on purpose:
    /// names of products and seats, and words the languages share.
    fn same_on_purpose(lang: Lang, text: &str) -> bool {
        const EVERYWHERE: &[&str] =
            &["Client Access Manager", "CRM", "Core", "Sales", "Service", "+{{added}} / −{{removed}}"];
        let shared: &[&str] = match lang {
            Lang::Sv => &["Partner", "Status", "Partner: {{partner}}"],
            Lang::Pl => &["Partner", "Marketing", "Partner: {{partner}}"],
            _ => &[],
        };
        EVERYWHERE.contains(&text) || shared.contains(&text)
    }

    #[test]
    fn no_english_is_left_untranslated() {
        let en = catalogue(Lang::En);
        // Words of English that none of the other languages uses ("to" is
        // Polish, so it is not among them).
        const ENGLISH: &[&str] = &["the", "you", "your", "and", "with", "this", "of", "is", "are", "not"];
        for lang in Lang::ALL.iter().filter(|l| **l != Lang::En) {
            for (key, text) in catalogue(*lang) {
                let english = &en[&english_key(&key, &en)];
                assert!(text != *english || same_on_purpose(*lang, &text), "{lang}: {key} is still English: {text:?}");
                let words = text.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase);
                for word in words {
                    assert!(!ENGLISH.contains(&word.as_str()), "{lang}: {key} has the English word {word:?}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn plural_texts_follow_each_languages_forms() {
        let fi = from_json(Lang::Fi, &std::fs::read_to_string("locales/fi.json").unwrap());
        assert_eq!(fi.results(1u64), "1 tulos");
        assert_eq!(fi.results(2u64), "2 tulosta");
        let pl = from_json(Lang::Pl, &std::fs::read_to_string("locales/pl.json").unwrap());
        // Polish: 1 klient, 2–4 klientów… as CLDR's one / few / many.
        let cases = [
            (1u64, "Usuń z 1 klienta"),
            (2, "Usuń z 2 klientów"),
            (5, "Usuń z 5 klientów"),
            (22, "Usuń z 22 klientów"),
        ];
        for (n, want) in cases {
            assert_eq!(pl.remove_from_n_clients(n), want);
        }
        let days = [
            (1u64, "został 1 dzień"),
            (3, "zostały 3 dni"),
            (5, "zostało 5 dni"),
            (12, "zostało 12 dni"),
            (24, "zostały 24 dni"),
        ];
        for (n, want) in days {
            let text = pl.ending(n, "1.12.2026");
            assert!(text.ends_with(want), "{n}: {text}");
        }
        assert_eq!(pl.results(1u64), "1 wynik");
        assert_eq!(pl.results(3u64), "3 wyniki");
        assert_eq!(pl.results(7u64), "7 wyników");
        assert_eq!(pl.results(113u64), "113 wyników");
        let zh = from_json(Lang::ZhCn, &std::fs::read_to_string("locales/zh-CN.json").unwrap());
        assert_eq!(zh.results(1u64), "1 条结果");
        let en = english();
        assert_eq!(en.results(1u64), "1 result");
        assert_eq!(en.results(0u64), "0 results");
        assert_eq!(en.step_of(2usize, 3usize), "Step 2 of 3");
    }

    #[test]
    fn refusals_are_worded_with_their_rule_and_parameters() {
        let fi = from_json(Lang::Fi, &std::fs::read_to_string("locales/fi.json").unwrap());
        let r = domain::rules::Refusal {
            rule: domain::Rule::R4,
            kind: domain::rules::RefusalKind::Conflict,
            reason: domain::Reason::AlreadyUserNamed,
            params: vec![("name".into(), "Aino".into())],
        };
        assert_eq!(fi.refusal(&r), "Aino on jo tämän tilin käyttäjä (R4)");
        let detail = domain::api::ErrorDetail {
            code: "too_many_requests".into(),
            params: [("seconds".to_string(), "30".to_string())].into(),
            ..Default::default()
        };
        assert_eq!(fi.api_error(&detail), "Liian monta yritystä. Yritä uudelleen 30 sekunnin kuluttua.");
    }
}
