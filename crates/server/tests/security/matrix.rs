//! The authorization matrix (issue 6, items 1, 2, 3, 7 and 10): every API
//! route, taken from the router's own route table, called as each actor
//! against their own tenant and a foreign one, with the expected answer of
//! every cell declared in one table ([`cases`]). A route added without a
//! case fails [`every_route_has_a_case`]. The same table drives the IDOR
//! sweep (inner ids of another tenant: 404, nothing written), the
//! mass-assignment sweep (extra fields: 400, nothing written), the CSRF sweep
//! (no token, foreign Origin, `Sec-Fetch-Site: cross-site`: 403, nothing
//! written) and the proof that no GET changes state.
//!
//! Refused cells run one after another on one shared app, whose every stored
//! row is compared before and after each call; a cell expected to change
//! state runs on a fresh app of its own.

use crate::helpers::{Browser, Response, TestApp};
use crate::support::{denials, difference, request, session, stored, Presenting, World};
use axum::http::{Method, StatusCode};
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
}

const ACTORS: [Actor; 7] = [Actor::Anon, Actor::Cleo, Actor::Ben, Actor::Ada, Actor::Bo, Actor::Carol, Actor::Eve];

impl Actor {
    fn user(self, w: &World) -> Option<i64> {
        match self {
            Actor::Anon => None,
            Actor::Cleo => Some(w.cleo),
            Actor::Ben => Some(w.ben),
            Actor::Ada => Some(w.ada),
            Actor::Bo => Some(w.bo),
            Actor::Carol => Some(w.carol),
            Actor::Eve => Some(w.eve),
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
        }
    }
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
    /// A live access-link token (Dan's, of Northwind).
    token: String,
}

/// The inner ids the IDOR sweep swaps, by name.
const INNER: [&str; 9] =
    ["client", "employee", "unlinked", "newcomer", "sa_client", "sa", "member", "super_admin", "asset"];

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
}

/// One route, how to call it, and what every actor gets in their own tenant.
struct Case {
    method: Method,
    route: &'static str,
    scope: Scope,
    /// The path (with query) and body for a tenant's ids and an actor.
    make: fn(&Ids, Actor) -> (String, Option<Value>),
    /// Expected status per actor, in [`ACTORS`] order, in the actor's own tenant.
    /// In a foreign tenant every signed-in actor gets 404 and the signed-out 401.
    own: &'static str,
    prep: Prep,
    /// The route reads a query string (so unknown query fields are a 400).
    query: bool,
}

