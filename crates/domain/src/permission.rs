//! The closed permission catalogue, its display groups, permission sets as
//! bit sets, and the standard sets every account has (SPEC §3).

mod sets;

pub use sets::{RoleFilter, SetKey, StandardSet};

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! catalogue {
    ($($variant:ident = $key:literal, $group:ident;)*) => {
        /// One permission of the closed catalogue. The `key` is the stable name
        /// used in storage and on the wire.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Permission { $($variant),* }
        crate::keyed::keyed_serde!(Permission);

        impl Permission {
            /// Every permission, in display order.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];

            /// The stable storage and wire name.
            pub fn key(self) -> &'static str {
                match self { $(Permission::$variant => $key),* }
            }

            /// The display group the permission is listed under.
            pub fn group(self) -> PermissionGroup {
                match self { $(Permission::$variant => PermissionGroup::$group),* }
            }

            /// Parses a stable name; unknown names are refused.
            pub fn parse(key: &str) -> Option<Permission> {
                match key { $($key => Some(Permission::$variant),)* _ => None }
            }
        }
    };
}

catalogue! {
    ContactsView = "contacts_view", Crm;
    ContactsEdit = "contacts_edit", Crm;
    ContactsDelete = "contacts_delete", Crm;
    CompaniesView = "companies_view", Crm;
    CompaniesEdit = "companies_edit", Crm;
    CompaniesDelete = "companies_delete", Crm;
    DealsView = "deals_view", Crm;
    DealsEdit = "deals_edit", Crm;
    DealsDelete = "deals_delete", Crm;
    TicketsView = "tickets_view", Crm;
    TicketsEdit = "tickets_edit", Crm;
    TicketsDelete = "tickets_delete", Crm;
    MarketingView = "marketing_view", Marketing;
    MarketingEdit = "marketing_edit", Marketing;
    MarketingPublish = "marketing_publish", Marketing;
    SalesTools = "sales_tools", SalesTools;
    SalesForecast = "sales_forecast", SalesTools;
    ServiceTools = "service_tools", ServiceTools;
    KnowledgeBase = "knowledge_base", ServiceTools;
    ReportsView = "reports_view", Reports;
    ReportsEdit = "reports_edit", Reports;
    WorkflowsView = "workflows_view", Automation;
    WorkflowsEdit = "workflows_edit", Automation;
    WebsiteView = "website_view", Website;
    WebsiteEdit = "website_edit", Website;
    WebsitePublish = "website_publish", Website;
    AccountSettings = "account_settings", Account;
    UsersEdit = "users_edit", Account;
    Billing = "billing", Account;
    AppMarketplace = "app_marketplace", Account;
    PartnerEmployeesEdit = "partner_employees_edit", Partner;
    SuperAdminsManage = "super_admins_manage", SuperAdminOnly;
    ScimProvisioning = "scim_provisioning", SuperAdminOnly;
    DataCentreMigration = "data_centre_migration", SuperAdminOnly;
}

impl Permission {
    /// Held only by super admins; never part of a permission set or override.
    pub fn is_super_admin_only(self) -> bool {
        self.group() == PermissionGroup::SuperAdminOnly
    }

    /// Meaningful only in partner accounts.
    pub fn is_partner_account_only(self) -> bool {
        self.group() == PermissionGroup::Partner
    }

    fn bit(self) -> u64 {
        1u64 << (self as u8)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How permissions are grouped for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermissionGroup {
    Crm,
    Marketing,
    SalesTools,
    ServiceTools,
    Reports,
    Automation,
    Website,
    Account,
    Partner,
    SuperAdminOnly,
}

impl PermissionGroup {
    /// Every group, in display order.
    pub const ALL: &'static [PermissionGroup] = &[
        PermissionGroup::Crm,
        PermissionGroup::Marketing,
        PermissionGroup::SalesTools,
        PermissionGroup::ServiceTools,
        PermissionGroup::Reports,
        PermissionGroup::Automation,
        PermissionGroup::Website,
        PermissionGroup::Account,
        PermissionGroup::Partner,
        PermissionGroup::SuperAdminOnly,
    ];

    /// The permissions of this group, in display order.
    pub fn permissions(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.iter().copied().filter(move |p| p.group() == self)
    }
}

/// A set of permissions. Serialized as a sorted list of stable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Permission>", into = "Vec<Permission>")]
pub struct Perms(u64);

impl Perms {
    /// No permissions.
    pub const EMPTY: Perms = Perms(0);

