//! What must hold after every step, computed from the states before and
//! after with the model's own arithmetic: SPEC §9's principle (nobody's
//! access widens unless the actor held all of the widening; nothing widens
//! for a suspended partner's people but the client's resume, nor for the
//! people of a partner whose relationship has ended; a relationship end
//! moved later or removed is a grant over every person of that partner),
//! R9 (every account keeps an active super admin), R18 (no person of a
//! partner holds a permission outside that partner's ceiling there),
//! tenant isolation, and Billing reaching a partner's person only through
//! R9's *Keep billing permissions*.

use super::ops::{Control, Op};
use super::partner_side::widens_end;
use super::state::*;
use domain::{AccountKind, Permission, Perms, Seat};
use std::collections::BTreeSet;

/// A membership as it stands: one whose end has passed grants nothing
/// whatever its stored status (the system stores it in its own time).
fn settled(m: &Model, key: &Key) -> Option<Member> {
    m.members.get(key).map(|x| {
        let mut x = x.clone();
        if m.ended(&x) {
            x.active = false;
            x.by = None;
            x.marked = false;
        }
        x
    })
}

/// Memberships that differ between two states.
fn changed(before: &Model, after: &Model) -> Vec<Key> {
    before
        .members
        .keys()
        .chain(after.members.keys())
        .filter(|k| settled(before, k) != settled(after, k))
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// What every stored state satisfies.
pub fn invariants(m: &Model, ids: &Ids) -> Result<(), String> {
    for account in m.kinds.keys() {
        // R9: stored active (an ended one the timed work has not reached counts).
        if !m.members.iter().any(|((a, _), x)| a == account && x.super_admin && x.active) {
            return Err(format!("R9: {} has no active super admin", ids.account(*account)));
        }
    }
    for (key @ (account, user), member) in &m.members {
        if let Some(partner) = member.partner {
            if m.member(partner, *user).is_none() {
                return Err(format!(
                    "{} is flagged for {} without being its employee",
                    ids.key(*key),
                    ids.account(partner)
                ));
            }
            if m.kinds[account].0 == AccountKind::Customer && !m.clients.contains(&(partner, *account)) {
                return Err(format!(
                    "{} is flagged for {}, which does not manage it",
                    ids.key(*key),
                    ids.account(partner)
                ));
            }
        }
        if !member.super_admin && member.perms.iter().any(|p| p.is_super_admin_only()) {
            return Err(format!("R12: {} holds a super-admin-only permission", ids.key(*key)));
        }
    }
    within_ceilings(m, ids)
}

/// R18: "No person of that partner holds, in this account, a permission
/// outside the ceiling" — whatever their status (a super admin holds
/// everything, so none is there under a ceiling).
pub fn within_ceilings(m: &Model, ids: &Ids) -> Result<(), String> {
    for (key @ (account, _), member) in &m.members {
        let Some(partner) = member.partner else { continue };
        let Some(ceiling) = m.terms.get(&(*account, partner)).and_then(|t| t.ceiling) else { continue };
        if !member.perms.is_subset(ceiling) {
            return Err(format!(
                "R18: {} holds {:?}, outside {}'s ceiling there{}",
                ids.key(*key),
                member.perms.difference(ceiling).iter().map(|p| p.key()).collect::<Vec<_>>(),
                ids.account(partner),
                if member.super_admin { " (a super admin)" } else { "" }
            ));
        }
    }
    Ok(())
}

/// §9: "every change that widens anyone's access is a grant": a
/// permission added (the actor holds it), a membership created or
/// reactivated, a seat given, an end moved later or removed (the actor
/// holds everything the person holds after). Nothing widens for a
/// suspended partner's people except the client's resume; the system
/// (time passing) widens nothing.
pub fn no_widening_without_holding(op: &Op, ids: &Ids, before: &Model, after: &Model) -> Result<(), String> {
    let actor = op.actor().map(|i| ids.users[i]);
    for key @ (account, _) in changed(before, after) {
        let Some(now) = after.members.get(&key) else { continue };
        let old = before.members.get(&key);
        let mut widened: Vec<(&str, Perms)> = vec![];
        match old {
            None => widened.push(("a membership created", now.perms)),
            Some(old) => {
                if !before.live(old) && after.live(now) {
                    widened.push(("a membership reactivated", now.perms));
                }
                let added = now.perms.difference(old.perms);
                if !added.is_empty() {
                    widened.push(("permissions added", added));
                }
                if now.seat != old.seat && now.seat != Seat::None {
                    widened.push(("a seat given", now.perms));
                }
                if widens_end(old.end, now.end.map(|e| e.at)) {
                    widened.push(("an end moved later or removed", now.perms));
                }
            }
        }
        if widened.is_empty() {
            continue;
        }
        let Some(actor) = actor else {
            return Err(format!("§9: time passing widened {} ({})", ids.key(key), widened[0].0));
        };
        let held = before.holds(account, actor);
        for (what, needed) in &widened {
            if !needed.is_subset(held) {
                return Err(format!(
                    "§9: {what} for {} by {}, who lacks {:?}",
                    ids.key(key),
                    ids.name(actor),
                    needed.difference(held).iter().collect::<Vec<_>>()
                ));
            }
        }
        let partner = now.partner.or(old.and_then(|o| o.partner));
        let resume = matches!(op, Op::ControlPartner { action: Control::Resume, .. });
        if partner.is_some_and(|p| before.suspended.contains(&(account, p))) && !resume {
            return Err(format!("R16: {} widened for {} while suspended there", widened[0].0, ids.key(key)));
        }
        if before.relationship_ended(account, partner) {
            return Err(format!("R18: {} widened for {} after the relationship ended", widened[0].0, ids.key(key)));
        }
    }
    relationship_ends_are_grants(op, ids, before, after)
}

/// §9 A14: "a relationship end moved later or removed is a grant over
/// every person of that partner": the actor holds everything each of them
/// holds (a super admin holds everything), and never while the partner is
/// suspended there (R16). Where nobody of the partner is left, nobody's
/// access widens.
fn relationship_ends_are_grants(op: &Op, ids: &Ids, before: &Model, after: &Model) -> Result<(), String> {
    let pairs: BTreeSet<(i64, i64)> = before.terms.keys().chain(after.terms.keys()).copied().collect();
    for pair @ (account, partner) in pairs {
        let old = before.relationship_end(account, partner).map(|at| End { at, side: Side::Client });
        if !widens_end(old, after.relationship_end(account, partner)) || after.people_of(account, partner).is_empty() {
            continue;
        }
        let Some(actor) = op.actor().map(|i| ids.users[i]) else {
            return Err(format!("R18: time passing widened {}'s relationship end", ids.account(partner)));
        };
        let held = before.holds(account, actor);
        for (user, m) in before.people_of(account, partner) {
            if before.live(&m) && !m.perms.is_subset(held) {
                return Err(format!(
                    "§9 A14: {} moved {}'s relationship end later or removed it, lacking {:?} of {}",
                    ids.name(actor),
                    ids.account(partner),
                    m.perms.difference(held).iter().map(|p| p.key()).collect::<Vec<_>>(),
                    ids.name(user)
                ));
            }
        }
        if before.suspended.contains(&pair) {
            return Err(format!("R16: {}'s relationship end widened while suspended there", ids.account(partner)));
        }
    }
    Ok(())
}

/// Tenant isolation: a client-side request changes only the account it
/// names; a partner-side one only its own people in its own clients.
pub fn tenant_isolation(op: &Op, ids: &Ids, before: &Model, after: &Model) -> Result<(), String> {
    let keys = changed(before, after);
    if let Some(account) = op.client_side_account(ids) {
        if let Some(k) = keys.iter().find(|(a, _)| *a != account) {
            return Err(format!("a request in {} changed {}", ids.account(account), ids.key(*k)));
        }
        let moved: Vec<&(i64, i64)> = before.suspended.symmetric_difference(&after.suspended).collect();
        if moved.iter().any(|(a, _)| *a != account) {
            return Err(format!("a request in {} changed suspensions elsewhere: {moved:?}", ids.account(account)));
        }
        if let Some((a, p)) = terms_changed(before, after).into_iter().find(|(a, _)| *a != account) {
            return Err(format!(
                "a request in {} changed the terms of {} in {}",
                ids.account(account),
                ids.account(p),
                ids.account(a)
            ));
        }
    }
    if let Some(p) = op.partner_side().map(|i| ids.partners[i]) {
        // A partner never sets terms; it may at most leave a client (its
        // terms there then kept or gone).
        for pair @ (a, q) in terms_changed(before, after) {
            if after.terms.contains_key(&pair) || !after.people_of(a, q).is_empty() {
                return Err(format!(
                    "a partner-side request of {} changed the terms of {} in {}",
                    ids.account(p),
                    ids.account(q),
                    ids.account(a)
                ));
            }
        }
        for key @ (account, user) in keys {
            let flagged = |m: &Model| m.member(account, user).map(|x| x.partner);
            if !before.clients.contains(&(p, account)) {
                return Err(format!("{} changed {}, not its client", ids.account(p), ids.key(key)));
            }
            if ![flagged(before), flagged(after)].contains(&Some(Some(p))) {
                return Err(format!("{} changed {}, not its person there", ids.account(p), ids.key(key)));
            }
        }
    }
    Ok(())
}

/// The (account, partner) pairs whose terms differ between two states.
fn terms_changed(before: &Model, after: &Model) -> Vec<(i64, i64)> {
    let pairs: BTreeSet<(i64, i64)> = before.terms.keys().chain(after.terms.keys()).copied().collect();
    pairs.into_iter().filter(|k| before.terms.get(k) != after.terms.get(k)).collect()
}

/// §9 Billing: a partner's person who is not a super admin comes to hold
/// Billing only through R9's *Keep billing permissions*.
pub fn billing_only_when_kept(op: &Op, ids: &Ids, before: &Model, after: &Model) -> Result<(), String> {
    let kept = matches!(op, Op::Migrate { keep_billing: true, .. } | Op::ClientMigrate { keep_billing: true, .. });
    for key in changed(before, after) {
        let Some(now) = after.members.get(&key) else { continue };
        if now.partner.is_none() || now.super_admin || !now.perms.contains(Permission::Billing) {
            continue;
        }
        let gained = before.members.get(&key).is_none_or(|b| b.super_admin || !b.perms.contains(Permission::Billing));
        if gained && !kept {
            return Err(format!("§9 Billing reached {} by {}", ids.key(key), op.kind()));
        }
    }
    Ok(())
}
