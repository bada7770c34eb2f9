//! The model test: an independent oracle of SPEC §9. Proptest generates
//! random sequences of operations — every partner-side row (A1–A6, A10),
//! the client's rows (A7 ends, A8 approvals with R15's narrowing and
//! conversions, A9 Users & Teams, A10 client side, A12 suspend / resume /
//! remove by every kind of actor, A14 ceilings and relationship ends, R18),
//! R17's bulk jobs (A13) and time passing (R14: the test clock moves; the
//! system's timed work runs) — over the demo accounts, by any demo user.
//! Each goes through the HTTP API and through an in-memory reference model
//! ([`state::Model`]) that decides it with its own arithmetic, one function
//! per row of §9 ([`partner_side`], [`client_side`], [`terms`]), written
//! from SPEC and the oracle brief alone: nothing of `domain::rules`,
//! `domain::grant`, `domain::authority` or `domain::access_link` is used.
//!
//! Where SPEC gives no precedence among several refusals, any of their
//! codes is accepted; where it leaves a stored result open, each reading
//! is accepted (and named where it is decided). After every step the
//! answer's status and the whole stored state (every membership of every
//! account with its end, the side that set it and who deactivated it, the
//! managed clients, the live links, the suspensions, each partner's ceiling
//! and relationship end) must be what the model allows, and the invariants
//! of [`invariants`] must hold.
//!
//! `CAM_MODEL_CASES` (48) sequences of up to `CAM_MODEL_STEPS` (40) steps;
//! `CAM_MODEL_SURVEY=1` runs every sequence to its end, adopting what is
//! stored after a divergence, and lists the divergences found;
//! `CAM_MODEL_IGNORE=A8,A12` (op kind prefixes) adopts divergences of
//! those kinds, so that shrinking finds the others.

mod client_side;
mod invariants;
mod ops;
mod partner_side;
mod plan;
mod state;
mod stored;
mod terms;

use crate::support::{request, session, Presenting, World};
use axum::http::Method;
use client_side::Standing;
use ops::{Op, UserAction};
use partner_side::Ways;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use state::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use tooling::harness::{Browser, TestApp};

impl Ids {
    async fn load(app: &TestApp, w: &World) -> Ids {
        let mut clients = [w.acme, w.globex, w.initech, w.umbrella, w.umbrella_labs, w.wonka, 0, 0, 0, 0];
        for (i, like) in GENERATED.iter().enumerate() {
            clients[6 + i] = sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE name LIKE $1")
                .bind(like)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        }
        Ids {
            users: [w.ada, w.ben, w.cleo, w.dan, w.eve, w.bo, w.carol, w.gina, w.uma, w.cody, w.cora],
            partners: [w.nw, w.bb, w.contoso],
            clients,
        }
    }
}

/// One request deciding `items` in turn, all of them or none (R4's list,
/// R6, R7); `tenancy`'s 404 answers alone.
fn all_or_none(start: &Model, tenancy: No, items: &[i64], status: u16, row: impl Fn(&Model, i64) -> Ways) -> Outcome {
    if tenancy.not_found() {
        return Outcome::refused(tenancy);
    }
    let mut states = vec![start.clone()];
    let mut out = Outcome { refused: tenancy.clone(), allowed: vec![] };
    for item in items {
        let mut next = vec![];
        for s in &states {
            for way in row(s, *item) {
                match way {
                    Ok(m) => next.push(m),
                    Err(no) => out.refused.extend(no),
                }
            }
        }
        states = next;
    }
    if !tenancy.any() {
        for model in states {
            out = out.or(Outcome::allowed(status, model));
        }
    }
    out
}

/// A13 (R17): a job deciding each row as its single action, in turn, and
/// reporting each. Rows the partner cannot name are a 404 for the whole
/// request, or refused rows (both say so; neither is a silent skip).
fn job(start: &Model, tenancy: No, rows: &[Key], foreign: &[bool], row: &dyn Fn(&Model, Key) -> Ways) -> Outcome {
    if tenancy.any() {
        return Outcome::refused(tenancy);
    }
    let mut states: Vec<(Model, Vec<(Key, bool)>)> = vec![(start.clone(), vec![])];
    for (key, foreign) in rows.iter().zip(foreign) {
        let mut next = vec![];
        for (s, done) in &states {
            let ways =
                if *foreign { partner_side::refuse(&[404], "a row the partner cannot name") } else { row(s, *key) };
            for way in ways {
                let mut done = done.clone();
                done.push((*key, way.is_ok()));
                next.push((way.unwrap_or_else(|_| s.clone()), done));
            }
        }
        states = next;
    }
    let mut out = Outcome::default();
    out.refused.when(foreign.iter().any(|f| *f), &[404], "a row the partner cannot name");
    for (model, rows) in states {
        out.allowed.push(Allowed { status: 202, model, rows, signed_out: BTreeSet::new() });
    }
    out
}

/// A job's rows in the order given, or the other way round (the order the
/// server works in is its own).
fn job_either_order(
    start: &Model,
    tenancy: No,
    rows: &[Key],
    foreign: &[bool],
    row: &dyn Fn(&Model, Key) -> Ways,
) -> Outcome {
    let forward = job(start, tenancy.clone(), rows, foreign, row);
    let (mut back, mut back_foreign) = (rows.to_vec(), foreign.to_vec());
    back.reverse();
    back_foreign.reverse();
    forward.or(job(start, tenancy, &back, &back_foreign, row))
}