    /// Every permission of the catalogue.
    pub fn all() -> Perms {
        Permission::ALL.iter().copied().collect()
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// The set with `p` added.
    pub fn with(self, p: Permission) -> Perms {
        Perms(self.0 | p.bit())
    }

    /// The set with `p` taken out.
    pub fn without(self, p: Permission) -> Perms {
        Perms(self.0 & !p.bit())
    }

    /// Set union.
    pub fn union(self, other: Perms) -> Perms {
        Perms(self.0 | other.0)
    }

    /// Set intersection.
    pub fn intersection(self, other: Perms) -> Perms {
        Perms(self.0 & other.0)
    }

    /// Set difference: the permissions of `self` not in `other`.
    pub fn difference(self, other: Perms) -> Perms {
        Perms(self.0 & !other.0)
    }

    /// Whether every permission of `self` is in `other`.
    pub fn is_subset(self, other: Perms) -> bool {
        self.difference(other).is_empty()
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of permissions.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The permissions, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.iter().copied().filter(move |p| self.contains(*p))
    }

    /// The set without super-admin-only permissions: what a set or an
    /// individual override may carry.
    pub fn assignable(self) -> Perms {
        self.iter().filter(|p| !p.is_super_admin_only()).collect()
    }

    /// Comma-separated stable names (the storage form).
    pub fn to_keys(self) -> String {
        self.iter().map(Permission::key).collect::<Vec<_>>().join(",")
    }

    /// Parses the storage form; an unknown name is an error naming it.
    pub fn from_keys(s: &str) -> Result<Perms, String> {
        s.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| Permission::parse(k).ok_or_else(|| k.to_string()))
            .collect()
    }
}

impl FromIterator<Permission> for Perms {
    fn from_iter<T: IntoIterator<Item = Permission>>(iter: T) -> Self {
        Perms(iter.into_iter().fold(0, |acc, p| acc | p.bit()))
    }
}

impl From<Vec<Permission>> for Perms {
    fn from(v: Vec<Permission>) -> Self {
        v.into_iter().collect()
    }
}

impl From<Perms> for Vec<Permission> {
    fn from(p: Perms) -> Self {
        p.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_fits_in_the_bit_set() {
        assert!(Permission::ALL.len() <= 64);
        assert_eq!(Perms::all().len(), Permission::ALL.len());
    }

    #[test]
    fn every_key_parses_back_to_its_permission() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.key()), Some(*p));
        }
        assert_eq!(Permission::parse("root"), None);
    }

    #[test]
    fn partner_admin_has_no_billing_and_no_super_admin_only_permission() {
        let pa = StandardSet::PartnerAdmin.perms();
        assert!(!pa.contains(Permission::Billing));
        assert!(pa.iter().all(|p| !p.is_super_admin_only()));
        assert!(pa.contains(Permission::UsersEdit));
        assert!(pa.contains(Permission::AppMarketplace));
        assert!(pa.contains(Permission::DealsDelete));
    }

    #[test]
    fn no_standard_set_carries_a_super_admin_only_permission() {
        for s in StandardSet::ALL {
            assert_eq!(s.perms().assignable(), s.perms(), "{s:?}");
        }
    }

    #[test]
    fn storage_form_round_trips_and_refuses_unknown_names() {
        let s = StandardSet::Sales.perms();
        assert_eq!(Perms::from_keys(&s.to_keys()).unwrap(), s);
        assert_eq!(Perms::from_keys("").unwrap(), Perms::EMPTY);
        assert_eq!(Perms::from_keys("contacts_view,nope"), Err("nope".to_string()));
    }

    #[test]
    fn perms_serialize_as_a_list_of_names() {
        let p: Perms = [Permission::Billing, Permission::ContactsView].into_iter().collect();
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"["contacts_view","billing"]"#);
        assert!(serde_json::from_str::<Perms>(r#"["superpower"]"#).is_err());
    }

    #[test]
    fn set_keys_round_trip_through_storage() {
        for k in [SetKey::Standard(StandardSet::PartnerAdmin), SetKey::Custom(42)] {
            assert_eq!(SetKey::from_storage(&k.to_storage()), Some(k));
        }
        assert_eq!(SetKey::from_storage("custom:x"), None);
    }
}
