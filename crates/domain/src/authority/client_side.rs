//! The client side of §9: what members of a customer account do there
//! (rows A7–A12). A member flagged with a partner acts for that partner on
//! every screen: never over another partner's people, and never where a
//! row says "the client's own people only".

use super::{end_not_passed, holds, later, new_end, reactivated, settle, to_status, without_billing, Change, Place};
use crate::access_link::{may_approve_into, may_have_access_link};
use crate::account::{Deactivator, Membership, MembershipStatus, PartnerProgram, Seat, Side};
use crate::grant::{grant, grant_super_admin, Granter, Requested};
use crate::history::HistoryAction;
use crate::permission::{Perms, SetKey, StandardSet};
use crate::rules::{may_add_member, may_change_permission_set, may_manage_users, narrowing, Reason, Refusal, Rule};
use crate::time::UnixTime;

/// Rows for the client's own people only: a partner's person, whatever
/// they hold in the account, is refused.
pub fn client_own(actor: &Membership) -> Result<(), Refusal> {
    match actor.side() {
        Side::Client => Ok(()),
        Side::Partner => Err(Refusal::forbidden(Rule::Authority, Reason::ClientOwnOnly)),
    }
}

/// Who a member managing users (R11) may act on (A9): never a super admin
/// unless a super admin acts (R12), and a partner's person never on
/// another partner's people.
pub fn may_reach(actor: &Membership, person: &Membership) -> Result<(), Refusal> {
    may_manage_users(actor)?;
    if person.super_admin && !actor.is_active_super_admin() {
        return Err(Refusal::forbidden(Rule::R12, Reason::SuperAdminProtected));
    }
    match (actor.partner_account_id, person.partner_account_id) {
        (Some(mine), Some(theirs)) if mine != theirs => {
            Err(Refusal::forbidden(Rule::Authority, Reason::OtherPartnersPeople))
        }
        _ => Ok(()),
    }
}

/// A7 (R14): the client's own super admin, or the client's own holder of
/// *Add and edit users* (never over a super admin), sets, moves or removes
/// the end of a partner's person. Later or removed is a grant; never on
/// the last super admin (R9); later or removed is refused while suspended.
pub fn set_end_as_client(
    actor: &Membership,
    person: &Membership,
    at: Option<UnixTime>,
    place: &mut Place,
) -> Result<Change, Refusal> {
    client_own(actor)?;
    may_reach(actor, person)?;
    if person.partner_account_id.is_none() {
        return Err(Refusal::invalid(Rule::R14, Reason::NoEndDate));
    }
    let mut after = person.clone();
    after.end = new_end(at, Side::Client, place.now)?;
    let change = Change::new(HistoryAction::EndDateChanged, person, Some(after));
    settle(actor.active_permissions(), change, place, false)
}

/// What an approver asks for with a link (R15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// The partner the link's employee belongs to, and its programme.
    pub partner: i64,
    pub program: PartnerProgram,
    /// The Partner Admin permissions the approver keeps ticked (all when none).
    pub keep: Option<Perms>,
    /// The person confirmed converting their existing membership.
    pub convert: bool,
    pub end: Option<UnixTime>,
}

/// The grant an approval gives (A8, R15): the Partner Admin set less what
/// is unticked and less Billing, bounded by what the approver holds
/// (`holds`) over what the person had there (`had`, R3), within the
/// partner's `ceiling` there (R18). The approval page previews with it
/// before any confirmation.
pub fn approval_grant(holds: Perms, ceiling: Perms, had: Perms, leave_out: Perms) -> crate::grant::Grant {
    let set = StandardSet::PartnerAdmin;
    let requested = Requested::with_overrides(Some((SetKey::Standard(set), set.perms())), Perms::EMPTY, leave_out);
    grant(Granter::holding(holds).within(ceiling), had, &without_billing(&requested, true, Perms::EMPTY))
}

