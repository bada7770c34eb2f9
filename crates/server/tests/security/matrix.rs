//! The authorization matrix: every API route, taken from the router's own
//! route table, called as each actor against their own tenant and a
//! foreign one. The matrix is a transcription of SPEC §9, the authority
//! table, row by row: every [`Case`] names the §9 row it exercises (A1…A19),
//! or [`Row::Unruled`] for a route that changes no membership (reads,
//! sessions, notifications, settings, assets, access-link issuing). The
//! expected answer of every cell ([`decide`]) is written from the row's
//! *who may*, *bound* and *refused when* columns and the notes above the
//! table, with the status codes of SPEC §7 as the oracle brief reads them —
//! never from the handlers and never from what the server answers.
//!
//! Who each actor is ([`facts`]) and what each tenant holds ([`p_facts`],
//! [`c_facts`]) are written by hand from SPEC §6 and the few people and
//! states this test adds (a restricted Partner Admin, a client holder of
//! *Add and edit users*, a deactivated Partner Admin in a client where all
//! of that partner's people are deactivated, a partner suspended by a
//! client, second factors stored directly: an authenticator of Gina's, whom
//! no actor is, and — as a case's preparation — one for the person a reset
//! is for, A18). No actor has a second factor and no account requires one.
//!
//! Every allowed write runs on a fresh app of its own and is followed by a
//! read of the stored state proving its effect (with the permissions
//! expected by the test's own R3 arithmetic, [`spec_r3`] and [`spec_grant`]),
//! and the `memberships` table is compared before and after: a route that
//! changed a membership without naming a §9 row fails the matrix. Every
//! refused call runs on an app shared by the cells of its scene (or of its
//! preparation) whose every stored row is compared before and after. The
//! same table drives the IDOR sweep (inner ids of another tenant, including
//! the other partner's people in the client both manage: 404, nothing
//! written), the mass-assignment sweep (extra fields: 400, nothing written),
//! the CSRF sweep and the proof that no GET changes state.

use crate::support::{denials, difference, request, rows_without, session, spec_r3, stored, Presenting, World};
use axum::http::{Method, StatusCode};
use domain::time::DAY;
use domain::{Permission, Perms, StandardSet};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use tooling::harness::{Browser, Response, TestApp};

// ---------------------------------------------------------------------------
// SPEC §9's rows
// ---------------------------------------------------------------------------

/// A row of SPEC §9's authority table, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    /// Add employees to a client (R4; also in bulk).
    A1,
    /// Change permission set.
    A2,
    /// Deactivate, remove (single, bulk, R6, R7).
    A3,
    /// Reactivate (partner side).
    A4,
    /// Link a client user (R5).
    A5,
    /// Set, move or remove an end (partner side).
    A6,
    /// Set, move or remove an end (client side).
    A7,
    /// Approve an access link (R15).
    A8,
    /// Create a user, give a seat, edit permissions, deactivate, reactivate,
    /// remove (client side).
    A9,
    /// Convert a super admin to Partner Admin (R9).
    A10,
    /// Grant or revoke super admin (R12).
    A11,
    /// Suspend, resume, remove a partner (R16).
    A12,
    /// Any bulk row (R17): decided as its single action, row by row.
    A13,
    /// Set, lower or raise a ceiling; set, move or remove a relationship
    /// end (R18).
    A14,
    /// Approve a request (R19): no route yet.
    A15,
    /// Create an API token (R21): no route yet.
    A16,
    /// Require a second factor (R20).
    A17,
    /// Reset someone's second factors (R20).
    A18,
    /// Grant *View and edit partner employees*: no route of its own yet.
    A19,
    /// The route changes no membership, so no row of §9 governs it.
    Unruled,
}

const ROWS: [Row; 19] = [
    Row::A1,
    Row::A2,
    Row::A3,
    Row::A4,
    Row::A5,
    Row::A6,
    Row::A7,
    Row::A8,
    Row::A9,
    Row::A10,
    Row::A11,
    Row::A12,
    Row::A13,
    Row::A14,
    Row::A15,
    Row::A16,
    Row::A17,
    Row::A18,
    Row::A19,
];

/// The state-changing routes that change no membership, and why: the
/// explicit list a new route must be added to (with its reason) unless its
/// cases name a §9 row. Checked both ways by
/// [`every_route_that_changes_memberships_names_its_row`], and against the
/// stored `memberships` table by the matrix itself.
const NO_MEMBERSHIP_CHANGE: [(&str, &str, &str); 24] = [
    ("POST", "/session", "signs in"),
    ("POST", "/session/second-factor", "signs in with the second factor (R20)"),
    ("POST", "/session/second-factor/passkey/start", "a sign-in's second step (R20)"),
    ("POST", "/session/second-factor/passkey", "a sign-in's second step (R20)"),
    ("POST", "/me/second-factors/authenticator", "the user's own second factor (R20)"),
    ("POST", "/me/second-factors/authenticator/{factor_id}/confirm", "the user's own second factor (R20)"),
    ("DELETE", "/me/second-factors/{factor_id}", "the user's own second factor (R20)"),
    ("POST", "/me/second-factors/passkeys/start", "the user's own passkey (R20)"),
    ("POST", "/me/second-factors/passkeys", "the user's own passkey (R20)"),
    ("POST", "/me/recovery-codes", "the user's own recovery codes (R20)"),
    ("DELETE", "/session", "signs out"),
    ("PUT", "/session/account", "chooses the session's account"),
    ("PUT", "/session/language", "chooses the user's language"),
    ("POST", "/notifications/read", "marks notifications read"),
    ("POST", "/access-links/{token}/decline", "declines a link: grants nothing (SPEC §4)"),
    ("PUT", "/accounts/{account_id}/cam/employees/{user_id}/access-link", "issues a link; granting is A8's"),
    ("POST", "/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate", "revokes and reissues a link"),
    ("POST", "/accounts/{account_id}/cam/review/preview", "a review step writes nothing (R17)"),
    ("POST", "/accounts/{account_id}/cam/employees/{user_id}/clients/preview", "a review step writes nothing (R17)"),
    ("PUT", "/accounts/{account_id}/settings/billing", "an account setting (R12)"),
    ("POST", "/accounts/{account_id}/settings/scim", "an account setting (R12)"),
    ("PUT", "/accounts/{account_id}/settings/data-centre", "an account setting (R12)"),
    ("POST", "/accounts/{account_id}/assets", "a CRM asset"),
    ("PATCH", "/accounts/{account_id}/assets/{asset_id}", "a CRM asset"),
];

// ---------------------------------------------------------------------------
// Actors and the scenes they act in
// ---------------------------------------------------------------------------

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    /// Signed out.
    Anon,
    /// Northwind employee without Client Access Manager access (Sales in Acme).
    Cleo,
    /// Northwind, holds *View and edit partner employees*; in no client.
    Ben,
    /// Northwind super admin; Partner Admin in Acme, super admin in Globex.
    Ada,
    /// Another partner (Bluebird Apps, an app partner) super admin.
    Bo,
    /// Acme's super admin.
    Carol,
    /// A client user without admin rights (View only in Acme, not linked).
    Eve,
    /// The second partner in Acme: Contoso's super admin, Partner Admin in
    /// Acme — a Partner Admin of the OTHER partner in the same client.
    Cody,
    /// A restricted Partner Admin: Northwind, *View and edit partner
    /// employees*; in Acme the Partner Admin set without the two report
    /// permissions (added by this test).
    Pam,
    /// One of Acme's own people holding *Add and edit users* but not every
    /// permission (View only plus Add and edit users; added by this test).
    Una,
    /// Ada acting where she is a DEACTIVATED Partner Admin and every other
    /// Northwind person is deactivated too: Delta Dental Group (SPEC §6's
    /// generated clients; R8 refined).
    AdaDeactivated,
    /// Ada while Acme suspends Northwind (R16): her Partner Admin membership
    /// in Acme is deactivated by the suspension.
    AdaSuspended,
    /// Carol while Acme suspends Northwind (R16).
    CarolSuspended,
}

const ACTORS: [Actor; 13] = [
    Actor::Anon,
    Actor::Cleo,
    Actor::Ben,
    Actor::Ada,
    Actor::Bo,
    Actor::Carol,
    Actor::Eve,
    Actor::Cody,
    Actor::Pam,
    Actor::Una,
    Actor::AdaDeactivated,
    Actor::AdaSuspended,
    Actor::CarolSuspended,
];

/// The state of the world a cell runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scene {
    /// The demo data with this test's additions.
    Demo,
    /// The same, after Acme (Carol) suspended Northwind (R16).
    NorthwindSuspended,
}

const SCENES: [Scene; 2] = [Scene::Demo, Scene::NorthwindSuspended];

impl Actor {
    /// The person behind the actor.
    fn person(self) -> Actor {
        match self {
            Actor::AdaDeactivated | Actor::AdaSuspended => Actor::Ada,
            Actor::CarolSuspended => Actor::Carol,
            a => a,
        }
    }

    fn scene(self) -> Scene {
        match self {
            Actor::AdaSuspended | Actor::CarolSuspended => Scene::NorthwindSuspended,
            _ => Scene::Demo,
        }
    }

    fn user(self, w: &Extra) -> Option<i64> {
        match self.person() {
            Actor::Anon => None,
            Actor::Cleo => Some(w.w.cleo),
            Actor::Ben => Some(w.w.ben),
            Actor::Ada => Some(w.w.ada),
            Actor::Bo => Some(w.w.bo),
            Actor::Carol => Some(w.w.carol),
            Actor::Eve => Some(w.w.eve),
            Actor::Cody => Some(w.w.cody),
            Actor::Pam => Some(w.pam),
            Actor::Una => Some(w.una),
            a => unreachable!("{a:?} is a person"),
        }
    }

    fn email(self) -> &'static str {
        match self.person() {
            Actor::Anon => "dan@northwind.example",
            Actor::Cleo => "cleo@northwind.example",
            Actor::Ben => "ben@northwind.example",
            Actor::Ada => "ada@northwind.example",
            Actor::Bo => "bo@bluebird.example",
            Actor::Carol => "carol@acme.example",
            Actor::Eve => "eve@contractor.example",
            Actor::Cody => "cody@contoso.example",
            Actor::Pam => "pam@northwind.example",
            Actor::Una => "una@acme.example",
            a => unreachable!("{a:?} is a person"),
        }
    }
}

/// The partners of the demo world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Partner {
    Northwind,
    Bluebird,
    Contoso,
}

impl Partner {
    /// SPEC §4: only `solutions_partner` and `provider` partners can be
    /// Partner Admins (Bluebird is an `app_partner`).
    fn may_have_partner_admins(self) -> bool {
        self != Partner::Bluebird
    }
}

/// A membership's permissions as SPEC §6 describes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    SuperAdmin,
    /// Based on the Partner Admin set, holding these permissions.
    PartnerAdmin(Perms),
    /// Any other set, holding these permissions.
    Other(Perms),
}

impl Role {
    fn holds(self) -> Perms {
        match self {
            Role::SuperAdmin => Perms::all(),
            Role::PartnerAdmin(p) | Role::Other(p) => p,
        }
    }

    /// R11: a super admin or a holder of *Add and edit users*.
    fn manages_users(self) -> bool {
        self == Role::SuperAdmin || self.holds().contains(Permission::UsersEdit)
    }
}

fn pa() -> Role {
    Role::PartnerAdmin(StandardSet::PartnerAdmin.perms())
}

fn pa_without_reports() -> Perms {
    StandardSet::PartnerAdmin.perms().without(Permission::ReportsView).without(Permission::ReportsEdit)
}

fn other(set: StandardSet) -> Role {
    Role::Other(set.perms())
}

/// One membership of an actor in a customer account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mem {
    role: Role,
    /// Deactivated (or ended) memberships hold nothing and never act (§9).
    active: bool,
    /// The partner the membership is flagged with; `None` for the client's
    /// own people (the shared reading of §9).
    of: Option<Partner>,
}

/// The actor's membership of a partner account.
#[derive(Debug, Clone, Copy)]
struct PartnerSide {
    of: Partner,
    /// R1: a partner super admin or holder of *View and edit partner
    /// employees* (which, for A3, is also who may deactivate or remove).
    r1: bool,
    /// A super admin of the partner account (A17, A18).
    super_admin: bool,
}

/// Who an actor is, written by hand from SPEC §6 and this test's additions.
#[derive(Debug, Clone, Copy)]
struct Facts {
    partner: Option<PartnerSide>,
    /// Their membership of their partner tenant's client (see [`p_facts`]).
    in_client: Option<Mem>,
    /// Their membership of their partner tenant's migration client.
    in_sa_client: Option<Mem>,
    /// Their membership of their customer tenant (see [`c_facts`]).
    in_customer: Option<Mem>,
}

fn facts(a: Actor) -> Facts {
    use Partner::*;
    let none = Facts { partner: None, in_client: None, in_sa_client: None, in_customer: None };
    let cam = |of, r1| Some(PartnerSide { of, r1, super_admin: false });
    // A partner super admin (who holds R1 too).
    let psa = |of| Some(PartnerSide { of, r1: true, super_admin: true });
    let own = |role| Some(Mem { role, active: true, of: None });
    let of = |p, role| Some(Mem { role, active: true, of: Some(p) });
    let off = |p, role| Some(Mem { role, active: false, of: Some(p) });
    let sales = other(StandardSet::Sales);
    let view = other(StandardSet::ViewOnly);
    match a {
        Actor::Anon => none,
        Actor::Cleo => Facts {
            partner: cam(Northwind, false),
            in_client: of(Northwind, sales),
            in_customer: of(Northwind, sales),
            ..none
        },
        Actor::Ben => Facts { partner: cam(Northwind, true), ..none },
        Actor::Ada => Facts {
            partner: psa(Northwind),
            in_client: of(Northwind, pa()),
            in_sa_client: of(Northwind, Role::SuperAdmin),
            in_customer: of(Northwind, pa()),
        },
        Actor::Bo => {
            Facts { partner: psa(Bluebird), in_client: of(Bluebird, sales), in_sa_client: of(Bluebird, sales), ..none }
        }
        Actor::Carol | Actor::CarolSuspended => Facts { in_customer: own(Role::SuperAdmin), ..none },
        // Eve is a Northwind employee, but in Acme a plain, unlinked user:
        // one of Acme's own people.
        Actor::Eve => Facts { partner: cam(Northwind, false), in_client: own(view), in_customer: own(view), ..none },
        Actor::Cody => Facts {
            partner: psa(Contoso),
            in_client: of(Contoso, pa()),
            in_sa_client: of(Contoso, pa()),
            in_customer: of(Contoso, pa()),
        },
        Actor::Pam => {
            let restricted = Role::PartnerAdmin(pa_without_reports());
            Facts {
                partner: cam(Northwind, true),
                in_client: of(Northwind, restricted),
                in_customer: of(Northwind, restricted),
                ..none
            }
        }
        Actor::Una => {
            Facts { in_customer: own(Role::Other(StandardSet::ViewOnly.perms().with(Permission::UsersEdit))), ..none }
        }
        // Delta Dental Group (AdaDeactivated) or Acme under suspension
        // (AdaSuspended): her Partner Admin membership there is deactivated.
        Actor::AdaDeactivated | Actor::AdaSuspended => Facts {
            partner: psa(Northwind),
            in_client: off(Northwind, pa()),
            in_sa_client: of(Northwind, Role::SuperAdmin),
            in_customer: off(Northwind, pa()),
        },
    }
}

// ---------------------------------------------------------------------------
// Tenants
// ---------------------------------------------------------------------------

/// A partner tenant: a partner account, one of its clients and its people there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PTenant {
    /// Northwind in Acme.
    Nw,
    /// Northwind in Acme while Acme suspends Northwind (same ids as `Nw`).
    NwSuspended,
    /// Northwind in Delta Dental Group, where Ada and Dan are deactivated.
    NwDelta,
    /// Bluebird in Wonka.
    Bb,
    /// Contoso in Acme.
    Contoso,
}

/// A customer tenant: a customer account and the people an action there touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CTenant {
    /// Acme; the partner acted on is Contoso (Cody, Partner Admin; Cora, Sales).
    Acme,
    /// Acme while it suspends Northwind; the partner acted on is Northwind
    /// (Ada, Pam, Partner Admins; Cleo, Sales), and the member is Cleo.
    AcmeNwSuspended,
    /// Delta Dental Group, where every Northwind person is deactivated.
    Delta,
    /// Umbrella Health, nobody's here: the foreign tenant.
    Umbrella,
}

fn partner_tenant(a: Actor) -> PTenant {
    match a {
        Actor::Bo => PTenant::Bb,
        Actor::Cody => PTenant::Contoso,
        Actor::AdaDeactivated => PTenant::NwDelta,
        Actor::AdaSuspended => PTenant::NwSuspended,
        _ => PTenant::Nw,
    }
}

fn foreign_partner_tenant(a: Actor) -> PTenant {
    match a {
        Actor::Bo | Actor::Cody => PTenant::Nw,
        _ => PTenant::Bb,
    }
}

fn customer_tenant(a: Actor) -> CTenant {
    match a {
        Actor::AdaDeactivated => CTenant::Delta,
        Actor::AdaSuspended | Actor::CarolSuspended => CTenant::AcmeNwSuspended,
        _ => CTenant::Acme,
    }
}

/// Who the link target of a partner tenant is (R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Linkable {
    /// A plain, unlinked user of the client (Eve).
    Plain,
    /// Already linked to the partner (Bo in Wonka, Cora in Acme).
    Linked,
}

/// What a partner tenant holds, by hand from SPEC §6 and this test's additions.
#[derive(Debug, Clone, Copy)]
struct PFacts {
    /// The client suspends this partner (R16).
    suspended: bool,
    /// The `employee`'s permissions in the client, and whether active.
    employee: Perms,
    employee_active: bool,
    /// The `newcomer` is already a member of the client.
    newcomer_member: bool,
    unlinked: Linkable,
    /// The migration target (`sa` in `sa_client`), and whether they are a
    /// super admin there.
    sa: Actor,
    sa_super_admin: bool,
}

fn p_facts(t: PTenant) -> PFacts {
    let sales = StandardSet::Sales.perms();
    let nw = PFacts {
        suspended: false,
        // Cleo, on Sales in Acme.
        employee: sales,
        employee_active: true,
        // Dan is not in Acme.
        newcomer_member: false,
        // Eve is a plain user of Acme.
        unlinked: Linkable::Plain,
        // Ada is a Northwind super admin in Globex (Gina is another).
        sa: Actor::Ada,
        sa_super_admin: true,
    };
    match t {
        PTenant::Nw => nw,
        // The suspension deactivated Cleo.
        PTenant::NwSuspended => PFacts { suspended: true, employee_active: false, ..nw },
        // Dan (Service) is deactivated in Delta; Cleo is not there; Eve is
        // a plain user there (added by this test).
        PTenant::NwDelta => PFacts { employee: StandardSet::Service.perms(), employee_active: false, ..nw },
        // Bo is on Sales in Wonka, linked; he is no super admin there.
        PTenant::Bb => PFacts {
            suspended: false,
            employee: sales,
            employee_active: true,
            newcomer_member: true,
            unlinked: Linkable::Linked,
            sa: Actor::Bo,
            sa_super_admin: false,
        },
        // Cora is on Sales in Acme, linked; Cole is not in Acme; Cody is
        // Partner Admin (not super admin) in Acme.
        PTenant::Contoso => PFacts {
            suspended: false,
            employee: sales,
            employee_active: true,
            newcomer_member: false,
            unlinked: Linkable::Linked,
            sa: Actor::Cody,
            sa_super_admin: false,
        },
    }
}

