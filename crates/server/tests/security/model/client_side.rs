//! SPEC §9's client-side rows: A7 (ends), A8 (approving a link, R15), A9
//! (Users & Teams), A10 client side (conversions), A12 (R16), read with the
//! brief's shared reading: the client's own people are the members not
//! flagged with a partner; a member flagged with a partner acts as that
//! partner's side on every screen.

use super::ops::Control;
use super::partner_side::{conversion_results, decided, unless, widens_end, Ways};
use super::state::*;
use domain::{PartnerProgram, Perms, Seat, SetKey, StandardSet};

/// Which partner, if any, a person is recognised as an employee of (R11):
/// a partner account they belong to, or whose verified domain their email
/// is on; Solutions Partners and Providers first. Written from the demo data.
fn recognised_partner(m: &Model, ids: &Ids, person: usize) -> Option<i64> {
    let uid = ids.users[person];
    let by_domain = match person {
        ADA | BEN | CLEO | DAN => Some(ids.partners[NW]),
        BO => Some(ids.partners[1]),
        CODY | CORA => Some(ids.partners[CONTOSO]),
        _ => None,
    };
    let mut candidates: Vec<i64> =
        ids.partners.iter().copied().filter(|p| m.member(*p, uid).is_some() || by_domain == Some(*p)).collect();
    candidates.sort_by_key(|p| (m.kinds[p].1 == Some(PartnerProgram::AppPartner), *p));
    candidates.first().copied()
}

/// The rows whose who-may depends on the actor alone, checked beside tenancy.
#[derive(Debug, Clone, Copy)]
pub enum Standing {
    /// Super admin or holder of *Add and edit users*.
    A9,
    /// And one of the client's own people.
    A7,
    /// The client's own super admins only.
    A10,
}

impl Model {
    /// Client-side tenancy: the actor belongs to the customer account (404,
    /// alone); so does the person named, if any (404, beside the actor's own
    /// lack of standing, which leaks nothing).
    pub fn client_tenancy(&self, actor: i64, account: i64, target: Option<i64>, standing: Standing) -> No {
        let mut no = No::default();
        no.when(
            self.member(account, actor).is_none() || !self.is_customer(account),
            &[404],
            "not a member of that customer account",
        );
        if no.any() {
            return no;
        }
        if let Some(t) = target {
            no.when(self.member(account, t).is_none(), &[404], "no such user there");
        }
        if no.any() {
            match standing {
                Standing::A9 => {}
                Standing::A7 => no.when(!self.own_person(account, actor), &[403], "the client's own people only"),
                Standing::A10 => {
                    no.when(!self.own_person(account, actor), &[403], "the client's own people only");
                    no.when(!self.live_super_admin(account, actor), &[403], "A10: the client's own super admins only");
                }
            }
            no.when(
                !self.manages_users(account, actor),
                &[403],
                "R11: neither super admin nor holder of Add and edit users",
            );
        }
        no
    }

    /// The client's own person: a member not flagged with any partner.
    pub fn own_person(&self, account: i64, user: i64) -> bool {
        self.member(account, user).is_some_and(|m| m.partner.is_none())
    }

    /// The side `actor` acts as in `account`.
    fn side_of(&self, account: i64, actor: i64) -> By {
        if self.own_person(account, actor) {
            By::Client
        } else {
            By::Partner
        }
    }

    /// A9's who: a super admin, or a holder of *Add and edit users* (R11),
    /// live; never over a super admin unless a super admin acts; a
    /// partner's person never over another partner's people.
    fn a9_who(&self, actor: i64, account: i64, target: i64) -> No {
        let mut no = No::default();
        no.when(
            !self.manages_users(account, actor),
            &[403],
            "R11: neither super admin nor holder of Add and edit users",
        );
        let (me, t) = (&self.members[&(account, actor)], &self.members[&(account, target)]);
        no.when(t.super_admin && !self.live_super_admin(account, actor), &[403], "never over a super admin");
        no.when(
            me.partner.is_some() && t.partner.is_some() && me.partner != t.partner,
            &[403],
            "§9: a partner never acts on another partner's people",
        );
        no
    }

