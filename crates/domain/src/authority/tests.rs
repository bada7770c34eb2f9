//! The decisions of §9 against the table, row by row. Expected answers are
//! read off SPEC §9 (who may, bound, refused when), not off the code.

use super::*;
use crate::account::{AccountKind, PartnerProgram};
use crate::permission::{SetKey, StandardSet};
use crate::rules::RefusalKind;
use proptest::prelude::*;
use Permission::*;

const NOW: UnixTime = UnixTime(1_800_000_000);
const NW: i64 = 1;
const CONTOSO: i64 = 2;

fn place() -> Place {
    Place { now: NOW, lasting_super_admins: 2, suspended: vec![], terms: vec![] }
}

fn suspending(partner: i64) -> Place {
    Place { suspended: vec![partner], ..place() }
}

fn person(set: StandardSet, partner: Option<i64>) -> Membership {
    let mut m = Membership::with_set(set);
    m.partner_account_id = partner;
    m.seat = if partner.is_some() { Seat::Partner } else { Seat::Core };
    m
}

fn pa(partner: i64) -> Membership {
    person(StandardSet::PartnerAdmin, Some(partner))
}

fn pa_without_reports(partner: i64) -> Membership {
    let mut m = pa(partner);
    m.removed = Perms::EMPTY.with(ReportsView).with(ReportsEdit);
    m
}

fn off(mut m: Membership, by: Deactivator) -> Membership {
    m.status = MembershipStatus::Deactivated;
    m.deactivated_by = Some(by);
    m
}

fn ending(mut m: Membership, days: i64, by: Side) -> Membership {
    m.end = Some(End { at: NOW.plus_days(days), by });
    m
}

fn northwind_super_admin() -> Membership {
    Membership::super_admin()
}

fn actor(here: Option<&Membership>) -> PartnerActor<'_> {
    PartnerActor::new(NW, AccountKind::Partner, &northwind_super_admin(), here).unwrap()
}

fn refused(r: Result<Change, Refusal>) -> (Rule, RefusalKind) {
    let e = r.unwrap_err();
    (e.rule, e.kind)
}

fn sales_perms() -> Perms {
    StandardSet::Sales.perms()
}

// R1: every partner-side row needs Client Access Manager first.
#[test]
fn partner_side_rows_need_client_access_manager_first() {
    let cleo = person(StandardSet::Sales, Some(NW));
    let err = PartnerActor::new(NW, AccountKind::Partner, &cleo, None).unwrap_err();
    assert_eq!(err.rule, Rule::R1);
}

// A1: an active Partner Admin there; S ∩ A; refused while suspended or for a member.
#[test]
fn a1_only_an_active_partner_admin_of_the_partner_adds_and_gives_at_most_what_they_hold() {
    let me = pa_without_reports(NW);
    let g = add_employee(&actor(Some(&me)), None, "Dan", &Requested::standard(StandardSet::Sales), None, &mut place())
        .unwrap();
    let after = g.after().unwrap();
    assert_eq!(after.permissions(), sales_perms().without(ReportsView).without(ReportsEdit));
    assert_eq!((after.seat, after.partner_account_id, after.is_active()), (Seat::Partner, Some(NW), true));
    for not_pa in
        [None, Some(off(pa(NW), Deactivator::Partner)), Some(pa(CONTOSO)), Some(person(StandardSet::Sales, Some(NW)))]
    {
        let r = add_employee(
            &actor(not_pa.as_ref()),
            None,
            "Dan",
            &Requested::standard(StandardSet::Sales),
            None,
            &mut place(),
        );
        assert_eq!(refused(r), (Rule::R2, RefusalKind::Forbidden), "{not_pa:?}");
    }
    let me = pa(NW);
    let r = add_employee(
        &actor(Some(&me)),
        None,
        "Dan",
        &Requested::standard(StandardSet::Sales),
        None,
        &mut suspending(NW),
    );
    assert_eq!(refused(r), (Rule::R16, RefusalKind::Conflict));
    let there = person(StandardSet::ViewOnly, None);
    let r = add_employee(
        &actor(Some(&me)),
        Some(&there),
        "Dan",
        &Requested::standard(StandardSet::Sales),
        None,
        &mut place(),
    );
    assert_eq!(refused(r), (Rule::R4, RefusalKind::Conflict));
}

