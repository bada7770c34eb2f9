//! The operations a sequence is made of, each one request of the API (its
//! shape taken from `crates/domain/src/api*.rs` and the existing tests),
//! and the row of SPEC §9 that decides it.

use super::state::*;
use axum::http::Method;
use domain::{Permission, Perms};
use serde_json::{json, Value};

/// R16's three actions on Settings → Partner access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Suspend,
    Resume,
    Remove,
}

impl Control {
    pub fn key(self) -> &'static str {
        match self {
            Control::Suspend => "suspend",
            Control::Resume => "resume",
            Control::Remove => "remove",
        }
    }
}

/// A9's status actions on Users & Teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Deactivate,
    Reactivate,
    Remove,
}

/// R18: a ceiling chosen as a standard set (an index into [`SETS`]) or as
/// a list of permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ceiling {
    Set(usize),
    List(Vec<Permission>),
}

impl Ceiling {
    pub fn perms(&self) -> Perms {
        match self {
            Ceiling::Set(i) => SETS[*i].perms(),
            Ceiling::List(list) => list.iter().copied().collect(),
        }
    }

    /// The set's key, kept for display (a list has none).
    pub fn set_key(&self) -> Option<String> {
        match self {
            Ceiling::Set(i) => Some(SETS[*i].key().to_string()),
            Ceiling::List(_) => None,
        }
    }
}

/// Indices into [`Ids`]: `actor`, `employee`, `target`, `person` are users,
/// `partner` a partner account, `client` a customer account.
#[derive(Debug, Clone)]
pub enum Op {
    /// A1 (R4), partner side.
    Add { actor: usize, partner: usize, client: usize, employees: Vec<usize>, set: usize, ends_at: Option<i64> },
    /// A2 (R3), partner side.
    ChangeSet { actor: usize, partner: usize, client: usize, employee: usize, set: usize },
    /// A5 (R5).
    Link { actor: usize, partner: usize, employee: usize, client: usize },
    /// A3, one employee.
    Deactivate { actor: usize, partner: usize, client: usize, employee: usize },
    /// A4 (R8).
    Reactivate { actor: usize, partner: usize, client: usize, employee: usize },
    /// A3 by R7: all of the chosen employees or none.
    Remove { actor: usize, partner: usize, client: usize, employees: Vec<usize> },
    /// A3 by R6: all of the chosen clients or none.
    RemoveFromClients { actor: usize, partner: usize, employee: usize, clients: Vec<usize> },
    /// A10, partner side: the actor themself (`target: None`) or another.
    Migrate { actor: usize, partner: usize, client: usize, target: Option<usize>, keep_billing: bool },
    /// A6: a new end, or none to remove it.
    SetEnd { actor: usize, partner: usize, client: usize, employee: usize, ends_at: Option<i64> },
    /// SPEC §4: a new link revokes the old one.
    Regenerate { actor: usize, partner: usize, employee: usize },
    /// A13 of A3 (R17): review rows (client, user), deactivated or removed.
    ReviewJob { actor: usize, partner: usize, remove: bool, rows: Vec<(usize, usize)> },
    /// A13 of A1 / A2 (R17): one employee added to, or given a set in, many clients.
    ClientsJob {
        actor: usize,
        partner: usize,
        employee: usize,
        change_set: bool,
        clients: Vec<usize>,
        set: usize,
        ends_at: Option<i64>,
    },
    /// A8 (R15), and A10 client side when it converts an existing user.
    /// `account` indexes the clients, and one more: Northwind itself.
    Approve {
        approver: usize,
        employee: usize,
        partner: usize,
        account: usize,
        convert: bool,
        keep: Option<Perms>,
        ends_at: Option<i64>,
    },
    /// A9: Users & Teams → Edit permissions.
    EditPermissions {
        editor: usize,
        client: usize,
        target: usize,
        set: usize,
        removed: Vec<Permission>,
        added: Vec<Permission>,
    },
    /// A9 (R11): Users & Teams → Create user.
    CreateUser { creator: usize, client: usize, person: usize, partner_seat: bool, template: Option<usize> },
    /// A9: Users & Teams → deactivate, reactivate, remove.
    UsersTeams { actor: usize, client: usize, target: usize, action: UserAction },
    /// A7: an end set from the client side.
    ClientSetEnd { actor: usize, client: usize, target: usize, ends_at: Option<i64> },
    /// A10, client side (Users & Teams → migrate).
    ClientMigrate { actor: usize, client: usize, target: usize, keep_billing: bool },
    /// A12 (R16).
    ControlPartner { actor: usize, client: usize, partner: usize, action: Control },
    /// A14 (R18): set, lower or raise a partner's ceiling (`None`: remove it).
    SetCeiling { actor: usize, client: usize, partner: usize, ceiling: Option<Ceiling> },
    /// A14 (R18): set, move or remove (`None`) the end of the relationship.
    RelationshipEnd { actor: usize, client: usize, partner: usize, ends_at: Option<i64> },
    /// Time passes to `to`; with `work`, the system's timed work runs (R14).
    Tick { to: i64, work: bool },
}

