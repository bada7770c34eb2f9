//! The model test: proptest generates random sequences of
//! add / change set / link / deactivate / reactivate / remove (one client,
//! R7, and many clients, R6) / migrate / approve / regenerate / client-side
//! Create user and Edit permissions, end dates set, extended and reached
//! (R14), and clients suspending, resuming and removing a partner (R16),
//! over the demo accounts — two partners
//! in Acme — by any demo user, restricted ones included (a Partner Admin
//! narrowed by the client, a client user given *Add and edit users*).
//! Each operation goes through the HTTP API and, at the same time, through
//! an in-memory reference model ([`Model`]). The model takes its gates (who
//! may ask) from `crates/domain`, but computes every resulting permission
//! with its own per-permission reading of SPEC R3 ([`spec_r3`]), never with
//! the grant rule under test. After every step the answer's status and the
//! whole stored state (every membership of every account, the managed
//! clients, the live access links, who is still signed in) must equal the
//! model's, and the invariants must hold: every account keeps an active
//! super admin, nobody gains a permission their granter did not hold,
//! tenant isolation.

use crate::helpers::{Browser, TestApp};
use crate::support::{request, session, spec_r3, Presenting, World};
use axum::http::Method;
use domain::access_link::{approve_link, may_have_access_link};
use domain::rules::{
    keeps_a_super_admin, keeps_a_super_admin_without, may_act_in_client, may_control_partner, may_link,
    may_manage_users, may_migrate, may_open_client_access_manager, ClientAction, Migrator, Refusal, RefusalKind,
};
use domain::{AccountKind, Membership, MembershipStatus, PartnerProgram, Permission, Perms, Seat, SetKey, StandardSet};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Users who act and are acted upon, by index.
const USERS: usize = 11; // ada ben cleo dan eve bo carol gina uma cody cora
/// The people partner-side steps pick employees among (by index): every
/// partner's people and Carol, a client user who is nobody's employee.
const PEOPLE: [usize; 9] = [0, 1, 2, 3, 4, 5, 6, 9, 10];
/// Partner accounts: Northwind, Bluebird, Contoso (which also manages Acme).
const PARTNERS: usize = 3;
/// Customer accounts: Acme, Globex, Initech, Umbrella Health, Umbrella Labs,
/// Wonka, and two generated clients (one with everyone deactivated).
const CLIENTS: usize = 8;
const SETS: [StandardSet; 5] = [
    StandardSet::PartnerAdmin,
    StandardSet::Sales,
    StandardSet::Marketing,
    StandardSet::Service,
    StandardSet::ViewOnly,
];

#[derive(Debug, Clone)]
enum Op {
    Add {
        actor: usize,
        partner: usize,
        client: usize,
        employees: Vec<usize>,
        set: usize,
        /// R14: when the access ends (Unix seconds), if it does.
        ends_at: Option<i64>,
    },
    /// R14, partner side: a new end date, or none to remove it.
    SetEnd {
        actor: usize,
        partner: usize,
        client: usize,
        employee: usize,
        ends_at: Option<i64>,
    },
    /// R14: the end of one membership's access comes (the harness moves
    /// its end date to `at`, just past, and runs the system's timed work).
    Expire {
        client: usize,
        employee: usize,
        at: i64,
    },
    /// R16, client side: `action` is `suspend`, `resume` or `remove`.
    ControlPartner {
        actor: usize,
        client: usize,
        partner: usize,
        action: &'static str,
    },
    ChangeSet {
        actor: usize,
        partner: usize,
        client: usize,
        employee: usize,
        set: usize,
    },
    Link {
        actor: usize,
        partner: usize,
        employee: usize,
        client: usize,
    },
    Deactivate {
        actor: usize,
        partner: usize,
        client: usize,
        employee: usize,
    },
    Reactivate {
        actor: usize,
        partner: usize,
        client: usize,
        employee: usize,
    },
    Remove {
        actor: usize,
        partner: usize,
        client: usize,
        employees: Vec<usize>,
    },
    RemoveFromClients {
        actor: usize,
        partner: usize,
        employee: usize,
        clients: Vec<usize>,
    },
    Migrate {
        actor: usize,
        partner: usize,
        client: usize,
        target: Option<usize>,
        keep_billing: bool,
    },
    /// `account` indexes the clients, and one more: Northwind itself (not a customer).
    Approve {
        approver: usize,
        employee: usize,
        partner: usize,
        account: usize,
        convert: bool,
    },
    Regenerate {
        actor: usize,
        partner: usize,
        employee: usize,
    },
    /// Client side (Users & Teams): a set plus individual removals, which is
    /// how a client narrows what a Partner Admin holds (and so what R3 lets
    /// that Partner Admin grant).
    EditPermissions {
        editor: usize,
        client: usize,
        target: usize,
        set: usize,
        removed: Vec<Permission>,
        added: Vec<Permission>,
    },
    /// Client side (Users & Teams → Create user): an existing person, with a
    /// partner seat or a core one, and a template or none (R11).
    CreateUser {
        creator: usize,
        client: usize,
        person: usize,
        partner_seat: bool,
        template: Option<usize>,
    },
}

impl Op {
    fn kind(&self) -> &'static str {
        match self {
            Op::Add { .. } => "add",
            Op::ChangeSet { .. } => "change set",
            Op::Link { .. } => "link",
            Op::Deactivate { .. } => "deactivate",
            Op::Reactivate { .. } => "reactivate",
            Op::Remove { .. } => "remove (R7)",
            Op::RemoveFromClients { .. } => "remove from clients (R6)",
            Op::Migrate { .. } => "migrate",
            Op::Approve { .. } => "approve",
            Op::Regenerate { .. } => "regenerate link",
            Op::EditPermissions { .. } => "edit permissions",
            Op::CreateUser { .. } => "create user",
            Op::SetEnd { .. } => "set end date",
            Op::Expire { .. } => "end date reached",
            Op::ControlPartner { action: "suspend", .. } => "suspend partner",
            Op::ControlPartner { action: "resume", .. } => "resume partner",
            Op::ControlPartner { .. } => "remove partner",
        }
    }

    fn actor(&self) -> usize {
        match self {
            Op::Add { actor, .. }
            | Op::ChangeSet { actor, .. }
            | Op::Link { actor, .. }
            | Op::Deactivate { actor, .. }
            | Op::Reactivate { actor, .. }
            | Op::Remove { actor, .. }
            | Op::RemoveFromClients { actor, .. }
            | Op::Migrate { actor, .. }
            | Op::Regenerate { actor, .. }
            | Op::SetEnd { actor, .. }
            | Op::ControlPartner { actor, .. } => *actor,
            // The system; Carol's session stands in for the harness.
            Op::Expire { .. } => 6,
            Op::Approve { approver, .. } => *approver,
            Op::EditPermissions { editor, .. } => *editor,
            Op::CreateUser { creator, .. } => *creator,
        }
    }

    /// The partner account a partner-side operation goes through.
    fn partner(&self) -> Option<usize> {
        match self {
            Op::Add { partner, .. }
            | Op::ChangeSet { partner, .. }
            | Op::Link { partner, .. }
            | Op::Deactivate { partner, .. }
            | Op::Reactivate { partner, .. }
            | Op::Remove { partner, .. }
            | Op::RemoveFromClients { partner, .. }
            | Op::Migrate { partner, .. }
            | Op::Regenerate { partner, .. }
            | Op::SetEnd { partner, .. } => Some(*partner),
            Op::Approve { .. }
            | Op::EditPermissions { .. }
            | Op::CreateUser { .. }
            | Op::Expire { .. }
            | Op::ControlPartner { .. } => None,
        }
    }
}

