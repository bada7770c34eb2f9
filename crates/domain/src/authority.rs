//! SPEC §9, the authority table: one decision per action. Each decision
//! takes the facts (who acts and what their membership there holds, the
//! person's membership with its end and who deactivated it, the partner's
//! suspension, the account's super admins) and returns the [`Change`] it
//! allows or the [`Refusal`] that names why not. The server applies a
//! `Change` in one place; bulk rows, previews in the browser and the
//! client's control of its partners ask the very same functions.
//!
//! The one principle of §9 is written once, in [`widening`] and
//! [`settle`]: every change that widens anyone's access — a permission
//! added, a membership created or reactivated, a seat given, an end moved
//! later or removed — is a grant; the actor must hold all of it, nothing
//! widens for a suspended partner's people (but the client's resume), and
//! the account keeps a super admin (R9). Every decision ends in `settle`.
//!
//! The rows live in [`partner_side`] (A1–A6, A10 partner side) and
//! [`client_side`] (A7–A12).

pub mod client_side;
pub mod partner_side;
pub mod partner_terms;

pub use client_side::*;
pub use partner_side::*;
pub use partner_terms::*;

use crate::account::{Deactivator, End, Membership, MembershipStatus, Seat, Side};
use crate::grant::{Grant, Granter, Requested};
use crate::history::HistoryAction;
use crate::permission::{Permission, Perms};
use crate::rules::{Reason, Refusal, Rule};
use crate::time::UnixTime;

/// The account where a change happens, as the decisions need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The moment of the decision (ends are compared with it).
    pub now: UnixTime,
    /// Its super admins R9 can count on: active, with no end. [`settle`]
    /// counts down when a change takes one out, so that a run of changes
    /// (a bulk job, a partner's people) keeps one too.
    pub lasting_super_admins: usize,
    /// The partners it suspends (R16).
    pub suspended: Vec<i64>,
    /// The ceilings and relationship ends it sets for its partners (R18).
    pub terms: Vec<Terms>,
}

/// What a customer account sets for one partner (R18): a ceiling on what
/// its people may hold there, and an end of the relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub partner: i64,
    pub ceiling: Option<Perms>,
    pub ends_at: Option<UnixTime>,
}

impl Place {
    /// Whether the account suspends `partner`.
    pub fn suspends(&self, partner: Option<i64>) -> bool {
        partner.is_some_and(|p| self.suspended.contains(&p))
    }

    /// The terms the account sets for `partner`, if any.
    pub fn terms_of(&self, partner: Option<i64>) -> Option<&Terms> {
        partner.and_then(|p| self.terms.iter().find(|t| t.partner == p))
    }

    /// The ceiling for `partner`'s people here: everything where none
    /// applies (the client's own people have none).
    pub fn ceiling(&self, partner: Option<i64>) -> Perms {
        self.terms_of(partner).and_then(|t| t.ceiling).unwrap_or(Perms::all())
    }

    /// Whether `partner`'s relationship with the account has ended by now.
    pub fn relationship_ended(&self, partner: Option<i64>) -> bool {
        self.terms_of(partner).and_then(|t| t.ends_at).is_some_and(|at| at <= self.now)
    }

    /// R16 for an action refused as a whole while the person's partner is
    /// suspended (not only its widening part).
    fn not_suspended(&self, person: &Membership) -> Result<(), Refusal> {
        if self.suspends(person.partner_account_id) {
            Err(suspended())
        } else {
            Ok(())
        }
    }
}

/// What an allowed decision changes for one person in one account: the
/// membership before (none for a new one) and after (none once removed),
/// with the permissions decided by the grant rule when they change. Only
/// the decisions of this module construct one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    action: HistoryAction,
    before: Option<Membership>,
    after: Option<Membership>,
    grant: Option<Grant>,
}

impl Change {
    fn new(action: HistoryAction, before: &Membership, after: Option<Membership>) -> Change {
        Change { action, before: Some(before.clone()), after, grant: None }
    }

    fn granting(action: HistoryAction, before: Option<&Membership>, after: Membership, grant: Grant) -> Change {
        Change { action, before: before.cloned(), after: Some(after), grant: Some(grant) }
    }

    /// What the history records.
    pub fn action(&self) -> HistoryAction {
        self.action
    }

    /// The membership before (as of the decision; none when created).
    pub fn before(&self) -> Option<&Membership> {
        self.before.as_ref()
    }

    /// The membership after (none when removed).
    pub fn after(&self) -> Option<&Membership> {
        self.after.as_ref()
    }

    /// The permissions written, when they change.
    pub fn grant(&self) -> Option<&Grant> {
        self.grant.as_ref()
    }

    /// What the change widens.
    pub fn widening(&self) -> Widening {
        widening(self.before(), self.after())
    }
}

