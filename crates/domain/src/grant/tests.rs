//! The grant rule, checked against SPEC R3 read permission by permission.

use super::*;
use crate::account::MembershipStatus;
use crate::rules::RefusalKind;
use proptest::prelude::*;
use Permission::*;

fn pa_without_reports() -> Membership {
    let mut m = Membership::with_set(StandardSet::PartnerAdmin);
    m.removed = Perms::EMPTY.with(ReportsView).with(ReportsEdit);
    m
}

#[test]
fn a_partner_admin_without_reports_creates_a_partner_admin_without_reports() {
    let g =
        grant(Granter::member(&pa_without_reports()), Perms::EMPTY, &Requested::standard(StandardSet::PartnerAdmin));
    assert!(!g.permissions().contains(ReportsView));
    assert!(!g.permissions().contains(ReportsEdit));
    assert!(g.change().not_granted.contains(ReportsView));
    assert!(g.permissions().contains(DealsEdit));
    assert_eq!(g.set(), Some(SetKey::Standard(StandardSet::PartnerAdmin)));
    assert!(g.removed().contains(ReportsView) && g.removed().contains(ReportsEdit));
    assert!(g.applied_to(&Membership::with_set(StandardSet::ViewOnly)).is_partner_admin());
}

#[test]
fn admin_cannot_grant_reports_they_lack() {
    let admin = StandardSet::PartnerAdmin.perms().without(ReportsView).without(ReportsEdit);
    let g = grant(Granter::holding(admin), Perms::EMPTY, &Requested::standard(StandardSet::Sales));
    assert!(!g.permissions().contains(ReportsView));
    assert!(g.change().not_granted.contains(ReportsView));
    assert!(g.change().added.contains(DealsEdit));
}

#[test]
fn employee_keeps_reports_the_admin_lacks_after_a_set_change() {
    let admin = StandardSet::PartnerAdmin.perms().without(ReportsView);
    let employee = Membership::with_set(StandardSet::Sales);
    let wanted = Requested::with_overrides(
        Some((SetKey::Standard(StandardSet::ViewOnly), StandardSet::ViewOnly.perms())),
        Perms::EMPTY,
        Perms::EMPTY.with(ReportsView),
    );
    let g = grant(Granter::holding(admin), employee.permissions(), &wanted);
    assert!(g.permissions().contains(ReportsView));
    assert!(g.change().not_removed.contains(ReportsView));
    assert!(g.change().removed.contains(DealsEdit));
}

#[test]
fn a_deactivated_granter_grants_nothing_and_removes_nothing() {
    let mut gone = Membership::super_admin();
    gone.status = MembershipStatus::Deactivated;
    let employee = Membership::with_set(StandardSet::Sales);
    let g = grant(Granter::member(&gone), employee.permissions(), &Requested::standard(StandardSet::PartnerAdmin));
    assert_eq!(g.permissions(), employee.permissions());
    assert!(g.change().added.is_empty() && g.change().removed.is_empty());
}

#[test]
fn no_grant_carries_a_super_admin_only_permission_without_super_admin_rights() {
    let wanted = Requested::with_overrides(None, Perms::all(), Perms::EMPTY);
    let g = grant(Granter::platform(), Perms::EMPTY, &wanted);
    assert!(g.permissions().iter().all(|p| !p.is_super_admin_only()));
    assert!(!g.super_admin());
}

#[test]
fn only_a_super_admin_gives_or_takes_super_admin_rights() {
    let pa = Membership::with_set(StandardSet::PartnerAdmin);
    let sales = Membership::with_set(StandardSet::Sales);
    let err = grant_super_admin(Granter::member(&pa), &sales).unwrap_err();
    assert_eq!((err.rule, err.kind), (Rule::R12, RefusalKind::Forbidden));
    let g = grant_super_admin(Granter::member(&Membership::super_admin()), &sales).unwrap();
    assert!(g.super_admin());
    assert_eq!(g.permissions(), Perms::all());
    let back = revoke_super_admin(Granter::platform(), &g.applied_to(&sales)).unwrap();
    assert_eq!(back.permissions(), StandardSet::Sales.perms());
    assert_eq!(revoke_super_admin(Granter::member(&pa), &Membership::super_admin()).unwrap_err().rule, Rule::R12);
}

fn perms() -> impl Strategy<Value = Perms> {
    proptest::collection::vec(proptest::sample::select(Permission::ALL), 0..20).prop_map(|v| v.into_iter().collect())
}

fn membership() -> impl Strategy<Value = Membership> {
    (any::<bool>(), perms(), perms(), perms(), any::<bool>()).prop_map(|(sa, set, add, rem, active)| {
        let mut m = if sa { Membership::super_admin() } else { Membership::with_set(StandardSet::ViewOnly) };
        if !sa {
            m.set = Some(SetKey::Custom(1));
            m.set_perms = set.assignable();
            m.added = add.assignable();
            m.removed = rem.assignable();
        }
        if !active {
            m.status = MembershipStatus::Deactivated;
        }
        m
    })
}

proptest! {
    /// The oracle here is plain per-permission reasoning, not the set
    /// algebra of `bounded`: for each permission, what R3 says.
    #[test]
    fn each_permission_follows_r3(
        actor in membership(), person in proptest::option::of(membership()),
        set in perms(), add in perms(), rem in perms(),
    ) {
        let requested = Requested::with_overrides(Some((SetKey::Custom(9), set)), add, rem);
        let had_perms = person.as_ref().map(Membership::permissions).unwrap_or_default();
        let g = grant(Granter::member(&actor), had_perms, &requested);
        let held_by_actor = |p: Permission| actor.is_active() && (actor.super_admin || actor.permissions().contains(p));
        for &p in Permission::ALL {
            let had = person.as_ref().is_some_and(|m| m.super_admin || m.permissions().contains(p));
            let asked = (set.contains(p) || add.contains(p)) && !rem.contains(p);
            let expected = if p.is_super_admin_only() { false } else if held_by_actor(p) { asked } else { had };
            prop_assert_eq!(g.permissions().contains(p), expected, "{:?}", p);
        }
        // What is stored adds up to what was decided.
        let stored = g.applied_to(&Membership::with_set(StandardSet::ViewOnly));
        prop_assert_eq!(stored.permissions(), g.permissions());
    }

    #[test]
    fn nobody_ends_with_a_permission_neither_they_nor_the_granter_held(
        actor in membership(), person in proptest::option::of(membership()), set in perms(),
    ) {
        let before = person.as_ref().map(Membership::permissions).unwrap_or_default();
        let g = grant(Granter::member(&actor), before, &Requested::set(SetKey::Custom(3), set));
        prop_assert!(g.permissions().is_subset(before.union(actor.active_permissions())));
    }
}
