//! JSON over fetch: same-origin cookies, the CSRF header on state-changing
//! requests, and the server's error body turned into [`ApiError`].

use domain::api::{ErrorBody, CSRF_HEADER};
use gloo_net::http::{Request, RequestBuilder, Response};
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
    fn network() -> ApiError {
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

async fn read<T: DeserializeOwned>(res: Response) -> ApiResult<T> {
    if res.ok() {
        return res.json::<T>().await.map_err(|_| ApiError::network());
    }
    Err(read_error(res).await)
}

async fn read_error(res: Response) -> ApiError {
    let status = res.status();
    match res.json::<ErrorBody>().await {
        Ok(body) => ApiError { status, code: body.error.code, message: body.error.message },
        Err(_) => ApiError { status, code: "unexpected".into(), message: crate::i18n::t().error_title.into() },
    }
}

async fn read_empty(res: Response) -> ApiResult<()> {
    if res.ok() {
        Ok(())
    } else {
        Err(read_error(res).await)
    }
}

fn with_csrf(b: RequestBuilder) -> RequestBuilder {
    b.header(CSRF_HEADER, &csrf_token())
}

/// `GET` a JSON resource.
pub async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    let res = Request::get(url).send().await.map_err(|_| ApiError::network())?;
    read(res).await
}

/// Sends a JSON body with `method` and reads a JSON answer.
pub async fn send<B: Serialize, T: DeserializeOwned>(method: &str, url: &str, body: &B) -> ApiResult<T> {
    let builder = match method {
        "POST" => Request::post(url),
        "PUT" => Request::put(url),
        "PATCH" => Request::patch(url),
        _ => Request::delete(url),
    };
    let req = with_csrf(builder).json(body).map_err(|_| ApiError::network())?;
    let res = req.send().await.map_err(|_| ApiError::network())?;
    read(res).await
}

/// `DELETE` without a body or an answer.
pub async fn delete(url: &str) -> ApiResult<()> {
    let res = with_csrf(Request::delete(url)).send().await.map_err(|_| ApiError::network())?;
    read_empty(res).await
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
