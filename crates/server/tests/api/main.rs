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