    /// The target is the person of a partner suspended there (R16).
    fn of_suspended_partner(&self, account: i64, target: i64) -> bool {
        self.member(account, target).and_then(|m| m.partner).is_some_and(|p| self.suspended.contains(&(account, p)))
    }

    /// A7: set, move or remove `target`'s end from the client side.
    /// Who: the client's own super admin; the client's own holder of *Add
    /// and edit users*, never over a super admin. Bound as A6 (later or
    /// removed: the actor holds everything the person holds). Refused: last
    /// super admin; later or removed while suspended.
    pub fn a7_end_client_side(&self, actor: i64, account: i64, target: i64, ends_at: Option<i64>) -> Ways {
        let t = self.members[&(account, target)].clone();
        let mut no = No::default();
        no.when(!self.own_person(account, actor), &[403], "the client's own people only");
        no.when(
            !self.manages_users(account, actor),
            &[403],
            "R11: neither super admin nor holder of Add and edit users",
        );
        no.when(t.super_admin && !self.live_super_admin(account, actor), &[403], "never over a super admin");
        // The client's own people's access does not end this way.
        no.when(t.partner.is_none(), &[422], "the client's own people have no end");
        no.when(ends_at.is_some_and(|at| self.bad_end(at)), &[422], "R14: the end is past or too far");
        if widens_end(t.end, ends_at) {
            no.when(
                !t.perms.is_subset(self.holds(account, actor)),
                &[403],
                "§9: the actor lacks what the person holds",
            );
            no.when(self.of_suspended_partner(account, target), &[409], "R16: the person's partner is suspended there");
            no.when(
                self.relationship_ended(account, t.partner),
                &[422],
                "R18: an end moved later or removed once the relationship has ended",
            );
        }
        no.when(
            ends_at.is_some() && self.last_super_admin(account, target),
            &[409],
            "R9: an end on the last super admin",
        );
        // Nothing to remove: a no-op, "invalid state", or judged as a
        // removal (R3); SPEC does not say.
        let nothing = t.end.is_none() && ends_at.is_none();
        let mut maybe = No::default();
        maybe.when(nothing, &[422], "no end to remove");
        maybe.when(
            nothing && !t.perms.is_subset(self.holds(account, actor)),
            &[403],
            "removing no end, judged as a removal",
        );
        decided(no, maybe, || {
            let mut next = self.clone();
            next.members.get_mut(&(account, target)).unwrap().end = ends_at.map(|at| End { at, side: Side::Client });
            vec![next]
        })
    }

