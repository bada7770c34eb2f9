//! Generated steps: which operation, and seeds that pick its actor,
//! accounts, people, ends and times when the step is run. Most steps are
//! focused: their seeds pick among what the current state makes plausible
//! (a partner's people in its clients, the deactivated ones, live links, a
//! client's own people of every kind, the ends that exist), so that
//! sequences get past the refusals into real changes; the others pick
//! blindly among all demo users and accounts, so that every refusal and
//! tenant boundary is tried too.

use super::ops::{Ceiling, Control, Op, UserAction};
use super::state::*;
use domain::{Permission, StandardSet};
use proptest::prelude::*;

#[derive(Debug, Clone)]
pub struct Plan {
    kind: u8,
    s: [u8; 8],
    f: [bool; 3],
    focus: bool,
}

const KINDS: u8 = 41;

pub fn plan() -> impl Strategy<Value = Plan> {
    (0u8..KINDS, any::<[u8; 8]>(), any::<[bool; 3]>(), proptest::bool::weighted(0.8))
        .prop_map(|(kind, s, f, focus)| Plan { kind, s, f, focus })
}

fn pick<T: Copy>(from: &[T], seed: u8) -> Option<T> {
    (!from.is_empty()).then(|| from[usize::from(seed) % from.len()])
}

fn raw(seed: u8, n: usize) -> usize {
    usize::from(seed) % n
}

/// What a ceiling chosen as a list picks among (R18): CRM, tools, reports,
/// workflows, and the account permissions a client might leave its partner
/// (Billing among them); none that only a super admin or a partner account
/// may hold.
const CEILING_POOL: [Permission; 16] = [
    Permission::ContactsView,
    Permission::ContactsEdit,
    Permission::ContactsDelete,
    Permission::CompaniesView,
    Permission::DealsView,
    Permission::DealsEdit,
    Permission::DealsDelete,
    Permission::TicketsView,
    Permission::MarketingView,
    Permission::SalesTools,
    Permission::ReportsView,
    Permission::ReportsEdit,
    Permission::WorkflowsEdit,
    Permission::UsersEdit,
    Permission::AccountSettings,
    Permission::Billing,
];

/// Permissions an approver may untick (R15).
const UNTICKABLE: [Permission; 6] = [
    Permission::ReportsView,
    Permission::ReportsEdit,
    Permission::DealsDelete,
    Permission::WorkflowsEdit,
    Permission::ContactsDelete,
    Permission::UsersEdit,
];

struct Pick<'a> {
    m: &'a Model,
    ids: &'a Ids,
    p: &'a Plan,
}

