//! JSON over fetch: same-origin cookies, the CSRF header on state-changing
//! requests, and the server's error body turned into [`ApiError`].

use domain::api::{ErrorBody, CSRF_HEADER};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;

thread_local! {
    static CSRF_TOKEN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Remembers the session's CSRF token for later state-changing requests.
pub fn set_csrf_token(token: &str) {
    CSRF_TOKEN.with(|t| *t.borrow_mut() = token.to_string());
}

fn csrf_token() -> String {
    CSRF_TOKEN.with(|t| t.borrow().clone())
}

/// A failed API call: the HTTP status and the server's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// 0 when the server could not be reached.
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// The server could not be reached (or answered something unreadable).
    pub fn network() -> ApiError {
        ApiError { status: 0, code: "network".into(), message: crate::i18n::t().network_error.into() }
    }

    /// Not signed in (or the session ended).
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// What API calls return.
pub type ApiResult<T> = Result<T, ApiError>;

/// The HTTP methods the API uses for changes (reads go through [`get`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

/// The one place that talks to the server: sends `method` (none for a
/// read) to `url` (with the CSRF header and an optional JSON body) and returns the body text of a
/// successful answer, or the server's error. Kept free of generics so that
/// every typed call below costs only its own parsing.
async fn exchange(method: Option<Method>, url: &str, body: Option<String>) -> ApiResult<String> {
    let builder = match method {
        None => return finish(Request::get(url).send().await).await,
        Some(Method::Post) => Request::post(url),
        Some(Method::Put) => Request::put(url),
        Some(Method::Patch) => Request::patch(url),
        Some(Method::Delete) => Request::delete(url),
    };
    let builder = builder.header(CSRF_HEADER, &csrf_token());
    let sent = match body {
        Some(json) => {
            builder.header("content-type", "application/json").body(json).map_err(|_| ApiError::network())?.send().await
        }
        None => builder.send().await,
    };
    finish(sent).await
}

async fn finish(sent: Result<Response, gloo_net::Error>) -> ApiResult<String> {
    let res = sent.map_err(|_| ApiError::network())?;
    // Session answers carry the CSRF token in a header (never in a body
    // that may be compressed); it is kept for later state-changing requests.
    if let Some(token) = res.headers().get(CSRF_HEADER) {
        set_csrf_token(&token);
    }
    let status = res.status();
    let text = res.text().await.map_err(|_| ApiError::network())?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    Err(match from_json::<ErrorBody>(&text) {
        Some(body) => {
            crate::entry::to_security(&body.error.code);
            ApiError { status, message: crate::i18n::t().api_error(&body.error), code: body.error.code }
        }
        None => ApiError { status, code: "unexpected".into(), message: crate::i18n::t().error_title.into() },
    })
}

fn parse<T: DeserializeOwned>(text: ApiResult<String>) -> ApiResult<T> {
    let text = text?;
    // An empty answer (204) reads as JSON `null`, for `Option<()>` callers.
    let text = if text.is_empty() { "null" } else { text.as_str() };
    from_json(text).ok_or_else(ApiError::network)
}

/// `body` as JSON text, written by the browser's own `JSON.stringify`.
fn to_json<B: Serialize>(body: &B) -> Option<String> {
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

/// JSON text read by the browser's own parser, then into `T`.
fn from_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `GET` a JSON resource.
pub async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    parse(exchange(None, url, None).await)
}

/// Sends a JSON body with `method` and reads a JSON answer.
pub async fn send<B: Serialize, T: DeserializeOwned>(method: Method, url: &str, body: &B) -> ApiResult<T> {
    let json = to_json(body).ok_or_else(ApiError::network)?;
    parse(exchange(Some(method), url, Some(json)).await)
}

/// Sends `method` without a body and expects no answer.
pub async fn send_empty(method: Method, url: &str) -> ApiResult<()> {
    exchange(Some(method), url, None).await.map(|_| ())
}

/// Sends `method` with a JSON body given as text (or none) and returns the
/// answer's text (passkey ceremonies: the browser's own JSON both ways).
pub async fn send_text(method: Method, url: &str, body: Option<String>) -> ApiResult<String> {
    exchange(Some(method), url, body).await
}

/// Reads an answer's text as JSON.
pub fn parse_text<T: DeserializeOwned>(text: ApiResult<String>) -> ApiResult<T> {
    parse(text)
}

/// Sends `method` without a body and reads a JSON answer.
pub async fn send_for<T: DeserializeOwned>(method: Method, url: &str) -> ApiResult<T> {
    parse(exchange(Some(method), url, None).await)
}

/// Appends `key=value` pairs (URL-encoded, empty values left out) to a path.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode_component(v))).collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn encode_component(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded_and_empty_ones_left_out() {
        assert_eq!(with_query("/x", &[("q", "a b&c".into()), ("page", String::new())]), "/x?q=a%20b%26c");
        assert_eq!(with_query("/x", &[]), "/x");
    }
}