impl Model {
    /// R14: the system's timed work stores every membership whose end has
    /// passed as deactivated by the system (R9 holds: the last super admin
    /// may also stay, which the invariants then judge).
    fn timed_work(&mut self) {
        let due: Vec<Key> = self.members.iter().filter(|(_, m)| m.active && self.ended(m)).map(|(k, _)| *k).collect();
        for key in due {
            let m = self.members[&key].clone();
            let mut done = m.clone();
            done.active = false;
            done.by = Some(By::System);
            let others = self.members.iter().any(|(k, x)| k.0 == key.0 && *k != key && x.super_admin && self.live(x));
            if m.super_admin && !others {
                self.allow_also(key, Some(done));
            } else {
                self.members.insert(key, done);
            }
        }
    }

    /// What SPEC §9 answers `op`, and the states it allows.
    fn decide(&self, op: &Op, ids: &Ids) -> Outcome {
        let u = |i: usize| ids.users[i];
        let p = |i: usize| ids.partners[i];
        let c = |i: usize| ids.clients[i];
        let signed_out = |who: &[i64], actor: i64| who.iter().copied().filter(|x| *x != actor).collect::<Vec<_>>();
        match op {
            Op::Add { actor, partner, client, employees, set, ends_at } => {
                let (a, pa, cl) = (u(*actor), p(*partner), c(*client));
                let people: Vec<i64> = employees.iter().map(|e| u(*e)).collect();
                let mut t = self.partner_tenancy(a, pa, &[cl]);
                self.r2_standing(&mut t, a, pa, cl);
                all_or_none(self, t, &people, 200, |m, e| m.a1_add(a, pa, cl, e, SETS[*set], *ends_at))
            }
            Op::ChangeSet { actor, partner, client, employee, set } => {
                let (a, pa, cl, e) = (u(*actor), p(*partner), c(*client), u(*employee));
                let mut t = self.partner_tenancy(a, pa, &[cl]);
                self.r2_standing(&mut t, a, pa, cl);
                all_or_none(self, t, &[e], 200, |m, e| m.a2_change_set(a, pa, cl, e, SETS[*set]))
            }
            Op::Link { actor, partner, employee, client } => {
                let (a, pa, cl, e) = (u(*actor), p(*partner), c(*client), u(*employee));
                let t = self.partner_tenancy(a, pa, &[cl]);
                all_or_none(self, t, &[e], 204, |m, e| m.a5_link(pa, cl, e))
            }
            Op::Deactivate { actor, partner, client, employee } => {
                let (a, pa, cl, e) = (u(*actor), p(*partner), c(*client), u(*employee));
                let t = self.partner_tenancy(a, pa, &[cl]);
                all_or_none(self, t, &[e], 204, |m, e| m.a3_deactivate(pa, cl, e)).signing_out(signed_out(&[e], a))
            }
            Op::Reactivate { actor, partner, client, employee } => {
                let (a, pa, cl, e) = (u(*actor), p(*partner), c(*client), u(*employee));
                let mut t = self.partner_tenancy(a, pa, &[cl]);
                self.r2_standing(&mut t, a, pa, cl);
                all_or_none(self, t, &[e], 204, |m, e| m.a4_reactivate(a, pa, cl, e))
            }
            Op::Remove { actor, partner, client, employees } => {
                let (a, pa, cl) = (u(*actor), p(*partner), c(*client));
                let people: Vec<i64> = employees.iter().map(|e| u(*e)).collect();
                let t = self.partner_tenancy(a, pa, &[cl]);
                all_or_none(self, t, &people, 204, |m, e| m.a3_remove(pa, cl, e)).signing_out(signed_out(&people, a))
            }
            Op::RemoveFromClients { actor, partner, employee, clients } => {
                let (a, pa, e) = (u(*actor), p(*partner), u(*employee));
                let chosen: Vec<i64> = clients.iter().map(|i| c(*i)).collect();
                let t = self.partner_tenancy(a, pa, &chosen);
                all_or_none(self, t, &chosen, 204, |m, cl| m.a3_remove(pa, cl, e)).signing_out(signed_out(&[e], a))
            }
            Op::Migrate { actor, partner, client, target, keep_billing } => {
                let (a, pa, cl) = (u(*actor), p(*partner), c(*client));
                let who = target.map(u).unwrap_or(a);
                let mut t = self.partner_tenancy(a, pa, &[cl]);
                if who != a {
                    self.r2_standing(&mut t, a, pa, cl);
                }
                all_or_none(self, t, &[who], 204, |m, who| m.a10_convert_partner_side(a, pa, cl, who, *keep_billing))
            }
            Op::SetEnd { actor, partner, client, employee, ends_at } => {
                let (a, pa, cl, e) = (u(*actor), p(*partner), c(*client), u(*employee));
                let mut t = self.partner_tenancy(a, pa, &[cl]);
                self.r2_standing(&mut t, a, pa, cl);
                all_or_none(self, t, &[e], 204, |m, e| m.a6_end_partner_side(a, pa, cl, e, *ends_at))
            }
            Op::Regenerate { actor, partner, employee } => {
                let (a, pa, e) = (u(*actor), p(*partner), u(*employee));
                let t = self.partner_tenancy(a, pa, &[]);
                all_or_none(self, t, &[e], 200, |m, e| m.regenerate(pa, e))
            }
            Op::ReviewJob { actor, partner, remove, rows } => {
                let (a, pa) = (u(*actor), p(*partner));
                let keys: Vec<Key> = rows.iter().map(|(cl, e)| (c(*cl), u(*e))).collect();
                let foreign: Vec<bool> = keys
                    .iter()
                    .map(|(cl, e)| !self.clients.contains(&(pa, *cl)) || self.person_of(*cl, pa, *e).is_none())
                    .collect();
                let row =
                    |m: &Model, (cl, e): Key| if *remove { m.a3_remove(pa, cl, e) } else { m.a3_deactivate(pa, cl, e) };
                job_either_order(self, self.partner_tenancy(a, pa, &[]), &keys, &foreign, &row)
            }
            Op::ClientsJob { actor, partner, employee, change_set, clients, set, ends_at } => {
                let (a, pa, e) = (u(*actor), p(*partner), u(*employee));
                let mut t = self.partner_tenancy(a, pa, &[]);
                t.when(self.member(pa, e).is_none(), &[404], "not the partner's employee");
                t.when(ends_at.is_some_and(|at| self.bad_end(at)), &[422], "R14: the end is past or too far");
                let keys: Vec<Key> = clients.iter().map(|cl| (c(*cl), e)).collect();
                let foreign: Vec<bool> = keys.iter().map(|(cl, _)| !self.clients.contains(&(pa, *cl))).collect();
                let set = SETS[*set];
                let row = |m: &Model, (cl, e): Key| {
                    if *change_set {
                        m.a2_change_set(a, pa, cl, e, set)
                    } else {
                        m.a1_add(a, pa, cl, e, set, *ends_at)
                    }
                };
                job_either_order(self, t, &keys, &foreign, &row)
            }
            Op::Approve { approver, employee, partner, account, convert, keep, ends_at } => {
                let account = if *account == CLIENTS { p(NW) } else { c(*account) };
                self.a8_approve(u(*approver), u(*employee), p(*partner), account, *convert, *keep, *ends_at)
            }
            Op::EditPermissions { editor, client, target, set, removed, added } => {
                let (a, cl, t) = (u(*editor), c(*client), u(*target));
                let added = added.iter().copied().collect();
                let removed = removed.iter().copied().collect();
                let tenancy = self.client_tenancy(a, cl, Some(t), Standing::A9);
                all_or_none(self, tenancy, &[t], 200, |m, t| {
                    m.a9_edit_permissions(a, cl, t, SETS[*set], added, removed)
                })
            }
            Op::CreateUser { creator, client, person, partner_seat, template } => {
                let (a, cl) = (u(*creator), c(*client));
                let tenancy = self.client_tenancy(a, cl, None, Standing::A9);
                if tenancy.any() {
                    return Outcome::refused(tenancy);
                }
                self.a9_create_user(ids, a, cl, *person, *partner_seat, template.map(|i| SETS[i]))
            }
            Op::UsersTeams { actor, client, target, action } => {
                let (a, cl, t) = (u(*actor), c(*client), u(*target));
                let tenancy = self.client_tenancy(a, cl, Some(t), Standing::A9);
                all_or_none(self, tenancy, &[t], 204, |m, t| match action {
                    UserAction::Deactivate => m.a9_deactivate(a, cl, t),
                    UserAction::Reactivate => m.a9_reactivate(a, cl, t),
                    UserAction::Remove => m.a9_remove(a, cl, t),
                })
            }
            Op::ClientSetEnd { actor, client, target, ends_at } => {
                let (a, cl, t) = (u(*actor), c(*client), u(*target));
                let tenancy = self.client_tenancy(a, cl, Some(t), Standing::A7);
                all_or_none(self, tenancy, &[t], 204, |m, t| m.a7_end_client_side(a, cl, t, *ends_at))
            }
            Op::ClientMigrate { actor, client, target, keep_billing } => {
                let (a, cl, t) = (u(*actor), c(*client), u(*target));
                let tenancy = self.client_tenancy(a, cl, Some(t), Standing::A10);
                all_or_none(self, tenancy, &[t], 204, |m, t| m.a10_convert_client_side(a, cl, t, *keep_billing))
            }
            Op::ControlPartner { actor, client, partner, action } => {
                self.a12_control_partner(u(*actor), c(*client), p(*partner), *action)
            }
            Op::SetCeiling { actor, client, partner, ceiling } => {
                self.a14_terms(u(*actor), c(*client), p(*partner), terms::Step::Ceiling(ceiling.as_ref()))
            }
            Op::RelationshipEnd { actor, client, partner, ends_at } => {
                self.a14_terms(u(*actor), c(*client), p(*partner), terms::Step::End(*ends_at))
            }
            Op::Tick { to, work } => {
                let mut next = self.clone();
                next.now = *to;
                // R14: at its second an end deactivates the membership (by
                // the system), stored or not yet: moving or removing the end
                // afterwards does not bring it back, a reactivation does.
                // The end is the effective one: its own, or its partner's
                // relationship end there, whichever comes first (R18).
                let due: Vec<Key> =
                    next.members.iter().filter(|(_, m)| m.active && next.ended(m)).map(|(k, _)| *k).collect();
                for key in due {
                    let m = next.members.get_mut(&key).unwrap();
                    m.active = false;
                    m.by = Some(state::By::System);
                    m.marked = false;
                }
                if *work {
                    next.timed_work();
                }
                Outcome::allowed(204, next)
            }
        }
    }
}

