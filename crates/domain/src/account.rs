//! Accounts, memberships, seats and assets (SPEC §2), and what a membership
//! adds up to: its effective permissions and its access type.

use crate::permission::{Permission, Perms, SetKey, StandardSet};
use serde::{Deserialize, Serialize};

macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }
        crate::keyed::keyed_serde!($name);

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable storage and wire name.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            /// Parses a stable name.
            pub fn parse(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)* _ => None }
            }
        }
    };
}

keyed_enum!(
    /// Whether an account is an agency or a client.
    AccountKind { Partner = "partner", Customer = "customer" }
);

keyed_enum!(
    /// A partner account's programme; only some may have Partner Admins.
    PartnerProgram { SolutionsPartner = "solutions_partner", Provider = "provider", AppPartner = "app_partner" }
);

keyed_enum!(
    /// How a customer account pays for seats.
    PricingModel { SeatBased = "seat_based", Classic = "classic" }
);

keyed_enum!(
    /// The seat a membership occupies.
    Seat { None = "none", Core = "core", Sales = "sales", Service = "service", Partner = "partner" }
);

keyed_enum!(
    /// Whether a membership may currently be used.
    MembershipStatus { Active = "active", Deactivated = "deactivated" }
);

keyed_enum!(
    /// What an asset is.
    AssetKind {
        Contact = "contact",
        Company = "company",
        Deal = "deal",
        Ticket = "ticket",
        Workflow = "workflow",
        Report = "report",
        Dashboard = "dashboard",
    }
);

keyed_enum!(
    /// How a partner user takes part in a client account, as shown and
    /// filtered on the Clients tab.
    AccessType {
        PartnerAdmin = "partner_admin",
        SuperAdmin = "super_admin",
        OtherSet = "other_set",
        Deactivated = "deactivated",
        None = "none",
    }
);

keyed_enum!(
    /// Which side of a client relationship acts, or set an end (SPEC §9):
    /// the partner (its people, on any screen) or the client (its own people).
    Side { Partner = "partner", Client = "client" }
);

keyed_enum!(
    /// Who deactivated a membership: the partner side, the client side (a
    /// suspension included), or the system at the membership's end (R14).
    Deactivator { Partner = "partner", Client = "client", System = "system" }
);

/// When a membership's access ends (R14), and which side set the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    pub at: crate::time::UnixTime,
    pub by: Side,
}

impl PartnerProgram {
    /// Only Solutions Partners and Providers can be Partner Admins (SPEC §4).
    pub fn may_have_partner_admins(self) -> bool {
        matches!(self, PartnerProgram::SolutionsPartner | PartnerProgram::Provider)
    }
}

/// A user's membership of one account, with the permissions of its set
/// already resolved. This is what every rule looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub super_admin: bool,
    pub set: Option<SetKey>,
    /// The permissions of `set` (empty when there is none).
    pub set_perms: Perms,
    /// Individual permissions added on top of the set.
    pub added: Perms,
    /// Individual permissions removed from the set.
    pub removed: Perms,
    pub seat: Seat,
    pub status: MembershipStatus,
    /// For a partner employee inside a customer account: the partner it belongs to.
    pub partner_account_id: Option<i64>,
    /// When the access ends (R14), if it does.
    #[serde(default)]
    pub end: Option<End>,
    /// Who deactivated it, while it is deactivated.
    #[serde(default)]
    pub deactivated_by: Option<Deactivator>,
    /// Deactivated by its partner's suspension (R16): the client's resume
    /// brings it back.
    #[serde(default)]
    pub suspended: bool,
    /// For a partner's person: the end of the partner's relationship with
    /// the account, which the client sets (R18). The membership's
    /// effective end is the earlier of the two (SPEC §9 Ends); it is read
    /// with the membership and never written with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_end: Option<crate::time::UnixTime>,
}

impl Membership {
    /// A fresh, active membership based on a standard set.
    pub fn with_set(set: StandardSet) -> Membership {
        Membership {
            super_admin: false,
            set: Some(SetKey::Standard(set)),
            set_perms: set.perms(),
            added: Perms::EMPTY,
            removed: Perms::EMPTY,
            seat: Seat::None,
            status: MembershipStatus::Active,
            partner_account_id: None,
            end: None,
            deactivated_by: None,
            suspended: false,
            relationship_end: None,
        }
    }

    /// A fresh, active super admin membership.
    pub fn super_admin() -> Membership {
        Membership {
            super_admin: true,
            set: None,
            set_perms: Perms::EMPTY,
            added: Perms::EMPTY,
            removed: Perms::EMPTY,
            seat: Seat::Core,
            status: MembershipStatus::Active,
            partner_account_id: None,
            end: None,
            deactivated_by: None,
            suspended: false,
            relationship_end: None,
        }
    }

    /// The permissions the membership grants: everything for a super admin,
    /// otherwise the set with the individual overrides applied. Super-admin-only
    /// permissions are never granted to anybody else.
    pub fn permissions(&self) -> Perms {
        if self.super_admin {
            Perms::all()
        } else {
            self.set_perms.union(self.added).difference(self.removed).assignable()
        }
    }

    /// Permissions that count for acting: none while deactivated.
    pub fn active_permissions(&self) -> Perms {
        if self.is_active() {
            self.permissions()
        } else {
            Perms::EMPTY
        }
    }

    /// Whether the membership is active.
    pub fn is_active(&self) -> bool {
        self.status == MembershipStatus::Active
    }