/// A8 (SPEC §4, R15): one of the client's own people — a super admin or a
/// holder of *Add and edit users* — approves a partner employee's link
/// into the account: a new Partner Admin with a partner seat and at most
/// the ticked part of the set and what the approver holds, with the
/// approver's end (a converted member keeps their own when none is
/// given). An existing member is converted only with the
/// approver's confirmation, by R3 (a super admin only by a super admin,
/// R9 and R12), the narrowing honoured. Refused while the partner is suspended there and for
/// partners that cannot have Partner Admins.
pub fn approve_link(
    approver: &Membership,
    existing: Option<&Membership>,
    request: &ApprovalRequest,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_have_access_link(request.program)?;
    // While suspended nothing gives that partner's people access here,
    // whoever asks (§9 Suspension).
    if place.suspends(Some(request.partner)) {
        return Err(super::suspended());
    }
    may_approve_into(approver)?;
    let leave_out = request.keep.map(narrowing).transpose()?.unwrap_or(Perms::EMPTY);
    let end = new_end(request.end, Side::Client, place.now)?;
    if let Some(m) = existing {
        if m.is_partner_admin() && m.partner_account_id == Some(request.partner) {
            return Err(Refusal::conflict(Rule::AccessLinks, Reason::AlreadyPartnerAdmin));
        }
        if !request.convert {
            return Err(Refusal::conflict(Rule::AccessLinks, Reason::AlreadyUserConvert));
        }
        if m.super_admin && !approver.is_active_super_admin() {
            return Err(Refusal::forbidden(Rule::AccessLinks, Reason::ConvertSuperAdminOnly));
        }
    }
    let had = existing.map(Membership::permissions).unwrap_or_default();
    let granted = approval_grant(approver.active_permissions(), place.ceiling(Some(request.partner)), had, leave_out);
    let mut after =
        granted.applied_to(&existing.cloned().unwrap_or_else(|| Membership::with_set(StandardSet::ViewOnly)));
    after = reactivated(&after);
    after.seat = Seat::Partner;
    after.partner_account_id = Some(request.partner);
    // An approval without an end sets none: a converted member keeps the
    // end they have (and the side that set it) unless it has passed.
    // Removing it would be a widening the approver never asked for.
    after.end = end.or_else(|| existing.and_then(|m| m.end).filter(|e| e.at > place.now));
    let change = Change::granting(HistoryAction::AccessLinkApproved, existing, after, granted);
    settle(approver.active_permissions(), change, place, false)
}

/// Whose access link is declined, and by whom (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkDecline {
    /// The programme of the link's partner.
    pub program: PartnerProgram,
    /// The link's employee, by user id.
    pub employee: i64,
    /// The person declining, by user id.
    pub decliner: i64,
}

/// SPEC §4 with A8's people: instead of approving, a client user may
/// decline a partner employee's link. Whoever could approve it into one of
/// their accounts may — one of the client's own people who is a super
/// admin or holds *Add and edit users* in at least one of `memberships`
/// (their memberships of customer accounts, as they stand now) — and never
/// the link's own employee. The refusals are an approval's (links of
/// programmes without Partner Admins; approvers who may not approve).
/// Declining grants and changes no access, so neither R3 nor a suspension
/// (R16) bears on it.
pub fn decline_link(memberships: &[Membership], decline: &LinkDecline) -> Result<(), Refusal> {
    may_have_access_link(decline.program)?;
    let not_allowed = || Refusal::forbidden(Rule::AccessLinks, Reason::ApproverNotAllowed);
    if decline.decliner == decline.employee {
        return Err(not_allowed());
    }
    if memberships.iter().any(|m| may_approve_into(m).is_ok()) {
        Ok(())
    } else {
        Err(not_allowed())
    }
}

/// What Create user asks for (R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewUser {
    /// The partner the new membership is flagged with, if any.
    pub partner: Option<i64>,
    pub seat: Seat,
    pub end: Option<UnixTime>,
}

