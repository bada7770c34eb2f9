//! Shared application state handed to every handler.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Backend;
use crate::http::rate_limit::RateLimiter;
use sqlx::AnyPool;
use std::sync::Arc;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    /// Which database `db` is.
    pub backend: Backend,
    pub config: Arc<Config>,
    pub clock: Arc<Clock>,
    pub sign_in_limiter: Arc<RateLimiter>,
    pub link_limiter: Arc<RateLimiter>,
    /// Create user look-ups of people by email, per client address and per
    /// signed-in user, at the sign-in rate: nobody probes who exists.
    pub lookup_limiter: Arc<RateLimiter>,
    /// Second-factor codes (R20), per user and per client address: ten
    /// attempts in fifteen minutes, and thirty in five.
    pub factor_user_limiter: Arc<RateLimiter>,
    pub factor_ip_limiter: Arc<RateLimiter>,
    /// The secret access-link tokens are derived from.
    pub secret: Arc<[u8; 32]>,
    /// This process's name among the instances on the database (random).
    pub instance: Arc<str>,
    /// Wakes the background-work runner (an email queued).
    pub work_wakeup: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// State over an opened, migrated pool, with the secret from `config.secret_file`.
    pub fn new(db: AnyPool, config: Config) -> std::io::Result<AppState> {
        let secret = config.load_secret()?;
        Ok(AppState {
            backend: Backend::of_pool(&db),
            db,
            sign_in_limiter: Arc::new(RateLimiter::new("sign_in", config.sign_in_per_minute, 60)),
            link_limiter: Arc::new(RateLimiter::new("access_link", config.links_per_minute, 60)),
            lookup_limiter: Arc::new(RateLimiter::new("lookup", config.sign_in_per_minute, 60)),
            factor_user_limiter: Arc::new(RateLimiter::new("factor_user", 10, 900)),
            factor_ip_limiter: Arc::new(RateLimiter::new("factor_ip", 30, 300)),
            instance: Arc::from(hex::encode(rand::random::<[u8; 8]>())),
            config: Arc::new(config),
            clock: Arc::new(Clock::default()),
            secret: Arc::new(secret),
            work_wakeup: Arc::new(tokio::sync::Notify::new()),
        })
    }
}
