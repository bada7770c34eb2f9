//! What the acknowledged writes add up to, and the check of the database
//! against it once the server has stopped.

use crate::world::World;

/// What one user's acknowledged writes add up to.
#[derive(Default, Debug, Clone)]
pub struct Ledger {
    pub set_is_service: bool,
    pub toggled_deactivated: bool,
    pub removed_gone: bool,
    pub assets_created: u64,
    pub renames: u64,
    pub history_events: u64,
    pub intended_403: u64,
    pub intended_404: u64,
}

pub async fn check(db: &sqlx::AnyPool, w: &World, ledgers: &[Ledger]) -> Vec<String> {
    let mut problems = vec![];
    if server::db::Backend::of_pool(db) == server::db::Backend::Sqlite {
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(db).await.unwrap();
        if ok != "ok" {
            problems.push(format!("integrity_check: {ok}"));
        }
    }
    let without: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS \
         (SELECT 1 FROM memberships m WHERE m.account_id = a.id AND m.super_admin = 1 AND m.status = 'active')",
    )
    .fetch_one(db)
    .await
    .unwrap();
    if without != 0 {
        problems.push(format!("{without} accounts without an active super admin"));
    }
    let mut denied_expected = 0;
    for (u, l) in w.users.iter().zip(ledgers) {
        denied_expected += l.intended_403;
        let set: String =
            sqlx::query_scalar("SELECT permission_set FROM memberships WHERE account_id = $1 AND user_id = $2")
                .bind(u.client)
                .bind(u.re_set)
                .fetch_one(db)
                .await
                .unwrap();
        if set != if l.set_is_service { "service" } else { "sales" } {
            problems.push(format!("{}: set {set}, acknowledged otherwise", u.email));
        }
        let status: String =
            sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
                .bind(u.client)
                .bind(u.toggled)
                .fetch_one(db)
                .await
                .unwrap();
        if (status == "deactivated") != l.toggled_deactivated {
            problems.push(format!("{}: status {status}, acknowledged otherwise", u.email));
        }
        let present: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1 AND user_id = $2")
                .bind(u.client)
                .bind(u.removed)
                .fetch_one(db)
                .await
                .unwrap();
        if (present == 0) != l.removed_gone {
            problems.push(format!("{}: removed employee present={present}, acknowledged otherwise", u.email));
        }
        let created: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM assets WHERE account_id = $1 AND name LIKE 'Load contact %'")
                .bind(u.client)
                .fetch_one(db)
                .await
                .unwrap();
        if created as u64 != l.assets_created {
            problems.push(format!("{}: {created} assets stored, {} acknowledged", u.email, l.assets_created));
        }
        let name: String =
            sqlx::query_scalar("SELECT name FROM assets WHERE id = $1").bind(u.asset).fetch_one(db).await.unwrap();
        let want = if l.renames == 0 {
            format!("Deal {}", &u.email[4..7])
        } else {
            format!("Deal {} v{}", &u.email[4..7], l.renames)
        };
        if name != want {
            problems.push(format!("{}: asset named {name:?}, acknowledged {want:?}", u.email));
        }
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE account_id = $1")
            .bind(u.client)
            .fetch_one(db)
            .await
            .unwrap();
        if events as u64 != l.history_events {
            problems.push(format!("{}: {events} history events, {} acknowledged changes", u.email, l.history_events));
        }
    }
    let denials: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM denials").fetch_one(db).await.unwrap();
    if denials as u64 != denied_expected {
        problems.push(format!("{denials} denials logged, {denied_expected} refused"));
    }
    problems
}
