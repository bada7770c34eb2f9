//! The JSON DTOs of `/api/v1`, shared by the server and the browser, and the
//! error body of SPEC §7. Request types refuse unknown fields, so a request
//! carrying anything it should not is a 400, never silently applied.

mod access_links;
mod assets;
mod bulk;
mod cam;
mod coverage;
mod history;
mod jobs;
mod security;
mod session;
mod settings;
mod users;

pub use access_links::*;
pub use assets::*;
pub use bulk::*;
pub use cam::*;
pub use coverage::*;
pub use history::*;
pub use jobs::*;
pub use security::*;
pub use session::*;
pub use settings::*;
pub use users::*;

use serde::{Deserialize, Serialize};

/// The header that carries the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The error body of every refused request: `{ "error": { "code", "message" } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A machine-readable code and an English sentence; a refusal also names
/// its reason, rule and parameters, which the browser words in the user's
/// language (SPEC §7).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Why, more precisely than the code: a [`crate::rules::Reason`] key,
    /// or an input problem (`input_*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The rule that refused (`R9`, `SPEC §4`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The reason's parameters by name (a person's name, seconds to wait).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}

impl From<&crate::rules::Refusal> for ErrorDetail {
    /// A refusal as the API sends it: its code by kind, the English
    /// sentence, its reason, rule and parameters.
    fn from(r: &crate::rules::Refusal) -> ErrorDetail {
        use crate::rules::RefusalKind;
        let code = match r.kind {
            RefusalKind::Forbidden => "forbidden",
            RefusalKind::Conflict => "conflict",
            RefusalKind::Invalid => "invalid_state",
        };
        ErrorDetail {
            code: code.to_string(),
            message: r.message(),
            reason: Some(r.reason.key().to_string()),
            rule: Some(r.rule.name().to_string()),
            params: r.params.iter().cloned().collect(),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        (self.total.div_ceil(per)).max(1) as u32
    }
}

/// Sort direction of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

impl SortDir {
    /// The stable query-string name.
    pub fn key(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_request_with_an_extra_field_is_refused() {
        let body = r#"{"email":"ada@northwind.example","password":"x","super_admin":true}"#;
        assert!(serde_json::from_str::<SignInRequest>(body).is_err());
    }

    #[test]
    fn sign_in_request_with_a_malformed_email_is_refused() {
        assert!(serde_json::from_str::<SignInRequest>(r#"{"email":"ada","password":"x"}"#).is_err());
    }

    #[test]
    fn page_count_is_at_least_one() {
        let p: Page<u8> = Page { rows: vec![], total: 0, page: 1, per_page: 25 };
        assert_eq!(p.page_count(), 1);
        let p: Page<u8> = Page { rows: vec![], total: 51, page: 1, per_page: 25 };
        assert_eq!(p.page_count(), 3);
    }
}
