//! What is stored, read with the model's own SQL from the schema in
//! `crates/server/migrations` (no server type decodes it), in the model's
//! terms. SPEC §9's new columns (`ends_by`, `deactivated_by`) are read only
//! where the schema has them.

use super::state::*;
use domain::{AccountKind, PartnerProgram, Permission, Perms, Seat, SetKey};
use std::collections::{BTreeMap, BTreeSet};
use tooling::harness::TestApp;

/// Which of §9's columns the schema has.
pub async fn schema(app: &TestApp) -> Schema {
    let has = |column: &'static str| async move {
        sqlx::query(&format!("SELECT {column} FROM memberships LIMIT 1")).fetch_all(&app.state.db).await.is_ok()
    };
    Schema { ends_by: has("ends_by").await, deactivated_by: has("deactivated_by").await }
}

type Row = (
    i64,
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A `partner_terms` row: account, partner, ceiling set, ceiling permissions, relationship end.
type TermsRow = (i64, i64, Option<String>, Option<String>, Option<i64>);

/// SPEC §2: a membership grants its set with the individual permissions
/// added and removed on top (a super admin: everything); super-admin-only
/// permissions never come with a set or an override.
fn permissions(super_admin: bool, set: Option<SetKey>, custom: Option<&str>, added: &str, removed: &str) -> Perms {
    if super_admin {
        return Perms::all();
    }
    let base = match set {
        Some(SetKey::Standard(s)) => s.perms(),
        Some(SetKey::Custom(_)) => Perms::from_keys(custom.unwrap_or("")).unwrap(),
        None => Perms::EMPTY,
    };
    let added = Perms::from_keys(added).unwrap();
    let removed = Perms::from_keys(removed).unwrap();
    base.union(added).difference(removed).iter().filter(|p: &Permission| !p.is_super_admin_only()).collect()
}

/// The stored state, with `links` tokens where the harness knows them.
pub async fn stored(app: &TestApp, schema: &Schema, model: &Model, sessions: &BTreeMap<i64, String>) -> Model {
    let db = &app.state.db;
    let ends_by = if schema.ends_by { "m.ends_by" } else { "CAST(NULL AS TEXT)" };
    let by = if schema.deactivated_by { "m.deactivated_by" } else { "CAST(NULL AS TEXT)" };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT m.account_id, m.user_id, m.super_admin, m.permission_set, m.perms_added, m.perms_removed, \
                m.seat, m.status, m.partner_account_id, m.ends_at, m.suspended, {ends_by}, {by}, ps.permissions \
         FROM memberships m LEFT JOIN permission_sets ps ON m.permission_set = 'custom:' || CAST(ps.id AS TEXT)"
    ))
    .fetch_all(db)
    .await
    .unwrap();
    let mut members = BTreeMap::new();
    for (account, user, sa, set, added, removed, seat, status, partner, ends_at, marked, ends_by, by, custom) in rows {
        let set = set.as_deref().map(|s| SetKey::from_storage(s).unwrap_or_else(|| panic!("stored set {s}")));
        let side = match ends_by.as_deref() {
            Some("client") => Side::Client,
            Some("partner") | None => Side::Partner,
            Some(other) => panic!("stored ends_by {other}"),
        };
        let by = match by.as_deref() {
            None => None,
            Some("partner") => Some(By::Partner),
            Some("client") => Some(By::Client),
            Some("system") => Some(By::System),
            Some(other) => panic!("stored deactivated_by {other}"),
        };
        let m = Member {
            account,
            super_admin: sa == 1,
            set,
            perms: permissions(sa == 1, set, custom.as_deref(), &added, &removed),
            seat: Seat::parse(&seat).unwrap(),
            active: status == "active",
            partner,
            end: ends_at.map(|at| End { at, side }),
            by,
            marked: marked == 1,
        };
        members.insert((account, user), m);
    }
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
            let known = model.links.get(&(u, p)).cloned().flatten().filter(|t| server::auth::token_hash(t) == hash);
            ((u, p), known)
        })
        .collect();
    let alive: BTreeSet<String> =
        sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(db).await.unwrap().into_iter().collect();
    let signed_in = sessions.iter().filter(|(_, h)| alive.contains(*h)).map(|(u, _)| *u).collect();
    let suspended = sqlx::query_as::<_, (i64, i64)>("SELECT account_id, partner_account_id FROM partner_suspensions")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    // R18: the ceilings and relationship ends (a row holding neither is
    // the same as none).
    let rows: Vec<TermsRow> =
        sqlx::query_as("SELECT account_id, partner_account_id, ceiling_set, ceiling_perms, ends_at FROM partner_terms")
            .fetch_all(db)
            .await
            .unwrap();
    let terms = rows
        .into_iter()
        .map(|(account, partner, set, perms, ends_at)| {
            let ceiling = perms.map(|p| Perms::from_keys(&p).unwrap_or_else(|k| panic!("stored ceiling with {k}")));
            ((account, partner), Terms { ceiling, ceiling_set: set, ends_at })
        })
        .filter(|(_, t)| !t.is_empty())
        .collect();
    Model {
        now: model.now,
        start: model.start,
        kinds,
        members,
        clients,
        links,
        suspended,
        signed_in,
        alts: BTreeMap::new(),
        loose_suspended: BTreeSet::new(),
        terms,
        loose_terms: BTreeSet::new(),
    }
}
