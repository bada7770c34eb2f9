//! SPEC §9's row A14 (R18): on Settings → Partner access a client sets
//! each partner a ceiling (a permission set or a list) and an end of the
//! relationship. Decided with the model's own arithmetic from SPEC R14,
//! R16, R18, §9 (the notes above the table and row A14) and the brief's
//! API contract; nothing of `domain::rules`, `domain::grant`,
//! `domain::authority` or `domain::access_link` is used.
//!
//! Who: the client's own people only, as R16 — a live super admin, or a
//! live holder of *Add and edit users* who holds every permission of every
//! person of that partner there (a partner's person: 404; a partner with
//! nobody there: 404). Refused: a ceiling set, or an end set or moved,
//! while one of that partner's people is a super admin there (409, "convert
//! first"); an empty list (422); an end not ahead or more than two years
//! ahead (422, R14); an end moved later or removed while the partner is
//! suspended there (409, R16). Lowering narrows every person of that
//! partner there to what they hold ∩ the ceiling; raising or removing
//! gives nobody anything; an end changes no membership (each person's
//! effective end is the earlier of its own and the relationship's).

use super::ops::Ceiling;
use super::state::*;
use domain::Perms;

/// One A14 step.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// Set, lower or raise (`Some`) or remove (`None`) the ceiling.
    Ceiling(Option<&'a Ceiling>),
    /// Set, move (`Some`) or remove (`None`) the relationship end.
    End(Option<i64>),
}

impl Model {
    /// A14: `actor` in `account` changes its terms for `partner`.
    pub fn a14_terms(&self, actor: i64, account: i64, partner: i64, step: Step) -> Outcome {
        let mut no = No::default();
        no.when(
            self.member(account, actor).is_none() || !self.is_customer(account),
            &[404],
            "not a member of that customer account",
        );
        if no.any() {
            return Outcome::refused(no);
        }
        no.when(!self.own_person(account, actor), &[404], "R16: a partner's person never sees Partner access");
        if no.any() {
            return Outcome::refused(no);
        }
        if self.people_of(account, partner).is_empty() {
            let mut no = No::default();
            no.when(true, &[404], "the partner has no people there");
            // One of the client's own people who may not manage users: SPEC
            // does not say which refusal comes first (403 R11 or 404).
            no.when(!self.manages_users(account, actor), &[403], "R11 (and the partner has no people there)");
            let refused = Outcome::refused(no);
            // A suspension left without people (SPEC leaves open whether it
            // stays): whether the partner is still listed, SPEC does not say.
            return if self.suspended.contains(&(account, partner)) {
                refused.or(self.a14_decided(actor, account, partner, step))
            } else {
                refused
            };
        }
        self.a14_decided(actor, account, partner, step)
    }

    fn a14_decided(&self, actor: i64, account: i64, partner: i64, step: Step) -> Outcome {
        let people = self.people_of(account, partner);
        let suspended = self.suspended.contains(&(account, partner));
        let mut no = No::default();
        let mut maybe = No::default();
        no.when(
            !self.manages_users(account, actor),
            &[403],
            "R11: neither super admin nor holder of Add and edit users",
        );
        // R16 "holds every permission of every person the action touches":
        // every person of that partner there, or only the live ones (a
        // deactivated membership holds nothing); SPEC does not say which.
        let a = self.holds(account, actor);
        let super_admin = self.live_super_admin(account, actor);
        let union = |pred: &dyn Fn(&Member) -> bool| {
            people.iter().filter(|(_, m)| pred(m)).fold(Perms::EMPTY, |u, (_, m)| u.union(m.perms))
        };
        let over_all = !super_admin && !union(&|_| true).is_subset(a);
        let over_live = !super_admin && !union(&|m| self.live(m)).is_subset(a);
        let with_super_admin = people.iter().any(|(_, m)| m.super_admin);
        let old = self.terms.get(&(account, partner)).cloned().unwrap_or_default();
        let mut terms = old.clone();
        let mut next = self.clone();
        match step {
            Step::Ceiling(Some(c)) => {
                let ceiling = c.perms();
                no.when(with_super_admin, &[409], "A14: a ceiling while one of that partner's people is super admin");
                no.when(ceiling.is_empty(), &[422], "R18: an empty ceiling");
                terms.ceiling = Some(ceiling);
                terms.ceiling_set = c.set_key();
                // Lowering narrows every person of that partner there at once.
                for (uid, m) in &people {
                    let mut m = m.clone();
                    m.perms = m.perms.intersection(ceiling);
                    next.members.insert((account, *uid), m);
                }
            }
            Step::Ceiling(None) => {
                // No ceiling to remove: a no-op, or a refusal; SPEC does not say.
                maybe.when(terms.ceiling.is_none(), &[404, 409, 422], "no ceiling to remove");
                terms.ceiling = None;
                terms.ceiling_set = None;
            }
            Step::End(Some(at)) => {
                no.when(
                    with_super_admin,
                    &[409],
                    "A14: a relationship end while one of that partner's people is super admin",
                );
                no.when(self.bad_end(at), &[422], "R14: the end is past or too far");
                let later = terms.ends_at.is_some_and(|old| at > old);
                no.when(later && suspended, &[409], "R16: a relationship end moved later while suspended");
                terms.ends_at = Some(at);
            }
            Step::End(None) => {
                let removing = terms.ends_at.is_some();
                no.when(removing && suspended, &[409], "R16: a relationship end removed while suspended");
                // No end to remove: a no-op, "invalid state", or judged as a
                // removal; SPEC does not say.
                maybe.when(!removing, &[422], "no relationship end to remove");
                maybe.when(!removing && suspended, &[409], "removing no relationship end while suspended");
                terms.ends_at = None;
            }
        }
        // A step that leaves the terms as they were touches nobody: R16's
        // "every person the action touches" is then nobody, while A14's
        // "every person of that partner there" is everybody; SPEC does not
        // decide between them.
        let over = if terms == old { &mut maybe } else { &mut no };
        over.when(over_all && over_live, &[403], "R16: one of that partner's people holds more than the actor");
        maybe.when(
            over_all != over_live,
            &[403],
            "R16: one of that partner's people holds more than the actor, on one reading of 'every person'",
        );
        if no.any() {
            no.extend(maybe);
            return Outcome::refused(no);
        }
        if terms.is_empty() {
            next.terms.remove(&(account, partner));
        } else {
            next.terms.insert((account, partner), terms);
        }
        Outcome::refused(maybe).or(Outcome::allowed(200, next))
    }

    /// How many of `partner`'s people in `account` a ceiling narrows (the
    /// answer's `people`).
    pub fn narrowed_by(&self, account: i64, partner: i64, ceiling: Perms) -> usize {
        self.people_of(account, partner).iter().filter(|(_, m)| !m.perms.is_subset(ceiling)).count()
    }
}