fn case(
    method: Method,
    route: &'static str,
    scope: Scope,
    own: &'static str,
    make: fn(&Ids, Actor) -> (String, Option<Value>),
) -> Case {
    Case { method, route, scope, make, own, prep: Prep::None, query: false }
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

    fn expected(&self, actor: Actor) -> u16 {
        let codes: Vec<u16> = self.own.split_whitespace().map(|c| c.parse().unwrap()).collect();
        assert_eq!(codes.len(), ACTORS.len(), "{} {}: one code per actor", self.method, self.route);
        codes[ACTORS.iter().position(|a| *a == actor).unwrap()]
    }

    fn changes_state(&self) -> bool {
        self.method != Method::GET
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

const P: &str = "/api/v1";

/// The declared table: every route of `api(false)`, what to send, and what
/// each actor gets. Codes: 2xx allowed; 401 signed out; 403 a rule refuses
/// (R1, R2, R9, R11, R12, SPEC §4); 404 not theirs; 409/422 allowed in, but the
/// action's own rule refuses it for that actor's data.
fn cases() -> Vec<Case> {
    use Method as M;
    use Scope::*;
    //            actors:        anon cleo ben ada bo carol eve
    vec![
        case(M::GET, "/health", None, "200 200 200 200 200 200 200", |_, _| (format!("{P}/health"), Option::None)),
        case(M::GET, "/session", None, "401 200 200 200 200 200 200", |_, _| (format!("{P}/session"), Option::None)),
        case(M::POST, "/session", None, "200 200 200 200 200 200 200", |_, a| {
            (format!("{P}/session"), Some(json!({ "email": a.email(), "password": server::seed::DEMO_PASSWORD })))
        }),
        case(M::DELETE, "/session", None, "401 204 204 204 204 204 204", |_, _| (format!("{P}/session"), Option::None)),
        case(M::PUT, "/session/account", Session, "401 200 200 200 200 200 200", |i, _| {
            (format!("{P}/session/account"), Some(json!({ "account_id": i.account })))
        }),
        case(M::GET, "/notifications", None, "401 200 200 200 200 200 200", |_, _| {
            (format!("{P}/notifications"), Option::None)
        }),
        case(M::POST, "/notifications/read", None, "401 204 204 204 204 204 204", |_, _| {
            (format!("{P}/notifications/read"), Option::None)
        }),
        case(M::GET, "/access-links/{token}", None, "200 200 200 200 200 200 200", |i, _| {
            (format!("{P}/access-links/{}", i.token), Option::None)
        }),
        case(M::GET, "/access-links/{token}/accounts", None, "401 200 200 200 200 200 200", |i, _| {
            (format!("{P}/access-links/{}/accounts", i.token), Option::None)
        }),
        case(M::POST, "/access-links/{token}/approve", Customer, "401 403 404 200 404 200 403", |i, _| {
            (format!("{P}/access-links/{}/approve", i.token), Some(json!({ "account_id": i.account })))
        }),
        // Client Access Manager (partner accounts): R1, then R2 in the client.
        case(M::GET, "/accounts/{account_id}/cam/clients", Partner, "401 403 200 200 200 404 403", |i, _| {
            (format!("{P}/accounts/{}/cam/clients", i.account), Option::None)
        })
        .with_query(),
        case(
            M::GET,
            "/accounts/{account_id}/cam/clients/{client_id}",
            Partner,
            "401 403 200 200 200 404 403",
            |i, _| (format!("{P}/accounts/{}/cam/clients/{}", i.account, i.client), Option::None),
        ),
        case(M::GET, "/accounts/{account_id}/cam/employees", Partner, "401 403 200 200 200 404 403", |i, _| {
            (format!("{P}/accounts/{}/cam/employees", i.account), Option::None)
        })
        .with_query(),
        case(
            M::GET,
            "/accounts/{account_id}/cam/employees/{user_id}",
            Partner,
            "401 403 200 200 200 404 403",
            |i, _| (format!("{P}/accounts/{}/cam/employees/{}", i.account, i.employee), Option::None),
        ),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/employees/{user_id}/access-link",
            Partner,
            "401 403 200 200 403 404 403",
            |i, _| (format!("{P}/accounts/{}/cam/employees/{}/access-link", i.account, i.employee), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/access-link/regenerate",
            Partner,
            "401 403 200 200 403 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/access-link/regenerate", i.account, i.employee),
                    Option::None,
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees",
            Partner,
            "401 403 403 200 403 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees", i.account, i.client),
                    Some(json!({ "user_ids": [i.newcomer], "permission_set": "sales" })),
                )
            },
        ),
        case(
            M::PUT,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/permission-set",
            Partner,
            "401 403 403 200 403 404 403",
            |i, _| {
                (
                    format!(
                        "{P}/accounts/{}/cam/clients/{}/employees/{}/permission-set",
                        i.account, i.client, i.employee
                    ),
                    Some(json!({ "permission_set": "view_only" })),
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/deactivate",
            Partner,
            "401 403 204 204 204 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/deactivate", i.account, i.client, i.employee),
                    Option::None,
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/employees/{user_id}/reactivate",
            Partner,
            "401 403 403 204 403 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/employees/{}/reactivate", i.account, i.client, i.employee),
                    Option::None,
                )
            },
        )
        .prep(Prep::EmployeeDeactivated),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/remove-employees",
            Partner,
            "401 403 204 204 204 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/remove-employees", i.account, i.client),
                    Some(json!({ "user_ids": [i.employee] })),
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/clients/{client_id}/migrate",
            Partner,
            "401 403 403 204 422 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/clients/{}/migrate", i.account, i.sa_client),
                    Some(json!({ "user_id": i.sa, "keep_billing": false })),
                )
            },
        ),
        case(
            M::GET,
            "/accounts/{account_id}/cam/employees/{user_id}/clients",
            Partner,
            "401 403 200 200 200 404 403",
            |i, _| (format!("{P}/accounts/{}/cam/employees/{}/clients", i.account, i.employee), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/remove-from-clients",
            Partner,
            "401 403 204 204 204 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/remove-from-clients", i.account, i.employee),
                    Some(json!({ "client_ids": [i.client] })),
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/cam/employees/{user_id}/link",
            Partner,
            "401 403 204 204 409 404 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/cam/employees/{}/link", i.account, i.unlinked),
                    Some(json!({ "client_id": i.client })),
                )
            },
        ),
        case(M::GET, "/accounts/{account_id}/history", Partner, "401 403 200 200 200 404 403", |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Partner, "401 403 200 200 200 404 403", |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
        // Users & Teams (customer accounts): R11, R12, R9 client side.
        case(M::GET, "/accounts/{account_id}/users", Customer, "401 403 404 200 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/users", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/users/candidate", Customer, "401 403 404 200 404 200 403", |i, _| {
            (
                format!("{P}/accounts/{}/users/candidate?email=new.person%40acme.example&seat=core", i.account),
                Option::None,
            )
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/users", Customer, "401 403 404 201 404 201 403", |i, _| {
            (
                format!("{P}/accounts/{}/users", i.account),
                Some(
                    json!({ "email": "new.person@acme.example", "name": "New Person", "seat": "core", "template": "view_only" }),
                ),
            )
        }),
        case(M::DELETE, "/accounts/{account_id}/users/{user_id}", Customer, "401 403 404 204 404 204 403", |i, _| {
            (format!("{P}/accounts/{}/users/{}", i.account, i.member), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/users/{user_id}/seat", Customer, "401 403 404 204 404 204 403", |i, _| {
            (format!("{P}/accounts/{}/users/{}/seat", i.account, i.member), Some(json!({ "seat": "sales" })))
        }),
        case(
            M::PUT,
            "/accounts/{account_id}/users/{user_id}/permissions",
            Customer,
            "401 403 404 200 404 200 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/users/{}/permissions", i.account, i.member),
                    Some(json!({ "permission_set": "sales", "added": [], "removed": [] })),
                )
            },
        ),
        case(
            M::POST,
            "/accounts/{account_id}/users/{user_id}/deactivate",
            Customer,
            "401 403 404 204 404 204 403",
            |i, _| (format!("{P}/accounts/{}/users/{}/deactivate", i.account, i.member), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/users/{user_id}/reactivate",
            Customer,
            "401 403 404 204 404 204 403",
            |i, _| (format!("{P}/accounts/{}/users/{}/reactivate", i.account, i.member), Option::None),
        )
        .prep(Prep::MemberDeactivated),
        case(
            M::POST,
            "/accounts/{account_id}/users/{user_id}/migrate",
            Customer,
            "401 403 404 204 404 204 403",
            |i, _| {
                (
                    format!("{P}/accounts/{}/users/{}/migrate", i.account, i.super_admin),
                    Some(json!({ "keep_billing": true })),
                )
            },
        )
        .prep(Prep::PartnerSuperAdmin),
        case(M::GET, "/accounts/{account_id}/settings/billing", Customer, "401 403 404 403 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/settings/billing", i.account), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/settings/billing", Customer, "401 403 404 403 404 200 403", |i, _| {
            (
                format!("{P}/accounts/{}/settings/billing", i.account),
                Some(json!({ "billing_contact": "invoices@acme.example" })),
            )
        }),
        case(
            M::GET,
            "/accounts/{account_id}/settings/super-admins",
            Customer,
            "401 403 404 403 404 200 403",
            |i, _| (format!("{P}/accounts/{}/settings/super-admins", i.account), Option::None),
        ),
        case(
            M::POST,
            "/accounts/{account_id}/settings/super-admins",
            Customer,
            "401 403 404 403 404 204 403",
            |i, _| (format!("{P}/accounts/{}/settings/super-admins", i.account), Some(json!({ "user_id": i.member }))),
        ),
        case(
            M::DELETE,
            "/accounts/{account_id}/settings/super-admins/{user_id}",
            Customer,
            "401 403 404 403 404 204 403",
            |i, _| (format!("{P}/accounts/{}/settings/super-admins/{}", i.account, i.super_admin), Option::None),
        )
        .prep(Prep::PartnerSuperAdmin),
        case(M::GET, "/accounts/{account_id}/settings/scim", Customer, "401 403 404 403 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/settings/scim", i.account), Option::None)
        }),
        case(M::POST, "/accounts/{account_id}/settings/scim", Customer, "401 403 404 403 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/settings/scim", i.account), Option::None)
        }),
        case(M::GET, "/accounts/{account_id}/settings/data-centre", Customer, "401 403 404 403 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/settings/data-centre", i.account), Option::None)
        }),
        case(M::PUT, "/accounts/{account_id}/settings/data-centre", Customer, "401 403 404 403 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/settings/data-centre", i.account), Some(json!({ "data_centre": "us" })))
        }),
        case(M::GET, "/accounts/{account_id}/assets", Customer, "401 200 404 200 404 200 200", |i, _| {
            (format!("{P}/accounts/{}/assets", i.account), Option::None)
        })
        .with_query(),
        case(M::POST, "/accounts/{account_id}/assets", Customer, "401 201 404 201 404 201 403", |i, _| {
            (
                format!("{P}/accounts/{}/assets", i.account),
                Some(json!({ "kind": "contact", "name": "Matrix contact", "owner_id": i.member })),
            )
        }),
        case(M::PATCH, "/accounts/{account_id}/assets/{asset_id}", Customer, "401 204 404 204 404 204 403", |i, _| {
            (
                format!("{P}/accounts/{}/assets/{}", i.account, i.asset),
                Some(json!({ "name": "Renamed contact", "owner_id": i.member })),
            )
        }),
        case(M::GET, "/accounts/{account_id}/history", Customer, "401 403 404 200 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/history", i.account), Option::None)
        })
        .with_query(),
        case(M::GET, "/accounts/{account_id}/history.csv", Customer, "401 403 404 200 404 200 403", |i, _| {
            (format!("{P}/accounts/{}/history.csv", i.account), Option::None)
        })
        .with_query(),
    ]
}