/// A generated step: which operation, and seeds that pick its actor,
/// accounts and people when the step is run. Most steps are focused: their
/// seeds pick among what the current state makes plausible (the partner's
/// employees inside its clients, a client's deactivated employees, a live
/// link, an approver's own accounts), so that sequences get past the
/// refusals and into real changes; the others pick blindly among all demo
/// users and accounts, so that every refusal and tenant boundary is tried too.
#[derive(Debug, Clone)]
struct Plan {
    kind: u8,
    seeds: [u8; 6],
    flags: [bool; 2],
    focus: bool,
}

fn plan() -> impl Strategy<Value = Plan> {
    (0u8..31, any::<[u8; 6]>(), any::<[bool; 2]>(), proptest::bool::weighted(0.75))
        .prop_map(|(kind, seeds, flags, focus)| Plan { kind, seeds, flags, focus })
}

fn pick<T: Copy>(from: &[T], seed: u8) -> Option<T> {
    (!from.is_empty()).then(|| from[usize::from(seed) % from.len()])
}

fn index_of(all: &[i64], id: i64) -> usize {
    all.iter().position(|x| *x == id).expect("a known id")
}

impl Plan {
    /// The concrete operation, picked against the model's current state.
    fn resolve(&self, m: &Model, ids: &Ids) -> Op {
        let [s0, s1, s2, s3, s4, s5] = self.seeds;
        let [f0, f1] = self.flags;
        let raw = |seed: u8, n: usize| usize::from(seed) % n;
        let person = |seed: u8| PEOPLE[raw(seed, PEOPLE.len())];
        // Focused: mostly Northwind's Client Access Manager users through
        // Northwind, sometimes Contoso's super admin through Contoso.
        let contoso = self.focus && s1 % 4 == 0;
        let partner = if contoso {
            2
        } else if self.focus {
            0
        } else {
            raw(s1, PARTNERS)
        };
        let nw = ids.partners[partner];
        let user = |id: i64| index_of(&ids.users, id);
        let client = |id: i64| index_of(&ids.clients, id);
        let client_i = client;
        let actor = if contoso {
            9
        } else if self.focus {
            pick(&[0usize, 0, 0, 1], s0).unwrap()
        } else {
            raw(s0, USERS)
        };
        let nw_clients: Vec<i64> = ids.clients.iter().copied().filter(|c| m.clients.contains(&(nw, *c))).collect();
        let flagged_in = |c: i64, pred: &dyn Fn(&Membership) -> bool| -> Vec<i64> {
            PEOPLE
                .iter()
                .map(|i| ids.users[*i])
                .filter(|u| m.member(c, *u).is_some_and(|x| x.partner_account_id == Some(nw) && pred(x)))
                .collect()
        };
        // Adding, changing sets and reactivating need the actor to be a Partner
        // Admin in the client (R2): focused steps mostly go where they are one.
        let needs_pa = matches!(self.kind, 0..=5 | 9..=10 | 25..=26);
        // R14: end dates a day to two months ahead (the server's clock is real time here).
        let ends_at = (f1 || s4 % 3 == 0).then(|| now() + (1 + i64::from(s5 % 60)) * DAY);
        let pa_clients: Vec<i64> = nw_clients
            .iter()
            .copied()
            .filter(|c| m.member(*c, ids.users[actor]).is_some_and(Membership::has_partner_admin_set))
            .collect();
        let focus_client = if needs_pa && !pa_clients.is_empty() && s5 % 4 != 0 {
            pick(&pa_clients, s2)
        } else {
            pick(&nw_clients, s2)
        };
        let employee = |pred: &dyn Fn(&Membership) -> bool| -> (usize, usize) {
            match focus_client.and_then(|c| pick(&flagged_in(c, pred), s3).map(|u| (c, u))) {
                Some((c, u)) if self.focus => (client(c), user(u)),
                _ => (raw(s2, CLIENTS), person(s3)),
            }
        };
        let set = raw(s4, SETS.len());
        match self.kind {
            0..=2 => {
                let (client_i, employees) = match focus_client {
                    Some(c) if self.focus => {
                        let outside: Vec<usize> = PEOPLE
                            .iter()
                            .copied()
                            .filter(|e| m.member(nw, ids.users[*e]).is_some() && m.member(c, ids.users[*e]).is_none())
                            .collect();
                        let chosen = pick(&outside, s3).map(|e| vec![e]).unwrap_or_else(|| vec![person(s3)]);
                        (client(c), chosen)
                    }
                    _ => (
                        raw(s2, CLIENTS),
                        vec![person(s3), person(s5)].into_iter().collect::<BTreeSet<_>>().into_iter().collect(),
                    ),
                };
                Op::Add { actor, partner, client: client_i, employees, set, ends_at }
            }
            3..=5 => {
                let (client, employee) = employee(&|x: &Membership| !x.super_admin);
                Op::ChangeSet { actor, partner, client, employee, set }
            }
            6 => {
                let unlinked: Vec<(i64, i64)> = nw_clients
                    .iter()
                    .flat_map(|c| PEOPLE.iter().map(move |i| (*c, ids.users[*i])))
                    .filter(|(c, u)| {
                        m.member(nw, *u).is_some() && m.member(*c, *u).is_some_and(|x| x.partner_account_id.is_none())
                    })
                    .collect();
                match pick(&unlinked, s2) {
                    Some((c, u)) if self.focus => Op::Link { actor, partner, employee: user(u), client: client(c) },
                    _ => Op::Link { actor, partner, employee: person(s3), client: raw(s2, CLIENTS) },
                }
            }
            7..=8 => {
                let (client, employee) = employee(&Membership::is_active);
                Op::Deactivate { actor, partner, client, employee }
            }
            9..=10 => {
                let (client, employee) = employee(&|x: &Membership| !x.is_active());
                Op::Reactivate { actor, partner, client, employee }
            }
            11 => {
                let (client, employee) = employee(&|_: &Membership| true);
                let mut employees: BTreeSet<usize> = [employee].into();
                if f0 {
                    employees.insert(person(s5));
                }
                Op::Remove { actor, partner, client, employees: employees.into_iter().collect() }
            }
            12 => {
                let (_, employee) = employee(&|_: &Membership| true);
                let mut clients: Vec<usize> = nw_clients
                    .iter()
                    .filter(|c| m.member(**c, ids.users[employee]).is_some_and(|x| x.partner_account_id == Some(nw)))
                    .map(|c| client(*c))
                    .collect();
                if !self.focus || clients.is_empty() {
                    clients = vec![raw(s2, CLIENTS)];
                } else if f0 && clients.len() > 1 {
                    clients.truncate(1 + usize::from(s5) % clients.len());
                }
                Op::RemoveFromClients { actor, partner, employee, clients }
            }
            13..=14 => {
                let (client, target) = employee(&|x: &Membership| x.super_admin);
                // The partner super admin themself (no user id), or someone else for them.
                let (actor, target) =
                    if f0 { (if self.focus { target } else { actor }, None) } else { (actor, Some(target)) };
                Op::Migrate { actor, partner, client, target, keep_billing: f1 }
            }
            15..=18 => {
                let live: Vec<(i64, i64)> = m.links.keys().copied().collect();
                let (employee, partner) = match pick(&live, s1) {
                    Some((u, p)) if self.focus => (user(u), index_of(&ids.partners, p)),
                    _ => (person(s3), raw(s1, PARTNERS)),
                };
                // Approvers: mostly the customers' own admins, into their
                // accounts; Eve and Ada are restricted ones where they can.
                let approver = if self.focus { pick(&[6usize, 7, 8, 0, 4], s0).unwrap() } else { raw(s0, USERS) };
                let theirs: Vec<usize> =
                    (0..CLIENTS).filter(|c| m.member(ids.clients[*c], ids.users[approver]).is_some()).collect();
                let account = match pick(&theirs, s2) {
                    Some(a) if self.focus => a,
                    _ => raw(s2, CLIENTS + 1),
                };
                Op::Approve { approver, employee, partner, account, convert: f0 }
            }
            19 => Op::Regenerate { actor, partner, employee: person(s3) },
            25..=26 => {
                let (client, employee) = employee(&Membership::is_active);
                Op::SetEnd { actor, partner, client, employee, ends_at: ends_at.filter(|_| s1 % 5 != 0) }
            }
            27 => {
                // Mostly a membership that has an end date.
                let ending: Vec<(i64, i64)> = m.ends.keys().copied().collect();
                let (client, employee) = match pick(&ending, s2) {
                    Some((c, u)) if self.focus && ids.clients.contains(&c) => (client(c), user(u)),
                    _ => (raw(s2, CLIENTS), person(s3)),
                };
                Op::Expire { client, employee, at: now() - 1 }
            }
            28..=30 => {
                // Focused: Acme's own admins (Carol; Eve, who holds Add and
                // edit users) and its Partner Admins act on one of its partners.
                let actor = if self.focus { pick(&[6usize, 6, 4, 0, 9], s0).unwrap() } else { raw(s0, USERS) };
                let client = if self.focus { 0 } else { raw(s2, CLIENTS) };
                let partner = if self.focus { pick(&[0usize, 2], s1).unwrap() } else { raw(s1, PARTNERS) };
                // Focused: half the time, resume a suspension that is in place.
                let held: Vec<(i64, i64)> = m.suspended.iter().copied().collect();
                if let Some((c, p)) = pick(&held, s3).filter(|_| self.focus && s5 % 2 == 0) {
                    let (client, partner) = (client_i(c), index_of(&ids.partners, p));
                    return Op::ControlPartner { actor, client, partner, action: "resume" };
                }
                let suspended = m.suspended.contains(&(ids.clients[client], ids.partners[partner]));
                let action = match self.kind {
                    28 if self.focus && suspended => "resume",
                    28 | 29 => "suspend",
                    _ if f0 => "resume",
                    _ => "remove",
                };
                Op::ControlPartner { actor, client, partner, action }
            }
            22..=24 => {
                // Focused: Acme's super admin, its restricted users (Ada,
                // Eve) and Contoso's Partner Admin create users in Acme.
                let creator = if self.focus { pick(&[6usize, 0, 4, 9], s0).unwrap() } else { raw(s0, USERS) };
                let client_i = if self.focus { 0 } else { raw(s2, CLIENTS) };
                let template = if s4 % 5 == 0 { None } else { Some(if self.focus && f1 { 0 } else { set }) };
                let outside: Vec<usize> =
                    (0..USERS).filter(|p| m.member(ids.clients[client_i], ids.users[*p]).is_none()).collect();
                let person = match pick(&outside, s3) {
                    Some(p) if self.focus => p,
                    _ => raw(s3, USERS),
                };
                let partner_seat = f0 || (self.focus && template == Some(0));
                Op::CreateUser { creator, client: client_i, person, partner_seat, template }
            }
            _ => {
                // Focused: a customer's admin narrows a partner employee in
                // their account, or gives a user more (Eve: Add and edit users).
                let editor = if self.focus { pick(&[6usize, 7, 8], s0).unwrap() } else { raw(s0, USERS) };
                let theirs: Vec<usize> =
                    (0..CLIENTS).filter(|c| m.member(ids.clients[*c], ids.users[editor]).is_some()).collect();
                let client_i = match pick(&theirs, s2) {
                    Some(c) if self.focus => c,
                    _ => raw(s2, CLIENTS),
                };
                let partner_people = flagged_in(ids.clients[client_i], &|x: &Membership| !x.super_admin);
                // Mostly Ada, the partner admin who acts most.
                let ada = ids.users[0];
                let target = match pick(&partner_people, s3) {
                    Some(_) if self.focus && s1 % 5 == 0 && client_i == 0 => 4,
                    Some(_) if self.focus && partner_people.contains(&ada) && s4 % 3 != 0 => 0,
                    Some(u) if self.focus => user(u),
                    _ => person(s3),
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
                let set = if self.focus && s4 % 2 == 0 { 0 } else { set };
                let giving = [Permission::Billing, Permission::UsersEdit, Permission::ReportsView];
                let added: Vec<Permission> = giving
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (f1 || target == 4) && s0 & (1 << i) != 0)
                    .map(|(_, p)| *p)
                    .collect();
                Op::EditPermissions { editor, client: client_i, target, set, removed, added }
            }
        }
    }
}

