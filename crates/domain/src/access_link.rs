//! Access links (SPEC §4): the token format, who may have a link, who may
//! approve one into which account, and what approving does.

use crate::account::{Membership, PartnerProgram, Seat};
use crate::grant::{grant, migrate_to_partner_admin, Grant, Granter, Requested};
use crate::permission::{Perms, SetKey, StandardSet};
use crate::rules::{Reason, Refusal, Rule};

/// An access-link token as it arrives in a URL: URL-safe base64 of at least
/// 128 bits. Parsing only checks the shape; whether it is valid is the
/// server's business.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessToken(String);

impl AccessToken {
    /// Accepts 22 to 64 characters of `A-Z a-z 0-9 - _`.
    pub fn parse(s: &str) -> Option<AccessToken> {
        let ok = (22..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| AccessToken(s.to_string()))
    }

    /// The token text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Only Solutions Partners and Providers can be Partner Admins, so only
/// their employees get access links.
pub fn may_have_access_link(program: PartnerProgram) -> Result<(), Refusal> {
    if program.may_have_partner_admins() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::AccessLinks, Reason::NoLinksForProgram))
    }
}

/// Who may approve a link into an account: its super admins and holders of
/// *Add and edit users*.
pub fn may_approve_into(approver: &Membership) -> Result<(), Refusal> {
    if approver.may_manage_users() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::AccessLinks, Reason::ApproverNotAllowed))
    }
}

/// What approving a link into an account does to the partner employee there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The permissions, decided by the grant rule with the approver as the
    /// actor: the Partner Admin set, bounded by what the approver holds (R3).
    pub grant: Grant,
    /// The membership afterwards: these permissions, a partner seat, flagged
    /// with the partner.
    pub membership: Membership,
    /// An existing membership was converted (otherwise a new one is created).
    pub converted: bool,
}

/// What the approval grants the employee, before any confirmation: for the
/// preview of the approval page and for [`approve_link`]. `leave_out` are
/// the Partner Admin permissions the approver unticked (R15, see
/// [`crate::rules::narrowing`]).
pub fn approval_grant(approver: &Membership, existing: Option<&Membership>, leave_out: Perms) -> Grant {
    let had = existing.map(Membership::permissions).unwrap_or_default();
    let set = StandardSet::PartnerAdmin;
    let requested = Requested::with_overrides(Some((SetKey::Standard(set), set.perms())), Perms::EMPTY, leave_out);
    grant(Granter::member(approver), had, &requested)
}

