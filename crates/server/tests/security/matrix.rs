//! The authorization matrix: every API route, taken from
//! the router's own route table, called as each actor against their own
//! tenant and a foreign one. The expected answer of every cell comes from a
//! declarative policy written from SPEC, not from the server's answers:
//! what each route needs ([`Need`], one per route in [`cases`]) and who each
//! actor is ([`facts`], written by hand from SPEC §6 and the few people this
//! test adds). A route added without a case fails
//! [`every_route_has_a_case_and_every_case_a_route`].
//!
//! Every allowed write runs on a fresh app of its own and is followed by a
//! read of the stored state proving its effect ([`Case::effect`], with the
//! permissions expected by [`spec_r3`], the test's own reading of R3). Every
//! refused call runs on one shared app whose every stored row is compared
//! before and after. The same table drives the IDOR sweep (inner ids of
//! another tenant, including the other partner's people in the client both
//! manage: 404, nothing written), the mass-assignment sweep (extra fields:
//! 400, nothing written), the CSRF sweep and the proof that no GET changes
//! state.

use crate::helpers::{Browser, Response, TestApp};
use crate::support::{denials, difference, request, session, spec_r3, stored, Presenting, World};
use axum::http::{Method, StatusCode};
use domain::{Permission, Perms, StandardSet};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    /// Signed out.
    Anon,
    /// Northwind employee without Client Access Manager access (Sales in Acme).
    Cleo,
    /// Northwind, holds *View and edit partner employees*.
    Ben,
    /// Northwind super admin; Partner Admin in Acme, super admin in Globex.
    Ada,
    /// Another partner (Bluebird Apps, an app partner) super admin.
    Bo,
    /// Acme's super admin.
    Carol,
    /// A client user without admin rights (View only in Acme).
    Eve,
    /// The second partner in Acme: Contoso's super admin, Partner Admin in Acme.
    Cody,
    /// A restricted Partner Admin: Northwind, *View and edit partner
    /// employees*; in Acme the Partner Admin set without the two report
    /// permissions (added by this test).
    Pam,
    /// A client user with *Add and edit users* who is not a super admin
    /// (View only plus Add and edit users in Acme; added by this test).
    Una,
}

const ACTORS: [Actor; 10] = [
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
];

impl Actor {
    fn user(self, w: &Extra) -> Option<i64> {
        match self {
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
        }
    }

