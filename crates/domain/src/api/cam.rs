//! Client Access Manager: the Clients and Employees tabs, client and employee details, and the requests of its procedures (R2–R9).

use super::SortDir;
use crate::account::AccessType;
use crate::account::MembershipStatus;
use crate::account::PricingModel;
use crate::account::Seat;
use crate::rules::RelationshipStatus;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Columns the Clients tab sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    Access,
    Employees,
    Status,
    /// R18: by the end of the relationship (soonest first; none last).
    RelationshipEnd,
}

/// Query of `GET /api/v1/accounts/{id}/cam/clients`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    #[serde(default)]
    pub q: Option<String>,
    /// Comma-separated access types to keep; all when absent.
    #[serde(default)]
    pub access: Option<String>,
    /// Only clients where some of the partner's people lose access within
    /// 30 days (R14).
    #[serde(default)]
    pub ending: Option<bool>,
    /// Only clients whose relationship with the partner ends within 30
    /// days (R18).
    #[serde(default)]
    pub relationship_ending: Option<bool>,
    #[serde(default)]
    pub sort: Option<ClientSort>,
    #[serde(default)]
    pub dir: Option<SortDir>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// Columns the Employees tab sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeSort {
    #[default]
    Name,
    Email,
    Clients,
    Status,
}

/// Query of `GET /api/v1/accounts/{id}/cam/employees` and of the users list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeQuery {
    #[serde(default)]
    pub q: Option<String>,
    /// Users & Teams: `super_admin` or a permission set key.
    #[serde(default)]
    pub role: Option<crate::permission::RoleFilter>,
    /// Users & Teams: only this seat.
    #[serde(default)]
    pub seat: Option<Seat>,
    /// Users & Teams: only partner employees (`true`) or only others (`false`).
    #[serde(default)]
    pub partner: Option<bool>,
    #[serde(default)]
    pub sort: Option<EmployeeSort>,
    #[serde(default)]
    pub dir: Option<SortDir>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// A row of the Clients tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    /// The customer account's id.
    pub id: i64,
    /// The partner's CRM record name for the client.
    pub crm_name: String,
    /// The account's official name.
    pub official_name: String,
    /// The signed-in user's access type there.
    pub my_access: AccessType,
    /// The signed-in user's permission set there, when it is one.
    pub my_set_name: Option<String>,
    pub partner_employees: u32,
    pub active_partner_employees: u32,
    pub status: RelationshipStatus,
    /// The soonest end date (R14) of the partner's active people there.
    pub next_end: Option<UnixTime>,
    /// Whose end [`ClientRow::next_end`] is: the name of the partner's
    /// person there whose access ends first.
    #[serde(default)]
    pub next_end_name: Option<String>,
    /// How many of the partner's active people there have an end.
    #[serde(default)]
    pub ends: u32,
    /// The client sets a ceiling for the partner (R18).
    #[serde(default)]
    pub ceiling: bool,
    /// When the client ends its relationship with the partner (R18).
    #[serde(default)]
    pub relationship_end: Option<UnixTime>,
}

/// A row of the Employees tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// The email is on one of the partner's verified domains.
    pub verified_domain: bool,
    /// Client accounts the employee is a member of.
    pub clients: u32,
    pub status: MembershipStatus,
    pub super_admin: bool,
    pub set_name: Option<String>,
    /// The soonest end date (R14) of the employee's active access to clients.
    pub next_end: Option<UnixTime>,
    /// How many of the employee's active accesses to clients have an end
    /// (the soonest of them is [`EmployeeRow::next_end`]).
    #[serde(default)]
    pub ends: u32,
}

/// `GET /api/v1/accounts/{id}/cam/clients/{client_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetails {
    pub id: i64,
    pub crm_name: String,
    pub official_name: String,
    pub pricing_model: PricingModel,
    pub status: RelationshipStatus,
    pub my_access: AccessType,
    /// The signed-in user's permissions in the client (for R3 previews).
    pub my_permissions: crate::permission::Perms,
    /// The client has suspended this partner (R16): no adding nor reactivating.
    pub suspended: bool,
    pub last_partner_activity: UnixTime,
    pub employees: Vec<ClientEmployee>,
    /// The ceiling the client sets for the partner (R18), if any: its
    /// permissions.
    #[serde(default)]
    pub ceiling: Option<crate::permission::Perms>,
    /// When the client ends its relationship with the partner (R18).
    #[serde(default)]
    pub relationship_end: Option<UnixTime>,
}

