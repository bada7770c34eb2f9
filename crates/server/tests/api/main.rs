//! Server API tests: each test spawns the whole app on a fresh, seeded
//! SQLite database and asserts on the HTTP answer and the stored rows.

mod access_links;
mod admin_settings;
mod assets;
mod authority;
mod bulk;
mod bulk_clients;
mod cam;
mod cam_actions;
mod copy_database;
mod ending;
mod grants;
mod history;
mod instances;
mod languages;
mod partner_access;
mod partner_terms;
mod schema_parity;
mod second_factor;
mod session;
mod smtp_sink;
mod static_files;
mod test_mode;
mod users;
mod users_admin;
mod work;

/// A membership's stored status (`active`, `deactivated`), none when it is gone.
pub async fn status(app: &tooling::harness::TestApp, account: i64, user: i64) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM memberships WHERE account_id = $1 AND user_id = $2")
        .bind(account)
        .bind(user)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
}

/// A custom permission set of `account` (no route makes one yet); its id.
pub async fn custom_set(app: &tooling::harness::TestApp, account: i64, name: &str, keys: &str) -> i64 {
    sqlx::query_scalar("INSERT INTO permission_sets (account_id, name, permissions) VALUES ($1, $2, $3) RETURNING id")
        .bind(account)
        .bind(name)
        .bind(keys)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}
