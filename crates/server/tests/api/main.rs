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