/// A partner employee inside a client account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEmployee {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub access: AccessType,
    pub set_name: Option<String>,
    pub seat: Seat,
    pub status: MembershipStatus,
    pub last_activity: Option<UnixTime>,
    pub assets_owned: u32,
    /// The email is on one of the partner's verified domains.
    pub verified_domain: bool,
    /// The employee's permissions there.
    pub permissions: crate::permission::Perms,
    pub assets: Vec<AssetSummary>,
    /// When the access ends (R14), if it does.
    pub ends_at: Option<UnixTime>,
    /// What the §9 decisions answer the signed-in user for this person now
    /// (none: allowed), decided by the server with the account's real facts
    /// and shown by the browser as it is: change the set (A2), deactivate or
    /// reactivate (A3/A4), convert (A10), set an earlier end (A6) and move
    /// it later or remove it (A6).
    pub refused: Refusals,
}

/// The answers of the §9 decisions for the actions a row offers: none where
/// the action is allowed, the refusal (as the API words one) otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Refusals {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<super::ErrorDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<super::ErrorDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<super::ErrorDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<super::ErrorDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convert: Option<super::ErrorDetail>,
    /// A new or earlier end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<super::ErrorDetail>,
    /// An end moved later or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_later: Option<super::ErrorDetail>,
}

impl Refusals {
    /// The answer for an end chosen in the dialog, over `current`.
    pub fn for_end(&self, current: Option<UnixTime>, chosen: Option<UnixTime>) -> Option<&super::ErrorDetail> {
        if crate::authority::moves_later(current, chosen) {
            self.end_later.as_ref()
        } else {
            self.end.as_ref()
        }
    }
}

/// A partner employee's page (`GET .../cam/employees/{user_id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeDetails {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub verified_domain: bool,
    pub super_admin: bool,
    pub set_name: Option<String>,
    pub status: MembershipStatus,
    pub clients: u32,
    /// Why this partner cannot issue access links, when it cannot (for API
    /// clients: the browser decides from the partner's programme itself).
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub access_links_unavailable: Option<String>,
}

/// An asset as listed in removal wizards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetSummary {
    pub id: i64,
    pub kind: crate::account::AssetKind,
    pub name: String,
}

/// `POST .../cam/clients/{client_id}/employees` (R4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddEmployeesRequest {
    pub user_ids: Vec<i64>,
    pub permission_set: crate::permission::SetKey,
    /// When the access ends (R14); none for access without an end.
    #[serde(default)]
    pub ends_at: Option<UnixTime>,
}

/// `PUT .../cam/clients/{client_id}/employees/{user_id}/end-date` and
/// `PUT .../users/{user_id}/end-date` (R14): a new end date, or none to
/// remove it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEndDateRequest {
    pub ends_at: Option<UnixTime>,
}

/// `PUT .../cam/clients/{client_id}/employees/{user_id}/permission-set` (R3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSetRequest {
    pub permission_set: crate::permission::SetKey,
}

/// What a set change did to one employee (R3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeChange {
    pub user_id: i64,
    pub change: crate::grant::PermissionChange,
}

/// `POST .../cam/clients/{client_id}/remove-employees` (R7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveEmployeesRequest {
    pub user_ids: Vec<i64>,
}

/// `POST .../cam/employees/{user_id}/remove-from-clients` (R6).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveFromClientsRequest {
    pub client_ids: Vec<i64>,
}

/// `POST .../cam/employees/{user_id}/link` (R5).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkClientRequest {
    pub client_id: i64,
}

/// `POST .../cam/clients/{client_id}/migrate` (R9): the signed-in user
/// (no `user_id`) or another partner super admin becomes Partner Admin.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrateRequest {
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub keep_billing: bool,
}

/// A client account an employee is a user of (R5, R6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeClient {
    pub client_id: i64,
    pub crm_name: String,
    pub official_name: String,
    /// The partner gets managed credit for this membership.
    pub linked: bool,
    pub status: MembershipStatus,
    pub assets: Vec<AssetSummary>,
    /// When the access ends (R14), if it does.
    pub ends_at: Option<UnixTime>,
}
