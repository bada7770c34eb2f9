//! Memberships, loaded into the domain's [`Membership`] with their permission
//! set resolved (standard sets from the domain crate, custom ones from the
//! account's `permission_sets`).

use crate::db::accounts::{Account, AccountRow};
use crate::error::AppError;
use domain::{Grant, Membership, MembershipStatus, Perms, Seat, SetKey};
use sqlx::{AnyPool, FromRow};

/// The columns every membership query selects, with the custom set joined.
pub const MEMBERSHIP_COLUMNS: &str = "m.account_id, m.user_id, m.super_admin, m.permission_set, m.perms_added, m.perms_removed, \
     m.seat, m.status, m.partner_account_id, m.last_activity_at, m.ends_at, ps.name AS custom_set_name, ps.permissions AS custom_set_perms";

/// The join that resolves a custom permission set.
pub const CUSTOM_SET_JOIN: &str =
    "LEFT JOIN permission_sets ps ON ps.account_id = m.account_id AND m.permission_set = 'custom:' || ps.id";

/// A membership as stored.
#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub account_id: i64,
    pub user_id: i64,
    /// 0 or 1.
    pub super_admin: i64,
    pub permission_set: Option<String>,
    pub perms_added: String,
    pub perms_removed: String,
    pub seat: String,
    pub status: String,
    pub partner_account_id: Option<i64>,
    pub last_activity_at: Option<i64>,
    /// When the access ends (R14).
    pub ends_at: Option<i64>,
    pub custom_set_name: Option<String>,
    pub custom_set_perms: Option<String>,
}

impl MembershipRow {
    /// The domain membership.
    pub fn to_domain(&self) -> Result<Membership, AppError> {
        let corrupt = |what: &str| {
            AppError::Internal(format!("membership {}/{} has an unknown {what}", self.account_id, self.user_id))
        };
        let set = self
            .permission_set
            .as_deref()
            .map(|s| SetKey::from_storage(s).ok_or_else(|| corrupt("set")))
            .transpose()?;
        let set_perms = match set {
            None => Perms::EMPTY,
            Some(SetKey::Standard(s)) => s.perms(),
            Some(SetKey::Custom(_)) => {
                Perms::from_keys(self.custom_set_perms.as_deref().ok_or_else(|| corrupt("custom set"))?)
                    .map_err(|_| corrupt("permission"))?
            }
        };
        Ok(Membership {
            super_admin: self.super_admin != 0,
            set,
            set_perms,
            added: Perms::from_keys(&self.perms_added).map_err(|_| corrupt("permission"))?,
            removed: Perms::from_keys(&self.perms_removed).map_err(|_| corrupt("permission"))?,
            seat: Seat::parse(&self.seat).ok_or_else(|| corrupt("seat"))?,
            status: MembershipStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            partner_account_id: self.partner_account_id,
        })
    }

    /// The display name of the permission set, if any.
    pub fn set_name(&self) -> Option<String> {
        set_display_name(self.permission_set.as_deref(), self.custom_set_name.clone())
    }
}

/// The membership of `user_id` in `account_id`, if any.
pub async fn find<'e, E: sqlx::AnyExecutor<'e>>(
    pool: E,
    account_id: i64,
    user_id: i64,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships m {CUSTOM_SET_JOIN} WHERE m.account_id = $1 AND m.user_id = $2"
    ))
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// Every account the user belongs to, with the membership, by account name.
pub async fn for_user(pool: &AnyPool, user_id: i64) -> Result<Vec<(Account, MembershipRow)>, AppError> {
    #[derive(FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        m: MembershipRow,
        a_id: i64,
        a_name: String,
        a_kind: String,
        a_partner_program: Option<String>,
        a_pricing_model: Option<String>,
    }
    let rows: Vec<Joined> = sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, a.id AS a_id, a.name AS a_name, a.kind AS a_kind, \
         a.partner_program AS a_partner_program, a.pricing_model AS a_pricing_model \
         FROM memberships m JOIN accounts a ON a.id = m.account_id {CUSTOM_SET_JOIN} \
         WHERE m.user_id = $1 ORDER BY a.kind DESC, {}",
        crate::db::nocase("a.name")
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|j| {
            let account = Account::try_from(AccountRow {
                id: j.a_id,
                name: j.a_name,
                kind: j.a_kind,
                partner_program: j.a_partner_program,
                pricing_model: j.a_pricing_model,
            })?;
            Ok((account, j.m))
        })
        .collect()
}

/// The display name of a stored set key: a standard set's name, or the
/// account's custom set name.
pub fn set_display_name(stored: Option<&str>, custom_name: Option<String>) -> Option<String> {
    match SetKey::from_storage(stored?)? {
        SetKey::Standard(s) => Some(s.name().to_string()),
        SetKey::Custom(_) => custom_name,
    }
}

/// Stores a new membership: its seat, status and partner from `standing`,
/// its permissions from `grant` (through [`write_permissions`]).
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    user_id: i64,
    standing: &Membership,
    grant: &Grant,
    last_activity_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (account_id, user_id, super_admin, permission_set, perms_added, perms_removed, seat, status, \
         partner_account_id, last_activity_at, created_at) VALUES ($1, $2, 0, NULL, '', '', $3, $4, $5, $6, $7)",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(standing.seat.key())
    .bind(standing.status.key())
    .bind(standing.partner_account_id)
    .bind(last_activity_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    write_permissions(conn, account_id, user_id, grant).await
}

