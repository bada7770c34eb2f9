//! Client Access Manager server: a thin axum layer over SQLite or
//! PostgreSQL that checks who is asking and in which account, calls the
//! decisions of the `domain` crate, persists, and serves the front end's
//! static files.
//!
//! The layers, top to bottom (an arrow only ever points down):
//! - [`http`]: the router, one file per resource, the extractors, the
//!   security headers, rate limits, denials and the static files. A new
//!   route goes here.
//! - [`changes`]: the one place that applies membership changes (§9), the
//!   guards every route shares ([`changes::members`]) and the notices a
//!   change sends. A new kind of change goes here, its decision in the domain.
//! - [`work`]: background work, leased in the database and shared by every
//!   instance: the outbox, housekeeping, ends and reminders, bulk jobs.
//! - [`db`]: all SQL, nothing else; one function per query. A new query
//!   goes here.
//!
//! Beside them: [`config`], [`state`] (what every handler gets), [`auth`]
//! (passwords, tokens, who is asking), [`error`] (SPEC §7's error body),
//! [`clock`], [`i18n`] (the server's own texts) and [`seed`] (SPEC §6's
//! demo data).

pub mod auth;
pub mod changes;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod factors;
pub mod http;
pub mod i18n;
pub mod memory;
pub mod seed;
pub mod state;
pub mod work;

pub use config::Config;
pub use http::app;
pub use state::AppState;