/// Now, as the server's (unmoved) clock tells it.
fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

const DAY: i64 = domain::time::DAY;

/// The ids behind the indices.
struct Ids {
    users: [i64; USERS],
    partners: [i64; PARTNERS],
    clients: [i64; CLIENTS],
}

impl Ids {
    async fn load(app: &TestApp, w: &World) -> Ids {
        let generated = |like: &'static str| async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE name LIKE $1")
                .bind(like)
                .fetch_one(&app.state.db)
                .await
                .unwrap()
        };
        Ids {
            users: [w.ada, w.ben, w.cleo, w.dan, w.eve, w.bo, w.carol, w.gina, w.uma, w.cody, w.cora],
            partners: [w.nw, w.bb, w.contoso],
            clients: [
                w.acme,
                w.globex,
                w.initech,
                w.umbrella,
                w.umbrella_labs,
                w.wonka,
                generated("Aurora Logistics%").await,
                generated("Delta Dental Group%").await,
            ],
        }
    }
}

/// `m` holding exactly `perms` on top of `set` (or no set), no super admin.
fn holding(mut m: Membership, set: Option<StandardSet>, perms: Perms) -> Membership {
    let base = set.map(StandardSet::perms).unwrap_or_default();
    m.super_admin = false;
    m.set = set.map(SetKey::Standard);
    m.set_perms = base;
    m.added = perms.difference(base);
    m.removed = base.difference(perms);
    m
}

/// Which partner, if any, a person is recognised as an employee of (R11):
/// a partner account they belong to, or whose verified domain their email
/// is on; Solutions Partners and Providers first. Written from the demo data.
fn recognised_partner(m: &Model, ids: &Ids, person: usize) -> Option<i64> {
    let uid = ids.users[person];
    let by_domain = match person {
        0..=3 => Some(ids.partners[0]),
        5 => Some(ids.partners[1]),
        9 | 10 => Some(ids.partners[2]),
        _ => None,
    };
    let mut candidates: Vec<i64> =
        ids.partners.iter().copied().filter(|p| m.member(*p, uid).is_some() || by_domain == Some(*p)).collect();
    candidates.sort_by_key(|p| (m.kinds[p].1 == Some(PartnerProgram::AppPartner), *p));
    candidates.first().copied()
}