/// The one place that writes a membership's permissions (super admin flag,
/// set and individual overrides). It takes only a [`Grant`], which only the
/// domain's grant rule constructs (SPEC R3 on every path).
pub async fn write_permissions(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    user_id: i64,
    grant: &Grant,
) -> Result<(), sqlx::Error> {
    write_permissions_in(conn, user_id, &format!("[{account_id}]"), grant).await
}

/// [`write_permissions`] for one user in several accounts (a JSON array of
/// ids) at once: the one statement that writes permission columns.
async fn write_permissions_in(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    accounts_json: &str,
    grant: &Grant,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE memberships SET super_admin = $2, permission_set = $3, perms_added = $4, perms_removed = $5 \
         WHERE user_id = $1 AND {}",
        crate::db::in_id_list("account_id", "$6")
    ))
    .bind(user_id)
    .bind(i64::from(grant.super_admin()))
    .bind(grant.set().map(SetKey::to_storage))
    .bind(grant.added().to_keys())
    .bind(grant.removed().to_keys())
    .bind(accounts_json)
    .execute(conn)
    .await?;
    Ok(())
}

/// One user's grants in many accounts (R17), written with one statement per
/// distinct grant.
pub async fn write_permissions_many(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    grants: &[(i64, Grant)],
) -> Result<(), sqlx::Error> {
    let mut groups: Vec<(&Grant, Vec<i64>)> = Vec::new();
    for (account_id, g) in grants {
        match groups.iter_mut().find(|(h, _)| *h == g) {
            Some((_, ids)) => ids.push(*account_id),
            None => groups.push((g, vec![*account_id])),
        }
    }
    for (g, ids) in groups {
        write_permissions_in(conn, user_id, &crate::db::bulk::json_ids(ids), g).await?;
    }
    Ok(())
}

/// Adds one partner employee to many client accounts (R17) as active
/// partner-seat members with the same end date (R14), their permissions
/// then written from each account's grant (through [`write_permissions_many`]).
pub async fn insert_many(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    user_id: i64,
    grants: &[(i64, Grant)],
    ends_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    use crate::db::bulk::{values, INSERT_ROWS};
    for chunk in grants.chunks(INSERT_ROWS) {
        let sql = format!(
            "INSERT INTO memberships (account_id, user_id, seat, status, partner_account_id, created_at, ends_at, \
             ends_set_at) VALUES {}",
            values(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (account_id, _) in chunk {
            q = q
                .bind(*account_id)
                .bind(user_id)
                .bind("partner")
                .bind("active")
                .bind(partner_id)
                .bind(now)
                .bind(ends_at)
                .bind(ends_at.map(|_| now));
        }
        q.execute(&mut *conn).await?;
    }
    write_permissions_many(conn, user_id, grants).await
}

/// Replaces a membership's seat, status and partner flag (never its permissions).
pub async fn update_standing(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    user_id: i64,
    m: &Membership,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE memberships SET seat = $3, status = $4, partner_account_id = $5 WHERE account_id = $1 AND user_id = $2",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(m.seat.key())
    .bind(m.status.key())
    .bind(m.partner_account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Active super admins of an account.
pub async fn active_super_admins(conn: &mut sqlx::AnyConnection, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND super_admin = 1 AND status = 'active'",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await
}

/// Deletes a membership.
pub async fn delete(conn: &mut sqlx::AnyConnection, account_id: i64, user_id: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account_id)
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Records that the user acted in the account now.
pub async fn touch_activity(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE memberships SET last_activity_at = $3 WHERE account_id = $1 AND user_id = $2")
        .bind(account_id)
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether every partner employee of `partner_id` in the account is deactivated.
pub async fn all_partner_users_deactivated(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    partner_id: i64,
) -> Result<bool, sqlx::Error> {
    let active: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND partner_account_id = $2 AND status = 'active'",
    )
    .bind(account_id)
    .bind(partner_id)
    .fetch_one(conn)
    .await?;
    Ok(active == 0)
}

/// A custom permission set of an account: its permissions in storage form.
pub async fn custom_set(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    set_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT permissions FROM permission_sets WHERE id = $1 AND account_id = $2")
        .bind(set_id)
        .bind(account_id)
        .fetch_optional(conn)
        .await
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// The shape that makes the grant rule unavoidable: in the server (the
    /// library every request goes through; `src/bin/` holds only the bulk
    /// loader of the scale benchmark), only `write_permissions` and the
    /// insert that calls it set a membership's permission columns, and no
    /// request handler grants as the platform.
    #[test]
    fn only_the_grant_writer_sets_permission_columns_and_no_route_grants_as_the_platform() {
        let mut files = vec![];
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let columns = ["super_admin", "permission_set", "perms_added", "perms_removed"];
        for (path, text) in files.iter().filter(|(p, _)| !p.contains("/src/bin/")) {
            let sets_permissions = text.split("UPDATE memberships SET").skip(1).any(|statement| {
                let assignments = statement.split("WHERE").next().unwrap_or_default();
                columns.iter().any(|c| assignments.contains(c))
            });
            if sets_permissions || text.contains("INSERT INTO memberships") {
                assert!(path.ends_with("db/memberships.rs"), "{path} writes a membership's permission columns");
            }
            if path.contains("/routes") {
                assert!(!text.contains("Granter::platform"), "{path} grants as the platform");
            }
        }
        let own = files.iter().find(|(p, _)| p.ends_with("db/memberships.rs")).unwrap();
        let writers = own.1.matches(concat!("UPDATE memberships ", "SET super_admin")).count();
        assert_eq!(writers, 1, "one statement writes permissions");
    }
}
