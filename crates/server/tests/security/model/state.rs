//! The reference model's state, the demo world it starts from, and the
//! facts every row of SPEC §9 asks about (who holds what, who is live, who
//! is the client's own). Written from SPEC §2, §9 and the shared reading of
//! the oracle brief; nothing here comes from `domain::rules`,
//! `domain::grant` or `domain::access_link`.

use domain::{AccountKind, PartnerProgram, Permission, Perms, Seat, SetKey, StandardSet};
use std::collections::{BTreeMap, BTreeSet};

/// Users who act and are acted upon, by index (see [`USER_NAMES`]).
pub const USERS: usize = 11;
pub const ADA: usize = 0;
pub const BEN: usize = 1;
pub const CLEO: usize = 2;
pub const DAN: usize = 3;
pub const EVE: usize = 4;
pub const BO: usize = 5;
pub const CAROL: usize = 6;
pub const GINA: usize = 7;
pub const UMA: usize = 8;
pub const CODY: usize = 9;
pub const CORA: usize = 10;
pub const USER_NAMES: [&str; USERS] =
    ["Ada", "Ben", "Cleo", "Dan", "Eve", "Bo", "Carol", "Gina", "Uma", "Cody", "Cora"];
/// The demo users' emails, in [`USER_NAMES`] order.
pub const EMAILS: [&str; USERS] = [
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
/// The people partner-side steps pick employees among: every partner's
/// people and Carol, a client user who is nobody's employee.
pub const PEOPLE: [usize; 9] = [ADA, BEN, CLEO, DAN, EVE, BO, CAROL, CODY, CORA];

/// Partner accounts: Northwind, Bluebird (an app partner), Contoso (which also manages Acme).
pub const PARTNERS: usize = 3;
pub const NW: usize = 0;
pub const CONTOSO: usize = 2;
pub const PARTNER_NAMES: [&str; PARTNERS] = ["Northwind", "Bluebird", "Contoso"];

/// Customer accounts.
pub const CLIENTS: usize = 10;
pub const ACME: usize = 0;
pub const GLOBEX: usize = 1;
pub const CLIENT_NAMES: [&str; CLIENTS] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Umbrella Labs",
    "Wonka",
    // Generated: Ada Partner Admin and Dan on Marketing.
    "Aurora",
    // Generated: everyone of Northwind deactivated.
    "Delta Dental",
    // Generated: Dan Partner Admin, Cleo on Sales.
    "Cedar & Stone",
    // Generated: Ada a partner super admin beside the owner.
    "Ember Coffee",
];
/// The name patterns of the generated clients above, in order.
pub const GENERATED: [&str; 4] = ["Aurora Logistics%", "Delta Dental Group%", "Cedar & Stone%", "Ember Coffee%"];

pub const SETS: [StandardSet; 5] = [
    StandardSet::PartnerAdmin,
    StandardSet::Sales,
    StandardSet::Marketing,
    StandardSet::Service,
    StandardSet::ViewOnly,
];

pub const DAY: i64 = domain::time::DAY;
pub const HOUR: i64 = 3_600;

/// The ids behind the indices.
pub struct Ids {
    pub users: [i64; USERS],
    pub partners: [i64; PARTNERS],
    pub clients: [i64; CLIENTS],
}

impl Ids {
    /// A readable name for an account or user id, for messages.
    pub fn name(&self, id: i64) -> String {
        if let Some(i) = self.users.iter().position(|u| *u == id) {
            return USER_NAMES[i].to_string();
        }
        self.account(id)
    }

    pub fn account(&self, id: i64) -> String {
        if let Some(i) = self.partners.iter().position(|p| *p == id) {
            return PARTNER_NAMES[i].to_string();
        }
        if let Some(i) = self.clients.iter().position(|c| *c == id) {
            return CLIENT_NAMES[i].to_string();
        }
        format!("#{id}")
    }

    pub fn key(&self, (account, user): Key) -> String {
        format!("{} in {}", self.name(user), self.account(account))
    }
}

/// A membership's key: (account, user).
pub type Key = (i64, i64);

/// Which side set an end (`memberships.ends_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Partner,
    Client,
}

/// Who deactivated a membership (`memberships.deactivated_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Partner,
    Client,
    System,
}

/// R14: when a membership's access ends, and which side set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    pub at: i64,
    pub side: Side,
}

/// One membership as SPEC §2 describes it: what it adds up to, not how the
/// set and its overrides are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The account the membership is in (R18: its partner's relationship
    /// end there bounds its end).
    pub account: i64,
    pub super_admin: bool,
    pub set: Option<SetKey>,
    /// What the membership grants (everything for a super admin).
    pub perms: Perms,
    pub seat: Seat,
    /// The stored status: `active` or `deactivated`.
    pub active: bool,
    /// The partner whose person this is (in a customer account).
    pub partner: Option<i64>,
    pub end: Option<End>,
    pub by: Option<By>,
    /// Deactivated by the partner's suspension (R16), which a resume undoes.
    pub marked: bool,
}