    /// A8 (R15): `approver` approves `employee`'s link of `partner` into
    /// `account`, keeping `keep` of the Partner Admin set, until `ends_at`.
    /// Who: one of the client's own people, super admin or holder of *Add
    /// and edit users* there. Bound: ≤ the set minus what is unticked, ≤
    /// what the approver holds, ≤ the ceiling (R18). Refused: suspended;
    /// link not eligible; the relationship's end has passed (R18).
    /// Converting an existing user is A10 client side (a super admin only
    /// by the client's own super admins, R9 kept), narrowing honoured.
    #[allow(clippy::too_many_arguments)]
    pub fn a8_approve(
        &self,
        approver: i64,
        employee: i64,
        partner: i64,
        account: i64,
        convert: bool,
        keep: Option<Perms>,
        ends_at: Option<i64>,
    ) -> Outcome {
        let mut no = No::default();
        no.when(!matches!(self.links.get(&(employee, partner)), Some(Some(_))), &[404], "no such live link");
        no.when(
            self.member(account, approver).is_none() || !self.is_customer(account),
            &[404],
            "not a member of that customer account",
        );
        if no.any() {
            return Outcome::refused(no);
        }
        no.when(!self.own_person(account, approver), &[403], "A8: the client's own people only");
        no.when(
            !self.manages_users(account, approver),
            &[403],
            "A8: neither super admin nor holder of Add and edit users",
        );
        no.when(self.suspended.contains(&(account, partner)), &[409], "R16: the partner is suspended there");
        no.when(ends_at.is_some_and(|at| self.bad_end(at)), &[422], "R14: the end is past or too far");
        no.when(self.relationship_ended(account, Some(partner)), &[422], "R18: the relationship has ended");
        let eligible = self.kinds.get(&partner).and_then(|k| k.1).is_some_and(|p| p != PartnerProgram::AppPartner);
        no.when(!eligible, &[403, 422], "SPEC §4: the partner may not have Partner Admins");
        let set = StandardSet::PartnerAdmin.perms();
        let kept = keep.map(|k| set.intersection(k)).unwrap_or(set);
        let a = self.holds(account, approver);
        let end = ends_at.map(|at| End { at, side: Side::Client });
        let key = (account, employee);
        let Some(t) = self.member(account, employee).cloned() else {
            if no.any() {
                return Outcome::refused(no);
            }
            let mut next = self.clone();
            let perms = self.within_ceiling(account, Some(partner), billing_left_out(at_most(kept, a), Perms::EMPTY));
            next.members.insert(key, Member::partner_person(account, partner, StandardSet::PartnerAdmin, perms, end));
            next.clients.insert((partner, account));
            let created = Outcome::allowed(200, next);
            // Asked to convert nobody: the approval, or "invalid state".
            return if convert { created.or(Outcome::refusing(&[422], "nobody to convert")) } else { created };
        };
        // Already a member, and no conversion confirmed (R4).
        no.when(!convert, &[409], "R4: already a member, no conversion confirmed");
        if t.super_admin {
            // A10 client side: the client's own super admins only; R9.
            no.when(
                !self.live_super_admin(account, approver),
                &[403],
                "A10: only the client's own super admins convert a super admin",
            );
            no.when(self.last_super_admin(account, employee), &[409], "R9: the last super admin");
        }
        if t.partner.is_some_and(|q| q != partner) {
            // Another partner's person: SPEC names no code.
            no.when(true, &[403, 409, 422], "another partner's person");
        }
        // One whose end has passed is deactivated by the system in effect.
        let t = if t.active && self.ended(&t) {
            Member { active: false, by: Some(By::System), marked: false, ..t }
        } else {
            t
        };
        // Converting someone who is already this partner's Partner Admin, or
        // a deactivated user: SPEC does not say; a refusal is accepted too.
        let mut maybe = No::default();
        maybe.when(
            t.partner == Some(partner) && t.has_partner_admin_set(),
            &[409, 422],
            "already this partner's Partner Admin",
        );
        maybe.when(!t.active, &[403, 409, 422], "converting a deactivated user");
        if no.any() {
            no.extend(maybe);
            return Outcome::refused(no);
        }
        let out = Outcome::refused(maybe);
        let ends = if end.is_some() { vec![end] } else { vec![t.end, None] };
        // R18: the conversion is a grant to the partner's person, bounded by its ceiling.
        let results: Vec<Perms> = conversion_results(t.perms, kept, a, false)
            .into_iter()
            .map(|p| self.within_ceiling(account, Some(partner), p))
            .collect();
        let mut next = self.converted(key, &t, &results, &ends, true);
        for m in next.members.get_mut(&key).into_iter().chain(next.alts.get_mut(&key).into_iter().flatten().flatten()) {
            m.partner = Some(partner);
        }
        next.clients.insert((partner, account));
        out.or(Outcome::allowed(200, next))
    }