/// Routes only a server in test mode has; without it they are 404 for all.
const TEST_MODE_ONLY: [(Method, &str); 2] = [(Method::POST, "/test/reset"), (Method::PUT, "/test/clock")];

/// The tenants of the demo world.
struct Tenants {
    nw: Ids,
    bb: Ids,
    acme: Ids,
    umbrella: Ids,
}

async fn tenants(app: &TestApp, w: &World) -> Tenants {
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
        token,
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
            ..base.clone()
        },
        acme: Ids { account: w.acme, member: w.eve, super_admin: w.dan, asset: w.acme_contact, ..base.clone() },
        umbrella: Ids { account: w.umbrella, member: w.uma, super_admin: w.uma, asset: umbrella_asset, ..base },
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
async fn umbrella_asset(app: &TestApp, w: &World) -> i64 {
    let mut conn = app.state.db.acquire().await.unwrap();
    server::db::clients::insert_asset(
        &mut conn,
        w.umbrella,
        domain::AssetKind::Contact,
        "Umbrella contact",
        Some(w.uma),
        0,
    )
    .await
    .unwrap()
}

/// The actor's own tenant and a foreign one, for a scope.
fn own_and_foreign(t: &Tenants, scope: Scope, actor: Actor) -> (&Ids, Option<&Ids>) {
    match (scope, actor) {
        (Scope::None, _) => (&t.nw, None),
        (Scope::Partner, Actor::Bo) => (&t.bb, Some(&t.nw)),
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
    }
}