// §9 note on Billing: a set (custom included) never gives a partner employee Billing.
#[test]
fn billing_never_comes_through_a_set_or_an_edit_for_a_partner_employee() {
    let custom = Requested::set(SetKey::Custom(9), sales_perms().with(Billing));
    let carol = Membership::super_admin();
    let mut pl = place();
    let a = add_employee(&actor(Some(&pa(NW))), None, "Dan", &custom, None, &mut pl).unwrap();
    assert!(!a.after().unwrap().permissions().contains(Billing));
    let cleo = person(StandardSet::Sales, Some(NW));
    let e = edit_permissions(&carol, &cleo, &custom, &mut pl).unwrap();
    assert!(!e.after().unwrap().permissions().contains(Billing));
    // The client's own people get what they are given.
    let own = person(StandardSet::ViewOnly, None);
    assert!(edit_permissions(&carol, &own, &custom, &mut pl).unwrap().after().unwrap().permissions().contains(Billing));
    // R9's Keep billing permissions is the one path.
    let mut sa = Membership::super_admin();
    sa.partner_account_id = Some(NW);
    let c = convert_as_partner(&actor(Some(&sa)), true, &sa, true, &mut pl).unwrap();
    let kept = c.after().unwrap().clone();
    assert!(kept.permissions().contains(Billing));
    // What R9 kept stays under R3 like any other permission: an edit that
    // keeps it ticked keeps it, one that unticks it takes it away.
    let e = edit_permissions(&carol, &kept, &custom, &mut pl).unwrap();
    assert!(e.after().unwrap().permissions().contains(Billing), "kept Billing, ticked");
    let e = edit_permissions(&carol, &kept, &Requested::standard(StandardSet::Sales), &mut pl).unwrap();
    assert!(!e.after().unwrap().permissions().contains(Billing), "kept Billing, unticked");
}

// A2: R3's formula; refused while suspended; a super admin is converted first.
#[test]
fn a2_changes_a_set_by_r3_and_not_while_suspended() {
    let me = pa_without_reports(NW);
    let cleo = person(StandardSet::Sales, Some(NW));
    let c = change_set(&actor(Some(&me)), &cleo, &Requested::standard(StandardSet::ViewOnly), &mut place()).unwrap();
    // Reports the actor lacks are neither granted nor removed.
    let want =
        sales_perms().difference(me.permissions()).union(StandardSet::ViewOnly.perms().intersection(me.permissions()));
    assert_eq!(c.after().unwrap().permissions(), want);
    let r = change_set(&actor(Some(&me)), &cleo, &Requested::standard(StandardSet::ViewOnly), &mut suspending(NW));
    assert_eq!(refused(r).0, Rule::R16);
    let mut sa = Membership::super_admin();
    sa.partner_account_id = Some(NW);
    assert_eq!(
        refused(change_set(&actor(Some(&me)), &sa, &Requested::standard(StandardSet::Sales), &mut place())).0,
        Rule::R9
    );
}

// A3: any R1 holder, even with every partner user deactivated; never the last super admin.
#[test]
fn a3_deactivating_and_removing_need_only_r1_and_keep_a_super_admin() {
    let cleo = person(StandardSet::Sales, Some(NW));
    let me_off = off(pa(NW), Deactivator::Partner);
    let d = deactivate_employee(&actor(Some(&me_off)), &cleo, &mut place()).unwrap();
    assert_eq!(d.after().unwrap().deactivated_by, Some(Deactivator::Partner));
    assert!(remove_employee(&actor(None), &cleo, &mut place()).unwrap().after().is_none());
    let mut sa = Membership::super_admin();
    sa.partner_account_id = Some(NW);
    let mut one = Place { lasting_super_admins: 1, ..place() };
    assert_eq!(refused(remove_employee(&actor(None), &sa, &mut one)), (Rule::R9, RefusalKind::Conflict));
    assert_eq!(refused(deactivate_employee(&actor(None), &off(cleo, Deactivator::Partner), &mut place())).0, Rule::R8);
}

// A4: active Partner Admin; holds everything given back; end unchanged; refusals.
#[test]
fn a4_reactivation_is_a_grant_of_everything_the_person_gets_back() {
    let cleo = ending(off(person(StandardSet::Sales, Some(NW)), Deactivator::Partner), 7, Side::Partner);
    let me = pa(NW);
    let r = reactivate_employee(&actor(Some(&me)), &cleo, &mut place()).unwrap();
    let after = r.after().unwrap();
    assert!(after.is_active());
    assert_eq!(after.end, cleo.end, "reactivating never moves or clears an end");
    // A restricted Partner Admin lacking Reports the person holds.
    let r = reactivate_employee(&actor(Some(&pa_without_reports(NW))), &cleo, &mut place());
    assert_eq!(refused(r), (Rule::R3, RefusalKind::Forbidden));
    // A deactivated Partner Admin never acts, even when everyone is deactivated (R8).
    let me_off = off(pa(NW), Deactivator::Partner);
    assert_eq!(refused(reactivate_employee(&actor(Some(&me_off)), &cleo, &mut place())).0, Rule::R2);
    assert_eq!(refused(reactivate_employee(&actor(Some(&me)), &cleo, &mut suspending(NW))).0, Rule::R16);
    let by_client = off(person(StandardSet::Sales, Some(NW)), Deactivator::Client);
    assert_eq!(
        refused(reactivate_employee(&actor(Some(&me)), &by_client, &mut place())),
        (Rule::R8, RefusalKind::Forbidden)
    );
    let passed = ending(off(person(StandardSet::Sales, Some(NW)), Deactivator::System), -1, Side::Partner);
    assert_eq!(
        refused(reactivate_employee(&actor(Some(&me)), &passed, &mut place())),
        (Rule::R14, RefusalKind::Invalid)
    );
}