impl Member {
    /// A partner's new person in a client (A1, A8, R11).
    pub fn partner_person(account: i64, partner: i64, set: StandardSet, perms: Perms, end: Option<End>) -> Member {
        Member {
            account,
            super_admin: false,
            set: Some(SetKey::Standard(set)),
            perms,
            seat: Seat::Partner,
            active: true,
            partner: Some(partner),
            end,
            by: None,
            marked: false,
        }
    }

    pub fn has_partner_admin_set(&self) -> bool {
        !self.super_admin && self.set == Some(SetKey::Standard(StandardSet::PartnerAdmin))
    }
}

/// The reference model: what the stored state should be.
#[derive(Debug, Clone)]
pub struct Model {
    /// The test clock (Unix seconds).
    pub now: i64,
    /// When the sequence started (time moves at most [`MAX_TIME`] past it).
    pub start: i64,
    pub kinds: BTreeMap<i64, (AccountKind, Option<PartnerProgram>)>,
    pub members: BTreeMap<Key, Member>,
    /// Managed relationships: (partner, customer).
    pub clients: BTreeSet<(i64, i64)>,
    /// Live access links: (employee, partner) → token (`None` until the
    /// server's answer tells the token of a regenerated link).
    pub links: BTreeMap<(i64, i64), Option<String>>,
    /// R16: (account, partner) pairs where the client suspends the partner.
    pub suspended: BTreeSet<(i64, i64)>,
    /// Users whose session is still alive.
    pub signed_in: BTreeSet<i64>,
    /// Where SPEC leaves the stored result of an allowed step open: the
    /// other memberships a key may hold (`None`: absent). Resolved against
    /// what is stored after the step.
    pub alts: BTreeMap<Key, Vec<Option<Member>>>,
    /// Suspensions whose presence SPEC leaves open after the step.
    pub loose_suspended: BTreeSet<(i64, i64)>,
    /// R18: what each (account, partner) pair's client sets its partner.
    pub terms: BTreeMap<(i64, i64), Terms>,
    /// Terms whose keeping SPEC leaves open after the step (the partner's
    /// last person there gone): kept as they were, or gone.
    pub loose_terms: BTreeSet<(i64, i64)>,
}

/// R18: a client's terms for one partner — a ceiling (a permission set,
/// named by its key, or a list) and an end of the relationship. Stored
/// only while one of them is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Terms {
    pub ceiling: Option<Perms>,
    /// The standard set the ceiling was chosen as (`None` for a list).
    pub ceiling_set: Option<String>,
    pub ends_at: Option<i64>,
}

impl Terms {
    pub fn is_empty(&self) -> bool {
        self.ceiling.is_none() && self.ends_at.is_none()
    }
}

/// How far the test clock moves within one sequence (R10's 60 days stay out of reach).
pub const MAX_TIME: i64 = 40 * DAY;

/// The status codes a refused request may answer, where more than one
/// refusal applies (SPEC gives no precedence among them), and why.
#[derive(Debug, Clone, Default)]
pub struct No {
    pub codes: BTreeSet<u16>,
    pub why: BTreeSet<String>,
}

impl No {
    /// Refused with any of `codes` (one where SPEC names it; several where
    /// SPEC names none) when `cond` holds.
    pub fn when(&mut self, cond: bool, codes: &[u16], why: &str) {
        if cond {
            self.codes.extend(codes);
            self.why.insert(why.to_string());
        }
    }

    pub fn any(&self) -> bool {
        !self.codes.is_empty()
    }

    /// Tenancy decided: a 404 here answers the request alone (besides the
    /// actor's own lack of standing, which leaks nothing).
    pub fn not_found(&self) -> bool {
        self.codes.contains(&404)
    }

    pub fn extend(&mut self, other: No) {
        self.codes.extend(other.codes);
        self.why.extend(other.why);
    }
}

/// One possible result of an allowed request.
#[derive(Debug, Clone)]
pub struct Allowed {
    pub status: u16,
    pub model: Model,
    /// R17: each row's (client, user) and whether it is done.
    pub rows: Vec<(Key, bool)>,
    /// Users whose sessions the step ends (as the partner-side removals and
    /// deactivations do, the acting user excepted).
    pub signed_out: BTreeSet<i64>,
}

/// What the model answers a request: the refusals SPEC allows, and the
/// results it allows (usually one or the other).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub refused: No,
    pub allowed: Vec<Allowed>,
}

