//! Permission sets: the standard sets every account has (SPEC §3), the key
//! naming a standard or custom set, and the role filter of Users & Teams.

use super::{Permission, Perms};
use serde::{Deserialize, Serialize};

/// The permission sets every account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StandardSet {
    PartnerAdmin,
    Sales,
    Marketing,
    Service,
    ViewOnly,
}

crate::keyed::keyed_serde!(StandardSet);

impl StandardSet {
    /// Every standard set, in display order.
    pub const ALL: &'static [StandardSet] = &[
        StandardSet::PartnerAdmin,
        StandardSet::Sales,
        StandardSet::Marketing,
        StandardSet::Service,
        StandardSet::ViewOnly,
    ];

    /// The stable storage name.
    pub fn key(self) -> &'static str {
        match self {
            StandardSet::PartnerAdmin => "partner_admin",
            StandardSet::Sales => "sales",
            StandardSet::Marketing => "marketing",
            StandardSet::Service => "service",
            StandardSet::ViewOnly => "view_only",
        }
    }

    /// The English name (the product's own label for the set).
    pub fn name(self) -> &'static str {
        match self {
            StandardSet::PartnerAdmin => "Partner Admin",
            StandardSet::Sales => "Sales",
            StandardSet::Marketing => "Marketing",
            StandardSet::Service => "Service",
            StandardSet::ViewOnly => "View only",
        }
    }

    /// Parses a stable storage name.
    pub fn parse(key: &str) -> Option<StandardSet> {
        StandardSet::ALL.iter().copied().find(|s| s.key() == key)
    }

    /// The permissions of the set.
    pub fn perms(self) -> Perms {
        use Permission::*;
        let views = [
            ContactsView,
            CompaniesView,
            DealsView,
            TicketsView,
            MarketingView,
            ReportsView,
            WorkflowsView,
            WebsiteView,
        ];
        match self {
            // Elevated access: every CRM object, every hub and app, and the
            // targeted admin rights partners need; no Billing, nothing
            // partner-account-only, nothing super-admin-only.
            StandardSet::PartnerAdmin => Perms::all()
                .iter()
                .filter(|p| !p.is_super_admin_only() && !p.is_partner_account_only() && *p != Billing)
                .collect(),
            StandardSet::Sales => [
                ContactsView,
                ContactsEdit,
                CompaniesView,
                CompaniesEdit,
                DealsView,
                DealsEdit,
                DealsDelete,
                SalesTools,
                SalesForecast,
                ReportsView,
            ]
            .into_iter()
            .collect(),
            StandardSet::Marketing => [
                ContactsView,
                ContactsEdit,
                CompaniesView,
                CompaniesEdit,
                MarketingView,
                MarketingEdit,
                MarketingPublish,
                WebsiteView,
                WebsiteEdit,
                ReportsView,
            ]
            .into_iter()
            .collect(),
            StandardSet::Service => [
                ContactsView,
                ContactsEdit,
                CompaniesView,
                TicketsView,
                TicketsEdit,
                TicketsDelete,
                ServiceTools,
                KnowledgeBase,
                ReportsView,
            ]
            .into_iter()
            .collect(),
            StandardSet::ViewOnly => views.into_iter().collect(),
        }
    }
}

/// Which permission set a membership is based on: a standard one, or an
/// account's custom set by id. On the wire and in storage: a standard key
/// (`partner_admin`, `sales`, …) or `custom:<id>`; anything else is refused
/// when a request is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SetKey {
    Standard(StandardSet),
    Custom(i64),
}

impl TryFrom<String> for SetKey {
    type Error = String;
    fn try_from(s: String) -> Result<SetKey, String> {
        SetKey::from_storage(&s).ok_or_else(|| format!("unknown permission set: {s}"))
    }
}

impl From<SetKey> for String {
    fn from(k: SetKey) -> String {
        k.to_storage()
    }
}

/// A Users & Teams role filter: super admins, or one permission set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RoleFilter {
    SuperAdmin,
    Set(SetKey),
}

impl RoleFilter {
    /// The wire form: `super_admin` or a set key.
    pub fn key(self) -> String {
        match self {
            RoleFilter::SuperAdmin => "super_admin".to_string(),
            RoleFilter::Set(k) => k.to_storage(),
        }
    }

    /// Parses the wire form.
    pub fn parse(s: &str) -> Option<RoleFilter> {
        if s == "super_admin" {
            Some(RoleFilter::SuperAdmin)
        } else {
            SetKey::from_storage(s).map(RoleFilter::Set)
        }
    }
}

impl TryFrom<String> for RoleFilter {
    type Error = String;
    fn try_from(s: String) -> Result<RoleFilter, String> {
        RoleFilter::parse(&s).ok_or_else(|| format!("Unknown role: {s}."))
    }
}

impl From<RoleFilter> for String {
    fn from(r: RoleFilter) -> String {
        r.key()
    }
}

impl SetKey {
    /// The storage form: a standard key, or `custom:<id>`.
    pub fn to_storage(self) -> String {
        match self {
            SetKey::Standard(s) => s.key().to_string(),
            SetKey::Custom(id) => format!("custom:{id}"),
        }
    }

    /// Parses the storage form.
    pub fn from_storage(s: &str) -> Option<SetKey> {
        match s.strip_prefix("custom:") {
            Some(id) => id.parse().ok().map(SetKey::Custom),
            None => StandardSet::parse(s).map(SetKey::Standard),
        }
    }
}
