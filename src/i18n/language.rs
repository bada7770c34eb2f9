//! Which language a page is shown in, and loading its texts (switching
//! is the app's: `state::language`).

#[cfg(not(target_arch = "wasm32"))]
use super::english;
use super::install;
#[cfg(target_arch = "wasm32")]
use {super::from_json, domain::i18n::Lang};

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
            // Without any texts the screens show no words; the first
            // request tells the person the server cannot be reached.
            None => from_json(Lang::En, "[]"),
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
    fetch_text(&format!("/locales/{}.json", lang.tag())).await
}

/// A text file of this site, if it can be had.
#[cfg(target_arch = "wasm32")]
pub(super) async fn fetch_text(path: &str) -> Option<String> {
    let res = gloo_net::http::Request::get(path).send().await.ok()?;
    if !res.ok() {
        return None;
    }
    res.text().await.ok()
}

/// A catalogue's values in catalogue order: a release build's packed file
/// (one text per line, `scripts/pack-catalogues.mjs`) split by the browser,
/// a debug build's file as translators keep it read by `JSON.parse` in its
/// own order; by the keys in native tests.
pub(super) mod catalogue {
    use domain::i18n::Lang;

    #[cfg(target_arch = "wasm32")]
    pub fn values(_lang: Lang, text: &str) -> Vec<String> {
        let values = if text.starts_with('{') {
            let parsed = js_sys::JSON::parse(text).unwrap_or(wasm_bindgen::JsValue::NULL);
            js_sys::Object::values(wasm_bindgen::JsCast::unchecked_ref(&parsed))
        } else {
            js_sys::JsString::from(text).split("\n")
        };
        values.iter().map(|v| v.as_string().unwrap_or_default()).collect()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn values(lang: Lang, json: &str) -> Vec<String> {
        if !json.starts_with('{') {
            return json.split('\n').map(String::from).collect();
        }
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        match serde_json::from_str(json).unwrap_or(serde_json::Value::Null) {
            serde_json::Value::Array(values) => values.iter().map(text).collect(),
            serde_json::Value::Object(texts) => {
                super::super::catalogue_keys(lang).iter().map(|k| texts.get(k).map(text).unwrap_or_default()).collect()
            }
            _ => Vec::new(),
        }
    }
}
