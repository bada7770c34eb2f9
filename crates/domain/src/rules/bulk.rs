//! R17: each row or client of a bulk action is decided by the rules of the
//! single action it repeats — deactivate and remove (R2, R8, R9), add to a
//! client (R2, R4, R16 with R3's grant) and change a set (R2, R9 with R3).

use super::{
    keeps_a_super_admin, may_act_with, may_add_member, may_change_permission_set, may_change_status, may_grant_while,
    ClientAction, Decision, Reason, Refusal, Rule,
};
use crate::account::{Membership, MembershipStatus};
use crate::api::RowAction;
use crate::grant::{grant, Grant, Granter, Requested};
use crate::permission::Perms;

/// One review row: deactivating needs an active membership (R8); neither
/// may leave the client without an active super admin (R9), with
/// `super_admins` the client's active super admins before this row. (R2
/// lets anyone who may open Client Access Manager do both.)
pub fn decide_row(action: RowAction, target: &Membership, super_admins: usize) -> Decision {
    if action == RowAction::Deactivate {
        may_change_status(target.status, MembershipStatus::Deactivated)?;
    }
    keeps_a_super_admin(target, super_admins)
}

/// The employee is no (longer a) partner user in that client.
pub fn not_in_client() -> Refusal {
    Refusal::invalid(Rule::R17, Reason::NotInClient)
}

fn granter(actor_in_client: Option<&Membership>) -> Granter {
    actor_in_client.map(Granter::member).unwrap_or(Granter::holding(Perms::EMPTY))
}

fn r2(action: ClientAction, actor_in_client: Option<&Membership>) -> Decision {
    let active_pa = actor_in_client.is_some_and(Membership::is_partner_admin);
    may_act_with(action, active_pa, active_pa, false)
}

/// Adding one employee to one client (R4): the actor must be Partner Admin
/// there (R2), the client must not suspend the partner (R16), the employee
/// must not be a user there yet, and the grant is R3's.
pub fn decide_add(
    actor_in_client: Option<&Membership>,
    suspended: bool,
    existing: Option<&Membership>,
    name: &str,
    requested: &Requested,
) -> Result<Grant, Refusal> {
    r2(ClientAction::AddEmployees, actor_in_client)?;
    may_grant_while(suspended)?;
    may_add_member(existing, name, Rule::R4)?;
    Ok(grant(granter(actor_in_client), Perms::EMPTY, requested))
}

/// Changing one employee's set in one client: the actor must be Partner
/// Admin there (R2), the employee a partner user there and no super admin
/// (R9: change them to Partner Admin first), and the grant is R3's.
pub fn decide_change_set(
    actor_in_client: Option<&Membership>,
    target: Option<&Membership>,
    requested: &Requested,
) -> Result<Grant, Refusal> {
    r2(ClientAction::ChangePermissionSet, actor_in_client)?;
    let target = target.ok_or_else(not_in_client)?;
    may_change_permission_set(target, Rule::R9)?;
    Ok(grant(granter(actor_in_client), target.permissions(), requested))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::{Permission, StandardSet};
    use crate::rules::test_support::{deactivated, partner_super_admin};

    fn pa() -> Membership {
        Membership::with_set(StandardSet::PartnerAdmin)
    }

    #[test]
    fn rows_follow_the_single_actions_rules() {
        use RowAction::{Deactivate, Remove};
        let sales = Membership::with_set(StandardSet::Sales);
        // (action, target, active super admins, refused by) — written from SPEC R8/R9.
        let table: [(RowAction, Membership, usize, Option<Rule>); 7] = [
            (Deactivate, sales.clone(), 1, None),
            (Remove, sales.clone(), 0, None),
            (Deactivate, deactivated(sales.clone()), 1, Some(Rule::R8)),
            (Remove, deactivated(sales), 1, None),
            (Deactivate, partner_super_admin(), 1, Some(Rule::R9)),
            (Remove, partner_super_admin(), 1, Some(Rule::R9)),
            (Remove, partner_super_admin(), 2, None),
        ];
        for (action, target, sas, refused) in table {
            assert_eq!(decide_row(action, &target, sas).err().map(|r| r.rule), refused, "{action:?} {target:?} {sas}");
        }
    }

    #[test]
    fn adding_needs_a_partner_admin_there_an_open_client_and_a_newcomer() {
        let req = Requested::standard(StandardSet::Sales);
        assert_eq!(decide_add(None, false, None, "Dan", &req).unwrap_err().rule, Rule::R2);
        let sales = Membership::with_set(StandardSet::Sales);
        assert_eq!(decide_add(Some(&sales), false, None, "Dan", &req).unwrap_err().rule, Rule::R2);
        assert_eq!(decide_add(Some(&pa()), true, None, "Dan", &req).unwrap_err().rule, Rule::R16);
        let err = decide_add(Some(&pa()), false, Some(&sales), "Dan", &req).unwrap_err();
        assert_eq!(err.rule, Rule::R4);
        let g = decide_add(Some(&pa()), false, None, "Dan", &req).unwrap();
        // R3 by hand: the Partner Admin set holds every Sales permission but not all;
        // what the actor lacks is not granted.
        let held = StandardSet::PartnerAdmin.perms();
        assert_eq!(g.permissions(), StandardSet::Sales.perms().intersection(held).assignable());
    }

    #[test]
    fn changing_a_set_needs_the_employee_there_and_no_super_admin() {
        let req = Requested::standard(StandardSet::ViewOnly);
        assert_eq!(decide_change_set(Some(&pa()), None, &req).unwrap_err().reason, Reason::NotInClient);
        let sa = partner_super_admin();
        assert_eq!(decide_change_set(Some(&pa()), Some(&sa), &req).unwrap_err().rule, Rule::R9);
        assert_eq!(decide_change_set(None, Some(&pa()), &req).unwrap_err().rule, Rule::R2);
        let mut target = Membership::with_set(StandardSet::Sales);
        target.added = Perms::EMPTY.with(Permission::Billing);
        let g = decide_change_set(Some(&pa()), Some(&target), &req).unwrap();
        // A permission the actor lacks is kept (R3): Partner Admins do not hold billing.
        assert_eq!(g.permissions().contains(Permission::Billing), !pa().permissions().contains(Permission::Billing));
    }
}
