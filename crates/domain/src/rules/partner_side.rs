//! What a partner may do in its clients from Client Access Manager: open it
//! at all (R1), act in a client (R2), add somebody once (R4), link an
//! existing user (R5), change a status into the other one (R8).

use super::{Decision, Reason, Refusal, Rule};
use crate::account::{AccountKind, Membership, MembershipStatus};
use crate::permission::Permission;
use serde::{Deserialize, Serialize};

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

/// What a partner user may do to partner employees in a client account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    AddEmployees,
    ChangePermissionSet,
    Reactivate,
    Deactivate,
    Remove,
}

impl ClientAction {
    /// Whether R2 looks at the actor's own membership in the client for this
    /// action (deactivating and removing need only Client Access Manager).
    pub fn needs_client_membership(self) -> bool {
        !matches!(self, ClientAction::Deactivate | ClientAction::Remove)
    }
}

/// R2: who may act in a client. Adding, re-permissioning and reactivating need
/// the actor to be Partner Admin in that client (reactivation also while every
/// partner user there, the actor included, is deactivated). Deactivating and
/// removing are also open to anyone who may open Client Access Manager (R1).
pub fn may_act_in_client(
    action: ClientAction,
    partner_account: AccountKind,
    actor_in_partner: &Membership,
    actor_in_client: Option<&Membership>,
    all_partner_users_deactivated: bool,
) -> Decision {
    may_open_client_access_manager(partner_account, actor_in_partner)?;
    may_act_with(
        action,
        actor_in_client.is_some_and(Membership::is_partner_admin),
        actor_in_client.is_some_and(Membership::has_partner_admin_set),
        all_partner_users_deactivated,
    )
}

/// R2 once R1 holds, from what a list row knows of the actor in the client:
/// whether they are an active Partner Admin there, whether their set there
/// is Partner Admin (active or not), and whether every partner user there is
/// deactivated. The browser uses it to disable what the server would refuse.
pub fn may_act_with(
    action: ClientAction,
    active_pa: bool,
    pa_set: bool,
    all_partner_users_deactivated: bool,
) -> Decision {
    let allowed = match action {
        ClientAction::AddEmployees | ClientAction::ChangePermissionSet => active_pa,
        ClientAction::Reactivate => active_pa || (pa_set && all_partner_users_deactivated),
        ClientAction::Deactivate | ClientAction::Remove => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(partner_admin_needed())
    }
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
    use crate::rules::test_support::{deactivated, partner_super_admin};
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
    fn partner_admin_in_the_client_may_add_employees() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        assert!(may_act_in_client(
            ClientAction::AddEmployees,
            AccountKind::Partner,
            &Membership::super_admin(),
            Some(&pa),
            false
        )
        .is_ok());
    }

    #[test]
    fn partner_super_admin_who_is_not_partner_admin_in_the_client_may_not_add_employees() {
        let sales = Membership::with_set(StandardSet::Sales);
        for in_client in [None, Some(&sales)] {
            let err = may_act_in_client(
                ClientAction::AddEmployees,
                AccountKind::Partner,
                &Membership::super_admin(),
                in_client,
                false,
            )
            .unwrap_err();
            assert_eq!(err.rule, Rule::R2);
        }
    }

    #[test]
    fn client_super_admin_must_become_partner_admin_before_changing_sets() {
        let sa = partner_super_admin();
        assert!(may_act_in_client(
            ClientAction::ChangePermissionSet,
            AccountKind::Partner,
            &Membership::super_admin(),
            Some(&sa),
            false
        )
        .is_err());
    }

    #[test]
    fn anyone_with_client_access_manager_may_deactivate_or_remove_even_when_all_are_deactivated() {
        let own = deactivated(Membership::with_set(StandardSet::PartnerAdmin));
        for action in [ClientAction::Deactivate, ClientAction::Remove] {
            assert!(
                may_act_in_client(action, AccountKind::Partner, &Membership::super_admin(), Some(&own), true).is_ok()
            );
            assert!(may_act_in_client(action, AccountKind::Partner, &Membership::super_admin(), None, false).is_ok());
        }
    }

    #[test]
    fn removal_and_deactivation_do_not_depend_on_the_actor_s_client_membership() {
        for action in [ClientAction::Remove, ClientAction::Deactivate] {
            assert!(!action.needs_client_membership());
            let sa = Membership::super_admin();
            let with = may_act_in_client(
                action,
                AccountKind::Partner,
                &sa,
                Some(&Membership::with_set(StandardSet::Sales)),
                false,
            );
            assert_eq!(with, may_act_in_client(action, AccountKind::Partner, &sa, None, true));
        }
        assert!(ClientAction::Reactivate.needs_client_membership());
    }

    #[test]
    fn deactivated_partner_admin_may_reactivate_only_when_every_partner_user_is_deactivated() {
        let own = deactivated(Membership::with_set(StandardSet::PartnerAdmin));
        let sa = Membership::super_admin();
        assert!(may_act_in_client(ClientAction::Reactivate, AccountKind::Partner, &sa, Some(&own), true).is_ok());
        assert!(may_act_in_client(ClientAction::Reactivate, AccountKind::Partner, &sa, Some(&own), false).is_err());
    }

    #[test]
    fn actions_in_clients_need_client_access_manager_first() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        let err = may_act_in_client(
            ClientAction::Remove,
            AccountKind::Partner,
            &Membership::with_set(StandardSet::Sales),
            Some(&pa),
            false,
        )
        .unwrap_err();
        assert_eq!(err.rule, Rule::R1);
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

    #[test]
    fn r2_from_a_rows_view_follows_the_spec_table() {
        use ClientAction::*;
        // (action, active Partner Admin, Partner Admin set, all deactivated) → allowed, by SPEC R2.
        let table = [
            (AddEmployees, true, true, false, true),
            (AddEmployees, false, true, true, false),
            (AddEmployees, false, false, false, false),
            (ChangePermissionSet, true, true, false, true),
            (ChangePermissionSet, false, false, false, false),
            (Reactivate, true, true, false, true),
            (Reactivate, false, true, true, true),
            (Reactivate, false, true, false, false),
            (Reactivate, false, false, true, false),
            (Deactivate, false, false, false, true),
            (Remove, false, false, false, true),
        ];
        for (action, active_pa, pa_set, all_off, allowed) in table {
            let d = may_act_with(action, active_pa, pa_set, all_off);
            assert_eq!(d.is_ok(), allowed, "{action:?} {active_pa} {pa_set} {all_off}");
            if let Err(r) = d {
                assert_eq!(r.rule, Rule::R2);
            }
        }
    }
}