/// The reference model: what the stored state should be, and the answer
/// each request should get.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Model {
    kinds: BTreeMap<i64, (AccountKind, Option<PartnerProgram>)>,
    members: BTreeMap<(i64, i64), Membership>,
    clients: BTreeSet<(i64, i64)>,
    /// Live access links: (employee, partner) → token (`None` until the
    /// server's answer tells the token of a regenerated link).
    links: BTreeMap<(i64, i64), Option<String>>,
    /// Users whose session is still alive.
    signed_in: BTreeSet<i64>,
    /// R14: when each membership's access ends, where it does.
    ends: BTreeMap<(i64, i64), i64>,
    /// R16: (account, partner) pairs where the client suspends the partner.
    suspended: BTreeSet<(i64, i64)>,
    /// R16: the memberships a suspension deactivated.
    marked: BTreeSet<(i64, i64)>,
}

fn code(r: Refusal) -> u16 {
    match r.kind {
        RefusalKind::Forbidden => 403,
        RefusalKind::Conflict => 409,
        RefusalKind::Invalid => 422,
    }
}

type Step = Result<u16, u16>;

impl Model {
    fn member(&self, account: i64, user: i64) -> Option<&Membership> {
        self.members.get(&(account, user))
    }

    fn active_super_admins(&self, account: i64) -> usize {
        self.members.iter().filter(|((a, _), m)| *a == account && m.is_active_super_admin()).count()
    }

    fn all_partner_users_deactivated(&self, account: i64, partner: i64) -> bool {
        !self.members.iter().any(|((a, _), m)| *a == account && m.partner_account_id == Some(partner) && m.is_active())
    }

    /// Membership of the partner account (404) and R1 (403).
    fn cam(&self, actor: i64, partner: i64) -> Result<Membership, u16> {
        let me = self.member(partner, actor).ok_or(404u16)?.clone();
        may_open_client_access_manager(self.kinds[&partner].0, &me).map_err(code)?;
        Ok(me)
    }

    /// [`Model::cam`] and the client's tenancy (404).
    fn client_of(&self, actor: i64, partner: i64, client: i64) -> Result<Membership, u16> {
        let me = self.cam(actor, partner)?;
        if !self.clients.contains(&(partner, client)) {
            return Err(404);
        }
        Ok(me)
    }

    fn partner_employee_in(&self, client: i64, partner: i64, user: i64) -> Result<Membership, u16> {
        self.member(client, user).filter(|m| m.partner_account_id == Some(partner)).cloned().ok_or(404)
    }

    fn r2(&self, me: &Membership, actor: i64, partner: i64, client: i64, action: ClientAction) -> Result<(), u16> {
        if !action.needs_client_membership() {
            return may_act_in_client(action, self.kinds[&partner].0, me, None, false).map_err(code);
        }
        let mine = self.member(client, actor);
        let all = self.all_partner_users_deactivated(client, partner);
        may_act_in_client(action, self.kinds[&partner].0, me, mine, all).map_err(code)
    }

    /// R16: refused while the client suspends the partner.
    fn not_suspended(&self, account: i64, partner: i64) -> Result<(), u16> {
        if self.suspended.contains(&(account, partner)) {
            Err(409)
        } else {
            Ok(())
        }
    }

    /// A membership removed, with its end date and suspension mark; a
    /// suspension ends with the partner's last person there (R16).
    fn forget(&mut self, account: i64, user: i64) {
        let partner = self.member(account, user).and_then(|m| m.partner_account_id);
        self.members.remove(&(account, user));
        self.ends.remove(&(account, user));
        self.marked.remove(&(account, user));
        if let Some(p) = partner {
            if !self.members.iter().any(|((a, _), m)| *a == account && m.partner_account_id == Some(p)) {
                self.suspended.remove(&(account, p));
            }
        }
    }

    /// The deactivated or removed user's sessions end, but the acting one.
    fn end_sessions(&mut self, user: i64, actor: i64) {
        if user != actor {
            self.signed_in.remove(&user);
        }
    }