    fn email(self) -> &'static str {
        match self {
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

/// A membership as SPEC §6 describes it.
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

/// Who an actor is, written by hand from SPEC §6 and this test's additions.
#[derive(Debug, Clone, Copy)]
struct Facts {
    /// Their partner account, if any, and whether R1 lets them open Client
    /// Access Manager there.
    partner: Option<(Partner, bool)>,
    /// Their membership of their partner tenant's client (Northwind and
    /// Contoso: Acme; Bluebird: Wonka).
    in_client: Option<Role>,
    /// Their membership of their partner tenant's migration client
    /// (Northwind: Globex; Bluebird: Wonka; Contoso: Acme).
    in_sa_client: Option<Role>,
    /// Their membership of Acme, the customer tenant.
    in_acme: Option<Role>,
}

fn facts(a: Actor) -> Facts {
    use Partner::*;
    let none = Facts { partner: None, in_client: None, in_sa_client: None, in_acme: None };
    let sales = other(StandardSet::Sales);
    let view = other(StandardSet::ViewOnly);
    match a {
        Actor::Anon => none,
        Actor::Cleo => {
            Facts { partner: Some((Northwind, false)), in_client: Some(sales), in_acme: Some(sales), ..none }
        }
        Actor::Ben => Facts { partner: Some((Northwind, true)), ..none },
        Actor::Ada => Facts {
            partner: Some((Northwind, true)),
            in_client: Some(pa()),
            in_sa_client: Some(Role::SuperAdmin),
            in_acme: Some(pa()),
        },
        Actor::Bo => {
            Facts { partner: Some((Bluebird, true)), in_client: Some(sales), in_sa_client: Some(sales), ..none }
        }
        Actor::Carol => Facts { in_acme: Some(Role::SuperAdmin), ..none },
        Actor::Eve => Facts { partner: Some((Northwind, false)), in_client: Some(view), in_acme: Some(view), ..none },
        Actor::Cody => Facts {
            partner: Some((Contoso, true)),
            in_client: Some(pa()),
            in_sa_client: Some(pa()),
            in_acme: Some(pa()),
        },
        Actor::Pam => {
            let restricted = Role::PartnerAdmin(pa_without_reports());
            Facts { partner: Some((Northwind, true)), in_client: Some(restricted), in_acme: Some(restricted), ..none }
        }
        Actor::Una => {
            Facts { in_acme: Some(Role::Other(StandardSet::ViewOnly.perms().with(Permission::UsersEdit))), ..none }
        }
    }
}

/// What the partner tenants' data is, by hand from SPEC §6: whether the
/// migration target (`sa` in `sa_client`) is a partner super admin, and
/// whether the `unlinked` person is a plain, unlinked user of the client.
fn tenant_facts(p: Partner) -> (bool, bool) {
    match p {
        // Ada is a Northwind super admin in Globex; Eve a plain user of Acme.
        Partner::Northwind => (true, true),
        // Bo is on Sales in Wonka, and linked.
        Partner::Bluebird => (false, false),
        // Cody is Partner Admin in Acme; Cora is linked to Contoso there.
        Partner::Contoso => (false, false),
    }
}

/// What a route needs, in SPEC's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anybody, signed in or not.
    Anyone,
    /// A session (the signed-in user's own data).
    SignedIn,
    /// R1 in the partner account.
    Cam,
    /// R1, and a partner whose programme may have Partner Admins (SPEC §4).
    CamLinks,
    /// R1, and R2 for the action in the client: adding, changing sets and
    /// reactivating need the actor to be a Partner Admin there.
    CamInClient { needs_partner_admin: bool },
    /// R1, then R9: the target themself, a super admin of the client, or a
    /// Partner Admin of the same partner there; the target must be a partner
    /// super admin (else 422).
    CamMigrate,
    /// R1, then R5: only a plain user of the client can be linked (else 409).
    CamLink,
    /// A member of the customer account.
    Member,
    /// R11: a super admin or a holder of *Add and edit users*.
    ManageUsers,
    /// R11, then R9 client side: a super admin, or a Partner Admin of the
    /// same partner as the target (Dan, a Northwind super admin in Acme).
    ManageUsersMigrate,
    /// R12: holds this permission (super admins hold all).
    Holds(Permission),
    /// SPEC §4: a super admin or holder of *Add and edit users* of the account approves.
    Approve,
    /// R16 (and R14 client side): R11, and within R3 — a super admin, or a
    /// holder of *Add and edit users* who holds every permission the
    /// partner's people there hold (these).
    ControlPartner(Perms),
    /// R16 resume: as [`Need::ControlPartner`], but the suspended partner's
    /// own people (Cody, of Contoso) are deactivated there meanwhile.
    ResumePartner(Perms),
}

/// The answer SPEC gives `a` for `need` in their own tenant, with `ok` the
/// route's success status.
fn policy(need: Need, a: Actor, ok: u16) -> u16 {
    let f = facts(a);
    if a == Actor::Anon {
        return if need == Need::Anyone { ok } else { 401 };
    }
    let cam = || match f.partner {
        None => Err(404),
        Some((_, false)) => Err(403),
        Some((p, true)) => Ok(p),
    };
    let customer = |allowed: &dyn Fn(Role) -> bool| match f.in_acme {
        None => 404,
        Some(r) if allowed(r) => ok,
        Some(_) => 403,
    };
    let answer = match need {
        Need::Anyone | Need::SignedIn => Ok(ok),
        Need::Cam => cam().map(|_| ok),
        Need::CamLinks => cam().and_then(|p| if p == Partner::Bluebird { Err(403) } else { Ok(ok) }),
        Need::CamInClient { needs_partner_admin } => cam().and_then(|_| {
            let pa_there = matches!(f.in_client, Some(Role::PartnerAdmin(_)));
            if needs_partner_admin && !pa_there {
                Err(403)
            } else {
                Ok(ok)
            }
        }),
        Need::CamMigrate => cam().and_then(|p| {
            // The target is the actor themself where the tenant's `sa` is them.
            let themself = matches!((a, p), (Actor::Ada, _) | (Actor::Bo, _) | (Actor::Cody, _));
            let allowed = themself || matches!(f.in_sa_client, Some(Role::SuperAdmin | Role::PartnerAdmin(_)));
            let (target_is_super_admin, _) = tenant_facts(p);
            if !allowed {
                Err(403)
            } else if !target_is_super_admin {
                Err(422)
            } else {
                Ok(ok)
            }
        }),
        Need::CamLink => cam().and_then(|p| if tenant_facts(p).1 { Ok(ok) } else { Err(409) }),
        Need::Member => Ok(customer(&|_| true)),
        Need::ManageUsers | Need::Approve => Ok(customer(&Role::manages_users)),
        Need::ManageUsersMigrate => Ok(match f.in_acme {
            None => 404,
            Some(r) if !r.manages_users() => 403,
            Some(Role::SuperAdmin) => ok,
            // Dan is Northwind's: only Northwind's Partner Admins qualify.
            Some(Role::PartnerAdmin(_)) if f.partner.is_some_and(|(p, _)| p == Partner::Northwind) => ok,
            Some(_) => 403,
        }),
        Need::Holds(p) => Ok(customer(&|r| r.holds().contains(p))),
        Need::ControlPartner(theirs) => {
            Ok(customer(&|r| r.manages_users() && (r == Role::SuperAdmin || theirs.is_subset(r.holds()))))
        }
        Need::ResumePartner(_) if f.partner.is_some_and(|(p, _)| p == Partner::Contoso) => Err(403),
        Need::ResumePartner(theirs) => {
            Ok(customer(&|r| r.manages_users() && (r == Role::SuperAdmin || theirs.is_subset(r.holds()))))
        }
    };
    answer.unwrap_or_else(|code| code)
}

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
    /// Partner scope: a partner employee who is a plain, unlinked user of `client`.
    unlinked: i64,
    /// Partner scope: a partner employee not yet in `client`.
    newcomer: i64,
    /// Partner scope: a client where `sa` is a partner super admin.
    sa_client: i64,
    sa: i64,
    /// Customer scope: a member who is not a super admin.
    member: i64,
    /// Customer scope: a partner super admin (made so by [`Prep::PartnerSuperAdmin`]).
    super_admin: i64,
    /// Customer scope: an asset of the account.
    asset: i64,
    /// Customer scope: a partner with people in the account (Contoso in Acme).
    partner: i64,
    /// Customer scope: one of that partner's people there (Cora, on Sales).
    partner_person: i64,
    /// A live access-link token (Dan's, of Northwind).
    token: String,
    /// Partner scope: a finished bulk job of the partner (R17).
    job: i64,
}

/// The inner ids the IDOR sweep swaps, by name.
const INNER: [&str; 12] = [
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
            "job" => out.job = from.job,
            _ => out.asset = from.asset,
        }
        out
    }
}

/// What must be true before a cell that changes state, on its fresh app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prep {
    None,
    /// The partner `employee` is deactivated in `client`.
    EmployeeDeactivated,
    /// The customer `member` is deactivated.
    MemberDeactivated,
    /// Dan is a Northwind super admin in Acme (a migration candidate).
    PartnerSuperAdmin,
    /// Acme suspends Contoso (R16).
    PartnerSuspended,
}

/// A read of the stored state after an allowed write.
#[derive(Debug, Clone)]
enum Check {
    /// One value, as text (`-` for no row or NULL), must equal `want`.
    Value { sql: String, want: String },
    /// The permissions a membership holds, read back from its row.
    Perms { account: i64, user: i64, want: Perms },
}

fn value(sql: String, want: impl ToString) -> Check {
    Check::Value { sql, want: want.to_string() }
}

/// `SELECT <column> FROM memberships` of one membership.
fn membership(column: &str, account: i64, user: i64, want: impl ToString) -> Check {
    value(format!("SELECT {column} FROM memberships WHERE account_id = {account} AND user_id = {user}"), want)
}