/// A membership in a line: its status, set, permissions (against the
/// set's), seat, partner, end and who deactivated it.
fn show_member(m: &Option<Member>, ids: &Ids, now: i64, schema: &Schema) -> String {
    let Some(m) = m else { return "absent".into() };
    let by = match m.by {
        _ if !schema.deactivated_by => " (deactivated_by not in the schema)".to_string(),
        Some(by) => format!(" by {by:?}"),
        None => " by nobody recorded".to_string(),
    };
    let mut out = vec![if m.active { "active".to_string() } else { format!("deactivated{by}") }];
    if m.super_admin {
        out.push("super admin".into());
    } else {
        let base = match m.set {
            Some(domain::SetKey::Standard(s)) => {
                out.push(s.key().to_string());
                s.perms()
            }
            Some(other) => {
                out.push(other.to_storage());
                domain::Perms::EMPTY
            }
            None => {
                out.push("no set".into());
                domain::Perms::EMPTY
            }
        };
        let plus: Vec<_> = m.perms.difference(base).iter().map(|p| p.key()).collect();
        let minus: Vec<_> = base.difference(m.perms).iter().map(|p| p.key()).collect();
        if !plus.is_empty() {
            out.push(format!("+{plus:?}"));
        }
        if !minus.is_empty() {
            out.push(format!("-{minus:?}"));
        }
    }
    out.push(format!("seat {}", m.seat.key()));
    if let Some(p) = m.partner {
        out.push(format!("of {}", ids.account(p)));
    }
    if let Some(e) = m.end {
        let side = if schema.ends_by { format!("{:?} side", e.side) } else { "ends_by not in the schema".into() };
        out.push(format!("ends {} ({side})", ops::relative(e.at - now)));
    }
    if m.marked {
        out.push("suspension's".into());
    }
    out.join(", ")
}

