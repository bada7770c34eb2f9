//! SPEC §8: when access may end and the reminders before it (R14), and
//! the client narrowing a grant before approving it (R15). Who may change
//! an end, suspend or resume is decided by [`crate::authority`] (§9).

use super::{Decision, Reason, Refusal, Rule};
use crate::permission::{Perms, StandardSet};
use crate::time::{UnixTime, DAY};

/// R14: the days before an end date on which reminders go out.
pub const REMINDER_DAYS: [i64; 3] = [14, 3, 1];

/// R18: the days before a relationship's end on which reminders go out.
pub const RELATIONSHIP_REMINDER_DAYS: [i64; 3] = [30, 7, 1];

/// R14: the furthest an end date may be set, in days from now (two years).
pub const MAX_END_DAYS: i64 = 731;

/// R14: an end date being set now lies in the future and at most
/// [`MAX_END_DAYS`] ahead.
pub fn check_end_date(now: UnixTime, ends_at: UnixTime) -> Decision {
    if ends_at <= now {
        Err(Refusal::invalid(Rule::R14, Reason::EndNotInFuture))
    } else if ends_at.0 - now.0 > MAX_END_DAYS * DAY {
        Err(Refusal::invalid(Rule::R14, Reason::EndTooFar))
    } else {
        Ok(())
    }
}

/// A reminder to send now: the threshold it is for, and every threshold it
/// settles (thresholds missed while no server ran are settled by one
/// reminder that states the real days left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderDue {
    pub days: i64,
    pub settles: Vec<i64>,
}

/// R14: which reminder is due for an end date `ends_at` set at `set_at`,
/// given the thresholds already `recorded`. A threshold counts once its
/// moment (`ends_at` − days) has come, if it came after the end date was set
/// (a grant ending in two days gets the 1-day reminder, not a late 14-day
/// one); none once the end has come.
pub fn reminder_due(ends_at: UnixTime, set_at: UnixTime, now: UnixTime, recorded: &[i64]) -> Option<ReminderDue> {
    reminder_due_among(&REMINDER_DAYS, ends_at, set_at, now, recorded)
}

/// [`reminder_due`] with the thresholds `days` (R18's relationship end
/// uses [`RELATIONSHIP_REMINDER_DAYS`]).
pub fn reminder_due_among(
    days: &[i64],
    ends_at: UnixTime,
    set_at: UnixTime,
    now: UnixTime,
    recorded: &[i64],
) -> Option<ReminderDue> {
    if now >= ends_at {
        return None;
    }
    let settles: Vec<i64> = days
        .iter()
        .copied()
        .filter(|d| {
            let moment = ends_at.0 - d * DAY;
            moment > set_at.0 && moment <= now.0 && !recorded.contains(d)
        })
        .collect();
    let days = *settles.iter().min()?;
    Some(ReminderDue { days, settles })
}

/// R15: what the approver keeps ticked must be a non-empty part of the
/// Partner Admin set; the result is the permissions of the set to leave out.
pub fn narrowing(keep: Perms) -> Result<Perms, Refusal> {
    let set = StandardSet::PartnerAdmin.perms().assignable();
    if !keep.is_subset(set) {
        return Err(Refusal::invalid(Rule::R15, Reason::NarrowBeyondSet));
    }
    if keep.is_empty() {
        return Err(Refusal::invalid(Rule::R15, Reason::NarrowNothing));
    }
    Ok(set.difference(keep))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::Permission;
    use crate::rules::RefusalKind;

    const NOW: UnixTime = UnixTime(1_800_000_000);

    #[test]
    fn an_end_date_lies_ahead_by_at_most_two_years() {
        assert_eq!(check_end_date(NOW, NOW).unwrap_err().reason, Reason::EndNotInFuture);
        assert_eq!(check_end_date(NOW, UnixTime(NOW.0 - 1)).unwrap_err().kind, RefusalKind::Invalid);
        assert!(check_end_date(NOW, UnixTime(NOW.0 + 1)).is_ok());
        assert!(check_end_date(NOW, NOW.plus_days(731)).is_ok());
        assert_eq!(check_end_date(NOW, UnixTime(NOW.plus_days(731).0 + 1)).unwrap_err().reason, Reason::EndTooFar);
    }

    #[test]
    fn reminders_come_at_fourteen_three_and_one_days_each_once() {
        let set = NOW;
        let end = NOW.plus_days(30);
        // Nothing before 14 days are left; at that second the 14-day one.
        assert_eq!(reminder_due(end, set, UnixTime(end.0 - 14 * DAY - 1), &[]), None);
        let due = reminder_due(end, set, UnixTime(end.0 - 14 * DAY), &[]).unwrap();
        assert_eq!((due.days, due.settles.clone()), (14, vec![14]));
        // Recorded: not again.
        assert_eq!(reminder_due(end, set, UnixTime(end.0 - 10 * DAY), &[14]), None);
        assert_eq!(reminder_due(end, set, UnixTime(end.0 - 3 * DAY), &[14]).unwrap().days, 3);
        assert_eq!(reminder_due(end, set, UnixTime(end.0 - DAY), &[14, 3]).unwrap().days, 1);
        assert_eq!(reminder_due(end, set, UnixTime(end.0 - 1), &[14, 3, 1]), None);
        // At the end itself no reminder is due any more.
        assert_eq!(reminder_due(end, set, end, &[]), None);
    }

    #[test]
    fn missed_reminders_are_settled_by_the_nearest_one() {
        let end = NOW.plus_days(30);
        let due = reminder_due(end, NOW, UnixTime(end.0 - DAY / 2), &[]).unwrap();
        assert_eq!(due.days, 1);
        assert_eq!(due.settles, vec![14, 3, 1]);
    }

    #[test]
    fn thresholds_passed_before_the_end_date_was_set_never_come() {
        let end = NOW.plus_days(2);
        assert_eq!(reminder_due(end, NOW, NOW, &[]), None);
        assert_eq!(reminder_due(end, NOW, UnixTime(end.0 - 2 * DAY + 3600), &[]), None);
        let due = reminder_due(end, NOW, UnixTime(end.0 - DAY), &[]).unwrap();
        assert_eq!(due.settles, vec![1]);
    }

    #[test]
    fn narrowing_keeps_a_non_empty_part_of_the_partner_admin_set() {
        let set = StandardSet::PartnerAdmin.perms().assignable();
        assert_eq!(narrowing(set).unwrap(), Perms::EMPTY);
        let one = set.iter().next().unwrap();
        assert_eq!(narrowing(set.without(one)).unwrap(), Perms::EMPTY.with(one));
        assert_eq!(narrowing(Perms::EMPTY).unwrap_err().reason, Reason::NarrowNothing);
        assert_eq!(narrowing(set.with(Permission::Billing)).unwrap_err().reason, Reason::NarrowBeyondSet);
    }
}