    /// A9 (R11): Users & Teams → Create user, an existing person, with a
    /// template or none. Who: super admin or holder of *Add and edit
    /// users*. Bound: `S ∩ A`, the ceiling (R18). Refused: suspended, or
    /// the relationship's end passed (that partner's people).
    pub fn a9_create_user(
        &self,
        ids: &Ids,
        creator: i64,
        account: i64,
        person: usize,
        partner_seat: bool,
        template: Option<StandardSet>,
    ) -> Outcome {
        let mut no = No::default();
        no.when(
            !self.manages_users(account, creator),
            &[403],
            "R11: neither super admin nor holder of Add and edit users",
        );
        let partner = recognised_partner(self, ids, person);
        let program = partner.and_then(|p| self.kinds[&p].1);
        let partner_admin = template == Some(StandardSet::PartnerAdmin);
        // R11: the Partner Admin template only for an eligible partner
        // employee, after a partner seat is assigned.
        let eligible = program.is_some_and(|p| p != PartnerProgram::AppPartner);
        no.when(
            partner_admin && !(eligible && partner_seat),
            &[422],
            "R11: the Partner Admin template needs an eligible employee with a partner seat",
        );
        no.when(partner_seat && partner.is_none(), &[422], "a partner seat for nobody's employee");
        let uid = ids.users[person];
        no.when(self.member(account, uid).is_some(), &[409], "already a member");
        let flag = partner.filter(|_| partner_admin || partner_seat);
        if let Some(q) = flag {
            let mine = self.members[&(account, creator)].partner;
            no.when(mine.is_some_and(|p| p != q), &[403], "§9: a partner never acts on another partner's people");
            no.when(self.suspended.contains(&(account, q)), &[409], "R16: that partner is suspended there");
            no.when(self.relationship_ended(account, Some(q)), &[422], "R18: that partner's relationship has ended");
        }
        if no.any() {
            return Outcome::refused(no);
        }
        let asked = template.map(StandardSet::perms).unwrap_or_default();
        let mut perms = at_most(asked, self.holds(account, creator));
        if flag.is_some() {
            perms = self.within_ceiling(account, flag, billing_left_out(perms, Perms::EMPTY));
        }
        let m = Member {
            account,
            super_admin: false,
            set: template.map(SetKey::Standard),
            perms,
            seat: if partner_seat { Seat::Partner } else { Seat::Core },
            active: true,
            partner: flag,
            end: None,
            by: None,
            marked: false,
        };
        let mut next = self.clone();
        if let Some(p) = flag {
            next.clients.insert((p, account));
        }
        next.members.insert((account, uid), m);
        Outcome::allowed(201, next)
    }

    /// A9: Users & Teams → Edit permissions: a set plus individual
    /// additions and removals. Bound: R3's formula, a partner's person's
    /// ceiling (R18); Billing never reaches a partner's person this way.
    /// Refused: suspended, or the relationship's end passed (widening that
    /// partner's people).
    pub fn a9_edit_permissions(
        &self,
        editor: i64,
        account: i64,
        target: i64,
        set: StandardSet,
        added: Perms,
        removed: Perms,
    ) -> Ways {
        let t = self.members[&(account, target)].clone();
        let mut no = self.a9_who(editor, account, target);
        // A super admin holds everything: no set to edit; SPEC names no code.
        no.when(t.super_admin, &[403, 422], "a super admin holds everything: no set to edit");
        let asked = set.perms().union(added).difference(removed);
        let mut new = r3(t.perms, asked, self.holds(account, editor));
        if t.partner.is_some() {
            new = self.within_ceiling(account, t.partner, billing_left_out(new, t.perms));
        }
        let widening = !new.is_subset(t.perms);
        let suspended = self.of_suspended_partner(account, target);
        no.when(suspended && widening, &[409], "R16: widening a suspended partner's person");
        no.when(
            widening && self.relationship_ended(account, t.partner),
            &[422],
            "R18: widening once the relationship has ended",
        );
        let mut maybe = No::default();
        maybe.when(suspended, &[409], "R16: narrowing a suspended partner's person");
        decided(no, maybe, || {
            let mut next = self.clone();
            let m = next.members.get_mut(&(account, target)).unwrap();
            m.set = Some(SetKey::Standard(set));
            m.perms = new;
            vec![next]
        })
    }

    /// A9: Users & Teams → deactivate. Bound: never the last super admin.
    /// Recorded as the actor's side.
    pub fn a9_deactivate(&self, actor: i64, account: i64, target: i64) -> Ways {
        let t = self.members[&(account, target)].clone();
        let mut no = self.a9_who(actor, account, target);
        no.when(!t.active, &[422], "already deactivated");
        no.when(self.last_super_admin(account, target), &[409], "R9: the last super admin");
        // Narrowing a suspended partner's person, or one whose end has
        // passed: SPEC does not say whether that is refused.
        let mut maybe = No::default();
        maybe.when(self.of_suspended_partner(account, target), &[409], "R16: a suspended partner's person");
        maybe.when(self.ended(&t), &[422], "its end has passed: deactivated already in effect");
        decided(no, maybe, || vec![self.deactivated((account, target), self.side_of(account, actor))])
    }

