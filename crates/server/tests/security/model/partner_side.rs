//! SPEC §9's partner-side rows (A1–A6, A10 partner side), each decided for
//! one person in one client, as a single action, a bulk row (A13) and a
//! row of R6/R7 are. Every row returns its [`Ways`]: the refusals SPEC
//! allows and the states it allows (more than one where SPEC leaves the
//! result open). Partner-side rows also require R1; the callers check it
//! with the tenancy ([`Model::partner_tenancy`]).

use super::state::*;
use domain::{PartnerProgram, Permission, Perms, Seat, SetKey, StandardSet};

/// What SPEC allows one row to do: refuse (with one of these codes) or
/// leave one of these states.
pub type Ways = Vec<Result<Model, No>>;

pub fn refusal(codes: &[u16], why: &str) -> Result<Model, No> {
    let mut no = No::default();
    no.when(true, codes, why);
    Err(no)
}

pub fn refuse(codes: &[u16], why: &str) -> Ways {
    vec![refusal(codes, why)]
}

/// Refused with `no` when it holds a refusal, where any of `maybe` (the
/// refusals SPEC leaves open) also answers; else the states `ok` gives,
/// or one of `maybe`'s refusals.
pub fn decided(no: No, maybe: No, ok: impl FnOnce() -> Vec<Model>) -> Ways {
    if no.any() {
        let mut no = no;
        no.extend(maybe);
        return vec![Err(no)];
    }
    let mut ways: Ways = ok().into_iter().map(Ok).collect();
    if maybe.any() {
        ways.push(Err(maybe));
    }
    ways
}

/// Refused with `no` when it holds a refusal; else `ok`.
pub fn unless(no: No, ok: impl FnOnce() -> Ways) -> Ways {
    if no.any() {
        vec![Err(no)]
    } else {
        ok()
    }
}

/// Whether moving an end from `old` to `new` widens access (R14: later or removed).
pub fn widens_end(old: Option<End>, new: Option<i64>) -> bool {
    match (old, new) {
        (Some(_), None) => true,
        (Some(o), Some(n)) => n > o.at,
        (None, _) => false,
    }
}