impl Outcome {
    pub fn refused(no: No) -> Outcome {
        Outcome { refused: no, allowed: vec![] }
    }

    pub fn refusing(codes: &[u16], why: &str) -> Outcome {
        let mut no = No::default();
        no.when(true, codes, why);
        Outcome::refused(no)
    }

    pub fn allowed(status: u16, model: Model) -> Outcome {
        Outcome {
            refused: No::default(),
            allowed: vec![Allowed { status, model, rows: vec![], signed_out: BTreeSet::new() }],
        }
    }

    pub fn signing_out(mut self, users: impl IntoIterator<Item = i64>) -> Outcome {
        let users: BTreeSet<i64> = users.into_iter().collect();
        for a in &mut self.allowed {
            a.signed_out.extend(users.iter().copied());
        }
        self
    }

    /// Either this or `other` (SPEC does not decide between them).
    pub fn or(mut self, other: Outcome) -> Outcome {
        self.refused.extend(other.refused);
        self.allowed.extend(other.allowed);
        self
    }
}

impl Model {
    pub fn member(&self, account: i64, user: i64) -> Option<&Member> {
        self.members.get(&(account, user))
    }

    pub fn is_customer(&self, account: i64) -> bool {
        self.kinds.get(&account).is_some_and(|k| k.0 == AccountKind::Customer)
    }

    pub fn is_partner_account(&self, account: i64) -> bool {
        self.kinds.get(&account).is_some_and(|k| k.0 == AccountKind::Partner)
    }

