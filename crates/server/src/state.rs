//! Shared application state handed to every handler.

use crate::clock::Clock;
use crate::config::Config;
use crate::rate_limit::RateLimiter;
use sqlx::SqlitePool;
use std::sync::Arc;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
    pub clock: Arc<Clock>,
    pub sign_in_limiter: Arc<RateLimiter>,
}

impl AppState {
    /// State over an opened, migrated pool.
    pub fn new(db: SqlitePool, config: Config) -> AppState {
        let sign_in_limiter = Arc::new(RateLimiter::new(config.sign_in_per_minute, 60));
        AppState { db, config: Arc::new(config), clock: Arc::new(Clock::default()), sign_in_limiter }
    }
}
