//! Switching the language: kept in this browser (a cookie the server
//! reads too) and, for a signed-in user, on the server; then the page is
//! shown again in it.

use domain::i18n::Lang;

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
    let Some(lang) = user_lang.filter(|l| *l != crate::i18n::t().lang) else { return false };
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