    /// Applies `op` by the rules; the new state on success, the status either way.
    fn apply(&mut self, op: &Op, ids: &Ids) -> Step {
        let u = |i: usize| ids.users[i];
        let p = |i: usize| ids.partners[i];
        let c = |i: usize| ids.clients[i];
        match op {
            Op::Add { actor, partner, client, employees, set, ends_at } => {
                let (actor, partner, client) = (u(*actor), p(*partner), c(*client));
                let me = self.client_of(actor, partner, client)?;
                let set = SETS[*set];
                self.r2(&me, actor, partner, client, ClientAction::AddEmployees)?;
                self.not_suspended(client, partner)?;
                let admin = self.member(client, actor).map(Membership::active_permissions).unwrap_or_default();
                let ids: BTreeSet<i64> = employees.iter().map(|e| u(*e)).collect();
                for uid in ids {
                    self.member(partner, uid).ok_or(404u16)?;
                    if self.member(client, uid).is_some() {
                        return Err(409);
                    }
                    let mut m = holding(
                        Membership::with_set(StandardSet::ViewOnly),
                        Some(set),
                        spec_r3(admin, set.perms(), Perms::EMPTY),
                    );
                    m.seat = Seat::Partner;
                    m.partner_account_id = Some(partner);
                    self.members.insert((client, uid), m);
                    if let Some(at) = ends_at {
                        self.ends.insert((client, uid), *at);
                    }
                }
                Ok(200)
            }
            Op::ChangeSet { actor, partner, client, employee, set } => {
                let (actor, partner, client, uid) = (u(*actor), p(*partner), c(*client), u(*employee));
                let me = self.client_of(actor, partner, client)?;
                let target = self.partner_employee_in(client, partner, uid)?;
                let set = SETS[*set];
                self.r2(&me, actor, partner, client, ClientAction::ChangePermissionSet)?;
                if target.super_admin {
                    return Err(422);
                }
                let admin = self.member(client, actor).map(Membership::active_permissions).unwrap_or_default();
                let new = spec_r3(admin, set.perms(), target.permissions());
                self.members.insert((client, uid), holding(target, Some(set), new));
                Ok(200)
            }
            Op::Link { actor, partner, employee, client } => {
                let (actor, partner, client, uid) = (u(*actor), p(*partner), c(*client), u(*employee));
                self.client_of(actor, partner, client)?;
                self.member(partner, uid).ok_or(404u16)?;
                let existing = self.member(client, uid).cloned();
                may_link(existing.as_ref(), partner).map_err(code)?;
                let mut m = existing.ok_or(404u16)?;
                m.partner_account_id = Some(partner);
                self.members.insert((client, uid), m);
                Ok(204)
            }
            Op::Deactivate { actor, partner, client, employee }
            | Op::Reactivate { actor, partner, client, employee } => {
                let to = if matches!(op, Op::Deactivate { .. }) {
                    MembershipStatus::Deactivated
                } else {
                    MembershipStatus::Active
                };
                let (actor, partner, client, uid) = (u(*actor), p(*partner), c(*client), u(*employee));
                let me = self.client_of(actor, partner, client)?;
                let mut target = self.partner_employee_in(client, partner, uid)?;
                let action =
                    if to == MembershipStatus::Active { ClientAction::Reactivate } else { ClientAction::Deactivate };
                self.r2(&me, actor, partner, client, action)?;
                if to == MembershipStatus::Active {
                    self.not_suspended(client, partner)?;
                }
                if target.status == to {
                    return Err(422);
                }
                // Set by hand: no longer the suspension's; reactivated without an end.
                self.marked.remove(&(client, uid));
                if to == MembershipStatus::Active {
                    self.ends.remove(&(client, uid));
                }
                if to == MembershipStatus::Deactivated {
                    keeps_a_super_admin(&target, self.active_super_admins(client)).map_err(code)?;
                    self.end_sessions(uid, actor);
                }
                target.status = to;
                self.members.insert((client, uid), target);
                Ok(204)
            }
            Op::Remove { actor, partner, client, employees } => {
                let (actor, partner, client) = (u(*actor), p(*partner), c(*client));
                let me = self.client_of(actor, partner, client)?;
                self.r2(&me, actor, partner, client, ClientAction::Remove)?;
                let ids: BTreeSet<i64> = employees.iter().map(|e| u(*e)).collect();
                for uid in ids {
                    let target = self.partner_employee_in(client, partner, uid)?;
                    keeps_a_super_admin(&target, self.active_super_admins(client)).map_err(code)?;
                    self.forget(client, uid);
                    self.end_sessions(uid, actor);
                }
                Ok(204)
            }
            Op::RemoveFromClients { actor, partner, employee, clients } => {
                let (actor, partner, uid) = (u(*actor), p(*partner), u(*employee));
                let me = self.cam(actor, partner)?;
                may_act_in_client(ClientAction::Remove, self.kinds[&partner].0, &me, None, false).map_err(code)?;
                self.member(partner, uid).ok_or(404u16)?;
                let chosen: Vec<i64> = clients.iter().map(|i| c(*i)).collect();
                let rows: Vec<(i64, Membership)> = chosen
                    .iter()
                    .filter(|client| self.clients.contains(&(partner, **client)))
                    .filter_map(|client| {
                        self.member(*client, uid)
                            .filter(|m| m.partner_account_id == Some(partner))
                            .map(|m| (*client, m.clone()))
                    })
                    .collect();
                if rows.len() != chosen.len() {
                    return Err(404);
                }
                for (client, m) in &rows {
                    keeps_a_super_admin(m, self.active_super_admins(*client)).map_err(code)?;
                }
                for (client, _) in rows {
                    self.forget(client, uid);
                }
                self.end_sessions(uid, actor);
                Ok(204)
            }
            Op::Migrate { actor, partner, client, target, keep_billing } => {
                let (actor, partner, client) = (u(*actor), p(*partner), c(*client));
                self.client_of(actor, partner, client)?;
                let uid = target.map(u).unwrap_or(actor);
                let t = self.partner_employee_in(client, partner, uid)?;
                let mine = self.member(client, actor);
                if uid != actor {
                    let same_partner = mine.is_some_and(|m| m.partner_account_id == Some(partner));
                    may_migrate(Migrator::Other { actor: mine, same_partner }).map_err(code)?;
                }
                if !t.super_admin {
                    return Err(422);
                }
                if self.active_super_admins(client) - usize::from(t.is_active()) == 0 {
                    return Err(409);
                }
                let a = mine.map(Membership::active_permissions).unwrap_or_default();
                let pa = StandardSet::PartnerAdmin;
                let asked = if *keep_billing { pa.perms().with(Permission::Billing) } else { pa.perms() };
                let mut after = holding(t.clone(), Some(pa), spec_r3(a, asked, t.permissions()));
                after.seat = Seat::Partner;
                self.members.insert((client, uid), after);
                Ok(204)
            }
            Op::Approve { approver, employee, partner, account, convert } => {
                let (approver, uid, partner) = (u(*approver), u(*employee), p(*partner));
                let account = if *account == CLIENTS { ids.partners[0] } else { c(*account) };
                if !matches!(self.links.get(&(uid, partner)), Some(Some(_))) {
                    return Err(404);
                }
                let mine = self.member(account, approver).ok_or(404u16)?.clone();
                if self.kinds[&account].0 != AccountKind::Customer {
                    return Err(404);
                }
                let existing = self.member(account, uid).cloned();
                let count = self.active_super_admins(account);
                self.not_suspended(account, partner)?;
                // Who may approve and when a conversion is refused: the
                // domain's gate; what is granted: the model's own R3.
                approve_link(partner, &mine, existing.as_ref(), *convert, count, domain::Perms::EMPTY).map_err(code)?;
                let pa = StandardSet::PartnerAdmin;
                let had = existing.as_ref().map(Membership::permissions).unwrap_or_default();
                let base = existing.clone().unwrap_or_else(|| Membership::with_set(pa));
                let mut m = holding(base, Some(pa), spec_r3(mine.active_permissions(), pa.perms(), had));
                m.seat = Seat::Partner;
                m.partner_account_id = Some(partner);
                self.members.insert((account, uid), m);
                self.ends.remove(&(account, uid));
                self.clients.insert((partner, account));
                Ok(200)
            }
            Op::EditPermissions { editor, client, target, set, removed, added } => {
                let (editor, account, uid) = (u(*editor), c(*client), u(*target));
                let me = self.member(account, editor).ok_or(404u16)?.clone();
                if self.kinds[&account].0 != AccountKind::Customer {
                    return Err(404);
                }
                may_manage_users(&me).map_err(code)?;
                let t = self.member(account, uid).ok_or(404u16)?.clone();
                if t.super_admin {
                    return Err(422);
                }
                let set = SETS[*set];
                let added: Perms = added.iter().copied().collect();
                let removed: Perms = removed.iter().copied().collect();
                let asked = set.perms().union(added).difference(removed);
                let new = spec_r3(me.active_permissions(), asked, t.permissions());
                self.members.insert((account, uid), holding(t, Some(set), new));
                Ok(200)
            }
            Op::CreateUser { creator, client, person, partner_seat, template } => {
                let (creator, account) = (u(*creator), c(*client));
                let me = self.member(account, creator).ok_or(404u16)?.clone();
                if self.kinds[&account].0 != AccountKind::Customer {
                    return Err(404);
                }
                may_manage_users(&me).map_err(code)?;
                let partner = recognised_partner(self, ids, *person);
                let program = partner.and_then(|p| self.kinds[&p].1);
                let set = template.map(|i| SETS[i]);
                let partner_admin = set == Some(StandardSet::PartnerAdmin);
                if partner_admin {
                    let eligible = program.is_some_and(|p| p != PartnerProgram::AppPartner);
                    if !eligible || !partner_seat {
                        return Err(422);
                    }
                }
                if *partner_seat && partner.is_none() {
                    return Err(422);
                }
                let uid = u(*person);
                if self.member(account, uid).is_some() {
                    return Err(409);
                }
                let asked = set.map(StandardSet::perms).unwrap_or_default();
                let mut m = holding(
                    Membership::with_set(StandardSet::ViewOnly),
                    set,
                    spec_r3(me.active_permissions(), asked, Perms::EMPTY),
                );
                m.seat = if *partner_seat { Seat::Partner } else { Seat::Core };
                m.partner_account_id = partner.filter(|_| partner_admin || *partner_seat);
                if let Some(p) = m.partner_account_id {
                    self.clients.insert((p, account));
                }
                self.members.insert((account, uid), m);
                Ok(201)
            }
            Op::SetEnd { actor, partner, client, employee, ends_at } => {
                let (actor, partner, client, uid) = (u(*actor), p(*partner), c(*client), u(*employee));
                let me = self.client_of(actor, partner, client)?;
                let target = self.partner_employee_in(client, partner, uid)?;
                self.r2(&me, actor, partner, client, ClientAction::ChangePermissionSet)?;
                self.not_suspended(client, partner)?;
                if !target.is_active() {
                    return Err(422);
                }
                match ends_at {
                    Some(at) => self.ends.insert((client, uid), *at),
                    None => self.ends.remove(&(client, uid)),
                };
                Ok(204)
            }
            Op::Expire { client, employee, at } => {
                let key = (c(*client), u(*employee));
                if !self.ends.contains_key(&key) {
                    return Ok(200);
                }
                self.ends.insert(key, *at);
                let m = self.members.get(&key).cloned().ok_or(404u16)?;
                // R9: the last active super admin's end waits for another one.
                let last = m.is_active_super_admin() && self.active_super_admins(key.0) <= 1;
                if m.is_active() && !last {
                    self.members.get_mut(&key).ok_or(404u16)?.status = MembershipStatus::Deactivated;
                }
                Ok(200)
            }
            Op::ControlPartner { actor, client, partner, action } => {
                let (actor, account, partner) = (u(*actor), c(*client), p(*partner));
                let me = self.member(account, actor).ok_or(404u16)?.clone();
                if self.kinds[&account].0 != AccountKind::Customer {
                    return Err(404);
                }
                may_manage_users(&me).map_err(code)?;
                let people: Vec<(i64, Membership)> = self
                    .members
                    .iter()
                    .filter(|((a, _), m)| *a == account && m.partner_account_id == Some(partner))
                    .map(|((_, u), m)| (*u, m.clone()))
                    .collect();
                if people.is_empty() {
                    return Err(404);
                }
                let members: Vec<Membership> = people.iter().map(|(_, m)| m.clone()).collect();
                may_control_partner(&me, &members).map_err(code)?;
                let suspended = self.suspended.contains(&(account, partner));
                match *action {
                    "suspend" => {
                        if suspended {
                            return Err(409);
                        }
                        keeps_a_super_admin_without(&members, self.active_super_admins(account)).map_err(code)?;
                        self.suspended.insert((account, partner));
                        for (uid, m) in people.iter().filter(|(_, m)| m.is_active()) {
                            let mut m = m.clone();
                            m.status = MembershipStatus::Deactivated;
                            self.members.insert((account, *uid), m);
                            self.marked.insert((account, *uid));
                        }
                        Ok(200)
                    }
                    "resume" => {
                        if !suspended {
                            return Err(409);
                        }
                        self.suspended.remove(&(account, partner));
                        for (uid, m) in &people {
                            let key = (account, *uid);
                            let ended = self.ends.get(&key).is_some_and(|at| *at <= now());
                            if self.marked.remove(&key) && !ended {
                                let mut m = m.clone();
                                m.status = MembershipStatus::Active;
                                self.members.insert(key, m);
                            }
                        }
                        Ok(200)
                    }
                    _ => {
                        keeps_a_super_admin_without(&members, self.active_super_admins(account)).map_err(code)?;
                        for (uid, _) in &people {
                            self.forget(account, *uid);
                            self.end_sessions(*uid, actor);
                        }
                        self.suspended.remove(&(account, partner));
                        Ok(200)
                    }
                }
            }
            Op::Regenerate { actor, partner, employee } => {
                let (actor, partner, uid) = (u(*actor), p(*partner), u(*employee));
                self.cam(actor, partner)?;
                self.member(partner, uid).ok_or(404u16)?;
                let program = self.kinds[&partner].1.ok_or(404u16)?;
                may_have_access_link(program).map_err(code)?;
                self.links.insert((uid, partner), None);
                Ok(200)
            }
        }
    }
}

