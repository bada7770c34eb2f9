//! Super admins: who may change a partner super admin to Partner Admin and
//! that an account always keeps one (R9), what only super admins may do
//! (R12), and that a super admin's permission set is not edited.

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

/// Who is asking for a migration to Partner Admin, relative to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrator<'a> {
    /// The target migrates themself (partner side, a client where they are super admin).
    Themself,
    /// Somebody else: their membership of the client account, if any.
    Other {
        actor: Option<&'a Membership>,
        /// The actor is an employee of the same partner as the target.
        same_partner: bool,
    },
}

/// R9: who may change a partner super admin to Partner Admin: the super admin
/// themself, any active super admin of the account, or a Partner Admin of the
/// same partner in that account.
pub fn may_migrate(migrator: Migrator<'_>) -> Decision {
    match migrator {
        Migrator::Themself => Ok(()),
        Migrator::Other { actor: Some(actor), .. } if actor.is_active_super_admin() => Ok(()),
        Migrator::Other { actor: Some(actor), same_partner: true } if actor.is_partner_admin() => Ok(()),
        Migrator::Other { .. } => Err(Refusal::forbidden(Rule::R9, Reason::MigrateNotAllowed)),
    }
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

/// R9 as an invariant: whether removing super admin rights from a member of an
/// account with `active_super_admins` active super admins (that member
/// included when `member_active`) would leave none.
pub fn would_leave_no_super_admin(active_super_admins: usize, member_active: bool) -> bool {
    active_super_admins.saturating_sub(usize::from(member_active)) == 0
}

/// R9 for deactivations and removals: taking an active super admin out of an
/// account with `active_super_admins` active super admins must leave one.
pub fn keeps_a_super_admin(target: &Membership, active_super_admins: usize) -> Decision {
    if target.is_active_super_admin() && would_leave_no_super_admin(active_super_admins, true) {
        Err(Refusal::conflict(Rule::R9, Reason::LastSuperAdmin))
    } else {
        Ok(())
    }
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

/// R12 on Users & Teams: a super admin's seat, status and membership are
/// changed only by someone who may add and remove super admins (a super
/// admin). Otherwise a Partner Admin holding *Add and edit users* could
/// deactivate or remove the very super admins R12 puts out of their reach.
/// `editor_manages_super_admins` is whether the editor holds *Add and remove
/// super admins*, which only an active super admin does.
pub fn may_change_member(editor_manages_super_admins: bool, target_is_super_admin: bool) -> Decision {
    if target_is_super_admin && !editor_manages_super_admins {
        Err(Refusal::forbidden(Rule::R12, Reason::SuperAdminProtected))
    } else {
        Ok(())
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
    use crate::account::{MembershipStatus, PartnerProgram};
    use crate::permission::StandardSet;
    use crate::rules::test_support::{deactivated, partner_super_admin};
    use crate::rules::{may_take_partner_seat, RefusalKind};
    use proptest::prelude::*;

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
    fn a_partner_admin_cannot_change_or_remove_a_super_admin_but_a_super_admin_can() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        let sa = Membership::super_admin();
        let err = may_change_member(pa.holds(Permission::SuperAdminsManage), true).unwrap_err();
        assert_eq!((err.rule, err.kind), (Rule::R12, RefusalKind::Forbidden));
        assert!(may_change_member(pa.holds(Permission::SuperAdminsManage), false).is_ok());
        assert!(may_change_member(sa.holds(Permission::SuperAdminsManage), true).is_ok());
        assert!(may_change_member(deactivated(sa).holds(Permission::SuperAdminsManage), true).is_err());
    }

    #[test]
    fn partner_admin_of_the_same_partner_may_migrate_other_partner_super_admins() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        assert!(may_migrate(Migrator::Other { actor: Some(&pa), same_partner: true }).is_ok());
        assert!(may_migrate(Migrator::Other { actor: Some(&pa), same_partner: false }).is_err());
        let sales = Membership::with_set(StandardSet::Sales);
        assert_eq!(
            may_migrate(Migrator::Other { actor: Some(&sales), same_partner: true }).unwrap_err().rule,
            Rule::R9
        );
        assert!(may_migrate(Migrator::Other { actor: Some(&Membership::super_admin()), same_partner: false }).is_ok());
        assert!(may_migrate(Migrator::Other { actor: None, same_partner: true }).is_err());
    }

    #[test]
    fn the_last_active_super_admin_cannot_be_deactivated_or_removed() {
        let sa = Membership::super_admin();
        assert_eq!(keeps_a_super_admin(&sa, 1).unwrap_err().kind, RefusalKind::Conflict);
        assert!(keeps_a_super_admin(&sa, 2).is_ok());
        assert!(keeps_a_super_admin(&Membership::with_set(StandardSet::PartnerAdmin), 0).is_ok());
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
        let target = partner_super_admin();
        let kept = crate::grant::migrate_to_partner_admin(crate::grant::Granter::platform(), &target, 2, true).unwrap();
        let kept = kept.applied_to(&target);
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

    proptest! {
        #[test]
        fn r9_no_sequence_of_migrations_leaves_zero_super_admins(
            members in proptest::collection::vec((any::<bool>(), any::<bool>()), 1..8),
            attempts in proptest::collection::vec((0usize..8, any::<bool>()), 0..30),
        ) {
            // (is partner employee, active) per super admin; at least one active non-partner anchor is not assumed.
            let mut account: Vec<Membership> = members.iter().map(|(partner, active)| {
                let mut m = Membership::super_admin();
                if *partner { m.partner_account_id = Some(7); }
                if !*active { m.status = MembershipStatus::Deactivated; }
                m
            }).collect();
            let count = |acc: &Vec<Membership>| acc.iter().filter(|m| m.is_active_super_admin()).count();
            let before = count(&account);
            for (i, keep) in attempts {
                let i = i % account.len();
                if let Ok(g) = crate::grant::migrate_to_partner_admin(crate::grant::Granter::platform(), &account[i], count(&account), keep) {
                    account[i] = g.applied_to(&account[i]);
                }
                if before > 0 {
                    prop_assert!(count(&account) >= 1);
                }
            }
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