/// A9 (R11): a super admin or holder of *Add and edit users* creates a
/// member with `S ∩ A` (no Billing for a partner's person), never one of
/// another partner's people; an end only for a partner's person.
pub fn create_user(
    actor: &Membership,
    existing: Option<&Membership>,
    name: &str,
    requested: &Requested,
    new: &NewUser,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_manage_users(actor)?;
    let mut m = Membership::with_set(StandardSet::ViewOnly);
    m.seat = new.seat;
    m.partner_account_id = new.partner;
    may_reach(actor, &m)?;
    may_add_member(existing, name, Rule::R11)?;
    if new.end.is_some() && new.partner.is_none() {
        return Err(Refusal::invalid(Rule::R14, Reason::NoEndDate));
    }
    m.end = new_end(new.end, actor.side(), place.now)?;
    let granter = Granter::member(actor).within(place.ceiling(new.partner));
    let granted = grant(granter, Perms::EMPTY, &without_billing(requested, new.partner.is_some(), Perms::EMPTY));
    let after = granted.applied_to(&m);
    settle(actor.active_permissions(), Change::granting(HistoryAction::UserCreated, None, after, granted), place, false)
}

/// A9: a seat given or changed (a partner seat only for a partner's
/// person: `partner` is the partner the membership is then flagged with).
pub fn assign_seat(
    actor: &Membership,
    person: &Membership,
    seat: Seat,
    partner: Option<i64>,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_reach(actor, person)?;
    let mut after = person.clone();
    after.seat = seat;
    after.partner_account_id = partner;
    may_reach(actor, &after)?;
    settle(actor.active_permissions(), Change::new(HistoryAction::SeatChanged, person, Some(after)), place, false)
}

/// A9: Edit permissions by R3's formula (no Billing for a partner's
/// person, no set for a super admin: R12).
pub fn edit_permissions(
    actor: &Membership,
    person: &Membership,
    requested: &Requested,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_reach(actor, person)?;
    may_change_permission_set(person, Rule::R12)?;
    let requested = without_billing(requested, person.partner_account_id.is_some(), person.permissions());
    let granter = Granter::member(actor).within(place.ceiling(person.partner_account_id));
    let granted = grant(granter, person.permissions(), &requested);
    let after = granted.applied_to(person);
    let change = Change::granting(HistoryAction::PermissionSetChanged, Some(person), after, granted);
    settle(actor.active_permissions(), change, place, false)
}

/// A9: deactivating a member (never the last super admin); the client's
/// own people deactivate for the client, a partner's person for the partner.
pub fn deactivate_member(actor: &Membership, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    may_reach(actor, person)?;
    to_status(person, MembershipStatus::Deactivated)?;
    let by = match actor.side() {
        Side::Client => Deactivator::Client,
        Side::Partner => Deactivator::Partner,
    };
    let after = super::deactivated(person, by);
    settle(actor.active_permissions(), Change::new(HistoryAction::Deactivated, person, Some(after)), place, false)
}

/// A9: reactivating a member: a grant of everything they get back, after
/// an end that passed is moved or removed; what the client deactivated
/// only the client's own people reactivate.
pub fn reactivate_member(actor: &Membership, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    may_reach(actor, person)?;
    to_status(person, MembershipStatus::Active)?;
    place.not_suspended(person)?;
    end_not_passed(person, place.now)?;
    if person.deactivated_by == Some(Deactivator::Client) && actor.side() == Side::Partner {
        return Err(Refusal::forbidden(Rule::R8, Reason::DeactivatedByClient));
    }
    let after = reactivated(person);
    settle(actor.active_permissions(), Change::new(HistoryAction::Reactivated, person, Some(after)), place, false)
}

/// A9: removing a member (never the last super admin).
pub fn remove_member(actor: &Membership, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    may_reach(actor, person)?;
    settle(actor.active_permissions(), Change::new(HistoryAction::Removed, person, None), place, false)
}

/// A10, client side (R9): the client's own super admins convert a
/// partner's super admin to Partner Admin.
pub fn convert_as_client(
    actor: &Membership,
    person: &Membership,
    keep_billing: bool,
    place: &mut Place,
) -> Result<Change, Refusal> {
    client_own(actor)?;
    if !actor.is_active_super_admin() {
        return Err(Refusal::forbidden(Rule::R9, Reason::MigrateNotAllowed));
    }
    super::partner_side::convert(actor.active_permissions(), person, keep_billing, place)
}

