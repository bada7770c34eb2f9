//! R17: the Access review tab, work on many rows or many clients at once
//! (as jobs whose progress the page polls), and the coverage grid.

use super::SortDir;
use crate::account::{AccessType, MembershipStatus};
use crate::grant::PermissionChange;
use crate::permission::StandardSet;
use crate::rules::Refusal;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// The Access review tab's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewFilter {
    /// Every row.
    #[default]
    All,
    /// Active, and nothing done in the client for more than 30 days.
    Idle30,
    Idle60,
    Idle90,
    /// Active, and never active in the client since the access was given.
    Never,
    /// Active access that ends within 30 days (R14).
    Ending,
    Deactivated,
}

impl ReviewFilter {
    /// Every filter, in the order the tab offers them.
    pub const ALL: [ReviewFilter; 7] = [
        ReviewFilter::All,
        ReviewFilter::Idle30,
        ReviewFilter::Idle60,
        ReviewFilter::Idle90,
        ReviewFilter::Never,
        ReviewFilter::Ending,
        ReviewFilter::Deactivated,
    ];

    /// The stable query-string name.
    pub fn key(self) -> &'static str {
        match self {
            ReviewFilter::All => "all",
            ReviewFilter::Idle30 => "idle30",
            ReviewFilter::Idle60 => "idle60",
            ReviewFilter::Idle90 => "idle90",
            ReviewFilter::Never => "never",
            ReviewFilter::Ending => "ending",
            ReviewFilter::Deactivated => "deactivated",
        }
    }

    /// The filter a query-string name names.
    pub fn parse(key: &str) -> Option<ReviewFilter> {
        ReviewFilter::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Whether the filter shows active access only (deactivated rows are
    /// hidden under it, and the tab says so).
    pub fn active_only(self) -> bool {
        matches!(
            self,
            ReviewFilter::Idle30
                | ReviewFilter::Idle60
                | ReviewFilter::Idle90
                | ReviewFilter::Never
                | ReviewFilter::Ending
        )
    }

    /// The idle days an idle filter asks for (more than this many).
    pub fn idle_days(self) -> Option<i64> {
        match self {
            ReviewFilter::Idle30 => Some(30),
            ReviewFilter::Idle60 => Some(60),
            ReviewFilter::Idle90 => Some(90),
            _ => None,
        }
    }
}

/// Columns the Access review tab sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSort {
    /// Idle days (descending: the longest idle first).
    #[default]
    Idle,
    Client,
    Employee,
}

/// Query of `GET /api/v1/accounts/{id}/cam/review` (and of its CSV export).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub filter: Option<ReviewFilter>,
    #[serde(default)]
    pub sort: Option<ReviewSort>,
    #[serde(default)]
    pub dir: Option<SortDir>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The CSV export's language (the page's; the user's own when not given).
    #[serde(default)]
    pub lang: Option<crate::i18n::Lang>,
}

/// One partner employee in one client: the row a review acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowKey {
    pub client_id: i64,
    pub user_id: i64,
}

impl RowKey {
    /// One number for both ids (the client's in the high half), as the
    /// browser's row selection and the server's set-wise SQL hold it.
    pub fn pack(self) -> i64 {
        (self.client_id << 32) | (self.user_id & 0xFFFF_FFFF)
    }

    /// The key [`RowKey::pack`] made.
    pub fn unpack(packed: i64) -> RowKey {
        RowKey { client_id: packed >> 32, user_id: packed & 0xFFFF_FFFF }
    }

    /// Whether both ids fit [`RowKey::pack`].
    pub fn packs(self) -> bool {
        (0..=0x7FFF_FFFF).contains(&self.client_id) && (0..=0xFFFF_FFFF).contains(&self.user_id)
    }
}

/// A row of the Access review tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub client_id: i64,
    pub crm_name: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub access: AccessType,
    /// The permission set's name (none for a super admin).
    pub set_name: Option<String>,
    pub status: MembershipStatus,
    /// The employee's last activity in the client, if any.
    pub last_activity: Option<UnixTime>,
    /// When the access was given.
    pub granted_at: UnixTime,
    /// Whole days since the last activity (since the access was given when never active).
    pub idle_days: i64,
    pub ends_at: Option<UnixTime>,
}

impl ReviewRow {
    /// The row's key.
    pub fn key(&self) -> RowKey {
        RowKey { client_id: self.client_id, user_id: self.user_id }
    }
}

/// What a review does to its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Deactivate,
    Remove,
}

/// The rows a review acts on: those chosen, or every row the filter and
/// search match (across pages), as they are when the work starts, less
/// those unticked since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum RowSelection {
    Rows {
        rows: Vec<RowKey>,
    },
    Matching {
        #[serde(default)]
        q: Option<String>,
        #[serde(default)]
        filter: ReviewFilter,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        except: Vec<RowKey>,
    },
}

/// Body of `POST …/cam/review/preview` and `POST …/cam/review/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowsRequest {
    pub action: RowAction,
    pub selection: RowSelection,
}