/// What is stored, in the model's terms.
async fn stored(
    app: &TestApp,
    links: &BTreeMap<(i64, i64), Option<String>>,
    sessions: &BTreeMap<i64, String>,
) -> Model {
    let db = &app.state.db;
    let rows: Vec<server::db::memberships::MembershipRow> = sqlx::query_as(&format!(
        "SELECT {} FROM memberships m {}",
        server::db::memberships::MEMBERSHIP_COLUMNS,
        server::db::memberships::CUSTOM_SET_JOIN
    ))
    .fetch_all(db)
    .await
    .unwrap();
    let members = rows.iter().map(|r| ((r.account_id, r.user_id), r.to_domain().unwrap())).collect();
    let kinds = sqlx::query_as::<_, (i64, String, Option<String>)>("SELECT id, kind, partner_program FROM accounts")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, k, p)| (id, (AccountKind::parse(&k).unwrap(), p.as_deref().and_then(PartnerProgram::parse))))
        .collect();
    let clients = sqlx::query_as::<_, (i64, i64)>("SELECT partner_account_id, customer_account_id FROM clients")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let live: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT user_id, partner_account_id, token_hash FROM access_links WHERE revoked_at IS NULL")
            .fetch_all(db)
            .await
            .unwrap();
    let links = live
        .into_iter()
        .map(|(u, p, hash)| {
            // The token, where the harness knows it and it is the one stored.
            let known = links.get(&(u, p)).cloned().flatten().filter(|t| server::auth::token_hash(t) == hash);
            ((u, p), known)
        })
        .collect();
    let alive: BTreeSet<String> =
        sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(db).await.unwrap().into_iter().collect();
    let signed_in = sessions.iter().filter(|(_, h)| alive.contains(*h)).map(|(u, _)| *u).collect();
    let ends = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT account_id, user_id, ends_at FROM memberships WHERE ends_at IS NOT NULL",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .map(|(a, u, at)| ((a, u), at))
    .collect();
    let suspended = sqlx::query_as::<_, (i64, i64)>("SELECT account_id, partner_account_id FROM partner_suspensions")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let marked = sqlx::query_as::<_, (i64, i64)>("SELECT account_id, user_id FROM memberships WHERE suspended = 1")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    Model { kinds, members, clients, links, signed_in, ends, suspended, marked }
}

/// The invariants every stored state must satisfy.
fn invariants(m: &Model) -> Result<(), String> {
    for (account, _) in m.kinds.iter() {
        if m.active_super_admins(*account) == 0 {
            return Err(format!("account {account} has no active super admin"));
        }
    }
    for ((account, user), member) in &m.members {
        if let Some(partner) = member.partner_account_id {
            if m.member(partner, *user).is_none() {
                return Err(format!("{user} is flagged for partner {partner} in {account} without being its employee"));
            }
            if !m.clients.contains(&(partner, *account)) && m.kinds[account].0 == AccountKind::Customer {
                return Err(format!("{user} in {account} is flagged for {partner}, which does not manage it"));
            }
        }
        if !member.super_admin && member.permissions().iter().any(|p| p.is_super_admin_only()) {
            return Err(format!("{user} in {account} holds a super-admin-only permission"));
        }
    }
    Ok(())
}