/// A11 (R12): a super admin grants super admin rights.
pub fn grant_super_admin_to(actor: &Membership, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    let granted = grant_super_admin(Granter::member(actor), person)?;
    let after = granted.applied_to(person);
    let change = Change::granting(HistoryAction::SuperAdminGranted, Some(person), after, granted);
    settle(actor.active_permissions(), change, place, false)
}

/// A11 (R12, R9): a super admin takes super admin rights away.
pub fn revoke_super_admin_from(actor: &Membership, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    let granted = crate::grant::revoke_super_admin(Granter::member(actor), person)?;
    let after = granted.applied_to(person);
    let change = Change::granting(HistoryAction::SuperAdminRevoked, Some(person), after, granted);
    settle(actor.active_permissions(), change, place, false)
}

/// What a client does to one partner's people (R16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerControl {
    Suspend,
    Resume,
    Remove,
}

/// A12 (R16): the client's own people only — a super admin, or a holder of
/// *Add and edit users* who holds every permission of every person the
/// action touches and never over a super admin — suspend one partner (all
/// its active people deactivated), resume it (exactly the people the
/// suspension deactivated whose end has not passed) or remove its people.
/// `people` are the partner's people there, each with its key (a user id);
/// `suspended` is whether the account suspends the partner now. One change
/// per person touched, or the refusal; R9 over them all.
pub fn control_partner<K: Copy>(
    actor: &Membership,
    what: PartnerControl,
    people: &[(K, Membership)],
    suspended: bool,
    place: &mut Place,
) -> Result<Vec<(K, Change)>, Refusal> {
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    may_control_partner(actor, &members)?;
    let holds = actor.active_permissions();
    let mut out = Vec::with_capacity(people.len());
    match what {
        PartnerControl::Suspend => {
            if suspended {
                return Err(Refusal::conflict(Rule::R16, Reason::AlreadySuspended));
            }
            for (k, p) in people.iter().filter(|(_, p)| p.is_active()) {
                let mut after = super::deactivated(p, Deactivator::Client);
                after.suspended = true;
                let change = Change::new(HistoryAction::PartnerSuspended, p, Some(after));
                out.push((*k, settle(holds, change, place, false)?));
            }
        }
        PartnerControl::Resume => {
            if !suspended {
                return Err(Refusal::conflict(Rule::R16, Reason::NotSuspended));
            }
            let now = place.now;
            for (k, p) in people.iter().filter(|(_, p)| p.suspended && !p.ended_by(now)) {
                let change = Change::new(HistoryAction::PartnerResumed, p, Some(reactivated(p)));
                out.push((*k, settle(holds, change, place, true)?));
            }
        }
        PartnerControl::Remove => {
            for (k, p) in people {
                out.push((*k, settle(holds, Change::new(HistoryAction::Removed, p, None), place, false)?));
            }
        }
    }
    Ok(out)
}

/// A12's who-may, for the page that lists the partners: the client's own
/// people managing users, within R3 over every person, never over a super
/// admin.
pub fn may_control_partner(actor: &Membership, people: &[Membership]) -> Result<(), Refusal> {
    client_own(actor)?;
    if !actor.may_manage_users() {
        return Err(Refusal::forbidden(Rule::R16, Reason::UsersEditNeeded));
    }
    if people.is_empty() {
        return Err(Refusal::invalid(Rule::R16, Reason::NoPartnerPeople));
    }
    if actor.is_active_super_admin() {
        return Ok(());
    }
    if people.iter().any(|p| p.super_admin) {
        return Err(Refusal::forbidden(Rule::R16, Reason::SuperAdminProtected));
    }
    if people.iter().any(|p| !p.permissions().is_subset(holds(Some(actor)))) {
        return Err(Refusal::forbidden(Rule::R16, Reason::PartnerBeyondYou));
    }
    Ok(())
}

/// Whether an end change by the client moves it later (for the preview).
pub fn client_end_widens(person: &Membership, at: Option<UnixTime>) -> bool {
    later(person.end, at)
}