/// One row of a review step: what will happen to it, or the rule that refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowPlan {
    pub client_id: i64,
    pub crm_name: String,
    pub user_id: i64,
    pub name: String,
    /// Assets the employee owns in the client (left without an owner on removal).
    pub assets: i64,
    pub refusal: Option<Refusal>,
}

/// The review step of a bulk action on rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsPreview {
    /// Rows chosen.
    pub total: u64,
    /// Rows the rules allow.
    pub allowed: u64,
    /// Rows the rules refuse (`allowed + refused = total`).
    pub refused: u64,
    /// Assets the allowed rows' employees own there.
    pub assets: i64,
    /// The first rows, refused ones first.
    pub rows: Vec<RowPlan>,
}

/// What a bulk action does to one employee in many clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientsAction {
    /// R4 in each client: add with a set (and an end date, R14).
    Add,
    /// R3 in each client: change the set.
    ChangeSet,
}

/// The clients a bulk action covers: those chosen, or every client the
/// search matches (with `member`, only those where the employee is a
/// partner user; with `allowed_only`, only those the action's decision
/// allows as the work is asked for) less those unticked since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientSelection {
    Clients {
        ids: Vec<i64>,
    },
    Matching {
        #[serde(default)]
        q: Option<String>,
        #[serde(default)]
        member: bool,
        /// Only the clients where the action would be done: the choosing
        /// step marks the others refused, with the reason, before anything
        /// is chosen, so "Select all that can be added" leaves them out.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        allowed_only: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        except: Vec<i64>,
    },
}

/// Body of `POST …/cam/employees/{user_id}/clients/preview` and `…/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientsRequest {
    pub action: ClientsAction,
    pub selection: ClientSelection,
    /// A standard set: custom sets belong to one client each.
    pub permission_set: StandardSet,
    /// Add only (R14).
    #[serde(default)]
    pub ends_at: Option<UnixTime>,
}

/// One client of a review step: the grant rule's change, or the refusal,
/// and the employee's own access there as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPlan {
    pub client_id: i64,
    pub crm_name: String,
    pub change: Option<PermissionChange>,
    pub refusal: Option<Refusal>,
    /// The employee's membership of the client now; none when they are
    /// not a user there.
    #[serde(default)]
    pub employee: Option<AccessHere>,
}

/// One person's own access in one client, as the choosing step of **Add to
/// clients** shows it beside each client (not the actor's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessHere {
    /// Their access type there (deactivated once their end has come).
    pub access: AccessType,
    /// Their permission set's name (none for a super admin).
    pub set_name: Option<String>,
    /// When their access there ends (R14), if it does.
    pub ends_at: Option<UnixTime>,
    /// The membership is this partner's; false for a user of the client
    /// not linked to the partner (R5).
    pub linked: bool,
}

/// The review step of a bulk action on clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientsPreview {
    pub total: u64,
    pub allowed: u64,
    pub refused: u64,
    /// The first clients, refused ones first.
    pub rows: Vec<ClientPlan>,
}

/// Most rows a review step lists (its counts cover every row).
pub const PREVIEW_ROWS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_key_packs_and_unpacks() {
        for (c, u) in [(1, 1), (12_345, 987_654), (0x7FFF_FFFF, 0xFFFF_FFFF)] {
            let k = RowKey { client_id: c, user_id: u };
            assert!(k.packs());
            assert_eq!(RowKey::unpack(k.pack()), k);
        }
        assert!(!RowKey { client_id: 1 << 31, user_id: 1 }.packs());
    }

    #[test]
    fn idle_never_and_ending_filters_show_active_access_only() {
        let active_only: Vec<ReviewFilter> = ReviewFilter::ALL.into_iter().filter(|f| f.active_only()).collect();
        assert_eq!(
            active_only,
            [
                ReviewFilter::Idle30,
                ReviewFilter::Idle60,
                ReviewFilter::Idle90,
                ReviewFilter::Never,
                ReviewFilter::Ending
            ]
        );
    }

    #[test]
    fn a_client_selection_takes_only_allowed_clients_when_asked() {
        let s: ClientSelection = serde_json::from_str(r#"{"by":"matching","q":"a","allowed_only":true}"#).unwrap();
        assert_eq!(
            s,
            ClientSelection::Matching { q: Some("a".into()), member: false, allowed_only: true, except: vec![] }
        );
        let plain: ClientSelection = serde_json::from_str(r#"{"by":"matching"}"#).unwrap();
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"by":"matching","q":null,"member":false}"#);
    }

    #[test]
    fn a_selection_names_its_kind() {
        let s: RowSelection = serde_json::from_str(r#"{"by":"matching","filter":"idle90"}"#).unwrap();
        assert_eq!(s, RowSelection::Matching { q: None, filter: ReviewFilter::Idle90, except: vec![] });
        assert!(serde_json::from_str::<RowSelection>(r#"{"by":"rows","rows":[],"extra":1}"#).is_err());
    }
}