/// R3 by plain set algebra, independent of `permissions_after_change`, and
/// tenant isolation: a partner-side operation through partner `p` changes
/// only memberships in `p`'s clients.
fn check_change(op: &Op, ids: &Ids, before: &Model, after: &Model) -> Result<(), String> {
    let changed: Vec<(i64, i64)> = before
        .members
        .keys()
        .chain(after.members.keys())
        .filter(|k| before.members.get(k) != after.members.get(k))
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Client-side operations change only the account they name.
    let account = match op {
        Op::Approve { account, .. } if *account == CLIENTS => Some(ids.partners[0]),
        Op::Approve { account, .. } => Some(ids.clients[*account]),
        Op::EditPermissions { client, .. }
        | Op::CreateUser { client, .. }
        | Op::Expire { client, .. }
        | Op::ControlPartner { client, .. } => Some(ids.clients[*client]),
        _ => None,
    };
    // Nobody gains a permission in an account that whoever granted it did
    // not hold there (nor they themselves before).
    let granter = ids.users[op.actor()];
    for key @ (account, _) in &changed {
        let had = before.members.get(key).map(Membership::permissions).unwrap_or_default();
        let Some(now) = after.members.get(key) else { continue };
        let gained = now.permissions().difference(had);
        let held = before.member(*account, granter).map(Membership::active_permissions).unwrap_or_default();
        if !gained.is_subset(held) {
            return Err(format!(
                "escalation: {key:?} gained {:?} that the granter did not hold",
                gained.difference(held)
            ));
        }
    }
    if let Some(account) = account {
        if changed.iter().any(|(a, _)| *a != account) {
            return Err(format!("{} in {account} changed {changed:?}", op.kind()));
        }
    }
    let partner_side = op.partner().map(|p| ids.partners[p]);
    if let Some(p) = partner_side {
        for (account, user) in &changed {
            let flagged = |m: &Model| m.member(*account, *user).map(|x| x.partner_account_id);
            if !before.clients.contains(&(p, *account)) {
                return Err(format!("partner {p} changed {user} in {account}, not its client"));
            }
            let ours = [flagged(before), flagged(after)].contains(&Some(Some(p)));
            if !ours {
                return Err(format!("partner {p} changed {user} in {account}, not its employee there"));
            }
        }
    }
    let set_change = match op {
        Op::Add { actor, client, set, .. } => Some((ids.users[*actor], ids.clients[*client], SETS[*set])),
        Op::ChangeSet { actor, client, set, .. } => Some((ids.users[*actor], ids.clients[*client], SETS[*set])),
        _ => None,
    };
    if let Some((actor, client, set)) = set_change {
        let a = before.member(client, actor).map(Membership::active_permissions).unwrap_or_default();
        let s = set.perms();
        for key in changed.iter().filter(|(acc, _)| *acc == client) {
            let e = before.members.get(key).map(Membership::permissions).unwrap_or_default();
            let new = after.members[key].permissions();
            if new != e.difference(a).union(s.intersection(a)).assignable() {
                return Err(format!("R3 broken for {key:?}: E={e:?} A={a:?} S={s:?} new={new:?}"));
            }
            if new.difference(a) != e.difference(a) {
                return Err(format!("R3: a permission the admin lacks changed for {key:?}"));
            }
        }
    }
    Ok(())
}

/// The demo users' emails, in [`Ids::users`] order.
const EMAILS: [&str; USERS] = [
    "ada@northwind.example",
    "ben@northwind.example",
    "cleo@northwind.example",
    "dan@northwind.example",
    "eve@contractor.example",
    "bo@bluebird.example",
    "carol@acme.example",
    "gina@globex.example",
    "uma@umbrella.example",
    "cody@contoso.example",
    "cora@contoso.example",
];

/// The request of an operation.
fn http(op: &Op, ids: &Ids, model: &Model) -> (Method, String, Option<Value>) {
    let u = |i: usize| ids.users[i];
    let p = |i: usize| ids.partners[i];
    let c = |i: usize| ids.clients[i];
    let base = |partner: usize| format!("/api/v1/accounts/{}/cam", p(partner));
    match op {
        Op::Add { partner, client, employees, set, ends_at, .. } => (
            Method::POST,
            format!("{}/clients/{}/employees", base(*partner), c(*client)),
            Some(json!({
                "user_ids": employees.iter().map(|e| u(*e)).collect::<Vec<_>>(),
                "permission_set": SETS[*set].key(),
                "ends_at": ends_at,
            })),
        ),
        Op::SetEnd { partner, client, employee, ends_at, .. } => (
            Method::PUT,
            format!("{}/clients/{}/employees/{}/end-date", base(*partner), c(*client), u(*employee)),
            Some(json!({ "ends_at": ends_at })),
        ),
        // Run by the harness, not through HTTP (see `run`).
        Op::Expire { .. } => (Method::GET, "/api/v1/session".to_string(), None),
        Op::ControlPartner { client, partner, action, .. } => {
            (Method::POST, format!("/api/v1/accounts/{}/partner-access/{}/{action}", c(*client), p(*partner)), None)
        }
        Op::ChangeSet { partner, client, employee, set, .. } => (
            Method::PUT,
            format!("{}/clients/{}/employees/{}/permission-set", base(*partner), c(*client), u(*employee)),
            Some(json!({ "permission_set": SETS[*set].key() })),
        ),
        Op::Link { partner, employee, client, .. } => (
            Method::POST,
            format!("{}/employees/{}/link", base(*partner), u(*employee)),
            Some(json!({ "client_id": c(*client) })),
        ),
        Op::Deactivate { partner, client, employee, .. } => (
            Method::POST,
            format!("{}/clients/{}/employees/{}/deactivate", base(*partner), c(*client), u(*employee)),
            None,
        ),
        Op::Reactivate { partner, client, employee, .. } => (
            Method::POST,
            format!("{}/clients/{}/employees/{}/reactivate", base(*partner), c(*client), u(*employee)),
            None,
        ),
        Op::Remove { partner, client, employees, .. } => (
            Method::POST,
            format!("{}/clients/{}/remove-employees", base(*partner), c(*client)),
            Some(json!({ "user_ids": employees.iter().map(|e| u(*e)).collect::<Vec<_>>() })),
        ),
        Op::RemoveFromClients { partner, employee, clients, .. } => (
            Method::POST,
            format!("{}/employees/{}/remove-from-clients", base(*partner), u(*employee)),
            Some(json!({ "client_ids": clients.iter().map(|i| c(*i)).collect::<Vec<_>>() })),
        ),
        Op::Migrate { partner, client, target, keep_billing, .. } => (
            Method::POST,
            format!("{}/clients/{}/migrate", base(*partner), c(*client)),
            Some(json!({ "user_id": target.map(u), "keep_billing": keep_billing })),
        ),
        Op::Approve { employee, partner, account, convert, .. } => {
            let account = if *account == CLIENTS { ids.partners[0] } else { c(*account) };
            // The live link's token; a link never issued otherwise.
            let token = model
                .links
                .get(&(u(*employee), p(*partner)))
                .cloned()
                .flatten()
                .unwrap_or_else(|| "never-issued-token-0000000000000000000000000".to_string());
            (
                Method::POST,
                format!("/api/v1/access-links/{token}/approve"),
                Some(json!({ "account_id": account, "convert_existing": convert })),
            )
        }
        Op::EditPermissions { client, target, set, removed, added, .. } => (
            Method::PUT,
            format!("/api/v1/accounts/{}/users/{}/permissions", c(*client), u(*target)),
            Some(json!({
                "permission_set": SETS[*set].key(),
                "added": added.iter().map(|p| p.key()).collect::<Vec<_>>(),
                "removed": removed.iter().map(|p| p.key()).collect::<Vec<_>>(),
            })),
        ),
        Op::CreateUser { client, person, partner_seat, template, .. } => (
            Method::POST,
            format!("/api/v1/accounts/{}/users", c(*client)),
            Some(json!({
                "email": EMAILS[*person],
                "seat": if *partner_seat { "partner" } else { "core" },
                "template": template.map(|i| SETS[i].key()),
            })),
        ),
        Op::Regenerate { partner, employee, .. } => {
            (Method::POST, format!("{}/employees/{}/access-link/regenerate", base(*partner), u(*employee)), None)
        }
    }
}

#[derive(Default)]
struct Tally {
    sequences: AtomicUsize,
    steps: AtomicUsize,
    allowed: AtomicUsize,
    refused: AtomicUsize,
    by_kind: std::sync::Mutex<BTreeMap<&'static str, (usize, usize)>>,
}

