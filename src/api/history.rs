//! `/api/v1/accounts/{id}/history`: the R13 history and its CSV export.

use super::http::{self, with_query, ApiResult};
use domain::api::{HistoryRow, Page};

/// The history filters, as URL values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryParams {
    pub actor: String,
    pub target: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub page: String,
}

impl HistoryParams {
    /// The query pairs (empty ones are left out by `with_query`).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("actor", self.actor.clone()),
            ("target", self.target.clone()),
            ("action", self.action.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("page", self.page.clone()),
        ]
    }
}

/// One page of history.
pub async fn list(account_id: i64, p: &HistoryParams) -> ApiResult<Page<HistoryRow>> {
    http::get(&with_query(&format!("/api/v1/accounts/{account_id}/history"), &p.pairs())).await
}

/// The address of the CSV export with the same filters (page left out).
pub fn csv_url(account_id: i64, p: &HistoryParams) -> String {
    let mut pairs = p.pairs();
    pairs.retain(|(k, _)| *k != "page");
    pairs.push(("lang", crate::i18n::t().lang.tag().to_string()));
    with_query(&format!("/api/v1/accounts/{account_id}/history.csv"), &pairs)
}