    /// The membership as it stands at `now`: an active membership whose end
    /// has come grants nothing from that second on, deactivated by the
    /// system, whether or not the background work has stored that yet
    /// (SPEC R14: reads never write).
    pub fn at(mut self, now: crate::time::UnixTime) -> Membership {
        if self.is_active() && self.ended_by(now) {
            self.status = MembershipStatus::Deactivated;
            self.deactivated_by = Some(Deactivator::System);
        }
        self
    }

    /// Whether its effective end has come by `now`.
    pub fn ended_by(&self, now: crate::time::UnixTime) -> bool {
        self.effective_end().is_some_and(|at| at <= now)
    }

    /// When the access ends: the earlier of its own end and its partner's
    /// relationship end (SPEC §9 Ends, R18).
    pub fn effective_end(&self) -> Option<crate::time::UnixTime> {
        match (self.end.map(|e| e.at), self.relationship_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The side the member acts for in this account: a member flagged with
    /// a partner is that partner's person on every screen; anyone else is
    /// one of the client's own people (SPEC §9).
    pub fn side(&self) -> Side {
        if self.partner_account_id.is_some() {
            Side::Partner
        } else {
            Side::Client
        }
    }

    /// A super admin R9 can count on: active, and with no end.
    pub fn is_lasting_super_admin(&self) -> bool {
        self.is_active_super_admin() && self.effective_end().is_none()
    }

    /// Whether it holds `p` and is active.
    pub fn holds(&self, p: Permission) -> bool {
        self.active_permissions().contains(p)
    }

    /// Based on the Partner Admin set and not a super admin (status aside).
    pub fn has_partner_admin_set(&self) -> bool {
        !self.super_admin && self.set == Some(SetKey::Standard(StandardSet::PartnerAdmin))
    }

    /// An active Partner Admin.
    pub fn is_partner_admin(&self) -> bool {
        self.is_active() && self.has_partner_admin_set()
    }

    /// An active super admin.
    pub fn is_active_super_admin(&self) -> bool {
        self.is_active() && self.super_admin
    }

    /// Super admin or *Add and edit users*, active: may manage the account's users.
    pub fn may_manage_users(&self) -> bool {
        self.is_active_super_admin() || self.holds(Permission::UsersEdit)
    }

    /// The access type shown on the Clients tab.
    pub fn access_type(&self) -> AccessType {
        if !self.is_active() {
            AccessType::Deactivated
        } else if self.super_admin {
            AccessType::SuperAdmin
        } else if self.has_partner_admin_set() {
            AccessType::PartnerAdmin
        } else {
            AccessType::OtherSet
        }
    }
}

impl AssetKind {
    /// The permission that lets a member create and edit assets of this kind.
    pub fn edit_permission(self) -> Permission {
        match self {
            AssetKind::Contact => Permission::ContactsEdit,
            AssetKind::Company => Permission::CompaniesEdit,
            AssetKind::Deal => Permission::DealsEdit,
            AssetKind::Ticket => Permission::TicketsEdit,
            AssetKind::Workflow => Permission::WorkflowsEdit,
            AssetKind::Report | AssetKind::Dashboard => Permission::ReportsEdit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_an_asset_needs_the_edit_permission_of_its_kind() {
        let sales = Membership::with_set(StandardSet::Sales);
        assert!(sales.holds(AssetKind::Deal.edit_permission()));
        assert!(!sales.holds(AssetKind::Workflow.edit_permission()));
        assert!(!Membership::with_set(StandardSet::ViewOnly).holds(AssetKind::Contact.edit_permission()));
    }

    #[test]
    fn super_admin_holds_every_permission_including_super_admin_only() {
        let m = Membership::super_admin();
        assert_eq!(m.permissions(), Perms::all());
        assert!(m.holds(Permission::DataCentreMigration));
    }

    #[test]
    fn overrides_apply_on_top_of_the_set() {
        let mut m = Membership::with_set(StandardSet::Sales);
        m.added = Perms::EMPTY.with(Permission::WorkflowsEdit);
        m.removed = Perms::EMPTY.with(Permission::ReportsView);
        let p = m.permissions();
        assert!(p.contains(Permission::WorkflowsEdit));
        assert!(!p.contains(Permission::ReportsView));
        assert!(p.contains(Permission::DealsEdit));
    }

    #[test]
    fn an_override_can_never_grant_a_super_admin_only_permission() {
        let mut m = Membership::with_set(StandardSet::PartnerAdmin);
        m.added = Perms::EMPTY.with(Permission::ScimProvisioning);
        assert!(!m.permissions().contains(Permission::ScimProvisioning));
    }

    #[test]
    fn deactivated_membership_holds_nothing_and_shows_as_deactivated() {
        let mut m = Membership::with_set(StandardSet::PartnerAdmin);
        m.status = MembershipStatus::Deactivated;
        assert!(m.active_permissions().is_empty());
        assert_eq!(m.access_type(), AccessType::Deactivated);
        assert!(!m.is_partner_admin());
        assert!(m.has_partner_admin_set());
    }

    #[test]
    fn access_types_follow_super_admin_and_set() {
        assert_eq!(Membership::super_admin().access_type(), AccessType::SuperAdmin);
        assert_eq!(Membership::with_set(StandardSet::PartnerAdmin).access_type(), AccessType::PartnerAdmin);
        assert_eq!(Membership::with_set(StandardSet::Sales).access_type(), AccessType::OtherSet);
    }

    #[test]
    fn only_solutions_partners_and_providers_may_have_partner_admins() {
        assert!(PartnerProgram::SolutionsPartner.may_have_partner_admins());
        assert!(PartnerProgram::Provider.may_have_partner_admins());
        assert!(!PartnerProgram::AppPartner.may_have_partner_admins());
    }
}