/// R14: the system stores the end of a membership whose end has come (it
/// grants nothing from that second already, see [`Membership::at`]); none
/// when `stored` is not an active membership at its end.
pub fn end_reached(stored: &Membership, now: UnixTime) -> Option<Change> {
    if !stored.is_active() || !stored.ended_by(now) {
        return None;
    }
    let after = deactivated(stored, Deactivator::System);
    Some(Change::new(HistoryAction::AccessEnded, stored, Some(after)))
}

/// What a change widens (SPEC §9): whether it widens at all, and the
/// permissions the actor must hold for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Widening {
    pub widens: bool,
    pub perms: Perms,
}

/// Whether the end `after` lies later than `before` (no end is the latest).
pub fn later(before: Option<End>, after: Option<UnixTime>) -> bool {
    moves_later(before.map(|e| e.at), after)
}

/// Whether an end at `after` lies later than one at `before`: removing an
/// end moves it later; setting one where there was none does not.
pub fn moves_later(before: Option<UnixTime>, after: Option<UnixTime>) -> bool {
    match (before, after) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(b), Some(a)) => a > b,
    }
}

/// The principle: a membership created or reactivated and an end moved
/// later or removed widen everything the person will hold; a change of
/// permissions widens the permissions it adds; a seat given widens (no
/// permission); a removal and a deactivation widen nothing. `before` is the membership as of now (an
/// ended one is deactivated).
pub fn widening(before: Option<&Membership>, after: Option<&Membership>) -> Widening {
    let Some(after) = after else { return Widening::default() };
    let perms = after.permissions();
    let gains_access = after.is_active() && !before.is_some_and(Membership::is_active);
    let end_later = before.is_some_and(|b| later(b.end, after.end.map(|e| e.at)));
    if gains_access || end_later || before.is_none() {
        return Widening { widens: true, perms };
    }
    // A seat given widens what the person may use, not what they hold: it
    // is a grant for the suspension's sake, with no permission to hold.
    let seat_given = before.is_some_and(|b| b.seat != after.seat && after.seat != Seat::None);
    let added = perms.difference(before.map(Membership::permissions).unwrap_or_default());
    Widening { widens: seat_given || !added.is_empty(), perms: added }
}

/// Whether `m` stops being a super admin R9 can count on.
fn takes_out_lasting_super_admin(before: Option<&Membership>, after: Option<&Membership>) -> bool {
    before.is_some_and(Membership::is_lasting_super_admin) && !after.is_some_and(Membership::is_lasting_super_admin)
}

/// Every decision ends here: the widening is a grant by `holds` (R3), it
/// is refused for a suspended partner's people unless it is the client's
/// `resume` (R16), and the account keeps a lasting super admin (R9).
fn settle(holds: Perms, change: Change, place: &mut Place, resume: bool) -> Result<Change, Refusal> {
    let w = change.widening();
    let partner = change.after().and_then(|m| m.partner_account_id);
    if w.widens && !resume && place.suspends(partner) {
        return Err(suspended());
    }
    if !w.perms.is_subset(holds) {
        return Err(Refusal::forbidden(Rule::R3, Reason::WideningBeyondYou));
    }
    // R18: nobody of a partner holds anything outside its ceiling here,
    // whoever widens or flags them; nothing widens once the relationship
    // has ended (until the client moves or removes its end).
    if let Some(after) = change.after() {
        let flagged = change.before().map(|b| b.partner_account_id) != Some(after.partner_account_id);
        if (w.widens || flagged) && !after.permissions().is_subset(place.ceiling(partner)) {
            return Err(Refusal::conflict(Rule::R18, Reason::AboveCeiling));
        }
        if (w.widens || flagged) && place.relationship_ended(partner) {
            return Err(Refusal::invalid(Rule::R18, Reason::RelationshipEnded));
        }
    }
    if takes_out_lasting_super_admin(change.before(), change.after()) {
        if place.lasting_super_admins <= 1 {
            let why = match change.action {
                HistoryAction::MigratedToPartnerAdmin | HistoryAction::AccessLinkApproved => {
                    Reason::LastSuperAdminMigrate
                }
                _ => Reason::LastSuperAdmin,
            };
            return Err(Refusal::conflict(Rule::R9, why));
        }
        place.lasting_super_admins -= 1;
    }
    Ok(change)
}

fn suspended() -> Refusal {
    Refusal::conflict(Rule::R16, Reason::PartnerSuspended)
}