// A5: nothing but the partner flag; refused while suspended and for a super admin.
#[test]
fn a5_linking_changes_only_the_partner_flag() {
    let eve = ending(person(StandardSet::ViewOnly, None), 5, Side::Client);
    let l = link_user(&actor(None), Some(&eve), &mut place()).unwrap();
    let mut want = eve.clone();
    want.partner_account_id = Some(NW);
    assert_eq!(l.after(), Some(&want));
    assert!(!l.widening().widens);
    assert_eq!(refused(link_user(&actor(None), Some(&eve), &mut suspending(NW))).0, Rule::R16);
    assert_eq!(refused(link_user(&actor(None), Some(&Membership::super_admin()), &mut place())).0, Rule::R5);
}

// A6: later/removed is a grant, never of a client-set end; earlier keeps the client's.
#[test]
fn a6_the_partner_moves_ends_within_what_it_holds_and_never_lifts_the_clients() {
    let me = pa(NW);
    let client_end = ending(person(StandardSet::Sales, Some(NW)), 7, Side::Client);
    assert_eq!(
        refused(set_end_as_partner(&actor(Some(&me)), &client_end, None, &mut place())),
        (Rule::R14, RefusalKind::Forbidden)
    );
    assert_eq!(
        refused(set_end_as_partner(&actor(Some(&me)), &client_end, Some(NOW.plus_days(9)), &mut place())).0,
        Rule::R14
    );
    let earlier = set_end_as_partner(&actor(Some(&me)), &client_end, Some(NOW.plus_days(3)), &mut place()).unwrap();
    assert_eq!(earlier.after().unwrap().end, Some(End { at: NOW.plus_days(3), by: Side::Client }));
    let own_end = ending(person(StandardSet::Sales, Some(NW)), 7, Side::Partner);
    assert!(set_end_as_partner(&actor(Some(&me)), &own_end, None, &mut place())
        .unwrap()
        .after()
        .unwrap()
        .end
        .is_none());
    let r = set_end_as_partner(&actor(Some(&pa_without_reports(NW))), &own_end, None, &mut place());
    assert_eq!(refused(r), (Rule::R3, RefusalKind::Forbidden));
    // Setting an end where there was none narrows: no need to hold anything.
    let plain = person(StandardSet::Sales, Some(NW));
    assert!(
        set_end_as_partner(&actor(Some(&pa_without_reports(NW))), &plain, Some(NOW.plus_days(3)), &mut place()).is_ok()
    );
    assert_eq!(
        refused(set_end_as_partner(&actor(Some(&me)), &plain, Some(NOW.plus_days(3)), &mut suspending(NW))).0,
        Rule::R16
    );
    // No end on the last super admin.
    let mut ada = Membership::super_admin();
    ada.partner_account_id = Some(NW);
    let mut one = Place { lasting_super_admins: 1, ..place() };
    assert_eq!(
        refused(set_end_as_partner(&actor(Some(&ada)), &ada, Some(NOW.plus_days(3)), &mut one)),
        (Rule::R2, RefusalKind::Forbidden)
    );
    let r = set_end_as_client(&Membership::super_admin(), &ada, Some(NOW.plus_days(3)), &mut one);
    assert_eq!(refused(r), (Rule::R9, RefusalKind::Conflict));
}

// A7: the client's own people; later/removed refused while suspended.
#[test]
fn a7_the_clients_own_people_set_ends_and_partner_people_do_not() {
    let carol = Membership::super_admin();
    let cleo = ending(person(StandardSet::Sales, Some(NW)), 7, Side::Partner);
    let c = set_end_as_client(&carol, &cleo, None, &mut place()).unwrap();
    assert!(c.after().unwrap().end.is_none());
    let set = set_end_as_client(&carol, &cleo, Some(NOW.plus_days(2)), &mut place()).unwrap();
    assert_eq!(set.after().unwrap().end.unwrap().by, Side::Client);
    let mut ada_editor = pa(NW);
    ada_editor.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(set_end_as_client(&ada_editor, &cleo, None, &mut place())).0, Rule::Authority);
    assert_eq!(refused(set_end_as_client(&carol, &cleo, None, &mut suspending(NW))).0, Rule::R16);
    assert!(set_end_as_client(&carol, &cleo, Some(NOW.plus_days(2)), &mut suspending(NW)).is_ok());
    // A holder of Add and edit users lacking what the person holds.
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(set_end_as_client(&una, &cleo, None, &mut place())).0, Rule::R3);
    assert!(set_end_as_client(&una, &cleo, Some(NOW.plus_days(1)), &mut place()).is_ok());
}

// A14 (R18): a ceiling and a relationship end, set by the client's own
// people only. Expected answers from §9's row A14 and R18.
fn ceiling_of(partner: i64, ceiling: Option<Perms>, ends: Option<UnixTime>) -> Place {
    Place { terms: vec![Terms { partner, ceiling, ends_at: ends }], ..place() }
}

fn keyed(people: &[Membership]) -> Vec<(usize, Membership)> {
    people.iter().cloned().enumerate().collect()
}