/// A fresh app with the matrix's extra data: Dan's link and Umbrella's asset.
async fn fresh() -> (TestApp, World, Tenants) {
    // Rate limits are proven on their own; here they must not mask a cell.
    let app = TestApp::spawn_with(|c| {
        c.sign_in_per_minute = 100_000;
        c.links_per_minute = 100_000;
    })
    .await;
    let w = World::load(&app).await;
    let t = tenants(&app, &w).await;
    (app, w, t)
}

/// Signed-in browsers of every actor on one app.
async fn browsers(app: &TestApp, w: &World) -> BTreeMap<Actor, Browser> {
    let mut out = BTreeMap::new();
    for a in ACTORS {
        if let Some(uid) = a.user(w) {
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

#[test]
fn every_route_has_a_case_and_every_case_a_route() {
    let routes: BTreeSet<(String, String)> =
        server::routes::api(false).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let declared: BTreeSet<(String, String)> =
        cases().iter().map(|c| (c.method.to_string(), c.route.to_string())).collect();
    let missing: Vec<_> = routes.difference(&declared).collect();
    let stale: Vec<_> = declared.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without a matrix case (declare what each actor gets): {missing:?}");
    assert!(stale.is_empty(), "matrix cases without a route: {stale:?}");
    let test_mode: BTreeSet<(String, String)> =
        server::routes::api(true).table().iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let extra: BTreeSet<(String, String)> = test_mode.difference(&routes).cloned().collect();
    let expected: BTreeSet<(String, String)> =
        TEST_MODE_ONLY.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(extra, expected, "only the test routes are added by test mode");
}

#[tokio::test]
async fn the_authorization_matrix_holds_cell_by_cell_and_refusals_write_nothing() {
    let (shared, w, t) = fresh().await;
    let who = browsers(&shared, &w).await;
    let mut cells = 0;
    let mut fresh_apps = 0;
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
                    // Allowed to change state: on a fresh app, after its preparation.
                    fresh_apps += 1;
                    let (app, w2, t2) = fresh().await;
                    let ids = ids_for(&t2, &w2, c.scope, actor, foreign);
                    prepare(&app, &w2, c.prep, &ids).await;
                    let (path, body) = (c.make)(&ids, actor);
                    let browser = match actor.user(&w2) {
                        Some(uid) => Some(session(&app, uid).await),
                        None => None,
                    };
                    let res =
                        request(&app, c.method.clone(), &path, body.as_ref(), browser.as_ref(), Presenting::OwnPage)
                            .await;
                    res.status.as_u16()
                } else {
                    let before = stored(&shared.state.db).await;
                    let denials_before = denials(&shared.state.db).await;
                    let res =
                        request(&shared, c.method.clone(), &path, body.as_ref(), who.get(&actor), Presenting::OwnPage)
                            .await;
                    let after = stored(&shared.state.db).await;
                    if before != after {
                        unexpected.push(format!(
                            "{} as {actor:?} ({}) wrote: {}",
                            c.name(),
                            if foreign { "foreign" } else { "own" },
                            difference(&before, &after)
                        ));
                    }
                    let logged = denials(&shared.state.db).await - denials_before;
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
                        "{} as {actor:?} in {} tenant: expected {want}, got {got}",
                        c.name(),
                        if foreign { "a foreign" } else { "its own" }
                    ));
                }
            }
        }
    }
    println!(
        "authorization matrix: {} routes × {} actors × own/foreign tenants = {cells} cells ({fresh_apps} on fresh apps); \
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
    let (app, w, t) = fresh().await;
    let who = browsers(&app, &w).await;
    let mut swept = 0;
    let mut routes = BTreeSet::new();
    let mut unexpected = vec![];
    for c in cases() {
        let Some(actor) = allowed_actor(&c) else { continue };
        if c.scope != Scope::Partner && c.scope != Scope::Customer {
            continue;
        }
        let (own, Some(other)) = own_and_foreign(&t, c.scope, actor) else { continue };
        let normal = (c.make)(own, actor);
        for field in INNER {
            let swapped = own.with_inner(field, other);
            let (path, body) = (c.make)(&swapped, actor);
            if (path.clone(), body.clone()) == normal {
                continue; // the case does not use this id
            }
            swept += 1;
            routes.insert(c.name());
            let before = stored(&app.state.db).await;
            let res = request(&app, c.method.clone(), &path, body.as_ref(), who.get(&actor), Presenting::OwnPage).await;
            let after = stored(&app.state.db).await;
            if res.status != StatusCode::NOT_FOUND {
                unexpected.push(format!("{} as {actor:?} with another tenant's {field}: {}", c.name(), res.status));
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
        "IDOR sweep: {swept} requests over {} routes with inner ids, each id from another tenant: {} leaks",
        routes.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(routes.len() >= 20, "the sweep covers every route with an inner id");
}

#[tokio::test]
async fn extra_fields_are_refused_with_400_and_never_applied() {
    let (app, w, t) = fresh().await;
    let who = browsers(&app, &w).await;
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
    let (app, w, t) = fresh().await;
    let who = browsers(&app, &w).await;
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
    let (app, w, _) = fresh().await;
    let carol = session(&app, w.carol).await;
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