/// What a customer tenant holds, by hand from SPEC §6 and this test's additions.
#[derive(Debug, Clone, Copy)]
struct CFacts {
    /// The partner acted on (`partner`).
    partner: Partner,
    /// Every person of `partner` there (what suspending or removing it touches).
    partner_people: Perms,
    /// The people a resumption reactivates (the ones the suspension deactivated).
    resumed: Perms,
    /// The client suspends `partner`.
    partner_suspended: bool,
    /// `partner_person`'s permissions.
    person: Perms,
    /// `member`'s permissions, partner, and state.
    member: Perms,
    member_of: Option<Partner>,
    member_active: bool,
    /// `member` belongs to a partner the client suspends.
    member_suspended: bool,
    /// The partner of the access link (Northwind's Dan) is suspended there.
    link_partner_suspended: bool,
}

fn c_facts(t: CTenant) -> CFacts {
    let pa = StandardSet::PartnerAdmin.perms();
    let sales = StandardSet::Sales.perms();
    let view = StandardSet::ViewOnly.perms();
    match t {
        // Contoso: Cody (Partner Admin) and Cora (Sales); the resume case's
        // preparation deactivates Cora before suspending, so a resumption
        // reactivates Cody alone. Eve: View only, Acme's own.
        CTenant::Acme => CFacts {
            partner: Partner::Contoso,
            partner_people: pa.union(sales),
            resumed: pa,
            partner_suspended: false,
            person: sales,
            member: view,
            member_of: None,
            member_active: true,
            member_suspended: false,
            link_partner_suspended: false,
        },
        // Northwind: Ada and Pam (Partner Admin), Cleo (Sales), all
        // deactivated by the suspension.
        CTenant::AcmeNwSuspended => CFacts {
            partner: Partner::Northwind,
            partner_people: pa.union(sales),
            resumed: pa.union(sales),
            partner_suspended: true,
            person: sales,
            member: sales,
            member_of: Some(Partner::Northwind),
            member_active: false,
            member_suspended: true,
            link_partner_suspended: true,
        },
        CTenant::Delta => CFacts {
            partner: Partner::Northwind,
            partner_people: pa.union(StandardSet::Service.perms()),
            resumed: Perms::EMPTY,
            partner_suspended: false,
            person: StandardSet::Service.perms(),
            member: view,
            member_of: None,
            member_active: true,
            member_suspended: false,
            link_partner_suspended: false,
        },
        CTenant::Umbrella => CFacts {
            partner: Partner::Bluebird,
            partner_people: Perms::EMPTY,
            resumed: Perms::EMPTY,
            partner_suspended: false,
            person: Perms::all(),
            member: Perms::all(),
            member_of: None,
            member_active: true,
            member_suspended: false,
            link_partner_suspended: false,
        },
    }
}

// ---------------------------------------------------------------------------
// What a route needs, and the policy
// ---------------------------------------------------------------------------

/// An end date change (A6, A7), and whether the end there was set from the
/// client side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndChange {
    /// An end where there was none: narrows.
    Set,
    /// Narrows.
    Earlier { client_set: bool },
    /// Widens: a grant.
    Later { client_set: bool },
    /// Widens: a grant.
    Remove { client_set: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartnerAction {
    Suspend,
    Resume,
    Remove,
}

/// A step on a partner's terms (R18, A14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermsStep {
    /// A ceiling's preview: decided as the step itself, writes nothing.
    PreviewCeiling,
    /// A first ceiling (narrows).
    SetCeiling,
    /// The ceiling removed: "raising widens nothing by itself".
    RemoveCeiling,
    /// A relationship end where there was none (narrows).
    SetEnd,
    /// The relationship end removed: "a grant over every person of that
    /// partner".
    RemoveEnd,
}

impl TermsStep {
    /// §9 A14: a relationship end moved later or removed is a grant.
    fn widens(self) -> bool {
        self == TermsStep::RemoveEnd
    }
}

/// Which account a route's `{account_id}` is in a case: the actor's partner
/// account (partner scope) or their customer account (customer scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acct {
    Partner,
    Customer,
}

/// Who an account requires to have a second factor (R20, A17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Required {
    Everyone,
    /// Only partner people: a customer account's choice (R20); a partner
    /// account has no partner people.
    PartnerPeople,
}

impl Required {
    fn key(self) -> &'static str {
        match self {
            Required::Everyone => "everyone",
            Required::PartnerPeople => "partner_people",
        }
    }
}

/// Whose second factors a reset is for (A18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    /// Partner scope: the tenant's `employee`, a person of the partner, in
    /// the partner account.
    Employee,
    /// Customer scope: `partner_person`, a person of the partner acted on
    /// there.
    PartnerPerson,
    /// Customer scope: `own_person`, one of the client's own people, a member
    /// of this account only or (`elsewhere`, by the preparation) of Globex
    /// too.
    OwnPerson { elsewhere: bool },
}

/// What a route needs, in SPEC's words; the variants are named after the
/// §9 row they transcribe (see [`decide`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anybody, signed in or not.
    Anyone,
    /// A session (the signed-in user's own data).
    SignedIn,
    /// R1 in the partner account (reads, previews, and starting a bulk job
    /// whose rows are then decided one by one, A13).
    Cam,
    /// R1, and a partner whose programme may have Partner Admins (SPEC §4).
    CamLinks,
    /// A1.
    Add,
    /// A2.
    ChangeSet,
    /// A3, deactivating.
    PartnerDeactivate,
    /// A3, removing (single, R6, R7).
    PartnerRemove,
    /// A4; `by_client`: the client deactivated the person.
    PartnerReactivate { by_client: bool },
    /// A5.
    Link,
    /// A6.
    PartnerEnd(EndChange),
    /// A7.
    ClientEnd(EndChange),
    /// A8.
    Approve,
    /// SPEC §4: declining a link instead of approving it (A8's people).
    Decline,
    /// A9: create a user.
    Create,
    /// A9: give a seat.
    Seat,
    /// A9: edit permissions.
    Edit,
    /// A9: deactivate.
    ClientDeactivate,
    /// A9: reactivate (the client deactivated the person).
    ClientReactivate,
    /// A9: remove.
    ClientRemove,
    /// A10, partner side.
    PartnerConvert,
    /// A10, client side.
    ClientConvert,
    /// A11, grant.
    GrantSuperAdmin,
    /// A11, revoke.
    RevokeSuperAdmin,
    /// A12.
    ControlPartner(PartnerAction),
    /// A14.
    Terms(TermsStep),
    /// The Settings → Partner access page (A12's people may read it).
    PartnerAccess,
    /// Users & Teams reads and the account's history (R11, R13).
    UsersPage,
    /// R12: holds this permission (super admins hold all).
    Holds(Permission),
    /// An active member of the customer account.
    Member,
    /// R20: a sign-in waiting for its second factor — which no actor's
    /// session is.
    PendingSignIn,
    /// R20: the signed-in user's own factor, by the id of someone else's.
    OthersFactor,
    /// R20: the user's own action confirmed by a code of their second
    /// factor — which no actor has.
    FactorCode,
    /// R20: the second request of a passkey's registration, by a user who
    /// began none (no actor has).
    NoCeremony,
    /// R20's reads for the account's super admins (A17's and A18's people).
    SuperAdmin(Acct),
    /// A17.
    RequireFactor(Acct, Required),
    /// A18; `has_factor`: the person has a second factor to reset.
    ResetFactors { whose: Whose, has_factor: bool },
}

/// The answer a cell must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Is(u16),
    /// Refused, with one of these codes: SPEC does not say which (see the
    /// report on ambiguities).
    OneOf(&'static [u16]),
}

impl Want {
    fn accepts(self, got: u16) -> bool {
        match self {
            Want::Is(c) => c == got,
            Want::OneOf(cs) => cs.contains(&got),
        }
    }

    fn allows(self) -> bool {
        matches!(self, Want::Is(c) if is_ok(c))
    }
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Is(c) => write!(f, "{c}"),
            Want::OneOf(cs) => write!(f, "one of {cs:?}"),
        }
    }
}

fn no(code: u16) -> Result<(), Want> {
    Err(Want::Is(code))
}

/// The conflict SPEC leaves open between 409 and 422 ("already …").
const ALREADY: &[u16] = &[409, 422];

/// The answer SPEC gives `a` for `need` in their own tenant, with `ok` the
/// route's success status.
fn policy(need: Need, a: Actor, ok: u16) -> Want {
    match decide(need, a) {
        Ok(()) => Want::Is(ok),
        Err(w) => w,
    }
}

/// SPEC §9, row by row. Codes (SPEC §7 as the oracle brief reads it): 401
/// signed out; 404 not theirs; 403 who-may or R3 fails; 409 a conflict (the
/// partner suspended there, already a member); 422 an invalid state.
fn decide(need: Need, a: Actor) -> Result<(), Want> {
    if a == Actor::Anon {
        return if need == Need::Anyone { Ok(()) } else { no(401) };
    }
    let f = facts(a);
    let pt = p_facts(partner_tenant(a));
    let ct = c_facts(customer_tenant(a));
    // "Partner-side rows also require R1."
    let cam = || match f.partner {
        None => Err(Want::Is(404)),
        Some(p) if !p.r1 => Err(Want::Is(403)),
        Some(p) => Ok(p.of),
    };
    // "An active Partner Admin there" (R2, R8): of that partner, in that client.
    let active_pa = |p: Partner| matches!(f.in_client, Some(Mem { role: Role::PartnerAdmin(_), active: true, of: Some(q) }) if q == p);
    let holds_in_client = f.in_client.map(|m| m.role.holds()).unwrap_or_default();
    // A member of the customer account; "a deactivated or ended membership
    // holds nothing and never acts".
    let member = || match f.in_customer {
        None => Err(Want::Is(404)),
        Some(m) if !m.active => Err(Want::Is(403)),
        Some(m) => Ok(m),
    };
    // One of the suspended partner's own people, trying to widen someone of
    // theirs: "while suspended, nothing gives that partner's people access
    // there" (R16) — 409 as the brief lists it (add, reactivate, approve,
    // link, move an end). Where the actor's own deactivated membership (403)
    // could equally answer first, SPEC does not rank the two: either.
    let suspended_self =
        ct.partner_suspended && matches!(f.in_customer, Some(Mem { of: Some(p), .. }) if p == ct.partner);
    let suspended_self_or_deactivated = || if suspended_self { Err(Want::OneOf(&[403, 409])) } else { Ok(()) };
    // "A partner employee never [acts] over another partner's people" (A9).
    let not_another_partners = |m: Mem| match (m.of, ct.member_of) {
        (Some(p), Some(q)) if p != q => no(403),
        _ => Ok(()),
    };
    match need {
        Need::Anyone | Need::SignedIn => Ok(()),
        Need::Cam => cam().map(drop),
        Need::CamLinks => {
            if !cam()?.may_have_partner_admins() {
                return no(403);
            }
            Ok(())
        }
        // A1: who may — an active Partner Admin in that client (R2); refused
        // when the partner is suspended there (409), or already a member (409).
        Need::Add => {
            let p = cam()?;
            if pt.suspended {
                return no(409);
            }
            if !active_pa(p) {
                return no(403);
            }
            if pt.newcomer_member {
                return no(409);
            }
            Ok(())
        }
        // A2: an active Partner Admin there; refused when suspended.
        Need::ChangeSet => {
            let p = cam()?;
            if pt.suspended {
                return no(409);
            }
            if !active_pa(p) {
                return no(403);
            }
            Ok(())
        }
        // A3: an active Partner Admin there, or the partner's super admin or
        // holder of *View and edit partner employees* — which is every R1
        // holder; refused when — (never). Deactivating what is deactivated
        // is an invalid state (422).
        Need::PartnerDeactivate => {
            cam()?;
            if !pt.employee_active {
                return no(422);
            }
            Ok(())
        }
        Need::PartnerRemove => cam().map(drop),
        // A4: an active Partner Admin there (R2, R8: a deactivated one never
        // reactivates); refused when suspended (409) or deactivated by the
        // client (403); the actor holds everything the person gets back (403).
        Need::PartnerReactivate { by_client } => {
            let p = cam()?;
            if pt.suspended {
                return no(409);
            }
            if !active_pa(p) || by_client || !pt.employee.is_subset(holds_in_client) {
                return no(403);
            }
            Ok(())
        }
        // A5: an R1 holder; refused when suspended (409). Linking who is
        // already linked: SPEC does not say 409 or 422.
        Need::Link => {
            cam()?;
            if pt.suspended {
                return no(409);
            }
            match pt.unlinked {
                Linkable::Plain => Ok(()),
                Linkable::Linked => Err(Want::OneOf(ALREADY)),
            }
        }
        // A6: an active Partner Admin there; refused when suspended (409),
        // a client-set end moved later or removed (403); later or removed:
        // the actor holds everything the person holds (403).
        Need::PartnerEnd(change) => {
            let p = cam()?;
            if pt.suspended {
                return no(409);
            }
            if !active_pa(p) {
                return no(403);
            }
            match change {
                EndChange::Set | EndChange::Earlier { .. } => Ok(()),
                EndChange::Later { client_set } | EndChange::Remove { client_set } => {
                    if client_set || !pt.employee.is_subset(holds_in_client) {
                        return no(403);
                    }
                    Ok(())
                }
            }
        }
        // A7: the client's own super admin or holder of *Add and edit users*
        // (a partner's person: 403); later or removed: as A6 (R3, 403), and
        // refused while the person's partner is suspended (409).
        Need::ClientEnd(change) => {
            if matches!(change, EndChange::Later { .. } | EndChange::Remove { .. }) {
                suspended_self_or_deactivated()?;
            }
            let m = member()?;
            if m.of.is_some() || !m.role.manages_users() {
                return no(403);
            }
            match change {
                EndChange::Set | EndChange::Earlier { .. } => Ok(()),
                EndChange::Later { .. } | EndChange::Remove { .. } => {
                    if ct.partner_suspended {
                        return no(409);
                    }
                    if !ct.person.is_subset(m.role.holds()) {
                        return no(403);
                    }
                    Ok(())
                }
            }
        }
        // A8: one of the client's own people, super admin or holder of *Add
        // and edit users* in the chosen account; refused when suspended (409).
        Need::Approve => {
            if suspended_self && ct.link_partner_suspended {
                return no(409);
            }
            let m = member()?;
            if m.of.is_some() || !m.role.manages_users() {
                return no(403);
            }
            if ct.link_partner_suspended {
                return no(409);
            }
            Ok(())
        }
        // SPEC §4: whoever could approve the link somewhere may decline it
        // instead — one of the client's own people, active, super admin or
        // holder of *Add and edit users* (A8's who-may) in any customer
        // account (per SPEC §6 and this test's additions, no actor is the
        // client's own person anywhere but in the account `facts` names) —
        // never the link's employee (Dan, no actor). Declining grants
        // nothing, so a suspension does not stand in its way; anybody else
        // is refused as an approver (403).
        Need::Decline => match f.in_customer {
            Some(m) if m.of.is_none() && m.active && m.role.manages_users() => Ok(()),
            _ => no(403),
        },
        // A9: super admin or holder of *Add and edit users* (R11), partner
        // people included, never over another partner's people; widening a
        // suspended partner's person is refused (409).
        Need::Create => {
            if !member()?.role.manages_users() {
                return no(403);
            }
            Ok(())
        }
        Need::Seat | Need::Edit => {
            suspended_self_or_deactivated()?;
            let m = member()?;
            if !m.role.manages_users() {
                return no(403);
            }
            not_another_partners(m)?;
            if ct.member_suspended {
                return no(409);
            }
            Ok(())
        }
        Need::ClientDeactivate => {
            let m = member()?;
            if !m.role.manages_users() {
                return no(403);
            }
            not_another_partners(m)?;
            if !ct.member_active {
                return no(422);
            }
            Ok(())
        }
        Need::ClientRemove => {
            let m = member()?;
            if !m.role.manages_users() {
                return no(403);
            }
            not_another_partners(m)
        }
        // A9 reactivate, with R8: "a membership the client deactivated is
        // reactivated only from the client side" (a partner's person acts as
        // the partner side: 403); reactivating is refused unless the actor
        // holds everything the person will hold (403).
        Need::ClientReactivate => {
            suspended_self_or_deactivated()?;
            let m = member()?;
            if !m.role.manages_users() {
                return no(403);
            }
            not_another_partners(m)?;
            if m.of.is_some() {
                return no(403);
            }
            if ct.member_suspended {
                return no(409);
            }
            if !ct.member.is_subset(m.role.holds()) {
                return no(403);
            }
            Ok(())
        }
        // A10 partner side: a partner employee who is super admin there
        // converts themselves; an active Partner Admin there converts other
        // super admins of its own partner; keep one super admin (Globex has
        // Gina). Converting oneself when one is no super admin: SPEC does not
        // say whether who-may (403) or the state (422) refuses it.
        Need::PartnerConvert => {
            let p = cam()?;
            if a.person() == pt.sa {
                return if pt.sa_super_admin { Ok(()) } else { Err(Want::OneOf(&[403, 422])) };
            }
            let pa_there = matches!(
                f.in_sa_client,
                Some(Mem { role: Role::PartnerAdmin(_), active: true, of: Some(q) }) if q == p
            );
            if !pa_there {
                return no(403);
            }
            if !pt.sa_super_admin {
                return no(422);
            }
            Ok(())
        }
        // A10 client side: the client's own super admins.
        Need::ClientConvert => {
            let m = member()?;
            if m.of.is_some() || m.role != Role::SuperAdmin {
                return no(403);
            }
            Ok(())
        }
        // A11: super admin; making a suspended partner's person super admin
        // widens them (the suspension note: 409).
        Need::GrantSuperAdmin => {
            suspended_self_or_deactivated()?;
            if member()?.role != Role::SuperAdmin {
                return no(403);
            }
            if ct.member_suspended {
                return no(409);
            }
            Ok(())
        }
        Need::RevokeSuperAdmin => {
            if member()?.role != Role::SuperAdmin {
                return no(403);
            }
            Ok(())
        }
        // A12: the client's own people only, as R16 (any partner's person:
        // 404); R3 over every person touched. Suspending what is suspended:
        // SPEC does not say 409 or 422.
        Need::ControlPartner(action) => {
            let m = client_own_page(f)?;
            let touched = match action {
                PartnerAction::Resume => ct.resumed,
                PartnerAction::Suspend | PartnerAction::Remove => ct.partner_people,
            };
            if m.role != Role::SuperAdmin && !touched.is_subset(m.role.holds()) {
                return no(403);
            }
            if action == PartnerAction::Suspend && ct.partner_suspended {
                return Err(Want::OneOf(ALREADY));
            }
            Ok(())
        }
        // A14: the client's own people only, as R16 (a partner's person:
        // 404; one of the client's own without the right: 403); a holder of
        // *Add and edit users* must hold every permission of every person of
        // that partner there (R3: 403); a relationship end moved later or
        // removed is a grant over every person, so "while suspended, nothing
        // gives that partner's people access there" (409). A14's refusal
        // while one of the partner's people is super admin there (409) has
        // no tenant here (no partner acted on has a super admin among its
        // people); tests/api/partner_terms.rs proves it in Globex.
        Need::Terms(step) => {
            let m = client_own_page(f)?;
            if m.role != Role::SuperAdmin && !ct.partner_people.is_subset(m.role.holds()) {
                return no(403);
            }
            if step.widens() && ct.partner_suspended {
                return no(409);
            }
            Ok(())
        }
        Need::PartnerAccess => client_own_page(f).map(drop),
        Need::UsersPage => {
            if !member()?.role.manages_users() {
                return no(403);
            }
            Ok(())
        }
        Need::Holds(p) => {
            if !member()?.role.holds().contains(p) {
                return no(403);
            }
            Ok(())
        }
        Need::Member => member().map(drop),
        // R20: every actor's session is complete, none waits for a second
        // factor; the step is not theirs to take (401, as the brief reads it).
        Need::PendingSignIn => no(401),
        // Another person's factor is not theirs (404).
        Need::OthersFactor => no(404),
        // No actor has a second factor, so no code is one of theirs and there
        // are no recovery codes to renew: SPEC §7 does not say whether that is
        // bad input (400), not allowed (403), nothing there (404, as A18's
        // "nothing to reset") or an invalid state (422).
        Need::FactorCode => Err(Want::OneOf(&[400, 403, 404, 422])),
        // Finishing a passkey's registration that no ceremony began: an
        // invalid state (SPEC §7: 422), whoever is signed in.
        Need::NoCeremony => no(422),
        Need::SuperAdmin(acct) => super_admin_of(f, acct),
        // A17: super admin of the account; "only for partner people" is a
        // customer account's choice (R20): a partner account has none (422).
        // Who may is decided first: the answer to someone not allowed does
        // not depend on what they asked for.
        Need::RequireFactor(acct, required) => {
            super_admin_of(f, acct)?;
            if acct == Acct::Partner && required == Required::PartnerPeople {
                return no(422);
            }
            Ok(())
        }
        // A18: the actor (and the person) members of the account (else 404;
        // a deactivated membership never acts: 403); never one's own
        // factors (403: they are removed with a current one); for a partner employee,
        // a super admin of that partner; for anyone else, a super admin of
        // every account the person belongs to (403). Nothing to reset is a
        // 404 only to whoever may reset: to anyone else the answer must not
        // tell whether the person has a factor.
        Need::ResetFactors { whose, has_factor } => {
            let may = match whose {
                // The employee is a person of the actor's own partner tenant;
                // in Bluebird's that is Bo himself, and one's own factors go
                // only with a current one (removed from one's own page),
                // never by a reset.
                Whose::Employee => {
                    let p = f.partner.ok_or(Want::Is(404))?;
                    if partner_tenant(a) == PTenant::Bb && a == Actor::Bo {
                        return no(403);
                    }
                    p.super_admin
                }
                Whose::PartnerPerson => {
                    member()?;
                    matches!(f.partner, Some(p) if p.super_admin && p.of == ct.partner)
                }
                Whose::OwnPerson { elsewhere } => {
                    member()?.role == Role::SuperAdmin && (!elsewhere || globex_super_admin(a))
                }
            };
            if !may {
                return no(403);
            }
            if !has_factor {
                return no(404);
            }
            Ok(())
        }
    }
}