/// The tenant's newcomer was not added to its client: still absent, or
/// (Bluebird, whose only person is already in Wonka on Sales) unchanged.
fn not_added(i: &Ids) -> Check {
    if i.newcomer == i.employee {
        membership("permission_set", i.client, i.newcomer, "sales")
    } else {
        gone(i.client, i.newcomer)
    }
}

fn gone(account: i64, user: i64) -> Check {
    value(format!("SELECT COUNT(*) FROM memberships WHERE account_id = {account} AND user_id = {user}"), 0)
}

/// What an actor holds where the effect happens: their own tenant's client
/// (partner scope) or Acme (customer scope).
fn held(a: Actor, scope: Scope) -> Perms {
    let f = facts(a);
    let role = if scope == Scope::Partner { f.in_client } else { f.in_acme };
    role.map(Role::holds).unwrap_or_default()
}

/// One route, how to call it, what it needs, and what an allowed call stores.
struct Case {
    method: Method,
    route: &'static str,
    scope: Scope,
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
    need: Need,
    ok: u16,
    make: fn(&Ids, Actor) -> (String, Option<Value>),
) -> Case {
    Case { method, route, scope, make, need, ok, effect: |_, _| vec![], prep: Prep::None, query: false }
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

    fn expected(&self, actor: Actor) -> u16 {
        policy(self.need, actor, self.ok)
    }

    fn changes_state(&self) -> bool {
        self.method != Method::GET
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

const P: &str = "/api/v1";

/// An end date 30 days ahead, whole days (R14), the same all through a run.
fn end_at() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    (now / domain::time::DAY + 31) * domain::time::DAY
}

/// Every route of `api(false)`: what to send, what SPEC says it needs, and
/// what an allowed call stores. Codes: 2xx allowed; 401 signed out; 403 a
/// rule refuses (R1, R2, R9, R11, R12, SPEC §4); 404 not theirs; 409/422
/// allowed in, but the action's own rule refuses it for that data.
fn cases() -> Vec<Case> {
    use Method as M;
    use Need::*;
    use Scope::*;
    let pa_client = CamInClient { needs_partner_admin: true };
    // R16: Contoso's people in Acme are Cody (Partner Admin) and Cora (Sales).
    let contoso = ControlPartner(StandardSet::PartnerAdmin.perms().union(StandardSet::Sales.perms()));
    let cora = ControlPartner(StandardSet::Sales.perms());
    let resume = ResumePartner(StandardSet::PartnerAdmin.perms().union(StandardSet::Sales.perms()));
    let any_cam = CamInClient { needs_partner_admin: false };
    vec![
        case(M::GET, "/health", None, Anyone, 200, |_, _| (format!("{P}/health"), Option::None)),
        case(M::GET, "/session", None, SignedIn, 200, |_, _| (format!("{P}/session"), Option::None)),
        case(M::POST, "/session", None, Anyone, 200, |_, a| {
            (format!("{P}/session"), Some(json!({ "email": a.email(), "password": server::seed::DEMO_PASSWORD })))
        })
        .effect(|_, a| {
            vec![value(
                format!("SELECT COUNT(*) > 0 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}'", a.email()),
                1,
            )]
        }),
        case(M::DELETE, "/session", None, SignedIn, 204, |_, _| (format!("{P}/session"), Option::None)).effect(|_, a| {
            vec![value(
                format!("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '{}'", a.email()),
                0,
            )]
        }),
        case(M::PUT, "/session/account", Session, SignedIn, 200, |i, _| {
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
        case(M::PUT, "/session/language", None, SignedIn, 200, |_, _| {
            (format!("{P}/session/language"), Some(json!({ "language": "fi" })))
        })
        .effect(|_, a| vec![value(format!("SELECT language = 'fi' FROM users WHERE email = '{}'", a.email()), 1)]),
        case(M::GET, "/notifications", None, SignedIn, 200, |_, _| (format!("{P}/notifications"), Option::None)),
        case(M::POST, "/notifications/read", None, SignedIn, 204, |_, _| {
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
        case(M::GET, "/access-links/{token}", None, Anyone, 200, |i, _| {
            (format!("{P}/access-links/{}", i.token), Option::None)
        }),
        case(M::GET, "/access-links/{token}/accounts", None, SignedIn, 200, |i, _| {
            (format!("{P}/access-links/{}/accounts", i.token), Option::None)
        }),
        // Dan's link into Acme: the new Partner Admin gets the set bounded by
        // what the approver holds there (R3 on the approval path).
        case(M::POST, "/access-links/{token}/approve", Customer, Approve, 200, |i, _| {
            (format!("{P}/access-links/{}/approve", i.token), Some(json!({ "account_id": i.account })))
        })
        .effect(|i, a| {
            let want = spec_r3(held(a, Scope::Customer), StandardSet::PartnerAdmin.perms(), Perms::EMPTY);
            vec![
                Check::Perms { account: i.account, user: i.newcomer_in_customer(), want },
                membership("permission_set", i.account, i.newcomer_in_customer(), "partner_admin"),
                membership("seat", i.account, i.newcomer_in_customer(), "partner"),
            ]
        }),
        // Client Access Manager (partner accounts): R1, then R2 in the client.
        case(M::GET, "/accounts/{account_id}/cam/clients", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/clients", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/clients/{client_id}", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/clients/{}", i.account, i.client), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/cam/employees", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/employees/{user_id}", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}", i.account, i.employee), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/cam/employees/{user_id}/access-link", Partner, CamLinks, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}/access-link", i.account, i.employee), Option::None)
        })
        .effect(|i, _| vec![live_links(i, 1)]),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate",
            Partner,
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
        case(M::POST, "/accounts/{account_id}/cam/clients/{client_id}/employees", Partner, pa_client, 200, |i, _| {
            (
                format!("{P}/accounts/{}/cam/clients/{}/employees", i.account, i.client),
                Some(json!({ "user_ids": [i.newcomer], "permission_set": "sales" })),
            )
        })
        .effect(|i, a| {
            let want = spec_r3(held(a, Scope::Partner), StandardSet::Sales.perms(), Perms::EMPTY);
            vec![
                Check::Perms { account: i.client, user: i.newcomer, want },
                membership("partner_account_id", i.client, i.newcomer, i.account),
                membership("seat", i.client, i.newcomer, "partner"),
            ]
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/permission-set",
            Partner,
            pa_client,
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
            // The employee is on Sales (Cleo for Northwind, Cora for Contoso).
            let want = spec_r3(held(a, Scope::Partner), StandardSet::ViewOnly.perms(), StandardSet::Sales.perms());
            vec![Check::Perms { account: i.client, user: i.employee, want }]
        }),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/deactivate",
            Partner,
            any_cam,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/deactivate", i.account, i.client, i.employee),
                    Option::None,
                )
            },
        )
        .effect(|i, _| vec![membership("status", i.client, i.employee, "deactivated")]),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/reactivate",
            Partner,
            pa_client,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/reactivate", i.account, i.client, i.employee),
                    Option::None,
                )
            },
        )
        .prep(Prep::EmployeeDeactivated)
        .effect(|i, _| vec![membership("status", i.client, i.employee, "active")]),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/end-date",
            Partner,
            pa_client,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/end-date", i.account, i.client, i.employee),
                    Some(json!({ "ends_at": end_at() })),
                )
            },
        )
        .effect(|i, _| vec![membership("ends_at", i.client, i.employee, end_at())]),
        case(M::POST, "/accounts/{account_id}/cam/clients/{client_id}/remove-employees", Partner, any_cam, 204, |i, _| {
            (
                format!("{P}/accounts/{}/cam/clients/{}/remove-employees", i.account, i.client),
                Some(json!({ "user_ids": [i.employee] })),
            )
        })
        .effect(|i, _| vec![gone(i.client, i.employee)]),
        case(M::POST, "/accounts/{account_id}/cam/clients/{client_id}/migrate", Partner, CamMigrate, 204, |i, _| {
            (
                format!("{P}/accounts/{}/cam/clients/{}/migrate", i.account, i.sa_client),
                Some(json!({ "user_id": i.sa, "keep_billing": false })),
            )
        })
        .effect(|i, _| {
            // Ada migrates herself in Globex: she holds everything there.
            let want = spec_r3(Perms::all(), StandardSet::PartnerAdmin.perms(), Perms::all());
            vec![Check::Perms { account: i.sa_client, user: i.sa, want }, membership("super_admin", i.sa_client, i.sa, 0)]
        }),
        case(M::GET, "/accounts/{account_id}/cam/employees/{user_id}/clients", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/employees/{}/clients", i.account, i.employee), Option::None)
        }),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients",
            Partner,
            any_cam,
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/remove-from-clients", i.account, i.employee),
                    Some(json!({ "client_ids": [i.client] })),
                )
            },
        )
        .effect(|i, _| vec![gone(i.client, i.employee)]),
        case(M::POST, "/accounts/{account_id}/cam/employees/{user_id}/link", Partner, CamLink, 204, |i, _| {
            (
                format!("{P}/accounts/{}/cam/employees/{}/link", i.account, i.unlinked),
                Some(json!({ "client_id": i.client })),
            )
        })
        .effect(|i, _| vec![membership("partner_account_id", i.client, i.unlinked, i.account)]),
        case(M::GET, "/accounts/{account_id}/history", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
        // Users & Teams (customer accounts): R11, R12, R9 client side.
        case(M::GET, "/accounts/{account_id}/users", Customer, ManageUsers, 200, |i, _| {
            (format!("{P}/accounts/{}/users", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/users/candidate", Customer, ManageUsers, 200, |i, _| {
            (
                format!("{P}/accounts/{}/users/candidate?email=new.person%40acme.example&seat=core", i.account),
                Option::None,
            )
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/users", Customer, ManageUsers, 201, |i, _| {
            (
                format!("{P}/accounts/{}/users", i.account),
                Some(json!({ "email": "new.person@acme.example", "name": "New Person", "seat": "core", "template": "sales" })),
            )
        })
        .effect(|i, a| {
            let want = spec_r3(held(a, Scope::Customer), StandardSet::Sales.perms(), Perms::EMPTY);
            let user = "(SELECT id FROM users WHERE email = 'new.person@acme.example')";
            vec![
                value(format!("SELECT COUNT(*) FROM memberships WHERE account_id = {} AND user_id = {user}", i.account), 1),
                Check::Perms { account: i.account, user: -1, want },
            ]
        }),
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/end-date", Customer, cora, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/end-date", i.account, i.partner_person), Some(json!({ "ends_at": end_at() })))
        })
        .effect(|i, _| vec![membership("ends_at", i.account, i.partner_person, end_at())]),
        // R17: the Access review, bulk work and coverage need R1 only; each
        // row or client of a job is then decided by the single action's rule.
        case(M::GET, "/accounts/{account_id}/cam/review", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/review", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/review.csv", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/review.csv", i.account), Option::None)
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/cam/review/preview", Partner, Cam, 200, |i, _| {
            let rows = json!([{ "client_id": i.client, "user_id": i.employee }]);
            (
                format!("{P}/accounts/{}/cam/review/preview", i.account),
                Some(json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } })),
            )
        })
        // A review step writes nothing.
        .effect(|i, _| vec![membership("status", i.client, i.employee, "active")]),
        // R2: anyone who may open Client Access Manager may deactivate.
        case(M::POST, "/accounts/{account_id}/cam/review/jobs", Partner, Cam, 202, |i, _| {
            let rows = json!([{ "client_id": i.client, "user_id": i.employee }]);
            (
                format!("{P}/accounts/{}/cam/review/jobs", i.account),
                Some(json!({ "action": "deactivate", "selection": { "by": "rows", "rows": rows } })),
            )
        })
        .effect(|i, _| vec![membership("status", i.client, i.employee, "deactivated")]),
        case(M::POST, "/accounts/{account_id}/cam/employees/{user_id}/clients/preview", Partner, Cam, 200, |i, _| {
            (
                format!("{P}/accounts/{}/cam/employees/{}/clients/preview", i.account, i.newcomer),
                Some(json!({ "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": [i.client] } })),
            )
        })
        .effect(|i, _| vec![not_added(i)]),
        // R2 per client: only a Partner Admin there adds (R3 bounds the grant);
        // for anyone else the job reports the client refused and adds nobody.
        case(M::POST, "/accounts/{account_id}/cam/employees/{user_id}/clients/jobs", Partner, Cam, 202, |i, _| {
            (
                format!("{P}/accounts/{}/cam/employees/{}/clients/jobs", i.account, i.newcomer),
                Some(json!({ "action": "add", "permission_set": "sales", "selection": { "by": "clients", "ids": [i.client] } })),
            )
        })
        .effect(|i, a| {
            if matches!(facts(a).in_client, Some(Role::PartnerAdmin(_))) {
                let want = spec_r3(held(a, Scope::Partner), StandardSet::Sales.perms(), Perms::EMPTY);
                vec![Check::Perms { account: i.client, user: i.newcomer, want }]
            } else {
                vec![not_added(i)]
            }
        }),
        case(M::GET, "/accounts/{account_id}/cam/jobs", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/jobs", i.account), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/cam/jobs/{job_id}", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/jobs/{}", i.account, i.job), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/cam/coverage", Partner, Cam, 200, |i, _| {
            (format!("{P}/accounts/{}/cam/coverage", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/partner-access", Customer, ManageUsers, 200, |i, _| {
            (format!("{P}/accounts/{}/partner-access", i.account), Option::None)
        }),
        case(M::POST, "/accounts/{account_id}/partner-access/{partner_id}/suspend", Customer, contoso, 200, |i, _| {
            (format!("{P}/accounts/{}/partner-access/{}/suspend", i.account, i.partner), Option::None)
        })
        .effect(|i, _| {
            vec![
                membership("status", i.account, i.partner_person, "deactivated"),
                value(format!("SELECT COUNT(*) FROM partner_suspensions WHERE account_id = {}", i.account), 1),
            ]
        }),
        case(M::POST, "/accounts/{account_id}/partner-access/{partner_id}/resume", Customer, resume, 200, |i, _| {
            (format!("{P}/accounts/{}/partner-access/{}/resume", i.account, i.partner), Option::None)
        })
        .prep(Prep::PartnerSuspended)
        .effect(|i, _| {
            vec![
                membership("status", i.account, i.partner_person, "active"),
                value(format!("SELECT COUNT(*) FROM partner_suspensions WHERE account_id = {}", i.account), 0),
            ]
        }),
        case(M::POST, "/accounts/{account_id}/partner-access/{partner_id}/remove", Customer, contoso, 200, |i, _| {
            (format!("{P}/accounts/{}/partner-access/{}/remove", i.account, i.partner), Option::None)
        })
        .effect(|i, _| vec![gone(i.account, i.partner_person)]),
        case(M::DELETE, "/accounts/{account_id}/users/{user_id}", Customer, ManageUsers, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}", i.account, i.member), Option::None)
        })
        .effect(|i, _| vec![gone(i.account, i.member)]),
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/seat", Customer, ManageUsers, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/seat", i.account, i.member), Some(json!({ "seat": "sales" })))
        })
        .effect(|i, _| vec![membership("seat", i.account, i.member, "sales")]),
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/permissions", Customer, ManageUsers, 200, |i, _| {
            (
                format!("{P}/accounts/{}/users/{}/permissions", i.account, i.member),
                Some(json!({ "permission_set": "sales", "added": ["billing"], "removed": [] })),
            )
        })
        .effect(|i, a| {
            // Eve is on View only; Billing comes only from whoever holds it.
            let asked = StandardSet::Sales.perms().with(Permission::Billing);
            let want = spec_r3(held(a, Scope::Customer), asked, StandardSet::ViewOnly.perms());
            vec![Check::Perms { account: i.account, user: i.member, want }]
        }),
        case(M::POST, "/accounts/{account_id}/users/{user_id}/deactivate", Customer, ManageUsers, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/deactivate", i.account, i.member), Option::None)
        })
        .effect(|i, _| vec![membership("status", i.account, i.member, "deactivated")]),
        case(M::POST, "/accounts/{account_id}/users/{user_id}/reactivate", Customer, ManageUsers, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/reactivate", i.account, i.member), Option::None)
        })
        .prep(Prep::MemberDeactivated)
        .effect(|i, _| vec![membership("status", i.account, i.member, "active")]),
        case(M::POST, "/accounts/{account_id}/users/{user_id}/migrate", Customer, ManageUsersMigrate, 204, |i, _| {
            (format!("{P}/accounts/{}/users/{}/migrate", i.account, i.super_admin), Some(json!({ "keep_billing": true })))
        })
        .prep(Prep::PartnerSuperAdmin)
        .effect(|i, a| {
            let asked = StandardSet::PartnerAdmin.perms().with(Permission::Billing);
            let want = spec_r3(held(a, Scope::Customer), asked, Perms::all());
            vec![
                Check::Perms { account: i.account, user: i.super_admin, want },
                membership("super_admin", i.account, i.super_admin, 0),
            ]
        }),
        case(M::GET, "/accounts/{account_id}/settings/billing", Customer, Holds(Permission::Billing), 200, |i, _| {
            (format!("{P}/accounts/{}/settings/billing", i.account), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/settings/billing", Customer, Holds(Permission::Billing), 200, |i, _| {
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
            Holds(Permission::SuperAdminsManage),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/super-admins", i.account), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/settings/super-admins",
            Customer,
            Holds(Permission::SuperAdminsManage),
            204,
            |i, _| (format!("{P}/accounts/{}/settings/super-admins", i.account), Some(json!({ "user_id": i.member }))),
        )
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
            Holds(Permission::SuperAdminsManage),
            204,
            |i, _| (format!("{P}/accounts/{}/settings/super-admins/{}", i.account, i.super_admin), Option::None),
        )
        .prep(Prep::PartnerSuperAdmin)
        .effect(|i, _| vec![membership("super_admin", i.account, i.super_admin, 0)]),
        case(
            M::GET,
            "/accounts/{account_id}/settings/scim",
            Customer,
            Holds(Permission::ScimProvisioning),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/scim", i.account), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/settings/scim",
            Customer,
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
            Holds(Permission::DataCentreMigration),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/data-centre", i.account), Option::None),
        ),
        case(
            M::PUT,
            "/accounts/{account_id}/settings/data-centre",
            Customer,
            Holds(Permission::DataCentreMigration),
            200,
            |i, _| (format!("{P}/accounts/{}/settings/data-centre", i.account), Some(json!({ "data_centre": "us" }))),
        )
        .effect(|i, _| vec![setting("data_centre", i, "us")]),
        case(M::GET, "/accounts/{account_id}/assets", Customer, Member, 200, |i, _| {
            (format!("{P}/accounts/{}/assets", i.account), Option::None)
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/assets", Customer, Holds(Permission::ContactsEdit), 201, |i, _| {
            (
                format!("{P}/accounts/{}/assets", i.account),
                Some(json!({ "kind": "contact", "name": "Matrix contact", "owner_id": i.member })),
            )
        })
        .effect(|i, _| {
            vec![value(
                format!(
                    "SELECT owner_user_id FROM assets WHERE account_id = {} AND name = 'Matrix contact' AND kind = 'contact'",
                    i.account
                ),
                i.member,
            )]
        }),
        case(
            M::PATCH,
            "/accounts/{account_id}/assets/{asset_id}",
            Customer,
            Holds(Permission::ContactsEdit),
            204,
            |i, _| {
                (
                    format!("{P}/accounts/{}/assets/{}", i.account, i.asset),
                    Some(json!({ "name": "Renamed contact", "owner_id": i.member })),
                )
            },
        )
        .effect(|i, _| vec![value(format!("SELECT name || '/' || owner_user_id FROM assets WHERE id = {}", i.asset), format!("Renamed contact/{}", i.member))]),
        case(M::GET, "/accounts/{account_id}/history", Customer, ManageUsers, 200, |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Customer, ManageUsers, 200, |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
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

fn setting(column: &str, i: &Ids, want: &str) -> Check {
    value(format!("SELECT {column} FROM account_settings WHERE account_id = {}", i.account), want)
}

impl Ids {
    /// Customer scope: Dan, whose link the approval case uses (not yet in Acme).
    fn newcomer_in_customer(&self) -> i64 {
        self.newcomer
    }
}

/// Routes only a server in test mode has; without it they are 404 for all.
const TEST_MODE_ONLY: [(Method, &str); 2] = [(Method::POST, "/test/reset"), (Method::PUT, "/test/clock")];

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
}

/// The tenants of the demo world.
struct Tenants {
    nw: Ids,
    bb: Ids,
    contoso: Ids,
    acme: Ids,
    umbrella: Ids,
}

/// Adds Pam, Una and Cole (see [`Extra`]) to a fresh demo world.
async fn extra(app: &TestApp, w: World) -> Extra {
    use domain::{Membership, Seat};
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
    Extra { w, pam, una, cole }
}

async fn tenants(app: &TestApp, x: &Extra) -> Tenants {
    let w = &x.w;
    let token = dan_link(app, w).await;
    let umbrella_asset = umbrella_asset(app, w).await;
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
        token,
        job: 0,
    };
    Tenants {
        nw: Ids {
            account: w.nw,
            client: w.acme,
            employee: w.cleo,
            unlinked: w.eve,
            newcomer: w.dan,
            sa_client: w.globex,
            sa: w.ada,
            job: finished_job(app, w.nw).await,
            ..base.clone()
        },
        bb: Ids {
            account: w.bb,
            client: w.wonka,
            employee: w.bo,
            unlinked: w.bo,
            newcomer: w.bo,
            sa_client: w.wonka,
            sa: w.bo,
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
            job: finished_job(app, w.contoso).await,
            ..base.clone()
        },
        acme: Ids {
            account: w.acme,
            member: w.eve,
            super_admin: w.dan,
            asset: w.acme_contact,
            newcomer: w.dan,
            partner: w.contoso,
            partner_person: w.cora,
            ..base.clone()
        },
        umbrella: Ids {
            account: w.umbrella,
            member: w.uma,
            super_admin: w.uma,
            asset: umbrella_asset,
            partner: w.bb,
            partner_person: w.uma,
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

/// An asset of Umbrella Health, for the IDOR sweep.
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
    let id = server::db::bulk::create_job(&app.state.db, &job).await.unwrap();
    server::db::bulk::finish_job(&app.state.db, id, domain::api::JobState::Done, None, 0, 0).await.unwrap();
    id
}

async fn umbrella_asset(app: &TestApp, w: &World) -> i64 {
    let mut conn = app.state.db.acquire().await.unwrap();
    server::db::assets::insert(&mut conn, w.umbrella, domain::AssetKind::Contact, "Umbrella contact", Some(w.uma), 0)
        .await
        .unwrap()
}

/// The actor's own tenant and a foreign one, for a scope.
fn own_and_foreign(t: &Tenants, scope: Scope, actor: Actor) -> (&Ids, Option<&Ids>) {
    match (scope, actor) {
        (Scope::None, _) => (&t.nw, None),
        (Scope::Partner, Actor::Bo) => (&t.bb, Some(&t.nw)),
        (Scope::Partner, Actor::Cody) => (&t.contoso, Some(&t.nw)),
        (Scope::Partner, _) => (&t.nw, Some(&t.bb)),
        (Scope::Customer, _) => (&t.acme, Some(&t.umbrella)),
        // Every actor's first account is their own; Umbrella Health is nobody's here.
        (Scope::Session, _) => (&t.acme, Some(&t.umbrella)),
    }
}

/// The actor's own account for `PUT /session/account`: one they belong to.
fn own_session_account(w: &World, actor: Actor) -> i64 {
    match actor {
        Actor::Bo => w.bb,
        Actor::Ben => w.nw,
        _ => w.acme,
    }
}

fn ids_for(t: &Tenants, w: &World, scope: Scope, actor: Actor, foreign: bool) -> Ids {
    let (own, other) = own_and_foreign(t, scope, actor);
    let mut ids = if foreign { other.cloned().unwrap() } else { own.clone() };
    if scope == Scope::Session && !foreign {
        ids.account = own_session_account(w, actor);
    }
    ids
}

async fn prepare(app: &TestApp, w: &World, prep: Prep, ids: &Ids) {
    let db = &app.state.db;
    match prep {
        Prep::None => {}
        Prep::EmployeeDeactivated => {
            sqlx::query("UPDATE memberships SET status = 'deactivated' WHERE account_id = $1 AND user_id = $2")
                .bind(ids.client)
                .bind(ids.employee)
                .execute(db)
                .await
                .unwrap();
        }
        Prep::MemberDeactivated => {
            sqlx::query("UPDATE memberships SET status = 'deactivated' WHERE account_id = $1 AND user_id = $2")
                .bind(ids.account)
                .bind(ids.member)
                .execute(db)
                .await
                .unwrap();
        }
        Prep::PartnerSuperAdmin => {
            let mut m = domain::Membership::super_admin();
            m.partner_account_id = Some(w.nw);
            m.seat = domain::Seat::Partner;
            let mut conn = db.acquire().await.unwrap();
            server::seed::provision(&mut conn, w.acme, w.dan, &m, None, 0).await.unwrap();
        }
        Prep::PartnerSuspended => {
            let mut conn = db.acquire().await.unwrap();
            server::db::ending::suspend(&mut conn, ids.account, ids.partner, w.carol, 0).await.unwrap();
        }
    }
}

/// A fresh app with the matrix's extra data: Pam, Una, Cole, Dan's link and
/// Umbrella's asset.
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

/// [`verify`], waiting up to two seconds for it to hold: a bulk job
/// (R17) answers 202 and writes its rows just after.
async fn verify_soon(app: &TestApp, check: &Check) -> Option<String> {
    let mut wrong = None;
    for _ in 0..100 {
        wrong = verify(app, check).await;
        if wrong.is_none() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    wrong
}

/// Reads a check back from the stored state; `None` when it holds.
async fn verify(app: &TestApp, check: &Check) -> Option<String> {
    let db = &app.state.db;
    match check {
        Check::Value { sql, want } => {
            let got: Option<String> = sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS TEXT)"))
                .fetch_one(db)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
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
                sqlx::query_scalar("SELECT id FROM users WHERE email = 'new.person@acme.example'")
                    .fetch_one(db)
                    .await
                    .unwrap()
            } else {
                *user
            };
            let got = match server::db::memberships::find(db, *account, user).await.unwrap() {
                Some(row) => stored_permissions(&row),
                None => return Some(format!("no membership of {user} in {account}")),
            };
            (got != *want).then(|| {
                format!("membership {user} in {account} holds {:?}, expected {:?}", got.to_keys(), want.to_keys())
            })
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

#[test]
fn every_route_has_a_case_and_every_case_a_route() {
    let routes: BTreeSet<(String, String)> =
        server::routes::api(false).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let declared: BTreeSet<(String, String)> =
        cases().iter().map(|c| (c.method.to_string(), c.route.to_string())).collect();
    let missing: Vec<_> = routes.difference(&declared).collect();
    let stale: Vec<_> = declared.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without a matrix case (declare what each route needs): {missing:?}");
    assert!(stale.is_empty(), "matrix cases without a route: {stale:?}");
    let test_mode: BTreeSet<(String, String)> =
        server::routes::api(true).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let extra: BTreeSet<(String, String)> = test_mode.difference(&routes).cloned().collect();
    let expected: BTreeSet<(String, String)> =
        TEST_MODE_ONLY.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(extra, expected, "only the test routes are added by test mode");
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
                token: "t".into(),
                job: 13,
            };
            (c.effect)(&ids, Actor::Carol).is_empty()
        })
        .map(Case::name)
        .collect();
    assert!(blind.is_empty(), "state-changing cases without a read-back of their effect: {blind:?}");
}

#[test]
fn the_policy_sets_restricted_actors_apart() {
    // A few cells of the policy table, by hand, so that the table itself is
    // checked against SPEC's words.
    let adds = cases().into_iter().find(|c| c.route.ends_with("/cam/clients/{client_id}/employees")).unwrap();
    assert_eq!(adds.expected(Actor::Pam), 200, "a restricted Partner Admin still adds, bounded by R3");
    assert_eq!(adds.expected(Actor::Ben), 403, "R2: not a Partner Admin in the client");
    let billing = cases().into_iter().find(|c| c.route.ends_with("/settings/billing")).unwrap();
    assert_eq!(billing.expected(Actor::Una), 403);
    assert_eq!(billing.expected(Actor::Carol), 200);
    let migrate = cases().into_iter().find(|c| c.route.ends_with("/users/{user_id}/migrate")).unwrap();
    assert_eq!(migrate.expected(Actor::Cody), 403, "R9: another partner's Partner Admin");
    assert_eq!(migrate.expected(Actor::Pam), 204, "R9: a Partner Admin of the same partner");
}

#[tokio::test]
async fn the_authorization_matrix_holds_cell_by_cell_and_refusals_write_nothing() {
    let (shared, x, t) = fresh().await;
    let w = x.w;
    let who = browsers(&shared, &x).await;
    let mut cells = 0;
    let mut fresh_apps = 0;
    let mut read_backs = 0;
    let mut unexpected = vec![];
    let mut gets = 0;
    let mut denied = 0;
    for c in cases() {
        for actor in ACTORS {
            for foreign in [false, true] {
                if foreign && c.scope == Scope::None {
                    continue;
                }
                let ids = ids_for(&t, &w, c.scope, actor, foreign);
                let (path, body) = (c.make)(&ids, actor);
                assert_fits(c.route, &path);
                let want = match (foreign, actor) {
                    (false, _) => c.expected(actor),
                    (true, Actor::Anon) => 401,
                    (true, _) => 404,
                };
                cells += 1;
                let got = if c.changes_state() && is_ok(want) {
                    // Allowed to change state: on a fresh app, after its
                    // preparation, and its effect read back afterwards.
                    fresh_apps += 1;
                    let (app, x2, t2) = fresh().await;
                    let ids = ids_for(&t2, &x2.w, c.scope, actor, foreign);
                    prepare(&app, &x2.w, c.prep, &ids).await;
                    let (path, body) = (c.make)(&ids, actor);
                    let browser = match actor.user(&x2) {
                        Some(uid) => Some(session(&app, uid).await),
                        None => None,
                    };
                    let res =
                        request(&app, c.method.clone(), &path, body.as_ref(), browser.as_ref(), Presenting::OwnPage)
                            .await;
                    if is_ok(res.status.as_u16()) {
                        for check in (c.effect)(&ids, actor) {
                            read_backs += 1;
                            if let Some(wrong) = verify_soon(&app, &check).await {
                                unexpected.push(format!("{} as {actor:?}: effect not stored: {wrong}", c.name()));
                            }
                        }
                    }
                    res.status.as_u16()
                } else {
                    // Refused (or a read): on the shared app, or — where the
                    // case needs a preparation — on a fresh prepared one;
                    // either way every stored row is compared.
                    let prepared = if c.prep == Prep::None {
                        None
                    } else {
                        fresh_apps += 1;
                        let (app, x2, t2) = fresh().await;
                        let ids = ids_for(&t2, &x2.w, c.scope, actor, foreign);
                        prepare(&app, &x2.w, c.prep, &ids).await;
                        let browser = match actor.user(&x2) {
                            Some(uid) => Some(session(&app, uid).await),
                            None => None,
                        };
                        Some((app, ids, browser))
                    };
                    let (app, path, body, browser) = match &prepared {
                        Some((app, ids, browser)) => {
                            let (path, body) = (c.make)(ids, actor);
                            (app, path, body, browser.as_ref())
                        }
                        None => (&shared, path, body, who.get(&actor)),
                    };
                    let before = stored(&app.state.db).await;
                    let denials_before = denials(&app.state.db).await;
                    let res = request(app, c.method.clone(), &path, body.as_ref(), browser, Presenting::OwnPage).await;
                    let after = stored(&app.state.db).await;
                    if before != after {
                        unexpected.push(format!(
                            "{} as {actor:?} ({}) wrote: {}",
                            c.name(),
                            if foreign { "foreign" } else { "own" },
                            difference(&before, &after)
                        ));
                    }
                    let logged = denials(&app.state.db).await - denials_before;
                    let should_log = i64::from(res.status == StatusCode::FORBIDDEN && actor != Actor::Anon);
                    if logged != should_log {
                        unexpected.push(format!(
                            "{} as {actor:?}: {logged} denials logged for {}",
                            c.name(),
                            res.status
                        ));
                    }
                    denied += logged;
                    if c.method == Method::GET {
                        gets += 1;
                    }
                    error_body_is_the_api_s(&res, &c, actor, &mut unexpected);
                    res.status.as_u16()
                };
                if got != want {
                    unexpected.push(format!(
                        "{} as {actor:?} in {} tenant: the policy says {want}, got {got}",
                        c.name(),
                        if foreign { "a foreign" } else { "its own" }
                    ));
                }
            }
        }
    }
    println!(
        "authorization matrix: {} routes × {} actors × own/foreign tenants = {cells} cells, expected from the \
         policy table ({fresh_apps} cells on fresh apps, every allowed write read back: {read_backs} checks); \
         {} unexpected cells; {gets} GET calls changed nothing; {denied} denials logged",
        cases().len(),
        ACTORS.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "unexpected cells:\n{}", unexpected.join("\n"));
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
        if res.status == StatusCode::FORBIDDEN && !(message.contains("(R") || message.contains("SPEC §4")) {
            unexpected.push(format!("{} as {actor:?}: 403 that names no rule: {message}", c.name()));
        }
    }
}