/// `model` with its open results resolved by what is stored; or what differs.
fn resolve(model: &Model, stored: &Model, schema: &Schema, ids: &Ids) -> Result<Model, Vec<String>> {
    let mut out = model.clone();
    out.alts.clear();
    out.loose_suspended.clear();
    out.loose_terms.clear();
    let mut diffs = vec![];
    let keys: BTreeSet<Key> =
        model.members.keys().chain(stored.members.keys()).chain(model.alts.keys()).copied().collect();
    for key in keys {
        let found = stored.members.get(&key).map(|m| model.view(m, schema));
        let options: Vec<Option<Member>> = std::iter::once(model.members.get(&key).cloned())
            .chain(model.alts.get(&key).cloned().unwrap_or_default())
            .collect();
        match options.iter().find(|o| o.as_ref().map(|m| model.view(m, schema)) == found) {
            Some(Some(m)) => {
                out.members.insert(key, m.clone());
            }
            Some(None) => {
                out.members.remove(&key);
            }
            None => diffs.push(format!(
                "{}: SPEC {}{}, stored {}",
                ids.key(key),
                show_member(&options[0].as_ref().map(|m| model.view(m, schema)), ids, model.now, schema),
                if options.len() > 1 { format!(" (or {} other readings)", options.len() - 1) } else { String::new() },
                show_member(&found, ids, model.now, schema)
            )),
        }
    }
    if model.clients != stored.clients {
        let extra: Vec<_> = stored.clients.difference(&model.clients).collect();
        let missing: Vec<_> = model.clients.difference(&stored.clients).collect();
        diffs.push(format!("managed clients: stored adds {extra:?}, lacks {missing:?}"));
    }
    if model.links != stored.links {
        diffs.push(format!("live links: SPEC {:?}, stored {:?}", model.links.keys(), stored.links.keys()));
    }
    for pair in model.suspended.symmetric_difference(&stored.suspended) {
        if model.loose_suspended.contains(pair) {
            continue;
        }
        diffs.push(format!(
            "suspension of {} in {}: SPEC {}, stored {}",
            ids.account(pair.1),
            ids.account(pair.0),
            model.suspended.contains(pair),
            stored.suspended.contains(pair)
        ));
    }
    out.suspended = stored.suspended.clone();
    // R18: each partner's ceiling and relationship end; where the partner's
    // last person there went, the terms may be kept or gone.
    let pairs: BTreeSet<(i64, i64)> = model.terms.keys().chain(stored.terms.keys()).copied().collect();
    for pair in pairs {
        let (want, found) = (model.terms.get(&pair), stored.terms.get(&pair));
        if want == found || (found.is_none() && model.loose_terms.contains(&pair)) {
            continue;
        }
        let show = |t: Option<&Terms>| match t {
            None => "none".to_string(),
            Some(t) => format!(
                "ceiling {} (set {:?}), relationship end {}",
                t.ceiling
                    .map(|c| format!("{:?}", c.iter().map(|p| p.key()).collect::<Vec<_>>()))
                    .unwrap_or("none".into()),
                t.ceiling_set,
                t.ends_at.map(|at| ops::relative(at - model.now)).unwrap_or("none".into())
            ),
        };
        diffs.push(format!(
            "terms of {} in {}: SPEC {}, stored {}",
            ids.account(pair.1),
            ids.account(pair.0),
            show(want),
            show(found)
        ));
    }
    out.terms = stored.terms.clone();
    if diffs.is_empty() {
        Ok(out)
    } else {
        Err(diffs)
    }
}