    /// §9 Ends: a membership's effective end is the earlier of its own end
    /// and its partner's relationship end there (R18).
    pub fn effective_end(&self, m: &Member) -> Option<i64> {
        let own = m.end.map(|e| e.at);
        let relationship = m.partner.and_then(|p| self.relationship_end(m.account, p));
        match (own, relationship) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether an end has come: from that second on it grants nothing (R14).
    pub fn ended(&self, m: &Member) -> bool {
        self.effective_end(m).is_some_and(|at| at <= self.now)
    }

    /// R18: the end of `partner`'s relationship with `account`, if set.
    pub fn relationship_end(&self, account: i64, partner: i64) -> Option<i64> {
        self.terms.get(&(account, partner)).and_then(|t| t.ends_at)
    }

    /// R18: the relationship end has passed: nothing widens for that
    /// partner's people there any more.
    pub fn relationship_ended(&self, account: i64, partner: Option<i64>) -> bool {
        partner.and_then(|p| self.relationship_end(account, p)).is_some_and(|at| at <= self.now)
    }

    /// R18: the ceiling on `partner`'s people in `account` (everything without one).
    pub fn ceiling(&self, account: i64, partner: Option<i64>) -> Perms {
        partner.and_then(|p| self.terms.get(&(account, p))).and_then(|t| t.ceiling).unwrap_or_else(Perms::all)
    }

    /// R18: what a grant to a person of `partner` in `account` ends with: no
    /// more than the ceiling (a client's own person: unbounded).
    pub fn within_ceiling(&self, account: i64, partner: Option<i64>, perms: Perms) -> Perms {
        perms.intersection(self.ceiling(account, partner))
    }

    /// Active and not ended: the only memberships that act and hold (§9:
    /// "a deactivated or ended membership holds nothing and never acts").
    pub fn live(&self, m: &Member) -> bool {
        m.active && !self.ended(m)
    }

    pub fn live_at(&self, account: i64, user: i64) -> bool {
        self.member(account, user).is_some_and(|m| self.live(m))
    }

    /// What `user` holds in `account` at this moment (a super admin holds everything).
    pub fn holds(&self, account: i64, user: i64) -> Perms {
        match self.member(account, user) {
            Some(m) if self.live(m) => m.perms,
            _ => Perms::EMPTY,
        }
    }

    pub fn live_super_admin(&self, account: i64, user: i64) -> bool {
        self.member(account, user).is_some_and(|m| m.super_admin && self.live(m))
    }

    /// R9: `user` is the last super admin `account` keeps for good. R9
    /// says an account must *always* keep at least one super admin, and
    /// R14 that an end on its last super admin is refused: a super admin
    /// whose end is set (its own, or its partner's relationship end) will
    /// not be there once it comes, so only live super admins without an end
    /// count. Taking the last of those away (an end,
    /// a deactivation, a removal, a conversion) is refused, even while a
    /// super admin with an end is still there.
    pub fn last_super_admin(&self, account: i64, user: i64) -> bool {
        let lasting = |m: &Member| m.super_admin && self.live(m) && self.effective_end(m).is_none();
        let lasting_count = self.members.iter().filter(|((a, _), m)| *a == account && lasting(m)).count();
        self.member(account, user).is_some_and(lasting) && lasting_count <= 1
    }

    /// An active Partner Admin of `partner` in `client` (R2): the Partner
    /// Admin set, not a super admin, flagged with that partner, live.
    pub fn partner_admin_there(&self, client: i64, user: i64, partner: i64) -> bool {
        self.member(client, user)
            .is_some_and(|m| m.has_partner_admin_set() && m.partner == Some(partner) && self.live(m))
    }

    /// `partner`'s person in `client`, if `user` is one.
    pub fn person_of(&self, client: i64, partner: i64, user: i64) -> Option<&Member> {
        self.member(client, user).filter(|m| m.partner == Some(partner))
    }

    /// Super admin or holder of *Add and edit users*, live (R11).
    pub fn manages_users(&self, account: i64, user: i64) -> bool {
        self.live_super_admin(account, user) || self.holds(account, user).contains(Permission::UsersEdit)
    }

    /// The partner's people in `account`.
    pub fn people_of(&self, account: i64, partner: i64) -> Vec<(i64, Member)> {
        self.members
            .iter()
            .filter(|((a, _), m)| *a == account && m.partner == Some(partner))
            .map(|((_, u), m)| (*u, m.clone()))
            .collect()
    }

    /// R1: a member of the partner account who is its super admin or holds
    /// *View and edit partner employees* (404 for anyone else's account).
    pub fn r1(&self, partner: i64, actor: i64, no: &mut No) {
        match self.member(partner, actor) {
            Some(me) if self.is_partner_account(partner) => no.when(
                !(self.live(me) && (me.super_admin || me.perms.contains(Permission::PartnerEmployeesEdit))),
                &[403],
                "R1: neither the partner's super admin nor holder of View and edit partner employees",
            ),
            _ => no.when(true, &[404], "not a member of that partner account"),
        }
    }

    /// R14: an end must lie ahead, at most two years.
    pub fn bad_end(&self, at: i64) -> bool {
        at <= self.now || at > self.now + 2 * 365 * DAY
    }

    /// A membership removed; a suspension ends with the partner's last
    /// person there (else the client could not resume it), or stays: SPEC
    /// does not say, both are accepted.
    /// The same holds of the client's terms for that partner (R18): SPEC
    /// does not say whether they outlive its last person there.
    pub fn forget(&mut self, account: i64, user: i64) {
        let partner = self.member(account, user).and_then(|m| m.partner);
        self.members.remove(&(account, user));
        if let Some(p) = partner {
            if self.suspended.contains(&(account, p)) && self.people_of(account, p).is_empty() {
                self.loose_suspended.insert((account, p));
            }
            if self.terms.contains_key(&(account, p)) && self.people_of(account, p).is_empty() {
                self.loose_terms.insert((account, p));
            }
        }
    }

    /// Adds a stored result SPEC also allows for `key`.
    pub fn allow_also(&mut self, key: Key, alt: Option<Member>) {
        let alts = self.alts.entry(key).or_default();
        if !alts.contains(&alt) {
            alts.push(alt);
        }
    }

    /// How a membership must look once stored, at this moment: one whose
    /// end has passed counts as deactivated by the system whether or not
    /// the timed work has stored it yet (reads never write; the work does).
    /// Columns the schema lacks are left out of the comparison.
    pub fn view(&self, m: &Member, schema: &Schema) -> Member {
        let mut v = m.clone();
        if v.active && self.ended(&v) {
            v.active = false;
            v.by = Some(By::System);
            v.marked = false;
        }
        if !schema.deactivated_by {
            v.by = None;
        }
        if !schema.ends_by {
            if let Some(e) = v.end.as_mut() {
                e.side = Side::Partner;
            }
        }
        v
    }
}

/// Which of SPEC §9's new columns the schema under test has.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    pub ends_by: bool,
    pub deactivated_by: bool,
}

/// R3's formula per permission: one the actor holds ends as asked, one
/// the actor lacks stays as it was; no super-admin-only permission without
/// super admin rights.
pub fn r3(had: Perms, asked: Perms, actor: Perms) -> Perms {
    had.difference(actor).union(asked.intersection(actor)).assignable()
}

/// Creating, adding and approving give at most `S ∩ A` (§9 notes).
pub fn at_most(set: Perms, actor: Perms) -> Perms {
    set.intersection(actor).assignable()
}

/// §9 Billing: a partner's person who is not a super admin gets Billing
/// only through R9's *Keep billing permissions*; any other grant leaves it
/// out (bounded, not refused), and what they held stays.
pub fn billing_left_out(new: Perms, had: Perms) -> Perms {
    if had.contains(Permission::Billing) {
        new
    } else {
        new.without(Permission::Billing)
    }
}
