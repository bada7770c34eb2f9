//! A small in-memory sliding-window rate limiter keyed by client address.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Allows `max` events per `window_secs` per key.
#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window_secs: i64,
    hits: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl RateLimiter {
    /// A limiter of `max` events per `window_secs`.
    pub fn new(max: u32, window_secs: i64) -> RateLimiter {
        RateLimiter { max, window_secs, hits: Mutex::new(HashMap::new()) }
    }

    /// Records an event for `key` at `now`; `Err(retry_after_secs)` when over the limit.
    pub fn check(&self, key: &str, now: i64) -> Result<(), i64> {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() > 10_000 {
            hits.retain(|_, q| q.back().is_some_and(|t| now - t < self.window_secs));
        }
        let q = hits.entry(key.to_string()).or_default();
        while q.front().is_some_and(|t| now - t >= self.window_secs) {
            q.pop_front();
        }
        if q.len() >= self.max as usize {
            let oldest = q.front().copied().unwrap_or(now);
            return Err((oldest + self.window_secs - now).max(1));
        }
        q.push_back(now);
        Ok(())
    }

    /// Forgets every key (test mode reset).
    pub fn clear(&self) {
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_over_the_limit_are_refused_until_the_window_passes() {
        let l = RateLimiter::new(2, 60);
        assert!(l.check("a", 0).is_ok());
        assert!(l.check("a", 1).is_ok());
        assert_eq!(l.check("a", 2), Err(58));
        assert!(l.check("b", 2).is_ok());
        assert!(l.check("a", 60).is_ok());
    }
}
