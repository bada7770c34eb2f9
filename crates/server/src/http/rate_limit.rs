//! A sliding-window rate limiter keyed by client address (or user), counted
//! in the database so that every server instance on it shares the count.

use crate::error::{AppError, AppResult};
use sqlx::AnyPool;

/// Allows `max` events per `window_secs` per key, in its own bucket.
#[derive(Debug)]
pub struct RateLimiter {
    bucket: &'static str,
    max: u32,
    window_secs: i64,
}

impl RateLimiter {
    /// A limiter named `bucket` of `max` events per `window_secs`.
    pub fn new(bucket: &'static str, max: u32, window_secs: i64) -> RateLimiter {
        RateLimiter { bucket, max, window_secs }
    }

    /// Records an event for `key` at `now`; `TooManyRequests` (with the
    /// seconds to wait) when over the limit.
    pub async fn check(&self, db: &AnyPool, key: &str, now: i64) -> AppResult<()> {
        match crate::db::instances::rate_limit_hit(db, self.bucket, key, now, self.window_secs, i64::from(self.max))
            .await?
        {
            Some(wait) => Err(AppError::TooManyRequests(wait)),
            None => Ok(()),
        }
    }

    /// How long a hit counts, in seconds.
    pub fn window_secs(&self) -> i64 {
        self.window_secs
    }
}