/// The outcome SPEC allows, in words.
fn expectation(o: &Outcome) -> String {
    let mut parts = vec![];
    if o.refused.any() {
        let why: Vec<&str> = o.refused.why.iter().map(String::as_str).collect();
        parts.push(format!("a refusal {:?} ({})", o.refused.codes, why.join("; ")));
    }
    let allowed: BTreeSet<u16> = o.allowed.iter().map(|a| a.status).collect();
    if !allowed.is_empty() {
        parts.push(format!("success {allowed:?}"));
    }
    parts.join(" or ")
}

/// The step's answer judged against the model: the state to go on with, or the divergence.
#[allow(clippy::too_many_arguments)]
fn judge(
    op: &Op,
    ids: &Ids,
    schema: &Schema,
    model: &Model,
    outcome: &Outcome,
    got: u16,
    body: &Value,
    stored: &Model,
    report: &BTreeMap<Key, bool>,
) -> Result<(Model, bool), String> {
    if outcome.refused.codes.contains(&got) {
        return match resolve(model, stored, schema, ids) {
            Ok(same) => Ok((same, false)),
            Err(diffs) => {
                Err(format!("refused ({got}, as SPEC allows) but the stored state changed: {}", diffs.join("; ")))
            }
        };
    }
    let candidates: Vec<&Allowed> = outcome.allowed.iter().filter(|a| a.status == got).collect();
    if candidates.is_empty() {
        let why = body["error"]["message"].as_str().map(|m| format!(" \"{m}\"")).unwrap_or_default();
        return Err(format!("SPEC expects {}, the server answered {got}{why}", expectation(outcome)));
    }
    let mut first_diff = None;
    for cand in &candidates {
        let resolved = match resolve(&cand.model, stored, schema, ids) {
            Ok(r) => r,
            Err(d) => {
                first_diff.get_or_insert(d.join("; "));
                continue;
            }
        };
        let wrong_rows: Vec<String> = cand
            .rows
            .iter()
            .filter(|(k, done)| report.get(k) != Some(done))
            .map(|(k, done)| {
                format!(
                    "{}: SPEC {}, reported {:?}",
                    ids.key(*k),
                    if *done { "done" } else { "refused" },
                    report.get(k)
                )
            })
            .collect();
        if !wrong_rows.is_empty() {
            first_diff.get_or_insert(format!("job rows: {}", wrong_rows.join("; ")));
            continue;
        }
        if let Some(u) = cand.signed_out.iter().find(|u| stored.signed_in.contains(u)) {
            return Err(format!("{} is still signed in after {}", ids.name(*u), op.kind()));
        }
        // R9 and the flags on the stored rows themselves (an ended super
        // admin the timed work deactivated counts as deactivated).
        invariants::invariants(stored, ids)
            .and_then(|_| invariants::no_widening_without_holding(op, ids, model, &resolved))
            .and_then(|_| invariants::tenant_isolation(op, ids, model, &resolved))
            .and_then(|_| invariants::billing_only_when_kept(op, ids, model, &resolved))
            .map_err(|e| format!("invariant broken: {e}"))?;
        return Ok((resolved, true));
    }
    Err(format!(
        "answered {got} as SPEC allows, but the stored state is not SPEC's: {}",
        first_diff.unwrap_or_default()
    ))
}

/// R18: a ceiling's answer names how many people it narrowed: those of
/// the partner there holding something outside it.
fn narrowed_as_answered(op: &Op, ids: &Ids, before: &Model, body: &Value) -> Result<(), String> {
    if let Op::SetCeiling { client, partner, ceiling: Some(c), .. } = op {
        let want = before.narrowed_by(ids.clients[*client], ids.partners[*partner], c.perms());
        if body["people"].as_u64() != Some(want as u64) {
            return Err(format!("the ceiling narrowed {want} people, the answer says {:?}", body["people"]));
        }
    }
    Ok(())
}

/// After a divergence (survey or ignored kinds): go on from what is
/// stored, keeping the model's record of sides and deactivations where the
/// schema has no column for them.
fn adopt(model: &Model, stored: &Model) -> Model {
    let mut next = stored.clone();
    for (key, m) in next.members.iter_mut() {
        if let Some(old) = model.members.get(key) {
            if m.by.is_none() && !m.active {
                m.by = old.by;
            }
            if let (Some(e), Some(o)) = (m.end.as_mut(), old.end) {
                if e.at == o.at {
                    e.side = o.side;
                }
            }
        }
    }
    next
}