/// The permissions a converted super admin (A10, R9) may end with: at most
/// `S ∩ A` (§9: creating and approving), or R3's formula (R3 names R9
/// migration among its paths); Billing only when kept (R9), nothing
/// super-admin-only. SPEC does not decide between the two readings.
pub fn conversion_results(had: Perms, wanted: Perms, actor: Perms, keep_billing: bool) -> Vec<Perms> {
    let wanted = if keep_billing { wanted.with(Permission::Billing) } else { wanted };
    let bounded = at_most(wanted, actor);
    let mut formula = r3(had, wanted, actor);
    if !keep_billing {
        formula = formula.without(Permission::Billing);
    }
    let customer_only: Perms = formula.iter().filter(|p| !p.is_partner_account_only()).collect();
    let mut out = vec![];
    for p in [bounded, formula, customer_only] {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

impl Model {
    /// Partner-side tenancy: the actor belongs to the partner account
    /// (404) and passes R1 (403); the partner manages every named client (404).
    pub fn partner_tenancy(&self, actor: i64, partner: i64, clients: &[i64]) -> No {
        let mut no = No::default();
        self.r1(partner, actor, &mut no);
        for c in clients {
            no.when(!self.clients.contains(&(partner, *c)), &[404], "not the partner's client");
        }
        no
    }

    /// The partner's person in `client`, or a 404 noted.
    fn person(&self, client: i64, partner: i64, user: i64, no: &mut No) -> Option<Member> {
        let t = self.person_of(client, partner, user).cloned();
        no.when(t.is_none(), &[404], "not the partner's person there");
        t
    }

    /// R2 as the actor's own standing: a refusal that depends on nothing
    /// the partner cannot see, so it may answer beside a tenancy 404.
    pub fn r2_standing(&self, no: &mut No, actor: i64, partner: i64, client: i64) {
        no.when(
            !self.partner_admin_there(client, actor, partner),
            &[403],
            "R2: the actor is no active Partner Admin of the partner there",
        );
    }

    fn with_member(&self, key: Key, m: Member) -> Model {
        let mut next = self.clone();
        next.members.insert(key, m);
        next
    }

    /// Deactivated, recording who did it (§9: `deactivated_by`).
    pub fn deactivated(&self, key: Key, by: By) -> Model {
        let mut m = self.members[&key].clone();
        m.active = false;
        m.by = Some(by);
        m.marked = false;
        self.with_member(key, m)
    }

    /// Reactivated: its end unchanged (R14).
    pub fn reactivated(&self, key: Key) -> Model {
        let mut m = self.members[&key].clone();
        m.active = true;
        m.by = None;
        m.marked = false;
        self.with_member(key, m)
    }

    /// A1 (R4): `employee` added to `client` with `set`.
    /// Who: an active Partner Admin of the partner there (R2).
    /// Bound: `S ∩ A`, the ceiling (R18). Refused: partner suspended there;
    /// already a member; the relationship's end has passed (R18).
    pub fn a1_add(
        &self,
        actor: i64,
        partner: i64,
        client: i64,
        employee: i64,
        set: StandardSet,
        ends_at: Option<i64>,
    ) -> Ways {
        let mut no = No::default();
        no.when(self.member(partner, employee).is_none(), &[404], "not the partner's employee");
        no.when(
            !self.partner_admin_there(client, actor, partner),
            &[403],
            "R2: the actor is no active Partner Admin of the partner there",
        );
        no.when(self.suspended.contains(&(client, partner)), &[409], "R16: the partner is suspended there");
        no.when(self.member(client, employee).is_some(), &[409], "R4: already a member");
        no.when(ends_at.is_some_and(|at| self.bad_end(at)), &[422], "R14: the end is past or too far");
        no.when(self.relationship_ended(client, Some(partner)), &[422], "R18: the relationship has ended");
        unless(no, || {
            let perms = billing_left_out(at_most(set.perms(), self.holds(client, actor)), Perms::EMPTY);
            let perms = self.within_ceiling(client, Some(partner), perms);
            let end = ends_at.map(|at| End { at, side: Side::Partner });
            vec![Ok(self.with_member((client, employee), Member::partner_person(client, partner, set, perms, end)))]
        })
    }

    /// A2: `employee`'s permission set in `client` changed to `set`.
    /// Who: an active Partner Admin there. Bound: R3's formula, the ceiling
    /// (R18). Refused: suspended; widening once the relationship's end has
    /// passed (R18).
    pub fn a2_change_set(&self, actor: i64, partner: i64, client: i64, employee: i64, set: StandardSet) -> Ways {
        let mut no = No::default();
        let t = self.person(client, partner, employee, &mut no);
        no.when(
            !self.partner_admin_there(client, actor, partner),
            &[403],
            "R2: the actor is no active Partner Admin of the partner there",
        );
        no.when(self.suspended.contains(&(client, partner)), &[409], "R16: the partner is suspended there");
        let Some(t) = t else { return vec![Err(no)] };
        // A super admin is converted (A10), never given a set; SPEC names no code.
        no.when(t.super_admin, &[403, 422], "a super admin is converted (A10), never given a set");
        let new = billing_left_out(r3(t.perms, set.perms(), self.holds(client, actor)), t.perms);
        let new = self.within_ceiling(client, Some(partner), new);
        no.when(
            !new.is_subset(t.perms) && self.relationship_ended(client, Some(partner)),
            &[422],
            "R18: widening once the relationship has ended",
        );
        unless(no, || {
            let mut m = t.clone();
            m.perms = new;
            m.set = Some(SetKey::Standard(set));
            vec![Ok(self.with_member((client, employee), m))]
        })
    }

    /// A3: deactivate `employee` in `client`.
    /// Who: any R1 holder (the partner's super admin or holder of *View and
    /// edit partner employees*; an active Partner Admin there holds R1 too).
    /// Bound: never the last super admin (R9). Already deactivated: 422.
    pub fn a3_deactivate(&self, partner: i64, client: i64, employee: i64) -> Ways {
        let mut no = No::default();
        let Some(t) = self.person(client, partner, employee, &mut no) else { return vec![Err(no)] };
        no.when(!t.active, &[422], "already deactivated");
        no.when(self.last_super_admin(client, employee), &[409], "R9: the last super admin");
        let mut maybe = No::default();
        maybe.when(self.ended(&t), &[422], "its end has passed: deactivated already in effect");
        decided(no, maybe, || vec![self.deactivated((client, employee), By::Partner)])
    }

    /// A3: remove `employee` from `client`. Who: any R1 holder. Bound: never
    /// the last super admin (R9).
    pub fn a3_remove(&self, partner: i64, client: i64, employee: i64) -> Ways {
        if self.person_of(client, partner, employee).is_none() {
            return refuse(&[404], "not the partner's person there");
        }
        if self.last_super_admin(client, employee) {
            return refuse(&[409], "R9: the last super admin");
        }
        let mut next = self.clone();
        next.forget(client, employee);
        vec![Ok(next)]
    }

    /// A4 (R8): reactivate `employee` in `client`, partner side.
    /// Who: an active Partner Admin there. Bound: the actor holds everything
    /// the person gets back; the end unchanged. Refused: suspended (409);
    /// end passed (422); deactivated by the client (403); already active (422).
    pub fn a4_reactivate(&self, actor: i64, partner: i64, client: i64, employee: i64) -> Ways {
        let mut no = No::default();
        let t = self.person(client, partner, employee, &mut no);
        no.when(
            !self.partner_admin_there(client, actor, partner),
            &[403],
            "R2: the actor is no active Partner Admin of the partner there",
        );
        no.when(self.suspended.contains(&(client, partner)), &[409], "R16: the partner is suspended there");
        let Some(t) = t else { return vec![Err(no)] };
        no.when(t.active || self.ended(&t), &[422], "already active, or its end has passed (R14)");
        no.when(!t.active && t.by == Some(By::Client), &[403], "R8: deactivated by the client");
        no.when(!t.perms.is_subset(self.holds(client, actor)), &[403], "§9: the actor lacks what the person holds");
        unless(no, || vec![Ok(self.reactivated((client, employee)))])
    }

    /// A5 (R5): flag the existing user `employee` of `client` as the partner's.
    /// Who: an R1 holder. Changes no permission, seat, status or end.
    /// Refused: suspended; the user is a super admin there; the user holds
    /// something outside the partner's ceiling there (R18).
    pub fn a5_link(&self, partner: i64, client: i64, employee: i64) -> Ways {
        let mut no = No::default();
        no.when(self.member(partner, employee).is_none(), &[404], "not the partner's employee");
        no.when(self.suspended.contains(&(client, partner)), &[409], "R16: the partner is suspended there");
        let Some(t) = self.member(client, employee).cloned() else {
            no.when(true, &[404, 422], "R5: not a user there, nothing to link");
            return vec![Err(no)];
        };
        no.when(t.super_admin, &[403], "A5: the user is a super admin there");
        no.when(
            !t.perms.is_subset(self.ceiling(client, Some(partner))),
            &[409],
            "A5: the user holds something outside the ceiling (R18)",
        );
        // Another partner's person (§9: never acted on by this partner): SPEC names no code.
        no.when(t.partner.is_some_and(|p| p != partner), &[403, 404, 409, 422], "another partner's person");
        // Linked already: a no-op, or a refusal; SPEC does not say.
        let mut maybe = No::default();
        maybe.when(t.partner == Some(partner), &[409, 422], "linked already");
        // Once the relationship's end has passed: R16 counts a link among
        // what gives a partner's people access, §9's list of widenings does
        // not; either is accepted.
        maybe.when(
            self.relationship_ended(client, Some(partner)),
            &[422],
            "R18: a link once the relationship has ended",
        );
        decided(no, maybe, || {
            let mut m = t.clone();
            m.partner = Some(partner);
            vec![self.with_member((client, employee), m)]
        })
    }

    /// A6: set, move or remove `employee`'s end in `client`, partner side.
    /// Who: an active Partner Admin there. Bound: later or removed — the
    /// actor holds everything the person holds. Refused: a client-set end
    /// moved later or removed (403); last super admin (409); suspended (409).
    pub fn a6_end_partner_side(
        &self,
        actor: i64,
        partner: i64,
        client: i64,
        employee: i64,
        ends_at: Option<i64>,
    ) -> Ways {
        let mut no = No::default();
        let t = self.person(client, partner, employee, &mut no);
        no.when(
            !self.partner_admin_there(client, actor, partner),
            &[403],
            "R2: the actor is no active Partner Admin of the partner there",
        );
        no.when(self.suspended.contains(&(client, partner)), &[409], "R16: the partner is suspended there");
        no.when(ends_at.is_some_and(|at| self.bad_end(at)), &[422], "R14: the end is past or too far");
        let Some(t) = t else { return vec![Err(no)] };
        if widens_end(t.end, ends_at) {
            no.when(
                t.end.is_some_and(|e| e.side == Side::Client),
                &[403],
                "A6: a client-set end moved later or removed",
            );
            no.when(!t.perms.is_subset(self.holds(client, actor)), &[403], "§9: the actor lacks what the person holds");
            no.when(
                self.relationship_ended(client, Some(partner)),
                &[422],
                "R18: an end moved later or removed once the relationship has ended",
            );
        }
        no.when(
            ends_at.is_some() && self.last_super_admin(client, employee),
            &[409],
            "R9: an end on the last super admin",
        );
        // Nothing to remove: a no-op, "invalid state", or judged as a
        // removal (R3); SPEC does not say.
        let nothing = t.end.is_none() && ends_at.is_none();
        let mut maybe = No::default();
        maybe.when(nothing, &[422], "no end to remove");
        maybe.when(
            nothing && !t.perms.is_subset(self.holds(client, actor)),
            &[403],
            "removing no end, judged as a removal",
        );
        decided(no, maybe, || {
            if nothing {
                return vec![self.clone()];
            }
            // The partner may move a client-set end earlier: it stays client-set.
            let side = match t.end {
                Some(e) if e.side == Side::Client => Side::Client,
                _ => Side::Partner,
            };
            let mut m = t.clone();
            m.end = ends_at.map(|at| End { at, side });
            vec![self.with_member((client, employee), m)]
        })
    }

    /// A10, partner side: `target` in `client` converted from super admin
    /// to Partner Admin — by themself (a super admin there), or by an
    /// active Partner Admin of the same partner there (R12's only
    /// exception). Bound: keep at least one super admin (R9).
    pub fn a10_convert_partner_side(
        &self,
        actor: i64,
        partner: i64,
        client: i64,
        target: i64,
        keep_billing: bool,
    ) -> Ways {
        let mut no = No::default();
        let t = self.person(client, partner, target, &mut no);
        if target == actor {
            no.when(!self.live_at(client, actor), &[403], "a deactivated or ended membership never acts");
        } else {
            no.when(
                !self.partner_admin_there(client, actor, partner),
                &[403],
                "R2: the actor is no active Partner Admin of the partner there",
            );
        }
        let Some(t) = t else { return vec![Err(no)] };
        // Not a super admin: nothing to convert; SPEC names no code.
        no.when(!t.super_admin, &[403, 422], "not a super admin: nothing to convert");
        no.when(self.last_super_admin(client, target), &[409], "R9: the last super admin");
        unless(no, || {
            let results: Vec<Perms> =
                conversion_results(t.perms, StandardSet::PartnerAdmin.perms(), self.holds(client, actor), keep_billing)
                    .into_iter()
                    .map(|p| self.within_ceiling(client, Some(partner), p))
                    .collect();
            vec![Ok(self.converted((client, target), &t, &results, &[t.end], false))]
        })
    }

    /// `t` (at `key`) as a Partner Admin holding one of `results`, with one
    /// of `ends`, its seat partner or unchanged; `reactivate`: its status
    /// either as it was or active (SPEC is silent on a converted
    /// deactivated member).
    pub fn converted(&self, key: Key, t: &Member, results: &[Perms], ends: &[Option<End>], reactivate: bool) -> Model {
        let mut variants = vec![];
        for perms in results {
            for end in ends {
                for seat in [Seat::Partner, t.seat] {
                    for active in if reactivate { vec![t.active, true] } else { vec![t.active] } {
                        let mut m = t.clone();
                        m.super_admin = false;
                        m.set = Some(SetKey::Standard(StandardSet::PartnerAdmin));
                        m.perms = *perms;
                        m.end = *end;
                        m.seat = seat;
                        if active && !t.active {
                            m.active = true;
                            m.by = None;
                            m.marked = false;
                        }
                        if !variants.contains(&m) {
                            variants.push(m);
                        }
                    }
                }
            }
        }
        let mut next = self.with_member(key, variants[0].clone());
        for v in variants.into_iter().skip(1) {
            next.allow_also(key, Some(v));
        }
        next
    }

    /// SPEC §4: a new link for `employee`, revoking the old one. Who: an R1
    /// holder of a partner whose programme may have Partner Admins.
    pub fn regenerate(&self, partner: i64, employee: i64) -> Ways {
        let mut no = No::default();
        no.when(self.member(partner, employee).is_none(), &[404], "not the partner's employee");
        let eligible = self.kinds.get(&partner).and_then(|k| k.1).is_some_and(|p| p != PartnerProgram::AppPartner);
        no.when(!eligible, &[403, 422], "SPEC §4: the partner may not have Partner Admins");
        unless(no, || {
            let mut next = self.clone();
            next.links.insert((employee, partner), None);
            vec![Ok(next)]
        })
    }
}
