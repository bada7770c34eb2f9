//! Memberships, loaded into the domain's [`Membership`] with their permission
//! set resolved (standard sets from the domain crate, custom ones from the
//! account's `permission_sets`).

use crate::db::accounts::{Account, AccountRow};
use domain::{Deactivator, End, Membership, MembershipStatus, Perms, Seat, SetKey, Side, UnixTime};
use sqlx::{AnyPool, FromRow};

/// The columns every membership query selects, with the custom set joined.
pub const MEMBERSHIP_COLUMNS: &str =
    "m.account_id, m.user_id, m.super_admin, m.permission_set, m.perms_added, m.perms_removed, \
     m.seat, m.status, m.partner_account_id, m.last_activity_at, m.ends_at, m.ends_by, m.deactivated_by, m.suspended, \
     ps.name AS custom_set_name, ps.permissions AS custom_set_perms, pt.ends_at AS relationship_ends_at";

/// The joins that resolve a custom permission set and the end of the
/// person's partner's relationship with the account (R18).
pub const CUSTOM_SET_JOIN: &str =
    "LEFT JOIN permission_sets ps ON ps.account_id = m.account_id AND m.permission_set = 'custom:' || ps.id \
     LEFT JOIN partner_terms pt ON pt.account_id = m.account_id AND pt.partner_account_id = m.partner_account_id";

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
    /// When the access ends (R14), and which side set the end.
    pub ends_at: Option<i64>,
    pub ends_by: Option<String>,
    /// Who deactivated it: `partner`, `client` or `system`.
    pub deactivated_by: Option<String>,
    /// 1 when deactivated by its partner's suspension (R16).
    pub suspended: i64,
    pub custom_set_name: Option<String>,
    pub custom_set_perms: Option<String>,
    /// The end of the partner's relationship with the account (R18).
    pub relationship_ends_at: Option<i64>,
}

impl MembershipRow {
    /// The domain membership as it stands at `now`: one whose end has come
    /// grants nothing from that second on, whether or not the background
    /// work has stored its deactivation yet (reads never write).
    pub fn to_domain(&self, now: UnixTime) -> Result<Membership, sqlx::Error> {
        Ok(self.stored()?.at(now))
    }

    /// The domain membership exactly as stored.
    pub fn stored(&self) -> Result<Membership, sqlx::Error> {
        let corrupt = |what: &str| {
            sqlx::Error::Decode(format!("membership {}/{} has an unknown {what}", self.account_id, self.user_id).into())
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
            end: match self.ends_at {
                Some(at) => Some(End {
                    at: UnixTime(at),
                    by: Side::parse(self.ends_by.as_deref().unwrap_or("partner")).ok_or_else(|| corrupt("end"))?,
                }),
                None => None,
            },
            deactivated_by: self
                .deactivated_by
                .as_deref()
                .map(|d| Deactivator::parse(d).ok_or_else(|| corrupt("deactivation")))
                .transpose()?,
            suspended: self.suspended != 0,
            relationship_end: self.relationship_ends_at.filter(|_| self.partner_account_id.is_some()).map(UnixTime),
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
pub async fn for_user(pool: &AnyPool, user_id: i64) -> Result<Vec<(Account, MembershipRow)>, sqlx::Error> {
    let b = crate::db::Backend::of_pool(pool);
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
        b.nocase("a.name")
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

/// The super admins of an account that R9 can count on: active, with no end.
pub async fn lasting_super_admins(conn: &mut sqlx::AnyConnection, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m WHERE m.account_id = $1 AND m.super_admin = 1 AND m.status = 'active' \
         AND m.ends_at IS NULL AND NOT EXISTS (SELECT 1 FROM partner_terms pt WHERE pt.account_id = m.account_id \
         AND pt.partner_account_id = m.partner_account_id AND pt.ends_at IS NOT NULL)",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await
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

    /// The shape that makes the grant rule and the one place that applies
    /// changes unavoidable: in the server (the library every request goes
    /// through; `src/bin/` holds only the bulk loader of the scale
    /// benchmark), only `db/changes.rs` inserts, updates or deletes
    /// memberships, one statement there writes permissions, and no request
    /// handler grants as the platform.
    #[test]
    fn only_the_grant_writer_sets_permission_columns_and_no_route_grants_as_the_platform() {
        let mut files = vec![];
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let columns = ["super_admin", "permission_set", "perms_added", "perms_removed"];
        for (path, text) in files.iter().filter(|(p, _)| !p.contains("/src/bin/")) {
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            let sets_permissions = text.split("UPDATE memberships SET").skip(1).any(|statement| {
                let assignments = statement.split("WHERE").next().unwrap_or_default();
                columns.iter().any(|c| assignments.contains(c))
            });
            // Anything but the activity clock is a change: only db/changes.rs writes it.
            let changes_standing = text
                .split("UPDATE memberships SET")
                .skip(1)
                .any(|statement| !statement.trim_start().starts_with("last_activity_at = $3 WHERE"));
            if changes_standing {
                assert!(path.ends_with("db/changes.rs"), "{path} changes memberships");
            }
            if sets_permissions || text.contains("INSERT INTO memberships") || text.contains("DELETE FROM memberships")
            {
                assert!(path.ends_with("db/changes.rs"), "{path} writes memberships");
            }
            if path.contains("/routes") {
                assert!(!text.contains("Granter::platform"), "{path} grants as the platform");
            }
        }
        let own = files.iter().find(|(p, _)| p.ends_with("db/changes.rs")).unwrap();
        let writers = own.1.matches(concat!("UPDATE memberships ", "SET super_admin")).count();
        assert_eq!(writers, 1, "one statement writes permissions");
    }
}

/// A partner person of an account with their name, email and partner's name.
#[derive(FromRow)]
pub struct PersonRow {
    #[sqlx(flatten)]
    pub m: MembershipRow,
    pub u_name: String,
    pub u_email: String,
    pub p_name: String,
}

/// The partner employees of an account (of one partner, or all), by partner and name.
pub async fn partner_people(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    partner: Option<i64>,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    let b = crate::db::Backend::of_conn(conn);
    sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS}, u.name AS u_name, u.email AS u_email, p.name AS p_name \
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts p ON p.id = m.partner_account_id \
         {CUSTOM_SET_JOIN} \
         WHERE m.account_id = $1 AND m.partner_account_id IS NOT NULL AND ($2 IS NULL OR m.partner_account_id = $2) \
         ORDER BY {}, p.id, {}, u.id",
        b.nocase("p.name"),
        b.nocase("u.name")
    ))
    .bind(account_id)
    .bind(partner)
    .fetch_all(conn)
    .await
}
