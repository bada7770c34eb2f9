//! Access links (SPEC §4): what a link shows, the accounts it may be granted into, the approval and
//! the decline.

use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// A partner employee's personal access link (`PUT .../employees/{id}/access-link`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLinkInfo {
    /// The link's path, `/access/<token>`, on this application's origin.
    pub path: String,
    pub employee_name: String,
    pub created_at: UnixTime,
}

/// What anybody holding a valid link may see (`GET /api/v1/access-links/{token}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLinkInfo {
    pub partner_name: String,
    pub employee_name: String,
    pub employee_email: String,
}

/// One of the signed-in user's customer accounts, as offered on the account
/// choice of an access link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalAccount {
    pub account_id: i64,
    pub name: String,
    /// The employee is already a user there.
    pub already_member: bool,
    /// The employee is already a Partner Admin there for this partner.
    pub already_partner_admin: bool,
    /// The signed-in user is a super admin there (may confirm a conversion).
    pub you_are_super_admin: bool,
    /// What the signed-in user holds there: the approval grants the Partner
    /// Admin set bounded by it (R3), which the page previews.
    pub you_hold: crate::permission::Perms,
    /// The account's ceiling for the link's partner (R18), if it sets one:
    /// the approval never grants outside it.
    #[serde(default)]
    pub ceiling: Option<crate::permission::Perms>,
}

/// `POST /api/v1/access-links/{token}/approve`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    pub account_id: i64,
    /// Confirms converting an existing user to Partner Admin.
    #[serde(default)]
    pub convert_existing: bool,
    /// R15: the Partner Admin permissions the approver keeps ticked; the
    /// whole set when absent.
    #[serde(default)]
    pub keep: Option<crate::permission::Perms>,
    /// R14: when the access ends; none for access without an end.
    #[serde(default)]
    pub ends_at: Option<UnixTime>,
}

/// `POST /api/v1/access-links/{token}/decline`: `{}`, or a reason for the
/// employee (see [`crate::access_link::DeclineReason`]; a blank one is none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The result of an approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveResult {
    pub account_id: i64,
    pub account_name: String,
    pub employee_name: String,
    pub converted: bool,
    /// What was granted, and what was not because the approver lacks it.
    pub change: crate::grant::PermissionChange,
    /// When the access ends (R14), if it does.
    pub ends_at: Option<UnixTime>,
}