/// A super admin of the account (A16, A17, R20's reads): 404 for
/// non-members, 403 for other members or a deactivated membership.
fn super_admin_of(f: Facts, acct: Acct) -> Result<(), Want> {
    match acct {
        Acct::Partner => match f.partner {
            None => no(404),
            Some(p) if !p.super_admin => no(403),
            Some(_) => Ok(()),
        },
        Acct::Customer => match f.in_customer {
            None => no(404),
            Some(m) if !m.active || m.role != Role::SuperAdmin => no(403),
            Some(_) => Ok(()),
        },
    }
}

/// SPEC §6: of the actors, only Ada is a super admin of Globex.
fn globex_super_admin(a: Actor) -> bool {
    a.person() == Actor::Ada
}

/// Settings → Partner access (R16, A12): 404 for any partner's person; 403
/// for the client's own people who are neither super admin nor holders of
/// *Add and edit users*, or whose membership is not active.
fn client_own_page(f: Facts) -> Result<Mem, Want> {
    match f.in_customer {
        None => Err(Want::Is(404)),
        Some(m) if m.of.is_some() => Err(Want::Is(404)),
        Some(m) if !m.active || !m.role.manages_users() => Err(Want::Is(403)),
        Some(m) => Ok(m),
    }
}

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

/// Which tenant the `{account_id}` of a route belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Not tenant-scoped (health, session, notifications, link lookups).
    None,
    /// The signed-in user's own session: the account in the body.
    Session,
    /// A partner account (Client Access Manager).
    Partner,
    /// A customer account (Users & Teams, settings, assets, history).
    Customer,
}

/// The ids a request is made of, all from one tenant (or, for the IDOR
/// sweep, one of them swapped for another tenant's).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ids {
    account: i64,
    /// Partner scope: a client of the partner.
    client: i64,
    /// Partner scope: a partner employee inside `client`.
    employee: i64,
    /// Partner scope: the person to link in `client` (R5).
    unlinked: i64,
    /// Partner scope: a partner employee to add to `client`.
    newcomer: i64,
    /// Partner scope: a client where `sa` is to be converted (R9).
    sa_client: i64,
    sa: i64,
    /// Customer scope: a member who is not a super admin.
    member: i64,
    /// Customer scope: a partner super admin (made so by [`Prep::PartnerSuperAdmin`]).
    super_admin: i64,
    /// Customer scope: an asset of the account.
    asset: i64,
    /// Customer scope: a partner with people in the account.
    partner: i64,
    /// Customer scope: one of that partner's people there (on Sales).
    partner_person: i64,
    /// Customer scope: that partner's Partner Admin there.
    partner_admin: i64,
    /// Customer scope: one of that partner's people the resume case's
    /// preparation deactivates (from the partner side) before suspending.
    kept_deactivated: Option<i64>,
    /// The client's (or customer account's) super admin.
    client_admin: i64,
    /// Customer scope: one of the client's own people, a member of the
    /// account alone (Una in Acme), for a reset of second factors (A18).
    own_person: i64,
    /// A live access-link token (Dan's, of Northwind).
    token: String,
    /// Partner scope: a finished bulk job of the partner (R17).
    job: i64,
    /// An authenticator (not yet confirmed) of Gina's, whom no actor is: for
    /// the signed-in user's own routes, never theirs (R20).
    factor: i64,
}

/// The inner ids the IDOR sweep swaps, by name.
const INNER: [&str; 14] = [
    "client",
    "employee",
    "unlinked",
    "newcomer",
    "sa_client",
    "sa",
    "member",
    "super_admin",
    "asset",
    "partner",
    "partner_person",
    "client_admin",
    "own_person",
    "job",
];

/// The inner ids that name people: the ones swapped for the other partner's
/// people inside the client both partners manage.
const PEOPLE: [&str; 4] = ["employee", "unlinked", "newcomer", "sa"];

impl Ids {
    fn with_inner(&self, field: &str, from: &Ids) -> Ids {
        let mut out = self.clone();
        match field {
            "client" => out.client = from.client,
            "employee" => out.employee = from.employee,
            "unlinked" => out.unlinked = from.unlinked,
            "newcomer" => out.newcomer = from.newcomer,
            "sa_client" => out.sa_client = from.sa_client,
            "sa" => out.sa = from.sa,
            "member" => out.member = from.member,
            "super_admin" => out.super_admin = from.super_admin,
            "partner" => out.partner = from.partner,
            "partner_person" => out.partner_person = from.partner_person,
            "client_admin" => out.client_admin = from.client_admin,
            "own_person" => out.own_person = from.own_person,
            "job" => out.job = from.job,
            _ => out.asset = from.asset,
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Preparations
// ---------------------------------------------------------------------------

/// Which side did something: SPEC §9 records it ('partner' | 'client').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Partner,
    Client,
}

impl Side {
    fn key(self) -> &'static str {
        match self {
            Side::Partner => "partner",
            Side::Client => "client",
        }
    }
}

/// An end date, whole days ahead (R14), the same all through a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// 31 days ahead.
    Soon,
    /// 61 days ahead.
    Later,
}

impl When {
    fn at(self) -> i64 {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let soon = (now / DAY + 31) * DAY;
        match self {
            When::Soon => soon,
            When::Later => soon + 30 * DAY,
        }
    }
}

/// What must be true before a cell that needs it, on its app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prep {
    None,
    /// The partner tenant's `employee` was deactivated in `client` by this side.
    EmployeeDeactivated(Side),
    /// The partner tenant's `employee` has an end in `client`, set by this side.
    EmployeeEnds(Side, When),
    /// The customer tenant's `member` was deactivated by this side.
    MemberDeactivated(Side),
    /// The customer tenant's `partner_person` has an end, set by this side.
    PersonEnds(Side, When),
    /// Dan is a Northwind super admin in the account (a migration candidate).
    PartnerSuperAdmin,
    /// The account suspends `partner` (R16), after `kept_deactivated` was
    /// deactivated by the partner.
    PartnerSuspended,
    /// The account sets `partner` a ceiling: the Partner Admin set, which
    /// every person of every partner acted on here already fits in (R18).
    Ceiling,
    /// The account ends its relationship with `partner` then (R18).
    RelationshipEnds(When),
    /// The person a reset is for (A18) has a confirmed authenticator, stored
    /// directly; `Whose::OwnPerson { elsewhere: true }`: and is a member of
    /// Globex too (View only), where of the actors only Ada is super admin.
    HasFactor(Whose),
}

// ---------------------------------------------------------------------------
// Reads of the stored state
// ---------------------------------------------------------------------------

/// A read of the stored state after an allowed write.
#[derive(Debug, Clone)]
enum Check {
    /// One value, as text (`-` for no row or NULL), must equal `want`.
    Value { sql: String, want: String },
    /// The permissions a membership holds, read back from its row (`user`
    /// -1: the person Create user made).
    Perms { account: i64, user: i64, want: Perms },
    /// These columns of a membership are what they were before the call.
    Kept { account: i64, user: i64, columns: &'static [&'static str] },
    /// A count that is higher after the call than before it (a history
    /// record, an email: the demo data may hold some already).
    More { sql: String },
}

fn value(sql: String, want: impl ToString) -> Check {
    Check::Value { sql, want: want.to_string() }
}

/// `SELECT <column> FROM memberships` of one membership.
fn membership(column: &str, account: i64, user: i64, want: impl ToString) -> Check {
    value(format!("SELECT {column} FROM memberships WHERE account_id = {account} AND user_id = {user}"), want)
}

fn gone(account: i64, user: i64) -> Check {
    value(format!("SELECT COUNT(*) FROM memberships WHERE account_id = {account} AND user_id = {user}"), 0)
}

/// The columns of a membership that hold what it grants (A5: a link
/// "changes no permission, seat, status or end"; A4: "end unchanged").
const GRANTS: &[&str] = &["super_admin", "permission_set", "perms_added", "perms_removed", "seat", "status", "ends_at"];
const GRANTS_BUT_STATUS: &[&str] =
    &["super_admin", "permission_set", "perms_added", "perms_removed", "seat", "ends_at", "partner_account_id"];

/// The tenant's newcomer was not added to its client: still absent, or
/// (Bluebird, whose only person is already in Wonka on Sales) unchanged.
fn not_added(i: &Ids) -> Check {
    if i.newcomer == i.employee {
        membership("permission_set", i.client, i.newcomer, "sales")
    } else {
        gone(i.client, i.newcomer)
    }
}

/// What an actor holds where the effect happens: their own tenant's client
/// (partner scope) or customer account (customer scope).
fn held(a: Actor, scope: Scope) -> Perms {
    let f = facts(a);
    let m = if scope == Scope::Partner { f.in_client } else { f.in_customer };
    m.map(|m| m.role.holds()).unwrap_or_default()
}

/// §9: "Creating and approving give at most `S ∩ A`"; Billing reaches a
/// partner employee who is not a super admin only through R9's *Keep
/// billing permissions*; the three super-admin-only permissions never come
/// with a grant.
fn spec_grant(actor: Perms, set: Perms, partner_employee: bool) -> Perms {
    let p = set.intersection(actor).assignable();
    if partner_employee {
        p.without(Permission::Billing)
    } else {
        p
    }
}

/// §9: R3's formula `(E \ A) ∪ (S ∩ A)` governs changing a set; Billing
/// never comes to a partner employee this way.
fn spec_change(actor: Perms, set: Perms, had: Perms, partner_employee: bool) -> Perms {
    let p = spec_r3(actor, set, had);
    if partner_employee && !had.contains(Permission::Billing) {
        p.without(Permission::Billing)
    } else {
        p
    }
}

/// The side a customer-scope actor acts as: a partner's person is the
/// partner side on every screen.
fn side_of(a: Actor) -> &'static str {
    match facts(a).in_customer {
        Some(Mem { of: Some(_), .. }) => Side::Partner.key(),
        _ => Side::Client.key(),
    }
}

// ---------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------

/// One route (or one situation of a route), how to call it, its §9 row,
/// what it needs, and what an allowed call stores.
struct Case {
    method: Method,
    route: &'static str,
    /// Which situation of the route, where a route has several cases.
    label: &'static str,
    scope: Scope,
    row: Row,
    /// The path (with query) and body for a tenant's ids and an actor.
    make: fn(&Ids, Actor) -> (String, Option<Value>),
    need: Need,
    /// The status of success.
    ok: u16,
    /// What an allowed call of `actor` must have stored, read back afterwards.
    effect: fn(&Ids, Actor) -> Vec<Check>,
    prep: Prep,
    /// The route reads a query string (so unknown query fields are a 400).
    query: bool,
}

fn case(
    method: Method,
    route: &'static str,
    scope: Scope,
    row: Row,
    need: Need,
    ok: u16,
    make: fn(&Ids, Actor) -> (String, Option<Value>),
) -> Case {
    Case { method, route, label: "", scope, row, make, need, ok, effect: |_, _| vec![], prep: Prep::None, query: false }
}

impl Case {
    fn prep(mut self, p: Prep) -> Case {
        self.prep = p;
        self
    }

    fn with_query(mut self) -> Case {
        self.query = true;
        self
    }

    fn effect(mut self, e: fn(&Ids, Actor) -> Vec<Check>) -> Case {
        self.effect = e;
        self
    }

    fn label(mut self, l: &'static str) -> Case {
        self.label = l;
        self
    }

    fn expected(&self, actor: Actor) -> Want {
        policy(self.need, actor, self.ok)
    }

    fn changes_state(&self) -> bool {
        self.method != Method::GET
    }

    fn route_name(&self) -> String {
        format!("{} {}", self.method, self.route)
    }

    fn name(&self) -> String {
        let row = if self.row == Row::Unruled { "no row".to_string() } else { format!("{:?}", self.row) };
        if self.label.is_empty() {
            format!("[{row}] {} {}", self.method, self.route)
        } else {
            format!("[{row}] {} {} ({})", self.method, self.route, self.label)
        }
    }
}

const P: &str = "/api/v1";

fn partner_end_path(i: &Ids) -> String {
    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/end-date", i.account, i.client, i.employee)
}

fn client_end_path(i: &Ids) -> String {
    format!("{P}/accounts/{}/users/{}/end-date", i.account, i.partner_person)
}

fn reactivate_path(i: &Ids) -> String {
    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/reactivate", i.account, i.client, i.employee)
}

/// A1's effect: the newcomer in the client with `S ∩ A`, flagged with the
/// partner, on a partner seat, active.
fn added(i: &Ids, a: Actor) -> Vec<Check> {
    let want = spec_grant(held(a, Scope::Partner), StandardSet::Sales.perms(), true);
    vec![
        Check::Perms { account: i.client, user: i.newcomer, want },
        membership("partner_account_id", i.client, i.newcomer, i.account),
        membership("seat", i.client, i.newcomer, "partner"),
        membership("status", i.client, i.newcomer, "active"),
    ]
}