impl Op {
    /// The kind, for the tally.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Add { .. } => "A1 add",
            Op::ChangeSet { .. } => "A2 change set",
            Op::Link { .. } => "A5 link",
            Op::Deactivate { .. } => "A3 deactivate",
            Op::Reactivate { .. } => "A4 reactivate",
            Op::Remove { .. } => "A3 remove (R7)",
            Op::RemoveFromClients { .. } => "A3 remove from clients (R6)",
            Op::Migrate { .. } => "A10 migrate (partner)",
            Op::SetEnd { .. } => "A6 end (partner)",
            Op::Regenerate { .. } => "§4 regenerate link",
            Op::ReviewJob { remove: false, .. } => "A13 review deactivate",
            Op::ReviewJob { .. } => "A13 review remove",
            Op::ClientsJob { change_set: false, .. } => "A13 add to clients",
            Op::ClientsJob { .. } => "A13 change set in clients",
            Op::Approve { convert: true, .. } => "A8/A10 approve converting",
            Op::Approve { .. } => "A8 approve",
            Op::EditPermissions { .. } => "A9 edit permissions",
            Op::CreateUser { .. } => "A9 create user",
            Op::UsersTeams { action: UserAction::Deactivate, .. } => "A9 deactivate",
            Op::UsersTeams { action: UserAction::Reactivate, .. } => "A9 reactivate",
            Op::UsersTeams { .. } => "A9 remove",
            Op::ClientSetEnd { .. } => "A7 end (client)",
            Op::ClientMigrate { .. } => "A10 migrate (client)",
            Op::ControlPartner { action: Control::Suspend, .. } => "A12 suspend",
            Op::ControlPartner { action: Control::Resume, .. } => "A12 resume",
            Op::ControlPartner { .. } => "A12 remove partner",
            Op::SetCeiling { ceiling: Some(Ceiling::Set(_)), .. } => "A14 ceiling (a set)",
            Op::SetCeiling { ceiling: Some(Ceiling::List(_)), .. } => "A14 ceiling (a list)",
            Op::SetCeiling { .. } => "A14 ceiling removed",
            Op::RelationshipEnd { ends_at: Some(_), .. } => "A14 relationship end",
            Op::RelationshipEnd { .. } => "A14 relationship end removed",
            Op::Tick { work: false, .. } => "time passes",
            Op::Tick { .. } => "time passes, timed work",
        }
    }

    /// Who acts (none: the system).
    pub fn actor(&self) -> Option<usize> {
        match self {
            Op::Add { actor, .. }
            | Op::ChangeSet { actor, .. }
            | Op::Link { actor, .. }
            | Op::Deactivate { actor, .. }
            | Op::Reactivate { actor, .. }
            | Op::Remove { actor, .. }
            | Op::RemoveFromClients { actor, .. }
            | Op::Migrate { actor, .. }
            | Op::SetEnd { actor, .. }
            | Op::Regenerate { actor, .. }
            | Op::ReviewJob { actor, .. }
            | Op::ClientsJob { actor, .. }
            | Op::UsersTeams { actor, .. }
            | Op::ClientSetEnd { actor, .. }
            | Op::ClientMigrate { actor, .. }
            | Op::ControlPartner { actor, .. }
            | Op::SetCeiling { actor, .. }
            | Op::RelationshipEnd { actor, .. } => Some(*actor),
            Op::Approve { approver, .. } => Some(*approver),
            Op::EditPermissions { editor, .. } => Some(*editor),
            Op::CreateUser { creator, .. } => Some(*creator),
            Op::Tick { .. } => None,
        }
    }

    /// The partner account a partner-side operation goes through.
    pub fn partner_side(&self) -> Option<usize> {
        match self {
            Op::Add { partner, .. }
            | Op::ChangeSet { partner, .. }
            | Op::Link { partner, .. }
            | Op::Deactivate { partner, .. }
            | Op::Reactivate { partner, .. }
            | Op::Remove { partner, .. }
            | Op::RemoveFromClients { partner, .. }
            | Op::Migrate { partner, .. }
            | Op::SetEnd { partner, .. }
            | Op::Regenerate { partner, .. }
            | Op::ReviewJob { partner, .. }
            | Op::ClientsJob { partner, .. } => Some(*partner),
            _ => None,
        }
    }

    /// The one account a client-side operation may change.
    pub fn client_side_account(&self, ids: &Ids) -> Option<i64> {
        match self {
            Op::Approve { account, .. } if *account == CLIENTS => Some(ids.partners[NW]),
            Op::Approve { account, .. } => Some(ids.clients[*account]),
            Op::EditPermissions { client, .. }
            | Op::CreateUser { client, .. }
            | Op::UsersTeams { client, .. }
            | Op::ClientSetEnd { client, .. }
            | Op::ClientMigrate { client, .. }
            | Op::ControlPartner { client, .. }
            | Op::SetCeiling { client, .. }
            | Op::RelationshipEnd { client, .. } => Some(ids.clients[*client]),
            _ => None,
        }
    }

    /// The operation with names and times relative to `now`, for messages.
    pub fn show(&self, now: i64) -> String {
        let u = |i: &usize| USER_NAMES[*i];
        let us = |v: &[usize]| v.iter().map(|i| USER_NAMES[*i]).collect::<Vec<_>>().join("+");
        let p = |i: &usize| PARTNER_NAMES[*i];
        let c = |i: &usize| if *i == CLIENTS { "Northwind (a partner)" } else { CLIENT_NAMES[*i] };
        let cs = |v: &[usize]| v.iter().map(|i| CLIENT_NAMES[*i]).collect::<Vec<_>>().join("+");
        let t = |at: &Option<i64>| match at {
            None => "no end".to_string(),
            Some(at) => relative(*at - now),
        };
        let s = |i: &usize| SETS[*i].key();
        match self {
            Op::Add { actor, partner, client, employees, set, ends_at } => {
                format!(
                    "{} via {} adds {} to {} as {} ({})",
                    u(actor),
                    p(partner),
                    us(employees),
                    c(client),
                    s(set),
                    t(ends_at)
                )
            }
            Op::ChangeSet { actor, partner, client, employee, set } => {
                format!("{} via {} gives {} in {} the set {}", u(actor), p(partner), u(employee), c(client), s(set))
            }
            Op::Link { actor, partner, employee, client } => {
                format!("{} via {} links {} in {}", u(actor), p(partner), u(employee), c(client))
            }
            Op::Deactivate { actor, partner, client, employee } => {
                format!("{} via {} deactivates {} in {}", u(actor), p(partner), u(employee), c(client))
            }
            Op::Reactivate { actor, partner, client, employee } => {
                format!("{} via {} reactivates {} in {}", u(actor), p(partner), u(employee), c(client))
            }
            Op::Remove { actor, partner, client, employees } => {
                format!("{} via {} removes {} from {} (R7)", u(actor), p(partner), us(employees), c(client))
            }
            Op::RemoveFromClients { actor, partner, employee, clients } => {
                format!("{} via {} removes {} from {} (R6)", u(actor), p(partner), u(employee), cs(clients))
            }
            Op::Migrate { actor, partner, client, target, keep_billing } => format!(
                "{} via {} converts {} in {} to Partner Admin (keep billing: {keep_billing})",
                u(actor),
                p(partner),
                target.map(|x| USER_NAMES[x]).unwrap_or("themself"),
                c(client)
            ),
            Op::SetEnd { actor, partner, client, employee, ends_at } => {
                format!("{} via {} sets {}'s end in {}: {}", u(actor), p(partner), u(employee), c(client), t(ends_at))
            }
            Op::Regenerate { actor, partner, employee } => {
                format!("{} via {} regenerates {}'s link", u(actor), p(partner), u(employee))
            }
            Op::ReviewJob { actor, partner, remove, rows } => format!(
                "{} via {} {} review rows {}",
                u(actor),
                p(partner),
                if *remove { "removes" } else { "deactivates" },
                rows.iter()
                    .map(|(cl, e)| format!("{} in {}", USER_NAMES[*e], CLIENT_NAMES[*cl]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Op::ClientsJob { actor, partner, employee, change_set, clients, set, ends_at } => format!(
                "{} via {} {} {} in {} ({}, {})",
                u(actor),
                p(partner),
                if *change_set { "changes the set of" } else { "adds" },
                u(employee),
                cs(clients),
                s(set),
                t(ends_at)
            ),
            Op::Approve { approver, employee, partner, account, convert, keep, ends_at } => format!(
                "{} approves {}'s {} link into {} (convert: {convert}, unticked: {}, {})",
                u(approver),
                u(employee),
                p(partner),
                c(account),
                keep.map(|k| format!(
                    "{:?}",
                    domain::StandardSet::PartnerAdmin.perms().difference(k).iter().collect::<Vec<_>>()
                ))
                .unwrap_or_else(|| "nothing".into()),
                t(ends_at)
            ),
            Op::EditPermissions { editor, client, target, set, removed, added } => format!(
                "{} edits {} in {}: set {}, added {added:?}, removed {removed:?}",
                u(editor),
                u(target),
                c(client),
                s(set)
            ),
            Op::CreateUser { creator, client, person, partner_seat, template } => format!(
                "{} creates {} in {} (partner seat: {partner_seat}, template {:?})",
                u(creator),
                u(person),
                c(client),
                template.map(|i| SETS[i].key())
            ),
            Op::UsersTeams { actor, client, target, action } => {
                format!("{} on Users & Teams of {}: {action:?} {}", u(actor), c(client), u(target))
            }
            Op::ClientSetEnd { actor, client, target, ends_at } => {
                format!("{} (client side) sets {}'s end in {}: {}", u(actor), u(target), c(client), t(ends_at))
            }
            Op::ClientMigrate { actor, client, target, keep_billing } => format!(
                "{} (client side) converts {} in {} to Partner Admin (keep billing: {keep_billing})",
                u(actor),
                u(target),
                c(client)
            ),
            Op::ControlPartner { actor, client, partner, action } => {
                format!("{} in {}: {} {}", u(actor), c(client), action.key(), p(partner))
            }
            Op::SetCeiling { actor, client, partner, ceiling } => {
                let what = match ceiling {
                    None => "removes the ceiling of".to_string(),
                    Some(Ceiling::Set(i)) => format!("sets the ceiling {} on", SETS[*i].key()),
                    Some(Ceiling::List(list)) => {
                        format!("sets the ceiling {:?} on", list.iter().map(|p| p.key()).collect::<Vec<_>>())
                    }
                };
                format!("{} in {}: {what} {}", u(actor), c(client), p(partner))
            }
            Op::RelationshipEnd { actor, client, partner, ends_at } => {
                format!("{} in {}: the relationship with {} ends {}", u(actor), c(client), p(partner), t(ends_at))
            }
            Op::Tick { to, work } => {
                format!("time moves {}{}", relative(*to - now), if *work { ", the timed work runs" } else { "" })
            }
        }
    }
}

/// `+3d4h` and the like.
pub fn relative(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "+" };
    let s = secs.abs();
    let (d, h, m) = (s / DAY, (s % DAY) / HOUR, (s % HOUR) / 60);
    let mut out = sign.to_string();
    if d > 0 {
        out.push_str(&format!("{d}d"));
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 || (d == 0 && h == 0) {
        out.push_str(&format!("{m}m"));
    }
    out
}

/// The request of an operation (the clock's for [`Op::Tick`]).
pub fn http(
    op: &Op,
    ids: &Ids,
    links: &std::collections::BTreeMap<(i64, i64), Option<String>>,
) -> (Method, String, Option<Value>) {
    let u = |i: usize| ids.users[i];
    let p = |i: usize| ids.partners[i];
    let c = |i: usize| ids.clients[i];
    let base = |partner: usize| format!("/api/v1/accounts/{}/cam", p(partner));
    let users = |client: usize, user: usize| format!("/api/v1/accounts/{}/users/{}", c(client), u(user));
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
        Op::SetEnd { partner, client, employee, ends_at, .. } => (
            Method::PUT,
            format!("{}/clients/{}/employees/{}/end-date", base(*partner), c(*client), u(*employee)),
            Some(json!({ "ends_at": ends_at })),
        ),
        Op::Regenerate { partner, employee, .. } => {
            (Method::POST, format!("{}/employees/{}/access-link/regenerate", base(*partner), u(*employee)), None)
        }
        Op::ReviewJob { partner, remove, rows, .. } => (
            Method::POST,
            format!("{}/review/jobs", base(*partner)),
            Some(json!({
                "action": if *remove { "remove" } else { "deactivate" },
                "selection": { "by": "rows", "rows": rows.iter()
                    .map(|(cl, e)| json!({ "client_id": c(*cl), "user_id": u(*e) })).collect::<Vec<_>>() },
            })),
        ),
        Op::ClientsJob { partner, employee, change_set, clients, set, ends_at, .. } => {
            let mut body = json!({
                "action": if *change_set { "change_set" } else { "add" },
                "permission_set": SETS[*set].key(),
                "selection": { "by": "clients", "ids": clients.iter().map(|i| c(*i)).collect::<Vec<_>>() },
            });
            if !change_set {
                body["ends_at"] = json!(ends_at);
            }
            (Method::POST, format!("{}/employees/{}/clients/jobs", base(*partner), u(*employee)), Some(body))
        }
        Op::Approve { employee, partner, account, convert, keep, ends_at, .. } => {
            let account = if *account == CLIENTS { p(NW) } else { c(*account) };
            // The live link's token; a link never issued otherwise.
            let token = links
                .get(&(u(*employee), p(*partner)))
                .cloned()
                .flatten()
                .unwrap_or_else(|| "never-issued-token-0000000000000000000000000".to_string());
            let mut body = json!({ "account_id": account, "convert_existing": convert, "ends_at": ends_at });
            if let Some(k) = keep {
                body["keep"] = json!(k);
            }
            (Method::POST, format!("/api/v1/access-links/{token}/approve"), Some(body))
        }
        Op::EditPermissions { client, target, set, removed, added, .. } => (
            Method::PUT,
            format!("{}/permissions", users(*client, *target)),
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
        Op::UsersTeams { client, target, action, .. } => match action {
            UserAction::Deactivate => (Method::POST, format!("{}/deactivate", users(*client, *target)), None),
            UserAction::Reactivate => (Method::POST, format!("{}/reactivate", users(*client, *target)), None),
            UserAction::Remove => (Method::DELETE, users(*client, *target), None),
        },
        Op::ClientSetEnd { client, target, ends_at, .. } => {
            (Method::PUT, format!("{}/end-date", users(*client, *target)), Some(json!({ "ends_at": ends_at })))
        }
        Op::ClientMigrate { client, target, keep_billing, .. } => (
            Method::POST,
            format!("{}/migrate", users(*client, *target)),
            Some(json!({ "keep_billing": keep_billing })),
        ),
        Op::ControlPartner { client, partner, action, .. } => (
            Method::POST,
            format!("/api/v1/accounts/{}/partner-access/{}/{}", c(*client), p(*partner), action.key()),
            None,
        ),
        Op::SetCeiling { client, partner, ceiling, .. } => {
            let path = format!("/api/v1/accounts/{}/partner-access/{}/ceiling", c(*client), p(*partner));
            match ceiling {
                None => (Method::DELETE, path, None),
                Some(Ceiling::Set(i)) => (Method::PUT, path, Some(json!({ "permission_set": SETS[*i].key() }))),
                Some(Ceiling::List(list)) => (
                    Method::PUT,
                    path,
                    Some(json!({ "permissions": list.iter().map(|p| p.key()).collect::<Vec<_>>() })),
                ),
            }
        }
        Op::RelationshipEnd { client, partner, ends_at, .. } => (
            Method::PUT,
            format!("/api/v1/accounts/{}/partner-access/{}/relationship-end", c(*client), p(*partner)),
            Some(json!({ "ends_at": ends_at })),
        ),
        Op::Tick { to, .. } => (Method::PUT, "/api/v1/test/clock".to_string(), Some(json!({ "now": to }))),
    }
}
