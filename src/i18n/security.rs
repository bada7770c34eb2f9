//! The texts of the sign-in security pages (`security.html`, R20) only:
//! their own catalogue, `locales/security/<tag>.json`, which only that page
//! downloads (beside the shared one, for the frame and its errors), so the
//! other pages carry none of these words. Listed once, with [`texts!`], as
//! the shared catalogue is.

use super::args::{leak, Plural};
use super::{Arg, Count};
use domain::i18n::{fill, Lang};
use std::sync::OnceLock;

texts! {
    plain {
        sec_title, sec_intro, required_banner, authenticator_app, authenticator_hint, not_set_up,
        set_up_authenticator, scan_qr, qr_label, setup_key, code_label, code_hint, confirm_code, passkeys,
        passkeys_hint, add_passkey, no_passkeys, passkeys_unsupported, passkey_name, recovery_codes, recovery_intro,
        download_codes, saved_codes, new_codes, new_codes_hint, remove_factor_title, current_code_hint,
        factor_added, factor_removed, verify_title, verify_intro, verify, use_passkey, code_invalid, codes_made,
        account_security, require_title, require_nobody, require_everyone, require_partner_people,
        require_employees, require_hint, members_factors, col_second_factor, has_factor, no_factor,
        reset_factors, reset_text, reset_not_allowed, no_choice, continue_on, passkey_failed, your_accounts,
        your_accounts_hint, super_admins_only,
    }
    arrays {}
    templates {
        added_on(date);
        reset_title(name);
        reset_done(name);
        remove_named(name);
    }
    plurals {
        codes_left();
    }
}

static TEXTS: OnceLock<Strings> = OnceLock::new();

/// The security pages' texts in the user's language.
pub fn st() -> &'static Strings {
    TEXTS.get_or_init(|| Strings::load(Lang::En, Vec::new()))
}

/// Loads this page's own texts (after the shared ones, in their language).
#[cfg(target_arch = "wasm32")]
pub async fn load() {
    if TEXTS.get().is_some() {
        return;
    }
    let (lang, values) = super::own_values("security").await;
    let _ = TEXTS.set(Strings::load(lang, values));
}

/// Native builds (tests) read the English file.
#[cfg(not(target_arch = "wasm32"))]
pub async fn load() {
    let _ = TEXTS.set(from_file(Lang::En, include_str!("../../locales/security/en.json")));
}

/// A language's texts from its file as translators keep it (by key).
#[cfg(not(target_arch = "wasm32"))]
pub fn from_file(lang: Lang, json: &str) -> Strings {
    Strings::load(lang, super::own_values_of(json, &catalogue_keys(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_security_catalogue_is_complete_and_in_order() {
        super::super::tests::own_catalogue_is_complete("security", catalogue_keys);
        let s = from_file(Lang::En, include_str!("../../locales/security/en.json"));
        assert_eq!(s.codes_left(1u32), "1 recovery code left");
        assert_eq!(s.reset_title("Cleo Park"), "Reset Cleo Park's second factors?");
    }
}
