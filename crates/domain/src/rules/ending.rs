//! SPEC §8: access that ends (R14), the client narrowing a grant before
//! approving it (R15) and the client's control of its partners (R16).

use super::{Decision, Reason, Refusal, Rule};
use crate::account::Membership;
use crate::permission::{Permission, Perms, StandardSet};
use crate::time::{UnixTime, DAY};

/// R14: the days before an end date on which reminders go out.
pub const REMINDER_DAYS: [i64; 3] = [14, 3, 1];

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
    if now >= ends_at {
        return None;
    }
    let settles: Vec<i64> = REMINDER_DAYS
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

/// R16: who may suspend, resume or remove one partner's people in a client
/// account: its super admins, and holders of *Add and edit users* within
/// R3 — never over a super admin (R12) nor over anybody holding a
/// permission they lack.
pub fn may_control_partner(actor: &Membership, people: &[Membership]) -> Decision {
    if !actor.may_manage_users() {
        return Err(Refusal::forbidden(Rule::R16, Reason::UsersEditNeeded));
    }
    if people.is_empty() {
        return Err(Refusal::invalid(Rule::R16, Reason::NoPartnerPeople));
    }
    if actor.is_active_super_admin() {
        return Ok(());
    }
    if people.iter().any(|p| p.super_admin) {
        return Err(Refusal::forbidden(Rule::R16, Reason::SuperAdminProtected));
    }
    let holds = actor.active_permissions();
    if people.iter().any(|p| !p.permissions().is_subset(holds)) {
        return Err(Refusal::forbidden(Rule::R16, Reason::PartnerBeyondYou));
    }
    Ok(())
}

/// R16 with R9: suspending or removing `people` leaves the account at least
/// one active super admin, out of `active_super_admins` it has now.
pub fn keeps_a_super_admin_without(people: &[Membership], active_super_admins: usize) -> Decision {
    let leaving = people.iter().filter(|p| p.is_active_super_admin()).count();
    if leaving >= active_super_admins && leaving > 0 {
        Err(Refusal::conflict(Rule::R9, Reason::LastSuperAdmin))
    } else {
        Ok(())
    }
}

/// R16: a partner is suspended once.
pub fn may_suspend(already_suspended: bool) -> Decision {
    if already_suspended {
        Err(Refusal::conflict(Rule::R16, Reason::AlreadySuspended))
    } else {
        Ok(())
    }
}

/// R16: only a suspended partner is resumed.
pub fn may_resume(suspended: bool) -> Decision {
    if suspended {
        Ok(())
    } else {
        Err(Refusal::conflict(Rule::R16, Reason::NotSuspended))
    }
}

/// R16: while a client suspends a partner, the partner cannot add its
/// people there nor reactivate them (deactivating and removing stay open).
pub fn may_grant_while(suspended: bool) -> Decision {
    if suspended {
        Err(Refusal::conflict(Rule::R16, Reason::PartnerSuspended))
    } else {
        Ok(())
    }
}

/// R14 on the client side: an end date belongs to a partner employee's
/// access; the actor must be able to manage users (and, within R3, hold
/// what the person holds, as for R16).
pub fn may_set_end_date_as_client(actor: &Membership, target: &Membership) -> Decision {
    if target.partner_account_id.is_none() {
        return Err(Refusal::invalid(Rule::R14, Reason::NoEndDate));
    }
    may_control_partner(actor, std::slice::from_ref(target))
}

/// R14 for a client creating a user: an end date belongs to a partner
/// employee's access, and lies ahead.
pub fn may_end_new_grant(partner_employee: bool, now: UnixTime, ends_at: UnixTime) -> Decision {
    if !partner_employee {
        return Err(Refusal::invalid(Rule::R14, Reason::NoEndDate));
    }
    check_end_date(now, ends_at)
}

/// R14: an end date is set on active access only, and a new one lies
/// ahead (removing one is always possible).
pub fn may_change_end_date(target: &Membership, now: UnixTime, ends_at: Option<UnixTime>) -> Decision {
    if !target.is_active() {
        return Err(Refusal::invalid(Rule::R14, Reason::AlreadyDeactivated));
    }
    match ends_at {
        Some(at) => check_end_date(now, at),
        None => Ok(()),
    }
}

/// Whether `p` is one of the Partner Admin set's permissions an approver can tick.
pub fn narrowable(p: Permission) -> bool {
    StandardSet::PartnerAdmin.perms().assignable().contains(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::deactivated;
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
        assert!(!narrowable(Permission::Billing));
    }

    #[test]
    fn only_user_managers_control_partners_and_never_beyond_what_they_hold() {
        let admin = Membership::super_admin();
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        let users_editor = Membership::with_set(StandardSet::ViewOnly);
        let mut editor = users_editor.clone();
        editor.added = Perms::EMPTY.with(Permission::UsersEdit);
        assert!(may_control_partner(&admin, std::slice::from_ref(&pa)).is_ok());
        assert_eq!(
            may_control_partner(&users_editor, std::slice::from_ref(&pa)).unwrap_err().reason,
            Reason::UsersEditNeeded
        );
        assert_eq!(
            may_control_partner(&editor, std::slice::from_ref(&pa)).unwrap_err().reason,
            Reason::PartnerBeyondYou
        );
        let viewer = Membership::with_set(StandardSet::ViewOnly);
        assert!(may_control_partner(&editor, &[viewer]).is_ok());
        assert_eq!(
            may_control_partner(&editor, &[Membership::super_admin()]).unwrap_err().reason,
            Reason::SuperAdminProtected
        );
        assert_eq!(may_control_partner(&admin, &[]).unwrap_err().reason, Reason::NoPartnerPeople);
        assert!(may_control_partner(&deactivated(admin), &[pa]).is_err());
    }

    #[test]
    fn suspending_the_last_super_admins_is_refused() {
        let sa = Membership::super_admin();
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        assert_eq!(
            keeps_a_super_admin_without(std::slice::from_ref(&sa), 1).unwrap_err().reason,
            Reason::LastSuperAdmin
        );
        assert!(keeps_a_super_admin_without(std::slice::from_ref(&sa), 2).is_ok());
        assert!(keeps_a_super_admin_without(&[pa], 1).is_ok());
        assert!(keeps_a_super_admin_without(&[deactivated(sa)], 1).is_ok());
    }
}