/// Every route of `api(false)`: its §9 row, what to send, what SPEC says it
/// needs, and what an allowed call stores. Routes whose rows hinge on the
/// stored state (ends, who deactivated) have one case per situation.
fn cases() -> Vec<Case> {
    use Method as M;
    use Need::*;
    use Row::*;
    use Scope::*;
    vec![
        // --- Sessions, notifications, the link page: no membership changes.
        case(M::GET, "/health", None, Unruled, Anyone, 200, |_, _| (format!("{P}/health"), Option::None)),
        case(M::GET, "/session", None, Unruled, SignedIn, 200, |_, _| (format!("{P}/session"), Option::None)),
        case(M::POST, "/session", None, Unruled, Anyone, 200, |_, a| {
            (format!("{P}/session"), Some(json!({ "email": a.email(), "password": server::seed::DEMO_PASSWORD })))
        })
        .effect(|_, a| {
            vec![value(
                format!("SELECT COUNT(*) > 0 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}'", a.email()),
                1,
            )]
        }),
        case(M::DELETE, "/session", None, Unruled, SignedIn, 204, |_, _| (format!("{P}/session"), Option::None)).effect(
            |_, a| {
                vec![value(
                    format!("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}'", a.email()),
                    0,
                )]
            },
        ),
        case(M::PUT, "/session/account", Session, Unruled, SignedIn, 200, |i, _| {
            (format!("{P}/session/account"), Some(json!({ "account_id": i.account })))
        })
        .effect(|i, a| {
            vec![value(
                format!(
                    "SELECT s.current_account_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}'",
                    a.email()
                ),
                i.account,
            )]
        }),
        case(M::PUT, "/session/language", None, Unruled, SignedIn, 200, |_, _| {
            (format!("{P}/session/language"), Some(json!({ "language": "fi" })))
        })
        .effect(|_, a| vec![value(format!("SELECT language = 'fi' FROM users WHERE email = '{}'", a.email()), 1)]),
        case(M::GET, "/notifications", None, Unruled, SignedIn, 200, |_, _| (format!("{P}/notifications"), Option::None)),
        case(M::POST, "/notifications/read", None, Unruled, SignedIn, 204, |_, _| {
            (format!("{P}/notifications/read"), Option::None)
        })
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = '{}' AND n.read_at IS NULL",
                    a.email()
                ),
                0,
            )]
        }),
        case(M::GET, "/access-links/{token}", None, Unruled, Anyone, 200, |i, _| {
            (format!("{P}/access-links/{}", i.token), Option::None)
        }),
        case(M::GET, "/access-links/{token}/accounts", None, Unruled, SignedIn, 200, |i, _| {
            (format!("{P}/access-links/{}/accounts", i.token), Option::None)
        }),
        // --- A8: Dan's (Northwind) link approved into the account. The new
        // Partner Admin gets at most the set ∩ what the approver holds.
        case(M::POST, "/access-links/{token}/approve", Customer, A8, Approve, 200, |i, _| {
            (format!("{P}/access-links/{}/approve", i.token), Some(json!({ "account_id": i.account })))
        })
        .effect(|i, a| {
            let want = spec_grant(held(a, Scope::Customer), StandardSet::PartnerAdmin.perms(), true);
            vec![
                Check::Perms { account: i.account, user: i.newcomer, want },
                membership("permission_set", i.account, i.newcomer, "partner_admin"),
                membership("seat", i.account, i.newcomer, "partner"),
                membership("status", i.account, i.newcomer, "active"),
                membership("ends_at", i.account, i.newcomer, "-"),
            ]
        }),
        // --- SPEC §4: Dan's (Northwind) link declined instead: no row (no
        // access changes); Northwind's history records it and Dan is told.
        case(M::POST, "/access-links/{token}/decline", None, Unruled, Decline, 204, |i, _| {
            (format!("{P}/access-links/{}/decline", i.token), Some(json!({ "reason": "not now" })))
        })
        .effect(|i, a| {
            // The open tenant is Northwind's: `newcomer` is Dan, the link's employee.
            vec![
                value(
                    format!(
                        "SELECT COUNT(*) FROM history h JOIN users u ON u.id = h.actor_user_id \
                         WHERE h.action = 'access_link_declined' AND h.account_id = {} AND h.target_user_id = {} \
                         AND u.email = '{}' AND h.detail = 'not now'",
                        i.account,
                        i.newcomer,
                        a.email()
                    ),
                    1,
                ),
                told(i.newcomer),
            ]
        }),
        // --- Client Access Manager reads: R1, no row.
        case(M::GET, "/accounts/{account_id}/cam/clients", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/clients", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/clients/{client_id}", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/clients/{}", i.account, i.client), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/cam/employees", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/employees/{user_id}", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}", i.account, i.employee), Option::None)
        }),
        // Access links (SPEC §4): issuing one grants nothing (A8 does).
        case(M::PUT, "/accounts/{account_id}/cam/employees/{user_id}/access-link", Partner, Unruled, CamLinks, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}/access-link", i.account, i.employee), Option::None)
        })
        .effect(|i, _| vec![live_links(i, 1)]),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate",
            Partner,
            Unruled,
            CamLinks,
            200,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/access-link/regenerate", i.account, i.employee),
                    Option::None,
                )
            },
        )
        .effect(|i, _| vec![live_links(i, 1)]),
        // --- A1: add employees (Sales), bounded by S ∩ A.
        case(M::POST, "/accounts/{account_id}/cam/clients/{client_id}/employees", Partner, A1, Add, 200, |i, _| {
            (
                format!("{P}/accounts/{}/cam/clients/{}/employees", i.account, i.client),
                Some(json!({ "user_ids": [i.newcomer], "permission_set": "sales" })),
            )
        })
        .effect(added),
        // --- A2: change the employee's set (Sales → View only), R3's formula.
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/permission-set",
            Partner,
            A2,
            ChangeSet,
            200,
            |i, _| {
                (
                    format!(
                        "{P}/accounts/{}/cam/clients/{}/employees/{}/permission-set",
                        i.account, i.client, i.employee
                    ),
                    Some(json!({ "permission_set": "view_only" })),
                )
            },
        )
        .effect(|i, a| {
            let had = p_facts(partner_tenant(a)).employee;
            let want = spec_change(held(a, Scope::Partner), StandardSet::ViewOnly.perms(), had, true);
            vec![Check::Perms { account: i.client, user: i.employee, want }]
        }),
        // --- A3: deactivate; recorded as the partner's doing.
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/deactivate",
            Partner,
            A3,
            PartnerDeactivate,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/deactivate", i.account, i.client, i.employee),
                    Option::None,
                )
            },
        )
        .effect(|i, _| {
            vec![
                membership("status", i.client, i.employee, "deactivated"),
                membership("deactivated_by", i.client, i.employee, "partner"),
            ]
        }),
        // --- A4: reactivate what the partner deactivated; end unchanged.
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/reactivate",
            Partner,
            A4,
            PartnerReactivate { by_client: false },
            204,
            |i, _| (reactivate_path(i), Option::None),
        )
        .label("deactivated by the partner")
        .prep(Prep::EmployeeDeactivated(Side::Partner))
        .effect(|i, _| {
            vec![
                membership("status", i.client, i.employee, "active"),
                membership("deactivated_by", i.client, i.employee, "-"),
                Check::Kept { account: i.client, user: i.employee, columns: GRANTS_BUT_STATUS },
            ]
        }),
        // A4 refused when deactivated by the client (R8).
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/reactivate",
            Partner,
            A4,
            PartnerReactivate { by_client: true },
            204,
            |i, _| (reactivate_path(i), Option::None),
        )
        .label("deactivated by the client")
        .prep(Prep::EmployeeDeactivated(Side::Client))
        .effect(|i, _| vec![membership("status", i.client, i.employee, "active")]),
        // --- A6: ends from the partner side.
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date",
            Partner,
            A6,
            PartnerEnd(EndChange::Set),
            204,
            |i, _| (partner_end_path(i), Some(json!({ "ends_at": When::Soon.at() }))),
        )
        .label("set an end where there was none")
        .effect(|i, _| {
            vec![
                membership("ends_at", i.client, i.employee, When::Soon.at()),
                membership("ends_by", i.client, i.employee, "partner"),
            ]
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date",
            Partner,
            A6,
            PartnerEnd(EndChange::Remove { client_set: false }),
            204,
            |i, _| (partner_end_path(i), Some(json!({ "ends_at": null }))),
        )
        .label("remove a partner-set end")
        .prep(Prep::EmployeeEnds(Side::Partner, When::Soon))
        .effect(|i, _| {
            vec![membership("ends_at", i.client, i.employee, "-"), membership("ends_by", i.client, i.employee, "-")]
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date",
            Partner,
            A6,
            PartnerEnd(EndChange::Later { client_set: true }),
            204,
            |i, _| (partner_end_path(i), Some(json!({ "ends_at": When::Later.at() }))),
        )
        .label("move a client-set end later")
        .prep(Prep::EmployeeEnds(Side::Client, When::Soon))
        .effect(|i, _| vec![membership("ends_at", i.client, i.employee, When::Later.at())]),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date",
            Partner,
            A6,
            PartnerEnd(EndChange::Earlier { client_set: true }),
            204,
            |i, _| (partner_end_path(i), Some(json!({ "ends_at": When::Soon.at() }))),
        )
        .label("move a client-set end earlier")
        .prep(Prep::EmployeeEnds(Side::Client, When::Later))
        .effect(|i, _| {
            vec![
                membership("ends_at", i.client, i.employee, When::Soon.at()),
                // "it stays client-set"
                membership("ends_by", i.client, i.employee, "client"),
            ]
        }),
        // --- A3 (R7): remove employees from a client.
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/remove-employees",
            Partner,
            A3,
            PartnerRemove,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/remove-employees", i.account, i.client),
                    Some(json!({ "user_ids": [i.employee] })),
                )
            },
        )
        .effect(|i, _| vec![gone(i.client, i.employee)]),
        // --- A10 partner side: Ada converts herself in Globex (Gina stays
        // super admin): the Partner Admin set, no Billing (not kept).
        case(M::POST, "/accounts/{account_id}/cam/clients/{client_id}/migrate", Partner, A10, PartnerConvert, 204, |i, _| {
            (
                format!("{P}/accounts/{}/cam/clients/{}/migrate", i.account, i.sa_client),
                Some(json!({ "user_id": i.sa, "keep_billing": false })),
            )
        })
        .effect(|i, _| {
            let want = spec_grant(Perms::all(), StandardSet::PartnerAdmin.perms(), true);
            vec![
                Check::Perms { account: i.sa_client, user: i.sa, want },
                membership("super_admin", i.sa_client, i.sa, 0),
                membership("partner_account_id", i.sa_client, i.sa, i.account),
            ]
        }),
        case(M::GET, "/accounts/{account_id}/cam/employees/{user_id}/clients", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}/clients", i.account, i.employee), Option::None)
        }),
        // --- A3 (R6): remove one employee from clients.
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients",
            Partner,
            A3,
            PartnerRemove,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/remove-from-clients", i.account, i.employee),
                    Some(json!({ "client_ids": [i.client] })),
                )
            },
        )
        .effect(|i, _| vec![gone(i.client, i.employee)]),
        // --- A5: link; nothing but the partner flag changes; the client's
        // admins are told.
        case(M::POST, "/accounts/{account_id}/cam/employees/{user_id}/link", Partner, A5, Link, 204, |i, _| {
            (
                format!("{P}/accounts/{}/cam/employees/{}/link", i.account, i.unlinked),
                Some(json!({ "client_id": i.client })),
            )
        })
        .effect(|i, _| {
            vec![
                membership("partner_account_id", i.client, i.unlinked, i.account),
                Check::Kept { account: i.client, user: i.unlinked, columns: GRANTS },
                told(i.client_admin),
            ]
        }),
        case(M::GET, "/accounts/{account_id}/history", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
        // --- Users & Teams (customer accounts).
        case(M::GET, "/accounts/{account_id}/users", Customer, Unruled, UsersPage, 200, |i, _| {
            (format!("{P}/accounts/{}/users", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/users/candidate", Customer, Unruled, UsersPage, 200, |i, _| {
            (
                format!("{P}/accounts/{}/users/candidate?email=new.person%40acme.example&seat=core", i.account),
                Option::None,
            )
        })
        .with_query(),
        // A9 create: S ∩ A (Sales), a client's own person.
        case(M::POST, "/accounts/{account_id}/users", Customer, A9, Create, 201, |i, _| {
            (
                format!("{P}/accounts/{}/users", i.account),
                Some(json!({ "email": "new.person@acme.example", "name": "New Person", "seat": "core", "template": "sales" })),
            )
        })
        .effect(|i, a| {
            let want = spec_grant(held(a, Scope::Customer), StandardSet::Sales.perms(), false);
            let user = "(SELECT id FROM users WHERE email = 'new.person@acme.example')";
            vec![
                value(format!("SELECT COUNT(*) FROM memberships WHERE account_id = {} AND user_id = {user}", i.account), 1),
                value(
                    format!("SELECT partner_account_id FROM memberships WHERE account_id = {} AND user_id = {user}", i.account),
                    "-",
                ),
                Check::Perms { account: i.account, user: -1, want },
            ]
        }),
        // --- A7: ends from the client side, on a partner's person (Sales).
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/end-date", Customer, A7, ClientEnd(EndChange::Set), 204, |i, _| {
            (client_end_path(i), Some(json!({ "ends_at": When::Soon.at() })))
        })
        .label("set an end where there was none")
        .effect(|i, _| {
            vec![
                membership("ends_at", i.account, i.partner_person, When::Soon.at()),
                membership("ends_by", i.account, i.partner_person, "client"),
            ]
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/users/{user_id}/end-date",
            Customer,
            A7,
            ClientEnd(EndChange::Remove { client_set: true }),
            204,
            |i, _| (client_end_path(i), Some(json!({ "ends_at": null }))),
        )
        .label("remove a client-set end")
        .prep(Prep::PersonEnds(Side::Client, When::Soon))
        .effect(|i, _| {
            vec![
                membership("ends_at", i.account, i.partner_person, "-"),
                membership("ends_by", i.account, i.partner_person, "-"),
            ]
        }),
        // --- R17: the Access review, bulk work and coverage. Starting a job
        // needs R1; each row is decided by its single action (A13).
        case(M::GET, "/accounts/{account_id}/cam/review", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/review", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/review.csv", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/review.csv", i.account), Option::None)
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/cam/review/preview", Partner, Unruled, Cam, 200, |i, _| {
            let rows = json!([{ "client_id": i.client, "user_id": i.employee }]);
            (
                format!("{P}/accounts/{}/cam/review/preview", i.account),
                Some(json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } })),
            )
        })
        // A review step writes nothing.
        .effect(|i, _| vec![Check::Kept { account: i.client, user: i.employee, columns: GRANTS }]),
        // A13 → A3: every R1 holder may deactivate; a deactivated row is refused.
        case(M::POST, "/accounts/{account_id}/cam/review/jobs", Partner, A13, Cam, 202, |i, _| {
            let rows = json!([{ "client_id": i.client, "user_id": i.employee }]);
            (
                format!("{P}/accounts/{}/cam/review/jobs", i.account),
                Some(json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } })),
            )
        })
        .effect(|i, a| {
            if p_facts(partner_tenant(a)).employee_active {
                vec![
                    membership("status", i.client, i.employee, "deactivated"),
                    membership("deactivated_by", i.client, i.employee, "partner"),
                ]
            } else {
                vec![Check::Kept { account: i.client, user: i.employee, columns: GRANTS }]
            }
        }),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/clients/preview",
            Partner,
            Unruled,
            Cam,
            200,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/clients/preview", i.account, i.newcomer),
                    Some(json!({ "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": [i.client] } })),
                )
            },
        )
        .effect(|i, _| vec![not_added(i)]),
        // A13 → A1 per client: only an active Partner Admin there adds, not
        // while suspended, not who is a member; otherwise the row is refused.
        case(M::POST, "/accounts/{account_id}/cam/employees/{user_id}/clients/jobs", Partner, A13, Cam, 202, |i, _| {
            (
                format!("{P}/accounts/{}/cam/employees/{}/clients/jobs", i.account, i.newcomer),
                Some(json!({ "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": [i.client] } })),
            )
        })
        .effect(|i, a| {
            if decide(Need::Add, a).is_ok() {
                added(i, a)
            } else {
                vec![not_added(i)]
            }
        }),
        case(M::GET, "/accounts/{account_id}/cam/jobs", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/jobs", i.account), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/cam/jobs/{job_id}", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/jobs/{}", i.account, i.job), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/coverage", Partner, Unruled, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/coverage", i.account), Option::None)
        })
        .with_query(),
        // --- Settings → Partner access (R16).
        case(M::GET, "/accounts/{account_id}/partner-access", Customer, Unruled, PartnerAccess, 200, |i, _| {
            (format!("{P}/accounts/{}/partner-access", i.account), Option::None)
        }),
        // A12 suspend: every person of the partner deactivated by the client.
        case(
            M::POST,
            "/accounts/{account_id}/partner-access/{partner_id}/suspend",
            Customer,
            A12,
            ControlPartner(PartnerAction::Suspend),
            200,
            |i, _| (format!("{P}/accounts/{}/partner-access/{}/suspend", i.account, i.partner), Option::None),
        )
        .effect(|i, _| {
            vec![
                membership("status", i.account, i.partner_person, "deactivated"),
                membership("suspended", i.account, i.partner_person, 1),
                membership("deactivated_by", i.account, i.partner_person, "client"),
                membership("status", i.account, i.partner_admin, "deactivated"),
                suspensions(i, 1),
            ]
        }),
        // A12 resume: exactly the memberships the suspension deactivated.
        case(
            M::POST,
            "/accounts/{account_id}/partner-access/{partner_id}/resume",
            Customer,
            A12,
            ControlPartner(PartnerAction::Resume),
            200,
            |i, _| (format!("{P}/accounts/{}/partner-access/{}/resume", i.account, i.partner), Option::None),
        )
        .prep(Prep::PartnerSuspended)
        .effect(|i, _| {
            let mut checks = vec![
                membership("status", i.account, i.partner_admin, "active"),
                membership("suspended", i.account, i.partner_admin, 0),
                membership("deactivated_by", i.account, i.partner_admin, "-"),
                suspensions(i, 0),
            ];
            if let Some(kept) = i.kept_deactivated {
                checks.push(membership("status", i.account, kept, "deactivated"));
            }
            checks
        }),
        case(
            M::POST,
            "/accounts/{account_id}/partner-access/{partner_id}/remove",
            Customer,
            A12,
            ControlPartner(PartnerAction::Remove),
            200,
            |i, _| (format!("{P}/accounts/{}/partner-access/{}/remove", i.account, i.partner), Option::None),
        )
        .effect(|i, _| vec![gone(i.account, i.partner_person), gone(i.account, i.partner_admin)]),
        // --- A14: the partner's terms (R18), on the partner acted on
        // (Contoso in Acme; Northwind in Acme while suspended). The preview
        // is decided as the step and writes nothing.
        case(
            M::POST,
            "/accounts/{account_id}/partner-access/{partner_id}/ceiling/preview",
            Customer,
            A14,
            Terms(TermsStep::PreviewCeiling),
            200,
            |i, _| (terms_path(i, "ceiling/preview"), Some(json!({ "permission_set": "sales" }))),
        )
        .effect(|i, _| {
            vec![
                Check::Kept { account: i.account, user: i.partner_admin, columns: GRANTS },
                Check::Kept { account: i.account, user: i.partner_person, columns: GRANTS },
                terms_rows(i, "1 = 1", 0),
            ]
        }),
        // A first ceiling, the Sales set: the partner's Partner Admin there
        // is narrowed to what they held ∩ Sales, its Sales person keeps
        // Sales; one event per person; the partner's admins told.
        case(
            M::PUT,
            "/accounts/{account_id}/partner-access/{partner_id}/ceiling",
            Customer,
            A14,
            Terms(TermsStep::SetCeiling),
            200,
            |i, _| (terms_path(i, "ceiling"), Some(json!({ "permission_set": "sales" }))),
        )
        .label("a first ceiling (the Sales set)")
        .effect(|i, _| {
            let sales = StandardSet::Sales.perms();
            vec![
                Check::Perms { account: i.account, user: i.partner_admin, want: StandardSet::PartnerAdmin.perms().intersection(sales) },
                Check::Perms { account: i.account, user: i.partner_person, want: sales },
                terms_rows(i, "ceiling_perms IS NOT NULL", 1),
                terms_event(i, "ceiling_set", i.partner_admin),
                terms_event(i, "ceiling_set", i.partner_person),
                value(
                    format!(
                        "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'ceiling_lowered'",
                        i.partner_admin
                    ),
                    1,
                ),
            ]
        }),
        case(
            M::DELETE,
            "/accounts/{account_id}/partner-access/{partner_id}/ceiling",
            Customer,
            A14,
            Terms(TermsStep::RemoveCeiling),
            200,
            |i, _| (terms_path(i, "ceiling"), Option::None),
        )
        .prep(Prep::Ceiling)
        .effect(|i, _| {
            vec![
                terms_rows(i, "ceiling_perms IS NOT NULL", 0),
                Check::Kept { account: i.account, user: i.partner_admin, columns: GRANTS },
                Check::Kept { account: i.account, user: i.partner_person, columns: GRANTS },
                terms_event(i, "ceiling_removed", i.partner_person),
            ]
        }),
        // A relationship end where there was none: every person's own end
        // (and everything else they hold) unchanged.
        case(
            M::PUT,
            "/accounts/{account_id}/partner-access/{partner_id}/relationship-end",
            Customer,
            A14,
            Terms(TermsStep::SetEnd),
            200,
            |i, _| (terms_path(i, "relationship-end"), Some(json!({ "ends_at": When::Soon.at() }))),
        )
        .label("set an end where there was none")
        .effect(|i, _| {
            vec![
                value(
                    format!(
                        "SELECT ends_at FROM partner_terms WHERE account_id = {} AND partner_account_id = {}",
                        i.account, i.partner
                    ),
                    When::Soon.at(),
                ),
                Check::Kept { account: i.account, user: i.partner_admin, columns: GRANTS },
                Check::Kept { account: i.account, user: i.partner_person, columns: GRANTS },
                terms_event(i, "relationship_end_set", i.partner_person),
            ]
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/partner-access/{partner_id}/relationship-end",
            Customer,
            A14,
            Terms(TermsStep::RemoveEnd),
            200,
            |i, _| (terms_path(i, "relationship-end"), Some(json!({ "ends_at": null }))),
        )
        .label("remove the relationship end")
        .prep(Prep::RelationshipEnds(When::Soon))
        .effect(|i, _| {
            vec![
                terms_rows(i, "ends_at IS NOT NULL", 0),
                Check::Kept { account: i.account, user: i.partner_admin, columns: GRANTS },
                Check::Kept { account: i.account, user: i.partner_person, columns: GRANTS },
                terms_event(i, "relationship_end_removed", i.partner_person),
            ]
        }),
        // --- A9 on the member (Eve, Acme's own; Cleo under suspension).
        case(M::DELETE, "/accounts/{account_id}/users/{user_id}", Customer, A9, ClientRemove, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}", i.account, i.member), Option::None)
        })
        .effect(|i, _| vec![gone(i.account, i.member)]),
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/seat", Customer, A9, Seat, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/seat", i.account, i.member), Some(json!({ "seat": "sales" })))
        })
        .effect(|i, _| vec![membership("seat", i.account, i.member, "sales")]),
        // A9 edit: R3's formula; Billing comes only from whoever holds it
        // (the member is a client's own person).
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/permissions", Customer, A9, Edit, 200, |i, _| {
            (
                format!("{P}/accounts/{}/users/{}/permissions", i.account, i.member),
                Some(json!({ "permission_set": "marketing", "added": ["billing"], "removed": [] })),
            )
        })
        .effect(|i, a| {
            let asked = StandardSet::Marketing.perms().with(Permission::Billing);
            let ct = c_facts(customer_tenant(a));
            let want = spec_change(held(a, Scope::Customer), asked, ct.member, ct.member_of.is_some());
            vec![Check::Perms { account: i.account, user: i.member, want }]
        }),
        case(M::POST, "/accounts/{account_id}/users/{user_id}/deactivate", Customer, A9, ClientDeactivate, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/deactivate", i.account, i.member), Option::None)
        })
        .effect(|i, a| {
            vec![
                membership("status", i.account, i.member, "deactivated"),
                membership("deactivated_by", i.account, i.member, side_of(a)),
            ]
        }),
        case(M::POST, "/accounts/{account_id}/users/{user_id}/reactivate", Customer, A9, ClientReactivate, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/reactivate", i.account, i.member), Option::None)
        })
        .label("deactivated by the client")
        .prep(Prep::MemberDeactivated(Side::Client))
        .effect(|i, _| {
            vec![
                membership("status", i.account, i.member, "active"),
                membership("deactivated_by", i.account, i.member, "-"),
            ]
        }),
        // --- A10 client side: Carol converts Dan, keeping Billing (R9).
        case(M::POST, "/accounts/{account_id}/users/{user_id}/migrate", Customer, A10, ClientConvert, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/migrate", i.account, i.super_admin), Some(json!({ "keep_billing": true })))
        })
        .prep(Prep::PartnerSuperAdmin)
        .effect(|i, _| {
            let want = StandardSet::PartnerAdmin.perms().with(Permission::Billing);
            vec![
                Check::Perms { account: i.account, user: i.super_admin, want },
                membership("super_admin", i.account, i.super_admin, 0),
            ]
        }),
        // --- Super-admin-only settings (R12): no membership changes, except
        // granting and revoking super admin (A11).
        case(M::GET, "/accounts/{account_id}/settings/billing", Customer, Unruled, Holds(Permission::Billing), 200, |i, _| {
            (format!("{P}/accounts/{}/settings/billing", i.account), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/settings/billing", Customer, Unruled, Holds(Permission::Billing), 200, |i, _| {
            (
                format!("{P}/accounts/{}/settings/billing", i.account),
                Some(json!({ "billing_contact": "invoices@acme.example" })),
            )
        })
        .effect(|i, _| vec![setting("billing_contact", i, "invoices@acme.example")]),
        case(
            M::GET,
            "/accounts/{account_id}/settings/super-admins",
            Customer,
            Unruled,
            Holds(Permission::SuperAdminsManage),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/super-admins", i.account), Option::None),
        ),
        case(M::POST, "/accounts/{account_id}/settings/super-admins", Customer, A11, GrantSuperAdmin, 204, |i, _| {
            (format!("{P}/accounts/{}/settings/super-admins", i.account), Some(json!({ "user_id": i.member })))
        })
        .effect(|i, _| {
            vec![membership("super_admin", i.account, i.member, 1), Check::Perms {
                account: i.account,
                user: i.member,
                want: Perms::all(),
            }]
        }),
        case(
            M::DELETE,
            "/accounts/{account_id}/settings/super-admins/{user_id}",
            Customer,
            A11,
            RevokeSuperAdmin,
            204,
            |i, _| (format!("{P}/accounts/{}/settings/super-admins/{}", i.account, i.super_admin), Option::None),
        )
        .prep(Prep::PartnerSuperAdmin)
        .effect(|i, _| vec![membership("super_admin", i.account, i.super_admin, 0)]),
        case(
            M::GET,
            "/accounts/{account_id}/settings/scim",
            Customer,
            Unruled,
            Holds(Permission::ScimProvisioning),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/scim", i.account), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/settings/scim",
            Customer,
            Unruled,
            Holds(Permission::ScimProvisioning),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/scim", i.account), Option::None),
        )
        .effect(|i, _| {
            vec![value(
                format!("SELECT scim_token_hash IS NOT NULL FROM account_settings WHERE account_id = {}", i.account),
                1,
            )]
        }),
        case(
            M::GET,
            "/accounts/{account_id}/settings/data-centre",
            Customer,
            Unruled,
            Holds(Permission::DataCentreMigration),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/data-centre", i.account), Option::None),
        ),
        case(
            M::PUT,
            "/accounts/{account_id}/settings/data-centre",
            Customer,
            Unruled,
            Holds(Permission::DataCentreMigration),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/data-centre", i.account), Some(json!({ "data_centre": "us" }))),
        )
        .effect(|i, _| vec![setting("data_centre", i, "us")]),
        // --- R20: second factors. The sign-in's second step is for a
        // session waiting for its factor, which no actor's is.
        case(M::GET, "/session/second-factor", None, Unruled, PendingSignIn, 200, |_, _| {
            (format!("{P}/session/second-factor"), Option::None)
        }),
        case(M::POST, "/session/second-factor", None, Unruled, PendingSignIn, 200, |_, _| {
            (format!("{P}/session/second-factor"), Some(json!({ "code": "123456" })))
        })
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}' \
                     AND s.pending_factor = 1",
                    a.email()
                ),
                0,
            )]
        }),
        // The same step with a passkey (WebAuthn): its challenge and its
        // answer, again only for a sign-in waiting for its factor.
        case(M::POST, "/session/second-factor/passkey/start", None, Unruled, PendingSignIn, 200, |_, _| {
            (format!("{P}/session/second-factor/passkey/start"), Option::None)
        })
        .effect(|_, a| vec![ceremony(a, "sign_in")]),
        case(M::POST, "/session/second-factor/passkey", None, Unruled, PendingSignIn, 200, |_, _| {
            (format!("{P}/session/second-factor/passkey"), Some(passkey_assertion()))
        })
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}' \
                     AND s.pending_factor = 1",
                    a.email()
                ),
                0,
            )]
        }),
        // The signed-in user's own factors: anyone signed in starts an
        // authenticator of their own (R20: "every user may add").
        case(M::GET, "/me/second-factors", None, Unruled, SignedIn, 200, |_, _| {
            (format!("{P}/me/second-factors"), Option::None)
        }),
        case(M::POST, "/me/second-factors/authenticator", None, Unruled, SignedIn, 200, |_, _| {
            (format!("{P}/me/second-factors/authenticator"), Option::None)
        })
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM second_factors f JOIN users u ON u.id = f.user_id WHERE u.email = '{}' \
                     AND f.kind = 'totp' AND f.confirmed = 0",
                    a.email()
                ),
                1,
            )]
        }),
        // A passkey of their own (R20: "every user may add"): its creation
        // options, the ceremony kept for the session until its answer.
        case(M::POST, "/me/second-factors/passkeys/start", None, Unruled, SignedIn, 200, |_, _| {
            (format!("{P}/me/second-factors/passkeys/start"), Option::None)
        })
        .effect(|_, a| vec![ceremony(a, "register")]),
        // Its answer with no ceremony begun: nothing to finish (422,
        // `code_invalid`), nothing stored.
        case(M::POST, "/me/second-factors/passkeys", None, Unruled, NoCeremony, 200, |_, _| {
            (format!("{P}/me/second-factors/passkeys"), Some(passkey_registration()))
        })
        .label("no ceremony begun")
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM second_factors f JOIN users u ON u.id = f.user_id WHERE u.email = '{}' \
                     AND f.kind = 'passkey'",
                    a.email()
                ),
                1,
            )]
        }),
        // Someone else's (Gina's) authenticator is nobody's of the actors.
        case(
            M::POST,
            "/me/second-factors/authenticator/{factor_id}/confirm",
            None,
            Unruled,
            OthersFactor,
            204,
            |i, _| (format!("{P}/me/second-factors/authenticator/{}/confirm", i.factor), Some(json!({ "code": "123456" }))),
        )
        .label("someone else's")
        .effect(|i, _| vec![value(format!("SELECT confirmed FROM second_factors WHERE id = {}", i.factor), 1)]),
        case(M::DELETE, "/me/second-factors/{factor_id}", None, Unruled, OthersFactor, 204, |i, _| {
            (format!("{P}/me/second-factors/{}", i.factor), Some(json!({ "code": "123456" })))
        })
        .label("someone else's")
        .effect(|i, _| vec![value(format!("SELECT COUNT(*) FROM second_factors WHERE id = {}", i.factor), 0)]),
        case(M::POST, "/me/recovery-codes", None, Unruled, FactorCode, 200, |_, _| {
            (format!("{P}/me/recovery-codes"), Some(json!({ "code": "123456" })))
        })
        .label("without a second factor")
        .effect(|_, a| {
            vec![value(
                format!(
                    "SELECT COUNT(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = '{}' \
                     AND r.used_at IS NULL",
                    a.email()
                ),
                10,
            )]
        }),
        // The account's requirement and its people's factors: its super
        // admins read them, in a customer account and in a partner account.
        case(M::GET, "/accounts/{account_id}/settings/second-factor", Customer, Unruled, SuperAdmin(Acct::Customer), 200, |i, _| {
            (format!("{P}/accounts/{}/settings/second-factor", i.account), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/settings/second-factor", Partner, Unruled, SuperAdmin(Acct::Partner), 200, |i, _| {
            (format!("{P}/accounts/{}/settings/second-factor", i.account), Option::None)
        })
        .label("a partner account"),
        case(M::GET, "/accounts/{account_id}/second-factors", Customer, Unruled, SuperAdmin(Acct::Customer), 200, |i, _| {
            (format!("{P}/accounts/{}/second-factors", i.account), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/second-factors", Partner, Unruled, SuperAdmin(Acct::Partner), 200, |i, _| {
            (format!("{P}/accounts/{}/second-factors", i.account), Option::None)
        })
        .label("a partner account"),
        // --- A17: require a second factor: super admin of the account.
        case(
            M::PUT,
            "/accounts/{account_id}/settings/second-factor",
            Customer,
            A17,
            RequireFactor(Acct::Customer, Required::PartnerPeople),
            200,
            |i, _| require_factor(i, Required::PartnerPeople),
        )
        .label("partner people, in a customer account")
        .effect(|i, _| vec![setting("second_factor", i, Required::PartnerPeople.key())]),
        case(
            M::PUT,
            "/accounts/{account_id}/settings/second-factor",
            Partner,
            A17,
            RequireFactor(Acct::Partner, Required::Everyone),
            200,
            |i, _| require_factor(i, Required::Everyone),
        )
        .label("everyone, in a partner account")
        .effect(|i, _| vec![setting("second_factor", i, Required::Everyone.key())]),
        case(
            M::PUT,
            "/accounts/{account_id}/settings/second-factor",
            Partner,
            A17,
            RequireFactor(Acct::Partner, Required::PartnerPeople),
            200,
            |i, _| require_factor(i, Required::PartnerPeople),
        )
        .label("partner people, in a partner account")
        .effect(|i, _| vec![setting("second_factor", i, Required::PartnerPeople.key())]),
        // --- A18: reset someone's second factors. A partner's person in the
        // client: only a super admin of that partner (Cody for Contoso's
        // Cora), never the client's super admin.
        case(
            M::POST,
            "/accounts/{account_id}/second-factors/{user_id}/reset",
            Customer,
            A18,
            ResetFactors { whose: Whose::PartnerPerson, has_factor: true },
            204,
            |i, _| (reset_path(i, i.partner_person), Option::None),
        )
        .label("a partner's person, in the client")
        .prep(Prep::HasFactor(Whose::PartnerPerson))
        .effect(|i, a| reset(i, a, i.partner_person)),
        // The same person with no factor: nothing to reset.
        case(
            M::POST,
            "/accounts/{account_id}/second-factors/{user_id}/reset",
            Customer,
            A18,
            ResetFactors { whose: Whose::PartnerPerson, has_factor: false },
            204,
            |i, _| (reset_path(i, i.partner_person), Option::None),
        )
        .label("a partner's person without a factor")
        .effect(|i, a| reset(i, a, i.partner_person)),
        // A partner employee in the partner account: its super admins.
        case(
            M::POST,
            "/accounts/{account_id}/second-factors/{user_id}/reset",
            Partner,
            A18,
            ResetFactors { whose: Whose::Employee, has_factor: true },
            204,
            |i, _| (reset_path(i, i.employee), Option::None),
        )
        .label("a partner employee, in the partner account")
        .prep(Prep::HasFactor(Whose::Employee))
        .effect(|i, a| reset(i, a, i.employee)),
        // The client's own person (Una, in Acme alone): a super admin of
        // every account they belong to — Acme's.
        case(
            M::POST,
            "/accounts/{account_id}/second-factors/{user_id}/reset",
            Customer,
            A18,
            ResetFactors { whose: Whose::OwnPerson { elsewhere: false }, has_factor: true },
            204,
            |i, _| (reset_path(i, i.own_person), Option::None),
        )
        .label("the client's own person, in this account alone")
        .prep(Prep::HasFactor(Whose::OwnPerson { elsewhere: false }))
        .effect(|i, a| reset(i, a, i.own_person)),
        // The same person also in Globex: a super admin of Acme alone (or
        // of Globex alone) is not enough.
        case(
            M::POST,
            "/accounts/{account_id}/second-factors/{user_id}/reset",
            Customer,
            A18,
            ResetFactors { whose: Whose::OwnPerson { elsewhere: true }, has_factor: true },
            204,
            |i, _| (reset_path(i, i.own_person), Option::None),
        )
        .label("the client's own person, also in Globex")
        .prep(Prep::HasFactor(Whose::OwnPerson { elsewhere: true }))
        .effect(|i, a| reset(i, a, i.own_person)),
        // --- CRM assets: no membership changes.
        case(M::GET, "/accounts/{account_id}/assets", Customer, Unruled, Member, 200, |i, _| {
            (format!("{P}/accounts/{}/assets", i.account), Option::None)
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/assets", Customer, Unruled, Holds(Permission::ContactsEdit), 201, |i, _| {
            (
                format!("{P}/accounts/{}/assets", i.account),
                Some(json!({ "kind": "contact", "name": "Matrix contact", "owner_id": i.client_admin })),
            )
        })
        .effect(|i, _| {
            vec![value(
                format!(
                    "SELECT owner_user_id FROM assets WHERE account_id = {} AND name = 'Matrix contact' AND kind = 'contact'",
                    i.account
                ),
                i.client_admin,
            )]
        }),
        case(
            M::PATCH,
            "/accounts/{account_id}/assets/{asset_id}",
            Customer,
            Unruled,
            Holds(Permission::ContactsEdit),
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/assets/{}", i.account, i.asset),
                    Some(json!({ "name": "Renamed contact", "owner_id": i.client_admin })),
                )
            },
        )
        .effect(|i, _| {
            vec![value(
                format!("SELECT name || '/' || owner_user_id FROM assets WHERE id = {}", i.asset),
                format!("Renamed contact/{}", i.client_admin),
            )]
        }),
        // --- R13: the account's history.
        case(M::GET, "/accounts/{account_id}/history", Customer, Unruled, UsersPage, 200, |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Customer, Unruled, UsersPage, 200, |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
    ]
}