#[test]
fn a14_lowering_narrows_exactly_who_holds_more_and_keeps_their_set() {
    let carol = Membership::super_admin();
    let (ada, cleo) = (pa(NW), person(StandardSet::Sales, Some(NW)));
    let people = keyed(&[ada.clone(), cleo.clone()]);
    let changes = set_ceiling(&carol, &people, Some(sales_perms()), &mut place()).unwrap();
    assert_eq!(changes.len(), 2, "one history event per person");
    let ada_after = changes[0].1.after().unwrap();
    // Ada: Partner Admin ∩ Sales, still on the Partner Admin set.
    assert_eq!(ada_after.permissions(), StandardSet::PartnerAdmin.perms().intersection(sales_perms()));
    assert!(ada_after.has_partner_admin_set());
    assert!(changes[0].1.grant().is_some());
    // Cleo holds nothing outside: unchanged, no grant written.
    assert_eq!(changes[1].1.after().unwrap(), &cleo);
    assert!(changes[1].1.grant().is_none());
    assert_eq!(changes[0].1.action(), HistoryAction::CeilingSet);
    // Raising (Sales → Partner Admin) gives nobody anything.
    let raised = set_ceiling(
        &carol,
        &keyed(std::slice::from_ref(ada_after)),
        Some(StandardSet::PartnerAdmin.perms()),
        &mut ceiling_of(NW, Some(sales_perms()), None),
    )
    .unwrap();
    assert_eq!(raised[0].1.action(), HistoryAction::CeilingRaised);
    assert_eq!(raised[0].1.after().unwrap(), ada_after);
}

#[test]
fn a14_only_the_clients_own_people_and_never_over_a_super_admin() {
    let people = keyed(&[pa(NW)]);
    // A partner's person, whatever they hold there.
    let mut cody = Membership::super_admin();
    cody.partner_account_id = Some(CONTOSO);
    assert_eq!(set_ceiling(&cody, &people, Some(sales_perms()), &mut place()).unwrap_err().rule, Rule::Authority);
    // A holder of Add and edit users lacking what a person loses.
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    let r = set_ceiling(&una, &people, Some(sales_perms()), &mut place()).unwrap_err();
    assert_eq!((r.rule, r.reason), (Rule::R16, Reason::PartnerBeyondYou));
    // A plain member.
    let r = set_ceiling(&person(StandardSet::Sales, None), &people, Some(sales_perms()), &mut place()).unwrap_err();
    assert_eq!(r.rule, Rule::R16);
    // One of the partner's people is a super admin: convert first.
    let mut sa = Membership::super_admin();
    sa.partner_account_id = Some(NW);
    let carol = Membership::super_admin();
    let r = set_ceiling(&carol, &keyed(&[pa(NW), sa.clone()]), Some(sales_perms()), &mut place()).unwrap_err();
    assert_eq!((r.rule, r.kind), (Rule::R18, RefusalKind::Conflict));
    let r = set_relationship_end(&carol, &keyed(&[sa]), Some(NOW.plus_days(30)), &mut place()).unwrap_err();
    assert_eq!(r.rule, Rule::R18);
    // An empty ceiling.
    let r = set_ceiling(&carol, &people, Some(Perms::EMPTY), &mut place()).unwrap_err();
    assert_eq!(r.reason, Reason::CeilingEmpty);
}

#[test]
fn a14_every_grant_stays_within_the_ceiling() {
    let ada = pa(NW);
    let mut pl = ceiling_of(NW, Some(sales_perms()), None);
    // A1: Add employees with the Partner Admin set gives at most Sales, and says what it left out.
    let c =
        add_employee(&actor(Some(&ada)), None, "Dan", &Requested::standard(StandardSet::PartnerAdmin), None, &mut pl)
            .unwrap();
    let got = c.after().unwrap().permissions();
    assert!(got.is_subset(sales_perms()));
    let g = c.grant().unwrap().change();
    assert_eq!(g.above_ceiling, StandardSet::PartnerAdmin.perms().assignable().difference(sales_perms()));
    // A9: client-side Edit permissions of a partner's person.
    let carol = Membership::super_admin();
    let cleo = person(StandardSet::ViewOnly, Some(NW));
    let e = edit_permissions(&carol, &cleo, &Requested::standard(StandardSet::Marketing), &mut pl.clone()).unwrap();
    assert!(e.after().unwrap().permissions().is_subset(sales_perms()));
    // A9: Create user for that partner.
    let new = NewUser { partner: Some(NW), seat: Seat::Partner, end: None };
    let u = create_user(&carol, None, "Zed", &Requested::standard(StandardSet::PartnerAdmin), &new, &mut pl.clone())
        .unwrap();
    assert!(u.after().unwrap().permissions().is_subset(sales_perms()));
    // The client's own people are not bounded by a partner's ceiling.
    let own = NewUser { partner: None, seat: Seat::Core, end: None };
    let o =
        create_user(&carol, None, "Own", &Requested::standard(StandardSet::Marketing), &own, &mut pl.clone()).unwrap();
    assert_eq!(o.after().unwrap().permissions(), StandardSet::Marketing.perms());
    // A5: linking a user who holds something outside it.
    let eve = person(StandardSet::Marketing, None);
    let r = link_user(&actor(None), Some(&eve), &mut pl.clone()).unwrap_err();
    assert_eq!((r.rule, r.reason), (Rule::R18, Reason::AboveCeiling));
    // A11: super admin rights for one of the partner's people exceed any ceiling.
    let r = grant_super_admin_to(&carol, &cleo, &mut pl.clone()).unwrap_err();
    assert_eq!(r.reason, Reason::AboveCeiling);
    // A8: an approval.
    let req = ApprovalRequest {
        partner: NW,
        program: PartnerProgram::SolutionsPartner,
        keep: None,
        convert: false,
        end: None,
    };
    let a = approve_link(&carol, None, &req, &mut pl.clone()).unwrap();
    assert!(a.after().unwrap().permissions().is_subset(sales_perms()));
}

