//! The statements that write membership changes, set-wise: a handful per
//! batch whatever its size, so that one change and a thousand-row bulk job
//! take the same path ([`crate::changes`] decides what to write). Rows are
//! named by their key, `account_id * 2^32 + user_id`, in a JSON array.

use crate::db::bulk::{json_ids, INSERT_ROWS};
use domain::{Grant, Membership, SetKey};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The key of a membership row.
pub fn key(account_id: i64, user_id: i64) -> i64 {
    domain::api::RowKey { client_id: account_id, user_id }.pack()
}

const KEY: &str = "(account_id * 4294967296 + user_id)";

/// Removes the memberships: their owners' assets there lose their owner
/// (returned per row: how many), and a suspension whose partner has nobody
/// left in the account ends (R16).
pub async fn remove(
    conn: &mut AnyConnection,
    rows: &[(i64, i64)],
    now: i64,
) -> Result<BTreeMap<(i64, i64), i64>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let keys = json_ids(rows.iter().map(|(a, u)| key(*a, *u)));
    let owned =
        format!("{} AND owner_user_id IS NOT NULL", b.in_id_list("(account_id * 4294967296 + owner_user_id)", "$1"));
    let counts: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT account_id, owner_user_id, COUNT(*) FROM assets WHERE {owned} GROUP BY account_id, owner_user_id"
    ))
    .bind(&keys)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(&format!("UPDATE assets SET owner_user_id = NULL, updated_at = $2 WHERE {owned}"))
        .bind(&keys)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!("DELETE FROM memberships WHERE {}", b.in_id_list(KEY, "$1")))
        .bind(&keys)
        .execute(&mut *conn)
        .await?;
    let accounts = json_ids(rows.iter().map(|(a, _)| *a));
    sqlx::query(&format!(
        "DELETE FROM partner_suspensions WHERE {} AND NOT EXISTS (SELECT 1 FROM memberships m \
         WHERE m.account_id = partner_suspensions.account_id AND m.partner_account_id = partner_suspensions.partner_account_id)",
        b.in_id_list("account_id", "$1")
    ))
    .bind(accounts)
    .execute(&mut *conn)
    .await?;
    Ok(counts.into_iter().map(|(a, u, n)| ((a, u), n)).collect())
}

/// A membership's standing as stored: every column but its permissions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Standing {
    seat: &'static str,
    status: &'static str,
    partner_account_id: Option<i64>,
    ends_at: Option<i64>,
    ends_by: Option<&'static str>,
    deactivated_by: Option<&'static str>,
    suspended: i64,
}

impl Standing {
    /// The standing of `m`.
    pub fn of(m: &Membership) -> Standing {
        Standing {
            seat: m.seat.key(),
            status: m.status.key(),
            partner_account_id: m.partner_account_id,
            ends_at: m.end.map(|e| e.at.0),
            ends_by: m.end.map(|e| e.by.key()),
            deactivated_by: m.deactivated_by.map(|d| d.key()),
            suspended: i64::from(m.suspended),
        }
    }
}

