//! R20's storage: second factors (sealed), recovery codes (hashed), the
//! accounts' requirement (A17) and the one query the entry check asks.

use domain::second_factor::Requirement;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// A stored factor, still sealed.
#[derive(Debug, Clone, FromRow)]
pub struct FactorRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub sealed: String,
    pub confirmed: i64,
    pub last_step: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, name, sealed, confirmed, last_step, created_at, last_used_at";

/// A user's factors, oldest first (unconfirmed authenticators included).
pub async fn of_user<'e, E: sqlx::AnyExecutor<'e>>(ex: E, user_id: i64) -> Result<Vec<FactorRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM second_factors WHERE user_id = $1 ORDER BY id"))
        .bind(user_id)
        .fetch_all(ex)
        .await
}

/// Whether a user has a factor that counts (a confirmed one).
pub async fn has_factor<'e, E: sqlx::AnyExecutor<'e>>(ex: E, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM second_factors WHERE user_id = $1 AND confirmed = 1")
        .bind(user_id)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}

/// Stores a factor; an unconfirmed authenticator replaces any earlier
/// unconfirmed one of the user.
pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    kind: &str,
    name: &str,
    sealed: &str,
    confirmed: bool,
    now: i64,
) -> Result<i64, sqlx::Error> {
    if !confirmed {
        sqlx::query("DELETE FROM second_factors WHERE user_id = $1 AND kind = $2 AND confirmed = 0")
            .bind(user_id)
            .bind(kind)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query_scalar(
        "INSERT INTO second_factors (user_id, kind, name, sealed, confirmed, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(name)
    .bind(sealed)
    .bind(i64::from(confirmed))
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Takes a factor's use at `step` (an authenticator code's time step; a
/// passkey's signature counter): true only when `step` is later than any
/// taken before. The update is the check, so two instances given the same
/// code take it once. Confirms the factor too.
pub async fn take_step(conn: &mut AnyConnection, id: i64, step: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE second_factors SET last_step = $2, last_used_at = $3, confirmed = 1 WHERE id = $1 AND last_step < $2",
    )
    .bind(id)
    .bind(step)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of a user's factors; false when it is not theirs.
pub async fn remove(conn: &mut AnyConnection, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM second_factors WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes every factor and recovery code of a user (A18's reset, or the
/// last factor removed); how many factors there were.
pub async fn remove_all(conn: &mut AnyConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM second_factors WHERE user_id = $1 AND confirmed = 1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM second_factors WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(done.rows_affected())
}

/// Replaces a user's recovery codes with these (hashed) ones.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: i64,
    hashes: &[String],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(hash)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Uses a recovery code: true only for an unused code of the user (the
/// update is the check: a code is taken once, on any instance).
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
            .bind(user_id)
            .bind(hash)
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many unused recovery codes a user has.
pub async fn recovery_codes_left<'e, E: sqlx::AnyExecutor<'e>>(ex: E, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(ex)
        .await
}

/// An account's requirement (A17).
pub async fn requirement<'e, E: sqlx::AnyExecutor<'e>>(ex: E, account_id: i64) -> Result<Requirement, sqlx::Error> {
    let key: Option<String> = sqlx::query_scalar("SELECT second_factor FROM account_settings WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(ex)
        .await?;
    Ok(key.map(|k| Requirement::parse(&k)).unwrap_or_default())
}

/// Sets an account's requirement.
pub async fn set_requirement(conn: &mut AnyConnection, account_id: i64, req: Requirement) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_settings (account_id, second_factor) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO UPDATE SET second_factor = $2",
    )
    .bind(account_id)
    .bind(req.key())
    .execute(conn)
    .await?;
    Ok(())
}

/// What the entry check needs of a member: the account's requirement, the
/// member's partner and that partner's requirement, and whether the member
/// has a factor. `None` when the user is not a member.
#[derive(Debug, Clone, FromRow)]
pub struct EntryRow {
    pub own: Option<String>,
    pub partner_account_id: Option<i64>,
    pub partners: Option<String>,
    pub factors: i64,
}

/// [`EntryRow`] of `user_id` in `account_id`, in one query.
pub async fn entry(pool: &AnyPool, user_id: i64, account_id: i64) -> Result<Option<EntryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT own.second_factor AS own, m.partner_account_id, ps.second_factor AS partners, \
         (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = m.user_id AND f.confirmed = 1) AS factors \
         FROM memberships m \
         LEFT JOIN account_settings own ON own.account_id = m.account_id \
         LEFT JOIN account_settings ps ON ps.account_id = m.partner_account_id \
         WHERE m.account_id = $1 AND m.user_id = $2",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// The users among `user_ids` who have a factor that counts.
pub async fn with_factor(pool: &AnyPool, user_ids: &[i64]) -> Result<std::collections::BTreeSet<i64>, sqlx::Error> {
    let mut out = std::collections::BTreeSet::new();
    for chunk in user_ids.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT DISTINCT user_id FROM second_factors WHERE confirmed = 1 AND user_id IN ({})",
            list.join(",")
        );
        let ids: Vec<i64> = sqlx::query_scalar(&sql).fetch_all(pool).await?;
        out.extend(ids);
    }
    Ok(out)
}

/// Keeps a passkey ceremony's sealed state for the session that began it
/// (a new ceremony of the same kind replaces an unfinished one).
pub async fn begin_ceremony(
    pool: &AnyPool,
    session_hash: &str,
    kind: &str,
    sealed: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webauthn_ceremonies (session_hash, kind, sealed, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (session_hash, kind) DO UPDATE SET sealed = $3, created_at = $4",
    )
    .bind(session_hash)
    .bind(kind)
    .bind(sealed)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes a ceremony's state, once: begun at `since` or later.
pub async fn take_ceremony(
    conn: &mut AnyConnection,
    session_hash: &str,
    kind: &str,
    since: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM webauthn_ceremonies WHERE session_hash = $1 AND kind = $2 AND created_at >= $3 RETURNING sealed",
    )
    .bind(session_hash)
    .bind(kind)
    .bind(since)
    .fetch_optional(conn)
    .await
}

/// Replaces a factor's sealed secret (a passkey whose counter moved).
pub async fn reseal(conn: &mut AnyConnection, id: i64, sealed: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE second_factors SET sealed = $2, last_used_at = $3 WHERE id = $1")
        .bind(id)
        .bind(sealed)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
