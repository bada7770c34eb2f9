//! The server's notion of now: real time, optionally shifted by the test mode
//! so that time-dependent rules (sessions, R10) can be exercised.

use domain::UnixTime;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A clock that can be moved (only through the test-mode routes).
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> UnixTime {
        UnixTime(real_now() + self.offset_secs.load(Ordering::Relaxed))
    }

    /// Makes `now()` return `at` from this moment on (and keep ticking).
    pub fn set(&self, at: UnixTime) {
        self.offset_secs.store(at.0 - real_now(), Ordering::Relaxed);
    }

    /// Back to real time.
    pub fn reset(&self) {
        self.offset_secs.store(0, Ordering::Relaxed);
    }
}

/// Real time in whole seconds, never moved: what leases shared between
/// instances are measured in.
pub fn real_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_reports_the_new_time_and_can_go_back() {
        let c = Clock::default();
        let target = UnixTime(2_000_000_000);
        c.set(target);
        assert!((c.now().0 - target.0).abs() <= 1);
        c.reset();
        assert!((c.now().0 - real_now()).abs() <= 1);
    }
}