/// A17: what the account requires.
fn require_factor(i: &Ids, required: Required) -> (String, Option<Value>) {
    (format!("{P}/accounts/{}/settings/second-factor", i.account), Some(json!({ "required": required.key() })))
}

/// R20: a passkey ceremony of the actor's session begun (`kind`: `register`
/// or `sign_in`), kept until its answer.
fn ceremony(a: Actor, kind: &str) -> Check {
    Check::More {
        sql: format!(
            "SELECT COUNT(*) FROM webauthn_ceremonies c JOIN sessions s ON s.id_hash = c.session_hash \
             JOIN users u ON u.id = s.user_id WHERE u.email = '{}' AND c.kind = '{kind}'",
            a.email()
        ),
    }
}

/// A WebAuthn assertion (a passkey's answer at sign-in), well formed.
fn passkey_assertion() -> Value {
    json!({
        "id": "x",
        "rawId": "eA",
        "response": { "authenticatorData": "eA", "clientDataJSON": "eA", "signature": "eA" },
        "type": "public-key"
    })
}

/// A WebAuthn registration credential (a new passkey), well formed.
fn passkey_registration() -> Value {
    json!({
        "id": "x",
        "rawId": "eA",
        "response": { "attestationObject": "eA", "clientDataJSON": "eA" },
        "type": "public-key"
    })
}

