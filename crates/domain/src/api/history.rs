//! The history of access changes (R13).

use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Query of `GET /api/v1/accounts/{id}/history` (and its CSV export).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Text in the actor's name or email.
    #[serde(default)]
    pub actor: Option<String>,
    /// Text in the target's name or email.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub action: Option<crate::history::HistoryAction>,
    /// From this day (`YYYY-MM-DD`, UTC), inclusive.
    #[serde(default)]
    pub from: Option<crate::time::Day>,
    /// Up to this day (`YYYY-MM-DD`, UTC), inclusive.
    #[serde(default)]
    pub to: Option<crate::time::Day>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The language of the CSV file's header row and change names (the
    /// page's language; the user's own when not given).
    #[serde(default)]
    pub lang: Option<crate::i18n::Lang>,
}

/// One access change, as listed on the History page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub id: i64,
    pub at: UnixTime,
    pub actor: Option<String>,
    pub account: String,
    pub target: Option<String>,
    pub action: crate::history::HistoryAction,
    pub before: Option<crate::permission::Perms>,
    pub after: Option<crate::permission::Perms>,
    pub detail: String,
}
