//! Client Access Manager server: a thin axum layer over SQLite or
//! PostgreSQL that checks who is asking and in which account, calls the
//! decisions of the `domain` crate, persists, and serves the front end's
//! static files.

pub mod auth;
pub mod bulk;
pub mod changes;
pub mod clock;
pub mod config;
pub mod db;
pub mod denials;
pub mod ending;
pub mod error;
pub mod extract;
pub mod http_policy;
pub mod i18n;
pub mod mail;
pub mod notices;
pub mod rate_limit;
pub mod routes;
pub mod seed;
pub mod state;
pub mod static_files;

pub use config::Config;
pub use routes::app;
pub use state::AppState;
