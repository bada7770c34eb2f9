//! The gates of the partner side that the authority table (SPEC §9,
//! [`crate::authority`]) builds on: opening Client Access Manager at all
//! (R1), R2's refusal, adding somebody once (R4), linking an existing user
//! (R5), changing a status into the other one (R8).

use super::{Decision, Reason, Refusal, Rule};
use crate::account::{AccountKind, Membership, MembershipStatus};
use crate::permission::Permission;

/// R1: only a partner-account super admin or a holder of *View and edit
/// partner employees* may open Client Access Manager.
pub fn may_open_client_access_manager(account: AccountKind, member: &Membership) -> Decision {
    if account == AccountKind::Partner
        && (member.is_active_super_admin() || member.holds(Permission::PartnerEmployeesEdit))
    {
        Ok(())
    } else {
        Err(client_access_manager_refused(account))
    }
}

/// R1's refusal in an account of this kind: for the page that tells a user
/// why Client Access Manager is closed to them, as the server would say it.
pub fn client_access_manager_refused(account: AccountKind) -> Refusal {
    if account != AccountKind::Partner {
        Refusal::forbidden(Rule::R1, Reason::CamPartnerOnly)
    } else {
        Refusal::forbidden(Rule::R1, Reason::CamNotAllowed)
    }
}

/// R2's refusal: the reason an action that needs a Partner Admin in the
/// client is shown disabled, as the server would refuse it.
pub fn partner_admin_needed() -> Refusal {
    Refusal::forbidden(Rule::R2, Reason::PartnerAdminNeeded)
}

/// R4 and R11: a person is added to an account only once; `existing` is
/// their membership there, if any, and `name` how the refusal names them.
pub fn may_add_member(existing: Option<&Membership>, name: &str, rule: Rule) -> Decision {
    match existing {
        None => Ok(()),
        Some(_) => Err(Refusal::conflict_naming(rule, Reason::AlreadyUserNamed, name)),
    }
}

/// R8: deactivating or reactivating changes a status into the other one.
pub fn may_change_status(current: MembershipStatus, to: MembershipStatus) -> Decision {
    if current == to {
        Err(Refusal::invalid(
            Rule::R8,
            match to {
                MembershipStatus::Active => Reason::AlreadyActive,
                MembershipStatus::Deactivated => Reason::AlreadyDeactivated,
            },
        ))
    } else {
        Ok(())
    }
}

/// R5: a manual link is possible only where the user already exists in the
/// client account and is not yet linked to a partner.
pub fn may_link(existing: Option<&Membership>, partner_account_id: i64) -> Decision {
    match existing.map(|m| m.partner_account_id) {
        None => Err(Refusal::invalid(Rule::R5, Reason::NothingToLink)),
        Some(Some(p)) if p == partner_account_id => Err(Refusal::conflict(Rule::R5, Reason::AlreadyLinked)),
        Some(Some(_)) => Err(Refusal::conflict(Rule::R5, Reason::LinkedElsewhere)),
        Some(None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::{Perms, StandardSet};
    use crate::rules::test_support::deactivated;
    use crate::rules::RefusalKind;

    #[test]
    fn partner_super_admin_may_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Partner, &Membership::super_admin()).is_ok());
    }

    #[test]
    fn holder_of_view_and_edit_partner_employees_may_open_client_access_manager() {
        let mut m = Membership::with_set(StandardSet::ViewOnly);
        m.added = Perms::EMPTY.with(Permission::PartnerEmployeesEdit);
        assert!(may_open_client_access_manager(AccountKind::Partner, &m).is_ok());
    }

    #[test]
    fn plain_partner_employee_is_refused_client_access_manager_naming_r1() {
        let err = may_open_client_access_manager(AccountKind::Partner, &Membership::with_set(StandardSet::Sales))
            .unwrap_err();
        assert_eq!(err.rule, Rule::R1);
        assert_eq!(err.kind, RefusalKind::Forbidden);
        assert!(err.message().contains("View and edit partner employees"));
    }

    #[test]
    fn customer_account_super_admin_cannot_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Customer, &Membership::super_admin()).is_err());
    }

    #[test]
    fn deactivated_partner_super_admin_cannot_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Partner, &deactivated(Membership::super_admin())).is_err());
    }

    #[test]
    fn a_person_is_added_to_an_account_once() {
        assert!(may_add_member(None, "Dan", Rule::R4).is_ok());
        let err = may_add_member(Some(&Membership::with_set(StandardSet::Sales)), "Dan", Rule::R4).unwrap_err();
        assert_eq!((err.rule, err.kind), (Rule::R4, RefusalKind::Conflict));
        assert!(err.message().contains("Dan is already a user"));
    }

    #[test]
    fn a_status_changes_only_into_the_other_one() {
        use MembershipStatus::{Active, Deactivated};
        assert!(may_change_status(Active, Deactivated).is_ok());
        assert_eq!(may_change_status(Active, Active).unwrap_err().rule, Rule::R8);
    }

    #[test]
    fn only_unlinked_existing_users_can_be_linked() {
        let plain = Membership::with_set(StandardSet::ViewOnly);
        assert!(may_link(Some(&plain), 1).is_ok());
        assert_eq!(may_link(None, 1).unwrap_err().kind, RefusalKind::Invalid);
        let mut linked = plain.clone();
        linked.partner_account_id = Some(1);
        assert_eq!(may_link(Some(&linked), 1).unwrap_err().rule, Rule::R5);
        linked.partner_account_id = Some(2);
        assert_eq!(may_link(Some(&linked), 1).unwrap_err().kind, RefusalKind::Conflict);
    }
}