#[test]
fn a14_an_ended_relationship_widens_nothing_and_a_later_end_is_a_grant() {
    let ada = pa(NW);
    let mut ended = ceiling_of(NW, None, Some(NOW.plus_days(-1)));
    let r = add_employee(&actor(Some(&ada)), None, "Dan", &Requested::standard(StandardSet::Sales), None, &mut ended)
        .unwrap_err();
    assert_eq!((r.rule, r.reason), (Rule::R18, Reason::RelationshipEnded));
    // Linking a client user to a partner whose relationship has ended would
    // end their access at once: refused too.
    let eve = person(StandardSet::ViewOnly, None);
    let r = link_user(&actor(None), Some(&eve), &mut ended.clone()).unwrap_err();
    assert_eq!(r.reason, Reason::RelationshipEnded);
    // A person's effective end is the earlier of the two.
    let mut dan = ending(person(StandardSet::Sales, Some(NW)), 20, Side::Partner);
    dan.relationship_end = Some(NOW.plus_days(5));
    assert!(dan.ended_by(NOW.plus_days(5)) && !dan.ended_by(NOW.plus_days(4)));
    // Moving the relationship's end later: a grant over every person.
    let carol = Membership::super_admin();
    let people = keyed(&[pa(NW)]);
    let set = ceiling_of(NW, None, Some(NOW.plus_days(10)));
    assert!(set_relationship_end(&carol, &people, Some(NOW.plus_days(20)), &mut set.clone()).is_ok());
    let mut una = person(StandardSet::Sales, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    let r = set_relationship_end(&una, &people, None, &mut set.clone()).unwrap_err();
    assert_eq!(r.rule, Rule::R16);
    // Later or removed while suspended: refused; earlier: allowed.
    let mut susp = Place { suspended: vec![NW], ..set.clone() };
    assert_eq!(set_relationship_end(&carol, &people, None, &mut susp).unwrap_err().rule, Rule::R16);
    assert!(set_relationship_end(&carol, &people, Some(NOW.plus_days(2)), &mut susp).is_ok());
    // At most two years ahead (R14's bound).
    let r = set_relationship_end(&carol, &people, Some(NOW.plus_days(800)), &mut place()).unwrap_err();
    assert_eq!(r.reason, Reason::EndTooFar);
}

fn request(keep: Option<Perms>, convert: bool) -> ApprovalRequest {
    ApprovalRequest { partner: NW, program: PartnerProgram::SolutionsPartner, keep, convert, end: None }
}

// A8: the client's own people; ≤ ticked part of the set, ≤ approver; conversions honour the narrowing.
#[test]
fn a8_approvals_honour_the_narrowing_conversions_included() {
    let gina = Membership::super_admin();
    let mut ada = Membership::super_admin();
    ada.partner_account_id = Some(NW);
    let keep = Perms::EMPTY.with(ContactsView);
    let c = approve_link(&gina, Some(&ada), &request(Some(keep), true), &mut place()).unwrap();
    let after = c.after().unwrap();
    assert_eq!((after.permissions(), after.super_admin, after.seat), (keep, false, Seat::Partner));
    let n = approve_link(&gina, None, &request(Some(keep), false), &mut place()).unwrap();
    assert_eq!(n.after().unwrap().permissions(), keep);
    // A partner's person, whatever they hold, does not approve as the client.
    let mut cody = pa(CONTOSO);
    cody.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(approve_link(&cody, None, &request(None, false), &mut place())).0, Rule::Authority);
    assert_eq!(refused(approve_link(&gina, None, &request(None, false), &mut suspending(NW))).0, Rule::R16);
    let app = ApprovalRequest { program: PartnerProgram::AppPartner, ..request(None, false) };
    assert_eq!(refused(approve_link(&gina, None, &app, &mut place())).0, Rule::AccessLinks);
    // A holder of Add and edit users gives at most what they hold, Billing never.
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    let u = approve_link(&una, None, &request(None, false), &mut place()).unwrap();
    assert_eq!(u.after().unwrap().permissions(), StandardSet::PartnerAdmin.perms().intersection(una.permissions()));
    let mut one = Place { lasting_super_admins: 1, ..place() };
    assert_eq!(refused(approve_link(&gina, Some(&ada), &request(None, true), &mut one)).0, Rule::R9);
    // Converting a member with an end: an approval without an end keeps it
    // (with its side), so an approver who lacks some of what the person
    // holds may still narrow them; removing the end would be a widening.
    let mut cleo = person(StandardSet::Sales, Some(NW));
    let end = End { at: UnixTime(place().now.0 + 16 * crate::time::DAY), by: Side::Client };
    cleo.end = Some(end);
    assert!(!cleo.permissions().is_subset(una.permissions()), "Una lacks some of Cleo's permissions");
    let c = approve_link(&una, Some(&cleo), &request(None, true), &mut place()).unwrap();
    assert_eq!(c.after().unwrap().end, Some(end));
}

