//! Signing in and out, the signed-in user and their accounts, notifications, and the test clock.

use crate::account::AccountKind;
use crate::account::MembershipStatus;
use crate::account::PartnerProgram;
use crate::account::PricingModel;
use crate::email::Email;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/session`: sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: Email,
    pub password: String,
    /// The language the page is shown in, remembered for the user's emails
    /// until they choose one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::i18n::Lang>,
}

/// `PUT /api/v1/session/language`: the language the user chose.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageRequest {
    pub language: crate::i18n::Lang,
}

/// `PUT /api/v1/session/account`: make another of one's accounts the current one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchAccountRequest {
    pub account_id: i64,
}

/// The signed-in user, as returned by `GET /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: UserSummary,
    /// The language the user chose, if they chose one: it wins over the
    /// browser's preferences.
    #[serde(default)]
    pub language: Option<crate::i18n::Lang>,
    /// The account the user last chose, where they land after signing in
    /// (none for a user without any membership).
    pub current_account_id: Option<i64>,
    pub memberships: Vec<MembershipSummary>,
}

/// A user as shown to others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// One of the signed-in user's accounts and what they may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipSummary {
    pub account_id: i64,
    pub account_name: String,
    pub kind: AccountKind,
    pub partner_program: Option<PartnerProgram>,
    pub pricing_model: Option<PricingModel>,
    pub super_admin: bool,
    pub set_name: Option<String>,
    pub status: MembershipStatus,
    /// R1 holds in this account.
    pub can_open_client_access_manager: bool,
    /// Super admin or *Add and edit users*.
    pub can_manage_users: bool,
    /// What the user holds here (everything for a super admin, nothing while
    /// deactivated): `A` of the grant rule, for the browser's previews.
    pub permissions: crate::permission::Perms,
    /// The partner the user works for here (a partner's person, SPEC §9);
    /// none for the account's own people.
    pub partner_account_id: Option<i64>,
}

/// `PUT /api/v1/test/clock` (test mode only): move the server's clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClockRequest {
    /// The instant the server should take as now; `None` returns to real time.
    pub now: Option<UnixTime>,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    /// What happened (`access_link_approved`), and its parameters (for API
    /// clients that word it themselves; the browser shows the wording and
    /// skips the parameters).
    pub kind: String,
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub params: std::collections::BTreeMap<String, String>,
    /// The wording, in the person's language when it was made.
    pub title: String,
    pub body: String,
    pub created_at: UnixTime,
    pub read: bool,
}

/// `GET /api/v1/notifications`: the newest notifications and the unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationList {
    pub unread: u32,
    pub items: Vec<Notification>,
}
