//! Super admins: who can be changed to Partner Admin at all (R9), what only
//! super admins may do (R12), and that a super admin's permission set is
//! not edited. Who converts whom, and that an account keeps a super admin,
//! is decided by [`crate::authority`] (§9).

use super::{Decision, Reason, Refusal, Rule};
use crate::account::Membership;
use crate::permission::Permission;
use serde::{Deserialize, Serialize};

/// R9 (partner side) and R12 (client side): a super admin holds every
/// permission, so their permission set is not changed; a partner super
/// admin is changed to Partner Admin first (R9), a client's super admin
/// loses super admin rights first (R12).
pub fn may_change_permission_set(target: &Membership, rule: Rule) -> Decision {
    if !target.super_admin {
        return Ok(());
    }
    let why = match rule {
        Rule::R9 => Reason::SetOfPartnerSuperAdmin,
        _ => Reason::SetOfSuperAdmin,
    };
    Err(Refusal::invalid(rule, why))
}

/// R9: who can be changed to Partner Admin at all: a super admin who is a
/// partner employee. Decides both the server's answer and whether the
/// browser offers *Change to Partner Admin* on a row.
pub fn may_be_migrated(target_is_super_admin: bool, target_is_partner_employee: bool) -> Decision {
    if !target_is_super_admin {
        return Err(Refusal::invalid(Rule::R9, Reason::NotSuperAdmin));
    }
    if !target_is_partner_employee {
        return Err(Refusal::invalid(Rule::R9, Reason::MigrateNotPartnerEmployee));
    }
    Ok(())
}

/// Account features reserved to super admins (Billing also to holders of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminFeature {
    Billing,
    SuperAdmins,
    ScimProvisioning,
    DataCentreMigration,
}

impl AdminFeature {
    /// The permission the feature needs.
    pub fn permission(self) -> Permission {
        match self {
            AdminFeature::Billing => Permission::Billing,
            AdminFeature::SuperAdmins => Permission::SuperAdminsManage,
            AdminFeature::ScimProvisioning => Permission::ScimProvisioning,
            AdminFeature::DataCentreMigration => Permission::DataCentreMigration,
        }
    }
}

/// R12: Partner Admins cannot add or remove super admins, reach SCIM or
/// data-centre migration, nor billing unless they kept it.
pub fn may_use_admin_feature(feature: AdminFeature, member: &Membership) -> Decision {
    if member.holds(feature.permission()) {
        return Ok(());
    }
    let why = match feature {
        AdminFeature::Billing => Reason::BillingClosed,
        AdminFeature::SuperAdmins => Reason::SuperAdminsOnly,
        AdminFeature::ScimProvisioning => Reason::ScimSuperAdminOnly,
        AdminFeature::DataCentreMigration => Reason::MigrationSuperAdminOnly,
    };
    Err(Refusal::forbidden(Rule::R12, why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::PartnerProgram;
    use crate::permission::StandardSet;
    use crate::rules::{may_take_partner_seat, RefusalKind};

    #[test]
    fn a_super_admin_s_set_is_not_changed_and_a_partner_seat_needs_a_partner() {
        let sa = Membership::super_admin();
        assert_eq!(may_change_permission_set(&sa, Rule::R9).unwrap_err().rule, Rule::R9);
        assert_eq!(may_change_permission_set(&sa, Rule::R12).unwrap_err().rule, Rule::R12);
        assert!(may_change_permission_set(&Membership::with_set(StandardSet::Sales), Rule::R9).is_ok());
        assert_eq!(may_take_partner_seat(None).unwrap_err().rule, Rule::R11);
        assert!(may_take_partner_seat(Some(PartnerProgram::AppPartner)).is_ok());
    }

    #[test]
    fn partner_admin_is_refused_super_admin_only_features() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        for f in [
            AdminFeature::SuperAdmins,
            AdminFeature::ScimProvisioning,
            AdminFeature::DataCentreMigration,
            AdminFeature::Billing,
        ] {
            assert_eq!(may_use_admin_feature(f, &pa).unwrap_err().rule, Rule::R12, "{f:?}");
        }
    }

    #[test]
    fn partner_admin_who_kept_billing_may_use_billing_only() {
        let mut kept = Membership::with_set(StandardSet::PartnerAdmin);
        kept.added = crate::permission::Perms::EMPTY.with(Permission::Billing);
        assert!(may_use_admin_feature(AdminFeature::Billing, &kept).is_ok());
        assert!(may_use_admin_feature(AdminFeature::SuperAdmins, &kept).is_err());
    }

    #[test]
    fn super_admin_may_use_every_admin_feature() {
        for f in [
            AdminFeature::SuperAdmins,
            AdminFeature::ScimProvisioning,
            AdminFeature::DataCentreMigration,
            AdminFeature::Billing,
        ] {
            assert!(may_use_admin_feature(f, &Membership::super_admin()).is_ok());
        }
    }

    #[test]
    fn only_a_partner_employee_super_admin_can_be_migrated() {
        assert!(may_be_migrated(true, true).is_ok());
        for (super_admin, partner) in [(false, true), (true, false), (false, false)] {
            let r = may_be_migrated(super_admin, partner).unwrap_err();
            assert_eq!((r.rule, r.kind), (Rule::R9, RefusalKind::Invalid), "{super_admin} {partner}");
        }
    }
}