fn reset_path(i: &Ids, user: i64) -> String {
    format!("{P}/accounts/{}/second-factors/{user}/reset", i.account)
}

/// A18's effect: the person's factors gone, a history record naming the
/// actor and the person, and an email to the person (R20). SPEC does not say
/// in which account's history a reset is kept (the URL's, or — for a
/// partner's person — the partner's, whose super admin decides): any.
fn reset(_: &Ids, a: Actor, user: i64) -> Vec<Check> {
    vec![
        value(format!("SELECT COUNT(*) FROM second_factors WHERE user_id = {user}"), 0),
        Check::More {
            sql: format!(
                "SELECT COUNT(*) FROM history WHERE target_user_id = {user} \
                 AND actor_user_id = (SELECT id FROM users WHERE email = '{}')",
                a.email()
            ),
        },
        Check::More {
            sql: format!("SELECT COUNT(*) FROM outbox o JOIN users u ON o.recipient = u.email WHERE u.id = {user}"),
        },
    ]
}

/// Live access links of the tenant's `employee`.
fn live_links(i: &Ids, want: i64) -> Check {
    value(
        format!(
            "SELECT COUNT(*) FROM access_links WHERE user_id = {} AND partner_account_id = {} AND revoked_at IS NULL",
            i.employee, i.account
        ),
        want,
    )
}

/// The person was told: an in-app notification or an email (A5: "the
/// client's admins are told").
fn told(user: i64) -> Check {
    value(
        format!(
            "SELECT (SELECT COUNT(*) FROM notifications WHERE user_id = {user}) + (SELECT COUNT(*) FROM outbox o \
             JOIN users u ON o.recipient = u.email WHERE u.id = {user}) > 0"
        ),
        1,
    )
}

fn suspensions(i: &Ids, want: i64) -> Check {
    value(
        format!(
            "SELECT COUNT(*) FROM partner_suspensions WHERE account_id = {} AND partner_account_id = {}",
            i.account, i.partner
        ),
        want,
    )
}

fn terms_path(i: &Ids, tail: &str) -> String {
    format!("{P}/accounts/{}/partner-access/{}/{tail}", i.account, i.partner)
}

/// The account's stored terms for the partner matching `condition`.
fn terms_rows(i: &Ids, condition: &str, want: i64) -> Check {
    value(
        format!(
            "SELECT COUNT(*) FROM partner_terms WHERE account_id = {} AND partner_account_id = {} AND {condition}",
            i.account, i.partner
        ),
        want,
    )
}

/// One history event of `action` for `user`, belonging to the partner.
fn terms_event(i: &Ids, action: &str, user: i64) -> Check {
    value(
        format!(
            "SELECT COUNT(*) FROM history WHERE account_id = {} AND partner_account_id = {} AND action = '{action}' \
             AND target_user_id = {user}",
            i.account, i.partner
        ),
        1,
    )
}

fn setting(column: &str, i: &Ids, want: &str) -> Check {
    value(format!("SELECT {column} FROM account_settings WHERE account_id = {}", i.account), want)
}

/// Routes only a server in test mode has; without it they are 404 for all.
const TEST_MODE_ONLY: [(Method, &str); 2] = [(Method::POST, "/test/reset"), (Method::PUT, "/test/clock")];

// ---------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------

/// The demo world and the people this test adds to it.
#[derive(Debug, Clone, Copy)]
struct Extra {
    w: World,
    /// Pam, the restricted Partner Admin (see [`Actor::Pam`]).
    pam: i64,
    /// Una, the client user with *Add and edit users* (see [`Actor::Una`]).
    una: i64,
    /// Cole, a Contoso employee not yet in Acme.
    cole: i64,
    /// Delta Dental Group (SPEC §6's generated clients, `i % 6 == 3`): Ada
    /// and Dan are both deactivated there; Eve is added as a plain user.
    delta: i64,
    delta_owner: i64,
    delta_asset: i64,
}

/// The tenants of the demo world.
struct Tenants {
    nw: Ids,
    nw_delta: Ids,
    bb: Ids,
    contoso: Ids,
    acme: Ids,
    acme_nw: Ids,
    delta: Ids,
    umbrella: Ids,
}

impl Tenants {
    fn partner(&self, t: PTenant) -> &Ids {
        match t {
            PTenant::Nw | PTenant::NwSuspended => &self.nw,
            PTenant::NwDelta => &self.nw_delta,
            PTenant::Bb => &self.bb,
            PTenant::Contoso => &self.contoso,
        }
    }

    fn customer(&self, t: CTenant) -> &Ids {
        match t {
            CTenant::Acme => &self.acme,
            CTenant::AcmeNwSuspended => &self.acme_nw,
            CTenant::Delta => &self.delta,
            CTenant::Umbrella => &self.umbrella,
        }
    }
}

/// Adds Pam, Una, Cole and Eve's membership of Delta (see [`Extra`]) to a
/// fresh demo world.
async fn extra(app: &TestApp, w: World) -> Extra {
    use domain::{Membership, Seat};
    let delta = app.account_id("Delta Dental Group").await;
    let delta_owner = app.user_id("owner@deltadentalgroup.example").await;
    let mut conn = app.state.db.acquire().await.unwrap();
    let pam = server::db::users::insert(&mut conn, "pam@northwind.example", "Pam Quinn", "!", 0).await.unwrap();
    let una = server::db::users::insert(&mut conn, "una@acme.example", "Una Berg", "!", 0).await.unwrap();
    let cole = server::db::users::insert(&mut conn, "cole@contoso.example", "Cole Adams", "!", 0).await.unwrap();
    // They sign in with the demo password, like everyone else.
    sqlx::query(
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'ada@northwind.example') \
         WHERE id IN ($1, $2, $3)",
    )
    .bind(pam)
    .bind(una)
    .bind(cole)
    .execute(&mut *conn)
    .await
    .unwrap();
    let mut cam_user = Membership::with_set(StandardSet::ViewOnly);
    cam_user.added = Perms::EMPTY.with(Permission::PartnerEmployeesEdit);
    server::seed::provision(&mut conn, w.nw, pam, &cam_user, None, 0).await.unwrap();
    let mut restricted = Membership::with_set(StandardSet::PartnerAdmin);
    restricted.removed = Perms::EMPTY.with(Permission::ReportsView).with(Permission::ReportsEdit);
    restricted.partner_account_id = Some(w.nw);
    restricted.seat = Seat::Partner;
    server::seed::provision(&mut conn, w.acme, pam, &restricted, None, 0).await.unwrap();
    let mut editor = Membership::with_set(StandardSet::ViewOnly);
    editor.added = Perms::EMPTY.with(Permission::UsersEdit);
    server::seed::provision(&mut conn, w.acme, una, &editor, None, 0).await.unwrap();
    server::seed::provision(&mut conn, w.contoso, cole, &Membership::with_set(StandardSet::Sales), None, 0)
        .await
        .unwrap();
    let mut plain = Membership::with_set(StandardSet::ViewOnly);
    plain.seat = Seat::Core;
    server::seed::provision(&mut conn, delta, w.eve, &plain, None, 0).await.unwrap();
    let delta_asset: i64 =
        sqlx::query_scalar("SELECT id FROM assets WHERE account_id = $1 AND name = 'Delta Dental Group'")
            .bind(delta)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    Extra { w, pam, una, cole, delta, delta_owner, delta_asset }
}

async fn tenants(app: &TestApp, x: &Extra) -> Tenants {
    let w = &x.w;
    let token = dan_link(app, w).await;
    let umbrella_asset = umbrella_asset(app, w).await;
    let wonka_owner = app.user_id("owner@wonka.example").await;
    let factor = give_factor(app, w.gina, false).await;
    let base = Ids {
        account: 0,
        client: 0,
        employee: 0,
        unlinked: 0,
        newcomer: 0,
        sa_client: 0,
        sa: 0,
        member: 0,
        super_admin: 0,
        asset: 0,
        partner: 0,
        partner_person: 0,
        partner_admin: 0,
        kept_deactivated: None,
        client_admin: 0,
        own_person: 0,
        token,
        job: 0,
        factor,
    };
    let nw = Ids {
        account: w.nw,
        client: w.acme,
        employee: w.cleo,
        unlinked: w.eve,
        newcomer: w.dan,
        sa_client: w.globex,
        sa: w.ada,
        client_admin: w.carol,
        job: finished_job(app, w.nw).await,
        ..base.clone()
    };
    let acme = Ids {
        account: w.acme,
        member: w.eve,
        super_admin: w.dan,
        asset: w.acme_contact,
        newcomer: w.dan,
        partner: w.contoso,
        partner_person: w.cora,
        partner_admin: w.cody,
        kept_deactivated: Some(w.cora),
        client_admin: w.carol,
        own_person: x.una,
        ..base.clone()
    };
    Tenants {
        // Delta: Dan deactivated, Cleo not there, Eve a plain user there.
        nw_delta: Ids { client: x.delta, employee: w.dan, newcomer: w.cleo, client_admin: x.delta_owner, ..nw.clone() },
        nw,
        bb: Ids {
            account: w.bb,
            client: w.wonka,
            employee: w.bo,
            unlinked: w.bo,
            newcomer: w.bo,
            sa_client: w.wonka,
            sa: w.bo,
            client_admin: wonka_owner,
            job: finished_job(app, w.bb).await,
            ..base.clone()
        },
        // The second partner in Acme: the same client, its own people.
        contoso: Ids {
            account: w.contoso,
            client: w.acme,
            employee: w.cora,
            unlinked: w.cora,
            newcomer: x.cole,
            sa_client: w.acme,
            sa: w.cody,
            client_admin: w.carol,
            job: finished_job(app, w.contoso).await,
            ..base.clone()
        },
        // Acme suspending Northwind: the partner acted on is Northwind, the
        // member Cleo (one of its people).
        acme_nw: Ids {
            member: w.cleo,
            partner: w.nw,
            partner_person: w.cleo,
            partner_admin: w.ada,
            kept_deactivated: None,
            ..acme.clone()
        },
        acme,
        delta: Ids {
            account: x.delta,
            member: w.eve,
            super_admin: x.delta_owner,
            asset: x.delta_asset,
            newcomer: w.dan,
            partner: w.nw,
            partner_person: w.dan,
            partner_admin: w.ada,
            client_admin: x.delta_owner,
            own_person: x.delta_owner,
            ..base.clone()
        },
        umbrella: Ids {
            account: w.umbrella,
            member: w.uma,
            super_admin: w.uma,
            asset: umbrella_asset,
            newcomer: w.dan,
            partner: w.bb,
            partner_person: w.uma,
            partner_admin: w.uma,
            client_admin: w.uma,
            own_person: w.uma,
            ..base
        },
    }
}

/// Dan's access link, issued by Ada; its token.
async fn dan_link(app: &TestApp, w: &World) -> String {
    let ada = session(app, w.ada).await;
    let path = format!("{P}/accounts/{}/cam/employees/{}/access-link", w.nw, w.dan);
    let res = request(app, Method::PUT, &path, None, Some(&ada), Presenting::OwnPage).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string()
}

/// A finished (empty) bulk job of a partner, for its job page (R17).
async fn finished_job(app: &TestApp, partner: i64) -> i64 {
    let job = server::db::bulk::NewJob {
        partner_id: partner,
        actor_id: sqlx::query_scalar("SELECT user_id FROM memberships WHERE account_id = $1 LIMIT 1")
            .bind(partner)
            .fetch_one(&app.state.db)
            .await
            .unwrap(),
        target_id: None,
        kind: domain::api::JobKind::Deactivate,
        permission_set: None,
        total: 0,
        now: 0,
    };
    let (db, me) = (&app.state.db, &*app.state.instance);
    let id = server::db::bulk::create_job(db, &job, r#"{"Rows":{"action":"deactivate","keys":[]}}"#, "").await.unwrap();
    server::db::bulk::claim(db, Some(id), me, server::clock::real_now(), 30).await.unwrap().unwrap();
    server::db::bulk::finish_job(db, id, me, domain::api::JobState::Done, None, 0, 0).await.unwrap();
    id
}

/// Stores an authenticator for `user` (R20), confirmed or not, as a
/// preparation (its secret is no real one); its id.
async fn give_factor(app: &TestApp, user: i64, confirmed: bool) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO second_factors (user_id, kind, name, sealed, confirmed, last_step, created_at) \
         VALUES ($1, 'totp', 'x', 'x', $2, 0, 0) RETURNING id",
    )
    .bind(user)
    .bind(i64::from(confirmed))
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// An asset of Umbrella Health, for the IDOR sweep.
async fn umbrella_asset(app: &TestApp, w: &World) -> i64 {
    let mut conn = app.state.db.acquire().await.unwrap();
    server::db::assets::insert(&mut conn, w.umbrella, domain::AssetKind::Contact, "Umbrella contact", Some(w.uma), 0)
        .await
        .unwrap()
}

/// Where a cell's ids come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Open,
    Session { foreign: bool },
    P(PTenant),
    C(CTenant),
}

fn key(scope: Scope, actor: Actor, foreign: bool) -> Key {
    match scope {
        Scope::None => Key::Open,
        Scope::Session => Key::Session { foreign },
        Scope::Partner if foreign => Key::P(foreign_partner_tenant(actor)),
        Scope::Partner => Key::P(partner_tenant(actor)),
        Scope::Customer if foreign => Key::C(CTenant::Umbrella),
        Scope::Customer => Key::C(customer_tenant(actor)),
    }
}

/// The actor's own account for `PUT /session/account`: one they belong to
/// and act in.
fn own_session_account(w: &World, actor: Actor) -> i64 {
    match actor {
        Actor::Bo => w.bb,
        Actor::Ben | Actor::AdaSuspended => w.nw,
        _ => w.acme,
    }
}

fn ids_for(t: &Tenants, w: &World, scope: Scope, actor: Actor, foreign: bool) -> Ids {
    match key(scope, actor, foreign) {
        Key::Open => t.nw.clone(),
        Key::Session { foreign: true } => t.umbrella.clone(),
        Key::Session { foreign: false } => Ids { account: own_session_account(w, actor), ..t.acme.clone() },
        Key::P(p) => t.partner(p).clone(),
        Key::C(c) => t.customer(c).clone(),
    }
}

/// Runs one preparatory statement; a failure (a column not there yet) is
/// reported, never fatal.
async fn exec(app: &TestApp, sql: &str, binds: &[Value]) -> Result<(), String> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Value::String(s) => q.bind(s.clone()),
            v => q.bind(v.as_i64().unwrap()),
        };
    }
    q.execute(&app.state.db).await.map(drop).map_err(|e| format!("{sql}: {e}"))
}

/// Deactivates an active membership as `side` did it.
async fn deactivate_as(app: &TestApp, account: i64, user: i64, side: Side) {
    let active: Option<String> =
        sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
            .bind(account)
            .bind(user)
            .fetch_optional(&app.state.db)
            .await
            .unwrap();
    if active.as_deref() != Some("active") {
        return;
    }
    let (a, u) = (json!(account), json!(user));
    let _ = exec(
        app,
        "UPDATE memberships SET status = 'deactivated' WHERE account_id = $1 AND user_id = $2",
        &[a.clone(), u.clone()],
    )
    .await;
    // The column the brief adds; absent today, when the prep can't say who.
    let _ = exec(
        app,
        "UPDATE memberships SET deactivated_by = $3 WHERE account_id = $1 AND user_id = $2",
        &[a, u, json!(side.key())],
    )
    .await;
}

/// Gives a membership an end set by `side`.
async fn end_as(app: &TestApp, account: i64, user: i64, side: Side, when: When) {
    let (a, u) = (json!(account), json!(user));
    let now = app.state.clock.now().0;
    let _ = exec(
        app,
        "UPDATE memberships SET ends_at = $3, ends_set_at = $4 WHERE account_id = $1 AND user_id = $2",
        &[a.clone(), u.clone(), json!(when.at()), json!(now)],
    )
    .await;
    let _ = exec(
        app,
        "UPDATE memberships SET ends_by = $3 WHERE account_id = $1 AND user_id = $2",
        &[a, u, json!(side.key())],
    )
    .await;
}

async fn prepare(app: &TestApp, w: &World, prep: Prep, ids: &Ids) {
    match prep {
        Prep::None => {}
        Prep::EmployeeDeactivated(side) => deactivate_as(app, ids.client, ids.employee, side).await,
        Prep::EmployeeEnds(side, when) => end_as(app, ids.client, ids.employee, side, when).await,
        Prep::MemberDeactivated(side) => deactivate_as(app, ids.account, ids.member, side).await,
        Prep::PersonEnds(side, when) => end_as(app, ids.account, ids.partner_person, side, when).await,
        Prep::PartnerSuperAdmin => {
            let there: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND user_id = $2")
                    .bind(ids.account)
                    .bind(ids.super_admin)
                    .fetch_one(&app.state.db)
                    .await
                    .unwrap();
            if there == 0 {
                let mut m = domain::Membership::super_admin();
                m.partner_account_id = Some(w.nw);
                m.seat = domain::Seat::Partner;
                let mut conn = app.state.db.acquire().await.unwrap();
                server::seed::provision(&mut conn, ids.account, ids.super_admin, &m, None, 0).await.unwrap();
            }
        }
        Prep::PartnerSuspended => suspend(app, ids.account, ids.partner, ids.kept_deactivated, ids.client_admin).await,
        Prep::Ceiling => {
            let keys = StandardSet::PartnerAdmin.perms().to_keys();
            terms(app, ids, &format!("'partner_admin', '{keys}', NULL, NULL")).await
        }
        Prep::RelationshipEnds(when) => {
            let now = app.state.clock.now().0;
            terms(app, ids, &format!("NULL, NULL, {}, {now}", when.at())).await
        }
        Prep::HasFactor(whose) => {
            let user = match whose {
                Whose::Employee => ids.employee,
                Whose::PartnerPerson => ids.partner_person,
                Whose::OwnPerson { .. } => ids.own_person,
            };
            if whose == (Whose::OwnPerson { elsewhere: true }) {
                let there: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND user_id = $2")
                        .bind(w.globex)
                        .bind(user)
                        .fetch_one(&app.state.db)
                        .await
                        .unwrap();
                if there == 0 {
                    let mut conn = app.state.db.acquire().await.unwrap();
                    let m = domain::Membership::with_set(StandardSet::ViewOnly);
                    server::seed::provision(&mut conn, w.globex, user, &m, None, 0).await.unwrap();
                }
            }
            give_factor(app, user, true).await;
        }
    }
}