impl Pick<'_> {
    fn user(&self, id: i64) -> usize {
        self.ids.users.iter().position(|u| *u == id).expect("a demo user")
    }

    fn person(&self, seed: u8) -> usize {
        PEOPLE[raw(seed, PEOPLE.len())]
    }

    /// The partner's clients among the demo clients.
    fn clients_of(&self, partner: usize) -> Vec<usize> {
        (0..CLIENTS).filter(|c| self.m.clients.contains(&(self.ids.partners[partner], self.ids.clients[*c]))).collect()
    }

    /// The partner's people in `client` that `pred` keeps, as user indices.
    fn people(&self, client: usize, partner: usize, pred: &dyn Fn(&Member) -> bool) -> Vec<usize> {
        self.m
            .people_of(self.ids.clients[client], self.ids.partners[partner])
            .into_iter()
            .filter(|(_, m)| pred(m))
            .filter_map(|(u, _)| self.ids.users.iter().position(|x| *x == u))
            .collect()
    }

    /// Members of `client` that `pred` keeps (any side), as user indices.
    fn members(&self, client: usize, pred: &dyn Fn(&Member) -> bool) -> Vec<usize> {
        (0..USERS).filter(|u| self.m.member(self.ids.clients[client], self.ids.users[*u]).is_some_and(pred)).collect()
    }

    /// Away from every stored end and from now by two minutes at least,
    /// so that the clock's own ticking never decides a step.
    fn clear_of_ends(&self, mut at: i64) -> i64 {
        let near = |t: i64| {
            (t - self.m.now).abs() < 120
                || self.m.members.values().any(|m| m.end.is_some_and(|e| (e.at - t).abs() < 120))
                || self.m.terms.values().any(|x| x.ends_at.is_some_and(|e| (e - t).abs() < 120))
        };
        while near(at) {
            at += 600;
        }
        at
    }

    /// An end for a person whose end is `old`: none, earlier, later, a new
    /// one, one in the past, or one too far ahead.
    fn end(&self, seed: u8, old: Option<End>) -> Option<i64> {
        let now = self.m.now;
        let step = i64::from(seed / 10);
        let at = match (seed % 10, old) {
            (0 | 1, _) => return None,
            (2 | 3, Some(o)) => o.at - (1 + step % 47) * HOUR,
            (4 | 5, Some(o)) => o.at + (1 + step % 10) * DAY,
            (6, _) => now - 2 * HOUR,
            (7, _) if seed > 200 => now + 800 * DAY,
            _ => now + (1 + i64::from(seed) % 20) * DAY + i64::from(seed % 24) * HOUR,
        };
        Some(self.clear_of_ends(at))
    }

    /// Partner side: an actor, the partner they act through, and a client
    /// (focused: mostly Northwind's people, sometimes Contoso's; a client
    /// where the actor is Partner Admin when `needs_pa`).
    fn partner_side(&self, needs_pa: bool) -> (usize, usize, usize) {
        let [s0, s1, s2, s3, ..] = self.p.s;
        if !self.p.focus {
            return (raw(s0, USERS), raw(s1, PARTNERS), raw(s2, CLIENTS));
        }
        let contoso = s1 % 4 == 0;
        let partner = if contoso { CONTOSO } else { NW };
        let actor = if contoso {
            if s0 % 8 == 0 {
                CORA
            } else {
                CODY
            }
        } else {
            pick(&[ADA, ADA, ADA, BEN, DAN, CLEO], s0).unwrap()
        };
        let mine = self.clients_of(partner);
        let pa: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|c| {
                self.m.partner_admin_there(self.ids.clients[*c], self.ids.users[actor], self.ids.partners[partner])
            })
            .collect();
        let client = if needs_pa && !pa.is_empty() && s2 % 5 != 0 { pick(&pa, s3) } else { pick(&mine, s3) };
        (actor, partner, client.unwrap_or(raw(s2, CLIENTS)))
    }

    /// One of the partner's people in `client` that `pred` keeps, else any
    /// of them (blind: anyone).
    fn employee(&self, client: usize, partner: usize, seed: u8, pred: &dyn Fn(&Member) -> bool) -> usize {
        let kept = self.people(client, partner, pred);
        let kept = if kept.is_empty() { self.people(client, partner, &|_| true) } else { kept };
        match pick(&kept, seed) {
            Some(e) if self.p.focus => e,
            _ => self.person(seed),
        }
    }

    fn resolve(&self) -> Op {
        let [s0, s1, s2, s3, s4, s5, s6, s7] = self.p.s;
        let [f0, f1, f2] = self.p.f;
        let (m, ids, focus) = (self.m, self.ids, self.p.focus);
        let set = raw(s4, SETS.len());
        let live = |x: &Member| m.live(x);
        match self.p.kind {
            0..=2 => {
                let (actor, partner, client) = self.partner_side(true);
                let outside: Vec<usize> = PEOPLE
                    .iter()
                    .copied()
                    .filter(|e| {
                        m.member(ids.partners[partner], ids.users[*e]).is_some()
                            && m.member(ids.clients[client], ids.users[*e]).is_none()
                    })
                    .collect();
                let mut employees = match pick(&outside, s3) {
                    Some(e) if focus => vec![e],
                    _ => vec![self.person(s3)],
                };
                if f0 {
                    employees.push(pick(&outside, s5).filter(|_| focus).unwrap_or(self.person(s5)));
                }
                employees.sort();
                employees.dedup();
                let ends_at = f1.then(|| self.end(s6 | 8, None)).flatten();
                Op::Add { actor, partner, client, employees, set, ends_at }
            }
            3..=4 => {
                let (actor, partner, client) = self.partner_side(true);
                let employee = self.employee(client, partner, s5, &|x: &Member| !x.super_admin);
                Op::ChangeSet { actor, partner, client, employee, set }
            }
            5 => {
                let (actor, partner, client) = self.partner_side(false);
                // Focused: a user of one of the partner's clients who is the partner's employee, not yet linked.
                let unlinked: Vec<(usize, usize)> = self
                    .clients_of(partner)
                    .into_iter()
                    .flat_map(|c| PEOPLE.iter().map(move |e| (c, *e)))
                    .filter(|(c, e)| {
                        m.member(ids.partners[partner], ids.users[*e]).is_some()
                            && m.member(ids.clients[*c], ids.users[*e])
                                .is_some_and(|x| x.partner != Some(ids.partners[partner]))
                    })
                    .collect();
                match pick(&unlinked, s5) {
                    Some((client, employee)) if focus => Op::Link { actor, partner, employee, client },
                    _ => Op::Link { actor, partner, employee: self.person(s5), client },
                }
            }
            6..=7 => {
                // Half the time where the actor is Partner Admin, so that a reactivation may follow.
                let (actor, partner, client) = self.partner_side(s4 % 2 == 0);
                let employee = self.employee(client, partner, s5, &live);
                Op::Deactivate { actor, partner, client, employee }
            }
            8..=9 => {
                let (actor, partner, client) = self.partner_side(true);
                // Focused: someone deactivated where the actor is Partner Admin, if anyone is.
                let me = ids.users[actor];
                let pairs: Vec<(usize, usize)> = self
                    .clients_of(partner)
                    .into_iter()
                    .filter(|c| m.partner_admin_there(ids.clients[*c], me, ids.partners[partner]))
                    .flat_map(|c| self.people(c, partner, &|x: &Member| !m.live(x)).into_iter().map(move |u| (c, u)))
                    .collect();
                match pick(&pairs, s6) {
                    Some((client, employee)) if focus && s7 % 4 != 0 => {
                        Op::Reactivate { actor, partner, client, employee }
                    }
                    _ => {
                        let employee = self.employee(client, partner, s5, &|x: &Member| !m.live(x));
                        Op::Reactivate { actor, partner, client, employee }
                    }
                }
            }
            10 => {
                let (actor, partner, client) = self.partner_side(false);
                let mut employees = vec![self.employee(client, partner, s5, &|_| true)];
                if f0 {
                    employees.push(self.employee(client, partner, s6, &|_| true));
                }
                employees.sort();
                employees.dedup();
                Op::Remove { actor, partner, client, employees }
            }
            11 => {
                let (actor, partner, client) = self.partner_side(false);
                let employee = self.employee(client, partner, s5, &|_| true);
                let mut clients: Vec<usize> = self
                    .clients_of(partner)
                    .into_iter()
                    .filter(|c| m.person_of(ids.clients[*c], ids.partners[partner], ids.users[employee]).is_some())
                    .collect();
                if !focus || clients.is_empty() {
                    clients = vec![client];
                } else if f1 && clients.len() > 1 {
                    let n = 1 + usize::from(s6) % clients.len();
                    let skip = usize::from(s7) % clients.len();
                    clients.rotate_left(skip);
                    clients.truncate(n);
                } else {
                    clients = vec![pick(&clients, s6).unwrap()];
                }
                Op::RemoveFromClients { actor, partner, employee, clients }
            }
            12 => {
                let (actor, partner, client) = self.partner_side(false);
                // Focused: a client where a partner super admin is.
                let with_sa: Vec<(usize, usize)> = self
                    .clients_of(partner)
                    .into_iter()
                    .flat_map(|c| self.people(c, partner, &|x: &Member| x.super_admin).into_iter().map(move |u| (c, u)))
                    .collect();
                let (client, target) = match pick(&with_sa, s5) {
                    Some(x) if focus => x,
                    _ => (client, self.person(s5)),
                };
                // The partner super admin themself (no user id), or someone else for them.
                if f0 {
                    let actor = if focus { target } else { actor };
                    Op::Migrate { actor, partner, client, target: None, keep_billing: f1 }
                } else {
                    Op::Migrate { actor, partner, client, target: Some(target), keep_billing: f1 }
                }
            }
            13..=15 => {
                let links: Vec<(i64, i64)> = m.links.iter().filter(|(_, t)| t.is_some()).map(|(k, _)| *k).collect();
                let (employee, partner) = match pick(&links, s1) {
                    Some((u, p)) if focus => (self.user(u), ids.partners.iter().position(|x| *x == p).unwrap()),
                    _ => (self.person(s3), raw(s1, PARTNERS)),
                };
                // Approvers: mostly the customers' own people of every kind;
                // Ada, a partner's person, now and then.
                let approver =
                    if focus { pick(&[CAROL, GINA, UMA, EVE, CAROL, ADA, UMA], s0).unwrap() } else { raw(s0, USERS) };
                let theirs: Vec<usize> =
                    (0..CLIENTS).filter(|c| m.member(ids.clients[*c], ids.users[approver]).is_some()).collect();
                let account = match pick(&theirs, s2) {
                    Some(a) if focus => a,
                    _ => raw(s2, CLIENTS + 1),
                };
                let existing = account < CLIENTS && m.member(ids.clients[account], ids.users[employee]).is_some();
                let convert = if focus { existing && s5 % 4 != 0 } else { f0 };
                let keep = (s4 % 3 != 0).then(|| {
                    UNTICKABLE
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| s6 & (1 << i) != 0)
                        .fold(StandardSet::PartnerAdmin.perms(), |k, (_, p)| k.without(*p))
                });
                let ends_at = (s7 % 3 == 0).then(|| self.end(s7 | 8, None)).flatten();
                Op::Approve { approver, employee, partner, account, convert, keep, ends_at }
            }
            16 => {
                let (actor, partner, _) = self.partner_side(false);
                Op::Regenerate { actor, partner, employee: self.person(s5) }
            }
            17..=18 => {
                let (actor, partner, client) = self.partner_side(true);
                let employee = self.employee(client, partner, s5, &|x: &Member| f0 || x.end.is_some());
                let old = m.member(ids.clients[client], ids.users[employee]).and_then(|x| x.end);
                Op::SetEnd { actor, partner, client, employee, ends_at: self.end(s6, old) }
            }
            19..=20 => {
                let (actor, client) = self.client_actor(&[CAROL, CAROL, UMA, EVE, ADA, GINA, CODY]);
                let mut partner_people =
                    self.members(client, &|x: &Member| x.partner.is_some() && (f0 || x.end.is_some()));
                if partner_people.is_empty() {
                    partner_people = self.members(client, &|x: &Member| x.partner.is_some());
                }
                let target = match pick(&partner_people, s5) {
                    Some(t) if focus => t,
                    _ => raw(s5, USERS),
                };
                let old = m.member(ids.clients[client], ids.users[target]).and_then(|x| x.end);
                Op::ClientSetEnd { actor, client, target, ends_at: self.end(s6, old) }
            }
            21..=23 => {
                let (actor, client) = self.client_actor(&[CAROL, UMA, EVE, CAROL, UMA, ADA, CODY, CORA, GINA]);
                let partners: Vec<usize> = (0..PARTNERS)
                    .filter(|p| {
                        let (a, p) = (ids.clients[client], ids.partners[*p]);
                        !m.people_of(a, p).is_empty() || m.suspended.contains(&(a, p))
                    })
                    .collect();
                let partner = match pick(&partners, s2) {
                    Some(p) if focus => p,
                    _ => raw(s2, PARTNERS),
                };
                let suspended = m.suspended.contains(&(ids.clients[client], ids.partners[partner]));
                let action = if suspended && s3 % 3 != 0 {
                    Control::Resume
                } else {
                    match self.p.kind {
                        23 if s4 % 3 == 0 => Control::Remove,
                        22 if f0 => Control::Resume,
                        _ => Control::Suspend,
                    }
                };
                Op::ControlPartner { actor, client, partner, action }
            }
            24 => {
                // Focused: Acme's own people (Carol; Uma and Eve, who hold
                // Add and edit users) and the Partner Admins there create users in Acme.
                let creator = if focus { pick(&[CAROL, UMA, EVE, ADA, CODY], s0).unwrap() } else { raw(s0, USERS) };
                let client = if focus { ACME } else { raw(s2, CLIENTS) };
                let template = if s4 % 5 == 0 { None } else { Some(if focus && f1 { 0 } else { set }) };
                let outside: Vec<usize> =
                    (0..USERS).filter(|p| m.member(ids.clients[client], ids.users[*p]).is_none()).collect();
                let person = match pick(&outside, s3) {
                    Some(p) if focus => p,
                    _ => raw(s3, USERS),
                };
                let partner_seat = f0 || (focus && template == Some(0));
                Op::CreateUser { creator, client, person, partner_seat, template }
            }
            25..=26 => {
                let (editor, client) = self.client_actor(&[CAROL, CAROL, UMA, EVE, GINA, ADA]);
                let partner_people = self.members(client, &|x: &Member| !x.super_admin && x.partner.is_some());
                let target = match pick(&partner_people, s3) {
                    Some(_) if focus && s1 % 5 == 0 && client == ACME => EVE,
                    Some(t) if focus => t,
                    _ => raw(s3, USERS),
                };
                let narrowing = [
                    Permission::ReportsView,
                    Permission::ReportsEdit,
                    Permission::DealsEdit,
                    Permission::ContactsDelete,
                    Permission::UsersEdit,
                ];
                let removed: Vec<Permission> =
                    narrowing.iter().enumerate().filter(|(i, _)| s5 & (1 << i) != 0).map(|(_, p)| *p).collect();
                let set = if focus && s4 % 2 == 0 { 0 } else { set };
                let giving = [Permission::Billing, Permission::UsersEdit, Permission::ReportsView];
                let added: Vec<Permission> =
                    giving.iter().enumerate().filter(|(i, _)| f1 && s6 & (1 << i) != 0).map(|(_, p)| *p).collect();
                Op::EditPermissions { editor, client, target, set, removed, added }
            }
            27..=29 => {
                let (actor, client) = self.client_actor(&[CAROL, CAROL, UMA, EVE, ADA, CODY, GINA]);
                let action = match self.p.kind {
                    27 => UserAction::Deactivate,
                    28 => UserAction::Reactivate,
                    _ if s4 % 3 == 0 => UserAction::Remove,
                    _ => UserAction::Deactivate,
                };
                let me = ids.users[actor];
                let candidates = self.members(client, &|x: &Member| {
                    (f2 || x.partner.is_some())
                        && match action {
                            UserAction::Deactivate => m.live(x),
                            UserAction::Reactivate => !m.live(x),
                            UserAction::Remove => true,
                        }
                });
                let mut candidates: Vec<usize> = candidates.into_iter().filter(|u| ids.users[*u] != me).collect();
                if candidates.is_empty() {
                    candidates = self.members(client, &|x: &Member| x.partner.is_some());
                }
                let target = match pick(&candidates, s5) {
                    Some(t) if focus => t,
                    _ => raw(s5, USERS),
                };
                Op::UsersTeams { actor, client, target, action }
            }
            30 => {
                let (actor, client) = self.client_actor(&[GINA, GINA, CAROL, ADA, UMA]);
                let sas = self.members(client, &|x: &Member| x.super_admin && x.partner.is_some());
                let target = match pick(&sas, s5) {
                    Some(t) if focus => t,
                    _ if focus => ADA,
                    _ => raw(s5, USERS),
                };
                Op::ClientMigrate { actor, client, target, keep_billing: f1 }
            }
            31 => {
                let (actor, partner, _) = self.partner_side(false);
                let remove = s4 % 4 == 0;
                let mut rows: Vec<(usize, usize)> = self
                    .clients_of(partner)
                    .into_iter()
                    .flat_map(|c| {
                        self.people(c, partner, &|x: &Member| remove || f0 || x.active).into_iter().map(move |u| (c, u))
                    })
                    .collect();
                if !focus || rows.is_empty() {
                    rows = vec![(raw(s2, CLIENTS), self.person(s5))];
                } else {
                    let n = 1 + usize::from(s6) % rows.len().min(3);
                    let by = usize::from(s5) % rows.len();
                    rows.rotate_left(by);
                    rows.truncate(n);
                    if s7 % 8 == 0 {
                        // A row the partner cannot name (Contoso's Cody in Acme, or Northwind's Ada there).
                        rows.push((ACME, if partner == NW { CODY } else { ADA }));
                    }
                }
                rows.sort();
                rows.dedup();
                Op::ReviewJob { actor, partner, remove, rows }
            }
            32 => {
                let (actor, partner, _) = self.partner_side(false);
                let staff: Vec<usize> = PEOPLE
                    .iter()
                    .copied()
                    .filter(|e| m.member(ids.partners[partner], ids.users[*e]).is_some())
                    .collect();
                let employee = match pick(&staff, s5) {
                    Some(e) if focus => e,
                    _ => self.person(s5),
                };
                let change_set = f0;
                let me = ids.users[actor];
                let mut clients: Vec<usize> = self
                    .clients_of(partner)
                    .into_iter()
                    .filter(|c| f2 || m.partner_admin_there(ids.clients[*c], me, ids.partners[partner]))
                    .collect();
                if !focus || clients.is_empty() {
                    clients = vec![raw(s2, CLIENTS)];
                } else {
                    let n = 1 + usize::from(s6) % clients.len().min(3);
                    let by = usize::from(s3) % clients.len();
                    clients.rotate_left(by);
                    clients.truncate(n);
                    if s7 % 8 == 0 {
                        clients.push(3); // Umbrella Health: nobody's client at first.
                    }
                }
                clients.sort();
                clients.dedup();
                let ends_at = (!change_set && f1).then(|| self.end(s6 | 8, None)).flatten();
                Op::ClientsJob { actor, partner, employee, change_set, clients, set, ends_at }
            }
            36..=40 => {
                // A14 (R18): the client's own people of every kind, and
                // partners' people now and then, on a partner with people there.
                let (actor, client) =
                    self.client_actor(&[CAROL, CAROL, UMA, EVE, CAROL, UMA, GINA, EVE, CAROL, ADA, CODY]);
                let partners: Vec<usize> =
                    (0..PARTNERS).filter(|p| !m.people_of(ids.clients[client], ids.partners[*p]).is_empty()).collect();
                let partner = match pick(&partners, s3) {
                    Some(p) if focus => p,
                    _ => raw(s3, PARTNERS),
                };
                if self.p.kind <= 38 {
                    let ceiling = match self.p.kind {
                        38 => None,
                        _ if f0 => Some(Ceiling::Set(set)),
                        _ if s7 % 16 == 0 => Some(Ceiling::List(vec![])),
                        _ => {
                            let bits = u16::from(s5) | (u16::from(s6) << 8);
                            let list = CEILING_POOL.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0);
                            Some(Ceiling::List(list.map(|(_, p)| *p).collect()))
                        }
                    };
                    Op::SetCeiling { actor, client, partner, ceiling }
                } else {
                    let old = m
                        .relationship_end(ids.clients[client], ids.partners[partner])
                        .map(|at| End { at, side: Side::Client });
                    Op::RelationshipEnd { actor, client, partner, ends_at: self.end(s6, old) }
                }
            }
            _ => {
                // Time passes: focused, to just past (or just before) an end
                // that is set: the end of someone who acts, a relationship's
                // end (R18), or any.
                let ends: Vec<(i64, i64)> = m
                    .members
                    .iter()
                    .filter_map(|((_, u), x)| x.end.map(|e| (*u, e.at)))
                    .filter(|(_, at)| *at > m.now)
                    .collect();
                let relationships: Vec<(i64, i64)> = m
                    .terms
                    .iter()
                    .filter_map(|((_, p), t)| t.ends_at.filter(|at| *at > m.now).map(|at| (*p, at)))
                    .collect();
                let actors: Vec<(i64, i64)> = ends
                    .iter()
                    .copied()
                    .filter(|(u, _)| [ADA, CODY, DAN].iter().any(|i| ids.users[*i] == *u))
                    .collect();
                let chosen = match s1 % 3 {
                    0 if !actors.is_empty() => pick(&actors, s2),
                    1 if !relationships.is_empty() => pick(&relationships, s2),
                    _ => pick(&ends, s2).or(pick(&relationships, s2)),
                };
                let mut to = match chosen {
                    Some((_, at)) if focus => {
                        if f0 {
                            at + 300
                        } else {
                            at - 600
                        }
                    }
                    _ => m.now + (1 + i64::from(s3) % 72) * HOUR,
                };
                if to > m.start + MAX_TIME {
                    to = (m.now + HOUR).min(m.start + MAX_TIME);
                }
                to = self.clear_of_ends(to.max(m.now + 300));
                Op::Tick { to, work: f1 }
            }
        }
    }

    /// A client-side actor and the client they act in (focused: Acme, or
    /// Globex for Gina; Ada acts in either).
    fn client_actor(&self, actors: &[usize]) -> (usize, usize) {
        let [s0, _, s2, ..] = self.p.s;
        if !self.p.focus {
            return (raw(s0, USERS), raw(s2, CLIENTS));
        }
        let actor = pick(actors, s0).unwrap();
        let client = match actor {
            GINA => GLOBEX,
            ADA if s2 % 3 == 0 => GLOBEX,
            _ => ACME,
        };
        (actor, client)
    }
}

impl Plan {
    /// The concrete operation, picked against the model's current state.
    pub fn resolve(&self, m: &Model, ids: &Ids) -> Op {
        Pick { m, ids, p: self }.resolve()
    }
}