/// Stores new memberships with their standing (permissions follow from
/// their grants, through [`write_grants`]).
pub async fn insert(conn: &mut AnyConnection, rows: &[(i64, i64, Standing)], now: i64) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(INSERT_ROWS / 2) {
        let sql = format!(
            "INSERT INTO memberships (account_id, user_id, super_admin, permission_set, perms_added, perms_removed, seat, \
             status, partner_account_id, ends_at, ends_by, ends_set_at, deactivated_by, suspended, created_at) VALUES {}",
            values_with_constants(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (account_id, user_id, s) in chunk {
            q = q
                .bind(*account_id)
                .bind(*user_id)
                .bind(s.seat)
                .bind(s.status)
                .bind(s.partner_account_id)
                .bind(s.ends_at)
                .bind(s.ends_by)
                .bind(s.ends_at.map(|_| now))
                .bind(s.deactivated_by)
                .bind(s.suspended)
                .bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `($1, $2, 0, NULL, '', '', $3, …, $11), …`: eleven parameters a row,
/// the permission columns empty until [`write_grants`] writes them.
fn values_with_constants(rows: usize) -> String {
    (0..rows)
        .map(|r| {
            let p = |c: usize| format!("${}", r * 11 + c);
            let rest: Vec<String> = (3..=11).map(p).collect();
            format!("({}, {}, 0, NULL, '', '', {})", p(1), p(2), rest.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the standing of existing memberships: rows whose standing is the
/// same get one statement. The end's `ends_set_at` moves to `now` only
/// where the end itself changes.
pub async fn write_standing(
    conn: &mut AnyConnection,
    rows: &[(i64, i64, Standing, bool)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let mut groups: Vec<(&Standing, bool, Vec<i64>)> = Vec::new();
    for (a, u, s, end_changed) in rows {
        match groups.iter_mut().find(|(t, e, _)| *t == s && e == end_changed) {
            Some((_, _, keys)) => keys.push(key(*a, *u)),
            None => groups.push((s, *end_changed, vec![key(*a, *u)])),
        }
    }
    for (s, end_changed, keys) in groups {
        let set_at = if end_changed { ", ends_set_at = $9" } else { "" };
        sqlx::query(&format!(
            "UPDATE memberships SET seat = $2, status = $3, partner_account_id = $4, ends_at = $5, ends_by = $6, \
             deactivated_by = $7, suspended = $8{set_at} WHERE {}",
            b.in_id_list(KEY, "$1")
        ))
        .bind(json_ids(keys))
        .bind(s.seat)
        .bind(s.status)
        .bind(s.partner_account_id)
        .bind(s.ends_at)
        .bind(s.ends_by)
        .bind(s.deactivated_by)
        .bind(s.suspended)
        .bind(s.ends_at.map(|_| now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The one statement that writes a membership's permissions (super admin
/// flag, set and individual overrides), once per distinct grant. It takes
/// only [`Grant`]s, which only the domain's grant rule constructs (SPEC R3
/// on every path).
pub async fn write_grants(conn: &mut AnyConnection, rows: &[(i64, i64, &Grant)]) -> Result<(), sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let mut groups: Vec<(&Grant, Vec<i64>)> = Vec::new();
    for (a, u, g) in rows {
        match groups.iter_mut().find(|(h, _)| h == g) {
            Some((_, keys)) => keys.push(key(*a, *u)),
            None => groups.push((g, vec![key(*a, *u)])),
        }
    }
    for (g, keys) in groups {
        sqlx::query(&format!(
            "UPDATE memberships SET super_admin = $2, permission_set = $3, perms_added = $4, perms_removed = $5 WHERE {}",
            b.in_id_list(KEY, "$1")
        ))
        .bind(json_ids(keys))
        .bind(i64::from(g.super_admin()))
        .bind(g.set().map(SetKey::to_storage))
        .bind(g.added().to_keys())
        .bind(g.removed().to_keys())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Ends every session of these users, but the acting one (`keep`): every
/// open page of theirs signs in again and sees only what is left.
pub async fn end_sessions(conn: &mut AnyConnection, users: &[i64], keep: Option<&str>) -> Result<u64, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    Ok(sqlx::query(&format!(
        "DELETE FROM sessions WHERE {} AND ($2 IS NULL OR id_hash <> $2)",
        b.in_id_list("user_id", "$1")
    ))
    .bind(json_ids(users.iter().copied()))
    .bind(keep)
    .execute(conn)
    .await?
    .rows_affected())
}

/// R10: the partner acted in these clients at `at` (never moving the
/// moment back), and the actor there, when a person acted.
pub async fn partner_activity(
    conn: &mut AnyConnection,
    partner_id: i64,
    accounts: &[i64],
    actor: Option<i64>,
    at: i64,
) -> Result<(), sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    let ids = json_ids(accounts.iter().copied());
    sqlx::query(&format!(
        "UPDATE clients SET last_partner_activity_at = $3 WHERE partner_account_id = $1 AND {} \
         AND (last_partner_activity_at IS NULL OR last_partner_activity_at < $3)",
        b.in_id_list("customer_account_id", "$2")
    ))
    .bind(partner_id)
    .bind(&ids)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if let Some(actor) = actor {
        sqlx::query(&format!(
            "UPDATE memberships SET last_activity_at = $3 WHERE user_id = $1 AND {}",
            b.in_id_list("account_id", "$2")
        ))
        .bind(actor)
        .bind(&ids)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