/// The actor allowed to change state with a case in their own tenant.
fn allowed_actor(c: &Case) -> Option<Actor> {
    ACTORS.into_iter().find(|a| is_ok(c.expected(*a)))
}

#[tokio::test]
async fn ids_of_another_tenant_in_paths_and_bodies_are_404_and_write_nothing() {
    let (app, x, t) = fresh().await;
    let who = browsers(&app, &x).await;
    let mut swept = 0;
    let mut shared = 0;
    let mut routes = BTreeSet::new();
    let mut unexpected = vec![];
    for c in cases() {
        let Some(actor) = allowed_actor(&c) else { continue };
        if c.scope != Scope::Partner && c.scope != Scope::Customer {
            continue;
        }
        let (own, Some(other)) = own_and_foreign(&t, c.scope, actor) else { continue };
        let normal = (c.make)(own, actor);
        // Another tenant's ids, and — for Northwind's routes — the other
        // partner's people inside Acme, the client both manage.
        let mut swaps: Vec<(&str, &Ids)> = INNER.iter().map(|f| (*f, other)).collect();
        if c.scope == Scope::Partner && own.account == x.w.nw {
            swaps.extend(PEOPLE.iter().map(|f| (*f, &t.contoso)));
        }
        for (field, from) in swaps {
            let swapped = own.with_inner(field, from);
            let (path, body) = (c.make)(&swapped, actor);
            if (path.clone(), body.clone()) == normal {
                continue; // the case does not use this id
            }
            swept += 1;
            if std::ptr::eq(from, &t.contoso) {
                shared += 1;
            }
            routes.insert(c.name());
            let before = stored(&app.state.db).await;
            let res = request(&app, c.method.clone(), &path, body.as_ref(), who.get(&actor), Presenting::OwnPage).await;
            let after = stored(&app.state.db).await;
            if res.status != StatusCode::NOT_FOUND {
                unexpected.push(format!(
                    "{} as {actor:?} with {field} {} of another tenant: {}",
                    c.name(),
                    if std::ptr::eq(from, &t.contoso) { "(Contoso's, in Acme)" } else { "" },
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
    for c in cases() {
        let Some(actor) = allowed_actor(&c) else { continue };
        let (own, _) = own_and_foreign(&t, c.scope, actor);
        let mut ids = own.clone();
        if c.scope == Scope::Session {
            ids.account = own_session_account(&w, actor);
        }
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
    for c in cases().into_iter().filter(Case::changes_state) {
        let Some(actor) = allowed_actor(&c) else { continue };
        routes += 1;
        let mut ids = own_and_foreign(&t, c.scope, actor).0.clone();
        if c.scope == Scope::Session {
            ids.account = own_session_account(&w, actor);
        }
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
