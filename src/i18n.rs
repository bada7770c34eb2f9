//! The translation layer: every user-visible text of the app, in the
//! user's language. The texts of each language live in
//! `locales/<tag>.json` (i18next JSON v4: plural forms as `key_one`,
//! `key_few`, `key_many`, `key_other`; parameters as `{{name}}`), the format
//! translators' tools read. A page fetches its own language's file only
//! ([`language`] chooses and loads it). [`texts!`] lists every text once:
//! the [`Strings`] fields and methods the views use, and the keys a
//! catalogue must have, in their order ([`catalogue_keys`]), which a test
//! checks against every file. The browser gets a catalogue's values alone
//! (`scripts/pack-catalogues.mjs` drops the keys at build time) and reads
//! them by position.

mod args;
pub mod intl;
mod labels;
mod language;
#[cfg(test)]
mod tests;

pub use args::{Arg, Count};
pub use language::load;

use args::{leak, Plural};
use domain::i18n::{fill, Lang};
use language::catalogue;
use std::sync::OnceLock;

macro_rules! texts {
    (
        plain { $($p:ident),* $(,)? }
        arrays { $($a:ident = [$($ak:ident),* $(,)?];)* }
        templates { $($f:ident ( $($fa:ident),* );)* }
        plurals { $($q:ident ( $($qa:ident),* );)* }
    ) => {
        /// The single texts of a language (a field each) and its
        /// templates' raw texts, in catalogue order.
        #[repr(C)]
        pub struct Texts {
            $(pub $p: &'static str,)*
            $(pub $a: [&'static str; [$(stringify!($ak)),*].len()],)*
            $($f: &'static str,)*
        }

        /// How many single texts [`Texts`] holds: a catalogue's first values.
        const TEXT_COUNT: usize = [$(stringify!($p),)* $($(stringify!($ak),)*)* $(stringify!($f),)*].len();

        /// The catalogue keys of [`Texts`]' fields, in field order. Native
        /// builds only: the browser reads a catalogue by position.
        #[cfg(not(target_arch = "wasm32"))]
        const TEXT_KEYS: [&str; TEXT_COUNT] = [$(stringify!($p),)* $($(stringify!($ak),)*)* $(stringify!($f),)*];

        /// The names of the plural texts, which follow the single texts in a
        /// catalogue, each with its language's forms.
        #[cfg(not(target_arch = "wasm32"))]
        const PLURAL_KEYS: &[&str] = &[$(stringify!($q)),*];

        // `Texts` is exactly one `&str` per key: what `Texts::read` relies on.
        const _: () = assert!(std::mem::size_of::<Texts>() == TEXT_COUNT * std::mem::size_of::<&str>());

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

            /// Reads a language's texts from its catalogue's values in
            /// catalogue order ([`catalogue_keys`]); a missing value is empty.
            fn load(lang: Lang, values: Vec<String>) -> Strings {
                let mut values = values.into_iter();
                let mut next = move || leak(values.next().unwrap_or_default());
                let texts: Vec<&'static str> = (0..TEXT_COUNT).map(|_| next()).collect();
                let mut plural = || {
                    let mut forms = Plural::default();
                    for category in lang.plural_categories() {
                        forms.set(*category, next());
                    }
                    forms
                };
                Strings { lang, texts: Texts::read(texts), $($q: plural(),)* }
            }
        }

        impl Texts {
            /// The texts from their values in catalogue order: one loop
            /// instead of code for each of several hundred fields.
            fn read(values: Vec<&'static str>) -> Texts {
                assert_eq!(values.len(), TEXT_COUNT);
                let values = values.into_boxed_slice();
                // SAFETY: `Texts` is `repr(C)` and made of `&'static str`
                // fields and arrays of them only, so it has the layout of
                // `[&'static str; TEXT_COUNT]` (checked at compile time
                // above); `values` holds exactly that many, aligned for
                // `&str`. The copy holds the same `&'static str`s; dropping
                // `values` then frees only its own buffer.
                unsafe { std::ptr::read(values.as_ptr().cast::<Texts>()) }
            }
        }

        /// A language's catalogue keys in catalogue order: the single texts
        /// in [`Texts`]' field order, then each plural text's forms in the
        /// language's order. The files keep this order (a test checks it),
        /// so the browser gets their values alone, by position.
        #[cfg(not(target_arch = "wasm32"))]
        pub fn catalogue_keys(lang: Lang) -> Vec<String> {
            let mut keys: Vec<String> = TEXT_KEYS.iter().map(|k| k.to_string()).collect();
            for plural in PLURAL_KEYS {
                for category in lang.plural_categories() {
                    keys.push(format!("{plural}_{}", category.suffix()));
                }
            }
            keys
        }
    };
}

pub mod security;

texts! {
    plain {
        history_converted, history_partner_admin_seat, history_link_revoked, history_kept_billing, col_when, col_actor, col_account, col_target, col_action, col_change, all_actions, date_from, date_to, filter_actor, filter_target, no_history, history_no_end,
        language, error_unauthorized, error_bad_credentials, error_csrf, error_conflict, error_invalid_state,
        error_too_many_requests, error_internal, input_asset_name, input_date_range, input_person_name,
        input_search_length, input_email_empty, input_email_too_long, input_email_malformed,
        app_name, skip_to_content, loading, close, cancel, back, next, done, sign_in_title, sign_in_intro,
        email, password, sign_in, signing_in, sign_out, signed_out, menu, main_navigation,
        switch_account, partner_account, customer_account, nav_partner, nav_settings, client_access_manager,
        users_and_teams, notifications_region, error_title, forbidden_title, not_found_title, not_found_text,
        go_home, try_again, network_error, home_nothing, no_accounts,
        tab_clients, tab_employees, search_clients, search_employees, search_users, access_types, col_client,
        col_your_access, col_partner_employees, col_relationship, col_name, col_email, col_clients,
        col_status, col_permission_set, col_seat, col_last_activity, col_assets, col_role, col_partner,
        actions, details, no_clients, no_employees, no_users, no_partner_employees, verified_domain, managed,
        never, super_admin, no_permission_set, previous_page, next_page, pagination,         back_to_clients, pricing_seat_based, pricing_classic, partner_employees_heading,
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
        remove_partner_employee, no_assets, confirm_removal, link_clients,
        link_intro, client_label, choose_client, nothing_to_link, linked_toast, remove_from_clients,
        step_choose_clients, step_review, not_in_any_client, removing, tab_history, billing, super_admins,
        scim, data_centre, billing_contact, save, saved, generate_token, token_once, scim_off,
        make_super_admin, remove_super_admin, create_user, step_email, step_access, start_with_template,
        restrict_with_set, choose_template, no_template, name_label, name_hint, template_needs_partner_seat,
        template_not_eligible, assign_partner_seat, user_created, assign_seat, seat_assigned, remove,
        comparison_title, partner_users, assets, crm, add_permissions, edit_permissions, remove_permissions,
        paid_features, search_assets, owner, any_owner, no_owner, kind, new_asset, edit_asset, asset_saved,
        no_assets_found, own_users, all_roles, all_seats, all_users, history, export_csv, no_notifications, yes, no, no_billing_if_kept, yes_not_seat_based,
        access_ends, no_end_date, on_a_date, end_date_label, ends_hint, end_date_saved, col_access_ends,
        ending_within_30, change_end_date, suspended_by_client, clients_heading, permissions_to_grant,
        narrow_hint, tick_all, you_lack, partner_access, partner_access_intro, no_partners, suspend_access,
        resume_access, remove_people, access_on, suspended_note, tab_review, tab_coverage,
        search_review, review_filter, bulk_work, selection, clear_selection, col_employee, col_access,
        col_idle_days, never_active, no_review_rows, bulk_deactivate_title, bulk_remove_title, starting,
        per_row_statement, per_client_statement, bulk_chosen, bulk_will_change, bulk_refused, bulk_done_count,
        bulk_not_reached, col_outcome, will_deactivate, will_remove, will_change, not_done, unknown_row, no_jobs,
        col_work, col_started, job_deactivate, job_remove, job_running, job_done, job_failed, progress,
        job_leave_hint, summary, job_failed_text, only_not_done, job_report, no_results_yet, job_done_row, legend,
        employee_columns, previous_employees, next_employees, back_to_employee, add_to_clients,
        change_set_in_clients, decline, declined_title, not_you,
        decline_reason_label, decline_request, open_partner_access,
        col_next_end, col_adding, can_add, cannot_add, not_linked, active_only_hint, end_date_missing,
        ceiling, no_ceiling, relationship_ends, set_ceiling, remove_ceiling, change_relationship_end,
        ceiling_intro, chosen_permissions, nobody_loses, ceiling_saved, perms_above_ceiling, standard_sets, account_sets,
        relationship_ending_30, second_factor_on,
    }
    arrays {
        action_labels = [action_employee_added, action_permission_set_changed, action_seat_changed, action_deactivated, action_reactivated, action_removed, action_migrated_to_partner_admin, action_client_linked, action_access_link_approved, action_access_link_declined, action_access_link_regenerated, action_user_created, action_super_admin_granted, action_super_admin_revoked, action_end_date_changed, action_access_ended, action_partner_suspended, action_partner_resumed, action_ceiling_set, action_ceiling_lowered, action_ceiling_raised, action_ceiling_removed, action_relationship_end_set, action_relationship_end_moved, action_relationship_end_removed, action_second_factor_added, action_second_factor_removed, action_recovery_code_used, action_second_factors_reset, action_second_factor_required, action_denied];
        permission_labels = [perm_contacts_view, perm_contacts_edit, perm_contacts_delete, perm_companies_view, perm_companies_edit, perm_companies_delete, perm_deals_view, perm_deals_edit, perm_deals_delete, perm_tickets_view, perm_tickets_edit, perm_tickets_delete, perm_marketing_view, perm_marketing_edit, perm_marketing_publish, perm_sales_tools, perm_sales_forecast, perm_service_tools, perm_knowledge_base, perm_reports_view, perm_reports_edit, perm_workflows_view, perm_workflows_edit, perm_website_view, perm_website_edit, perm_website_publish, perm_account_settings, perm_users_edit, perm_billing, perm_app_marketplace, perm_partner_employees_edit, perm_super_admins_manage, perm_scim_provisioning, perm_data_centre_migration];
        group_labels = [group_crm, group_marketing, group_sales_tools, group_service_tools, group_reports, group_automation, group_website, group_account, group_partner, group_super_admin_only];
        set_names = [set_partner_admin, set_sales, set_marketing, set_service, set_view_only];
        refusals = [refusal_super_admins_only, refusal_already_super_admin, refusal_not_super_admin, refusal_last_super_admin, refusal_last_super_admin_migrate, refusal_no_links_for_program, refusal_approver_not_allowed, refusal_already_partner_admin, refusal_already_user_convert, refusal_convert_super_admin_only, refusal_set_of_partner_super_admin, refusal_set_of_super_admin, refusal_migrate_not_allowed, refusal_migrate_not_partner_employee, refusal_super_admin_protected, refusal_billing_closed, refusal_scim_super_admin_only, refusal_migration_super_admin_only, refusal_cam_partner_only, refusal_cam_not_allowed, refusal_partner_admin_needed, refusal_already_user_named, refusal_already_active, refusal_already_deactivated, refusal_nothing_to_link, refusal_already_linked, refusal_linked_elsewhere, refusal_partner_seat_partner_only, refusal_template_partner_only, refusal_template_program, refusal_template_needs_seat, refusal_users_edit_needed, refusal_asset_edit_needed, refusal_history_admins_only, refusal_end_not_in_future, refusal_end_too_far, refusal_narrow_beyond_set, refusal_narrow_nothing, refusal_partner_suspended, refusal_already_suspended, refusal_not_suspended, refusal_no_partner_people, refusal_partner_beyond_you, refusal_no_end_date, refusal_not_in_client, refusal_widening_beyond_you, refusal_client_set_end, refusal_end_passed, refusal_deactivated_by_client, refusal_link_super_admin, refusal_client_own_only, refusal_other_partners_people, refusal_access_deactivated, refusal_above_ceiling, refusal_relationship_ended, refusal_ceiling_super_admin, refusal_ceiling_empty];
        review_filter_names = [filter_all, filter_idle30, filter_idle60, filter_idle90, filter_never, filter_ending, filter_deactivated];
        recency_labels = [recency_week, recency_month, recency_quarter, recency_older, recency_never];
        comparison_capabilities = [cmp_elevated, cmp_full_admin, cmp_paid_features, cmp_multi_account, cmp_scim_migration];
        data_centre_names = [data_centre_eu, data_centre_us, data_centre_ap];
        paid_feature_names = [paid_sales, paid_service];
        asset_kinds = [asset_kind_contact, asset_kind_company, asset_kind_deal, asset_kind_ticket, asset_kind_workflow, asset_kind_report, asset_kind_dashboard];
        access_labels = [access_partner_admin, access_super_admin, access_other_set, access_deactivated, access_none];
        status_labels = [status_active, status_deactivated];
        seat_labels = [seat_none, seat_core, seat_sales, seat_service, seat_partner];
    }
    templates {
        history_ends(date);
        perms_change(added, removed);
        step_of(step, steps);
        switched_to(name);
        home_welcome(name);
        actions_for(name);
        active_of(active, total);
        ended(date);
        page_of(page, pages);
        official_name(name);
        search_in(what);
        access_link_for(name);
        access_request_title(employee, partner);
        signed_in_as(name);
        list_and(rest, last);
        loses_access_to(name, clients);
        removed_from_toast(name, clients);
        removed_people_toast(names, client);
        declined_text(employee);
        decline_sentence(employee);
        granted_next(employee);
        grant_sentence(employee, count, total, account, date);
        grant_sentence_no_end(employee, count, total, account);
        permissions_chosen(count, total);
        convert_existing(name);
        granted_text(employee, account);
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
        not_user_here_yet(email);
        name_needed_new(email);
        remove_user_confirm(name);
        user_removed(name);
        edit_permissions_for(name);
        access_ends_on(date);
        change_end_date_for(name);
        partner_suspended_toast(name);
        partner_resumed_toast(name);
        partner_removed_toast(name);
        suspend_title(partner);
        remove_people_title(partner);
        suspended_since(date);
        job_add_to_clients(employee);
        job_change_set(employee);
        job_started_by(name, date);
        progress_of(done, total);
        coverage_cell(employee, access, recency);
        employees_shown(first, last, total);
        add_to_clients_for(name);
        change_set_in_clients_for(name);
        preview_first(shown, total);
        access_of(name);
        ends_date(date);
        ceiling_for(name);
        above_ceiling_list(client, partner, list);
        above_ceiling_of(client, partner);
        of_ceiling(held, total);
    }
    plurals {
        history_assets_unowned();
        lose_access_to(names, client);
        select_all_n();
        job_done_refused();
        added_employees();
        ending(date);
        notifications_unread();
        results();
        will_get();
        in_days();
        days_left();
        suspend_confirm(partner);
        remove_people_confirm(partner);
        n_selected();
        select_all_matching();
        n_clients_chosen();
        assets_left_unowned();
        soonest_of();
        select_all_addable();
        n_cannot_add();
        n_accesses();
        people_outside(total);
    }
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
    from_json(Lang::En, "[]")
}

/// A page's own catalogue (`/locales/<dir>/<tag>.json`, texts only that
/// page shows) in the language the shared texts were loaded in (English
/// when that file cannot be had): its language and values in catalogue
/// order.
#[cfg(target_arch = "wasm32")]
async fn own_values(dir: &str) -> (Lang, Vec<String>) {
    let path = |lang: Lang| format!("/locales/{dir}/{}.json", lang.tag());
    let lang = t().lang;
    let (lang, json) = match language::fetch_text(&path(lang)).await {
        Some(json) => (lang, json),
        None => (Lang::En, language::fetch_text(&path(Lang::En)).await.unwrap_or_default()),
    };
    let values = catalogue::values(lang, &json);
    (lang, values)
}

/// A page's own catalogue file as translators keep it (by key): its values
/// in the order of `keys` (native builds: tests).
#[cfg(not(target_arch = "wasm32"))]
fn own_values_of(json: &str, keys: &[String]) -> Vec<String> {
    let texts: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    keys.iter().map(|k| texts.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string()).collect()
}

/// A language's texts from its catalogue's JSON text: its values in
/// catalogue order (as the browser gets it), or the file as translators
/// keep it (a text it lacks is empty; the catalogue tests keep every
/// language complete).
pub fn from_json(lang: Lang, json: &str) -> Strings {
    Strings::load(lang, catalogue::values(lang, json))
}
