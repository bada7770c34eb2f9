//! Row A14 of §9 (R18): the client's own people set, per partner, a
//! ceiling on what its people may hold in the account and an end of the
//! relationship. Only the client's own people act, as R16: a super admin,
//! or a holder of *Add and edit users* who holds every permission of every
//! person of the partner (every step touches them all), never over a
//! super admin. A ceiling, and a
//! relationship end, are refused while one of the partner's people is a
//! super admin there (convert first, R9). Lowering a ceiling narrows every
//! person holding something outside it, in one change; raising or removing
//! it gives nobody anything. A relationship end moved later or removed is
//! a grant over every person of the partner (refused while the partner is
//! suspended). Every person of the partner gets one history event per step.

use super::{client_own, moves_later, settle, Change, Place};
use crate::account::Membership;
use crate::grant::within_ceiling;
use crate::history::HistoryAction;
use crate::permission::Perms;
use crate::rules::{check_end_date, Reason, Refusal, Rule};
use crate::time::UnixTime;

/// Who may act on a partner's terms at all: the client's own people who
/// manage users (R16), over a partner with people here and none of them a
/// super admin when `bounding` (a ceiling or an end is set).
fn may_set_terms(actor: &Membership, people: &[Membership], bounding: bool) -> Result<(), Refusal> {
    client_own(actor)?;
    if !actor.may_manage_users() {
        return Err(Refusal::forbidden(Rule::R16, Reason::UsersEditNeeded));
    }
    if people.is_empty() {
        return Err(Refusal::invalid(Rule::R16, Reason::NoPartnerPeople));
    }
    if bounding && people.iter().any(|p| p.super_admin) {
        return Err(Refusal::conflict(Rule::R18, Reason::CeilingSuperAdmin));
    }
    Ok(())
}

/// R16's bound: a holder of *Add and edit users* acts only over people
/// whose every permission they hold (a super admin holds everything).
fn holds_all_of<'a>(actor: &Membership, mut touched: impl Iterator<Item = &'a Membership>) -> Result<(), Refusal> {
    let holds = actor.active_permissions();
    if touched.any(|p| !p.permissions().is_subset(holds)) {
        return Err(Refusal::forbidden(Rule::R16, Reason::PartnerBeyondYou));
    }
    Ok(())
}

/// What a ceiling may be chosen from: every permission a partner's person
/// can hold in a customer account (not the super-admin-only ones, not a
/// partner account's own).
pub fn ceiling_choices() -> Perms {
    Perms::all().assignable().iter().filter(|p| !p.is_partner_account_only()).collect()
}

/// R16 with R18: whether `viewer`, a member of the client account, sees the
/// client's ceiling for `partner`'s people: the client's own people see
/// every partner's, a partner's person only their own partner's.
pub fn sees_ceiling(viewer: &Membership, partner: Option<i64>) -> bool {
    viewer.partner_account_id.is_none() || viewer.partner_account_id == partner
}

/// What a ceiling step is, for the history: the first ceiling, one that
/// takes something away (lowered), one that only adds (raised), none any
/// more (removed); none when nothing changes.
pub fn ceiling_step(before: Option<Perms>, after: Option<Perms>) -> Option<HistoryAction> {
    match (before, after) {
        (None, None) => None,
        (None, Some(_)) => Some(HistoryAction::CeilingSet),
        (Some(_), None) => Some(HistoryAction::CeilingRemoved),
        (Some(b), Some(a)) if b == a => None,
        (Some(b), Some(a)) if b.is_subset(a) => Some(HistoryAction::CeilingRaised),
        (Some(_), Some(_)) => Some(HistoryAction::CeilingLowered),
    }
}

/// What each of `people` loses under `ceiling` (only those who lose
/// something): the preview of a lowering.
pub fn ceiling_losses<K: Clone>(people: &[(K, Membership)], ceiling: Perms) -> Vec<(K, Perms)> {
    people
        .iter()
        .map(|(k, p)| (k.clone(), p.permissions().difference(ceiling)))
        .filter(|(_, lost)| !lost.is_empty())
        .collect()
}

/// A14: `actor` sets the ceiling of the partner whose people here are
/// `people` to `ceiling` (none removes it). Everyone holding something
/// outside it is narrowed to it; everyone else gets the step in their
/// history. An empty ceiling is refused; so is any ceiling while one of the
/// partner's people is a super admin here.
pub fn set_ceiling<K: Clone>(
    actor: &Membership,
    people: &[(K, Membership)],
    ceiling: Option<Perms>,
    place: &mut Place,
) -> Result<Vec<(K, Change)>, Refusal> {
    let ceiling = ceiling.map(Perms::assignable);
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    may_set_terms(actor, &members, ceiling.is_some())?;
    if ceiling.is_some_and(|c| c.is_empty()) {
        return Err(Refusal::invalid(Rule::R18, Reason::CeilingEmpty));
    }
    let partner = members[0].partner_account_id;
    let before = place.terms_of(partner).and_then(|t| t.ceiling);
    let Some(action) = ceiling_step(before, ceiling) else { return Ok(vec![]) };
    let within = ceiling.unwrap_or(Perms::all());
    // Every step touches every person of the partner (each gets it in
    // their history): a holder of Add and edit users holds all they hold,
    // so that nobody undoes a ceiling over people beyond them.
    holds_all_of(actor, members.iter())?;
    let holds = actor.active_permissions();
    let mut out = Vec::with_capacity(people.len());
    for (k, p) in people {
        let change = if p.permissions().is_subset(within) {
            Change::new(action, p, Some(p.clone()))
        } else {
            let granted = within_ceiling(p, within);
            Change::granting(action, Some(p), granted.applied_to(p), granted)
        };
        out.push((k.clone(), settle(holds, change, place, false)?));
    }
    Ok(out)
}

/// A14: `actor` sets, moves or removes (`at` none) the end of the
/// partner's relationship with the account. At most two years ahead;
/// moved later or removed, it is a grant over every person of the partner
/// (the actor holds all they hold; refused while suspended). One history
/// event per person; nothing when the end stays as it is.
pub fn set_relationship_end<K: Clone>(
    actor: &Membership,
    people: &[(K, Membership)],
    at: Option<UnixTime>,
    place: &mut Place,
) -> Result<Vec<(K, Change)>, Refusal> {
    let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
    may_set_terms(actor, &members, at.is_some())?;
    if let Some(at) = at {
        check_end_date(place.now, at)?;
    }
    let partner = members[0].partner_account_id;
    let before = place.terms_of(partner).and_then(|t| t.ends_at);
    let action = match (before, at) {
        (None, None) => return Ok(vec![]),
        (Some(b), Some(a)) if a == b => return Ok(vec![]),
        (None, Some(_)) => HistoryAction::RelationshipEndSet,
        (Some(_), Some(_)) => HistoryAction::RelationshipEndMoved,
        (Some(_), None) => HistoryAction::RelationshipEndRemoved,
    };
    // Every person's access ends with the relationship: the step touches
    // them all (R16); later or removed widens them all (§9).
    holds_all_of(actor, members.iter())?;
    if moves_later(before, at) && place.suspends(partner) {
        return Err(super::suspended());
    }
    let mut out = Vec::with_capacity(people.len());
    for (k, p) in people {
        let mut after = p.clone();
        after.relationship_end = at;
        out.push((k.clone(), Change::new(action, p, Some(after))));
    }
    Ok(out)
}