/// Stores what an account sets its partner (R18): `values` are the
/// ceiling's set and permissions and the relationship's end and when it
/// was set, as SQL.
async fn terms(app: &TestApp, ids: &Ids, values: &str) {
    let now = app.state.clock.now().0;
    sqlx::query(&format!(
        "INSERT INTO partner_terms (account_id, partner_account_id, ceiling_set, ceiling_perms, ends_at, ends_set_at, \
         updated_at, updated_by) VALUES ({}, {}, {values}, {now}, {})",
        ids.account, ids.partner, ids.client_admin
    ))
    .execute(&app.state.db)
    .await
    .unwrap();
}

/// The account suspends the partner (R16), unless it already does; first
/// `kept` is deactivated by the partner (a resumption must leave it so).
async fn suspend(app: &TestApp, account: i64, partner: i64, kept: Option<i64>, by: i64) {
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM partner_suspensions WHERE account_id = $1 AND partner_account_id = $2",
    )
    .bind(account)
    .bind(partner)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    if already > 0 {
        return;
    }
    if let Some(u) = kept {
        deactivate_as(app, account, u, Side::Partner).await;
    }
    // What a suspension stores (SPEC R16): the record, and the partner's
    // active people there deactivated by the client, marked as its own.
    let now = app.state.clock.now().0;
    sqlx::query(
        "INSERT INTO partner_suspensions (account_id, partner_account_id, suspended_at, suspended_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(account)
    .bind(partner)
    .bind(now)
    .bind(by)
    .execute(&app.state.db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE memberships SET status = 'deactivated', deactivated_by = 'client', suspended = 1 \
         WHERE account_id = $1 AND partner_account_id = $2 AND status = 'active'",
    )
    .bind(account)
    .bind(partner)
    .execute(&app.state.db)
    .await
    .unwrap();
}

/// Puts the world into the scene.
async fn enter(app: &TestApp, w: &World, scene: Scene) {
    match scene {
        Scene::Demo => {}
        Scene::NorthwindSuspended => suspend(app, w.acme, w.nw, None, w.carol).await,
    }
}

/// A fresh app with the matrix's extra data: Pam, Una, Cole, Eve in Delta,
/// Dan's link and Umbrella's asset.
async fn fresh() -> (TestApp, Extra, Tenants) {
    // Rate limits are proven on their own; here they must not mask a cell.
    let app = TestApp::spawn_with(|c| {
        c.sign_in_per_minute = 100_000;
        c.links_per_minute = 100_000;
    })
    .await;
    let w = World::load(&app).await;
    let x = extra(&app, w).await;
    let t = tenants(&app, &x).await;
    // Only the sessions each test makes for its actors from here on.
    sqlx::query("DELETE FROM sessions").execute(&app.state.db).await.unwrap();
    (app, x, t)
}

/// An app in a scene, prepared for one case and tenant, with a signed-in
/// browser for every actor.
struct Stage {
    app: TestApp,
    x: Extra,
    t: Tenants,
    who: BTreeMap<Actor, Browser>,
}

impl Stage {
    async fn new(scene: Scene, prep: Prep, key: Option<(Scope, Actor, bool)>) -> Stage {
        let (app, x, t) = fresh().await;
        enter(&app, &x.w, scene).await;
        if let Some((scope, actor, foreign)) = key {
            let ids = ids_for(&t, &x.w, scope, actor, foreign);
            prepare(&app, &x.w, prep, &ids).await;
        }
        let who = browsers(&app, &x).await;
        Stage { app, x, t, who }
    }
}

/// Signed-in browsers of every actor on one app.
async fn browsers(app: &TestApp, x: &Extra) -> BTreeMap<Actor, Browser> {
    let mut out = BTreeMap::new();
    for a in ACTORS {
        if let Some(uid) = a.user(x) {
            out.insert(a, session(app, uid).await);
        }
    }
    out
}

fn is_ok(code: u16) -> bool {
    (200..300).contains(&code)
}

/// The path must be the route's template filled in.
fn assert_fits(route: &str, path: &str) {
    let path = path.split('?').next().unwrap().trim_start_matches(P);
    let (t, p): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
    assert_eq!(t.len(), p.len(), "{path} does not fit {route}");
    for (t, p) in t.iter().zip(&p) {
        assert!(t.starts_with('{') || t == p, "{path} does not fit {route}");
    }
}

/// One column of one membership, as text (`-` for NULL); an error (a column
/// that does not exist yet) is returned as such, never a panic.
async fn column(app: &TestApp, account: i64, user: i64, column: &str) -> Result<String, String> {
    let sql =
        format!("SELECT CAST({column} AS TEXT) FROM memberships WHERE account_id = {account} AND user_id = {user}");
    match sqlx::query_scalar::<_, Option<String>>(&sql).fetch_optional(&app.state.db).await {
        Ok(None) => Ok("(no membership)".to_string()),
        Ok(Some(v)) => Ok(v.unwrap_or_else(|| "-".to_string())),
        Err(e) => Err(format!("memberships.{column}: {e}")),
    }
}

/// What a [`Check::Kept`] read before the call.
type Before = Option<Vec<Result<String, String>>>;

async fn read_before(app: &TestApp, check: &Check) -> Before {
    match check {
        Check::Kept { account, user, columns } => {
            let mut out = vec![];
            for c in columns.iter() {
                out.push(column(app, *account, *user, c).await);
            }
            Some(out)
        }
        Check::More { sql } => Some(vec![count(app, sql).await]),
        _ => None,
    }
}

/// A count, read as a number; an error is returned as such, never a panic.
async fn count(app: &TestApp, sql: &str) -> Result<String, String> {
    sqlx::query_scalar::<_, i64>(&format!("SELECT CAST(({sql}) AS BIGINT)"))
        .fetch_one(&app.state.db)
        .await
        .map(|n| n.to_string())
        .map_err(|e| format!("{sql} → error: {e}"))
}

/// [`verify`], waiting up to two seconds for it to hold when a bulk job
/// (R17) answered 202 and writes its rows just after.
async fn verify_soon(app: &TestApp, check: &Check, before: &Before, patient: bool) -> Option<String> {
    let mut wrong = None;
    for _ in 0..if patient { 100 } else { 1 } {
        wrong = verify(app, check, before).await;
        if wrong.is_none() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    wrong
}

/// Reads a check back from the stored state; `None` when it holds.
async fn verify(app: &TestApp, check: &Check, before: &Before) -> Option<String> {
    let db = &app.state.db;
    match check {
        Check::Value { sql, want } => {
            let got: Option<String> =
                match sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS TEXT)")).fetch_one(db).await {
                    Ok(v) => v,
                    Err(e) => return Some(format!("{sql} → error: {e}")),
                };
            // A comparison reads 1/0 on SQLite and true/false on PostgreSQL.
            let got = match got.as_deref() {
                None => "-".to_string(),
                Some("true") => "1".to_string(),
                Some("false") => "0".to_string(),
                Some(v) => v.to_string(),
            };
            (&got != want).then(|| format!("{sql} → {got}, expected {want}"))
        }
        Check::Perms { account, user, want } => {
            let user = if *user < 0 {
                match sqlx::query_scalar("SELECT id FROM users WHERE email = 'new.person@acme.example'")
                    .fetch_optional(db)
                    .await
                {
                    Ok(Some(id)) => id,
                    _ => return Some("no user new.person@acme.example".to_string()),
                }
            } else {
                *user
            };
            let got = match server::db::memberships::find(db, *account, user).await {
                Ok(Some(row)) => stored_permissions(&row),
                Ok(None) => return Some(format!("no membership of {user} in {account}")),
                Err(e) => return Some(format!("membership {user} in {account}: {e:?}")),
            };
            (got != *want).then(|| {
                format!("membership {user} in {account} holds {:?}, expected {:?}", got.to_keys(), want.to_keys())
            })
        }
        Check::Kept { account, user, columns } => {
            let before = before.as_ref().expect("read before the call");
            let mut wrong = vec![];
            for (c, was) in columns.iter().zip(before) {
                let now = column(app, *account, *user, c).await;
                if &now != was {
                    wrong.push(format!("{c}: {was:?} → {now:?}"));
                }
            }
            (!wrong.is_empty()).then(|| format!("membership {user} in {account} changed: {}", wrong.join(", ")))
        }
        Check::More { sql } => {
            let before = before.as_ref().expect("read before the call");
            let (was, now) = (before[0].clone(), count(app, sql).await);
            match (&was, &now) {
                (Ok(b), Ok(n)) if n.parse::<i64>().unwrap() > b.parse::<i64>().unwrap() => None,
                _ => Some(format!("{sql}: {was:?} before the call, {now:?} after it, expected more")),
            }
        }
    }
}

/// What a stored membership row holds, read from its columns: everything for
/// a super admin, else its standard set with the stored additions and
/// removals (the catalogue's sets are SPEC §3's data).
fn stored_permissions(row: &server::db::memberships::MembershipRow) -> Perms {
    if row.super_admin != 0 {
        return Perms::all();
    }
    let set = row
        .permission_set
        .as_deref()
        .map(|k| StandardSet::parse(k).unwrap_or_else(|| panic!("a standard set, not {k}")).perms())
        .unwrap_or_default();
    let added = Perms::from_keys(&row.perms_added).unwrap();
    let removed = Perms::from_keys(&row.perms_removed).unwrap();
    set.union(added).difference(removed)
}