/// Decides an approval. `existing` is the employee's current membership in
/// the account; converting an existing member needs the approver to be a
/// super admin and the person's explicit confirmation (`convert`); a super
/// admin is migrated under R9 (`active_super_admins` counts the account's)
/// and gets the Partner Admin set R9 gives, which only takes away;
/// otherwise the grant leaves out what the approver unticked (R15).
pub fn approve_link(
    partner_account_id: i64,
    approver: &Membership,
    existing: Option<&Membership>,
    convert: bool,
    active_super_admins: usize,
    leave_out: Perms,
) -> Result<Approval, Refusal> {
    may_approve_into(approver)?;
    let Some(existing) = existing else {
        let grant = approval_grant(approver, None, leave_out);
        let mut m = grant.applied_to(&Membership::with_set(StandardSet::PartnerAdmin));
        m.seat = Seat::Partner;
        m.partner_account_id = Some(partner_account_id);
        return Ok(Approval { grant, membership: m, converted: false });
    };
    if existing.is_partner_admin() && existing.partner_account_id == Some(partner_account_id) {
        return Err(Refusal::conflict(Rule::AccessLinks, Reason::AlreadyPartnerAdmin));
    }
    if !convert {
        return Err(Refusal::conflict(Rule::AccessLinks, Reason::AlreadyUserConvert));
    }
    if !approver.is_active_super_admin() {
        return Err(Refusal::forbidden(Rule::AccessLinks, Reason::ConvertSuperAdminOnly));
    }
    let mut flagged = existing.clone();
    flagged.partner_account_id = Some(partner_account_id);
    let grant = if existing.super_admin {
        migrate_to_partner_admin(Granter::member(approver), &flagged, active_super_admins, false)?
    } else {
        approval_grant(approver, Some(&flagged), leave_out)
    };
    let mut after = grant.applied_to(&flagged);
    after.seat = Seat::Partner;
    Ok(Approval { grant, membership: after, converted: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::MembershipStatus;
    use crate::permission::Permission;
    use crate::rules::RefusalKind;

    #[test]
    fn tokens_of_the_right_shape_parse_and_others_do_not() {
        assert!(AccessToken::parse("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE").is_some());
        for bad in ["short", "has space in it and is long enough", "../../etc/passwd/and/more/stuff", &"a".repeat(65)] {
            assert!(AccessToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn app_partners_get_no_access_links() {
        assert!(may_have_access_link(PartnerProgram::SolutionsPartner).is_ok());
        assert!(may_have_access_link(PartnerProgram::Provider).is_ok());
        assert_eq!(may_have_access_link(PartnerProgram::AppPartner).unwrap_err().kind, RefusalKind::Forbidden);
    }

    #[test]
    fn approving_creates_a_partner_admin_with_a_partner_seat_flagged_with_the_partner() {
        let a = approve_link(7, &Membership::super_admin(), None, false, 1, Perms::EMPTY).unwrap();
        assert!(!a.converted);
        let m = a.membership;
        assert!(m.is_partner_admin());
        assert_eq!(m.seat, Seat::Partner);
        assert_eq!(m.partner_account_id, Some(7));
    }

    #[test]
    fn a_user_without_add_and_edit_users_cannot_approve() {
        let err = approve_link(7, &Membership::with_set(StandardSet::Sales), None, false, 1, Perms::EMPTY).unwrap_err();
        assert_eq!(err.kind, RefusalKind::Forbidden);
    }

    #[test]
    fn an_existing_member_is_not_changed_without_confirmation() {
        let existing = Membership::with_set(StandardSet::Sales);
        let err = approve_link(7, &Membership::super_admin(), Some(&existing), false, 1, Perms::EMPTY).unwrap_err();
        assert_eq!(err.kind, RefusalKind::Conflict);
    }

    #[test]
    fn a_super_admin_may_convert_an_existing_member_to_partner_admin() {
        let existing = Membership::with_set(StandardSet::Sales);
        let a = approve_link(7, &Membership::super_admin(), Some(&existing), true, 1, Perms::EMPTY).unwrap();
        assert!(a.converted);
        let m = a.membership;
        assert!(m.is_partner_admin());
        assert_eq!(m.permissions(), StandardSet::PartnerAdmin.perms());
        let user_editor = Membership::with_set(StandardSet::PartnerAdmin);
        assert!(approve_link(7, &user_editor, Some(&existing), true, 1, Perms::EMPTY).is_err());
    }

    #[test]
    fn converting_the_last_super_admin_is_refused_by_r9() {
        let err = approve_link(7, &Membership::super_admin(), Some(&Membership::super_admin()), true, 1, Perms::EMPTY)
            .unwrap_err();
        assert_eq!(err.rule, Rule::R9);
        let ok = approve_link(7, &Membership::super_admin(), Some(&Membership::super_admin()), true, 2, Perms::EMPTY)
            .unwrap();
        assert!(ok.converted && ok.membership.is_partner_admin());
    }

    #[test]
    fn a_partner_admin_approving_gives_at_most_what_they_hold() {
        let mut approver = Membership::with_set(StandardSet::PartnerAdmin);
        approver.removed = Perms::EMPTY.with(Permission::ReportsView).with(Permission::ReportsEdit);
        let a = approve_link(7, &approver, None, false, 1, Perms::EMPTY).unwrap();
        assert!(a.membership.is_partner_admin());
        assert!(!a.membership.holds(Permission::ReportsView));
        assert!(!a.membership.holds(Permission::ReportsEdit));
        assert!(a.membership.permissions().is_subset(approver.permissions()));
        assert_eq!(
            a.grant.change().not_granted,
            Perms::EMPTY.with(Permission::ReportsView).with(Permission::ReportsEdit)
        );
    }

    #[test]
    fn an_existing_partner_admin_of_the_same_partner_is_a_conflict() {
        let mut pa = Membership::with_set(StandardSet::PartnerAdmin);
        pa.partner_account_id = Some(7);
        assert_eq!(
            approve_link(7, &Membership::super_admin(), Some(&pa), true, 1, Perms::EMPTY).unwrap_err().kind,
            RefusalKind::Conflict
        );
        pa.status = MembershipStatus::Deactivated;
        assert!(approve_link(7, &Membership::super_admin(), Some(&pa), true, 1, Perms::EMPTY).is_ok());
    }

    #[test]
    fn an_approver_who_unticks_permissions_grants_the_rest_of_the_set_only() {
        let set = StandardSet::PartnerAdmin.perms().assignable();
        let left_out = Perms::EMPTY.with(Permission::UsersEdit);
        let a = approve_link(7, &Membership::super_admin(), None, false, 1, left_out).unwrap();
        assert_eq!(a.grant.permissions(), set.without(Permission::UsersEdit));
        assert_eq!(a.membership.permissions(), set.without(Permission::UsersEdit));
        assert!(a.membership.has_partner_admin_set());
    }
}