async fn run(plans: Vec<Plan>, tally: &Tally) -> Result<(), String> {
    let app = TestApp::spawn_with(|c| {
        c.links_per_minute = 1_000_000;
        c.sign_in_per_minute = 1_000_000;
    })
    .await;
    let w = World::load(&app).await;
    let ids = Ids::load(&app, &w).await;
    let mut browsers: BTreeMap<i64, Browser> = BTreeMap::new();
    for uid in ids.users {
        browsers.insert(uid, session(&app, uid).await);
    }
    let hash_of = |b: &Browser| server::auth::token_hash(b.cookie.split_once('=').unwrap().1);
    // Links to start with: Dan's, Cleo's, Eve's and Ben's, issued by Ada.
    let mut tokens = BTreeMap::new();
    for e in [w.dan, w.cleo, w.eve, w.ben] {
        let path = format!("/api/v1/accounts/{}/cam/employees/{e}/access-link", w.nw);
        let res = request(&app, Method::PUT, &path, None, browsers.get(&w.ada), Presenting::OwnPage).await;
        let token = res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
        tokens.insert((e, w.nw), Some(token));
    }
    // Restricted actors from the start: Carol narrows Ada in Acme (no
    // reports) and gives Eve *Add and edit users* there without making her
    // a super admin — the scenario that once let a narrowed Partner Admin grant more than she held.
    for (who, body) in [
        (w.ada, json!({ "permission_set": "partner_admin", "added": [], "removed": ["reports_view", "reports_edit"] })),
        (w.eve, json!({ "permission_set": "view_only", "added": ["users_edit", "deals_edit"], "removed": [] })),
    ] {
        let path = format!("/api/v1/accounts/{}/users/{who}/permissions", w.acme);
        let res = request(&app, Method::PUT, &path, Some(&body), browsers.get(&w.carol), Presenting::OwnPage).await;
        assert_eq!(res.status.as_u16(), 200, "{:?}", res.body);
    }
    let sessions: BTreeMap<i64, String> = browsers.iter().map(|(u, b)| (*u, hash_of(b))).collect();
    let mut model = stored(&app, &tokens, &sessions).await;
    invariants(&model).map_err(|e| format!("the demo data breaks an invariant: {e}"))?;
    tally.sequences.fetch_add(1, Ordering::Relaxed);

    for (n, plan) in plans.iter().enumerate() {
        let op = &plan.resolve(&model, &ids);
        // A user signed out by an earlier step signs in again first.
        let actor = ids.users[op.actor()];
        if !model.signed_in.contains(&actor) {
            let b = session(&app, actor).await;
            model.signed_in.insert(actor);
            browsers.insert(actor, b);
        }
        let sessions: BTreeMap<i64, String> = browsers.iter().map(|(u, b)| (*u, hash_of(b))).collect();
        let mut next = model.clone();
        let expected = next.apply(op, &ids);
        if let Op::Expire { client, employee, at } = op {
            // Time passes for this one membership: its end comes, and the
            // system's timed work (as the worker runs it) ends it.
            sqlx::query(
                "UPDATE memberships SET ends_at = $3 WHERE account_id = $1 AND user_id = $2 AND ends_at IS NOT NULL",
            )
            .bind(ids.clients[*client])
            .bind(ids.users[*employee])
            .bind(at)
            .execute(&app.state.db)
            .await
            .unwrap();
            server::ending::run(&app.state).await.map_err(|e| format!("step {n}: timed work failed: {e:?}"))?;
        }
        let (method, path, body) = http(op, &ids, &model);
        let res = request(&app, method, &path, body.as_ref(), browsers.get(&actor), Presenting::OwnPage).await;
        let got = res.status.as_u16();
        let want = match expected {
            Ok(s) | Err(s) => s,
        };
        let step = format!("step {n} {op:?}");
        if got != want {
            return Err(format!("{step}: the model expects {want}, the server answered {got} {:?}", res.body));
        }
        if expected.is_ok() {
            if let Op::Regenerate { partner, employee, .. } = op {
                let token = res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
                next.links.insert((ids.users[*employee], ids.partners[*partner]), Some(token));
            }
            check_change(op, &ids, &model, &next).map_err(|e| format!("{step}: {e}"))?;
            model = next;
        }
        let now = stored(&app, &model.links, &sessions).await;
        if now != model {
            return Err(format!("{step}: stored state diverges from the model: {}", describe(&model, &now)));
        }
        invariants(&now).map_err(|e| format!("{step}: invariant broken: {e}"))?;
        // The Clients tab's counters (kept by triggers) equal a recount.
        let off: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM clients c WHERE c.employees <> (SELECT COUNT(*) FROM memberships m \
               WHERE m.account_id = c.customer_account_id AND m.partner_account_id = c.partner_account_id) \
             OR c.active_employees <> (SELECT COUNT(*) FROM memberships m WHERE m.account_id = c.customer_account_id \
               AND m.partner_account_id = c.partner_account_id AND m.status = 'active')",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        if off != 0 {
            return Err(format!("{step}: {off} clients' employee counters differ from a recount"));
        }
        tally.steps.fetch_add(1, Ordering::Relaxed);
        let ok = expected.is_ok();
        if ok { &tally.allowed } else { &tally.refused }.fetch_add(1, Ordering::Relaxed);
        let mut kinds = tally.by_kind.lock().unwrap();
        let e = kinds.entry(op.kind()).or_default();
        if ok {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    Ok(())
}

fn describe(model: &Model, stored: &Model) -> String {
    let mut out = vec![];
    for k in model.members.keys().chain(stored.members.keys()).collect::<BTreeSet<_>>() {
        if model.members.get(k) != stored.members.get(k) {
            out.push(format!("membership {k:?}: model {:?}, stored {:?}", model.members.get(k), stored.members.get(k)));
        }
    }
    if model.clients != stored.clients {
        out.push(format!("clients: model {:?}, stored {:?}", model.clients, stored.clients));
    }
    if model.links.keys().collect::<Vec<_>>() != stored.links.keys().collect::<Vec<_>>() {
        out.push(format!("links: model {:?}, stored {:?}", model.links.keys(), stored.links.keys()));
    }
    if model.ends != stored.ends {
        out.push(format!("end dates: model {:?}, stored {:?}", model.ends, stored.ends));
    }
    if (&model.suspended, &model.marked) != (&stored.suspended, &stored.marked) {
        out.push(format!(
            "suspensions: model {:?} {:?}, stored {:?} {:?}",
            model.suspended, model.marked, stored.suspended, stored.marked
        ));
    }
    if model.signed_in != stored.signed_in {
        out.push(format!("signed in: model {:?}, stored {:?}", model.signed_in, stored.signed_in));
    }
    out.join("; ")
}

#[test]
fn the_api_and_the_reference_model_agree_after_every_step() {
    let cases = std::env::var("CAM_MODEL_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    let steps = std::env::var("CAM_MODEL_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(40usize);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let tally = Tally::default();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&proptest::collection::vec(plan(), 1..=steps), |plans| {
        rt.block_on(run(plans, &tally)).map_err(TestCaseError::fail)
    });
    let kinds = tally.by_kind.lock().unwrap();
    let per_kind: Vec<String> = kinds.iter().map(|(k, (ok, no))| format!("{k} {ok}/{}", ok + no)).collect();
    println!(
        "model test: {} sequences, {} steps ({} allowed, {} refused), {} divergences; allowed/all by kind: {}",
        tally.sequences.load(Ordering::Relaxed),
        tally.steps.load(Ordering::Relaxed),
        tally.allowed.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed),
        usize::from(result.is_err()),
        per_kind.join(", ")
    );
    if let Err(e) = result {
        panic!("the API diverged from the model: {e}");
    }
}