/// A partner employee who is not a super admin gets Billing only through
/// R9's *Keep billing permissions*: every other grant leaves it out (§9).
/// `had` is what the person holds before: Billing kept under R9 stays
/// under R3's formula like any other permission (a set or an edit that
/// keeps it ticked does not take it away).
fn without_billing(requested: &Requested, partner_person: bool, had: Perms) -> Requested {
    if partner_person && !had.contains(Permission::Billing) {
        requested.leaving_out(Perms::EMPTY.with(Permission::Billing))
    } else {
        *requested
    }
}

/// `m` deactivated by `by`.
fn deactivated(m: &Membership, by: Deactivator) -> Membership {
    let mut out = m.clone();
    out.status = MembershipStatus::Deactivated;
    out.deactivated_by = Some(by);
    out
}

/// `m` active again (its end unchanged).
fn reactivated(m: &Membership) -> Membership {
    let mut out = m.clone();
    out.status = MembershipStatus::Active;
    out.deactivated_by = None;
    out.suspended = false;
    out
}

/// R8: a status changes only into the other one.
fn to_status(m: &Membership, to: MembershipStatus) -> Result<(), Refusal> {
    crate::rules::may_change_status(m.status, to)
}

/// R14: a reactivation waits until the end that passed is moved or removed.
fn end_not_passed(m: &Membership, now: UnixTime) -> Result<(), Refusal> {
    if m.ended_by(now) {
        Err(Refusal::invalid(Rule::R14, Reason::EndPassed))
    } else {
        Ok(())
    }
}

/// The granter a membership makes (nothing without one), for a person of
/// `partner` (R18's ceiling there).
fn granter(m: Option<&Membership>, partner: Option<i64>, place: &Place) -> Granter {
    m.map(Granter::member).unwrap_or(Granter::holding(Perms::EMPTY)).within(place.ceiling(partner))
}

fn holds(m: Option<&Membership>) -> Perms {
    m.map(Membership::active_permissions).unwrap_or_default()
}

/// An end set now by `by`: ahead, at most two years away (R14).
fn new_end(at: Option<UnixTime>, by: Side, now: UnixTime) -> Result<Option<End>, Refusal> {
    match at {
        Some(at) => {
            crate::rules::check_end_date(now, at)?;
            Ok(Some(End { at, by }))
        }
        None => Ok(None),
    }
}

/// What the decisions answer for the actions a row offers (none where
/// allowed): the browser shows them as they are, so its disabled actions
/// and their reasons are the decisions' own, with the account's real facts.
pub mod previews {
    use super::*;
    use crate::api::Refusals;
    use crate::rules::Refusal;

    /// The earliest end a dialog offers: the narrowest end change, as a gate.
    fn tomorrow(place: &Place) -> Option<UnixTime> {
        Some(place.now.plus_days(1))
    }

    fn answer(decided: Result<Change, Refusal>) -> Option<crate::api::ErrorDetail> {
        decided.err().as_ref().map(crate::api::ErrorDetail::from)
    }

    /// A partner's employee on the client's details page, for `actor` (R1
    /// passed or not).
    pub fn employee(actor: &Result<PartnerActor<'_>, Refusal>, person: &Membership, place: &Place) -> Refusals {
        let Ok(a) = actor else {
            let r = actor.as_ref().err().map(crate::api::ErrorDetail::from);
            return Refusals {
                change: r.clone(),
                status: r.clone(),
                convert: r.clone(),
                end: r.clone(),
                end_later: r,
                ..Refusals::default()
            };
        };
        let p = || place.clone();
        Refusals {
            change: answer(change_set(a, person, &Requested::nothing(), &mut p())),
            status: answer(if person.is_active() {
                deactivate_employee(a, person, &mut p())
            } else {
                reactivate_employee(a, person, &mut p())
            }),
            convert: answer(convert_as_partner(a, false, person, false, &mut p())),
            end: answer(set_end_as_partner(a, person, tomorrow(place), &mut p())),
            end_later: answer(set_end_as_partner(a, person, None, &mut p())),
            ..Refusals::default()
        }
    }

    /// A member on Users & Teams, for `me` (their membership there).
    pub fn member(me: &Membership, person: &Membership, place: &Place) -> Refusals {
        let p = || place.clone();
        Refusals {
            change: answer(edit_permissions(me, person, &Requested::nothing(), &mut p())),
            seat: answer(assign_seat(me, person, person.seat, person.partner_account_id, &mut p())),
            status: answer(if person.is_active() {
                deactivate_member(me, person, &mut p())
            } else {
                reactivate_member(me, person, &mut p())
            }),
            remove: answer(remove_member(me, person, &mut p())),
            convert: answer(convert_as_client(me, person, false, &mut p())),
            end: answer(set_end_as_client(me, person, tomorrow(place), &mut p())),
            end_later: answer(set_end_as_client(me, person, None, &mut p())),
        }
    }
}

#[cfg(test)]
mod tests;