    /// A9: Users & Teams → reactivate. Bound: the actor holds everything
    /// the person gets back; the end unchanged. Refused: suspended; end
    /// passed; from the partner side, what the client deactivated (R8).
    pub fn a9_reactivate(&self, actor: i64, account: i64, target: i64) -> Ways {
        let t = self.members[&(account, target)].clone();
        let mut no = self.a9_who(actor, account, target);
        no.when(t.active || self.ended(&t), &[422], "already active, or its end has passed (R14)");
        no.when(self.of_suspended_partner(account, target), &[409], "R16: the person's partner is suspended there");
        no.when(
            !self.own_person(account, actor) && t.by == Some(By::Client),
            &[403],
            "R8: deactivated by the client, reactivated from the partner side",
        );
        no.when(!t.perms.is_subset(self.holds(account, actor)), &[403], "§9: the actor lacks what the person holds");
        unless(no, || vec![Ok(self.reactivated((account, target)))])
    }

    /// A9: Users & Teams → remove. Bound: never the last super admin.
    pub fn a9_remove(&self, actor: i64, account: i64, target: i64) -> Ways {
        let mut no = self.a9_who(actor, account, target);
        no.when(self.last_super_admin(account, target), &[409], "R9: the last super admin");
        let mut maybe = No::default();
        maybe.when(self.of_suspended_partner(account, target), &[409], "R16: a suspended partner's person");
        decided(no, maybe, || {
            let mut next = self.clone();
            next.forget(account, target);
            vec![next]
        })
    }

    /// A10, client side: the client's own super admin converts a partner's
    /// super admin to Partner Admin (R9: Billing only if kept; one super
    /// admin always stays).
    pub fn a10_convert_client_side(&self, actor: i64, account: i64, target: i64, keep_billing: bool) -> Ways {
        let t = self.members[&(account, target)].clone();
        let mut no = No::default();
        no.when(!self.own_person(account, actor), &[403], "the client's own people only");
        no.when(!self.live_super_admin(account, actor), &[403], "A10: the client's own super admins only");
        // Not a partner's super admin: nothing to convert; SPEC names no code.
        no.when(!t.super_admin || t.partner.is_none(), &[403, 422], "not a partner's super admin: nothing to convert");
        no.when(self.last_super_admin(account, target), &[409], "R9: the last super admin");
        unless(no, || {
            let results: Vec<Perms> = conversion_results(
                t.perms,
                StandardSet::PartnerAdmin.perms(),
                self.holds(account, actor),
                keep_billing,
            )
            .into_iter()
            .map(|p| self.within_ceiling(account, t.partner, p))
            .collect();
            vec![Ok(self.converted((account, target), &t, &results, &[t.end], false))]
        })
    }