const ADA: i64 = 10;
const UMA: i64 = 11;

fn decline(program: PartnerProgram, decliner: i64) -> LinkDecline {
    LinkDecline { program, employee: ADA, decliner }
}

// SPEC §4: whoever could approve a link somewhere may decline it instead;
// never the link's own employee.
#[test]
fn a_link_is_declined_by_whoever_could_approve_it_somewhere_never_by_its_employee() {
    let sp = PartnerProgram::SolutionsPartner;
    let uma = Membership::super_admin();
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    let eve = person(StandardSet::ViewOnly, None);
    // One account where they may approve is enough, whatever the others.
    assert_eq!(decline_link(&[eve.clone(), uma.clone()], &decline(sp, UMA)), Ok(()));
    assert_eq!(decline_link(std::slice::from_ref(&una), &decline(PartnerProgram::Provider, UMA)), Ok(()));
    let forbidden = |r: Result<(), Refusal>| {
        let e = r.unwrap_err();
        (e.rule, e.kind, e.reason)
    };
    let not_allowed = (Rule::AccessLinks, RefusalKind::Forbidden, crate::rules::Reason::ApproverNotAllowed);
    // Nowhere to approve: no account, only View only, a partner's person
    // however much they hold, a deactivated super admin.
    assert_eq!(forbidden(decline_link(&[], &decline(sp, UMA))), not_allowed);
    assert_eq!(forbidden(decline_link(std::slice::from_ref(&eve), &decline(sp, UMA))), not_allowed);
    let mut cody = Membership::super_admin();
    cody.partner_account_id = Some(CONTOSO);
    assert_eq!(forbidden(decline_link(&[cody], &decline(sp, UMA))), not_allowed);
    assert_eq!(forbidden(decline_link(&[off(uma.clone(), Deactivator::Client)], &decline(sp, UMA))), not_allowed);
    // The link's own employee, even where they could approve.
    assert_eq!(forbidden(decline_link(std::slice::from_ref(&uma), &decline(sp, ADA))), not_allowed);
    // A link of a programme without Partner Admins, as an approval.
    assert_eq!(forbidden(decline_link(&[uma], &decline(PartnerProgram::AppPartner, UMA))).0, Rule::AccessLinks);
}

// A9: never another partner's people, never over a super admin, R3, the client's deactivation.
#[test]
fn a9_a_partner_person_never_acts_on_another_partners_people() {
    let mut ada = pa(NW);
    ada.added = Perms::EMPTY.with(UsersEdit);
    let cora = person(StandardSet::Sales, Some(CONTOSO));
    let cody = pa(CONTOSO);
    let mut pl = place();
    assert_eq!(
        refused(edit_permissions(&ada, &cora, &Requested::standard(StandardSet::ViewOnly), &mut pl)).0,
        Rule::Authority
    );
    assert_eq!(refused(assign_seat(&ada, &cora, Seat::Core, Some(CONTOSO), &mut pl)).0, Rule::Authority);
    assert_eq!(refused(deactivate_member(&ada, &cody, &mut pl)).0, Rule::Authority);
    assert_eq!(refused(remove_member(&ada, &cora, &mut pl)).0, Rule::Authority);
    let new = NewUser { partner: Some(CONTOSO), seat: Seat::Partner, end: None };
    assert_eq!(refused(create_user(&ada, None, "x", &Requested::nothing(), &new, &mut pl)).0, Rule::Authority);
    // Its own partner's people and the client's own (not super admins) are within reach.
    let cleo = person(StandardSet::Sales, Some(NW));
    assert!(deactivate_member(&ada, &cleo, &mut pl).is_ok());
    assert!(deactivate_member(&ada, &person(StandardSet::ViewOnly, None), &mut pl).is_ok());
    assert_eq!(refused(deactivate_member(&ada, &Membership::super_admin(), &mut pl)).0, Rule::R12);
}

#[test]
fn a9_reactivating_from_the_client_side_is_a_grant_and_what_the_client_deactivated_stays_the_clients() {
    let carol = Membership::super_admin();
    let cleo = off(person(StandardSet::Sales, Some(NW)), Deactivator::Client);
    assert!(reactivate_member(&carol, &cleo, &mut place()).is_ok());
    let mut ada = pa(NW);
    ada.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(reactivate_member(&ada, &cleo, &mut place())), (Rule::R8, RefusalKind::Forbidden));
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(reactivate_member(&una, &cleo, &mut place())).0, Rule::R3);
    let by_partner = off(person(StandardSet::ViewOnly, Some(NW)), Deactivator::Partner);
    assert!(reactivate_member(&una, &by_partner, &mut place()).is_ok());
    assert_eq!(refused(reactivate_member(&carol, &by_partner, &mut suspending(NW))).0, Rule::R16);
    let d = deactivate_member(&carol, &person(StandardSet::Sales, Some(NW)), &mut place()).unwrap();
    assert_eq!(d.after().unwrap().deactivated_by, Some(Deactivator::Client));
}

