//! The browser's side of a passkey ceremony: the server's options (JSON)
//! are read with `PublicKeyCredential.parse…OptionsFromJSON`, given to
//! `navigator.credentials`, and the credential goes back as its `toJSON()`.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

fn get(on: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(on, &JsValue::from_str(key))
}

/// Whether this browser can use passkeys (and read their options as JSON).
pub fn supported() -> bool {
    let Some(window) = web_sys::window() else { return false };
    get(&window, "PublicKeyCredential")
        .and_then(|p| get(&p, "parseRequestOptionsFromJSON"))
        .is_ok_and(|f| f.is_function())
}

/// Runs `navigator.credentials.<method>` with the server's `options`
/// (parsed by `PublicKeyCredential.<parse>`); the credential as JSON text.
async fn ceremony(method: &str, parse: &str, options: &str) -> Result<String, JsValue> {
    let window: JsValue = web_sys::window().ok_or(JsValue::NULL)?.into();
    let public_key = get(&JSON::parse(options)?, "publicKey")?;
    let class = get(&window, "PublicKeyCredential")?;
    let parsed = get(&class, parse)?.dyn_into::<Function>()?.call1(&class, &public_key)?;
    let request = Object::new();
    Reflect::set(&request, &JsValue::from_str("publicKey"), &parsed)?;
    let credentials = get(&get(&window, "navigator")?, "credentials")?;
    let promise = get(&credentials, method)?.dyn_into::<Function>()?.call1(&credentials, &request)?;
    let credential = wasm_bindgen_futures::JsFuture::from(promise.dyn_into::<Promise>()?).await?;
    let json = get(&credential, "toJSON")?.dyn_into::<Function>()?.call0(&credential)?;
    JSON::stringify(&json)?.as_string().ok_or(JsValue::NULL)
}

/// Creates a passkey with the server's registration options.
pub async fn create(options: &str) -> Option<String> {
    ceremony("create", "parseCreationOptionsFromJSON", options).await.ok()
}

/// Signs with a passkey for the server's sign-in options.
pub async fn sign(options: &str) -> Option<String> {
    ceremony("get", "parseRequestOptionsFromJSON", options).await.ok()
}