/// The stored `memberships` rows, without the activity a write records by
/// design (R10's last partner activity is no change of access).
async fn memberships(app: &TestApp) -> Vec<String> {
    rows_without(&app.state.db, "memberships", &["last_activity_at"]).await
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn every_route_has_a_case_and_every_case_a_route() {
    let routes: BTreeSet<(String, String)> =
        server::http::api(false).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let declared: BTreeSet<(String, String)> =
        cases().iter().map(|c| (c.method.to_string(), c.route.to_string())).collect();
    let missing: Vec<_> = routes.difference(&declared).collect();
    let stale: Vec<_> = declared.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without a matrix case (declare what each route needs): {missing:?}");
    assert!(stale.is_empty(), "matrix cases without a route: {stale:?}");
    let test_mode: BTreeSet<(String, String)> =
        server::http::api(true).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let extra: BTreeSet<(String, String)> = test_mode.difference(&routes).cloned().collect();
    let expected: BTreeSet<(String, String)> =
        TEST_MODE_ONLY.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(extra, expected, "only the test routes are added by test mode");
}

/// Every state-changing route of the router either names a §9 row in its
/// cases or is on the explicit [`NO_MEMBERSHIP_CHANGE`] list with its
/// reason; reads name no row. A new route cannot slip through: it fails
/// here until it is classified, and the matrix then checks the
/// classification against the stored `memberships` table.
#[test]
fn every_route_that_changes_memberships_names_its_row() {
    let routes: BTreeSet<(String, String)> =
        server::http::api(false).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let listed: BTreeSet<(String, String)> =
        NO_MEMBERSHIP_CHANGE.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let all = cases();
    let mut wrong = vec![];
    for (method, route) in &routes {
        let of_route: Vec<&Case> =
            all.iter().filter(|c| c.method.as_str() == method && c.route == route.as_str()).collect();
        let rows: BTreeSet<Row> = of_route.iter().map(|c| c.row).collect();
        let on_list = listed.contains(&(method.clone(), route.clone()));
        if method == "GET" {
            if rows != BTreeSet::from([Row::Unruled]) || on_list {
                wrong.push(format!("{method} {route}: a read names a row {rows:?}"));
            }
        } else if rows.contains(&Row::Unruled) {
            if !on_list {
                wrong.push(format!(
                    "{method} {route}: changes state, names no §9 row and is not on NO_MEMBERSHIP_CHANGE"
                ));
            }
            if rows.len() > 1 {
                wrong.push(format!("{method} {route}: some cases name a row, some none: {rows:?}"));
            }
        } else if on_list {
            wrong.push(format!("{method} {route}: names {rows:?} yet is listed as changing no membership"));
        }
    }
    for l in &listed {
        if !routes.contains(l) {
            wrong.push(format!("{} {}: on NO_MEMBERSHIP_CHANGE but no such route", l.0, l.1));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The routes and their rows, as the report lists them; rows no route
/// exercises are named.
#[test]
fn the_routes_and_their_rows() {
    let all = cases();
    let mut by_route: BTreeMap<String, BTreeSet<Row>> = BTreeMap::new();
    for c in &all {
        by_route.entry(c.route_name()).or_default().insert(c.row);
    }
    for (route, rows) in &by_route {
        println!("{route}: {rows:?}");
    }
    let used: BTreeSet<Row> = all.iter().map(|c| c.row).collect();
    let without: Vec<Row> = ROWS.iter().copied().filter(|r| !used.contains(r)).collect();
    println!("§9 rows without a route today: {without:?}");
    // A1–A14 are the product's actions today (SPEC §5–§8 up to R18).
    for r in &ROWS[..14] {
        assert!(used.contains(r), "row {r:?} has no case");
    }
}

#[test]
fn every_state_changing_case_reads_its_effect_back() {
    let blind: Vec<String> = cases()
        .iter()
        .filter(|c| c.changes_state())
        .filter(|c| {
            let ids = Ids {
                account: 1,
                client: 2,
                employee: 3,
                unlinked: 4,
                newcomer: 5,
                sa_client: 6,
                sa: 7,
                member: 8,
                super_admin: 9,
                asset: 10,
                partner: 11,
                partner_person: 12,
                partner_admin: 14,
                kept_deactivated: Some(15),
                client_admin: 16,
                own_person: 17,
                token: "t".into(),
                job: 13,
                factor: 18,
            };
            (c.effect)(&ids, Actor::Carol).is_empty() && (c.effect)(&ids, Actor::Ada).is_empty()
        })
        .map(Case::name)
        .collect();
    assert!(blind.is_empty(), "state-changing cases without a read-back of their effect: {blind:?}");
}

fn find(route_end: &str, label: &str) -> Case {
    cases().into_iter().find(|c| c.route.ends_with(route_end) && c.label == label).unwrap()
}

#[test]
fn a_few_cells_of_the_policy_by_hand() {
    use Actor::*;
    use Want::Is;
    // A1: an active Partner Admin in that client adds (bounded by S ∩ A).
    let add = find("/cam/clients/{client_id}/employees", "");
    assert_eq!(add.expected(Pam), Is(200), "a restricted Partner Admin still adds, bounded");
    assert_eq!(add.expected(Ben), Is(403), "R2: not a Partner Admin in the client");
    assert_eq!(add.expected(AdaDeactivated), Is(403), "a deactivated Partner Admin never acts");
    assert_eq!(add.expected(AdaSuspended), Is(409), "suspended");
    // A3 with R8: the partner's super admin removes even where deactivated.
    let remove = find("/remove-employees", "");
    assert_eq!(remove.expected(AdaDeactivated), Is(204));
    assert_eq!(remove.expected(Ben), Is(204));
    assert_eq!(remove.expected(Cleo), Is(403));
    // A4: only an active Partner Admin holding all the person gets back.
    let reactivate = find("/employees/{user_id}/reactivate", "deactivated by the partner");
    assert_eq!(reactivate.expected(Ada), Is(204));
    assert_eq!(reactivate.expected(Pam), Is(403), "Pam lacks Cleo's reports_view");
    assert_eq!(reactivate.expected(AdaDeactivated), Is(403), "R8 refined: only the client reactivates");
    assert_eq!(find("/employees/{user_id}/reactivate", "deactivated by the client").expected(Ada), Is(403));
    // A6: a client-set end is never moved later from the partner side.
    assert_eq!(find("/employees/{user_id}/end-date", "move a client-set end later").expected(Ada), Is(403));
    assert_eq!(find("/employees/{user_id}/end-date", "move a client-set end earlier").expected(Ada), Is(204));
    assert_eq!(find("/employees/{user_id}/end-date", "remove a partner-set end").expected(Pam), Is(403));
    // A7: the client's own people; narrowing needs no R3.
    let end = find("/users/{user_id}/end-date", "set an end where there was none");
    assert_eq!(end.expected(Una), Is(204));
    assert_eq!(end.expected(Cody), Is(403), "a partner's person");
    assert_eq!(find("/users/{user_id}/end-date", "remove a client-set end").expected(Una), Is(403));
    assert_eq!(find("/users/{user_id}/end-date", "remove a client-set end").expected(CarolSuspended), Is(409));
    // A8: the client's own people approve.
    let approve = find("/approve", "");
    assert_eq!(approve.expected(Ada), Is(403));
    assert_eq!(approve.expected(Una), Is(200));
    assert_eq!(approve.expected(CarolSuspended), Is(409));
    // SPEC §4: whoever could approve somewhere declines; a suspension is no bar.
    let decline = find("/decline", "");
    assert_eq!(decline.expected(Carol), Is(204));
    assert_eq!(decline.expected(CarolSuspended), Is(204));
    assert_eq!(decline.expected(Una), Is(204));
    assert_eq!(decline.expected(Eve), Is(403), "View only");
    assert_eq!(decline.expected(Cody), Is(403), "a partner's person");
    assert_eq!(decline.expected(Ada), Is(403));
    assert_eq!(decline.expected(Anon), Is(401));
    // A10 client side: the client's own super admins only.
    let migrate = find("/users/{user_id}/migrate", "");
    assert_eq!(migrate.expected(Cody), Is(403));
    assert_eq!(migrate.expected(Pam), Is(403));
    assert_eq!(migrate.expected(Carol), Is(204));
    // A12: a partner's person never suspends (404), Una lacks what Contoso's
    // people hold (403).
    let suspend = find("/suspend", "");
    assert_eq!(suspend.expected(Ada), Is(404));
    assert_eq!(suspend.expected(Cody), Is(404));
    assert_eq!(suspend.expected(Una), Is(403));
    assert_eq!(suspend.expected(Eve), Is(403));
    assert_eq!(suspend.expected(Carol), Is(200));
    assert_eq!(find("/resume", "").expected(CarolSuspended), Is(200), "resume is the exception");
    // R12.
    let billing = find("/settings/billing", "");
    assert_eq!(billing.expected(Una), Is(403));
    assert_eq!(billing.expected(Carol), Is(200));
    // A14: the client's own people only (a partner's person: 404); Una lacks
    // what Contoso's people hold (403); a relationship end removed while the
    // partner is suspended is a grant refused (409); narrowing is not.
    let ceiling = find("/ceiling", "a first ceiling (the Sales set)");
    assert_eq!(ceiling.expected(Carol), Is(200));
    assert_eq!(ceiling.expected(CarolSuspended), Is(200), "a ceiling narrows");
    assert_eq!(ceiling.expected(Cody), Is(404), "its own partner's person");
    assert_eq!(ceiling.expected(Ada), Is(404), "another partner's person");
    assert_eq!(ceiling.expected(AdaDeactivated), Is(404));
    assert_eq!(ceiling.expected(Una), Is(403));
    assert_eq!(ceiling.expected(Eve), Is(403), "no Add and edit users");
    assert_eq!(ceiling.expected(Anon), Is(401));
    assert_eq!(find("/ceiling/preview", "").expected(Una), Is(403), "a preview refuses as the step");
    let end = find("/relationship-end", "remove the relationship end");
    assert_eq!(end.expected(Carol), Is(200));
    assert_eq!(end.expected(CarolSuspended), Is(409));
    assert_eq!(find("/relationship-end", "set an end where there was none").expected(CarolSuspended), Is(200));
    // A17: super admin of the account; a partner account has no partner people.
    let require = find("/settings/second-factor", "partner people, in a customer account");
    assert_eq!(require.expected(Carol), Is(200));
    assert_eq!(require.expected(Una), Is(403), "Add and edit users is not super admin");
    assert_eq!(require.expected(Cody), Is(403), "a Partner Admin is not super admin");
    assert_eq!(require.expected(Ben), Is(404));
    assert_eq!(require.expected(AdaDeactivated), Is(403));
    let require = find("/settings/second-factor", "everyone, in a partner account");
    assert_eq!(require.expected(Ada), Is(200));
    assert_eq!(require.expected(Bo), Is(200));
    assert_eq!(require.expected(Ben), Is(403), "R1 is not super admin");
    assert_eq!(require.expected(Carol), Is(404));
    let require = find("/settings/second-factor", "partner people, in a partner account");
    assert_eq!(require.expected(Ada), Is(422));
    assert_eq!(require.expected(Pam), Is(403));
    // A18: a partner's person — a super admin of that partner, never the
    // client's super admin nor another partner's.
    let reset = find("/reset", "a partner's person, in the client");
    assert_eq!(reset.expected(Cody), Is(204));
    assert_eq!(reset.expected(Carol), Is(403));
    assert_eq!(reset.expected(Ada), Is(403), "another partner's person");
    assert_eq!(reset.expected(Ben), Is(404), "not a member of the client");
    assert_eq!(reset.expected(AdaSuspended), Is(403), "a deactivated membership never acts");
    let nothing = find("/reset", "a partner's person without a factor");
    assert_eq!(nothing.expected(Cody), Is(404));
    assert_eq!(nothing.expected(Carol), Is(403), "who may not reset learns nothing of the factors");
    let reset = find("/reset", "a partner employee, in the partner account");
    assert_eq!(reset.expected(Ada), Is(204));
    assert_eq!(reset.expected(AdaDeactivated), Is(204), "active in the partner account");
    assert_eq!(reset.expected(Ben), Is(403));
    assert_eq!(reset.expected(Carol), Is(404));
    // Anyone else: a super admin of every account the person belongs to.
    let reset = find("/reset", "the client's own person, in this account alone");
    assert_eq!(reset.expected(Carol), Is(204));
    assert_eq!(reset.expected(Una), Is(403));
    assert_eq!(reset.expected(Cody), Is(403));
    let reset = find("/reset", "the client's own person, also in Globex");
    assert_eq!(reset.expected(Carol), Is(403), "super admin of Acme, not of Globex");
    assert_eq!(reset.expected(Ada), Is(403), "super admin of Globex, not of Acme");
    // R20: the user's own factors.
    assert_eq!(find("/me/second-factors/authenticator", "").expected(Eve), Is(200));
    assert_eq!(find("/me/second-factors/authenticator", "").expected(Anon), Is(401));
    assert_eq!(find("/me/second-factors/{factor_id}", "someone else's").expected(Carol), Is(404));
    assert_eq!(find("/session/second-factor", "").expected(Carol), Is(401), "no sign-in waits");
    assert_eq!(find("/session/second-factor/passkey/start", "").expected(Eve), Is(401), "no sign-in waits");
    assert_eq!(find("/session/second-factor/passkey", "").expected(Carol), Is(401), "no sign-in waits");
    assert_eq!(find("/me/second-factors/passkeys/start", "").expected(Una), Is(200));
    assert_eq!(find("/me/second-factors/passkeys/start", "").expected(Anon), Is(401));
    assert_eq!(find("/me/second-factors/passkeys", "no ceremony begun").expected(Carol), Is(422));
    assert_eq!(find("/me/second-factors/passkeys", "no ceremony begun").expected(Anon), Is(401));
}

#[tokio::test]
async fn the_authorization_matrix_holds_cell_by_cell_and_refusals_write_nothing() {
    let mut shared: BTreeMap<Scene, Stage> = BTreeMap::new();
    for scene in SCENES {
        shared.insert(scene, Stage::new(scene, Prep::None, None).await);
    }
    let mut cells = 0;
    let mut fresh_apps = 0;
    let mut read_backs = 0;
    let mut unexpected: Vec<(Row, String)> = vec![];
    let mut gets = 0;
    let mut denied = 0;
    let mut changed_memberships: BTreeMap<Row, u32> = BTreeMap::new();
    for c in cases() {
        // Refused cells of a prepared case share one prepared app per
        // scene and tenant: a refusal writes nothing, which is checked.
        let mut prepared: BTreeMap<(Scene, Key), Stage> = BTreeMap::new();
        for actor in ACTORS {
            for foreign in [false, true] {
                if foreign && c.scope == Scope::None {
                    continue;
                }
                let scene = actor.scene();
                let want = match (foreign, actor) {
                    (false, _) => c.expected(actor),
                    (true, Actor::Anon) => Want::Is(401),
                    (true, _) => Want::Is(404),
                };
                let where_ = if foreign { "a foreign" } else { "its own" };
                cells += 1;
                let got = if c.changes_state() && want.allows() {
                    // Allowed to change state: on a fresh app, after its
                    // scene and preparation, its effect read back afterwards.
                    fresh_apps += 1;
                    let (app, x2, t2) = fresh().await;
                    enter(&app, &x2.w, scene).await;
                    let ids = ids_for(&t2, &x2.w, c.scope, actor, foreign);
                    prepare(&app, &x2.w, c.prep, &ids).await;
                    let (path, body) = (c.make)(&ids, actor);
                    assert_fits(c.route, &path);
                    let browser = match actor.user(&x2) {
                        Some(uid) => Some(session(&app, uid).await),
                        None => None,
                    };
                    let checks = (c.effect)(&ids, actor);
                    let mut before = vec![];
                    for check in &checks {
                        before.push(read_before(&app, check).await);
                    }
                    let members_before = memberships(&app).await;
                    let res =
                        request(&app, c.method.clone(), &path, body.as_ref(), browser.as_ref(), Presenting::OwnPage)
                            .await;
                    let patient = res.status == StatusCode::ACCEPTED;
                    if is_ok(res.status.as_u16()) {
                        for (check, before) in checks.iter().zip(&before) {
                            read_backs += 1;
                            if let Some(wrong) = verify_soon(&app, check, before, patient).await {
                                unexpected
                                    .push((c.row, format!("{} as {actor:?}: effect not stored: {wrong}", c.name())));
                            }
                        }
                    }
                    // A change of any membership must be one of §9's rows.
                    if memberships(&app).await != members_before {
                        *changed_memberships.entry(c.row).or_default() += 1;
                        if c.row == Row::Unruled {
                            unexpected.push((
                                c.row,
                                format!("{} as {actor:?} changed memberships, yet names no §9 row", c.name()),
                            ));
                        }
                    }
                    res.status.as_u16()
                } else {
                    // Refused (or a read): on the scene's shared app, or —
                    // where the case needs a preparation — on the prepared
                    // app of its scene and tenant; every stored row compared.
                    let k = (scene, key(c.scope, actor, foreign));
                    let stage = if c.prep == Prep::None {
                        &shared[&scene]
                    } else {
                        if let std::collections::btree_map::Entry::Vacant(slot) = prepared.entry(k) {
                            fresh_apps += 1;
                            slot.insert(Stage::new(scene, c.prep, Some((c.scope, actor, foreign))).await);
                        }
                        &prepared[&k]
                    };
                    let app = &stage.app;
                    let ids = ids_for(&stage.t, &stage.x.w, c.scope, actor, foreign);
                    let (path, body) = (c.make)(&ids, actor);
                    assert_fits(c.route, &path);
                    let before = stored(&app.state.db).await;
                    let denials_before = denials(&app.state.db).await;
                    let res = request(
                        app,
                        c.method.clone(),
                        &path,
                        body.as_ref(),
                        stage.who.get(&actor),
                        Presenting::OwnPage,
                    )
                    .await;
                    let after = stored(&app.state.db).await;
                    let wrote = before != after;
                    if wrote {
                        unexpected.push((
                            c.row,
                            format!(
                                "{} as {actor:?} ({where_} tenant) wrote: {}",
                                c.name(),
                                difference(&before, &after)
                            ),
                        ));
                    }
                    let logged = denials(&app.state.db).await - denials_before;
                    let should_log = i64::from(res.status == StatusCode::FORBIDDEN && actor != Actor::Anon);
                    if logged != should_log {
                        unexpected.push((
                            c.row,
                            format!("{} as {actor:?}: {logged} denials logged for {}", c.name(), res.status),
                        ));
                    }
                    denied += logged;
                    if c.method == Method::GET {
                        gets += 1;
                    }
                    let mut body_problems = vec![];
                    error_body_is_the_api_s(&res, &c, actor, &mut body_problems);
                    unexpected.extend(body_problems.into_iter().map(|p| (c.row, p)));
                    // A call that should have been refused wrote: the app
                    // no longer is the scene, so the next cells get a new one.
                    if wrote {
                        fresh_apps += 1;
                        if c.prep == Prep::None {
                            shared.insert(scene, Stage::new(scene, Prep::None, None).await);
                        } else {
                            prepared.remove(&k);
                        }
                    }
                    res.status.as_u16()
                };
                if !want.accepts(got) {
                    unexpected.push((
                        c.row,
                        format!("{} as {actor:?} in {where_} tenant: SPEC §9 says {want}, got {got}", c.name()),
                    ));
                }
            }
        }
    }
    let mut by_row: BTreeMap<Row, usize> = BTreeMap::new();
    for (row, _) in &unexpected {
        *by_row.entry(*row).or_default() += 1;
    }
    println!(
        "authorization matrix: {} cases × {} actors × own/foreign tenants = {cells} cells, expected from SPEC §9 \
         ({fresh_apps} fresh apps, every allowed write read back: {read_backs} checks); allowed writes that changed \
         memberships, by row: {changed_memberships:?}; {} unexpected cells, by row: {by_row:?}; {gets} GET calls \
         changed nothing; {denied} denials logged",
        cases().len(),
        ACTORS.len(),
        unexpected.len()
    );
    let lines: Vec<String> = unexpected.iter().map(|(_, l)| l.clone()).collect();
    assert!(unexpected.is_empty(), "unexpected cells:\n{}", lines.join("\n"));
}

fn error_body_is_the_api_s(res: &Response, c: &Case, actor: Actor, unexpected: &mut Vec<String>) {
    if res.status.is_client_error() {
        let code = res.body["error"]["code"].as_str().unwrap_or("");
        let message = res.body["error"]["message"].as_str().unwrap_or("");
        if code.is_empty() || message.is_empty() {
            unexpected.push(format!(
                "{} as {actor:?}: {} without the error body: {:?}",
                c.name(),
                res.status,
                res.body
            ));
        }
        if res.status == StatusCode::FORBIDDEN
            && !(message.contains("(R") || message.contains("SPEC §") || message.contains("§9"))
        {
            unexpected.push(format!("{} as {actor:?}: 403 that names no rule: {message}", c.name()));
        }
    }
}

/// The actor of the demo scene allowed to change state with a case in
/// their own tenant.
fn allowed_actor(c: &Case) -> Option<Actor> {
    ACTORS.into_iter().filter(|a| a.scene() == Scene::Demo).find(|a| c.expected(*a).allows())
}

/// One case per route (the first with an allowed actor), for the sweeps.
fn sweep_cases() -> Vec<(Case, Actor)> {
    let mut seen = BTreeSet::new();
    let mut out = vec![];
    for c in cases() {
        if let Some(a) = allowed_actor(&c) {
            if seen.insert(c.route_name()) {
                out.push((c, a));
            }
        }
    }
    out
}

#[tokio::test]
async fn ids_of_another_tenant_in_paths_and_bodies_are_404_and_write_nothing() {
    let (app, x, t) = fresh().await;
    let w = x.w;
    let who = browsers(&app, &x).await;
    let mut swept = 0;
    let mut shared = 0;
    let mut routes = BTreeSet::new();
    let mut unexpected = vec![];
    for (c, actor) in sweep_cases() {
        if c.scope != Scope::Partner && c.scope != Scope::Customer {
            continue;
        }
        let own = ids_for(&t, &w, c.scope, actor, false);
        let other = ids_for(&t, &w, c.scope, actor, true);
        let normal = (c.make)(&own, actor);
        // Another tenant's ids, and — for Northwind's routes — the other
        // partner's people inside Acme, the client both manage.
        let mut swaps: Vec<(&str, &Ids, bool)> = INNER.iter().map(|f| (*f, &other, false)).collect();
        if c.scope == Scope::Partner && own.account == w.nw {
            swaps.extend(PEOPLE.iter().map(|f| (*f, &t.contoso, true)));
        }
        for (field, from, contoso) in swaps {
            let swapped = own.with_inner(field, from);
            let (path, body) = (c.make)(&swapped, actor);
            if (path.clone(), body.clone()) == normal {
                continue; // the case does not use this id
            }
            swept += 1;
            if contoso {
                shared += 1;
            }
            routes.insert(c.route_name());
            let before = stored(&app.state.db).await;
            let res = request(&app, c.method.clone(), &path, body.as_ref(), who.get(&actor), Presenting::OwnPage).await;
            let after = stored(&app.state.db).await;
            if res.status != StatusCode::NOT_FOUND {
                unexpected.push(format!(
                    "{} as {actor:?} with {field} {} of another tenant: {}",
                    c.name(),
                    if contoso { "(Contoso's, in Acme)" } else { "" },
                    res.status
                ));
            }
            if before != after {
                unexpected.push(format!(
                    "{} with another tenant's {field} wrote: {}",
                    c.name(),
                    difference(&before, &after)
                ));
            }
        }
    }
    println!(
        "IDOR sweep: {swept} requests over {} routes with inner ids, each id from another tenant ({shared} of them \
         the other partner's people inside the client both manage): {} leaks",
        routes.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(routes.len() >= 20, "the sweep covers every route with an inner id");
}

#[tokio::test]
async fn extra_fields_are_refused_with_400_and_never_applied() {
    let (app, x, t) = fresh().await;
    let w = x.w;
    let who = browsers(&app, &x).await;
    let smuggled = [
        ("super_admin", json!(true)),
        ("partner_account_id", json!(w.bb)),
        ("permissions", json!(["billing", "super_admins_manage"])),
    ];
    let mut sent = 0;
    let mut unexpected = vec![];
    for (c, actor) in sweep_cases() {
        let ids = ids_for(&t, &w, c.scope, actor, false);
        let (path, body) = (c.make)(&ids, actor);
        for (field, value) in &smuggled {
            let (path, body) = if c.changes_state() {
                let mut b = body.clone().unwrap_or_else(|| json!({}));
                b[*field] = value.clone();
                (path.clone(), Some(b))
            } else if c.query {
                let sep = if path.contains('?') { '&' } else { '?' };
                (format!("{path}{sep}{field}=1"), None)
            } else {
                continue;
            };
            sent += 1;
            let before = stored(&app.state.db).await;
            let res = request(&app, c.method.clone(), &path, body.as_ref(), who.get(&actor), Presenting::OwnPage).await;
            let after = stored(&app.state.db).await;
            if res.status != StatusCode::BAD_REQUEST {
                unexpected.push(format!("{} with {field}: {} {:?}", c.name(), res.status, res.body));
            }
            if before != after {
                unexpected.push(format!("{} with {field} wrote: {}", c.name(), difference(&before, &after)));
            }
        }
    }
    println!("mass assignment: {sent} requests with smuggled fields: {} applied or accepted", unexpected.len());
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

#[tokio::test]
async fn state_changing_requests_without_token_or_from_another_site_are_403_and_write_nothing() {
    let (app, x, t) = fresh().await;
    let w = x.w;
    let who = browsers(&app, &x).await;
    let mut sent = 0;
    let mut routes = 0;
    let mut unexpected = vec![];
    for (c, actor) in sweep_cases().into_iter().filter(|(c, _)| c.changes_state()) {
        routes += 1;
        let ids = ids_for(&t, &w, c.scope, actor, false);
        let (path, body) = (c.make)(&ids, actor);
        for how in [Presenting::NoToken, Presenting::ForeignOrigin, Presenting::CrossSite] {
            if how == Presenting::NoToken && actor == Actor::Anon {
                continue; // signing in has no session, hence no token yet
            }
            sent += 1;
            let before = stored(&app.state.db).await;
            let res = request(&app, c.method.clone(), &path, body.as_ref(), who.get(&actor), how).await;
            let after = stored(&app.state.db).await;
            if res.status != StatusCode::FORBIDDEN || res.body["error"]["code"] != "csrf" {
                unexpected.push(format!("{} {how:?}: {} {:?}", c.name(), res.status, res.body));
            }
            if before != after {
                unexpected.push(format!("{} {how:?} wrote: {}", c.name(), difference(&before, &after)));
            }
        }
    }
    println!("CSRF: {sent} forged requests over {routes} state-changing routes: {} got through", unexpected.len());
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

/// R20, beyond the status the matrix checks: a passkey's answer with no
/// ceremony begun is refused as `code_invalid` and writes nothing; beginning
/// one answers WebAuthn's creation options.
#[tokio::test]
async fn a_passkey_is_registered_only_through_its_ceremony() {
    let (app, x, _) = fresh().await;
    let carol = session(&app, x.w.carol).await;
    let before = stored(&app.state.db).await;
    let finish = format!("{P}/me/second-factors/passkeys");
    let res =
        request(&app, Method::POST, &finish, Some(&passkey_registration()), Some(&carol), Presenting::OwnPage).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", res.body);
    assert_eq!(res.body["error"]["code"], "code_invalid", "{:?}", res.body);
    assert_eq!(stored(&app.state.db).await, before, "no ceremony, nothing written");
    let start = format!("{P}/me/second-factors/passkeys/start");
    let res = request(&app, Method::POST, &start, None, Some(&carol), Presenting::OwnPage).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert!(res.body["publicKey"].is_object(), "creation options: {:?}", res.body);
}

#[tokio::test]
async fn test_mode_routes_do_not_exist_without_test_mode() {
    let (app, x, _) = fresh().await;
    let carol = session(&app, x.w.carol).await;
    for (method, route) in TEST_MODE_ONLY {
        let body = json!({ "now": null });
        for browser in [None, Some(&carol)] {
            let before = stored(&app.state.db).await;
            let res =
                request(&app, method.clone(), &format!("{P}{route}"), Some(&body), browser, Presenting::OwnPage).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{method} {route}");
            assert_eq!(stored(&app.state.db).await, before);
        }
    }
}