#[test]
fn a9_a_seat_given_widens_no_permission_and_is_refused_while_suspended() {
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    let mut cleo = person(StandardSet::Sales, Some(NW));
    cleo.seat = Seat::None;
    let given = assign_seat(&una, &cleo, Seat::Partner, Some(NW), &mut place()).unwrap();
    assert_eq!(given.widening(), Widening { widens: true, perms: Perms::EMPTY });
    let r = assign_seat(&Membership::super_admin(), &cleo, Seat::Partner, Some(NW), &mut suspending(NW));
    assert_eq!(refused(r).0, Rule::R16);
    // Taking a seat away narrows.
    let mut seated = person(StandardSet::Sales, Some(NW));
    seated.seat = Seat::Partner;
    assert!(assign_seat(&una, &seated, Seat::None, Some(NW), &mut place()).is_ok());
}

// A10: partner side: themself, or an active Partner Admin of the same partner; client side: the client's own super admins.
#[test]
fn a10_conversions_follow_who_may() {
    let mut dan = Membership::super_admin();
    dan.partner_account_id = Some(NW);
    dan.seat = Seat::Partner;
    let me = pa(NW);
    let c = convert_as_partner(&actor(Some(&me)), false, &dan, false, &mut place()).unwrap();
    let after = c.after().unwrap();
    assert!(!after.super_admin && after.has_partner_admin_set() && after.seat == Seat::Partner);
    assert_eq!(refused(convert_as_partner(&actor(Some(&pa(CONTOSO))), false, &dan, false, &mut place())).0, Rule::R9);
    assert!(convert_as_client(&Membership::super_admin(), &dan, true, &mut place()).is_ok());
    let mut ada = Membership::super_admin();
    ada.partner_account_id = Some(NW);
    assert_eq!(refused(convert_as_client(&ada, &dan, false, &mut place())).0, Rule::Authority);
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused(convert_as_client(&una, &dan, false, &mut place())).0, Rule::R9);
    let mut one = Place { lasting_super_admins: 1, ..place() };
    assert_eq!(
        refused(convert_as_partner(&actor(Some(&dan)), true, &dan, false, &mut one)),
        (Rule::R9, RefusalKind::Conflict)
    );
}

// A12: the client's own people only; R3 over every person; R9; resume exactly the suspended.
#[test]
fn a12_only_the_clients_own_people_control_a_partner() {
    let carol = Membership::super_admin();
    let people = vec![(1, pa(NW)), (2, person(StandardSet::Sales, Some(NW)))];
    let s = control_partner(&carol, PartnerControl::Suspend, &people, false, &mut place()).unwrap();
    assert_eq!(s.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![1, 2]);
    assert!(s.iter().all(|(_, c)| c.after().is_some_and(|m| m.suspended && !m.is_active())));
    let cody = pa(CONTOSO);
    assert_eq!(
        refused_many(control_partner(&cody, PartnerControl::Resume, &people, true, &mut place())),
        Rule::Authority
    );
    let mut una = person(StandardSet::ViewOnly, None);
    una.added = Perms::EMPTY.with(UsersEdit);
    assert_eq!(refused_many(control_partner(&una, PartnerControl::Remove, &people, false, &mut place())), Rule::R16);
    let suspended: Vec<(i32, Membership)> = s.iter().map(|(k, c)| (*k, c.after().unwrap().clone())).collect();
    let mut passed = suspended[1].clone();
    passed.1.end = Some(End { at: NOW, by: Side::Partner });
    let r = control_partner(&carol, PartnerControl::Resume, &[suspended[0].clone(), passed], true, &mut suspending(NW))
        .unwrap();
    assert_eq!(r.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![1], "the person whose end passed stays deactivated");
    let mut sa = Membership::super_admin();
    sa.partner_account_id = Some(NW);
    let mut one = Place { lasting_super_admins: 1, ..place() };
    let only_sa = vec![(1, sa)];
    assert_eq!(refused_many(control_partner(&carol, PartnerControl::Remove, &only_sa, false, &mut one)), Rule::R9);
}

fn refused_many<K: std::fmt::Debug>(r: Result<Vec<(K, Change)>, Refusal>) -> Rule {
    r.unwrap_err().rule
}

// Reads never write: an end that has come grants nothing from that second.
#[test]
fn an_ended_membership_holds_nothing_from_its_end_on() {
    let ada = ending(pa(NW), 0, Side::Client).at(NOW);
    assert!(!ada.is_active() && ada.active_permissions().is_empty());
    assert_eq!(ada.deactivated_by, Some(Deactivator::System));
    let still = ending(pa(NW), 1, Side::Client).at(NOW);
    assert!(still.is_partner_admin());
}

// The principle, by its own arithmetic: whatever widens, the actor held.
fn perms() -> impl Strategy<Value = Perms> {
    proptest::collection::vec(proptest::sample::select(Permission::ALL), 0..12).prop_map(|v| v.into_iter().collect())
}

