//! The managed relationship between a partner and a client (R10).

use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Days a relationship stays *ending* after the last qualifying partner activity.
pub const RELATIONSHIP_GRACE_DAYS: i64 = 60;

/// A client's managed relationship with a partner (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipStatus {
    /// At least one partner employee is active in the client.
    Managed,
    /// No partner employee is active; ends at `ends_at`.
    Ending { ends_at: UnixTime, days_left: i64 },
    /// Ended at `ended_at`.
    Ended { ended_at: UnixTime },
}

/// R10: managed while a partner employee is active; otherwise ending until 60
/// days after the last qualifying partner activity, then ended.
pub fn relationship_status(
    active_partner_users: usize,
    last_partner_activity: UnixTime,
    now: UnixTime,
) -> RelationshipStatus {
    if active_partner_users > 0 {
        return RelationshipStatus::Managed;
    }
    let ends_at = last_partner_activity.plus_days(RELATIONSHIP_GRACE_DAYS);
    if now < ends_at {
        RelationshipStatus::Ending { ends_at, days_left: now.days_until(ends_at) }
    } else {
        RelationshipStatus::Ended { ended_at: ends_at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_with_an_active_partner_user_is_managed() {
        assert_eq!(
            relationship_status(1, UnixTime(0), UnixTime(1_000 * crate::time::DAY)),
            RelationshipStatus::Managed
        );
    }

    #[test]
    fn client_without_active_partner_users_is_ending_for_sixty_days_then_ended() {
        let last = UnixTime(1_700_000_000);
        assert_eq!(
            relationship_status(0, last, last.plus_days(10)),
            RelationshipStatus::Ending { ends_at: last.plus_days(60), days_left: 50 }
        );
        assert_eq!(
            relationship_status(0, last, last.plus_days(60)),
            RelationshipStatus::Ended { ended_at: last.plus_days(60) }
        );
    }
}