#[derive(Default)]
struct Tally {
    sequences: AtomicUsize,
    steps: AtomicUsize,
    allowed: AtomicUsize,
    refused: AtomicUsize,
    by_kind: Mutex<BTreeMap<&'static str, (usize, usize)>>,
    /// Survey: why refused steps were refused, by kind.
    reasons: Mutex<BTreeMap<(&'static str, String), usize>>,
    /// Survey: each divergence's kind and words, with the first sequence showing it.
    divergences: Mutex<BTreeMap<String, (usize, String)>>,
}

async fn set_clock(app: &TestApp, at: i64) -> Result<(), String> {
    let res =
        request(app, Method::PUT, "/api/v1/test/clock", Some(&json!({ "now": at })), None, Presenting::OwnPage).await;
    if res.status.as_u16() != 204 {
        return Err(format!("the test clock did not move: {} {:?}", res.status, res.body));
    }
    Ok(())
}

/// R17: a started job's report once it ends: each row's (client, user) and whether it was done.
async fn job_report(
    app: &TestApp,
    browser: &Browser,
    partner: i64,
    body: &Value,
) -> Result<BTreeMap<Key, bool>, String> {
    let id = body["id"].as_i64().ok_or_else(|| format!("a job without an id: {body:?}"))?;
    for _ in 0..400 {
        let path = format!("/api/v1/accounts/{partner}/cam/jobs/{id}?per_page=100");
        let r = request(app, Method::GET, &path, None, Some(browser), Presenting::OwnPage).await;
        if r.status.as_u16() != 200 {
            return Err(format!("job {id}: {} {:?}", r.status, r.body));
        }
        if r.body["job"]["state"] != "running" {
            if r.body["job"]["state"] != "done" {
                return Err(format!("job {id} ended {:?}", r.body["job"]));
            }
            let mut rows = BTreeMap::new();
            for row in r.body["results"]["rows"].as_array().into_iter().flatten() {
                let key = (row["client_id"].as_i64().unwrap(), row["user_id"].as_i64().unwrap());
                if rows.insert(key, row["refusal"].is_null()).is_some() {
                    return Err(format!("job {id} reports a row twice: {row:?}"));
                }
            }
            return Ok(rows);
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    Err(format!("job {id} did not end"))
}

/// The clients' employee counters (kept by triggers) equal a recount.
async fn counters_match(app: &TestApp) -> Result<(), String> {
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
        return Err(format!("{off} clients' employee counters differ from a recount"));
    }
    Ok(())
}

/// The demo world made ready: links issued, Ada narrowed in Acme, Eve
/// given *Add and edit users* with too little to act over anyone, Uma
/// made Acme's own user holding every Partner Admin permission.
async fn prepare(app: &TestApp, w: &World, browsers: &BTreeMap<i64, Browser>) -> BTreeMap<(i64, i64), Option<String>> {
    let mut tokens = BTreeMap::new();
    for (partner, issuer, people) in
        [(w.nw, w.ada, vec![w.ada, w.dan, w.cleo, w.eve, w.ben]), (w.contoso, w.cody, vec![w.cody, w.cora])]
    {
        for e in people {
            let path = format!("/api/v1/accounts/{partner}/cam/employees/{e}/access-link");
            let res = request(app, Method::PUT, &path, None, browsers.get(&issuer), Presenting::OwnPage).await;
            assert_eq!(res.status.as_u16(), 200, "{path}: {:?}", res.body);
            let token = res.body["path"].as_str().unwrap().trim_start_matches("/access/").to_string();
            tokens.insert((e, partner), Some(token));
        }
    }
    let carol = browsers.get(&w.carol);
    let res = request(
        app,
        Method::POST,
        &format!("/api/v1/accounts/{}/users", w.acme),
        Some(&json!({ "email": "uma@umbrella.example", "seat": "core", "template": "view_only" })),
        carol,
        Presenting::OwnPage,
    )
    .await;
    assert_eq!(res.status.as_u16(), 201, "Uma created in Acme: {:?}", res.body);
    let pa: Vec<&str> = domain::StandardSet::PartnerAdmin.perms().iter().map(|p| p.key()).collect();
    for (who, body) in [
        (w.ada, json!({ "permission_set": "partner_admin", "added": [], "removed": ["reports_view", "reports_edit"] })),
        (w.eve, json!({ "permission_set": "view_only", "added": ["users_edit", "deals_edit"], "removed": [] })),
        (w.uma, json!({ "permission_set": "view_only", "added": pa, "removed": [] })),
    ] {
        let path = format!("/api/v1/accounts/{}/users/{who}/permissions", w.acme);
        let res = request(app, Method::PUT, &path, Some(&body), carol, Presenting::OwnPage).await;
        assert_eq!(res.status.as_u16(), 200, "{path}: {:?}", res.body);
    }
    tokens
}

/// A start that makes reactivations worth trying: Dan deactivated in Aurora
/// by Northwind with an end Northwind set ahead, Cora deactivated in Acme by
/// the client with an end the client set ahead (each step judged like any).
fn prelude(now: i64) -> Vec<Op> {
    use state::{ACME, ADA, CAROL, CORA, DAN, NW};
    const AURORA: usize = 6;
    vec![
        Op::SetEnd { actor: ADA, partner: NW, client: AURORA, employee: DAN, ends_at: Some(now + 20 * DAY) },
        Op::Deactivate { actor: ADA, partner: NW, client: AURORA, employee: DAN },
        Op::ClientSetEnd { actor: CAROL, client: ACME, target: CORA, ends_at: Some(now + 25 * DAY) },
        Op::UsersTeams { actor: CAROL, client: ACME, target: CORA, action: UserAction::Deactivate },
    ]
}

/// A start where R18 bears on what follows: Acme narrows Northwind's
/// people to a ceiling (a list: Ada and Cleo lose what it leaves out) and
/// ends its relationship with Contoso within a week (each step judged like
/// any).
fn terms_prelude(now: i64) -> Vec<Op> {
    use domain::Permission::*;
    use state::{ACME, CAROL, CONTOSO, NW};
    let list =
        vec![ContactsView, ContactsEdit, CompaniesView, DealsView, DealsEdit, TicketsView, ReportsView, UsersEdit];
    vec![
        Op::SetCeiling { actor: CAROL, client: ACME, partner: NW, ceiling: Some(ops::Ceiling::List(list)) },
        Op::RelationshipEnd { actor: CAROL, client: ACME, partner: CONTOSO, ends_at: Some(now + 6 * DAY + 5 * HOUR) },
    ]
}

async fn run(
    (start_with, plans): (u8, Vec<Plan>),
    tally: &Tally,
    survey: bool,
    ignored: &[String],
) -> Result<(), String> {
    let app = TestApp::spawn_with(|c| {
        c.links_per_minute = 1_000_000;
        c.sign_in_per_minute = 1_000_000;
        c.test_mode = true;
        c.session_idle_minutes = 10 * 365 * 24 * 60;
        c.session_absolute_hours = 10 * 365 * 24;
    })
    .await;
    let w = World::load(&app).await;
    let ids = Ids::load(&app, &w).await;
    let schema = stored::schema(&app).await;
    let start = app.state.clock.now().0;
    set_clock(&app, start).await?;
    let mut browsers: BTreeMap<i64, Browser> = BTreeMap::new();
    for uid in ids.users {
        browsers.insert(uid, session(&app, uid).await);
    }
    let hash_of = |b: &Browser| server::auth::token_hash(b.cookie.split_once('=').unwrap().1);
    let tokens = prepare(&app, &w, &browsers).await;
    let sessions: BTreeMap<i64, String> = browsers.iter().map(|(u, b)| (*u, hash_of(b))).collect();
    let boot = Model {
        now: start,
        start,
        kinds: BTreeMap::new(),
        members: BTreeMap::new(),
        clients: BTreeSet::new(),
        links: tokens,
        suspended: BTreeSet::new(),
        signed_in: BTreeSet::new(),
        alts: BTreeMap::new(),
        loose_suspended: BTreeSet::new(),
        terms: BTreeMap::new(),
        loose_terms: BTreeSet::new(),
    };
    let mut model = stored::stored(&app, &schema, &boot, &sessions).await;
    invariants::invariants(&model, &ids).map_err(|e| format!("the demo data breaks an invariant: {e}"))?;
    let n = tally.sequences.fetch_add(1, Ordering::Relaxed);
    let mut log: Vec<String> = vec![];

    let prelude = match start_with {
        1 => prelude(model.now),
        2 => terms_prelude(model.now),
        _ => vec![],
    };
    let steps = prelude.into_iter().map(Ok).chain(plans.iter().map(Err));
    for step in steps {
        let op = match step {
            Ok(op) => op,
            Err(plan) => plan.resolve(&model, &ids),
        };
        let actor = op.actor().map(|i| ids.users[i]);
        if !matches!(op, Op::Tick { .. }) {
            set_clock(&app, model.now).await?;
        }
        // A user signed out by an earlier step signs in again first; so
        // does one whose session the clock's timed work has just ended (a
        // client user linked once the partner's relationship has ended is
        // ended at once, R18).
        if let Some(a) = actor {
            let alive = match browsers.get(&a) {
                Some(b) => {
                    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
                        .bind(hash_of(b))
                        .fetch_one(&app.state.db)
                        .await
                        .unwrap()
                        > 0
                }
                None => false,
            };
            if !model.signed_in.contains(&a) || !alive {
                browsers.insert(a, session(&app, a).await);
                model.signed_in.insert(a);
            }
        }
        let outcome = model.decide(&op, &ids);
        let (method, path, body) = ops::http(&op, &ids, &model.links);
        let browser = actor.and_then(|a| browsers.get(&a)).cloned();
        let res = request(&app, method, &path, body.as_ref(), browser.as_ref(), Presenting::OwnPage).await;
        let got = res.status.as_u16();
        if let (Op::Tick { work: true, .. }, 204) = (&op, got) {
            server::work::ending::run(&app.state).await.map_err(|e| format!("the timed work failed: {e:?}"))?;
        }
        let mut report = BTreeMap::new();
        if let (Op::ReviewJob { partner, .. } | Op::ClientsJob { partner, .. }, 202) = (&op, got) {
            report = job_report(&app, browser.as_ref().unwrap(), ids.partners[*partner], &res.body).await?;
        }
        let sessions: BTreeMap<i64, String> = browsers.iter().map(|(u, b)| (*u, hash_of(b))).collect();
        let mut now_stored = stored::stored(&app, &schema, &model, &sessions).await;
        if let Op::Tick { to, .. } = op {
            now_stored.now = to;
        }
        let step = format!("step {} {}: {}", log.len(), op.kind(), op.show(model.now));
        log.push(format!("{step} → {got}"));
        let verdict =
            judge(&op, &ids, &schema, &model, &outcome, got, &res.body, &now_stored, &report).and_then(|(next, ok)| {
                if ok {
                    narrowed_as_answered(&op, &ids, &model, &res.body).map(|_| (next, ok))
                } else {
                    Ok((next, ok))
                }
            });
        match verdict {
            Ok((mut next, ok)) => {
                if ok {
                    if let Op::Regenerate { partner, employee, .. } = &op {
                        let token =
                            res.body["path"].as_str().unwrap_or_default().trim_start_matches("/access/").to_string();
                        next.links.insert((ids.users[*employee], ids.partners[*partner]), Some(token));
                    }
                }
                next.signed_in = now_stored.signed_in.clone();
                model = next;
                if !ok && survey {
                    let why: Vec<&str> = outcome.refused.why.iter().map(String::as_str).collect();
                    *tally.reasons.lock().unwrap().entry((op.kind(), why.join("; "))).or_default() += 1;
                }
                let counter = if ok { &tally.allowed } else { &tally.refused };
                counter.fetch_add(1, Ordering::Relaxed);
                let mut kinds = tally.by_kind.lock().unwrap();
                let e = kinds.entry(op.kind()).or_default();
                if ok {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
            Err(e) => {
                let ignore = ignored.iter().any(|k| op.kind().starts_with(k.as_str()));
                if !survey && !ignore {
                    return Err(format!("{e}\n  at {step}\n  sequence:\n    {}", log.join("\n    ")));
                }
                if survey {
                    let key = format!("{}: {}", op.kind(), e.split('"').next().unwrap_or(&e));
                    let mut d = tally.divergences.lock().unwrap();
                    d.entry(key).or_insert_with(|| {
                        (n, format!("{e}\n    at {step}\n    after:\n      {}", log.join("\n      ")))
                    });
                }
                let adopted = adopt(&model, &now_stored);
                if survey {
                    // What the invariants say of the server's own result.
                    let broken = invariants::invariants(&now_stored, &ids)
                        .and_then(|_| invariants::no_widening_without_holding(&op, &ids, &model, &adopted))
                        .and_then(|_| invariants::tenant_isolation(&op, &ids, &model, &adopted))
                        .and_then(|_| invariants::billing_only_when_kept(&op, &ids, &model, &adopted));
                    if let Err(b) = broken {
                        let key = format!("invariant after {}: {}", op.kind(), b.split(" for ").next().unwrap_or(&b));
                        let mut d = tally.divergences.lock().unwrap();
                        d.entry(key).or_insert_with(|| (n, format!("{b}\n    at {step}")));
                    }
                }
                model = adopted;
            }
        }
        counters_match(&app).await.map_err(|e| format!("{step}: {e}"))?;
        tally.steps.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

use plan::Plan;

#[test]
fn the_api_obeys_the_authority_table_after_every_step() {
    let env = |k: &str| std::env::var(k).ok();
    let cases = env("CAM_MODEL_CASES").and_then(|v| v.parse().ok()).unwrap_or(48);
    let steps = env("CAM_MODEL_STEPS").and_then(|v| v.parse().ok()).unwrap_or(40usize);
    let survey = env("CAM_MODEL_SURVEY").is_some_and(|v| v == "1");
    let ignored: Vec<String> = env("CAM_MODEL_IGNORE")
        .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let tally = Tally::default();
    let mut runner =
        TestRunner::new(Config { cases, failure_persistence: None, max_shrink_iters: 2_000, ..Config::default() });
    let strategy = (0u8..3, proptest::collection::vec(plan::plan(), 1..=steps));
    let result =
        runner.run(&strategy, |input| rt.block_on(run(input, &tally, survey, &ignored)).map_err(TestCaseError::fail));
    let kinds = tally.by_kind.lock().unwrap();
    let per_kind: Vec<String> = kinds.iter().map(|(k, (ok, no))| format!("{k} {ok}/{}", ok + no)).collect();
    println!(
        "model test: {} sequences, {} steps ({} allowed, {} refused); allowed/all by kind: {}",
        tally.sequences.load(Ordering::Relaxed),
        tally.steps.load(Ordering::Relaxed),
        tally.allowed.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed),
        per_kind.join(", ")
    );
    let found = tally.divergences.lock().unwrap();
    if survey {
        for ((kind, why), count) in tally.reasons.lock().unwrap().iter() {
            println!("refused {count:>3} × {kind}: {why}");
        }
        println!("model test survey: {} kinds of divergence", found.len());
        for (key, (seq, example)) in found.iter() {
            println!("\n== {key} (first in sequence {seq})\n  {example}");
        }
        assert!(found.is_empty(), "the API diverged from SPEC §9 ({} kinds, listed above)", found.len());
    }
    if let Err(e) = result {
        panic!("the API diverged from SPEC §9: {e}");
    }
}
