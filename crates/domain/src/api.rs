//! The JSON DTOs of `/api/v1`, shared by the server and the browser, and the
//! error body of SPEC §7. Request types refuse unknown fields, so a request
//! carrying anything it should not is a 400, never silently applied.

use crate::account::{AccessType, AccountKind, MembershipStatus, PartnerProgram, PricingModel, Seat};
use crate::email::Email;
use crate::rules::RelationshipStatus;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// The header that carries the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The error body of every refused request: `{ "error": { "code", "message" } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A machine-readable code and a sentence for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// `POST /api/v1/session`: sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: Email,
    pub password: String,
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
    /// The account the user last chose, where they land after signing in
    /// (none for a user without any membership).
    pub current_account_id: Option<i64>,
    pub memberships: Vec<MembershipSummary>,
    /// Sent back in the `x-csrf-token` header on every state-changing request.
    pub csrf_token: String,
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

/// Columns the Clients tab sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    Access,
    Employees,
    Status,
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
    /// R2 allows the signed-in user to add employees and change sets here.
    pub can_manage_employees: bool,
    /// R2/R8 allow the signed-in user to reactivate employees here.
    pub can_reactivate: bool,
    pub last_partner_activity: UnixTime,
    pub employees: Vec<ClientEmployee>,
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
}

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
}

/// `PUT /api/v1/test/clock` (test mode only): move the server's clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClockRequest {
    /// The instant the server should take as now; `None` returns to real time.
    pub now: Option<UnixTime>,
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
}

/// `POST /api/v1/access-links/{token}/approve`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    pub account_id: i64,
    /// Confirms converting an existing user to Partner Admin.
    #[serde(default)]
    pub convert_existing: bool,
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
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
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
    /// Why this partner cannot issue access links, when it cannot.
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
}

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

/// Settings > Billing (R12): who receives invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingSettings {
    pub billing_contact: Option<Email>,
}

/// Settings > Super admins (R12): one member and whether they are super admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperAdminRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub super_admin: bool,
}

/// `POST .../settings/super-admins`: make a member super admin.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantSuperAdminRequest {
    pub user_id: i64,
}

/// Settings > User provisioning (SCIM via Okta), R12.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimSettings {
    pub enabled: bool,
    pub token_created_at: Option<UnixTime>,
    /// Shown once, right after it was generated; never stored in clear.
    pub new_token: Option<String>,
}

/// Settings > Data centre migration (R12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCentreSettings {
    pub data_centre: DataCentre,
}

/// Where an account's data lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCentre {
    Eu,
    Us,
    Ap,
}

impl DataCentre {
    /// The stable storage name.
    pub fn key(self) -> &'static str {
        match self {
            DataCentre::Eu => "eu",
            DataCentre::Us => "us",
            DataCentre::Ap => "ap",
        }
    }

    /// Parses a stable storage name.
    pub fn parse(s: &str) -> Option<DataCentre> {
        [DataCentre::Eu, DataCentre::Us, DataCentre::Ap].into_iter().find(|d| d.key() == s)
    }
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

/// Query of `GET /api/v1/accounts/{id}/assets`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetQuery {
    #[serde(default)]
    pub q: Option<String>,
    /// Only assets of this owner.
    #[serde(default)]
    pub owner: Option<i64>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// An asset on the Assets page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRow {
    pub id: i64,
    pub kind: crate::account::AssetKind,
    pub name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub updated_at: UnixTime,
}

/// `POST /api/v1/accounts/{id}/assets`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAssetRequest {
    pub kind: crate::account::AssetKind,
    pub name: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// `PATCH /api/v1/accounts/{id}/assets/{asset_id}`: rename and/or reassign.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateAssetRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// The new owner (a member of the account).
    #[serde(default)]
    pub owner_id: Option<i64>,
}
