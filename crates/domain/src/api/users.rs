//! Settings > Users & Teams: the users list and the Create user, seat and permission requests (R11, R12).

use crate::account::MembershipStatus;
use crate::account::Seat;
use crate::email::Email;
use serde::{Deserialize, Serialize};

/// A row of Settings > Users & Teams in a customer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUserRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub super_admin: bool,
    pub set_name: Option<String>,
    pub seat: Seat,
    pub status: MembershipStatus,
    /// The partner the user works for, for partner employees.
    pub partner_name: Option<String>,
    /// The user's permissions here (for the Edit permissions diff).
    pub permissions: crate::permission::Perms,
    /// When the access ends (R14), if it does.
    pub ends_at: Option<crate::time::UnixTime>,
    /// What the §9 decisions (A9, A10) answer the signed-in user for this
    /// member now.
    pub refused: crate::api::cam::Refusals,
    /// R18: the account's ceiling for the user's partner, if it sets one
    /// (shown to the client's own people, and to that partner's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<crate::permission::Perms>,
}

/// `GET /api/v1/accounts/{id}/users/candidate?email=&seat=`: only what the
/// next step of the Create user wizard needs (R11) — never which other
/// accounts or partners the person belongs to, nor whether they have a user
/// elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCandidate {
    pub email: Email,
    /// They are already a user in this account.
    pub already_member: bool,
    /// Whether the Partner Admin template can be offered.
    pub template: TemplateEligibility,
    /// R18: the account's ceiling for the partner the person works for, if
    /// it sets one, for the client's own people (and that partner's); the
    /// partner itself is not named (R11), and without a ceiling the answer
    /// has no such field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<crate::permission::Perms>,
}

pub use crate::rules::TemplateEligibility;

/// `201` of `POST /api/v1/accounts/{id}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user_id: i64,
    /// What the new user was granted, and what not because the creator lacks it.
    pub change: crate::grant::PermissionChange,
}

/// `POST /api/v1/accounts/{id}/users`: Create user (R11).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: Email,
    /// Needed when the person has no user yet.
    #[serde(default)]
    pub name: Option<String>,
    pub seat: Seat,
    /// The template (a permission set); none for no set.
    #[serde(default)]
    pub template: Option<crate::permission::SetKey>,
    /// R14: when a partner employee's access ends; none for no end.
    #[serde(default)]
    pub ends_at: Option<crate::time::UnixTime>,
}

/// `PUT .../users/{user_id}/seat`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignSeatRequest {
    pub seat: Seat,
}

/// `PUT .../users/{user_id}/permissions`: a set plus individual overrides.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditPermissionsRequest {
    #[serde(default)]
    pub permission_set: Option<crate::permission::SetKey>,
    #[serde(default)]
    pub added: crate::permission::Perms,
    #[serde(default)]
    pub removed: crate::permission::Perms,
}

/// Settings > Partner access (R16): every partner with people in the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerAccess {
    pub partners: Vec<PartnerPeople>,
    /// The account's own permission sets, which a ceiling may be chosen as
    /// (R18). Only the terms page reads them ([`PartnerTermsChoices`]).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub custom_sets: Vec<NamedSet>,
}

/// The Partner access response as the terms page reads it: the partners
/// and the account's own permission sets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PartnerTermsChoices {
    pub partners: Vec<PartnerPeople>,
    #[serde(default)]
    pub custom_sets: Vec<NamedSet>,
}

/// One of an account's own permission sets: its key (`custom:<id>`) and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedSet {
    pub key: crate::permission::SetKey,
    pub name: String,
}

/// One partner's people in the account, and what the signed-in user may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPeople {
    pub partner_id: i64,
    pub partner_name: String,
    /// Since when the account suspends this partner, if it does.
    pub suspended_at: Option<crate::time::UnixTime>,
    pub people: Vec<PartnerPerson>,
    /// Why the signed-in user may not suspend, resume or remove this
    /// partner's people (R16), if they may not.
    pub refused: Option<crate::rules::Refusal>,
    /// The ceiling the account sets for this partner (R18), if any: its
    /// permissions, the set it was chosen as (a standard set's key or
    /// `custom:<id>`) and that set's name.
    #[serde(default)]
    pub ceiling: Option<crate::permission::Perms>,
    #[serde(default)]
    pub ceiling_set: Option<crate::permission::SetKey>,
    #[serde(default)]
    pub ceiling_name: Option<String>,
    /// The end of the relationship (R18), if any (it may have passed).
    #[serde(default)]
    pub relationship_end: Option<crate::time::UnixTime>,
}

/// `PUT` and `POST .../partner-access/{partner_id}/ceiling[/preview]`
/// (R18): a permission set of the account, or a list of permissions —
/// exactly one of the two.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeilingRequest {
    #[serde(default)]
    pub permission_set: Option<crate::permission::SetKey>,
    #[serde(default)]
    pub permissions: Option<crate::permission::Perms>,
}

/// What a ceiling would do (R18), before it is confirmed: the step it is
/// (`ceiling_set`, `ceiling_lowered`, `ceiling_raised`, `ceiling_removed`;
/// none when nothing changes) and who loses what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeilingPreview {
    pub step: Option<crate::history::HistoryAction>,
    pub people: Vec<CeilingLoss>,
}

/// One person a ceiling narrows, and what they lose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeilingLoss {
    pub user_id: i64,
    pub name: String,
    pub loses: crate::permission::Perms,
}

/// A partner employee as the client sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPerson {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub super_admin: bool,
    pub set_name: Option<String>,
    pub seat: Seat,
    pub status: MembershipStatus,
    pub last_activity: Option<crate::time::UnixTime>,
    pub ends_at: Option<crate::time::UnixTime>,
    /// What the §9 decision A7 answers the signed-in user for this
    /// person's end (`end`, `end_later`).
    pub refused: crate::api::cam::Refusals,
    /// Whether the person has a second factor (R20).
    #[serde(default)]
    pub second_factor: bool,
}

/// What a suspension, resumption or removal of a partner's people did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerChange {
    /// The people it changed.
    pub people: u32,
}