fn member() -> impl Strategy<Value = Membership> {
    (perms(), any::<bool>(), proptest::option::of(-3i64..40), any::<bool>(), any::<bool>()).prop_map(
        |(p, active, end, client_end, client_off)| {
            let mut m = person(StandardSet::ViewOnly, Some(NW));
            m.set = Some(SetKey::Custom(1));
            m.set_perms = p.assignable();
            m.end =
                end.map(|d| End { at: NOW.plus_days(d), by: if client_end { Side::Client } else { Side::Partner } });
            if !active {
                m.status = MembershipStatus::Deactivated;
                m.deactivated_by = Some(if client_off { Deactivator::Client } else { Deactivator::Partner });
            }
            m.at(NOW)
        },
    )
}

proptest! {
    #[test]
    fn no_partner_side_decision_widens_beyond_what_the_actor_holds(me in member(), target in member(), end in proptest::option::of(1i64..700), set in 0usize..5) {
        let act = actor(Some(&me));
        let held = me.active_permissions();
        let requested = Requested::standard(StandardSet::ALL[set]);
        let decided = [
            reactivate_employee(&act, &target, &mut place()),
            set_end_as_partner(&act, &target, end.map(|d| NOW.plus_days(d)), &mut place()),
            change_set(&act, &target, &requested, &mut place()),
            add_employee(&act, None, "x", &requested, None, &mut place()),
        ];
        for change in decided.into_iter().flatten() {
            let (before, after) = (change.before(), change.after().unwrap());
            let had = before.map(Membership::permissions).unwrap_or_default();
            let gains = after.is_active() && !before.is_some_and(Membership::is_active);
            let lifted = match (before.and_then(|b| b.end), after.end) {
                (Some(_), None) => true,
                (Some(b), Some(a)) => a.at > b.at,
                _ => false,
            };
            let must_hold = if gains || lifted { after.permissions() } else { after.permissions().difference(had) };
            prop_assert!(must_hold.is_subset(held), "{:?} widened {:?} beyond {:?}", change.action(), must_hold, held);
            prop_assert!(!after.permissions().contains(Billing) || had.contains(Billing));
        }
    }

    #[test]
    fn no_sequence_of_conversions_leaves_an_account_without_a_super_admin(
        members in proptest::collection::vec(any::<bool>(), 1..8),
        attempts in proptest::collection::vec((0usize..8, any::<bool>()), 0..30),
    ) {
        let mut account: Vec<Membership> = members.iter().map(|partner| {
            let mut m = Membership::super_admin();
            if *partner { m.partner_account_id = Some(NW); }
            m
        }).collect();
        let lasting = |acc: &Vec<Membership>| acc.iter().filter(|m| m.is_lasting_super_admin()).count();
        for (i, keep) in attempts {
            let i = i % account.len();
            let mut pl = Place { lasting_super_admins: lasting(&account), ..place() };
            let target = account[i].clone();
            if let Ok(c) = convert_as_client(&Membership::super_admin(), &target, keep, &mut pl) {
                account[i] = c.after().unwrap().clone();
            }
            prop_assert!(lasting(&account) >= 1);
        }
    }
}

#[test]
fn a14_a_ceiling_is_seen_by_the_clients_own_people_and_by_that_partners_only() {
    let (carol, ada) = (Membership::super_admin(), pa(NW));
    assert!(partner_terms::sees_ceiling(&carol, Some(NW)));
    assert!(partner_terms::sees_ceiling(&ada, Some(NW)));
    assert!(!partner_terms::sees_ceiling(&ada, Some(CONTOSO)), "another partner's ceiling");
    assert!(!partner_terms::sees_ceiling(&ada, None));
    let choices = partner_terms::ceiling_choices();
    assert!(!choices.iter().any(|p| p.is_super_admin_only() || p.is_partner_account_only()));
    assert!(StandardSet::Sales.perms().is_subset(choices) && choices.contains(UsersEdit));
    assert!(!choices.contains(PartnerEmployeesEdit) && !choices.contains(ScimProvisioning));
}

#[test]
fn a10_a_conversion_by_a_partner_admin_gives_billing_only_when_kept_and_never_a_partner_accounts_own() {
    // Ben, Partner Admin of Northwind here (no Billing), converts Ada, a
    // Northwind super admin here (who holds everything). §9: Billing only
    // through Keep billing; a partner account's own permissions never.
    let ben = pa(NW);
    let mut ada = Membership::super_admin();
    ada.partner_account_id = Some(NW);
    let partner_admin = StandardSet::PartnerAdmin.perms().assignable();
    for keep in [false, true] {
        let change = convert_as_partner(&actor(Some(&ben)), false, &ada, keep, &mut place()).unwrap();
        let held = change.after().unwrap().permissions();
        assert!(!held.iter().any(|p| p.is_partner_account_only() || p.is_super_admin_only()), "{keep}: {held:?}");
        assert_eq!(held.contains(Billing), keep, "Billing only when kept");
        assert_eq!(held.without(Billing), partner_admin.without(Billing), "{keep}");
    }
}