    /// A12 (R16): suspend, resume or remove `partner`'s people in `account`.
    /// Who: the client's own people only — a super admin, or a holder of
    /// *Add and edit users* who holds every permission of every person the
    /// action touches and never over a super admin; a partner's person
    /// gets 404 whatever they hold. Bound: R3 over every person touched; R9.
    pub fn a12_control_partner(&self, actor: i64, account: i64, partner: i64, action: Control) -> Outcome {
        let mut no = No::default();
        no.when(
            self.member(account, actor).is_none() || !self.is_customer(account),
            &[404],
            "not a member of that customer account",
        );
        no.when(!self.own_person(account, actor), &[404], "R16: a partner's person never sees Partner access");
        let people = self.people_of(account, partner);
        let suspended = self.suspended.contains(&(account, partner));
        no.when(people.is_empty() && !suspended, &[404], "the partner has no people there");
        if no.any() {
            // One of the client's own people who may not manage users, asking
            // about a partner with nobody there: SPEC does not say which
            // refusal comes first (403 R11 or 404).
            let own =
                self.member(account, actor).is_some() && self.is_customer(account) && self.own_person(account, actor);
            no.when(own && !self.manages_users(account, actor), &[403], "R11 (and the partner has no people there)");
            return Outcome::refused(no);
        }
        no.when(
            !self.manages_users(account, actor),
            &[403],
            "R11: neither super admin nor holder of Add and edit users",
        );
        match action {
            Control::Suspend => no.when(suspended, &[409, 422], "suspended already"),
            Control::Resume => no.when(!suspended, &[409, 422], "not suspended"),
            Control::Remove => {}
        }
        // "Every person the action touches": those whose state it changes,
        // or every person of the partner there; SPEC does not say which.
        let (fewest, all): (Vec<&Member>, Vec<&Member>) = match action {
            Control::Suspend => {
                (people.iter().map(|p| &p.1).filter(|m| self.live(m)).collect(), people.iter().map(|p| &p.1).collect())
            }
            Control::Resume => (
                people.iter().map(|p| &p.1).filter(|m| m.marked && !self.ended(m)).collect(),
                people.iter().map(|p| &p.1).collect(),
            ),
            Control::Remove => (people.iter().map(|p| &p.1).collect(), people.iter().map(|p| &p.1).collect()),
        };
        let a = self.holds(account, actor);
        let super_admin = self.live_super_admin(account, actor);
        let over = |touched: &[&Member]| !super_admin && touched.iter().any(|m| m.super_admin || !m.perms.is_subset(a));
        // R9: the partner's people leaving must leave a super admin.
        let others = self
            .members
            .iter()
            .filter(|((acc, _), m)| *acc == account && m.partner != Some(partner) && m.super_admin && self.live(m))
            .count();
        let loses_last = people.iter().any(|(_, m)| m.super_admin && self.live(m)) && others == 0;
        no.when(loses_last && action != Control::Resume, &[409], "R9: the last super admin would go");
        let (over_fewest, over_all) = (over(&fewest), over(&all));
        no.when(over_fewest && over_all, &[403], "R16: over a super admin, or someone holding more than the actor");
        // Refusals SPEC leaves open: a suspension left without people, and
        // R3 over the people of one reading of "touched" only.
        let mut maybe = No::default();
        maybe.when(people.is_empty(), &[404, 409, 422], "a suspension without people");
        maybe.when(over_fewest != over_all, &[403], "R16: over someone holding more, on one reading of 'touched'");
        // A resume once the relationship's end has passed reactivates nobody
        // (their end has passed); whether it is refused as a widening (R18),
        // SPEC does not say.
        maybe.when(
            action == Control::Resume && self.relationship_ended(account, Some(partner)),
            &[422],
            "R18: a resume once the relationship has ended",
        );
        if no.any() {
            no.extend(maybe);
            return Outcome::refused(no);
        }
        let mut next = self.clone();
        let mut gone = vec![];
        match action {
            Control::Suspend => {
                next.suspended.insert((account, partner));
                for (uid, m) in &people {
                    let key = (account, *uid);
                    let mut s = m.clone();
                    s.active = false;
                    s.by = Some(By::Client);
                    s.marked = true;
                    if self.live(m) {
                        next.members.insert(key, s);
                    } else if m.active {
                        // Its end has passed: already deactivated in effect.
                        next.allow_also(key, Some(s));
                    }
                }
            }
            Control::Resume => {
                next.suspended.remove(&(account, partner));
                for (uid, m) in people.iter().filter(|(_, m)| m.marked) {
                    let key = (account, *uid);
                    if !self.ended(m) {
                        next = next.reactivated(key);
                    } else {
                        // Not reactivated; who it counts as deactivated by
                        // and whether it keeps its mark, SPEC does not say.
                        for (by, marked) in
                            [(By::Client, false), (By::Client, true), (By::System, false), (By::System, true)]
                        {
                            let mut s = m.clone();
                            s.by = Some(by);
                            s.marked = marked;
                            next.allow_also(key, Some(s));
                        }
                        next.members.get_mut(&key).unwrap().marked = false;
                    }
                }
            }
            Control::Remove => {
                for (uid, _) in &people {
                    next.forget(account, *uid);
                    gone.push(*uid);
                }
                next.suspended.remove(&(account, partner));
                if suspended {
                    next.loose_suspended.insert((account, partner));
                }
            }
        }
        Outcome::refused(maybe).or(Outcome::allowed(200, next).signing_out(gone.into_iter().filter(|u| *u != actor)))
    }
}
